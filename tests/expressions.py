"""Random expressions for testing an autograd engine against independent oracles.

An expression is a tree of tuples, independent of any engine:

* ``("leaf", i)``: the i-th input;
* ``(op, child)`` for ``neg exp log tanh relu``;
* ``(op, child, constant)`` for ``add_c sub_c mul_c div_c pow`` (child op constant);
* ``(op, constant, child)`` for ``radd rsub rmul rtruediv`` (constant op child);
* ``(op, left, right)`` for ``add sub mul div``; ``right`` may be the very same
  object as ``left`` (``x * x``), which ``evaluate`` turns into one shared node.

``evaluate`` runs a tree with an ``Ops`` backend: plain floats (for central
differences), the reference ``Value``, or PyTorch tensors. ``expressions()`` is
a hypothesis strategy drawing ``(tree, inputs)`` whose every intermediate value
stays in a safe range: log, fractional powers and divisors see numbers >= 0.5
in size, relu never sees an input within 0.1 of its kink, exp never sees more
than 3, and no intermediate value is larger than 16 in size. A constant shift or
scale is inserted where needed, so the tree stays random but well-conditioned.
"""

import math
import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# Shared by every test that draws expressions: deterministic and quick. Tests run
# once per operation at the root (see ``expressions``), so 19 x 50 expressions.
# Nothing timed: no deadline per example, no health check on how slowly data is drawn
# (a busy machine is slow; the examples are the same).
EXPRESSION_SETTINGS = settings(
    max_examples=50,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

UNARY = ("neg", "exp", "log", "tanh", "relu")
# (child op constant), (constant op child) and (left op right), as Python operators
CHILD_CONSTANT = {
    "add_c": operator.add,
    "sub_c": operator.sub,
    "mul_c": operator.mul,
    "div_c": operator.truediv,
    "pow": operator.pow,
}
CONSTANT_CHILD = {
    "radd": operator.add,
    "rsub": operator.sub,
    "rmul": operator.mul,
    "rtruediv": operator.truediv,
}
BINARY = {
    "add": operator.add,
    "sub": operator.sub,
    "mul": operator.mul,
    "div": operator.truediv,
}
SYMBOLS = {
    operator.add: "+",
    operator.sub: "-",
    operator.mul: "*",
    operator.truediv: "/",
    operator.pow: "**",
}
ALL_OPS = (*UNARY, *CHILD_CONSTANT, *CONSTANT_CHILD, *BINARY)
EXPONENTS = (2, 3, -1, -2, 0.5, 1.5, 2.5, -0.5)

LARGEST = 16.0  # bound on every intermediate value
MARGIN = 0.5  # smallest size of a divisor, log argument or fractional-power base
KINK = 0.1  # closest a relu input gets to 0


@dataclass(frozen=True)
class Ops:
    """How one backend computes the functions that are not Python operators."""

    exp: Callable[[Any], Any]
    log: Callable[[Any], Any]
    tanh: Callable[[Any], Any]
    relu: Callable[[Any], Any]


FLOAT_OPS = Ops(exp=math.exp, log=math.log, tanh=math.tanh, relu=lambda x: max(x, 0.0))
VALUE_OPS = Ops(
    exp=lambda v: v.exp(),
    log=lambda v: v.log(),
    tanh=lambda v: v.tanh(),
    relu=lambda v: v.relu(),
)


def torch_ops(torch) -> Ops:
    """The backend for PyTorch tensors."""
    return Ops(exp=torch.exp, log=torch.log, tanh=torch.tanh, relu=torch.relu)


def evaluate(tree, inputs, ops: Ops, _memo=None):
    """The value of ``tree`` for ``inputs`` (a list of numbers, Values or tensors).

    Constants stay Python floats, so for a Value this exercises ``__radd__``,
    ``__rsub__``, ``__rmul__`` and ``__rtruediv__``. A subtree object met twice is
    computed once, so ``("mul", s, s)`` uses one node twice.
    """
    memo = {} if _memo is None else _memo
    if id(tree) in memo:
        return memo[id(tree)][1]
    op = tree[0]
    if op == "leaf":
        result = inputs[tree[1]]
    elif op == "neg":
        result = -evaluate(tree[1], inputs, ops, memo)
    elif op in UNARY:
        result = getattr(ops, op)(evaluate(tree[1], inputs, ops, memo))
    elif op in CHILD_CONSTANT:
        result = CHILD_CONSTANT[op](evaluate(tree[1], inputs, ops, memo), tree[2])
    elif op in CONSTANT_CHILD:
        result = CONSTANT_CHILD[op](tree[1], evaluate(tree[2], inputs, ops, memo))
    elif op in BINARY:
        left = evaluate(tree[1], inputs, ops, memo)
        result = BINARY[op](left, evaluate(tree[2], inputs, ops, memo))
    else:
        raise ValueError(f"unknown operation {op!r} in expression {tree!r}")
    memo[id(tree)] = (tree, result)  # holding tree keeps its id from being reused
    return result


def to_string(tree) -> str:
    """The expression in Python syntax, inputs named x0, x1, ... (for messages)."""
    op = tree[0]
    if op == "leaf":
        return f"x{tree[1]}"
    if op == "neg":
        return f"-{to_string(tree[1])}"
    if op in UNARY:
        return f"{to_string(tree[1])}.{op}()"
    if op in CHILD_CONSTANT:
        symbol = SYMBOLS[CHILD_CONSTANT[op]]
        return f"({to_string(tree[1])} {symbol} {tree[2]!r})"
    if op in CONSTANT_CHILD:
        symbol = SYMBOLS[CONSTANT_CHILD[op]]
        return f"({tree[1]!r} {symbol} {to_string(tree[2])})"
    return f"({to_string(tree[1])} {SYMBOLS[BINARY[op]]} {to_string(tree[2])})"


def _value(tree, inputs) -> float:
    return evaluate(tree, inputs, FLOAT_OPS)


def _shift_to(tree, value, low):
    """Add a whole-number constant so that the value is at least ``low``."""
    if value >= low:
        return tree
    return ("add_c", tree, float(math.ceil(low - value)))


def _away_from_zero(tree, value, size, draw):
    """Add 1 or -1 so that the value is at least ``size`` (< 1) away from 0."""
    if abs(value) >= size:
        return tree
    return ("add_c", tree, draw(st.sampled_from((-1.0, 1.0))))


def _bounded(tree, inputs):
    """Scale by a power of two (exact in floats) when the value is too large."""
    value = _value(tree, inputs)
    if abs(value) <= LARGEST:
        return tree
    exponent = math.ceil(math.log2(abs(value) / LARGEST))
    return ("mul_c", tree, 2.0**-exponent)


constants = st.floats(-3.0, 3.0, allow_nan=False).map(lambda c: round(c, 3))
nonzero_constants = st.builds(
    lambda size, sign: sign * round(size, 3),
    st.floats(MARGIN, 3.0),
    st.sampled_from((1.0, -1.0)),
)


@st.composite
def expressions(draw, root: str | None = None, n_inputs: int = 3, max_depth: int = 4):
    """A hypothesis strategy: ``(tree, inputs)`` with ``inputs`` floats in [-2, 2].

    ``root`` fixes the operation at the top of the tree (one of ``ALL_OPS``), so a
    test can make sure that every operation is drawn, whatever hypothesis favours.
    """
    if root is not None and root not in ALL_OPS:
        raise ValueError(f"unknown operation {root!r}: choose one of {ALL_OPS}")
    inputs = draw(
        st.lists(
            st.floats(-2.0, 2.0, allow_nan=False),
            min_size=n_inputs,
            max_size=n_inputs,
        )
    )

    def build(depth, op=None):
        if op is None:
            if depth == 0 or draw(st.integers(0, 5)) == 3:
                return ("leaf", draw(st.integers(0, n_inputs - 1)))
            op = draw(st.sampled_from(ALL_OPS))
        if op in BINARY:
            left = build(depth - 1)
            right = left if draw(st.booleans()) else build(depth - 1)
            if op == "div":
                right_value = _value(right, inputs)
                right = _away_from_zero(right, right_value, MARGIN, draw)
            return _bounded((op, left, right), inputs)
        child = build(depth - 1)
        value = _value(child, inputs)
        if op == "log":
            child = _shift_to(child, value, MARGIN)
        elif op == "exp":
            child = child if value <= 3 else ("sub_c", child, float(math.ceil(value)))
        elif op == "relu":
            child = _away_from_zero(child, value, KINK, draw)
        elif op == "rtruediv":
            child = _away_from_zero(child, value, MARGIN, draw)
        elif op == "pow":
            exponent = draw(st.sampled_from(EXPONENTS))
            if not float(exponent).is_integer():
                child = _shift_to(child, value, MARGIN)
            elif exponent < 0:
                child = _away_from_zero(child, value, MARGIN, draw)
            return _bounded(("pow", child, exponent), inputs)
        if op in UNARY:
            return _bounded((op, child), inputs)
        if op in CHILD_CONSTANT:
            c = draw(nonzero_constants if op == "div_c" else constants)
            return _bounded((op, child, c), inputs)
        return _bounded((op, draw(constants), child), inputs)

    return build(max_depth, root), inputs
