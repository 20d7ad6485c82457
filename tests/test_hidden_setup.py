"""The grader's hidden cases of 00_setup: every correct answer passes them, for any seed.

The solved notebook's exercise cells run here in-process, as a learner runs them (and again
with each alternative of tests/alternatives/nb00.py spliced in); for seeds 0..199 every
hidden case of every check goes the grader's way: the case as the literal the grader sends,
the probe's answer (``probes.collect``) through JSON, then the judge (``verdict``). Each
mistake of tests/mistakes/nb00.py fails the hidden cases too.
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

from autograd_helpers.checks import setup

STEM = "00_setup"
SEEDS = seeds(200)
CHECKS = {c.test_id: c for c in (setup.slope, setup.function, setup.derivative, setup.partials)}
EXERCISES = ("ex-slope", "ex-f", "ex-derivative", "ex-partials")  # the learner's answers


def answers(edit=None) -> dict:
    """What the notebook's exercise cells define, with ``edit`` applied first."""
    return namespace(STEM, edit, cells=EXERCISES)


@pytest.mark.parametrize("test_id", CHECKS)
def test_every_check_has_hidden_cases_that_vary_with_the_seed(test_id):
    assert_sound_cases(test_id)


def test_the_visible_case_passes_as_the_notebook_shows_it():
    assert_passes(CHECKS.values(), answers(), seeds=())


def test_solved_answers_pass_every_hidden_case():
    assert_passes(CHECKS.values(), answers(), SEEDS)


@pytest.mark.parametrize(
    "alternative",
    [a for a in all_alternatives() if a.notebook == STEM],
    ids=lambda a: a.name,
)
def test_alternatives_pass_every_hidden_case(alternative):
    assert_passes(checks_after(STEM, alternative.cell), answers(alternative), SEEDS)


@pytest.mark.parametrize(
    "mistake", [m for m in all_mistakes() if m.notebook == STEM], ids=lambda m: m.name
)
def test_mistakes_fail_the_hidden_cases(mistake):
    """Each seed's hidden cases catch the mistake (an answer tuned to the visible case too)."""
    assert_caught(mistake.test_id, answers(mistake), seeds(50))


def test_an_answer_tuned_to_the_visible_case_fails():
    def slope(x1, y1, x2, y2):
        return {(1, 2, 3, 8): 3.0, (0, 5, 2, 1): -2.0}.get((x1, y1, x2, y2), 0.0)

    def f(x):
        return {3.0: 20.0, 0.0: 5.0, -2.0: 25.0, 0.5: 3.75}.get(x, 11 / 3)

    tuned = {"slope": slope, "f": f}
    for test_id in ("00.slope", "00.f"):
        for seed in range(20):
            failed = failures([test_id], tuned, [seed])
            assert failed, f"{test_id}: a tuned answer passes seed {seed}'s cases"
