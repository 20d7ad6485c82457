"""`autograd-course check`: a learner's own report, one line per check, and their progress."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from mistakes import all_mistakes
from notebook_runner import RELEASED, SOLVED, load

pytestmark = pytest.mark.slow  # each test runs notebooks

NB = "01_value"


def half_done() -> dict:
    """01 with the first two exercises written (the second one wrong), the rest blank."""
    solved, nb = load(SOLVED / f"{NB}.ipynb"), load(RELEASED / f"{NB}.ipynb")
    wrong = next(m for m in all_mistakes() if m.name == "mul_adds").apply(solved)
    answers = {c["id"]: c for c in wrong["cells"]}
    for cell in [c for c in nb["cells"] if "exercise" in c["metadata"].get("tags", [])][:3]:
        cell["source"] = answers[cell["id"]]["source"]
    return nb


def run_check(cwd, *args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "autograd_helpers.instructor.cli", "check", *map(str, args)],
        capture_output=True, text=True, cwd=cwd,
    )  # fmt: skip


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A learner's folder: 00 untouched, 01 half done."""
    root = tmp_path_factory.mktemp("learner")
    (root / "notebooks").mkdir()
    (root / "notebooks" / f"{NB}.ipynb").write_text(json.dumps(half_done()), encoding="utf-8")
    return root


def test_a_half_done_notebook_reads_at_a_glance(course):
    run = run_check(course, course / "notebooks" / f"{NB}.ipynb")
    assert run.returncode == 1, run.stdout + run.stderr
    lines = run.stdout.splitlines()
    assert lines[0] == f"{NB}: 3/5 passed, 1 to fix, 1 not written yet"
    assert "  ✔ 01.init" in lines and "  ✔ 01.add" in lines
    assert any(ln.startswith("  ✘ 01.mul — ") and "that is the sum" in ln for ln in lines)
    assert "  · 01.expression — not written yet" in lines
    assert len(lines) == 6 and not run.stderr.strip()


def test_the_whole_course_ends_with_progress(course):
    run = run_check(course)
    assert run.returncode == 1
    assert "progress: 3/5 checks passed; notebooks complete: none yet" in run.stdout
    assert f"next: {NB} (1 to fix)" in run.stdout


def test_a_half_done_course_fits_on_a_screen_and_points_the_right_way(tmp_path):
    """00 and 01 done, 02 begun with a mistake, 07 begun right: one line a notebook, 02's
    mistakes, "next" at 02 (not 00, not the unwritten 03)."""
    folder = tmp_path / "notebooks"
    folder.mkdir()
    for path in sorted(RELEASED.glob("[0-9][0-9]_*.ipynb")):
        shutil.copy(path, folder)
    for stem in ("00_setup", "01_value"):
        shutil.copy(SOLVED / f"{stem}.ipynb", folder)
    two = "02_visualization"
    wrong = next(m for m in all_mistakes() if m.name == "trace_edges_reversed")
    begun = load(RELEASED / f"{two}.ipynb")
    answers = {c["id"]: c for c in wrong.apply(load(SOLVED / f"{two}.ipynb"))["cells"]}
    first = next(c for c in begun["cells"] if "exercise" in c["metadata"].get("tags", []))
    first["source"] = answers[first["id"]]["source"]
    (folder / f"{two}.ipynb").write_text(json.dumps(begun), encoding="utf-8")
    run = run_check(tmp_path)
    assert run.returncode == 1, run.stdout + run.stderr
    lines = run.stdout.splitlines()
    assert len(lines) <= 16, run.stdout
    assert "saved on disk" in lines[0] and "not seen" in lines[0]
    by_stem = {ln.split()[0]: ln for ln in lines if ln[:2].isdigit()}
    assert by_stem["01_value"].endswith("✔ 5/5") and "saved " in by_stem["01_value"]
    assert by_stem["03_backward"].endswith("not started")
    assert "to fix" in by_stem[two]
    assert any(ln.startswith("  ✘ 02.trace — ") for ln in lines)
    assert lines[-1].startswith(f"next: {two} (")


def test_a_solved_notebook_passes(tmp_path):
    run = run_check(tmp_path, SOLVED / f"{NB}.ipynb")
    assert run.returncode == 0, run.stdout
    assert run.stdout.splitlines() == [f"{NB}: 5/5 ✔ all checks pass"]


def test_bad_input_says_so_in_one_line(tmp_path):
    broken = tmp_path / f"{NB}.ipynb"
    broken.write_text("{", encoding="utf-8")
    run = run_check(tmp_path, broken)
    assert run.returncode == 1
    assert "cannot check it: not valid notebook JSON" in run.stdout
    run = run_check(tmp_path, tmp_path / "nope.ipynb")
    assert run.returncode == 2 and "no such notebook" in run.stdout
    assert "Traceback" not in run.stdout + run.stderr


def test_the_index_notebooks_progress_cell_reports_the_folder(course, capsys):
    """What index.ipynb's "Your progress" cell prints (autograd_helpers.progress.show)."""
    from autograd_helpers.progress import show

    assert show(course / "notebooks") == 1
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("Checking 1 notebooks")
    assert f"{NB}: 3/5 passed, 1 to fix, 1 not written yet" in out
    assert show(course) == 2 and "No notebooks" in capsys.readouterr().out


def test_the_progress_cell_in_the_browser_says_what_to_do_instead(tmp_path, monkeypatch, capsys):
    """In JupyterLite (Pyodide) no process can start: one line says what to do, no error."""
    from autograd_helpers import progress

    (tmp_path / "01_value.ipynb").write_text("{}", encoding="utf-8")

    def no_processes(*args, **kwargs):
        raise OSError(138, "emscripten does not support processes")

    monkeypatch.setattr(progress.subprocess, "Popen", no_processes)
    monkeypatch.setattr(progress.sys, "platform", "emscripten")
    assert progress.show(tmp_path) == 0
    out = capsys.readouterr().out
    assert "Run All Cells" in out and "browser" in out and len(out.splitlines()) == 1
