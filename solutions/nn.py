"""The reference neural-network library: the answer to notebook 06.

``Neuron``, ``Layer`` and ``MLP`` as in the lecture (tanh neurons, a layer of one
neuron returns a single Value, parameters weights-then-bias layer by layer), plus
a choice of activation per layer and ``zero_grad()`` for micrograd's moons demo
(notebook 08).
"""

import random

from solutions.engine import Value

ACTIVATIONS = ("tanh", "relu", "linear")


def _check_activation(activation):
    if activation not in ACTIVATIONS:
        raise ValueError(
            f"unknown activation {activation!r}: choose one of {', '.join(ACTIVATIONS)}"
        )
    return activation


class Module:
    """What every piece of a network has: parameters, and a way to reset their grads."""

    def parameters(self):
        return []

    def zero_grad(self):
        for p in self.parameters():
            p.grad = 0.0


class Neuron(Module):
    """w . x + b, then an activation (tanh by default, as in the lecture)."""

    def __init__(self, nin, activation="tanh"):
        self.w = [Value(random.uniform(-1, 1)) for _ in range(nin)]
        self.b = Value(random.uniform(-1, 1))
        self.activation = _check_activation(activation)

    def __call__(self, x):
        if isinstance(x, Value):  # the output of a one-neuron layer
            x = [x]
        if len(x) != len(self.w):
            raise ValueError(
                f"this neuron takes {len(self.w)} inputs, got {len(x)}: "
                "check the sizes given to Layer/MLP"
            )
        act = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)
        if self.activation == "tanh":
            return act.tanh()
        if self.activation == "relu":
            return act.relu()
        return act

    def parameters(self):
        return self.w + [self.b]

    def __repr__(self):
        return f"Neuron({len(self.w)}, activation={self.activation!r})"


class Layer(Module):
    """nout neurons that all see the same inputs."""

    def __init__(self, nin, nout, activation="tanh"):
        self.neurons = [Neuron(nin, activation) for _ in range(nout)]

    def __call__(self, x):
        outs = [n(x) for n in self.neurons]
        return outs[0] if len(outs) == 1 else outs

    def parameters(self):
        return [p for neuron in self.neurons for p in neuron.parameters()]

    def __repr__(self):
        return f"Layer of [{', '.join(str(n) for n in self.neurons)}]"


class MLP(Module):
    """Layers in a row: MLP(3, [4, 4, 1]) is 3 inputs -> 4 -> 4 -> 1 output.

    ``activation`` is used by every layer but the last, which uses
    ``last_activation`` (default: the same, as in the lecture). micrograd's moons
    demo is ``MLP(2, [16, 16, 1], activation="relu", last_activation="linear")``.
    """

    def __init__(self, nin, nouts, activation="tanh", last_activation=None):
        last_activation = activation if last_activation is None else last_activation
        sizes = [nin] + list(nouts)
        self.layers = [
            Layer(
                sizes[i],
                sizes[i + 1],
                last_activation if i == len(nouts) - 1 else activation,
            )
            for i in range(len(nouts))
        ]

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x

    def parameters(self):
        return [p for layer in self.layers for p in layer.parameters()]

    def __repr__(self):
        return f"MLP of [{', '.join(str(layer) for layer in self.layers)}]"
