"""The Gradescope autograder, run offline in a folder laid out as Gradescope lays it out."""

from __future__ import annotations

import copy
import json
import stat
import zipfile

import nbformat
import pytest
from mistakes import all_mistakes
from notebook_runner import RELEASED, SOLVED, gradescope_run, load

from autograd_helpers.instructor.gradescope import build

NB = "01_value"
pytestmark = pytest.mark.slow

# Gradescope's documented results.json: top-level score/output/visibility, one object per test
TEST = {
    "type": "object",
    "required": ["max_score", "score", "name"],
    "properties": {
        "score": {"type": "number"},
        "max_score": {"type": "number"},
        "status": {"enum": ["passed", "failed"]},
        "name": {"type": "string"},
        "number": {"type": "string"},
        "output": {"type": "string"},
        "tags": {"type": "array", "items": {"type": "string"}},
        "visibility": {"enum": ["hidden", "after_due_date", "after_published", "visible"]},
    },
    "additionalProperties": False,
}
RESULTS = {
    "type": "object",
    "required": ["tests"],
    "properties": {
        "score": {"type": "number"},
        "execution_time": {"type": "number"},
        "output": {"type": "string"},
        "visibility": {"enum": ["hidden", "after_due_date", "after_published", "visible"]},
        "stdout_visibility": {"enum": ["hidden", "after_due_date", "after_published", "visible"]},
        "tests": {"type": "array", "items": TEST},
    },
    "additionalProperties": False,
}


def submissions() -> dict[str, dict[str, object]]:
    solved, blank = load(SOLVED / f"{NB}.ipynb"), load(RELEASED / f"{NB}.ipynb")
    partial = next(m for m in all_mistakes() if m.name == "mul_adds").apply(solved)
    tampered = copy.deepcopy(blank)
    trick = "get_ipython().input_transformers_cleanup.append(lambda lines: ['pass\\n'])"
    tampered["cells"].insert(2, nbformat.v4.new_code_cell(trick, id="mine"))
    return {
        "honest": {f"{NB}.ipynb": solved},
        "renamed": {f"work/{NB} (1).ipynb": solved},
        "blank": {f"{NB}.ipynb": blank},
        "partial": {f"{NB}.ipynb": partial},
        "tampered": {f"{NB}.ipynb": tampered},
        "nothing": {"notes.txt": "my answers are in my head"},
    }


@pytest.fixture(scope="module")
def autograder(tmp_path_factory):
    out = tmp_path_factory.mktemp("gs") / "autograder.zip"
    build(out, RELEASED, ["01"])
    return out


@pytest.fixture(scope="module")
def graded(autograder, tmp_path_factory):
    found = {}
    for learner, files in submissions().items():
        root = tmp_path_factory.mktemp(learner)
        for name, content in files.items():
            target = root / "submission" / name
            target.parent.mkdir(parents=True, exist_ok=True)
            text = content if isinstance(content, str) else json.dumps(content)
            target.write_text(text, encoding="utf-8")
        run = gradescope_run(autograder, root)
        assert run.returncode == 0, run.stdout + run.stderr
        found[learner] = json.loads((root / "results" / "results.json").read_text("utf-8"))
    return found


def test_the_zip_is_what_gradescope_runs(autograder):
    with zipfile.ZipFile(autograder) as zf:
        names = set(zf.namelist())
        modes = {i.filename: i.external_attr >> 16 for i in zf.infolist()}
        setup = zf.read("setup.sh").decode()
        run = zf.read("run_autograder").decode()
        config = json.loads(zf.read("autograder.json"))
        wheel = next(n for n in names if n.endswith(".whl"))
        with zf.open(wheel) as fh, zipfile.ZipFile(fh) as inner:
            shipped = inner.namelist()
    assert {"setup.sh", "run_autograder", "autograder.json", f"release/{NB}.ipynb"} <= names
    assert modes["setup.sh"] & stat.S_IXUSR and modes["run_autograder"] & stat.S_IXUSR
    assert setup.startswith("#!/usr/bin/env bash") and wheel in setup and "bubblewrap" in setup
    assert "autograd_helpers.instructor.gradescope run --root /autograder" in run
    assert config["notebooks"] == [NB]
    assert not any(n.endswith(".ipynb") for n in shipped), "solved notebooks in the wheel"


@pytest.mark.parametrize("learner", list(submissions()))
def test_results_json_follows_gradescopes_format(graded, learner):
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.validate(graded[learner], RESULTS)


@pytest.mark.parametrize(
    "learner, score",
    [("honest", 5), ("renamed", 5), ("blank", 0), ("partial", 3), ("tampered", 0), ("nothing", 0)],
)
def test_scores(graded, learner, score):
    result = graded[learner]
    assert result["score"] == score
    checks = [t for t in result["tests"] if t.get("number")]
    assert len(checks) == 5 and sum(t["max_score"] for t in checks) == 5
    assert result["output"].startswith(f"Autograder: {score} / 5 points.")


def test_each_check_is_a_test_with_its_message(graded):
    tests = {t["number"]: t for t in graded["partial"]["tests"] if "number" in t}
    assert tests["01.mul"]["status"] == "failed" and tests["01.mul"]["score"] == 0
    assert "that is the sum" in tests["01.mul"]["output"]
    assert tests["01.add"]["output"] == "✔ passed" and tests["01.add"]["score"] == 1
    assert tests["01.add"]["name"].startswith("01.add · ")


def test_flags_are_for_instructors_only(graded):
    hidden = [t for t in graded["tampered"]["tests"] if t["visibility"] == "hidden"]
    assert len(hidden) == 1 and "rewrites cells before they run" in hidden[0]["output"]
    assert not any(t["visibility"] == "hidden" for t in graded["honest"]["tests"])


def test_a_submission_without_the_notebook_says_so(graded):
    result = graded["nothing"]
    assert "no 01_value.ipynb" in json.dumps(result["tests"])
