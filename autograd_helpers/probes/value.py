"""Probes of 01_value: the Value class, its repr, + and *, and the lecture's L expression."""

import contextlib
import io

from autograd_helpers.probes import attr, probe, shown
from autograd_helpers.probes._values import prev_of


@probe("01.init")
def init(out, Value, *, x, label, op):
    v = Value(x)
    out["data"] = attr(v, "data")
    out["prev"] = prev_of(v, {})
    out["op"] = attr(v, "_op")
    out["label"] = attr(v, "label")
    out["labelled"] = attr(Value(x + 1, label=label), "label")
    a, b = Value(x - 1), Value(x)
    c = Value(x + 1, (a, b), op)
    out["given_prev"] = prev_of(c, {"a": a, "b": b})
    out["given_op"] = attr(c, "_op")


@probe("01.repr")
def representation(out, Value, *, x):
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed):
            text = repr(Value(x))
    except TypeError as exc:
        if "non-string" not in str(exc):
            raise
        out["printed"] = printed.getvalue().strip()[:200]
        out["type_error"] = str(exc)
        return
    out["text"] = text


def _binary(out, Value, apply, a, b):
    x, y = Value(a), Value(b)
    r = apply(x, y)
    out["is_value"] = isinstance(r, Value)
    out["result"] = {"type": type(r).__name__, "repr": shown(r)}
    out["operand"] = r is x or r is y
    out["a_data"], out["b_data"] = attr(x, "data"), attr(y, "data")
    out["data"] = attr(r, "data")
    out["prev"] = prev_of(r, {"a": x, "b": y})
    out["op"] = attr(r, "_op")


@probe("01.add")
def add(out, Value, *, a, b):
    _binary(out, Value, lambda x, y: x + y, a, b)


@probe("01.mul")
def mul(out, Value, *, a, b):
    _binary(out, Value, lambda x, y: x * y, a, b)


@probe("01.expression")
def expression(out, Value, a, b, c, e, d, f, L, *, leaves=None):
    """The notebook's L graph; with ``leaves``, the same expression built again from
    those leaf values with the learner's Value (only its data is reported then)."""
    nodes = {"a": a, "b": b, "c": c, "e": e, "d": d, "f": f, "L": L}
    for name, v in nodes.items():
        out[name] = {
            "data": attr(v, "data"),
            "prev": prev_of(v, nodes),
            "op": attr(v, "_op"),
            "label": attr(v, "label"),
        }
    if leaves is not None:
        x = {name: Value(leaves[name]) for name in ("a", "b", "c", "f")}
        out["again"] = attr((x["a"] * x["b"] + x["c"]) * x["f"], "data")
