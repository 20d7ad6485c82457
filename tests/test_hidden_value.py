"""The grader's hidden cases of 01_value: the solved answers pass every draw, mistakes fail them.

The hidden cases are what makes a forged or tuned answer fail, so each must accept every
correct answer (here: the solved notebook's, for many seeds) and reject a wrong one.
"""

from __future__ import annotations

import json
import random

import pytest
from notebook_runner import SOLVED, load

from autograd_helpers import probes
from autograd_helpers.checks import value
from autograd_helpers.checks._core import verdict

CHECKS = [value.init, value.representation, value.add, value.mul, value.expression]


def _solved(edit=lambda src: src) -> dict:
    """The solved notebook's exercise cells run in a namespace of their own."""
    namespace: dict = {}
    for cell in load(SOLVED / "01_value.ipynb")["cells"]:
        if "exercise" in cell["metadata"].get("tags", []):
            exec(edit(cell["source"]), namespace)  # noqa: S102  (our own solved notebook)
    return namespace


def _verdicts(check, namespace: dict, seed: int) -> list:
    out = []
    for case in check.cases(random.Random(seed)):
        data = json.loads(probes.encode(probes.collect(check.test_id, case, namespace)))
        out.append(verdict(check, data, case))
    return out


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.test_id)
def test_the_solved_answers_pass_every_hidden_case(check):
    namespace = _solved()
    for seed in range(200):
        results = _verdicts(check, namespace, seed)
        assert len(results) > 1, "no hidden case"
        assert all(r.passed for r in results), (seed, [r.text for r in results])


def test_an_answer_tuned_to_the_visible_numbers_fails_the_hidden_ones():
    namespace = _solved(
        lambda src: src.replace(
            "self.data + other.data",
            "(-1.0 if (self.data, other.data) == (2.0, -3.0) else 0.0)",
        )
    )
    results = _verdicts(value.add, namespace, 0)
    assert results[0].passed and not any(r.passed for r in results[1:]), results
