"""The grader's hidden cases of 07_training: every correct answer passes them, for any seed.

Each check's ``hidden(rng)`` draws inputs the notebook never shows. Here the probe runs on
the solved notebook's functions (and on every alternative answer of tests/alternatives/nb07.py),
its answer goes through JSON as the grader reads it, and the judge must pass it. Training
checks have one short hidden run each, so this stays quick.
"""

from __future__ import annotations

import ast
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
from mistakes.nb07 import MISTAKES

from autograd_helpers.checks import training
from autograd_helpers.checks._core import JUDGES

STEM = "07_training"
HIDDEN = sorted(t for t, c in JUDGES.items() if t.startswith("07.") and c.hidden is not None)
SEEDS = seeds(200)


NETWORKS = {"fresh_mlp", "train"}  # calls that leave the notebook's `n` as a kernel has it


def _keep(node: ast.stmt) -> bool:
    """Definitions, imports, literal data (xs, ys) and the network ``n`` the demo cells
    leave (``n = fresh_mlp()``, ``losses = train(n, ...)``): not the plots. A train that
    works on that ``n`` instead of its argument must meet it here as in a kernel."""
    if definitions(node):
        return True
    if isinstance(node, ast.Assign) and all(isinstance(t, ast.Name) for t in node.targets):
        call = node.value
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Name):
            return call.func.id in NETWORKS
        try:
            ast.literal_eval(node.value)
        except ValueError:
            return False
        return True
    return False


def answers(edit=None) -> dict:
    """The notebook's functions and data, defined as running its cells would define them."""
    return namespace(STEM, edit, keep=_keep)


@pytest.fixture(scope="module")
def solved() -> dict:
    return answers()


def test_every_check_with_hidden_cases_is_covered():
    assert HIDDEN == ["07.learning_rates", "07.loss", "07.train", "07.update", "07.zero_grad"]
    assert training.loss.hidden is not None  # the notebook's names are the checks


@pytest.mark.parametrize("test_id", HIDDEN)
def test_the_solved_answer_passes_every_hidden_case(test_id, solved):
    assert_passes([test_id], solved, SEEDS)


@pytest.mark.parametrize(
    "alt", [a for a in all_alternatives() if a.notebook == STEM], ids=lambda a: a.name
)
def test_every_alternative_passes_the_hidden_cases(alt):
    assert_passes(HIDDEN, answers(alt), range(10))


def test_hidden_cases_differ_from_the_notebooks():
    for test_id in HIDDEN:
        assert_sound_cases(test_id, least=1)
        check = JUDGES[test_id]
        drawn = [c for seed in range(20) for c in check.hidden(random.Random(seed))]
        assert all(set(c) == set(check.visible) for c in drawn), test_id


def test_an_answer_that_memorised_the_notebooks_run_fails_the_hidden_one(solved):
    xs, ys = list(training.XS), list(training.YS)
    runs = {  # what the notebook's two runs return, learnt by heart
        (steps, lr): solved["train"](training.fresh_network(), xs, ys, steps, lr, progress=False)
        for steps, lr in [(12, 0.05), (6, 0.01)]
    }

    def train(mlp, xs, ys, steps, lr, progress=True):
        return list(runs.get((steps, lr), runs[12, 0.05]))[:steps]

    env = {**solved, "train": train}
    visible, hidden = JUDGES["07.train"].cases(random.Random(0))
    assert not judged("07.train", visible, env).passed  # the weights never moved
    result = judged("07.train", hidden, env)
    assert not result.passed and "train(mlp, xs, ys, steps=4" in result.text, result.text


def test_hidden_messages_name_the_hidden_inputs(solved):
    def mean(ys_pred, ys_gt):
        return solved["loss_fn"](ys_pred, ys_gt) / len(ys_gt)

    case = JUDGES["07.loss"].hidden(random.Random(3))[0]
    result = judged("07.loss", case, {**solved, "loss_fn": mean})
    assert not result.passed and "the mean of the squared errors" in result.text
    assert f"loss_fn({case['pred']} as Values, {case['gt']})" in result.text

    def fixed_step(parameters, lr):
        for p in parameters:
            p.data += -0.01 * p.grad

    case = JUDGES["07.update"].hidden(random.Random(3))[0]
    result = judged("07.update", case, {**solved, "update": fixed_step})
    assert not result.passed and "the learning rate lr is ignored" in result.text
    assert f"lr={case['lr']}" in result.text


@pytest.mark.parametrize("mistake", MISTAKES, ids=lambda m: m.name)
def test_hidden_cases_name_every_mistake_of_the_catalog(mistake):
    for seed, case, result in hidden_verdicts(mistake.test_id, answers(mistake), range(5)):
        assert not result.passed and mistake.says in result.text, (seed, case, result.text)
