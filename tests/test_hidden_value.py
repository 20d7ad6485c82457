"""The grader's hidden cases of 01_value: the solved answers pass every draw, mistakes fail them.

The hidden cases are what makes a forged or tuned answer fail, so each must accept every
correct answer (here: the solved notebook's, for many seeds) and reject a wrong one.
"""

from __future__ import annotations

import random

import pytest
from hidden_cases import assert_passes, assert_sound_cases, judged, namespace, seeds
from mistakes import Mistake

from autograd_helpers.checks import value

NB = "01_value"
CHECKS = [value.init, value.representation, value.add, value.mul, value.expression]


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.test_id)
def test_the_solved_answers_pass_every_hidden_case(check):
    assert_sound_cases(check.test_id)
    assert_passes([check], namespace(NB), seeds(200))


def test_an_answer_tuned_to_the_visible_numbers_fails_the_hidden_ones():
    tuned = Mistake(
        "add_tuned", NB, "ex-add", "self.data + other.data",
        "(-1.0 if (self.data, other.data) == (2.0, -3.0) else 0.0)", "01.add", "",
    )  # fmt: skip
    given = namespace(NB, tuned)
    results = [judged(value.add, case, given) for case in value.add.cases(random.Random(0))]
    assert results[0].passed and not any(r.passed for r in results[1:]), results


@pytest.mark.parametrize(
    "kids, expected, same",
    [
        (["b", "a"], ["a", "b"], True),  # any order
        (["a"], ["a", "a"], True),  # a set holds a+a's operand once
        (["a", "a"], ["a", "a"], True),  # a tuple holds it twice
        (["a", "a", "b"], ["a", "b"], False),  # a child too many
        (["a"], ["a", "b"], False),
        (["a", "Value(data=-3.0)"], ["a", "b"], False),  # a copy of b, not b
        (["a", {"other": "Value(data=-3.0)"}], ["a", "b"], False),  # an unnamed child
    ],
)
def test_same_children_of_01_and_03(kids, expected, same):
    assert value.same_children(kids, expected) is same
