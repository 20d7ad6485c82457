"""Probes of 04_operations: constants, neg, sub, pow, division, exp, tanh, sum, tanh from exp.

Every probe runs expressions on the learner's own Value (their functions only ever see their
own Values) and reports what came back: the output's data, every leaf's grad after
``backward()``, and central differences of the learner's own forward pass (``gradcheck``).

A case gives the numbers of a check's first steps (``add={"a": 2.0, "c": 1}`` for ``a + 1``
with a = 2.0) and a list ``compare`` of ``[expression, inputs]`` pairs, e.g.
``["a * b + a", {"a": 2.0, "b": -3.0}]``. The text of an expression is the code that runs
(:func:`evaluate`, on fresh leaves) and what a message shows; the judge runs the same text
on the reference engine.

Each step writes its own key, in the order the judge reads them. When the learner's code
raises a TypeError or AttributeError (a number where a Value was expected, a missing
method), the step writes ``{"raised": ...}`` under its key before the probe stops, so that
the judge can name the fix.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from autograd_helpers.gradcheck import gradcheck
from autograd_helpers.probes import attr, describe, probe, shown
from autograd_helpers.probes._values import children, is_number, walk

MAX_CHILDREN = 20  # children of a node reported one by one


def evaluate(expr: str, leaves: Mapping[str, object], functions: Mapping | None = None):
    """``expr`` (a Python expression such as ``"a * b + a"``) computed on ``leaves``.

    ``functions`` are the notebook's functions it may call (``mean``, ``tanh_from_exp``);
    ``sum`` is the built-in one. The judges run the same text on the reference engine.
    """
    names = {"__builtins__": {}, "sum": sum, **(functions or {})}
    return eval(expr, names, dict(leaves))  # noqa: S307  (the course's own expressions)


class _NotAValue(Exception):
    """An operation returned something else than a Value: the judge needs nothing more."""


def _until_not_a_value(fn: Callable[..., None]) -> Callable[..., None]:
    """``fn``, ending quietly (without a STOP) where :func:`_forward` saw no Value."""

    @functools.wraps(fn)  # keeps the signature, which names the learner's objects
    def run(out, *args, **kwargs) -> None:
        try:
            fn(out, *args, **kwargs)
        except _NotAValue:
            pass

    return run


def _text(exc: BaseException) -> str:
    try:
        return str(exc)[:500]
    except Exception:  # a learner's exception whose __str__ raises
        return ""


def _two_values(Value) -> list[dict]:
    """What ``Value(2.0) + Value(3.0)``, then ``*``, give: whether the result's data is a
    number, or the error raised (up to the first error or the first data not a number)."""
    seen: list[dict[str, object]] = []
    for apply in (lambda a, b: a + b, lambda a, b: a * b):
        try:
            data = getattr(apply(Value(2.0), Value(3.0)), "data", None)
        except Exception as exc:  # noqa: BLE001  (any error of the learner's code)
            seen.append({"raised": type(exc).__name__, "text": _text(exc)})
            break
        seen.append({"raised": None, "number": is_number(data)})
        if not is_number(data):
            break
    return seen


def _raised(exc: BaseException, Value) -> dict:
    """A TypeError or AttributeError of the learner's code, as the judge words it."""
    info = describe(exc)
    raised = {
        "type": type(exc).__name__,
        "text": _text(exc),
        "code": info.get("code") if info.get("kind") == "learner" else None,
    }
    if isinstance(exc, TypeError):  # number + Value inside: was a Value wrapped twice?
        raised["two_values"] = _two_values(Value)
    return raised


T = TypeVar("T")


def _step(out: dict, key: str, Value, thunk: Callable[[], T]) -> T:
    """``thunk()``; a TypeError or AttributeError is written under ``key``, then raised."""
    try:
        return thunk()
    except (TypeError, AttributeError) as exc:
        out[key] = {"raised": _raised(exc, Value)}
        raise


def _result(r: object, Value) -> dict:
    """What an operation returned: a Value (its data), a plain number, or something else."""
    number = is_number(r)
    return {
        "value": isinstance(r, Value),
        "number": number,
        "type": type(r).__name__,
        "repr": shown(r),
        "data": r if number else attr(r, "data"),
    }


def _forward(out: dict, key: str, Value, build: Callable, inputs: Mapping[str, float]):
    """``build`` on fresh leaves of ``Value``: writes ``key``; returns (output, leaves)."""
    leaves = {name: Value(x) for name, x in inputs.items()}
    r = _step(out, key, Value, lambda: build(**leaves))
    out[key] = _result(r, Value)
    if not isinstance(r, Value):
        raise _NotAValue
    return r, leaves


def _backward(out: dict, key: str, Value, r: Any, leaves: dict) -> None:
    """``r.backward()``: writes ``key.grads``, every leaf's grad."""
    _step(out, f"{key}.grads", Value, lambda: r.backward())
    out[f"{key}.grads"] = {name: attr(leaf, "grad") for name, leaf in leaves.items()}


def _gradcheck(out: dict, key: str, Value, build: Callable, inputs: Mapping[str, float]) -> None:
    """Central differences of the learner's forward pass: writes ``key.gradcheck``."""
    report = _step(out, f"{key}.gradcheck", Value, lambda: gradcheck(build, inputs, Value))
    out[f"{key}.gradcheck"] = {
        e.name: {"analytic": e.analytic, "numerical": e.numerical, "noise": e.noise}
        for e in report.entries
    }


def _compare(out: dict, Value, compare: list, functions: Mapping | None = None) -> None:
    """Forward, backward and gradcheck of every ``[expression, inputs]``: keys compare<i>."""
    for i, (expr, inputs) in enumerate(compare):
        key = f"compare{i}"

        def build(**leaves):
            return evaluate(expr, leaves, functions)  # noqa: B023  (called in this loop only)

        r, leaves = _forward(out, key, Value, build, inputs)
        _backward(out, key, Value, r, leaves)
        _gradcheck(out, key, Value, build, inputs)


def _named(numbers: list[float]) -> dict[str, float]:
    """``[1.0, 2.0]`` as the inputs ``{"x0": 1.0, "x1": 2.0}``."""
    return {f"x{i}": x for i, x in enumerate(numbers)}


# --- 1. constants ----------------------------------------------------------------------------


@probe("04.constants")
@_until_not_a_value
def constants(out, Value, *, add, mul, compare):
    out["two_values"] = _two_values(Value)
    c, k = add["c"], mul["k"]
    r, leaves = _forward(out, "add", Value, lambda a: a + c, {"a": add["a"]})
    _backward(out, "add", Value, r, leaves)
    r, leaves = _forward(out, "mul", Value, lambda a: a * k, {"a": mul["a"]})
    _backward(out, "mul", Value, r, leaves)
    _compare(out, Value, compare)


# --- 2. constants on the left ----------------------------------------------------------------


@probe("04.reflected")
@_until_not_a_value
def reflected(out, Value, *, radd, rmul, compare):
    c, k = radd["c"], rmul["k"]
    _forward(out, "radd", Value, lambda a: c + a, {"a": radd["a"]})
    _forward(out, "rmul", Value, lambda a: k * a, {"a": rmul["a"]})
    _compare(out, Value, compare)


# --- 3. negation and subtraction -------------------------------------------------------------


@probe("04.subtraction")
@_until_not_a_value
def subtraction(out, Value, *, neg, sub, rsub, compare):
    r, leaves = _forward(out, "neg", Value, lambda a: -a, neg)
    _backward(out, "neg", Value, r, leaves)
    r, leaves = _forward(out, "sub", Value, lambda a, b: a - b, sub)
    _backward(out, "sub", Value, r, leaves)
    c = rsub["c"]
    _forward(out, "rsub", Value, lambda a: c - a, {"a": rsub["a"]})
    _compare(out, Value, compare)


# --- 4. powers -------------------------------------------------------------------------------


def _value_exponent(out: dict, Value) -> None:
    """``x ** y`` with y a Value (x = 2, y = 3): refused (how), or its result and grads."""
    x, y = Value(2.0), Value(3.0)
    try:
        r = x**y
    except AssertionError:
        out["value_exponent"] = {"refused": "assert"}
        return
    except TypeError:
        out["value_exponent"] = {"refused": "type_error"}
        return
    out["value_exponent"] = {"refused": None, **_result(r, Value)}
    if isinstance(r, Value):
        r.backward()
        out["value_exponent.grads"] = {"x": attr(x, "grad"), "y": attr(y, "grad")}


@probe("04.pow")
@_until_not_a_value
def power(out, Value, *, x, n, twice, compare):
    r, leaves = _forward(out, "pow", Value, lambda x: x**n, {"x": x})
    out["pow.children"] = [
        {"x": kid is leaves["x"], "kid": kid} for kid in children(r)[:MAX_CHILDREN]
    ]
    _backward(out, "pow", Value, r, leaves)
    n1, n2 = twice
    r, leaves = _forward(out, "twice", Value, lambda x: x**n1 + x**n2, {"x": x})
    _backward(out, "twice", Value, r, leaves)
    _value_exponent(out, Value)
    _compare(out, Value, compare)


# --- 5. division -----------------------------------------------------------------------------


@probe("04.division")
@_until_not_a_value
def division(out, Value, *, div, rdiv, compare):
    _forward(out, "div", Value, lambda a, b: a / b, div)
    c = rdiv["c"]
    _forward(out, "rdiv", Value, lambda a: c / a, {"a": rdiv["a"]})
    _compare(out, Value, compare)


# --- 6. exp ----------------------------------------------------------------------------------


@probe("04.exp")
@_until_not_a_value
def exponential(out, Value, *, x, compare):
    r, leaves = _forward(out, "exp", Value, lambda x: x.exp(), {"x": x})
    _backward(out, "exp", Value, r, leaves)
    _compare(out, Value, compare)


# --- 7. tanh ---------------------------------------------------------------------------------


@probe("04.tanh")
@_until_not_a_value
def tanh(out, Value, *, xs, x, compare):
    for i, at in enumerate(xs):
        _forward(out, f"at{i}", Value, lambda x: x.tanh(), {"x": at})
    r, leaves = _forward(out, "tanh", Value, lambda x: x.tanh(), {"x": x})
    _backward(out, "tanh", Value, r, leaves)
    _compare(out, Value, compare)


# --- 8. sum ----------------------------------------------------------------------------------


@probe("04.sum")
@_until_not_a_value
def sum_of_values(out, Value, mean, *, first, more, summed, compare):
    def mean_of(**values):
        return mean(list(values.values()))

    r, leaves = _forward(out, "mean0", Value, mean_of, _named(first))
    _backward(out, "mean0", Value, r, leaves)
    for i, numbers in enumerate(more, start=1):
        _forward(out, f"mean{i}", Value, mean_of, _named(numbers))
    r, leaves = _forward(out, "sum", Value, lambda **v: sum(list(v.values())), _named(summed))
    _backward(out, "sum", Value, r, leaves)
    _compare(out, Value, compare, {"mean": mean})


# --- 9. tanh from its pieces, and everything together ----------------------------------------


@probe("04.tanh_from_exp")
@_until_not_a_value
def together(out, Value, tanh_from_exp, *, xs, compare):
    for i, at in enumerate(xs):
        _forward(out, f"at{i}", Value, lambda x: tanh_from_exp(x), {"x": at})
    r, _ = _forward(out, "pieces", Value, lambda x: tanh_from_exp(x), {"x": xs[0]})
    out["pieces.size"] = len(walk(r))
    _compare(out, Value, compare, {"tanh_from_exp": tanh_from_exp})
