"""The grader on a synthetic class: honest, blank, a mistake, and every tampering trick."""

from __future__ import annotations

import copy
import csv
import hashlib
import json
import shutil
import subprocess
import sys

import pytest
from mistakes import all_mistakes
from notebook_runner import RELEASED, SOLVED, load

from autograd_helpers import grading

NB = "01_value"
TEST_IDS = ["01.init", "01.repr", "01.add", "01.mul", "01.expression"]


def with_code(nb: dict, cell_id: str, code: str) -> dict:
    """``nb`` with ``code`` put in front of the exercise cell ``cell_id``."""
    nb = copy.deepcopy(nb)
    cell = next(c for c in nb["cells"] if c["id"] == cell_id)
    cell["source"] = code + "\n" + cell["source"]
    return nb


def tampered(blank: dict) -> dict:
    """A blank notebook whose check cells were deleted, edited or given fake outputs."""
    nb = copy.deepcopy(blank)
    nb["cells"] = [c for c in nb["cells"] if c["id"] != "check-init"]
    for cell in nb["cells"]:
        if cell["id"] == "check-add":
            cell["source"] = 'print("✔ 01.add — passed")'
        if cell["cell_type"] == "code":
            cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "✔ passed"}]
    return nb


def honest_without_ids(solved: dict) -> dict:
    """The solved answers typed into cells whose ids were lost (matched by order)."""
    nb = copy.deepcopy(solved)
    for k, cell in enumerate(nb["cells"]):
        cell["id"] = f"copied-{k}"
    return nb


def learner_added_cell(solved: dict) -> dict:
    """An honest notebook with a helper cell of the learner's own before the expression."""
    nb = copy.deepcopy(solved)
    at = next(i for i, c in enumerate(nb["cells"]) if c["id"] == "ex-expression")
    helper = {
        "cell_type": "code", "id": "mine", "metadata": {}, "outputs": [],
        "execution_count": None, "source": "TWO = 2.0",
    }  # fmt: skip
    nb["cells"].insert(at, helper)
    ex = nb["cells"][at + 1]
    ex["source"] = ex["source"].replace('Value(2.0, label="a")', 'Value(TWO, label="a")')
    return nb


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("class")
    release = root / "release"
    release.mkdir()
    shutil.copy(RELEASED / f"{NB}.ipynb", release)
    solved, blank = load(SOLVED / f"{NB}.ipynb"), load(RELEASED / f"{NB}.ipynb")
    mistake = next(m for m in all_mistakes() if m.name == "mul_adds")
    notebooks = {
        "honest": solved,
        "blank": blank,
        "mistake": mistake.apply(solved),
        "endless": with_code(solved, "ex-add", "while True:\n    pass"),
        "exits": with_code(solved, "ex-add", "import os\nos._exit(3)"),
        "segfault": with_code(solved, "ex-add", "import ctypes\nctypes.string_at(0)"),
        "membomb": with_code(solved, "ex-add", "hog = [0] * (10**10)"),
        "tamperer": tampered(blank),
        "cheater": with_code(
            solved, "ex-init", "from solutions.engine import Value as V\nimport autograd_helpers"
        ),
        "lost_ids": honest_without_ids(solved),
        "added_cell": learner_added_cell(solved),
    }
    subs = root / "submissions"
    for learner, nb in notebooks.items():
        (subs / learner).mkdir(parents=True)
        (subs / learner / f"{NB}.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    raw = {
        "badjson": '{"cells": [',
        "notanotebook": json.dumps({"hello": "world"}),
        "nbformat3": json.dumps({"nbformat": 3, "worksheets": []}),
    }
    for learner, text in raw.items():
        (subs / learner).mkdir()
        (subs / learner / f"{NB}.ipynb").write_text(text, encoding="utf-8")
    (subs / "empty").mkdir()
    (subs / "wrongname").mkdir()
    (subs / "wrongname" / "99_mine.ipynb").write_text(json.dumps(solved), encoding="utf-8")

    def digest() -> str:
        h = hashlib.sha256()
        for p in sorted(subs.rglob("*")):
            h.update(str(p.relative_to(subs)).encode())
            if p.is_file():
                h.update(p.read_bytes())
        return h.hexdigest()

    before = digest()
    out = root / "out"
    run = subprocess.run(
        [sys.executable, "-m", "autograd_helpers.cli", "grade", str(subs), "--out", str(out),
         "--release", str(release), "--jobs", "2", "--timeout", "5", "--no-progress"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    with open(out / "grades.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return {
        "rows": rows, "out": out, "subs": subs, "release": release, "stdout": run.stdout,
        "unchanged": digest() == before,
    }  # fmt: skip


def rows_of(graded: dict, learner: str) -> dict[str, dict]:
    return {r["test_id"]: r for r in graded["rows"] if r["learner"] == learner}


def statuses(graded: dict, learner: str) -> dict[str, str]:
    return {tid: r["status"] for tid, r in rows_of(graded, learner).items()}


def test_columns_and_statuses(graded):
    assert list(graded["rows"][0]) == grading.COLUMNS
    assert {r["status"] for r in graded["rows"]} <= set(grading.STATUSES)


@pytest.mark.parametrize("learner", ["honest", "lost_ids", "added_cell"])
def test_honest_work_gets_full_marks(graded, learner):
    assert statuses(graded, learner) == dict.fromkeys(TEST_IDS, "passed")
    assert all(r["flags"] == "" for r in rows_of(graded, learner).values())


def test_blank_notebook_fails_every_check_with_its_message(graded):
    rows = rows_of(graded, "blank")
    assert statuses(graded, "blank") == dict.fromkeys(TEST_IDS, "failed")
    assert "not written yet" in rows["01.init"]["message"]


def test_a_mistake_costs_its_check_and_says_why(graded):
    rows = rows_of(graded, "mistake")
    assert rows["01.mul"]["status"] == "failed"
    assert "that is the sum" in rows["01.mul"]["message"]
    assert rows["01.add"]["status"] == "passed"


def test_tampered_check_cells_are_restored(graded):
    assert statuses(graded, "tamperer") == dict.fromkeys(TEST_IDS, "failed")


@pytest.mark.parametrize("learner", ["endless", "exits", "segfault"])
def test_a_hung_or_dead_kernel_costs_that_notebook_only(graded, learner):
    got = statuses(graded, learner)
    assert got["01.init"] == got["01.repr"] == "passed"  # before the bad cell
    assert got["01.add"] == "timeout"
    assert "never finished" in rows_of(graded, learner)["01.add"]["message"]


def test_a_memory_bomb_fails_with_a_note(graded):
    rows = rows_of(graded, "membomb")
    assert rows["01.add"]["status"] == "failed"
    assert "MemoryError" in rows["01.add"]["message"]
    assert rows["01.init"]["status"] == "passed"


@pytest.mark.parametrize(
    "learner, says",
    [
        ("badjson", "not valid notebook JSON"),
        ("notanotebook", "not a Jupyter notebook"),
        ("nbformat3", "nbformat 3"),
    ],
)
def test_unreadable_submissions_are_invalid(graded, learner, says):
    rows = rows_of(graded, learner)
    assert {r["status"] for r in rows.values()} == {"invalid"}
    assert all(says in r["message"] for r in rows.values())


def test_missing_and_unknown_notebooks(graded):
    assert set(statuses(graded, "empty").values()) == {"missing"}
    assert "holds no notebooks" in rows_of(graded, "empty")["01.init"]["message"]
    wrong = [r for r in graded["rows"] if r["learner"] == "wrongname"]
    assert {r["status"] for r in wrong if r["notebook"] == NB} == {"missing"}
    unknown = [r for r in wrong if r["notebook"] == "99_mine"]
    assert len(unknown) == 1 and unknown[0]["status"] == "invalid"


def test_suspect_code_is_flagged_for_review(graded):
    flags = rows_of(graded, "cheater")["01.init"]["flags"]
    assert "imports solutions" in flags and "touches autograd_helpers internals" in flags
    assert "calls os._exit" in rows_of(graded, "exits")["01.init"]["flags"]


def test_points_summary_and_feedback(graded):
    out = graded["out"]
    with open(out / "summary.csv", encoding="utf-8") as fh:
        summary = {r["learner"]: r for r in csv.DictReader(fh)}
    assert summary["honest"]["points"] == "5" and summary["honest"]["percent"] == "100.0"
    assert summary["mistake"]["points"] == "3"  # mul, and the expression built with it
    assert summary["blank"]["points"] == "0"
    feedback = (out / "feedback" / "mistake.md").read_text(encoding="utf-8")
    assert "✘ `01.mul` failed: " in feedback and "that is the sum" in feedback
    assert "✔ `01.add` passed" in feedback
    assert len(list((out / "feedback").glob("*.md"))) == len(summary)


def test_submissions_are_never_modified(graded):
    assert graded["unchanged"]


def test_same_input_same_grades(graded, tmp_path):
    """Grading again (serially this time) gives the same grades for the quick learners."""
    subs = tmp_path / "subs"
    for learner in ["honest", "mistake", "tamperer", "badjson", "empty", "wrongname"]:
        shutil.copytree(graded["subs"] / learner, subs / learner)
    rows = grading.grade(subs, tmp_path / "out", graded["release"], progress=False)
    again = {(r.learner, r.notebook, r.test_id): (r.status, r.message) for r in rows}
    first = {
        (r["learner"], r["notebook"], r["test_id"]): (r["status"], r["message"])
        for r in graded["rows"]
        if r["learner"] in {"honest", "mistake", "tamperer", "badjson", "empty", "wrongname"}
    }
    assert again == first


def test_out_inside_submissions_is_refused(graded):
    with pytest.raises(grading.GradingError, match="outside the submissions"):
        grading.grade(graded["subs"], graded["subs"] / "out", graded["release"], progress=False)


def test_bad_arguments_give_a_message_not_a_traceback(tmp_path):
    run = subprocess.run(
        [sys.executable, "-m", "autograd_helpers.cli", "grade", str(tmp_path / "nope"),
         "--out", str(tmp_path / "out")],
        capture_output=True, text=True,
    )  # fmt: skip
    assert run.returncode == 2
    assert "submissions folder not found" in run.stdout
    assert "Traceback" not in run.stdout + run.stderr


def test_rebuild_keeps_only_exercise_code():
    release = load(RELEASED / f"{NB}.ipynb")
    sub = tampered(load(SOLVED / f"{NB}.ipynb"))
    nb, learner = grading.rebuild(release, sub)
    by_id = {c["id"]: c for c in nb["cells"]}
    assert by_id["check-init"]["source"] == next(
        c["source"] for c in release["cells"] if c["id"] == "check-init"
    )
    assert by_id["check-add"]["source"].endswith("checks.value.add()")
    assert all(c.get("outputs", []) == [] for c in nb["cells"])
    assert any("self._prev = set(_children)" in s for s in learner)


def test_honest_solutions_of_every_notebook_raise_no_flag():
    releases = grading.load_release(RELEASED)
    for stem, release in releases.items():
        _, code = grading.rebuild(release.nb, load(SOLVED / f"{stem}.ipynb"))
        assert code, stem
        assert grading.review_flags(code) == [], stem


def test_review_flags():
    assert grading.review_flags(["from autograd_helpers.graph import Digraph"]) == []
    assert grading.review_flags(["from autograd_helpers import checks"]) == [
        "touches autograd_helpers internals"
    ]
    assert grading.review_flags(["import autograd_helpers.checks._core as c"]) == [
        "touches autograd_helpers internals"
    ]
    assert grading.review_flags(["import ctypes"]) == ["imports ctypes"]
    assert grading.review_flags(["x = 1"]) == []
    assert grading.review_flags(["import solutions.engine"]) == ["imports solutions"]
    assert "uses the name `checks` (the check cells' module)" in grading.review_flags(
        ["checks.value.add = print"]
    )
    assert grading.review_flags(["this is not python ("]) == []
