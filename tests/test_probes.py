"""The probe/judge split: plain data out of the kernel, verdicts on it, and the grader's reading.

What the grader relies on is pinned here without a kernel: a probe's answer is plain data
whatever the learner's objects do; a judge on a forged or broken answer fails (flagged),
never passes and never raises; an answer is taken only for its request (nonce, one per case).
"""

from __future__ import annotations

import ast
import json
import math
import random
from pathlib import Path

import pytest

from autograd_helpers import probes
from autograd_helpers.checks import value
from autograd_helpers.checks._core import Answer, Stopped, stopped, verdict
from autograd_helpers.instructor.grading.rebuild import Request
from autograd_helpers.instructor.grading.run import CellResult
from autograd_helpers.instructor.grading.score import MALFORMED, NO_ANSWER, judged

PROBES_DIR = Path(probes.__file__).parent


class Good:
    def __init__(self, data, _children=(), _op="", label=""):
        self.data, self._prev, self._op, self.label = data, set(_children), _op, label

    def __repr__(self):
        return f"Value(data={self.data})"

    def __add__(self, other):
        return Good(self.data + other.data, (self, other), "+")

    def __mul__(self, other):
        return Good(self.data * other.data, (self, other), "*")


class Weird:
    """Everything a learner's object can do to a reader: raise, lie, return odd types."""

    def __repr__(self):
        raise RuntimeError("no repr")

    @property
    def data(self):
        return float("nan")


def test_probes_import_neither_judges_nor_answers():
    """The grading kernel holds the probes and nothing they could import from the judges."""
    for path in PROBES_DIR.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            for name in names:
                assert not name.startswith(("solutions", "autograd_helpers.checks")), (
                    path.name,
                    name,
                )
                assert not name.startswith("autograd_helpers.instructor"), (path.name, name)


def test_plain_turns_anything_into_json_data():
    import numpy as np

    data = probes.plain(
        {"n": np.float64(1.5), "i": np.int64(3), "w": Weird(), "v": Good(2.0), "t": (1, [2])}
    )
    text = probes.encode(data)
    back = json.loads(text)
    assert back["n"] == 1.5 and back["i"] == 3 and back["t"] == [1, [2]]
    assert back["w"]["~"] == "object" and back["w"]["repr"] == "<Weird object>"
    assert back["v"] == {"~": "value", "data": 2.0, "type": "Good", "repr": "Value(data=2.0)"}
    assert math.isnan(json.loads(probes.encode({"x": float("nan")}))["x"])


def test_a_probe_keeps_what_it_saw_before_the_learner_code_raised():
    class Broken(Good):
        def __add__(self, other):
            raise ZeroDivisionError("mine")

    data = probes.collect("01.add", {"a": 2.0, "b": -3.0}, {"Value": Broken})
    assert data[probes.STOP]["kind"] == "learner"
    assert "ZeroDivisionError: mine" in data[probes.STOP]["error"]
    result = verdict(value.add, data, {"a": 2.0, "b": -3.0})
    assert not result.passed and not result.malformed
    assert result.text.startswith("your code raised ZeroDivisionError: mine (in `__add__`")


def test_an_undefined_name_and_an_unwritten_exercise_say_so():
    assert "`Value` is not defined" in stopped(
        probes.collect("01.add", {"a": 1, "b": 2})[probes.STOP]
    )

    class Blank:
        def __init__(self, *args, **kwargs):
            raise NotImplementedError("store data")

    data = probes.collect("01.init", value.init.visible, {"Value": Blank})
    assert verdict(value.init, data, value.init.visible).text.startswith(
        "not written yet: store data."
    )


def test_the_reference_answer_is_refused_by_where_it_was_written():
    from solutions.engine import Value as Reference

    class Renamed(Reference):
        __module__ = "__main__"

    for cls in (Reference, Renamed):
        stop = probes.collect("01.init", value.init.visible, {"Value": cls})[probes.STOP]
        assert stop["kind"] == "reference"


def test_answer_reads_stop_only_where_data_is_missing():
    d = Answer({"a": 1, probes.STOP: {"kind": "recursion"}})
    assert d["a"] == 1 and "a" in d and probes.STOP not in d
    with pytest.raises(Stopped):
        d["b"]
    assert Answer({"a": 1}).get("b", 7) == 7


@pytest.mark.parametrize(
    "forged",
    [None, 3, "x", [], {"is_value": "yes"}, {"is_value": True, "result": 1},
     {"is_value": True, "result": {"type": 1, "repr": []}, "operand": False, "a_data": [],
      "b_data": {}, "data": {"~": "value"}, "prev": "no", "op": 5}],
)  # fmt: skip
def test_a_forged_answer_fails_and_never_raises(forged):
    result = verdict(value.add, forged, {"a": 2.0, "b": -3.0})
    assert not result.passed
    assert result.malformed or "changed its operands" in result.text


def _request(check, seed=0):
    return Request(check, "n0nce", check.cases(random.Random(seed)))


def _cell(*payloads: object) -> CellResult:
    return CellResult("ok", answers=[p if isinstance(p, str) else json.dumps(p) for p in payloads])


def test_the_grader_takes_only_the_answer_to_its_request():
    request = _request(value.add)
    right = [probes.collect("01.add", case, {"Value": Good}) for case in request.cases]
    wrong_nonce = {"nonce": "other", "answers": [{}] * len(request.cases)}
    mine = {"nonce": "n0nce", "test_id": "01.add", "answers": right}
    assert judged(request, _cell("{broken", wrong_nonce, mine)) == ("passed", "passed", [])
    status, message, flags = judged(request, _cell(wrong_nonce))
    assert (status, message) == ("failed", NO_ANSWER) and flags
    short = {"nonce": "n0nce", "answers": right[:1]}  # fewer answers than cases
    assert judged(request, _cell(short))[1] == NO_ANSWER
    forged = {"nonce": "n0nce", "answers": ["x"] * len(request.cases)}
    assert judged(request, _cell(forged))[1] == MALFORMED


def test_the_visible_answer_replayed_fails_the_graders_draws():
    request = _request(value.mul)
    visible = probes.collect("01.mul", request.cases[0], {"Value": Good})
    replay = {"nonce": "n0nce", "answers": [visible] * len(request.cases)}
    status, message, flags = judged(request, _cell(replay))
    assert status == "failed" and message.startswith("on inputs the grader chose") and not flags
