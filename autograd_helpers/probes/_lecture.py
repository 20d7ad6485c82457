"""The lecture's fixtures, once: the L example, the neuron, the training data xs/ys.

Numbers are the lecture's (Karpathy, "The spelled-out intro to neural networks and
backpropagation"). Builders take the learner's own ``Value`` class: a check never hands a
learner's code a Value of the reference engine.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

# --- the L example (notebooks 02 and 03): e = a*b, d = e + c, L = d*f ----------------------

L_LEAVES: dict[str, float] = {"a": 2.0, "b": -3.0, "c": 10.0, "f": -2.0}
L_DATA: dict[str, float] = {**L_LEAVES, "e": -6.0, "d": 4.0, "L": -8.0}
L_GRADS: dict[str, float] = {
    "a": 6.0,
    "b": -4.0,
    "c": -2.0,
    "e": -2.0,
    "d": -2.0,
    "f": 4.0,
    "L": 1.0,
}
# each inner node: (op, left operand, right operand)
L_STRUCTURE: dict[str, tuple[str, str, str]] = {
    "e": ("*", "a", "b"),
    "d": ("+", "e", "c"),
    "L": ("*", "d", "f"),
}
L_NAMES: tuple[str, ...] = ("a", "b", "c", "f", "e", "d", "L")  # leaves first, root last


def labelled(Value: Callable[..., Any], x: float, name: str) -> Any:
    """``Value(x, label=name)``; for a Value without a ``label`` parameter, set the attribute."""
    try:
        v = Value(x, label=name)
    except TypeError:
        v = Value(x)
    try:
        v.label = name
    except Exception:  # a class with __slots__ and no label: the label is only a nicety
        pass
    return v


# --- the neuron (notebook 05): o = tanh(x1*w1 + x2*w2 + b) -----------------------------------

NEURON_NAMES: tuple[str, ...] = ("x1", "x2", "w1", "w2", "b")
# b is chosen so that n = 0.8814 and o = tanh(n) = 1/sqrt(2)
NEURON_INPUTS: dict[str, float] = {
    "x1": 2.0,
    "x2": 0.0,
    "w1": -3.0,
    "w2": 1.0,
    "b": 6.8813735870195432,
}


def neuron_numbers(p: Mapping[str, float] = NEURON_INPUTS) -> dict[str, float]:
    """n, o, dn = do/dn and every input's gradient do/d(input) at the inputs ``p``.

    At the lecture's inputs: n 0.8814, o 0.7071, grads x1 -1.5, w1 1.0, x2 0.5, w2 0.0, b 0.5.
    """
    n = p["x1"] * p["w1"] + p["x2"] * p["w2"] + p["b"]
    o = math.tanh(n)
    dn = 1 - o * o  # tanh's local derivative, from its output
    return {
        "n": n,
        "o": o,
        "dn": dn,
        "x1": p["w1"] * dn,  # in a product, each factor's gradient is the other factor
        "w1": p["x1"] * dn,
        "x2": p["w2"] * dn,
        "w2": p["x2"] * dn,
        "b": dn,  # + passes the gradient on unchanged
    }


# --- the training data (notebooks 06 and 07) -----------------------------------------------

XS: tuple[tuple[float, float, float], ...] = (
    (2.0, 3.0, -1.0),
    (3.0, -1.0, 0.5),
    (0.5, 1.0, 1.0),
    (1.0, 1.0, -1.0),
)
YS: tuple[float, ...] = (1.0, -1.0, -1.0, 1.0)  # the targets
SEED = 1337  # random.seed(SEED) before MLP(3, [4, 4, 1]), as the notebooks do


def xs_ys() -> tuple[list[list[float]], list[float]]:
    """Fresh copies of ``XS`` and ``YS`` as lists, as the notebooks write them.

    Hand these to a learner's code (it may append to or change them), never XS/YS.
    """
    return [list(x) for x in XS], list(YS)
