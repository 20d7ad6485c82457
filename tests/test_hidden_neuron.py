"""The grader's hidden cases of 05_neuron: every correct answer passes them, mistakes do not.

The answers are the solved notebook's exercise cells (and each alternative of
tests/alternatives/nb05.py), their function definitions run in a namespace with the
reference ``Value``, as the notebook imports it. Each hidden case goes through what the
grader does: the probe on the learner's objects, the answer through JSON, the judge.
"""

from __future__ import annotations

import ast
import random

import pytest
from alternatives.nb05 import ALTERNATIVES
from hidden_cases import (
    assert_passes,
    assert_sound_cases,
    definitions,
    hidden_verdicts,
    judged,
    namespace,
    seeds,
)
from mistakes.nb05 import MISTAKES
from notebook_runner import SOLVED, load

from autograd_helpers.checks import neuron as checks
from autograd_helpers.checks._core import verdict

NB = "05_neuron"
SEEDS = seeds(200)
CELLS = {"ex-neuron", "ex-by-hand", "ex-tanh-from-exp"}
# the checks with hidden cases, and the learner's function each one calls
CHECKS = [
    (checks.neuron, "neuron"),
    (checks.by_hand, "grads_by_hand"),
    (checks.tanh_from_exp, "neuron_exp"),
]
CHECKED = [check for check, _ in CHECKS]


def answers(edit=None) -> dict:
    """The functions the exercise cells define (their other statements are left out), with
    the notebook's imports (the reference ``Value``, math)."""
    return namespace(NB, edit, cells={"code-03", *CELLS}, keep=definitions)


SOLVED_ANSWERS = answers()


def test_hidden_cases_are_plain_and_new():
    for check in CHECKED:
        assert_sound_cases(check.test_id, seeds=SEEDS)
        for seed in SEEDS:
            for case in check.hidden(random.Random(seed)):
                assert all(p != checks.LECTURE for p in case["points"])
                signs = {checks.expected(p)["n"] < 0 for p in case["points"]}
                assert signs == {True, False}, "a point with n < 0 and one with n > 0"


@pytest.mark.parametrize("check", CHECKED, ids=lambda c: c.test_id)
def test_the_solved_answers_pass_every_hidden_case(check):
    assert_passes([check], SOLVED_ANSWERS, SEEDS)


def test_the_visible_case_says_what_the_notebook_said():
    result = judged(checks.neuron, checks.neuron.visible, SOLVED_ANSWERS)
    assert result.text.startswith(
        "o = tanh(x1*w1 + x2*w2 + b) = 0.707107 with the lecture's inputs and right at 2 more "
        "points"
    )
    case = checks.neuron.hidden(random.Random(0))[0]
    text = judged(checks.neuron, case, SOLVED_ANSWERS).text
    assert "lecture" not in text and "right at 1 more point," in text


@pytest.mark.parametrize(
    "alternative", [a for a in ALTERNATIVES if a.cell in CELLS], ids=lambda a: a.name
)
def test_every_alternative_passes_every_hidden_case(alternative):
    checked = [c for c, name in CHECKS if name in _defined_by(alternative)]
    assert checked
    assert_passes(checked, answers(alternative), SEEDS)


def _defined_by(alternative) -> set[str]:
    """The functions the solved notebook's cell that ``alternative`` rewrites defines."""
    cell = next(c for c in load(SOLVED / f"{NB}.ipynb")["cells"] if c["id"] == alternative.cell)
    return {n.name for n in ast.parse(cell["source"]).body if isinstance(n, ast.FunctionDef)}


@pytest.mark.parametrize(
    "mistake",
    [m for m in MISTAKES if m.test_id in {c.test_id for c in CHECKED}],
    ids=lambda m: m.name,
)
def test_every_mistake_fails_every_hidden_case(mistake):
    for seed, case, result in hidden_verdicts(mistake.test_id, answers(mistake), range(20)):
        assert not result.passed, (seed, case)
        assert mistake.says.lower() in result.text.lower(), (seed, case, result.text)


def test_a_forged_answer_is_not_a_pass():
    case = checks.neuron.hidden(random.Random(1))[0]
    for forged in ({}, {"forward0": {}}, {"forward0": "✔"}, [1, 2]):
        result = verdict(checks.neuron, forged, case)
        assert not result.passed
