"""Time is CPU time, load changes no grade, and a machine without namespaces never gives zeros.

- A cell that burns CPU is stopped by its CPU-time limit, one that only sleeps by the wall
  backstop; each message says which.
- The same class graded idle and with every core busy (other sessions' processes, as other
  users' jobs) gives the same grades.csv.
- Where bubblewrap cannot create namespaces (emulated by a `bwrap` that fails), grading as
  root either runs each kernel as an unprivileged user of its own and gives honest work full
  marks, or, when that user cannot run Python here, stops with the reason: a non-zero exit,
  and on Gradescope no results.json (a failed autograder), never zeros that look like grades.
"""

from __future__ import annotations

import csv
import os
import shutil
import signal
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


def cli(*args, env=None, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "autograd_helpers.instructor.cli", *map(str, args)],
        capture_output=True, text=True, env=env, cwd=cwd,
    )  # fmt: skip


def with_code(code: str) -> bytes:
    """The solved 01 with ``code`` run at the top of its addition exercise."""
    solved = load(SOLVED / f"{NB}.ipynb")
    cell = next(c for c in solved["cells"] if c["id"] == "ex-add")
    cell["source"] = code + "\n" + cell["source"]
    return FORMS["jupyterlab"](solved)


def make_class(root: Path, learners: dict[str, bytes]) -> tuple[Path, Path]:
    subs, release = root / "submissions", root / "release"
    release.mkdir(parents=True)
    shutil.copy(RELEASED / f"{NB}.ipynb", release)
    for learner, data in learners.items():
        (subs / learner).mkdir(parents=True)
        (subs / learner / f"{NB}.ipynb").write_bytes(data)
    return subs, release


def grades(out: Path) -> dict[tuple[str, str], dict]:
    with open(out / "grades.csv", encoding="utf-8", newline="") as fh:
        return {(r["learner"], r["test_id"]): r for r in csv.DictReader(fh)}


@pytest.mark.xdist_group("sandbox-modes-cpu")
def test_cpu_loops_are_stopped_by_cpu_time_and_sleepers_by_the_wall_backstop(tmp_path):
    solved = FORMS["jupyterlab"](load(SOLVED / f"{NB}.ipynb"))
    subs, release = make_class(
        tmp_path,
        {
            "honest": solved,
            "loop": with_code("while True:\n    pass"),
            "forks": with_code(
                "import multiprocessing as mp\n"
                "def spin():\n    while True:\n        pass\n"
                "for _ in range(3):\n    mp.Process(target=spin, daemon=True).start()\n"
                "import time\ntime.sleep(10_000)"
            ),
            "sleeper": with_code("import time\ntime.sleep(10_000)"),
        },
    )
    run = cli("grade", subs, "--out", tmp_path / "out", "--release", release, "--jobs", "2",
              "--timeout", "2", "--no-progress")  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    got = grades(tmp_path / "out")
    assert [got["honest", t]["status"] for t in TEST_IDS] == ["passed"] * 5
    for learner in ("loop", "forks", "sleeper"):
        assert got[learner, "01.repr"]["status"] == "passed", learner  # before the bad cell
        assert got[learner, "01.add"]["status"] == "timeout", got[learner, "01.add"]
    # the CPU of the whole tree counts, children's too; waiting costs no CPU
    assert "CPU time" in got["loop", "01.add"]["message"]
    assert "CPU time" in got["forks", "01.add"]["message"]
    assert "wall time" in got["sleeper", "01.add"]["message"]
    assert "your code cell 5" in got["loop", "01.add"]["message"]  # as the learner counts


@pytest.fixture
def busy_cores():
    """Every core kept busy by processes in sessions of their own (other users' jobs)."""
    hogs = [
        subprocess.Popen(
            [sys.executable, "-c", "while 1: pass"],
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        for _ in range(4 * (os.cpu_count() or 1))
    ]
    yield len(hogs)
    for hog in hogs:
        os.killpg(hog.pid, signal.SIGKILL)
        hog.wait()


@pytest.mark.xdist_group("sandbox-modes-load")
def test_the_same_class_gets_the_same_grades_with_every_core_busy(tmp_path, request):
    from mistakes import all_mistakes

    solved = load(SOLVED / f"{NB}.ipynb")
    mistake = next(m for m in all_mistakes() if m.name == "mul_adds").apply(solved)
    learners = {
        "ada": FORMS["jupyterlab"](solved),
        "grace": FORMS["colab"](solved),
        "alan": FORMS["jupyterlab"](mistake),
        "kurt": FORMS["vscode"](load(RELEASED / f"{NB}.ipynb")),
    }
    subs, release = make_class(tmp_path, learners)

    def graded(out: Path) -> dict:
        run = cli("grade", subs, "--out", out, "--release", release, "--jobs", "2",
                  "--no-progress")  # fmt: skip
        assert run.returncode == 0, run.stdout + run.stderr
        return grades(out)

    idle = graded(tmp_path / "idle")
    request.getfixturevalue("busy_cores")
    loaded = graded(tmp_path / "loaded")
    assert loaded == idle
    assert [idle["ada", t]["status"] for t in TEST_IDS] == ["passed"] * 5
    assert idle["alan", "01.mul"]["status"] == "failed"


@pytest.fixture
def no_namespaces():
    """An environment whose `bwrap` cannot create namespaces (as in Docker's default)."""
    fake = Path(tempfile.mkdtemp(prefix="fake-bin-"))  # where a kernel's user may run it
    fake.chmod(0o755)
    (fake / "bwrap").write_text(
        "#!/bin/sh\necho 'bwrap: No permissions to create new namespace' >&2\nexit 1\n"
    )
    (fake / "bwrap").chmod(0o755)
    yield {**os.environ, "PATH": f"{fake}{os.pathsep}{os.environ['PATH']}"}
    shutil.rmtree(fake)


def kernel_user_can_run_python() -> bool:
    """The oracle: can a user that owns nothing run this Python and its kernel?"""
    try:
        done = subprocess.run(
            [sys.executable, "-c", "import ipykernel, autograd_helpers"],
            user=2_000_000_001, group=2_000_000_001, extra_groups=[], cwd="/", env={},
            capture_output=True,
        )  # fmt: skip
    except PermissionError:  # it cannot even start this Python
        return False
    return done.returncode == 0


def root_only():
    if os.geteuid() != 0:
        pytest.skip("the fallback to a user of each kernel's own needs root")


@pytest.mark.xdist_group("sandbox-modes-nons")
def test_without_namespaces_honest_work_gets_full_marks_or_the_run_stops_loudly(
    tmp_path, no_namespaces
):
    root_only()
    solved = FORMS["jupyterlab"](load(SOLVED / f"{NB}.ipynb"))
    subs, release = make_class(tmp_path, {"ada": solved})
    run = cli("grade", subs, "--out", tmp_path / "out", "--release", release, "--no-progress",
              env=no_namespaces)  # fmt: skip
    if kernel_user_can_run_python():
        assert run.returncode == 0, run.stdout + run.stderr
        assert "sandbox: user" in run.stderr
        assert [grades(tmp_path / "out")["ada", t]["status"] for t in TEST_IDS] == ["passed"] * 5
    else:
        assert run.returncode == 2, run.stdout + run.stderr
        assert "cannot create namespaces" in run.stdout and "--sandbox none" in run.stdout
        assert "Traceback" not in run.stdout + run.stderr
        assert not (tmp_path / "out" / "grades.csv").exists()  # no zeros that look like grades


@pytest.mark.xdist_group("sandbox-modes-nons")
def test_gradescope_without_namespaces_is_a_grader_failure_not_zeros(tmp_path, no_namespaces):
    root_only()
    from autograd_helpers.instructor.gradescope import build

    build(tmp_path / "autograder.zip", RELEASED, ["01"])
    (tmp_path / "submission").mkdir()
    (tmp_path / "submission" / f"{NB}.ipynb").write_bytes(
        FORMS["jupyterlab"](load(SOLVED / f"{NB}.ipynb"))
    )
    run = gradescope_run(tmp_path / "autograder.zip", tmp_path, env=no_namespaces)
    results = tmp_path / "results" / "results.json"
    if kernel_user_can_run_python():
        assert run.returncode == 0 and "sandbox: user" in run.stderr
        assert '"score": 5' in results.read_text(encoding="utf-8")
    else:
        assert run.returncode != 0 and not results.exists()
        assert "cannot grade here" in run.stderr
