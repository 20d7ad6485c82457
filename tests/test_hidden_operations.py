"""The grader's hidden cases of 04_operations: the solved answers pass every draw, mistakes fail.

The hidden cases (other operands, constants and exponents) are what makes a forged or tuned
answer fail, so each must accept every correct answer (here: the solved notebook's, for
many seeds; tests/alternatives/ runs in the notebooks) and reject a wrong one.
"""

from __future__ import annotations

import contextlib
import io
import json
import random

import pytest
from mistakes.nb04 import MISTAKES
from notebook_runner import SOLVED, load

from autograd_helpers import probes
from autograd_helpers.checks import operations
from autograd_helpers.checks._core import JUDGES, verdict

CHECKS = [
    operations.constants,
    operations.reflected,
    operations.subtraction,
    operations.power,
    operations.division,
    operations.exponential,
    operations.tanh,
    operations.sum_of_values,
    operations.together,
]


def _notebook(nb: dict | None = None) -> dict:
    """The notebook's code cells (not the setup, not the checks) run in a namespace of their
    own; a cell that raises (a mistake's) is left behind, as in a kernel."""
    namespace: dict = {"__name__": "nb04"}
    for cell in (nb or load(SOLVED / "04_operations.ipynb"))["cells"]:
        tags = cell["metadata"].get("tags", [])
        if cell["cell_type"] != "code" or {"setup", "hidden-test"} & set(tags):
            continue
        src = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(Exception):
            exec(compile(src, "<04_operations>", "exec"), namespace)  # noqa: S102  (our notebook)
    return namespace


@pytest.fixture(scope="module")
def solved() -> dict:
    return _notebook()


def _verdicts(check, namespace: dict, seed: int) -> list:
    out = []
    for case in check.cases(random.Random(seed)):
        data = json.loads(probes.encode(probes.collect(check.test_id, case, namespace)))
        out.append(verdict(check, data, case))
    return out


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.test_id)
def test_the_solved_answers_pass_every_hidden_case(check, solved):
    for seed in range(200):
        results = _verdicts(check, solved, seed)
        assert len(results) > 1, "no hidden case"
        assert all(r.passed for r in results), (seed, [r.text for r in results])


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.test_id)
def test_hidden_cases_are_drawn_again_for_every_seed(check):
    assert check.cases(random.Random(0))[1:] != check.cases(random.Random(1))[1:]
    assert check.cases(random.Random(7)) == check.cases(random.Random(7))


@pytest.mark.parametrize("mistake", MISTAKES, ids=lambda m: m.name)
def test_every_mistake_fails_the_hidden_cases_too(mistake):
    namespace = _notebook(mistake.apply(load(SOLVED / "04_operations.ipynb")))
    check = JUDGES[mistake.test_id]
    for seed in range(5):
        results = _verdicts(check, namespace, seed)
        assert not any(r.passed for r in results), (seed, [r.text for r in results])


def test_an_answer_tuned_to_the_visible_numbers_fails_the_hidden_ones():
    # exp's derivative right only where the notebook's check evaluates exp, x elsewhere
    visible = "(2.0, -1.0, 0.0, 1.5, -0.5, 0.3)"
    nb = load(SOLVED / "04_operations.ipynb")
    cell = next(c for c in nb["cells"] if c.get("id") == "ex-exp")
    cell["source"] = cell["source"].replace(
        "self.grad += out.data * out.grad",
        f"self.grad += (out.data if x in {visible} else x) * out.grad",
    )
    results = _verdicts(operations.exponential, _notebook(nb), 0)
    assert results[0].passed and not any(r.passed for r in results[1:]), results
