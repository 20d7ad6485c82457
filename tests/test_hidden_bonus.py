"""The grader's hidden cases of 09_bonus_exercises: every correct answer passes them, for any seed.

The solved notebook's cells run here in-process, as a learner runs them (and again with
each alternative of tests/alternatives/nb09.py spliced in); for seeds 0..199 every hidden
case of every check goes the grader's way: the case as the literal the grader sends, the
probe's answer (``probes.collect``) through JSON, then the judge (``verdict``). Each
mistake of tests/mistakes/nb09.py fails the hidden cases too.

The notebook sets ``Value.log`` on the reference class (its exercise); each test puts the
reference's own ``log`` back when it ends.
"""

from __future__ import annotations

import pytest
from alternatives import all_alternatives
from hidden_cases import (
    assert_caught,
    assert_passes,
    assert_sound_cases,
    checks_after,
    failures,
    namespace,
    seeds,
)
from mistakes import all_mistakes

from autograd_helpers.checks import bonus
from solutions.engine import Value

STEM = "09_bonus_exercises"
SEEDS = seeds(200)
CHECKS = {
    c.test_id: c
    for c in (
        bonus.by_hand,
        bonus.numerical,
        bonus.log,
        bonus.softmax,
        bonus.nll,
        bonus.softmax_nll,
    )
}


@pytest.fixture(autouse=True)
def reference_log(monkeypatch):
    """Whatever a notebook run sets as ``Value.log``, the reference's comes back afterwards."""
    monkeypatch.setattr(Value, "log", Value.log)


@pytest.mark.parametrize("test_id", CHECKS)
def test_every_check_has_hidden_cases_that_vary_with_the_seed(test_id):
    assert_sound_cases(test_id)


def test_the_visible_case_passes_as_the_notebook_shows_it():
    assert_passes(CHECKS.values(), namespace(STEM), seeds=())


def test_solved_answers_pass_every_hidden_case():
    assert_passes(CHECKS.values(), namespace(STEM), SEEDS)


@pytest.mark.parametrize(
    "alternative",
    [a for a in all_alternatives() if a.notebook == STEM],
    ids=lambda a: a.name,
)
def test_alternatives_pass_every_hidden_case(alternative):
    assert_passes(checks_after(STEM, alternative.cell), namespace(STEM, alternative), SEEDS)


@pytest.mark.parametrize(
    "mistake", [m for m in all_mistakes() if m.notebook == STEM], ids=lambda m: m.name
)
def test_mistakes_fail_the_hidden_cases(mistake):
    """Each seed's hidden cases catch the mistake (an answer tuned to the visible case too)."""
    assert_caught(mistake.test_id, namespace(STEM, mistake), seeds(50))


def test_answers_tuned_to_the_visible_case_fail():
    def nll(probs, label):  # always the lecture's label
        return -probs[2].log()

    tuned = {
        "gradf_by_hand": lambda a, b, c: (
            bonus.gradient(*bonus.LECTURE_POINT)
            if (a, b, c) == bonus.LECTURE_POINT
            else bonus.gradient(*bonus.OTHER_POINT)
        ),
        "Value": Value,
        "nll": nll,
    }
    for test_id in ("09.by_hand", "09.nll"):
        for seed in range(20):
            failed = failures([test_id], tuned, [seed])
            assert failed, f"{test_id}: a tuned answer passes seed {seed}'s cases"
