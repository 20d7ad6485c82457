"""Every form a real tool saves, solved, gets full marks from check, grade, progress and Gradescope.

The forms are ``notebook_forms.FORMS`` plus ``nbconvert``: the solved notebook run by
``jupyter nbconvert --execute --inplace`` itself. Each command is one test on a worker of its
own (their kernels run side by side).
"""

from __future__ import annotations

import csv
import functools
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from notebook_forms import FORMS
from notebook_runner import RELEASED, SOLVED, gradescope_run, load

pytestmark = pytest.mark.slow
NB = "01_value"
TEST_IDS = ["01.init", "01.repr", "01.add", "01.mul", "01.expression"]
ALL_FORMS = [*FORMS, "nbconvert"]


@functools.cache
def form_bytes(form: str) -> bytes:
    """The solved 01 as ``form`` writes it (the real nbconvert for "nbconvert")."""
    solved = load(SOLVED / f"{NB}.ipynb")
    if form != "nbconvert":
        return FORMS[form](solved)
    folder = Path(tempfile.mkdtemp(prefix="nbconvert-"))
    path = folder / f"{NB}.ipynb"
    shutil.copy(RELEASED.parent / "solutions" / "notebooks" / f"{NB}.ipynb", path)
    run = subprocess.run(
        [sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute",
         "--inplace", str(path)],
        capture_output=True, text=True, cwd=folder,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    data = path.read_bytes()
    assert b'"outputs": [\n' in data and b'"execution_count": 1' in data  # it really ran
    return data


def put(folder: Path, form: str, name: str = f"{NB}.ipynb") -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(form_bytes(form))
    return path


def cli(*args, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "autograd_helpers.instructor.cli", *map(str, args)],
        capture_output=True, text=True, cwd=cwd,
    )  # fmt: skip


@pytest.mark.xdist_group("forms-grade")
def test_grade_gives_every_form_full_marks(tmp_path):
    subs, release = tmp_path / "submissions", tmp_path / "release"
    release.mkdir()
    shutil.copy(RELEASED / f"{NB}.ipynb", release)
    for form in ALL_FORMS:
        put(subs / form, form)
    out = tmp_path / "out"
    run = cli("grade", subs, "--out", out, "--release", release, "--jobs", "2", "--timeout", "60",
              "--no-progress")  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    with open(out / "grades.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for form in ALL_FORMS:
        mine = {r["test_id"]: r for r in rows if r["learner"] == form}
        assert set(mine) == set(TEST_IDS), form
        assert {r["status"] for r in mine.values()} == {"passed"}, (form, mine)
        assert all("exercise cell not found" not in r["flags"] for r in mine.values()), form


@pytest.mark.xdist_group("forms-check")
def test_check_gives_every_form_full_marks(tmp_path):
    paths = [put(tmp_path / form, form) for form in ALL_FORMS]
    run = cli("check", *paths, cwd=tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    rows = [ln.split() for ln in run.stdout.splitlines() if ln.startswith(NB)]
    assert len(rows) == len(ALL_FORMS), run.stdout
    assert all(row[-2:] == ["✔", "5/5"] for row in rows), run.stdout


@pytest.mark.xdist_group("forms-progress")
def test_the_progress_cell_gives_a_colab_notebook_full_marks(tmp_path, capsys):
    from autograd_helpers.progress import show

    put(tmp_path, "colab_untagged")
    assert show(tmp_path) == 0
    assert f"{NB}: 5/5 ✔ all checks pass" in capsys.readouterr().out


@pytest.fixture(scope="session")
def autograder(tmp_path_factory) -> Path:
    from autograd_helpers.instructor.gradescope import build

    out = tmp_path_factory.mktemp("gs-forms") / "autograder.zip"
    build(out, RELEASED, ["01"])
    return out


@pytest.mark.parametrize("form", ALL_FORMS)
def test_gradescope_gives_every_form_full_marks(form, autograder, tmp_path):
    put(tmp_path / "submission", form)
    run = gradescope_run(autograder, tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    result = json.loads((tmp_path / "results" / "results.json").read_text("utf-8"))
    assert result["score"] == len(TEST_IDS), result
    assert [t["status"] for t in result["tests"] if t.get("number")] == ["passed"] * 5


@pytest.mark.xdist_group("forms-lost")
def test_a_lost_exercise_is_told_and_flagged_never_silent(tmp_path):
    """Ids and tags gone and the expression's cell deleted: its check says so, in words."""
    from notebook_forms import bare

    solved = load(SOLVED / f"{NB}.ipynb")
    solved["cells"] = [c for c in solved["cells"] if c["id"] != "ex-expression"]
    subs, release = tmp_path / "submissions", tmp_path / "release"
    release.mkdir()
    shutil.copy(RELEASED / f"{NB}.ipynb", release)
    (subs / "ada").mkdir(parents=True)
    (subs / "ada" / f"{NB}.ipynb").write_bytes(bare(solved))
    run = cli("grade", subs, "--out", tmp_path / "out", "--release", release, "--no-progress",
              "--timeout", "60")  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    with open(tmp_path / "out" / "grades.csv", encoding="utf-8", newline="") as fh:
        rows = {r["test_id"]: r for r in csv.DictReader(fh)}
    assert [rows[t]["status"] for t in TEST_IDS[:4]] == ["passed"] * 4
    lost = rows["01.expression"]
    assert lost["status"] == "failed"
    assert lost["message"].startswith("could not find your answer to 01.expression")
    assert "review by hand" in lost["flags"]
    feedback = (tmp_path / "out" / "feedback" / "ada.md").read_text(encoding="utf-8")
    assert "could not find your answer to 01.expression" in feedback


@pytest.mark.xdist_group("forms-progress-bar")
def test_a_progress_bar_before_the_check_line_costs_nothing(tmp_path):
    """07's compare_learning_rates keeping train()'s default progress bar: its text (or the
    widget's) has no final newline, so the check's ✔ line is glued to it."""
    stem = "07_training"
    solved = load(SOLVED / f"{stem}.ipynb")
    cell = next(c for c in solved["cells"] if c["id"] == "ex-learning-rates")
    assert ", progress=False)" in cell["source"]
    cell["source"] = cell["source"].replace(", progress=False)", ")")
    subs, release = tmp_path / "submissions", tmp_path / "release"
    release.mkdir()
    shutil.copy(RELEASED / f"{stem}.ipynb", release)
    (subs / "ada").mkdir(parents=True)
    path = subs / "ada" / f"{stem}.ipynb"
    path.write_bytes(FORMS["jupyterlab"](solved))
    checked = cli("check", path, "--timeout", "120", cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    run = cli("grade", subs, "--out", tmp_path / "out", "--release", release, "--no-progress",
              "--timeout", "120")  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    with open(tmp_path / "out" / "grades.csv", encoding="utf-8", newline="") as fh:
        rows = {r["test_id"]: r for r in csv.DictReader(fh)}
    assert rows["07.learning_rates"]["status"] == "passed", rows["07.learning_rates"]
    assert {r["status"] for r in rows.values()} == {"passed"}
