"""The grader's hidden cases of 04_operations: the solved answers pass every draw, mistakes fail.

The hidden cases (other operands, constants and exponents) are what makes a forged or tuned
answer fail, so each must accept every correct answer (here: the solved notebook's, for
many seeds; tests/alternatives/ runs in the notebooks) and reject a wrong one.
"""

from __future__ import annotations

import random

import pytest
from hidden_cases import assert_passes, assert_sound_cases, judged, namespace, seeds
from mistakes import Mistake
from mistakes.nb04 import MISTAKES

from autograd_helpers.checks import operations
from autograd_helpers.checks._core import JUDGES

NB = "04_operations"
CHECKS = [c for tid, c in JUDGES.items() if tid.startswith("04.") and c.hidden is not None]


@pytest.fixture(scope="module")
def solved() -> dict:
    return namespace(NB)


def test_every_check_of_the_notebook_is_tried():
    assert {c.test_id for c in CHECKS} == {
        "04.constants", "04.reflected", "04.subtraction", "04.pow", "04.division",
        "04.exp", "04.tanh", "04.sum", "04.tanh_from_exp",
    }  # fmt: skip


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.test_id)
def test_the_solved_answers_pass_every_hidden_case(check, solved):
    assert_passes([check], solved, seeds(200))


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.test_id)
def test_hidden_cases_are_drawn_again_for_every_seed(check):
    assert_sound_cases(check.test_id)


@pytest.mark.parametrize("mistake", MISTAKES, ids=lambda m: m.name)
def test_every_mistake_fails_the_hidden_cases_too(mistake):
    given = namespace(NB, mistake)
    check = JUDGES[mistake.test_id]
    for seed in range(5):
        results = [judged(check, case, given) for case in check.cases(random.Random(seed))]
        assert not any(r.passed for r in results), (seed, [r.text for r in results])


def test_an_answer_tuned_to_the_visible_numbers_fails_the_hidden_ones():
    # exp's derivative right only where the notebook's check evaluates exp, x elsewhere
    visible = "(2.0, -1.0, 0.0, 1.5, -0.5, 0.3)"
    tuned = Mistake(
        "exp_tuned", NB, "ex-exp", "self.grad += out.data * out.grad",
        f"self.grad += (out.data if x in {visible} else x) * out.grad", "04.exp", "",
    )  # fmt: skip
    check = operations.exponential
    given = namespace(NB, tuned)
    results = [judged(check, case, given) for case in check.cases(random.Random(0))]
    assert results[0].passed and not any(r.passed for r in results[1:]), results
