"""The checks of 06_mlp and 07_training accept correct answers however they are written.

The notebooks' mistake catalog (tests/mistakes/nb06.py, nb07.py) proves they catch wrong
ones; here, answers written differently from the solved notebook must pass, and the
answer key must be refused.
"""

import random

import pytest
from lecture_values import LectureValue

from autograd_helpers.checks import mlp as mlp_checks
from autograd_helpers.checks import training as training_checks
from autograd_helpers.checks._core import CheckFailed
from solutions import nn as reference
from solutions.engine import Value

# --- 06: a network written in another style -------------------------------------------------


class SlotNeuron:
    """weights/bias names, a tuple of weights, __slots__, a loop instead of sum()."""

    __slots__ = ("weights", "bias")

    def __init__(self, nin):
        self.weights = tuple(Value(random.uniform(-1, 1)) for _ in range(nin))
        self.bias = Value(random.uniform(-1, 1))

    def __call__(self, x):
        act = self.bias
        for w, xi in zip(self.weights, x):
            act = act + w * xi
        return act.tanh()

    def parameters(self):
        return [*self.weights, self.bias]


class SumFromZeroNeuron:
    """Bias drawn first, sum() starting at 0, the bias added at the end, `tanh` via exp."""

    def __init__(self, nin):
        self.b = Value(random.uniform(-1, 1))
        self.w = [Value(random.uniform(-1, 1)) for _ in range(nin)]

    def __call__(self, x):
        act = sum(wi * xi for wi, xi in zip(self.w, x)) + self.b
        e = (2 * act).exp()
        return (e - 1) / (e + 1)

    def parameters(self):
        params = list(self.w)
        params.append(self.b)
        return params


class OneListNeuron:
    """Weights and bias in one list: only parameters() order tells them apart."""

    def __init__(self, nin):
        self.params = [Value(random.uniform(-1, 1)) for _ in range(nin + 1)]

    def __call__(self, x):
        *w, b = self.params
        return sum((wi * xi for wi, xi in zip(w, x)), b).tanh()

    def parameters(self):
        return list(self.params)


def make_layer(neuron_cls):
    class TupleLayer:
        """Neurons in a tuple, outputs as a tuple, parameters gathered with extend."""

        def __init__(self, nin, nout):
            self.units = tuple(neuron_cls(nin) for _ in range(nout))

        def __call__(self, x):
            outs = tuple(unit(x) for unit in self.units)
            return outs[0] if len(outs) == 1 else outs

        def parameters(self):
            params = []
            for unit in self.units:
                params.extend(unit.parameters())
            return params

    return TupleLayer


def make_mlp(layer_cls):
    class StackMLP:
        def __init__(self, nin, nouts):
            sizes = [nin, *nouts]
            self.stack = [layer_cls(a, b) for a, b in zip(sizes, sizes[1:])]

        def __call__(self, x):
            out = x
            for layer in self.stack:
                out = layer(out)
            return out

        def parameters(self):
            return [p for layer in self.stack for p in layer.parameters()]

    return StackMLP


NEURONS = [SlotNeuron, SumFromZeroNeuron, OneListNeuron]


@pytest.mark.parametrize("neuron_cls", NEURONS, ids=lambda c: c.__name__)
def test_06_checks_accept_other_correct_networks(neuron_cls, capsys):
    layer_cls = make_layer(neuron_cls)
    mlp_cls = make_mlp(layer_cls)
    mlp_checks.neuron_parameters(neuron_cls)
    mlp_checks.neuron_forward(neuron_cls)
    mlp_checks.layer(layer_cls, Value=Value)
    mlp_checks.mlp_parameters(mlp_cls)
    mlp_checks.mlp_forward(mlp_cls, Value=Value)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 5 and all(line.startswith("✔ 06.") for line in lines), lines


def test_06_checks_leave_the_notebooks_random_state_alone():
    random.seed(42)
    expected = random.random()
    random.seed(42)
    mlp_checks.mlp_forward(make_mlp(make_layer(SlotNeuron)), Value=Value)
    assert random.random() == expected


@pytest.mark.parametrize(
    ("check", "answer"),
    [
        (mlp_checks.neuron_parameters, reference.Neuron),
        (mlp_checks.layer, reference.Layer),
        (mlp_checks.mlp_forward, reference.MLP),
    ],
)
def test_06_checks_refuse_the_answer_key(check, answer):
    with pytest.raises(CheckFailed, match="reference answer"):
        check(answer)


def test_06_a_graph_cut_between_layers_is_named():
    class CutMLP(make_mlp(make_layer(SlotNeuron))):
        def __call__(self, x):
            for layer in self.stack[:-1]:
                x = [Value(v.data) for v in layer(x)]  # new leaves: the graph stops here
            return self.stack[-1](x)

    with pytest.raises(CheckFailed, match="graph is cut"):
        mlp_checks.mlp_forward(CutMLP, Value=Value)


# --- 07: the training pieces written in another style -----------------------------------------


def loss_fn(ys_pred, ys_gt):
    total = Value(0)
    for target, pred in zip(ys_gt, ys_pred):
        total = total + (target - pred) * (target - pred)
    return total


def zero_grad(parameters):
    for p in parameters:
        p.grad = 0


def update(parameters, lr):
    for p in parameters:
        p.data -= lr * p.grad


def train(mlp, xs, ys, steps, lr):  # no progress argument, mlp.zero_grad(), a while loop
    losses, step = [], 0
    while step < steps:
        loss = loss_fn([mlp(x) for x in xs], ys)
        mlp.zero_grad()
        loss.backward()
        update(mlp.parameters(), lr)
        losses.append(float(loss.data))
        step += 1
    return losses


def compare_learning_rates(lrs, steps):
    def fresh():
        random.seed(1337)
        return reference.MLP(3, [4, 4, 1])

    return {lr: train(fresh(), training_checks.XS, training_checks.YS, steps, lr) for lr in lrs}


def test_07_checks_accept_other_correct_answers(capsys):
    training_checks.loss(loss_fn, Value=Value)
    training_checks.zero_grads(zero_grad, Value=Value)
    training_checks.update(update, Value=Value)
    training_checks.train(train, MLP=reference.MLP)
    training_checks.learning_rates(compare_learning_rates)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 5 and all(line.startswith("✔ 07.") for line in lines), lines


def test_07_losses_recorded_after_the_update_are_named():
    def train_after(mlp, xs, ys, steps, lr, progress=True):
        losses = []
        for _ in range(steps):
            loss = loss_fn([mlp(x) for x in xs], ys)
            zero_grad(mlp.parameters())
            loss.backward()
            update(mlp.parameters(), lr)
            losses.append(loss_fn([mlp(x) for x in xs], ys).data)
        return losses

    with pytest.raises(CheckFailed, match="measured before the update"):
        training_checks.train(train_after, MLP=reference.MLP)


def test_07_train_that_returns_nothing_is_named():
    with pytest.raises(CheckFailed, match="returned None"):
        training_checks.train(lambda mlp, xs, ys, steps, lr, progress=True: None, MLP=reference.MLP)


# --- the rule: the learner's code only meets the notebook's own Value -----------------------


class OwnNeuron:
    """A neuron of a learner who kept their own engine (the lecture's Value class)."""

    def __init__(self, nin):
        self.w = [LectureValue(random.uniform(-1, 1)) for _ in range(nin)]
        self.b = LectureValue(random.uniform(-1, 1))

    def __call__(self, x):
        return sum((wi * xi for wi, xi in zip(self.w, x)), self.b).tanh()

    def parameters(self):
        return self.w + [self.b]


def test_06_checks_give_a_learners_own_engine_its_own_values(capsys):
    layer_cls = make_layer(OwnNeuron)
    mlp_checks.layer(layer_cls, Value=LectureValue)
    mlp_checks.mlp_forward(make_mlp(layer_cls), Value=LectureValue)
    lines = capsys.readouterr().out.splitlines()
    assert [line[:8] for line in lines] == ["✔ 06.lay", "✔ 06.mlp"], lines


def test_07_checks_give_a_learners_own_engine_its_own_values(capsys):
    def own_loss(ys_pred, ys_gt):  # starts the sum at a Value of the learner's own class
        return sum(((p - g) ** 2 for p, g in zip(ys_pred, ys_gt)), LectureValue(0.0))

    training_checks.loss(own_loss, Value=LectureValue)
    training_checks.zero_grads(zero_grad, Value=LectureValue)
    training_checks.update(update, Value=LectureValue)
    assert capsys.readouterr().out.count("✔ 07.") == 3


# --- wrong answers that used to pass, or were named wrongly ----------------------------------


def neuron_drawing(draw):
    class Drawn(SlotNeuron):
        def __init__(self, nin):
            self.weights = [Value(draw()) for _ in range(nin)]
            self.bias = Value(draw())

    return Drawn


@pytest.mark.parametrize(
    "draw", [lambda: random.uniform(0, 1), random.random], ids=["uniform(0, 1)", "random()"]
)
def test_06_weights_that_are_never_negative_are_named(draw):
    with pytest.raises(CheckFailed, match=r"none is negative.*random\.uniform\(-1, 1\)"):
        mlp_checks.neuron_parameters(neuron_drawing(draw))


def test_06_weights_from_a_narrow_range_are_named():
    with pytest.raises(CheckFailed, match="only part of"):
        mlp_checks.neuron_parameters(neuron_drawing(lambda: random.uniform(-0.1, 0.1)))


def test_06_layers_that_all_take_nin_inputs_are_named():
    class EveryLayerTakesNin(make_mlp(make_layer(SlotNeuron))):
        def __init__(self, nin, nouts):
            self.stack = [make_layer(SlotNeuron)(nin, n) for n in nouts]

    with pytest.raises(CheckFailed, match="layer 1 has 3 inputs, expected 4") as info:
        mlp_checks.mlp_parameters(EveryLayerTakesNin)
    assert "Layer(3, 4), Layer(3, 4), Layer(3, 1)" in str(info.value)


def test_07_update_that_puts_new_values_in_the_list_is_named():
    def replace(parameters, lr):
        for i, p in enumerate(parameters):
            parameters[i] = Value(p.data - lr * p.grad)

    with pytest.raises(CheckFailed, match="replaced the parameters in the list with new Value"):
        training_checks.update(replace, Value=Value)


def test_07_update_that_rebinds_the_name_is_named():
    def rebind(parameters, lr):
        for p in parameters:
            p = p - lr * p.grad  # the mistake: a new Value, the list keeps the old one

    with pytest.raises(CheckFailed, match=r"left every p\.data as it was"):
        training_checks.update(rebind, Value=Value)


def test_07_loss_that_squares_separately_is_named():
    def separately(ys_pred, ys_gt):
        return sum(p**2 - g**2 for p, g in zip(ys_pred, ys_gt))

    with pytest.raises(CheckFailed, match="squared separately"):
        training_checks.loss(separately, Value=Value)


def test_07_learning_rates_with_a_fixed_number_of_steps_are_named():
    def fixed(lrs, steps):
        return compare_learning_rates(lrs, 20)

    with pytest.raises(CheckFailed, match="pass the argument steps on to train"):
        training_checks.learning_rates(fixed)
