"""The grader's hidden cases of 02_visualization, judged as the grader judges them.

Every correct answer (the solved notebook's, and each of tests/alternatives/nb02.py) passes
every hidden case for every seed; every mistake of tests/mistakes/nb02.py fails its check in
every hidden case too; and an answer replayed from the notebook's own case fails them.
The answers are the solved notebook's cells that the checks use, executed here (no kernel).
"""

from __future__ import annotations

import random

import pytest
from alternatives.nb02 import ALTERNATIVES
from hidden_cases import (
    assert_passes,
    assert_replay_fails,
    assert_sound_cases,
    hidden_verdicts,
    namespace,
    seeds,
)
from mistakes.nb02 import MISTAKES, NB

from autograd_helpers.checks import visualization
from autograd_helpers.checks._core import JUDGES, verdict

CELLS = ("given-value", "given-example", "ex-trace", "ex-draw")  # what the checks use
CHECKS = [tid for tid, c in JUDGES.items() if tid.startswith("02.") and c.hidden is not None]
SEEDS = seeds(200)
REPLAYED = ["02.trace", "02.trace_leaf", "02.trace_shared", "02.draw_dot_values", "02.draw_dot_ops"]


def answers(edit=None) -> dict:
    """The notebook's namespace after the cells the checks use ran, with ``edit`` (an
    Alternative or a Mistake) applied to the solved notebook first."""
    return namespace(NB, edit, cells=CELLS)


@pytest.fixture(scope="module")
def solved():
    return answers()


def test_every_check_of_the_notebook_has_hidden_cases():
    assert set(CHECKS) == {
        "02.trace", "02.trace_leaf", "02.trace_shared",
        "02.draw_dot", "02.draw_dot_values", "02.draw_dot_ops",
    }  # fmt: skip
    for tid in CHECKS:
        assert_sound_cases(tid)


@pytest.mark.parametrize("test_id", CHECKS)
def test_the_solved_answer_passes_every_hidden_case(test_id, solved):
    assert_passes([test_id], solved, SEEDS)


@pytest.mark.parametrize("alternative", ALTERNATIVES, ids=lambda a: a.name)
def test_every_alternative_passes_every_hidden_case(alternative):
    assert_passes(CHECKS, answers(alternative), SEEDS[::10])  # solved: every seed


@pytest.mark.parametrize("mistake", MISTAKES, ids=lambda m: m.name)
def test_every_mistake_fails_every_hidden_case(mistake):
    for seed, case, result in hidden_verdicts(mistake.test_id, answers(mistake), range(3)):
        assert not result.passed and not result.malformed, (seed, case, result.text)


@pytest.mark.parametrize("test_id", REPLAYED)
def test_an_answer_replayed_from_the_notebooks_case_fails_the_hidden_cases(test_id, solved):
    assert_replay_fails(test_id, solved)


def test_hidden_leaves_keep_every_number_apart():
    """The drawn numbers: no node shows data close to its grad, no two Values share data."""
    for seed in SEEDS:
        for case in visualization._drawing_cases(random.Random(seed)):
            data = visualization.l_data(case["leaves"])
            grads = case["grads"]
            assert grads == visualization.l_grads(case["leaves"])
            assert all(abs(data[n] - grads[n]) >= 0.1 and abs(data[n]) >= 0.5 for n in data)
            assert len({round(x, 1) for x in data.values()}) == 7
            assert case["leaves"] != dict(visualization.L_LEAVES)


def test_a_forged_answer_is_malformed_not_blamed_on_the_learner():
    check = JUDGES["02.trace"]
    forged = {"module": "__main__", "L": {"kind": "pair", "nodes": [9], "edges": [], "objects": []}}
    result = verdict(check, forged, check.visible)
    assert not result.passed and result.malformed, result.text
    check = JUDGES["02.draw_dot_ops"]
    forged = {
        "module": "__main__",
        "returned": {"kind": "digraph", "type": "Digraph", "repr": ""},
        "dot": {"nodes": {"a": "not attributes"}, "edges": []},
    }
    result = verdict(check, forged, check.visible)
    assert not result.passed and result.malformed, result.text
