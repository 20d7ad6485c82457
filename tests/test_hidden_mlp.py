"""The grader's hidden cases of 06_mlp: every correct answer passes them, for every seed.

Each check of 06 has cases the grader draws (other sizes, weights and inputs). Here the
probes run on the solved notebook's Neuron, Layer and MLP (and on every alternative of
tests/alternatives/nb06.py) for each hidden case of seeds 0..199, the data goes through
JSON as the grader reads it, and the judge must pass it. Then the other way round: the
mistakes of tests/mistakes/nb06.py fail the hidden cases too, and an answer replayed from
the notebook's own case fails every hidden one.
"""

import contextlib
import io
import json
import random

import pytest
from alternatives.nb06 import ALTERNATIVES
from mistakes.nb06 import MISTAKES
from notebook_runner import SOLVED, load

from autograd_helpers import probes
from autograd_helpers.checks import mlp  # noqa: F401  (registers the judges)
from autograd_helpers.checks._core import JUDGES, verdict
from solutions.engine import Value

NB = "06_mlp"
CELLS = ("code-02", "ex-neuron", "ex-layer", "ex-mlp")
TEST_IDS = (
    "06.neuron_parameters",
    "06.neuron_forward",
    "06.layer",
    "06.mlp_parameters",
    "06.mlp_forward",
)
SEEDS = range(200)


def _sources(edits=()) -> dict:
    nb = load(SOLVED / f"{NB}.ipynb")
    for edit in edits:
        nb = edit.apply(nb)
    by_id = {c.get("id"): c for c in nb["cells"]}
    return {cid: "".join(by_id[cid]["source"]) for cid in CELLS}


def classes(edits=()) -> dict:
    """Neuron, Layer, MLP and Value as the solved notebook (with ``edits``) defines them."""
    namespace: dict = {"__name__": "__learner__"}
    for cid, src in _sources(edits).items():
        with contextlib.redirect_stdout(io.StringIO()):
            try:
                exec(compile(src, f"<{NB} {cid}>", "exec"), namespace)
            except Exception:  # a mistake's own example line may raise: the checks say why
                pass
    return {name: namespace[name] for name in ("Neuron", "Layer", "MLP", "Value")}


def judged(test_id: str, case: dict, given: dict):
    """The verdict on what the probe reports for ``case``, read back through JSON."""
    data = json.loads(probes.encode(probes.collect(test_id, case, given)))
    return verdict(JUDGES[test_id], data, case)


def hidden_cases(test_id: str, seed: int) -> list[dict]:
    return JUDGES[test_id].cases(random.Random(seed))[1:]


def test_every_check_has_hidden_cases():
    for test_id in TEST_IDS:
        cases = hidden_cases(test_id, 0)
        assert 1 <= len(cases) <= 4, test_id
        assert all(case != JUDGES[test_id].visible for case in cases), test_id


def test_hidden_cases_are_json_and_deterministic():
    for test_id in TEST_IDS:
        for seed in (0, 1, 2):
            cases = hidden_cases(test_id, seed)
            assert json.loads(json.dumps(cases)) == cases
            assert hidden_cases(test_id, seed) == cases


@pytest.mark.parametrize("test_id", TEST_IDS)
def test_the_solved_notebook_passes_every_hidden_case(test_id):
    given = classes()
    assert judged(test_id, JUDGES[test_id].visible, given).passed
    for seed in SEEDS:
        for case in hidden_cases(test_id, seed):
            result = judged(test_id, case, given)
            assert result.passed, (seed, case, result.text)


@pytest.mark.parametrize("alt", ALTERNATIVES, ids=lambda a: a.name)
def test_every_alternative_passes_the_hidden_cases(alt):
    given = classes([alt])
    for test_id in TEST_IDS:
        for seed in range(0, 200, 10):
            for case in hidden_cases(test_id, seed):
                result = judged(test_id, case, given)
                assert result.passed, (alt.name, test_id, seed, case, result.text)


@pytest.mark.parametrize("mistake", MISTAKES, ids=lambda m: m.name)
def test_mistakes_fail_the_hidden_cases_too(mistake):
    given = classes([mistake])
    for seed in range(0, 200, 20):
        for case in hidden_cases(mistake.test_id, seed):
            result = judged(mistake.test_id, case, given)
            assert not result.passed, (mistake.name, seed, case)
            assert not result.malformed, result.text
            if not any(ch.isdigit() for ch in mistake.says):  # the numbers are the notebook's
                assert mistake.says.lower() in result.text.lower(), (seed, case, result.text)


@pytest.mark.parametrize("test_id", TEST_IDS)
def test_the_notebooks_answer_replayed_fails_every_hidden_case(test_id):
    check = JUDGES[test_id]
    answer = json.loads(probes.encode(probes.collect(test_id, check.visible, classes())))
    assert verdict(check, answer, check.visible).passed
    for seed in range(20):
        for case in hidden_cases(test_id, seed):
            assert not verdict(check, answer, case).passed, (seed, case)


def test_a_hidden_neuron_names_each_mistake():
    """Hidden weights keep every mistake's number apart from the right one."""

    class Dropped:  # input x[k] left out of the sum
        def __init__(self, nin):
            self.w = [Value(random.uniform(-1, 1)) for _ in range(nin)]
            self.b = Value(random.uniform(-1, 1))

        def __call__(self, x):
            return sum((wi * xi for wi, xi in list(zip(self.w, x))[1:]), self.b).tanh()

        def parameters(self):
            return self.w + [self.b]

    class Linear(Dropped):  # neither bias nor tanh
        def __call__(self, x):
            return sum((wi * xi for wi, xi in zip(self.w, x)), Value(0.0))

    for seed in range(50):
        for case in hidden_cases("06.neuron_forward", seed):
            assert (
                "x[0] was left out" in judged("06.neuron_forward", case, {"Neuron": Dropped}).text
            )
            assert (
                "both the bias and tanh"
                in judged("06.neuron_forward", case, {"Neuron": Linear}).text
            )
