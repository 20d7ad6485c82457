"""The grader's hidden cases of 00_setup: every correct answer passes them, for any seed.

The solved notebook's cells run here in-process, as a learner runs them (and again with
each alternative of tests/alternatives/nb00.py spliced in); for seeds 0..199 every hidden
case of every check goes the grader's way: the case as the literal the grader sends, the
probe's answer (``probes.collect``) through JSON, then the judge (``verdict``). Each
mistake of tests/mistakes/nb00.py fails the hidden cases too.
"""

from __future__ import annotations

import ast
import contextlib
import io
import json
import random

import pytest
from alternatives import all_alternatives
from mistakes import all_mistakes
from notebook_runner import SOLVED, check_id, load

from autograd_helpers import probes
from autograd_helpers.checks import setup
from autograd_helpers.checks._core import Check, verdict

STEM = "00_setup"
SEEDS = range(200)
CHECKS = {c.test_id: c for c in (setup.slope, setup.function, setup.derivative, setup.partials)}
SOLVED_NB = load(SOLVED / f"{STEM}.ipynb")


def learner_objects(nb: dict) -> dict:
    """What the notebook's cells define, run in order (errors do not stop the run)."""
    namespace: dict = {}
    for cell in nb["cells"]:
        tags = cell.get("metadata", {}).get("tags", [])
        if cell["cell_type"] != "code" or "exercise" not in tags:
            continue
        with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(Exception):
            exec(compile(cell["source"], f"<cell {cell['id']}>", "exec"), namespace)
    return namespace


def judged(check: Check, objects: dict, case: dict):
    """The verdict on one case, reached as the grader reaches it."""
    case = ast.literal_eval(repr(case))  # the request's literal, as the kernel reads it
    data = json.loads(probes.encode(probes.collect(check.test_id, case, objects)))
    return verdict(check, data, case)


def hidden_failures(objects: dict, checks=None, seeds=SEEDS) -> list[str]:
    failures = []
    for check in checks or CHECKS.values():
        for seed in seeds:
            for case in check.cases(random.Random(seed))[1:]:
                result = judged(check, objects, case)
                if not result.passed:
                    failures.append(f"{check.test_id} seed {seed} {case}: {result.text}")
    return failures


def checks_after(cell_id: str) -> list[Check]:
    """The checks from the exercise cell ``cell_id`` on: those an answer there can change."""
    ids = [c["id"] for c in SOLVED_NB["cells"]]
    later = SOLVED_NB["cells"][ids.index(cell_id) :]
    found = [check_id(c) for c in later if "hidden-test" in c["metadata"].get("tags", [])]
    return [CHECKS[test_id] for test_id in found]


def test_every_check_has_hidden_cases_that_vary_with_the_seed():
    for check in CHECKS.values():
        first, again = check.cases(random.Random(0)), check.cases(random.Random(0))
        assert first == again, f"{check.test_id}: the same seed draws different cases"
        assert 2 <= len(first) - 1 <= 4, f"{check.test_id}: {len(first) - 1} hidden cases"
        assert first[0] == check.visible
        assert all(case != check.visible for case in first[1:])
        others = {repr(check.cases(random.Random(seed))[1:]) for seed in range(20)}
        assert len(others) > 10, f"{check.test_id}: hidden cases hardly vary with the seed"


def test_the_visible_case_passes_as_the_notebook_shows_it():
    objects = learner_objects(SOLVED_NB)
    for check in CHECKS.values():
        result = judged(check, objects, check.visible)
        assert result.passed, f"{check.test_id}: {result.text}"


def test_solved_answers_pass_every_hidden_case():
    failures = hidden_failures(learner_objects(SOLVED_NB))
    assert not failures, "\n".join(failures[:10])


@pytest.mark.parametrize(
    "alternative",
    [a for a in all_alternatives() if a.notebook == STEM],
    ids=lambda a: a.name,
)
def test_alternatives_pass_every_hidden_case(alternative):
    objects = learner_objects(alternative.apply(SOLVED_NB))
    failures = hidden_failures(objects, checks_after(alternative.cell))
    assert not failures, "\n".join(failures[:10])


@pytest.mark.parametrize(
    "mistake", [m for m in all_mistakes() if m.notebook == STEM], ids=lambda m: m.name
)
def test_mistakes_fail_the_hidden_cases(mistake):
    """Each seed's hidden cases catch the mistake (an answer tuned to the visible case too)."""
    check = CHECKS[mistake.test_id]
    objects = learner_objects(mistake.apply(SOLVED_NB))
    for seed in range(50):
        results = [judged(check, objects, c) for c in check.cases(random.Random(seed))[1:]]
        assert not all(r.passed for r in results), f"seed {seed}: every hidden case passes"
        assert not any(r.malformed for r in results), [r.text for r in results]


def test_an_answer_tuned_to_the_visible_case_fails():
    def slope(x1, y1, x2, y2):
        return {(1, 2, 3, 8): 3.0, (0, 5, 2, 1): -2.0}.get((x1, y1, x2, y2), 0.0)

    def f(x):
        return {3.0: 20.0, 0.0: 5.0, -2.0: 25.0, 0.5: 3.75}.get(x, 11 / 3)

    tuned = {"slope": slope, "f": f}
    for test_id in ("00.slope", "00.f"):
        for seed in range(20):
            failures = hidden_failures(tuned, [CHECKS[test_id]], [seed])
            assert failures, f"{test_id}: a tuned answer passes seed {seed}'s cases"
