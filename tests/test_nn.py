"""The reference network library (solutions/nn.py) against independent oracles.

Expected numbers come from the lecture and micrograd (parameter counts), from
the same network computed by hand from its weights, from central differences and
from PyTorch in float64 with the weights copied over.
"""

import math
import random

import pytest

from autograd_helpers.graph import trace
from solutions.engine import Value
from solutions.nn import MLP, Layer, Neuron

# The lecture's tiny data set: four inputs and their targets.
XS = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
YS = [1.0, -1.0, -1.0, 1.0]

ACTIVATION_FUNCTIONS = {
    "tanh": math.tanh,
    "relu": lambda z: max(z, 0.0),
    "linear": lambda z: z,
}


def seeded(seed=0):
    random.seed(seed)


# --- structure -----------------------------------------------------------------


def test_lecture_mlp_has_41_parameters():
    seeded()
    assert len(MLP(3, [4, 4, 1]).parameters()) == 41


def test_micrograd_moons_mlp_has_337_parameters():
    seeded()
    mlp = MLP(2, [16, 16, 1], activation="relu", last_activation="linear")
    assert len(mlp.parameters()) == 337  # micrograd's demo prints 337


def test_parameters_are_weights_then_bias_layer_by_layer():
    seeded()
    mlp = MLP(3, [4, 4, 1])
    expected = [
        p for layer in mlp.layers for neuron in layer.neurons for p in [*neuron.w, neuron.b]
    ]
    params = mlp.parameters()
    assert len(params) == len(expected) == 41
    assert all(p is q for p, q in zip(params, expected, strict=True))
    assert all(isinstance(p, Value) for p in params)
    assert len({id(p) for p in params}) == 41  # no parameter listed twice


def test_layer_sizes():
    seeded()
    mlp = MLP(3, [4, 4, 1])
    assert [len(layer.neurons) for layer in mlp.layers] == [4, 4, 1]
    assert [len(layer.neurons[0].w) for layer in mlp.layers] == [3, 4, 4]


def test_a_one_neuron_layer_returns_a_single_value():
    seeded()
    assert isinstance(Layer(3, 1)([1.0, 2.0, 3.0]), Value)
    out = Layer(3, 2)([1.0, 2.0, 3.0])
    assert isinstance(out, list) and len(out) == 2
    assert all(isinstance(v, Value) for v in out)
    assert isinstance(MLP(3, [4, 4, 1])(XS[0]), Value)


def test_neuron_accepts_values_and_numbers():
    seeded()
    n = Neuron(2)
    assert n([Value(1.0), Value(2.0)]).data == n([1.0, 2.0]).data


# --- activations, computed by hand from the weights -----------------------------


def by_hand(neuron, x, activation):
    z = sum(w.data * xi for w, xi in zip(neuron.w, x, strict=True)) + neuron.b.data
    return ACTIVATION_FUNCTIONS[activation](z)


@pytest.mark.parametrize("activation", ["tanh", "relu", "linear"])
def test_neuron_activation(activation):
    neuron = Neuron(3, activation=activation)
    for w, value in zip(neuron.w, [0.5, -1.0, 2.0], strict=True):
        w.data = value
    neuron.b.data = 0.25
    # pre-activations 0.5*1 - 1*2 + 2*1.5 + 0.25 = 1.75 and 0.5*-2 - 1*1 + 2*-1 + 0.25
    for x, z in [([1.0, 2.0, 1.5], 1.75), ([-2.0, 1.0, -1.0], -3.75)]:
        expected = {"tanh": math.tanh(z), "relu": max(z, 0.0), "linear": z}
        out = neuron(x)
        assert out.data == pytest.approx(expected[activation], rel=1e-12)
        assert out.data == pytest.approx(by_hand(neuron, x, activation), rel=1e-12)


def test_default_activation_is_the_lectures_tanh():
    seeded()
    neuron = Neuron(3)
    assert neuron(XS[0]).data == pytest.approx(by_hand(neuron, XS[0], "tanh"))


def mlp_by_hand(mlp, x, activations):
    """The MLP's output computed with plain floats from its weights."""
    for layer, activation in zip(mlp.layers, activations, strict=True):
        x = [by_hand(neuron, x, activation) for neuron in layer.neurons]
    return x[0] if len(x) == 1 else x


@pytest.mark.parametrize(
    "kwargs, activations",
    [
        ({}, ["tanh", "tanh", "tanh"]),
        ({"activation": "relu"}, ["relu", "relu", "relu"]),
        (
            {"activation": "relu", "last_activation": "linear"},
            ["relu", "relu", "linear"],
        ),
        ({"activation": "linear", "last_activation": "tanh"}, ["linear"] * 2 + ["tanh"]),
    ],
)
def test_mlp_activations_hidden_and_last(kwargs, activations):
    seeded(1)
    mlp = MLP(3, [4, 4, 1], **kwargs)
    for x in XS:
        assert mlp(x).data == pytest.approx(mlp_by_hand(mlp, x, activations), rel=1e-12)


@pytest.mark.parametrize(
    "make",
    [
        lambda: Neuron(3, activation="sigmoid"),
        lambda: Layer(3, 2, activation="Tanh"),
        lambda: MLP(3, [4, 1], activation="softmax"),
        lambda: MLP(3, [4, 1], last_activation="sigmoid"),
    ],
    ids=["Neuron", "Layer", "MLP", "MLP-last"],
)
def test_unknown_activation_raises_value_error(make):
    with pytest.raises(ValueError, match="activation"):
        make()


def test_zero_grad_zeroes_every_grad():
    seeded()
    mlp = MLP(3, [4, 4, 1])
    loss = squared_error_loss(mlp)
    loss.backward()
    assert any(p.grad != 0.0 for p in mlp.parameters())
    mlp.zero_grad()
    assert all(p.grad == 0.0 for p in mlp.parameters())
    for module in (mlp.layers[0], mlp.layers[0].neurons[0]):
        squared_error_loss(mlp).backward()
        module.zero_grad()
        assert all(p.grad == 0.0 for p in module.parameters())


# --- gradients of a loss: central differences and PyTorch ----------------------


def squared_error_loss(mlp):
    """The lecture's loss: sum of squared errors over XS."""
    return sum((mlp(x) - y) ** 2 for x, y in zip(XS, YS, strict=True))


NETWORKS = {
    "tanh": {},
    "relu-linear": {"activation": "relu", "last_activation": "linear"},
}


def small_mlp(name):
    seeded(3)
    mlp = MLP(3, [4, 4, 1], **NETWORKS[name])
    # No relu may sit within reach of its kink, or central differences are wrong.
    loss = squared_error_loss(mlp)
    relu_inputs = [n._prev[0].data for n in trace(loss)[0] if n._op == "ReLU"]
    assert all(abs(z) > 1e-3 for z in relu_inputs), "pick another seed"
    return mlp


@pytest.mark.parametrize("name", NETWORKS)
def test_loss_gradient_matches_central_differences(name):
    mlp = small_mlp(name)
    loss = squared_error_loss(mlp)
    loss.backward()
    h = 1e-6
    for i, p in enumerate(mlp.parameters()):
        original = p.data
        p.data = original + h
        plus = squared_error_loss(mlp).data
        p.data = original - h
        minus = squared_error_loss(mlp).data
        p.data = original
        numeric = (plus - minus) / (2 * h)
        assert math.isclose(p.grad, numeric, rel_tol=1e-5, abs_tol=1e-7), (
            f"parameter {i}: backward {p.grad!r}, central differences {numeric!r}"
        )


@pytest.mark.parametrize("name", NETWORKS)
def test_loss_and_gradient_match_pytorch(require, name):
    torch = require("torch")
    mlp = small_mlp(name)
    loss = squared_error_loss(mlp)
    loss.backward()

    activations = {"tanh": torch.tanh, "relu": torch.relu, "linear": lambda z: z}
    weights = [
        torch.tensor(
            [[w.data for w in n.w] for n in layer.neurons],
            dtype=torch.float64,
            requires_grad=True,
        )
        for layer in mlp.layers
    ]
    biases = [
        torch.tensor([n.b.data for n in layer.neurons], dtype=torch.float64).requires_grad_()
        for layer in mlp.layers
    ]
    h = torch.tensor(XS, dtype=torch.float64)
    for layer, W, b in zip(mlp.layers, weights, biases, strict=True):
        h = activations[layer.neurons[0].activation](h @ W.T + b)
    torch_loss = ((h.squeeze(1) - torch.tensor(YS, dtype=torch.float64)) ** 2).sum()
    torch_loss.backward()

    assert math.isclose(loss.data, torch_loss.item(), rel_tol=1e-12)
    torch_grads = [
        g
        for W, b in zip(weights, biases, strict=True)
        for row, bias in zip(W.grad.tolist(), b.grad.tolist(), strict=True)
        for g in [*row, bias]
    ]  # weights then bias, neuron by neuron: our parameters() order
    grads = [p.grad for p in mlp.parameters()]
    assert len(grads) == len(torch_grads) == 41
    for i, (grad, expected) in enumerate(zip(grads, torch_grads, strict=True)):
        assert math.isclose(grad, expected, rel_tol=1e-9, abs_tol=1e-12), (
            f"parameter {i}: ours {grad!r}, torch {expected!r}"
        )
