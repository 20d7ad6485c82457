"""Checks of 04_operations: constants, neg, sub, pow, division, exp, tanh, sum, tanh from exp.

Every check runs expressions on the learner's own Value (their functions only ever see
their own Values) and compares the *numbers* it gets, forward value and every gradient,
with the same expression on the reference engine (``solutions.engine.Value``, built by the
check itself, never handed to the learner's code) and with central differences of the
learner's own forward pass (``autograd_helpers.gradcheck``). Before that, it probes for
the common mistakes and names them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

from autograd_helpers.checks._core import _blame, check, close, expect, fail, number
from autograd_helpers.checks._values import children, is_number, walk
from autograd_helpers.gradcheck import gradcheck, relative_error
from solutions.engine import Value as Reference

_UNSUPPORTED = re.compile(
    r"unsupported operand type\(s\) for (?P<op>\*\* or pow\(\)|[+*/-]): "
    r"'(?P<left>\w+)' and '(?P<right>\w+)'"
)
_BAD_UNARY = re.compile(r"bad operand type for unary -: '(?P<cls>\w+)'")
_NO_DATA = re.compile(r"'(?P<type>int|float)' object has no attribute 'data'")
_NO_METHOD = re.compile(r"'(?P<cls>\w+)' object has no attribute '(?P<name>exp|tanh|backward)'")
_METHODS = {
    "+": ("__add__", "__radd__"),
    "*": ("__mul__", "__rmul__"),
    "-": ("__sub__", "__rsub__"),
    "/": ("__truediv__", "__rtruediv__"),
    "** or pow()": ("__pow__", "__rpow__"),
}
_NUMBERS = ("int", "float")
SUM_STARTS_AT_0 = ". sum() starts from the number 0, so its first step is 0 + a"
WRAP = "other = other if isinstance(other, Value) else Value(other)"


_num = number  # a number as the notebook shows it: 1.0, -0.0625, 0.786448


def _wraps_values(Value) -> bool:
    """True when ``Value(2.0) + Value(3.0)`` (or ``*``) wraps a Value in a Value."""
    for apply in (lambda a, b: a + b, lambda a, b: a * b):
        try:
            out = apply(Value(2.0), Value(3.0))
        except TypeError as exc:  # float + Value inside: other.data was a Value
            m = _UNSUPPORTED.search(str(exc))
            return bool(m) and m["left"] in _NUMBERS and m["right"] not in _NUMBERS
        except Exception:
            return False
        if not is_number(getattr(out, "data", None)):
            return True
    return False


def _explained(exc: Exception, expr: str, Value=None) -> str | None:
    """Why ``expr`` raised ``exc``, in the course's words, for the errors learners meet."""
    text = str(exc)
    said = f"`{expr}` raised {type(exc).__name__}: {text}"
    m = _UNSUPPORTED.search(text)
    if isinstance(exc, TypeError) and m:
        forward, reflected = _METHODS[m["op"]]
        if m["left"] in _NUMBERS and Value is not None and _wraps_values(Value):
            return (
                f"{said}{_line(exc)}: a Value's data is itself a Value there. `a + b` with "
                "two Values shows why: other was wrapped in Value(...) although it already "
                f"is a Value. Wrap numbers only: `{WRAP}`"
            )
        if m["left"] in _NUMBERS:
            return (
                f"{said}. Python first asks the number ({m['left']}.{forward}), which "
                f"knows nothing about Values, then calls {m['right']}.{reflected}: "
                f"define {reflected} (there, self is the Value on the right and other the "
                "number on the left)"
            )
        return f"{said}: define {forward} on the Value class"
    m = _BAD_UNARY.search(text)
    if isinstance(exc, TypeError) and m:
        return f"{said}: define __neg__ (Python calls it for -a)"
    m = _NO_DATA.search(text)
    if isinstance(exc, AttributeError) and m:
        return (
            f"{said}. The constant is a plain {m['type']}, not a Value: wrap other in "
            f"a Value first, `{WRAP}`"
        )
    m = _NO_METHOD.search(text)
    if isinstance(exc, AttributeError) and m:
        return f"{said}: define the method {m['name']}() and attach it to the class"
    return None


def _line(exc: BaseException) -> str:
    """`` (`out = Value(self.data + other.data, ...)`)``: the learner's line that raised."""
    frame = _blame(exc)[1]
    return f" (`{frame.line.strip()}`)" if frame is not None and frame.line else ""


def _run(expr: str, thunk: Callable[[], object], note: str = "", Value=None) -> object:
    """``thunk()``, turning the errors learners meet into a message that names the fix."""
    __tracebackhide__ = True
    try:
        return thunk()
    except (TypeError, AttributeError) as exc:
        reason = _explained(exc, expr, Value)
        if reason is None:
            raise
        fail(reason + note)


def _where(inputs: dict[str, float]) -> str:
    return ", ".join(f"{name} = {_num(x)}" for name, x in inputs.items())


def _leaves(Value, inputs: dict[str, float]) -> dict:
    return {name: Value(x) for name, x in inputs.items()}


def _close(got: object, want: float) -> bool:
    return close(got, want, rel=1e-9, abs_tol=1e-12)


def _forward(Value, expr: str, build: Callable[..., object], inputs: dict[str, float]):
    """The learner's output Value for ``expr`` with fresh leaves, and those leaves."""
    __tracebackhide__ = True
    leaves = _leaves(Value, inputs)
    out = _run(expr, lambda: build(**leaves), Value=Value)
    expect(
        isinstance(out, Value),
        f"`{expr}` with {_where(inputs)} returned {type(out).__name__} {out!r}, expected "
        "a Value: every operation must return a new Value",
    )
    return out, leaves


def _grads(Value, expr: str, build, inputs: dict[str, float]) -> tuple[object, dict]:
    """Forward and backward on the learner's Value: (output, {name: grad})."""
    __tracebackhide__ = True
    out, leaves = _forward(Value, expr, build, inputs)
    _run(f"({expr}).backward()", out.backward, Value=Value)
    return out, {name: leaf.grad for name, leaf in leaves.items()}


def _expected(reference: Callable[..., object], inputs: dict[str, float]) -> tuple[float, dict]:
    """The numbers to expect: ``reference`` run on the reference engine, by the check alone.

    ``reference`` uses operators and methods only, never a learner's function: the
    learner's code sees only the learner's Values.
    """
    leaves = _leaves(Reference, inputs)
    out = reference(**leaves)
    out.backward()
    return out.data, {name: leaf.grad for name, leaf in leaves.items()}


def compare(
    Value,
    expr: str,
    build: Callable[..., object],
    inputs: dict[str, float],
    reference: Callable[..., object] | None = None,
) -> None:
    """Forward value and every gradient of ``build`` vs the reference and central differences.

    ``build`` runs on the learner's Value only. The expected numbers come from
    ``reference`` (the same expression written with operators, e.g. ``x.tanh()`` for
    ``tanh_from_exp(x)``) on the reference engine; it defaults to ``build`` when ``build``
    calls no learner function.
    """
    __tracebackhide__ = True
    want_data, want_grads = _expected(reference or build, inputs)
    out, grads = _grads(Value, expr, build, inputs)
    expect(
        _close(out.data, want_data),
        f"`{expr}` is {_num(out.data)} with {_where(inputs)}, expected {_num(want_data)}",
    )
    report = _run(f"gradcheck of {expr}", lambda: gradcheck(build, inputs, Value), Value=Value)
    for name, want in want_grads.items():
        got, entry = grads[name], report[name]
        expect(
            _close(got, want),
            f"after `({expr}).backward()` with {_where(inputs)}, {name}.grad is "
            f"{_num(got)}, expected {_num(want)} (central differences of your "
            f"forward pass give {entry.numerical:.6g}; relative error "
            f"{relative_error(float(got), want):.1e})",
        )
        expect(
            entry.verdict == "great",
            f"after `({expr}).backward()` with {_where(inputs)}, {name}.grad is "
            f"{_num(got)} but central differences give {entry.numerical:.6g} "
            f"(relative error {entry.rel_error:.1e}): run gradcheck on it",
        )


# --- 1. constants ----------------------------------------------------------------------------


@check("04.constants")
def constants(Value) -> str:
    if _wraps_values(Value):
        fail(
            "`a + b` (or `a * b`) with a = Value(2.0), b = Value(3.0) builds a Value whose "
            "data is itself a Value: other was wrapped in Value(...) although it already is "
            f"a Value. Wrap numbers only: `{WRAP}`"
        )
    out, grads = _grads(Value, "a + 1", lambda a: a + 1, {"a": 2.0})
    expect(
        _close(out.data, 3.0),
        f"`a + 1` is {_num(out.data)} with a = 2.0, expected 3.0",
    )
    expect(
        _close(grads["a"], 1.0),
        f"after `(a + 1).backward()`, a.grad is {_num(grads['a'])}, expected 1.0",
    )
    out, grads = _grads(Value, "a * 2", lambda a: a * 2, {"a": 3.0})
    expect(_close(out.data, 6.0), f"`a * 2` is {_num(out.data)} with a = 3.0, expected 6.0")
    expect(
        _close(grads["a"], 2.0),
        f"after `(a * 2).backward()` with a = 3.0, a.grad is {_num(grads['a'])}, "
        "expected 2.0: the wrapped constant's data is the local derivative",
    )
    for expr, build, inputs in [
        ("a + 1", lambda a: a + 1, {"a": 2.0}),
        ("a * 2", lambda a: a * 2, {"a": 3.0}),
        ("a * 2.5 + a", lambda a: a * 2.5 + a, {"a": -1.5}),
        ("(a + 1) * (b * -2)", lambda a, b: (a + 1) * (b * -2), {"a": 0.5, "b": 4.0}),
        ("a * b + a", lambda a, b: a * b + a, {"a": 2.0, "b": -3.0}),
    ]:
        compare(Value, expr, build, inputs)
    return (
        "a + 1 = 3.0 and a * 2 = 6.0 with gradients 1.0 and 2.0; a * 2.5 + a, "
        "(a + 1) * (b * -2) and a * b + a match the reference engine and central differences "
        "(not checked yet: 1 + a and 2 * a, the next exercise)"
    )


# --- 2. constants on the left ----------------------------------------------------------------


@check("04.reflected")
def reflected(Value) -> str:
    for expr, build, inputs, want in [
        ("1 + a", lambda a: 1 + a, {"a": 2.0}, 3.0),
        ("2 * a", lambda a: 2 * a, {"a": 3.0}, 6.0),
    ]:
        out, _ = _forward(Value, expr, build, inputs)
        expect(
            _close(out.data, want),
            f"`{expr}` is {_num(out.data)} with {_where(inputs)}, expected {_num(want)}",
        )
    for expr, build, inputs in [
        ("1 + a", lambda a: 1 + a, {"a": 2.0}),
        ("2 * a", lambda a: 2 * a, {"a": 3.0}),
        ("-3 * a + 2.5", lambda a: -3 * a + 2.5, {"a": 0.5}),
        ("0.5 * (1 + a) * b", lambda a, b: 0.5 * (1 + a) * b, {"a": 1.5, "b": -2.0}),
        ("2 * a * a", lambda a: 2 * a * a, {"a": -1.25}),
    ]:
        compare(Value, expr, build, inputs)
    return (
        "1 + a = 3.0 and 2 * a = 6.0; -3 * a + 2.5, 0.5 * (1 + a) * b and 2 * a * a "
        "match the reference engine and central differences, gradients included"
    )


# --- 3. negation and subtraction -------------------------------------------------------------


@check("04.subtraction")
def subtraction(Value) -> str:
    out, grads = _grads(Value, "-a", lambda a: -a, {"a": 3.0})
    expect(
        _close(out.data, -3.0),
        f"`-a` is {_num(out.data)} with a = 3.0, expected -3.0: __neg__ should flip "
        "the sign (multiply by -1)",
    )
    expect(
        _close(grads["a"], -1.0),
        f"after `(-a).backward()` with a = 3.0, a.grad is {_num(grads['a'])}, expected "
        "-1.0: the derivative of -a is -1"
        + (
            ". Is -a built from a (children (self,), or self * -1)?"
            if _close(grads["a"], 0.0)
            else ""
        ),
    )
    out, grads = _grads(Value, "a - b", lambda a, b: a - b, {"a": 5.0, "b": 2.0})
    if _close(out.data, 7.0):
        fail(
            "`a - b` is 7.0 with a = 5.0, b = 2.0: that is a + b. __sub__ should add "
            "the negation: self + (-other)"
        )
    expect(
        _close(out.data, 3.0),
        f"`a - b` is {_num(out.data)} with a = 5.0, b = 2.0, expected 3.0",
    )
    out, _ = _forward(Value, "1 - a", lambda a: 1 - a, {"a": 5.0})
    if _close(out.data, 4.0):
        fail(
            "`1 - a` is 4.0 with a = 5.0, expected -4.0: that is a - 1. In __rsub__, "
            "self is a and other is 1, so return other + (-self)"
        )
    expect(
        _close(out.data, -4.0),
        f"`1 - a` is {_num(out.data)} with a = 5.0, expected -4.0",
    )
    for expr, build, inputs in [
        ("-a", lambda a: -a, {"a": 3.0}),
        ("a - b", lambda a, b: a - b, {"a": 5.0, "b": 2.0}),
        ("a - 1", lambda a: a - 1, {"a": 5.0}),
        ("1 - a", lambda a: 1 - a, {"a": 5.0}),
        ("a - a", lambda a: a - a, {"a": 1.5}),
        ("-(a * b) - (2 - b)", lambda a, b: -(a * b) - (2 - b), {"a": -0.5, "b": 3.0}),
    ]:
        compare(Value, expr, build, inputs)
    return (
        "-a = -3.0 (a.grad -1.0), a - b = 3.0, a - 1, 1 - a = -4.0, a - a and "
        "-(a * b) - (2 - b) match the reference engine and central differences, "
        "gradients included"
    )


# --- 4. powers -------------------------------------------------------------------------------


def _value_exponent(Value) -> str:
    """How ``Value ** Value`` is handled: refused (which error), or fully supported."""
    __tracebackhide__ = True
    x, y = Value(2.0), Value(3.0)
    try:
        out = x**y
    except AssertionError:
        return "refused by an assert"
    except TypeError:
        return "refused with a TypeError"
    expect(
        isinstance(out, Value) and _close(out.data, 8.0),
        f"`x ** y` with x = 2.0, y = Value(3.0) returned {out!r}: refuse a Value "
        "exponent, e.g. assert isinstance(other, (int, float))",
    )
    out.backward()
    if _close(x.grad, 12.0) and _close(y.grad, 8.0 * math.log(2.0)):
        return "supported, with the exponent's gradient 8 ln 2"
    fail(
        f"`x ** y` with y a Value gives y.grad {_num(y.grad)}, expected 8 ln 2 = "
        f"{8 * math.log(2):.6g}: the exponent must be an int or float constant. Refuse "
        "a Value, e.g. `assert isinstance(other, (int, float))`"
    )


@check("04.pow")
def power(Value) -> str:
    out, leaves = _forward(Value, "x**3", lambda x: x**3, {"x": 2.0})
    kids = children(out)
    others = [k for k in kids if k is not leaves["x"]]
    if others:
        fail(
            f"(x**3)._prev holds {', '.join(map(number, kids))}: besides x it holds "
            f"{number(others[0])}. The exponent 3 is a plain number, not a node of the graph: "
            "x is the only child, Value(self.data**other, (self,), f'**{other}')"
        )
    expect(
        kids,
        "(x**3)._prev is empty: x is its child, Value(self.data**other, (self,), f'**{other}')",
    )
    out, grads = _grads(Value, "x**3", lambda x: x**3, {"x": 2.0})
    expect(_close(out.data, 8.0), f"`x**3` is {_num(out.data)} with x = 2.0, expected 8.0")
    g = grads["x"]
    if _close(g, 24.0):
        fail(
            "after `(x**3).backward()` with x = 2.0, x.grad is 24.0, expected 12.0: that "
            "is n * x**n. The derivative of x**n is n * x**(n - 1)"
        )
    if _close(g, 4.0):
        fail(
            "after `(x**3).backward()` with x = 2.0, x.grad is 4.0, expected 12.0: that "
            "is x**(n - 1) without the factor n. The derivative is n * x**(n - 1)"
        )
    expect(
        _close(g, 12.0),
        f"after `(x**3).backward()` with x = 2.0, x.grad is {_num(g)}, expected 12.0 "
        "= 3 * 2.0**2 (the derivative of x**n is n * x**(n - 1))",
    )
    _, grads = _grads(Value, "x**2 + x**3", lambda x: x**2 + x**3, {"x": 2.0})
    g = grads["x"]
    if _close(g, 4.0) or _close(g, 12.0):
        fail(
            f"after `(x**2 + x**3).backward()` with x = 2.0, x.grad is {_num(g)}, "
            "expected 16.0 = 4 + 12: x is used twice, so its gradients add up. Does "
            "_backward use += ?"
        )
    how = _value_exponent(Value)
    for expr, build, inputs in [
        ("x**2", lambda x: x**2, {"x": 3.0}),
        ("x**-1", lambda x: x**-1, {"x": 4.0}),
        ("x**0.5", lambda x: x**0.5, {"x": 4.0}),
        ("x**2.5 * 3", lambda x: x**2.5 * 3, {"x": 1.5}),
        ("x**-2 + x**3", lambda x: x**-2 + x**3, {"x": -1.5}),
        ("(x * y)**2", lambda x, y: (x * y) ** 2, {"x": 0.5, "y": -3.0}),
    ]:
        compare(Value, expr, build, inputs)
    return (
        "x**3 = 8.0 with x.grad 12.0 at x = 2 and x its only child; x**2, x**-1, x**0.5, "
        "x**2.5, x**-2 + x**3 and (x * y)**2 match the reference engine and central "
        f"differences, gradients included; Value ** Value is {how}"
    )


# --- 5. division -----------------------------------------------------------------------------


@check("04.division")
def division(Value) -> str:
    out, _ = _forward(Value, "a / b", lambda a, b: a / b, {"a": 6.0, "b": 3.0})
    if _close(out.data, 0.5):
        fail("`a / b` is 0.5 with a = 6.0, b = 3.0: that is b / a. Use self * other**-1")
    expect(
        _close(out.data, 2.0),
        f"`a / b` is {_num(out.data)} with a = 6.0, b = 3.0, expected 2.0",
    )
    out, _ = _forward(Value, "3 / a", lambda a: 3 / a, {"a": 6.0})
    if _close(out.data, 2.0):
        fail(
            "`3 / a` is 2.0 with a = 6.0, expected 0.5: that is a / 3. In __rtruediv__, "
            "self is a and other is 3, so return other * self**-1"
        )
    expect(
        _close(out.data, 0.5),
        f"`3 / a` is {_num(out.data)} with a = 6.0, expected 0.5",
    )
    for expr, build, inputs in [
        ("a / b", lambda a, b: a / b, {"a": 6.0, "b": 3.0}),
        ("a / 4", lambda a: a / 4, {"a": 6.0}),
        ("3 / a", lambda a: 3 / a, {"a": 6.0}),
        ("a / a", lambda a: a / a, {"a": -2.5}),
        ("(a + 1) / (b - 2)", lambda a, b: (a + 1) / (b - 2), {"a": 0.5, "b": -1.0}),
        ("1 / (a * b)", lambda a, b: 1 / (a * b), {"a": 2.0, "b": -0.25}),
    ]:
        compare(Value, expr, build, inputs)
    return (
        "a / b = 2.0 (a.grad 1/3, b.grad -2/3), a / 4, 3 / a = 0.5, a / a, "
        "(a + 1) / (b - 2) and 1 / (a * b) match the reference engine and central "
        "differences, gradients included"
    )


# --- 6. exp ----------------------------------------------------------------------------------


@check("04.exp")
def exponential(Value) -> str:
    out, grads = _grads(Value, "x.exp()", lambda x: x.exp(), {"x": 2.0})
    e2 = math.exp(2.0)
    expect(
        _close(out.data, e2),
        f"`x.exp()` is {_num(out.data)} with x = 2.0, expected e**2 = {e2:.6g}",
    )
    g = grads["x"]
    if _close(g, 2.0):
        fail(
            "after `x.exp().backward()` with x = 2.0, x.grad is 2.0: that is x, but the "
            f"derivative of e**x is e**x itself ({e2:.6g}). Use out.data, not self.data"
        )
    expect(
        _close(g, e2),
        f"after `x.exp().backward()` with x = 2.0, x.grad is {_num(g)}, expected "
        f"e**2 = {e2:.6g} (the derivative of e**x is e**x: out.data)",
    )
    for expr, build, inputs in [
        ("x.exp()", lambda x: x.exp(), {"x": -1.0}),
        ("x.exp()", lambda x: x.exp(), {"x": 0.0}),
        ("(x * 2).exp()", lambda x: (x * 2).exp(), {"x": 0.75}),
        ("(-x).exp() * y", lambda x, y: (-x).exp() * y, {"x": 0.5, "y": 3.0}),
        ("x.exp() * x.exp()", lambda x: x.exp() * x.exp(), {"x": 0.3}),
    ]:
        compare(Value, expr, build, inputs)
    return (
        f"x.exp() = {e2:.6g} with x.grad {e2:.6g} at x = 2; exp at -1 and 0, "
        "(x * 2).exp(), (-x).exp() * y and x.exp() * x.exp() match the reference engine "
        "and central differences, "
        "gradients included"
    )


# --- 7. tanh ---------------------------------------------------------------------------------


@check("04.tanh")
def tanh(Value) -> str:
    for x in (0.5, -3.0, 0.0, 0.8813735870195432, 2.0, 50.0, -50.0):
        t = math.tanh(x)
        out, _ = _forward(Value, "x.tanh()", lambda x: x.tanh(), {"x": x})
        got = out.data
        if _close(got, t):
            continue
        if _close(got, math.tanh(x / 2)):
            fail(
                f"`x.tanh()` is {_num(got)} with x = {_num(x)}: that is tanh(x/2). "
                "The formula uses e**(2x): (exp(2x) - 1) / (exp(2x) + 1)"
            )
        if isinstance(got, float) and math.isnan(got):
            fail(
                f"`x.tanh()` is nan with x = {_num(x)}, expected {_num(t)}: for large "
                "|x| the formula's e**(2x) overflows; math.tanh(x) does not"
            )
        fail(f"`x.tanh()` is {_num(got)} with x = {_num(x)}, expected tanh = {_num(t)}")
    _, grads = _grads(Value, "x.tanh()", lambda x: x.tanh(), {"x": 0.5})
    g, t = grads["x"], math.tanh(0.5)
    for wrong, what in [
        (1 - 0.5**2, "1 - x**2: the derivative uses the output t = tanh(x), not x"),
        ((1 - t) ** 2, "(1 - t)**2: only t is squared"),
        (1 - t, "1 - t: t must be squared"),
    ]:
        if _close(g, wrong):
            fail(
                f"after `x.tanh().backward()` with x = 0.5, x.grad is {_num(g)}, "
                f"expected 1 - t**2 = {_num(1 - t * t)}: that is {what}. Write 1 - t**2"
            )
    expect(
        _close(g, 1 - t * t),
        f"after `x.tanh().backward()` with x = 0.5, x.grad is {_num(g)}, expected "
        f"1 - t**2 = {_num(1 - t * t)} (t = tanh(0.5) = {_num(t)})",
    )
    for expr, build, inputs in [
        ("x.tanh()", lambda x: x.tanh(), {"x": -2.0}),
        ("x.tanh()", lambda x: x.tanh(), {"x": 50.0}),
        ("(x * y).tanh()", lambda x, y: (x * y).tanh(), {"x": 0.5, "y": -1.5}),
        ("x.tanh() * x", lambda x: x.tanh() * x, {"x": 0.8813735870195432}),
    ]:
        compare(Value, expr, build, inputs)
    return (
        f"x.tanh() is exact from -50 to 50 (no overflow) and x.grad is 1 - t**2 = "
        f"{1 - t * t:.6g} at x = 0.5; (x * y).tanh() and x.tanh() * x match the reference "
        "engine and central differences"
    )


# --- 8. sum ----------------------------------------------------------------------------------


def _mean_of(Value, mean, numbers: list[float]):
    """``mean`` of fresh learner Values holding ``numbers``: (result, the Values)."""
    __tracebackhide__ = True
    values = [Value(x) for x in numbers]
    shown = f"mean([{', '.join(_num(x) for x in numbers)}])"
    m = _run(shown, lambda: mean(values), SUM_STARTS_AT_0, Value=Value)
    if is_number(m):
        fail(
            f"{shown} returned the number {_num(m)}, expected a Value: sum the "
            "Values themselves, not their .data, or the result has no gradient"
        )
    expect(isinstance(m, Value), f"{shown} returned {m!r}, expected a Value")
    total, n = sum(numbers), len(numbers)
    if n > 1 and _close(m.data, total):
        fail(f"{shown} is {_num(m.data)}: that is the sum, divide it by len(values)")
    if not _close(m.data, total / n) and m.data and total:
        k = total / m.data
        if abs(k - round(k)) < 1e-9 and round(k) >= 1:
            fail(
                f"{shown} is {_num(m.data)}, expected {_num(total / n)}: that is the sum "
                f"divided by {round(k)}, but there are {n} Values. Divide by len(values), "
                "not by a fixed number"
            )
    expect(
        _close(m.data, total / n),
        f"{shown} is {_num(m.data)}, expected {_num(total / n)}",
    )
    return m, values


@check("04.sum")
def sum_of_values(Value, mean) -> str:
    m, values = _mean_of(Value, mean, [1.0, 2.0, 6.0])
    _run("mean([1.0, 2.0, 6.0]).backward()", m.backward, Value=Value)
    expect(
        all(_close(v.grad, 1 / 3) for v in values),
        f"after mean([1.0, 2.0, 6.0]).backward(), the grads are "
        f"{[_num(v.grad) for v in values]}, expected 1/3 each (every input adds 1/n of itself)",
    )
    for numbers in ([1.0, 2.0, 3.0, 6.0], [5.0], [-1.5, 0.5]):
        _mean_of(Value, mean, numbers)
    values = [Value(x) for x in (1.0, 2.0, 6.0)]
    total = _run("sum([a, b, c])", lambda: sum(values), SUM_STARTS_AT_0, Value=Value)
    expect(
        isinstance(total, Value) and _close(total.data, 9.0),
        f"sum of Values 1.0, 2.0, 6.0 is {total!r}, expected a Value with data 9.0",
    )
    _run("sum([a, b, c]).backward()", total.backward, Value=Value)
    expect(
        all(_close(v.grad, 1.0) for v in values),
        f"after sum([a, b, c]).backward(), the grads are {[_num(v.grad) for v in values]}, "
        "expected 1.0 each",
    )
    for n in (1, 4):
        names = [f"x{i}" for i in range(n)]
        compare(
            Value,
            f"mean([{', '.join(names)}])",
            lambda **kw: mean(list(kw.values())),
            {name: 0.5 * i - 1.25 for i, name in enumerate(names)},
            reference=lambda **kw: sum(kw.values()) / len(kw),
        )
    return (
        "mean([1.0, 2.0, 6.0]) = 3.0 with grads 1/3 each, and the mean of 1, 2 and 4 Values; "
        "sum([a, b, c]) = 9.0 with grads 1.0; mean of 1 and of 4 Values matches the "
        "reference engine and central differences"
    )


# --- 9. tanh from its pieces, and everything together ----------------------------------------


def _graph_size(root) -> int:
    return len(walk(root))


@check("04.tanh_from_exp")
def together(Value, tanh_from_exp) -> str:
    for x in (0.5, -2.0, 0.8813735870195432, 1.5):
        t = math.tanh(x)
        out, _ = _forward(Value, "tanh_from_exp(x)", lambda x: tanh_from_exp(x), {"x": x})
        got = out.data
        if _close(got, t):
            continue
        if _close(got, 1 / t):
            fail(
                f"tanh_from_exp(x) is {_num(got)} with x = {_num(x)}: that is 1/tanh. "
                "The numerator is e - 1, the denominator e + 1"
            )
        if _close(got, math.tanh(x / 2)):
            fail(
                f"tanh_from_exp(x) is {_num(got)} with x = {_num(x)}: that is "
                "tanh(x/2). Use e = (2 * x).exp()"
            )
        fail(f"tanh_from_exp(x) is {_num(got)} with x = {_num(x)}, expected tanh = {_num(t)}")
    out, _ = _forward(Value, "tanh_from_exp(x)", lambda x: tanh_from_exp(x), {"x": 0.5})
    expect(
        _graph_size(out) > 2,
        "tanh_from_exp(x) is x.tanh() itself: build it from the pieces, e = (2 * x).exp(), "
        "then (e - 1) / (e + 1)",
    )
    for expr, build, inputs, reference in [
        ("tanh_from_exp(x)", lambda x: tanh_from_exp(x), {"x": 0.5}, lambda x: x.tanh()),
        ("tanh_from_exp(x)", lambda x: tanh_from_exp(x), {"x": -2.0}, lambda x: x.tanh()),
        (
            "tanh_from_exp(a * b + c)",
            lambda a, b, c: tanh_from_exp(a * b + c),
            {"a": 2.0, "b": -3.0, "c": 6.8813735870195432},
            lambda a, b, c: (a * b + c).tanh(),
        ),
        (
            "(a**2 - 1 / b).exp() / (2 + c)",
            lambda a, b, c: (a**2 - 1 / b).exp() / (2 + c),
            {"a": 0.5, "b": 2.0, "c": 1.0},
            None,
        ),
        (
            "-(a - b) * (c + 1)**-2 + 3 - a.tanh()",
            lambda a, b, c: -(a - b) * (c + 1) ** -2 + 3 - a.tanh(),
            {"a": 0.3, "b": -1.2, "c": 0.5},
            None,
        ),
        (
            "sum([a, b, c]) / 3 - a * b * c",
            lambda a, b, c: sum([a, b, c]) / 3 - a * b * c,
            {"a": 1.5, "b": -0.5, "c": 2.0},
            None,
        ),
    ]:
        compare(Value, expr, build, inputs, reference)
    return (
        "tanh_from_exp(x) equals tanh(x) with the same gradient 1 - t**2; four mixed "
        "expressions of every operation match the reference engine and central differences"
    )
