"""The grader's hidden cases of 08_bonus_moons: right answers pass them all, wrong ones fail.

For every check with hidden cases, and the seeds 0..199 the grader may draw with, the
probe runs on the solved notebook's functions (defined, not run: no training) and the judge
must pass each case; every alternative answer (tests/alternatives/nb08.py) and every
catalogued mistake (tests/mistakes/nb08.py) is tried on fewer seeds.
"""

import ast
import json
import random

import pytest
from alternatives import all_alternatives
from mistakes import all_mistakes
from notebook_runner import SOLVED, load

from autograd_helpers import probes
from autograd_helpers.checks import moons
from autograd_helpers.checks._core import JUDGES, verdict

NB = "08_bonus_moons"
CELLS = ["code-02", "ex-count", "ex-loss", "ex-accuracy", "ex-train-step", "ex-train"]
HIDDEN = [moons.parameters, moons.loss, moons.accuracy, moons.train_step, moons.train]
SEEDS = range(200)
FEW_SEEDS = range(5)


def answers(edits=()) -> dict:
    """The solved notebook's imports and functions, with ``edits`` (alternatives or
    mistakes) applied; the cells' other lines (training, printing) are not run."""
    nb = load(SOLVED / f"{NB}.ipynb")
    for edit in edits:
        nb = edit.apply(nb)
    by_id = {c.get("id"): c for c in nb["cells"]}
    namespace: dict = {"__name__": "answers"}
    for cell_id in CELLS:
        tree = ast.parse(by_id[cell_id]["source"])
        kept = (ast.Import, ast.ImportFrom, ast.FunctionDef)
        tree.body = [node for node in tree.body if isinstance(node, kept)]
        exec(compile(tree, f"<{cell_id}>", "exec"), namespace)
    return namespace


def judged(check, case: dict, namespace: dict):
    """The verdict on one case, the probe's data passed through JSON as the grader reads it."""
    data = probes.collect(check.test_id, case, given=namespace)
    return verdict(check, json.loads(probes.encode(data)), case)


def hidden_cases(check, seeds) -> list[dict]:
    return [case for seed in seeds for case in check.hidden(random.Random(seed))]


def test_every_check_with_hidden_cases_is_tried():
    have_hidden = {t for t, c in JUDGES.items() if t.startswith("08.") and c.hidden is not None}
    assert have_hidden == {c.test_id for c in HIDDEN}


@pytest.mark.parametrize("check", HIDDEN, ids=lambda c: c.test_id)
def test_solved_answers_pass_every_hidden_case(check):
    namespace = answers()
    assert judged(check, check.visible, namespace).passed
    for seed in SEEDS:
        cases = check.hidden(random.Random(seed))
        assert len(cases) == 1  # moons checks train or loop: one cheap hidden case each
        if seed < 3:
            assert cases == check.hidden(random.Random(seed))  # the same seed, the same draw
        result = judged(check, cases[0], namespace)
        assert result.passed, f"seed {seed}: {result.text}"


ALTERNATIVES = [alt for alt in all_alternatives() if alt.notebook == NB]


@pytest.mark.parametrize("alternative", ALTERNATIVES, ids=lambda a: a.name)
def test_alternatives_pass_the_hidden_cases(alternative):
    namespace = answers([alternative])
    for check in HIDDEN:
        for case in hidden_cases(check, FEW_SEEDS):
            result = judged(check, case, namespace)
            assert result.passed, f"{check.test_id}: {result.text}"


MISTAKES = [m for m in all_mistakes() if m.notebook == NB]


@pytest.mark.parametrize("mistake", MISTAKES, ids=lambda m: m.name)
def test_mistakes_fail_the_hidden_cases_too(mistake):
    namespace = answers([mistake])
    check = JUDGES[mistake.test_id]
    for case in hidden_cases(check, FEW_SEEDS):
        result = judged(check, case, namespace)
        assert not result.passed and not result.malformed, case


def test_answers_tuned_to_the_visible_numbers_fail():
    visible = {(nin, tuple(nouts)): moons.mlp_parameters(nin, nouts) for nin, nouts in moons.SHAPES}

    def count_parameters(nin, nouts):
        return visible.get((nin, tuple(nouts)), 0)

    right = moons.expected_accuracy(moons.ACC_SCORES, moons.ACC_LABELS)

    def accuracy(scores, ys):
        return right

    namespace = {**answers(), "count_parameters": count_parameters, "accuracy": accuracy}
    for check in (moons.parameters, moons.accuracy):
        assert judged(check, check.visible, namespace).passed
        passed = [judged(check, c, namespace).passed for c in hidden_cases(check, SEEDS)]
        assert sum(passed) < 0.1 * len(passed)  # a constant is right now and then
