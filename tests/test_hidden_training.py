"""The grader's hidden cases of 07_training: every correct answer passes them, for any seed.

Each check's ``hidden(rng)`` draws inputs the notebook never shows. Here the probe runs on
the solved notebook's functions (and on every alternative answer of tests/alternatives/nb07.py),
its answer goes through JSON as the grader reads it, and the judge must pass it. Training
checks have one short hidden run each, so this stays quick.
"""

from __future__ import annotations

import ast
import json
import random

import pytest
from alternatives import all_alternatives
from mistakes.nb07 import MISTAKES
from notebook_runner import SOLVED, load

from autograd_helpers import probes
from autograd_helpers.checks import training
from autograd_helpers.checks._core import JUDGES, verdict

STEM = "07_training"
HIDDEN = sorted(t for t, c in JUDGES.items() if t.startswith("07.") and c.hidden is not None)
SEEDS = range(200)


def _source(cell: dict) -> str:
    src = cell["source"]
    return src if isinstance(src, str) else "".join(src)


def _keep(node: ast.stmt) -> bool:
    """Definitions, imports and literal data (xs, ys): not the demo calls, nor the plots."""
    if isinstance(node, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.ClassDef)):
        return True
    if isinstance(node, ast.Assign) and all(isinstance(t, ast.Name) for t in node.targets):
        try:
            ast.literal_eval(node.value)
        except ValueError:
            return False
        return True
    return False


def namespace(nb: dict) -> dict:
    """The notebook's functions and data, defined as running its cells would define them."""
    env: dict = {"__name__": "notebook"}
    for cell in nb["cells"]:
        tags = cell.get("metadata", {}).get("tags", [])
        if cell["cell_type"] != "code" or "setup" in tags or "hidden-test" in tags:
            continue
        tree = ast.parse(_source(cell))
        tree.body = [node for node in tree.body if _keep(node)]
        exec(compile(tree, f"<{STEM} {cell.get('id')}>", "exec"), env)
    return env


def judged(test_id: str, case: dict, env: dict):
    """The judge's verdict on the probe's answer for one case, read back as the grader does."""
    data = json.loads(probes.encode(probes.collect(test_id, case, env)))
    return verdict(JUDGES[test_id], data, case)


@pytest.fixture(scope="module")
def solved() -> dict:
    return namespace(load(SOLVED / f"{STEM}.ipynb"))


def test_every_check_with_hidden_cases_is_covered():
    assert HIDDEN == ["07.learning_rates", "07.loss", "07.train", "07.update", "07.zero_grad"]
    assert training.loss.hidden is not None  # the notebook's names are the checks


@pytest.mark.parametrize("test_id", HIDDEN)
def test_the_solved_answer_passes_every_hidden_case(test_id, solved):
    check = JUDGES[test_id]
    assert judged(test_id, check.visible, solved).passed
    for seed in SEEDS:
        for case in check.hidden(random.Random(seed)):
            result = judged(test_id, case, solved)
            assert result.passed, f"seed {seed}, {case}: {result.text}"


@pytest.mark.parametrize(
    "alt", [a for a in all_alternatives() if a.notebook == STEM], ids=lambda a: a.name
)
def test_every_alternative_passes_the_hidden_cases(alt):
    env = namespace(alt.apply(load(SOLVED / f"{STEM}.ipynb")))
    for test_id in HIDDEN:
        for seed in range(10):
            for case in JUDGES[test_id].cases(random.Random(seed))[1:]:
                result = judged(test_id, case, env)
                assert result.passed, f"{test_id}, seed {seed}, {case}: {result.text}"


def test_hidden_cases_differ_from_the_notebooks():
    for test_id in HIDDEN:
        check = JUDGES[test_id]
        drawn = [c for seed in range(20) for c in check.hidden(random.Random(seed))]
        assert drawn and all(c != check.visible for c in drawn), test_id
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
    env = namespace(mistake.apply(load(SOLVED / f"{STEM}.ipynb")))
    for seed in range(5):
        for case in JUDGES[mistake.test_id].hidden(random.Random(seed)):
            result = judged(mistake.test_id, case, env)
            assert not result.passed and mistake.says in result.text, (seed, case, result.text)
