"""The grader's hidden cases of 06_mlp: every correct answer passes them, for every seed.

Each check of 06 has cases the grader draws (other sizes, weights and inputs). Here the
probes run on the solved notebook's Neuron, Layer and MLP (and on every alternative of
tests/alternatives/nb06.py) for each hidden case of seeds 0..199, the data goes through
JSON as the grader reads it, and the judge must pass it. Then the other way round: the
mistakes of tests/mistakes/nb06.py fail the hidden cases too, and an answer replayed from
the notebook's own case fails every hidden one.
"""

import random

import pytest
from alternatives.nb06 import ALTERNATIVES
from hidden_cases import (
    assert_passes,
    assert_replay_fails,
    assert_sound_cases,
    hidden_verdicts,
    judged,
    namespace,
    seeds,
)
from mistakes.nb06 import MISTAKES

from autograd_helpers.checks import mlp  # noqa: F401  (registers the judges)
from autograd_helpers.checks._core import JUDGES
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
SEEDS = seeds(200)


def classes(edit=None) -> dict:
    """Neuron, Layer, MLP and Value as the solved notebook (with ``edit``) defines them."""
    return namespace(NB, edit, cells=CELLS)


@pytest.mark.parametrize("test_id", TEST_IDS)
def test_every_check_has_hidden_cases(test_id):
    assert_sound_cases(test_id, least=1)


@pytest.mark.parametrize("test_id", TEST_IDS)
def test_the_solved_notebook_passes_every_hidden_case(test_id):
    assert_passes([test_id], classes(), SEEDS)


@pytest.mark.parametrize("alt", ALTERNATIVES, ids=lambda a: a.name)
def test_every_alternative_passes_the_hidden_cases(alt):
    assert_passes(TEST_IDS, classes(alt), seeds(200)[::10])


@pytest.mark.parametrize("mistake", MISTAKES, ids=lambda m: m.name)
def test_mistakes_fail_the_hidden_cases_too(mistake):
    given = classes(mistake)
    for seed, case, result in hidden_verdicts(mistake.test_id, given, range(0, 200, 20)):
        assert not result.passed, (mistake.name, seed, case)
        assert not result.malformed, result.text
        if not any(ch.isdigit() for ch in mistake.says):  # the numbers are the notebook's
            assert mistake.says.lower() in result.text.lower(), (seed, case, result.text)


@pytest.mark.parametrize("test_id", TEST_IDS)
def test_the_notebooks_answer_replayed_fails_every_hidden_case(test_id):
    assert_replay_fails(test_id, classes())


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
        for case in JUDGES["06.neuron_forward"].hidden(random.Random(seed)):
            assert (
                "x[0] was left out" in judged("06.neuron_forward", case, {"Neuron": Dropped}).text
            )
            assert (
                "both the bias and tanh"
                in judged("06.neuron_forward", case, {"Neuron": Linear}).text
            )
