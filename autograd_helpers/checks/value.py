"""Checks of 01_value: the Value class, its repr, + and *, and the lecture's L expression."""

import contextlib
import io

from autograd_helpers.checks import _values
from autograd_helpers.checks._core import check, close, expect, fail, number


def attribute(v, name: str):
    """``v.name``, or a failure that says the attribute is missing."""
    try:
        return getattr(v, name)
    except AttributeError:
        fail(f"a Value has no attribute `{name}`: set `self.{name} = ...` in __init__")


def children(v) -> list:
    """The children of ``v`` (``_prev`` may be a set, tuple, list or dict), or a failure."""
    prev = attribute(v, "_prev")
    try:
        iter(prev)
    except TypeError:
        fail(f"_prev is {prev!r}, expected a set or tuple of Values")
    return _values.children(v)


def same_children(v, expected: list) -> bool:
    """True when ``v``'s children are exactly the objects ``expected`` (any order)."""
    got = children(v)
    return sorted(map(id, got)) == sorted(map(id, expected)) or (
        # a set collapses a+a to one child: accept that too
        {id(x) for x in got} == {id(x) for x in expected}
        and len(got) == len({id(x) for x in expected})
    )


def _binary(Value, symbol: str, name: str, apply, a_val: float, b_val: float) -> str:
    a, b = Value(a_val), Value(b_val)
    out = apply(a, b)
    expected = apply(a_val, b_val)
    expect(
        isinstance(out, Value),
        f"a {symbol} b returned {type(out).__name__} {out!r}, expected a new Value: "
        f"return Value(self.data {symbol} other.data, (self, other), '{symbol}')",
    )
    expect(
        out is not a and out is not b,
        f"a {symbol} b returned one of its operands: {name} must create a new Value, "
        "not change self",
    )
    expect(
        close(a.data, a_val) and close(b.data, b_val),
        f"a {symbol} b changed its operands (a.data became {number(a.data)}): "
        f"{name} must not modify self or other",
    )
    data = attribute(out, "data")
    if close(data, a_val + b_val) and symbol == "*":
        fail(
            f"(Value({a_val}) * Value({b_val})).data is {number(data)}: that is the sum; "
            "__mul__ should multiply"
        )
    if close(data, a_val * b_val) and symbol == "+":
        fail(
            f"(Value({a_val}) + Value({b_val})).data is {number(data)}: that is the "
            "product; __add__ should add"
        )
    expect(
        close(data, expected),
        f"(Value({a_val}) {symbol} Value({b_val})).data is {number(data)}, "
        f"expected {number(expected)}",
    )
    expect(
        children(out),
        f"(a {symbol} b)._prev is empty: pass the operands as children, "
        f"Value(..., (self, other), '{symbol}')",
    )
    expect(
        same_children(out, [a, b]),
        f"(a {symbol} b)._prev holds {children(out)!r}, expected the two operands "
        "a and b themselves (not copies, not their data)",
    )
    op = attribute(out, "_op")
    expect(
        op == symbol,
        f"(a {symbol} b)._op is {op!r}, expected {symbol!r}: pass it as the third "
        "argument of Value",
    )
    return (
        f"Value({a_val}) {symbol} Value({b_val}) = Value(data={number(expected)}), "
        f"children (a, b), _op {symbol!r}; operands unchanged"
    )


@check("01.init")
def init(Value) -> str:
    v = Value(2.0)
    expect(close(attribute(v, "data"), 2.0), f"Value(2.0).data is {v.data!r}, expected 2.0")
    expect(
        len(children(v)) == 0,
        f"Value(2.0)._prev is {v._prev!r}, expected empty: a leaf has no children "
        "(the default _children=() )",
    )
    expect(attribute(v, "_op") == "", f"Value(2.0)._op is {v._op!r}, expected ''")
    expect(attribute(v, "label") == "", f"Value(2.0).label is {v.label!r}, expected ''")
    x = Value(3.0, label="x")
    expect(x.label == "x", f"Value(3.0, label='x').label is {x.label!r}, expected 'x'")
    a, b = Value(1.0), Value(2.0)
    c = Value(3.0, (a, b), "+")
    expect(
        same_children(c, [a, b]),
        f"Value(3.0, (a, b), '+')._prev is {c._prev!r}: store the children given as "
        "_children (e.g. self._prev = set(_children))",
    )
    expect(c._op == "+", f"Value(3.0, (a, b), '+')._op is {c._op!r}, expected '+'")
    return (
        "Value(2.0) has data 2.0, no children, _op '' and label ''; _children, _op "
        "and label are stored (not checked yet: + and *)"
    )


@check("01.repr")
def representation(Value) -> str:
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed):
            text = repr(Value(2.0))
    except TypeError as exc:
        if "non-string" not in str(exc):
            raise
        shown = printed.getvalue().strip()
        said = f"printed {shown!r} and " if shown else ""
        kind = str(exc).rsplit("type ", 1)[-1].rstrip(")")
        returned = "None (no return)" if kind == "NoneType" else f"a {kind}"
        fail(
            f"repr(Value(2.0)) failed: your __repr__ {said}returned {returned} (TypeError: "
            f"{exc}). Return the string instead of printing it: "
            "return f'Value(data={self.data})'"
        )
    expect(
        isinstance(text, str) and text.startswith("Value(data=2.0"),
        f"repr(Value(2.0)) is {text!r}, expected 'Value(data=2.0)': "
        "return f'Value(data={self.data})' from __repr__",
    )
    return f"repr(Value(2.0)) is {text!r}"


@check("01.add")
def add(Value) -> str:
    return _binary(Value, "+", "__add__", lambda a, b: a + b, 2.0, -3.0)


@check("01.mul")
def mul(Value) -> str:
    return _binary(Value, "*", "__mul__", lambda a, b: a * b, 2.0, -3.0)


@check("01.expression")
def expression(a, b, c, e, d, f, L) -> str:
    leaves = {"a": (a, 2.0), "b": (b, -3.0), "c": (c, 10.0), "f": (f, -2.0)}
    for name, (v, want) in leaves.items():
        expect(
            close(attribute(v, "data"), want),
            f"{name}.data is {number(v.data)}, expected {number(want)} "
            "(a=2.0, b=-3.0, c=10.0, f=-2.0 as in the lecture)",
        )
    for name, v, parts, op, want in [
        ("e", e, [a, b], "*", -6.0),
        ("d", d, [e, c], "+", 4.0),
        ("L", L, [d, f], "*", -8.0),
    ]:
        expect(
            same_children(v, parts) and attribute(v, "_op") == op,
            f"{name} is not built as in the lecture: e = a*b, d = e + c, L = d * f "
            f"({name}._op is {v._op!r})",
        )
        expect(
            close(v.data, want),
            f"{name}.data is {number(v.data)}, expected {number(want)}",
        )
    for name, v in {"a": a, "b": b, "c": c, "e": e, "d": d, "f": f, "L": L}.items():
        expect(
            attribute(v, "label") == name,
            f"{name}.label is {v.label!r}, expected {name!r}: give every Value its "
            "label (the graph in 02 shows it)",
        )
    return "L = (a*b + c) * f = -8.0, built from e = a*b and d = e + c, every label set"
