"""The grader's hidden cases of 08_bonus_moons: right answers pass them all, wrong ones fail.

For every check with hidden cases, and the seeds 0..199 the grader may draw with, the
probe runs on the solved notebook's functions (defined, not run: no training) and the judge
must pass each case; every alternative answer (tests/alternatives/nb08.py) and every
catalogued mistake (tests/mistakes/nb08.py) is tried on fewer seeds.
"""

import random

import pytest
from alternatives import all_alternatives
from hidden_cases import (
    assert_passes,
    assert_sound_cases,
    definitions,
    hidden_verdicts,
    judged,
    namespace,
    seeds,
)
from mistakes import all_mistakes

from autograd_helpers.checks import moons
from autograd_helpers.checks._core import JUDGES

NB = "08_bonus_moons"
CELLS = ["code-02", "ex-count", "ex-loss", "ex-accuracy", "ex-train-step", "ex-train"]
HIDDEN = [moons.parameters, moons.loss, moons.accuracy, moons.train_step, moons.train]
SEEDS = seeds(200)
FEW_SEEDS = range(5)


def answers(edit=None) -> dict:
    """The solved notebook's imports and definitions, with ``edit`` (an alternative or a
    mistake) applied; the cells' other lines (training, printing) are not run."""
    return namespace(NB, edit, cells=CELLS, keep=definitions)


def hidden_cases(check, seeds) -> list[dict]:
    return [case for seed in seeds for case in check.hidden(random.Random(seed))]


def test_every_check_with_hidden_cases_is_tried():
    have_hidden = {t for t, c in JUDGES.items() if t.startswith("08.") and c.hidden is not None}
    assert have_hidden == {c.test_id for c in HIDDEN}
    for check in HIDDEN:  # moons checks train or loop: one cheap hidden case each
        assert_sound_cases(check.test_id, least=1, most=1)


@pytest.mark.parametrize("check", HIDDEN, ids=lambda c: c.test_id)
def test_solved_answers_pass_every_hidden_case(check):
    assert_passes([check], answers(), SEEDS)


ALTERNATIVES = [alt for alt in all_alternatives() if alt.notebook == NB]


@pytest.mark.parametrize("alternative", ALTERNATIVES, ids=lambda a: a.name)
def test_alternatives_pass_the_hidden_cases(alternative):
    assert_passes(HIDDEN, answers(alternative), FEW_SEEDS)


MISTAKES = [m for m in all_mistakes() if m.notebook == NB]


@pytest.mark.parametrize("mistake", MISTAKES, ids=lambda m: m.name)
def test_mistakes_fail_the_hidden_cases_too(mistake):
    for _, case, result in hidden_verdicts(mistake.test_id, answers(mistake), FEW_SEEDS):
        assert not result.passed and not result.malformed, case


def test_answers_tuned_to_the_visible_numbers_fail():
    visible = {(nin, tuple(nouts)): moons.mlp_parameters(nin, nouts) for nin, nouts in moons.SHAPES}

    def count_parameters(nin, nouts):
        return visible.get((nin, tuple(nouts)), 0)

    right = moons.expected_accuracy(moons.ACC_SCORES, moons.ACC_LABELS)

    def accuracy(scores, ys):
        return right

    given = {**answers(), "count_parameters": count_parameters, "accuracy": accuracy}
    for check in (moons.parameters, moons.accuracy):
        assert judged(check, check.visible, given).passed
        passed = [judged(check, c, given).passed for c in hidden_cases(check, SEEDS)]
        assert sum(passed) < 0.1 * len(passed)  # a constant is right now and then
