"""Checks of 04_operations: constants, neg, sub, pow, division, exp, tanh, sum, tanh from exp.

The probes (``autograd_helpers.probes.operations``) run expressions on the learner's own
Value and report the numbers they got: forward value, every gradient, and central
differences of the learner's own forward pass. The judges here compare them with the same
expressions on the reference engine (``solutions.engine.Value``, run by the judge alone,
never handed to the learner's code), after looking for the common mistakes and naming them.

A case is the numbers of a check's first steps and a list of ``[expression, inputs]``
pairs; the notebook shows its own numbers (``visible``), the grader adds draws (``_hidden_*``):
other operands, constants and exponents, away from 0 and from the numbers where a mistake
gives the right answer, and expressions whose values and gradients are not so close to 0
that rounding decides.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Any

from autograd_helpers.checks._core import (
    Malformed,
    Stopped,
    check,
    close,
    expect,
    fail,
    number,
)
from autograd_helpers.gradcheck import GradcheckEntry, gradcheck, relative_error
from autograd_helpers.probes import operations as _probes  # registers the probes
from autograd_helpers.probes._values import as_float
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
# what the notebook's functions stand for, on the reference engine
REFERENCE_FUNCTIONS = {
    "mean": lambda values: sum(values) / len(values),
    "tanh_from_exp": lambda x: x.tanh(),
}


_num = number  # a number as the notebook shows it: 1.0, -0.0625, 0.786448


def _short(x: float) -> str:
    """A number as a formula shows it: 2 for 2.0, -50 for -50.0, 0.786448."""
    return f"{x:g}"


def _fraction(x: float) -> str:
    """1/3 for 0.333..., -2/3 for -0.666...; other numbers as :func:`number` shows them."""
    f = Fraction(x).limit_denominator(12)
    if f.denominator > 1 and abs(float(f) - x) < 1e-12:
        return f"{f.numerator}/{f.denominator}"
    return _num(x)


def _listed(items: list[str]) -> str:
    """``a, b and c`` (``""`` for no items)."""
    return "".join(items) if len(items) < 2 else f"{', '.join(items[:-1])} and {items[-1]}"


def _where(inputs: Mapping[str, float]) -> str:
    return ", ".join(f"{name} = {_num(x)}" for name, x in inputs.items())


def _close(got: object, want: float) -> bool:
    return close(got, want, rel=1e-9, abs_tol=1e-12)


def _relative(got: object, want: float) -> str:
    g = as_float(got)
    return "n/a" if g is None else f"{relative_error(g, want):.1e}"


# --- the learner's errors, in the course's words ---------------------------------------------


def _wraps_values(two_values: list) -> bool:
    """True when ``Value(2.0) + Value(3.0)`` (or ``*``) wrapped a Value in a Value (probe's
    ``two_values``): a result whose data is not a number, or float + Value inside."""
    for seen in two_values:
        if seen["raised"] is not None:
            m = _UNSUPPORTED.search(seen["text"])
            return (
                seen["raised"] == "TypeError"
                and m is not None
                and m["left"] in _NUMBERS
                and m["right"] not in _NUMBERS
            )
        if not seen["number"]:
            return True
    return False


def _explained(raised: Mapping, expr: str) -> str | None:
    """Why ``expr`` raised (the probe's ``raised``), for the errors learners meet."""
    kind, text = raised["type"], raised["text"]
    said = f"`{expr}` raised {kind}: {text}"
    m = _UNSUPPORTED.search(text)
    if kind == "TypeError" and m:
        forward, reflected = _METHODS[m["op"]]
        if m["left"] in _NUMBERS and _wraps_values(raised.get("two_values") or []):
            line = f" (`{raised['code']}`)" if raised.get("code") else ""
            return (
                f"{said}{line}: a Value's data is itself a Value there. `a + b` with "
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
    if kind == "TypeError" and m:
        return f"{said}: define __neg__ (Python calls it for -a)"
    m = _NO_DATA.search(text)
    if kind == "AttributeError" and m:
        return (
            f"{said}. The constant is a plain {m['type']}, not a Value: wrap other in "
            f"a Value first, `{WRAP}`"
        )
    m = _NO_METHOD.search(text)
    if kind == "AttributeError" and m:
        return f"{said}: define the method {m['name']}() and attach it to the class"
    return None


def _read(d, key: str, expr: str, note: str = "") -> Any:
    """``d[key]``; when that step raised, the error named (or as the probe stopped)."""
    got = d[key]
    if isinstance(got, dict) and "raised" in got:
        reason = _explained(got["raised"], expr)
        if reason is not None:
            fail(reason + note)
        if d.stop is None:
            raise Malformed(f"{key!r} raised, but the probe went on")
        raise Stopped(d.stop)
    return got


def _output(d, key: str, expr: str, inputs: Mapping[str, float], note: str = "") -> Any:
    """The data of the Value that ``expr`` returned (probe's ``_forward``), or a failure."""
    r = _read(d, key, expr, note)
    expect(
        r["value"],
        f"`{expr}` with {_where(inputs)} returned {r['type']} {r['repr']}, expected "
        "a Value: every operation must return a new Value",
    )
    return r["data"]


def _grads(d, key: str, expr: str, note: str = "") -> dict:
    return _read(d, f"{key}.grads", f"({expr}).backward()", note)


# --- comparing with the reference engine -----------------------------------------------------


def expected(
    expr: str, inputs: Mapping[str, float], functions: Mapping | None = None
) -> tuple[float, dict[str, float]]:
    """``expr``'s value and gradients on the reference engine (the judge's own numbers)."""
    leaves = {name: Reference(x) for name, x in inputs.items()}
    out = _probes.evaluate(expr, leaves, {**REFERENCE_FUNCTIONS, **(functions or {})})
    out.backward()
    return out.data, {name: leaf.grad for name, leaf in leaves.items()}


def _entry(name: str, seen: Mapping) -> GradcheckEntry:
    """One input's row of the learner's gradcheck (probe's ``_gradcheck``)."""
    analytic, numerical = float(seen["analytic"]), float(seen["numerical"])
    return GradcheckEntry(
        name, analytic, numerical, relative_error(analytic, numerical), float(seen["noise"])
    )


def compare(d, key: str, expr: str, inputs: Mapping[str, float]) -> None:
    """Forward value and every gradient of ``expr`` (probe's ``compare<i>``) against the
    reference engine and central differences of the learner's forward pass."""
    want_data, want_grads = expected(expr, inputs)
    data = _output(d, key, expr, inputs)
    grads = _grads(d, key, expr)
    expect(
        _close(data, want_data),
        f"`{expr}` is {_num(data)} with {_where(inputs)}, expected {_num(want_data)}",
    )
    report = _read(d, f"{key}.gradcheck", f"gradcheck of {expr}")
    for name, want in want_grads.items():
        got, entry = grads[name], _entry(name, report[name])
        if not _close(got, want):
            fail(
                f"after `({expr}).backward()` with {_where(inputs)}, {name}.grad is "
                f"{_num(got)}, expected {_num(want)} (central differences of your "
                f"forward pass give {entry.numerical:.6g}; relative error "
                f"{_relative(got, want)})"
            )
        expect(
            entry.verdict == "great",
            f"after `({expr}).backward()` with {_where(inputs)}, {name}.grad is "
            f"{_num(got)} but central differences give {entry.numerical:.6g} "
            f"(relative error {entry.rel_error:.1e}): run gradcheck on it",
        )


def _compare_all(d, cases: list) -> None:
    for i, (expr, inputs) in enumerate(cases):
        compare(d, f"compare{i}", expr, inputs)


# --- the grader's draws ----------------------------------------------------------------------


def _draw(rng: random.Random, lo: float, hi: float, away: tuple[float, ...] = ()) -> float:
    """A number in [lo, hi] with two decimals, at least 0.25 from 0 and from each of ``away``."""
    while True:
        x = round(rng.uniform(lo, hi), 2)
        if all(abs(x - v) >= 0.25 for v in (0.0, *away)):
            return x


def _constant(rng: random.Random, choices: tuple = (2, 3, 4, 0.5, 1.5, 2.5, -2, -3, -0.5, -1.5)):
    """A constant written into an expression (an int or a short float)."""
    return rng.choice(choices)


def _settled(expr: str, inputs: Mapping[str, float]) -> bool:
    """True when rounding cannot decide ``expr`` at ``inputs``: its value and every gradient
    are 0 or at least 0.05, and central differences agree with the gradients to 1e-9."""
    try:
        data, grads = expected(expr, inputs)
        report = gradcheck(
            lambda **leaves: _probes.evaluate(expr, leaves, REFERENCE_FUNCTIONS), inputs, Reference
        )
    except (ArithmeticError, ValueError):
        return False
    if not all(abs(v) < 1e-12 or 0.05 <= abs(v) < 1e6 for v in (data, *grads.values())):
        return False
    return all(e.within_noise or e.rel_error < 1e-9 for e in report.entries)


def _settled_draw(rng: random.Random, make: Callable[[random.Random], tuple]) -> list:
    """``make(rng)`` (an ``(expression, inputs)`` pair), drawn again until it is settled."""
    while True:
        expr, inputs = make(rng)
        if _settled(expr, inputs):
            return [expr, inputs]


def _drawn(rng: random.Random, makers: list[Callable[[random.Random], tuple]]) -> list:
    return [_settled_draw(rng, make) for make in makers]


# --- 1. constants ----------------------------------------------------------------------------


def _constants_case(add: dict, mul: dict, mixed: list) -> dict:
    compare = [
        [f"a + {_num(add['c'])}", {"a": add["a"]}],
        [f"a * {_num(mul['k'])}", {"a": mul["a"]}],
        *mixed,
    ]
    return {"add": add, "mul": mul, "compare": compare}


def _hidden_constants(rng: random.Random) -> list[dict]:
    cases = []
    for _ in range(3):
        add = {"a": _draw(rng, -5, 5), "c": _constant(rng, (1, 2, 3, 5, 0.5, 1.5, 2.25))}
        mul = {"a": _draw(rng, -5, 5), "k": _constant(rng)}
        mixed = _drawn(
            rng,
            [
                lambda r: (f"a * {_num(_constant(r))} + a", {"a": _draw(r, -4, 4)}),
                lambda r: (
                    f"(a + {_num(_constant(r, (1, 2, 0.5, 1.5)))}) * (b * {_num(_constant(r))})",
                    {"a": _draw(r, -3, 3), "b": _draw(r, -4, 4)},
                ),
                lambda r: ("a * b + a", {"a": _draw(r, -4, 4), "b": _draw(r, -4, 4, (-1.0,))}),
            ],
        )
        cases.append(_constants_case(add, mul, mixed))
    return cases


@check(
    "04.constants",
    visible=_constants_case(
        {"a": 2.0, "c": 1},
        {"a": 3.0, "k": 2},
        [
            ["a * 2.5 + a", {"a": -1.5}],
            ["(a + 1) * (b * -2)", {"a": 0.5, "b": 4.0}],
            ["a * b + a", {"a": 2.0, "b": -3.0}],
        ],
    ),
    hidden=_hidden_constants,
)
def constants(d, add, mul, compare) -> str:
    if _wraps_values(d["two_values"]):
        fail(
            "`a + b` (or `a * b`) with a = Value(2.0), b = Value(3.0) builds a Value whose "
            "data is itself a Value: other was wrapped in Value(...) although it already is "
            f"a Value. Wrap numbers only: `{WRAP}`"
        )
    a, c = add["a"], add["c"]
    expr, want = f"a + {_num(c)}", a + c
    data = _output(d, "add", expr, {"a": a})
    grads = _grads(d, "add", expr)
    expect(
        _close(data, want), f"`{expr}` is {_num(data)} with a = {_num(a)}, expected {_num(want)}"
    )
    expect(
        _close(grads["a"], 1.0),
        f"after `({expr}).backward()`, a.grad is {_num(grads['a'])}, expected 1.0",
    )
    a, k = mul["a"], mul["k"]
    expr, want = f"a * {_num(k)}", a * k
    data = _output(d, "mul", expr, {"a": a})
    grads = _grads(d, "mul", expr)
    expect(
        _close(data, want), f"`{expr}` is {_num(data)} with a = {_num(a)}, expected {_num(want)}"
    )
    expect(
        _close(grads["a"], k),
        f"after `({expr}).backward()` with a = {_num(a)}, a.grad is {_num(grads['a'])}, "
        f"expected {_num(float(k))}: the wrapped constant's data is the local derivative",
    )
    _compare_all(d, compare)
    mixed = [text for text, _ in compare[2:]]
    return (
        f"a + {_num(c)} = {_num(add['a'] + c)} and a * {_num(k)} = {_num(a * k)} with "
        f"gradients 1.0 and {_num(float(k))}; {_listed(mixed)} match the reference engine "
        "and central differences (1 + a and 2 * a are the next exercise)"
    )


# --- 2. constants on the left ----------------------------------------------------------------


def _reflected_case(radd: dict, rmul: dict, mixed: list) -> dict:
    compare = [
        [f"{_num(radd['c'])} + a", {"a": radd["a"]}],
        [f"{_num(rmul['k'])} * a", {"a": rmul["a"]}],
        *mixed,
    ]
    return {"radd": radd, "rmul": rmul, "compare": compare}


def _hidden_reflected(rng: random.Random) -> list[dict]:
    cases = []
    for _ in range(3):
        radd = {"c": _constant(rng), "a": _draw(rng, -5, 5)}
        rmul = {"k": _constant(rng), "a": _draw(rng, -5, 5)}
        mixed = _drawn(
            rng,
            [
                lambda r: (
                    f"{_num(_constant(r))} * a + {_num(_constant(r, (1, 2, 0.5, 2.5)))}",
                    {"a": _draw(r, -4, 4)},
                ),
                lambda r: (
                    f"{_num(_constant(r, (0.5, 2, 1.5)))} * ({_num(_constant(r, (1, 2, 3)))} + a)"
                    " * b",
                    {"a": _draw(r, -3, 3), "b": _draw(r, -4, 4)},
                ),
                lambda r: (f"{_num(_constant(r))} * a * a", {"a": _draw(r, -3, 3)}),
            ],
        )
        cases.append(_reflected_case(radd, rmul, mixed))
    return cases


@check(
    "04.reflected",
    visible=_reflected_case(
        {"c": 1, "a": 2.0},
        {"k": 2, "a": 3.0},
        [
            ["-3 * a + 2.5", {"a": 0.5}],
            ["0.5 * (1 + a) * b", {"a": 1.5, "b": -2.0}],
            ["2 * a * a", {"a": -1.25}],
        ],
    ),
    hidden=_hidden_reflected,
)
def reflected(d, radd, rmul, compare) -> str:
    shown = []
    for key, expr, a, want in [
        ("radd", f"{_num(radd['c'])} + a", radd["a"], radd["c"] + radd["a"]),
        ("rmul", f"{_num(rmul['k'])} * a", rmul["a"], rmul["k"] * rmul["a"]),
    ]:
        data = _output(d, key, expr, {"a": a})
        expect(
            _close(data, want),
            f"`{expr}` is {_num(data)} with a = {_num(a)}, expected {_num(want)}",
        )
        shown.append(f"{expr} = {_num(want)}")
    _compare_all(d, compare)
    mixed = [text for text, _ in compare[2:]]
    return (
        f"{shown[0]} and {shown[1]}; {_listed(mixed)} match the reference engine and central "
        "differences, gradients included"
    )


# --- 3. negation and subtraction -------------------------------------------------------------


def _hidden_subtraction(rng: random.Random) -> list[dict]:
    cases = []
    for _ in range(3):
        neg = {"a": _draw(rng, -5, 5)}
        sub = {"a": _draw(rng, -5, 5), "b": _draw(rng, -5, 5)}  # b != 0: a + b != a - b
        c = _constant(rng, (1, 2, 3, 0.5, 1.5, -1, -2))
        rsub = {"c": c, "a": _draw(rng, -5, 5, (c,))}  # a != c: c - a != a - c
        compare = [
            ["-a", neg],
            ["a - b", sub],
            [f"a - {_num(_constant(rng, (1, 2, 3)))}", {"a": _draw(rng, -5, 5)}],
            [f"{_num(c)} - a", {"a": rsub["a"]}],
            ["a - a", {"a": _draw(rng, -5, 5)}],
            *_drawn(
                rng,
                [
                    lambda r: (
                        f"-(a * b) - ({_num(_constant(r, (1, 2, 3, 0.5)))} - b)",
                        {"a": _draw(r, -3, 3), "b": _draw(r, -4, 4)},
                    )
                ],
            ),
        ]
        cases.append({"neg": neg, "sub": sub, "rsub": rsub, "compare": compare})
    return cases


@check(
    "04.subtraction",
    visible={
        "neg": {"a": 3.0},
        "sub": {"a": 5.0, "b": 2.0},
        "rsub": {"c": 1, "a": 5.0},
        "compare": [
            ["-a", {"a": 3.0}],
            ["a - b", {"a": 5.0, "b": 2.0}],
            ["a - 1", {"a": 5.0}],
            ["1 - a", {"a": 5.0}],
            ["a - a", {"a": 1.5}],
            ["-(a * b) - (2 - b)", {"a": -0.5, "b": 3.0}],
        ],
    },
    hidden=_hidden_subtraction,
)
def subtraction(d, neg, sub, rsub, compare) -> str:
    a = neg["a"]
    data = _output(d, "neg", "-a", neg)
    grads = _grads(d, "neg", "-a")
    expect(
        _close(data, -a),
        f"`-a` is {_num(data)} with a = {_num(a)}, expected {_num(-a)}: __neg__ should flip "
        "the sign (multiply by -1)",
    )
    g = grads["a"]
    expect(
        _close(g, -1.0),
        f"after `(-a).backward()` with a = {_num(a)}, a.grad is {_num(g)}, expected "
        "-1.0: the derivative of -a is -1"
        + (". Is -a built from a (children (self,), or self * -1)?" if _close(g, 0.0) else ""),
    )
    a, b = sub["a"], sub["b"]
    data = _output(d, "sub", "a - b", sub)
    _grads(d, "sub", "a - b")
    if _close(data, a + b):
        fail(
            f"`a - b` is {_num(data)} with a = {_num(a)}, b = {_num(b)}: that is a + b. "
            "__sub__ should add the negation: self + (-other)"
        )
    expect(
        _close(data, a - b),
        f"`a - b` is {_num(data)} with a = {_num(a)}, b = {_num(b)}, expected {_num(a - b)}",
    )
    c, a = rsub["c"], rsub["a"]
    expr = f"{_num(c)} - a"
    data = _output(d, "rsub", expr, {"a": a})
    if _close(data, a - c):
        fail(
            f"`{expr}` is {_num(data)} with a = {_num(a)}, expected {_num(c - a)}: that is "
            f"a - {_num(c)}. In __rsub__, self is a and other is {_num(c)}, so return "
            "other + (-self)"
        )
    expect(
        _close(data, c - a),
        f"`{expr}` is {_num(data)} with a = {_num(a)}, expected {_num(c - a)}",
    )
    _compare_all(d, compare)
    notes = {
        "-a": f"-a = {_num(-neg['a'])} (a.grad -1.0)",
        "a - b": f"a - b = {_num(sub['a'] - sub['b'])}",
        expr: f"{expr} = {_num(c - a)}",
    }
    return (
        f"{_listed([notes.get(text, text) for text, _ in compare])} match the reference "
        "engine and central differences, gradients included"
    )


# --- 4. powers -------------------------------------------------------------------------------


def _value_exponent(d) -> str:
    """How ``Value ** Value`` is handled (probe's ``value_exponent``): refused, or supported."""
    seen = d["value_exponent"]
    if seen["refused"] == "assert":
        return "refused by an assert"
    if seen["refused"] == "type_error":
        return "refused with a TypeError"
    expect(
        seen["value"] and _close(seen["data"], 8.0),
        f"`x ** y` with x = 2.0, y = Value(3.0) returned {seen['repr']}: refuse a Value "
        "exponent, e.g. assert isinstance(other, (int, float))",
    )
    grads = d["value_exponent.grads"]
    if _close(grads["x"], 12.0) and _close(grads["y"], 8.0 * math.log(2.0)):
        return "supported, with the exponent's gradient 8 ln 2"
    fail(
        f"`x ** y` with y a Value gives y.grad {_num(grads['y'])}, expected 8 ln 2 = "
        f"{8 * math.log(2):.6g}: the exponent must be an int or float constant. Refuse "
        "a Value, e.g. `assert isinstance(other, (int, float))`"
    )


def _hidden_power(rng: random.Random) -> list[dict]:
    cases = []
    for _ in range(3):
        x = _draw(rng, 0.3, 3, (1.0,))  # x != 1: n * x**n != n * x**(n - 1)
        n = rng.choice((2, 3, 4, -1, -2, 0.5, 1.5, 2.5))  # n != 1: x**(n - 1) != n * x**(n - 1)
        twice = rng.sample((2, 3, 4, -1, 0.5, 1.5), 2)
        compare = _drawn(
            rng,
            [
                lambda r: (f"x**{_num(r.choice((2, 3, 4)))}", {"x": _draw(r, -3, 3)}),
                lambda r: (f"x**{_num(r.choice((-1, -2, -3)))}", {"x": _draw(r, -3, 3)}),
                lambda r: (f"x**{_num(r.choice((0.5, 1.5)))}", {"x": _draw(r, 0.3, 4)}),
                lambda r: (
                    f"x**{_num(r.choice((2.5, 0.5, 3.5)))} * {_num(_constant(r))}",
                    {"x": _draw(r, 0.3, 3)},
                ),
                lambda r: (
                    f"x**{_num(r.choice((-1, -2)))} + x**{_num(r.choice((2, 3)))}",
                    {"x": _draw(r, -2.5, 2.5)},
                ),
                lambda r: (
                    f"(x * y)**{_num(r.choice((2, 3, -1)))}",
                    {"x": _draw(r, -2, 2), "y": _draw(r, -2, 2)},
                ),
            ],
        )
        cases.append({"x": x, "n": n, "twice": twice, "compare": compare})
    return cases


@check(
    "04.pow",
    visible={
        "x": 2.0,
        "n": 3,
        "twice": [2, 3],
        "compare": [
            ["x**2", {"x": 3.0}],
            ["x**-1", {"x": 4.0}],
            ["x**0.5", {"x": 4.0}],
            ["x**2.5 * 3", {"x": 1.5}],
            ["x**-2 + x**3", {"x": -1.5}],
            ["(x * y)**2", {"x": 0.5, "y": -3.0}],
        ],
    },
    hidden=_hidden_power,
)
def power(d, x, n, twice, compare) -> str:
    expr, at = f"x**{_num(n)}", {"x": x}
    _output(d, "pow", expr, at)
    kids = d["pow.children"]
    # x first, then the others in a fixed order: a set's order differs from run to run
    others = sorted(number(k["kid"]) for k in kids if not k["x"])
    if others:
        held = [number(k["kid"]) for k in kids if k["x"]] + others
        fail(
            f"({expr})._prev holds {', '.join(held)}: besides x it "
            f"holds {others[0]}. The exponent {_num(n)} is a plain number, not a node "
            "of the graph: x is the only child, Value(self.data**other, (self,), f'**{other}')"
        )
    expect(
        kids,
        f"({expr})._prev is empty: x is its child, "
        "Value(self.data**other, (self,), f'**{other}')",
    )
    data = _output(d, "pow", expr, at)
    g = _grads(d, "pow", expr)["x"]
    want_data, want = x**n, n * x ** (n - 1)
    expect(
        _close(data, want_data),
        f"`{expr}` is {_num(data)} with x = {_num(x)}, expected {_num(want_data)}",
    )
    said = f"after `({expr}).backward()` with x = {_num(x)}, x.grad is {_num(g)}, expected "
    if _close(g, n * x**n):
        fail(f"{said}{_num(want)}: that is n * x**n. The derivative of x**n is n * x**(n - 1)")
    if _close(g, x ** (n - 1)):
        fail(
            f"{said}{_num(want)}: that is x**(n - 1) without the factor n. The derivative "
            "is n * x**(n - 1)"
        )
    expect(
        _close(g, want),
        f"{said}{_num(want)} = {_num(n)} * {_num(x)}**{_num(n - 1)} (the derivative of "
        "x**n is n * x**(n - 1))",
    )
    n1, n2 = twice
    expr2 = f"x**{_num(n1)} + x**{_num(n2)}"
    _output(d, "twice", expr2, at)
    g = _grads(d, "twice", expr2)["x"]
    parts = (n1 * x ** (n1 - 1), n2 * x ** (n2 - 1))
    if any(_close(g, part) for part in parts):
        fail(
            # which part is left depends on the order of a set: say both, the same every run
            f"after `({expr2}).backward()` with x = {_num(x)}, x.grad is one part only "
            f"({parts[0]:.6g} or {parts[1]:.6g}), expected {_num(sum(parts))} = {parts[0]:.6g} "
            f"+ {parts[1]:.6g}: x is used twice, so its gradients add up. Does _backward use += ?"
        )
    how = _value_exponent(d)
    _compare_all(d, compare)
    return (
        f"{expr} = {_num(want_data)} with x.grad {_num(want)} at x = {_short(x)} and x its "
        f"only child; {_listed([text for text, _ in compare])} match the reference engine "
        f"and central differences, gradients included; Value ** Value is {how}"
    )


# --- 5. division -----------------------------------------------------------------------------


def _hidden_division(rng: random.Random) -> list[dict]:
    cases = []
    for _ in range(3):
        b = _draw(rng, -5, 5)
        div = {"a": _draw(rng, -6, 6, (b, -b)), "b": b}  # |a| != |b|: a / b != b / a
        c = _constant(rng, (2, 3, 4, 5, 1.5, -2, -3))
        rdiv = {"c": c, "a": _draw(rng, -6, 6, (c, -c))}  # |a| != |c|: c / a != a / c
        compare = [
            ["a / b", div],
            *_drawn(rng, [lambda r: (f"a / {_num(_constant(r))}", {"a": _draw(r, -6, 6)})]),
            [f"{_num(c)} / a", {"a": rdiv["a"]}],
            ["a / a", {"a": _draw(rng, -4, 4)}],
            *_drawn(
                rng,
                [
                    lambda r: (
                        f"(a + {_num(_constant(r, (1, 2, 0.5)))}) / "
                        f"(b - {_num(_constant(r, (1, 2, 3)))})",
                        {"a": _draw(r, -3, 3), "b": _draw(r, -4, 4, (1.0, 2.0, 3.0))},
                    ),
                    lambda r: (
                        f"{_num(_constant(r, (1, 2, 3)))} / (a * b)",
                        {"a": _draw(r, -3, 3), "b": _draw(r, -3, 3)},
                    ),
                ],
            ),
        ]
        cases.append({"div": div, "rdiv": rdiv, "compare": compare})
    return cases


@check(
    "04.division",
    visible={
        "div": {"a": 6.0, "b": 3.0},
        "rdiv": {"c": 3, "a": 6.0},
        "compare": [
            ["a / b", {"a": 6.0, "b": 3.0}],
            ["a / 4", {"a": 6.0}],
            ["3 / a", {"a": 6.0}],
            ["a / a", {"a": -2.5}],
            ["(a + 1) / (b - 2)", {"a": 0.5, "b": -1.0}],
            ["1 / (a * b)", {"a": 2.0, "b": -0.25}],
        ],
    },
    hidden=_hidden_division,
)
def division(d, div, rdiv, compare) -> str:
    a, b = div["a"], div["b"]
    data = _output(d, "div", "a / b", div)
    if _close(data, b / a):
        fail(
            f"`a / b` is {_num(data)} with a = {_num(a)}, b = {_num(b)}: that is b / a. "
            "Use self * other**-1"
        )
    expect(
        _close(data, a / b),
        f"`a / b` is {_num(data)} with a = {_num(a)}, b = {_num(b)}, expected {_num(a / b)}",
    )
    c, x = rdiv["c"], rdiv["a"]
    expr = f"{_num(c)} / a"
    data = _output(d, "rdiv", expr, {"a": x})
    if _close(data, x / c):
        fail(
            f"`{expr}` is {_num(data)} with a = {_num(x)}, expected {_num(c / x)}: that is "
            f"a / {_num(c)}. In __rtruediv__, self is a and other is {_num(c)}, so return "
            "other * self**-1"
        )
    expect(
        _close(data, c / x),
        f"`{expr}` is {_num(data)} with a = {_num(x)}, expected {_num(c / x)}",
    )
    _compare_all(d, compare)
    notes = {
        "a / b": f"a / b = {_num(a / b)} (a.grad {_fraction(1 / b)}, b.grad "
        f"{_fraction(-a / b**2)})",
        expr: f"{expr} = {_num(c / x)}",
    }
    return (
        f"{_listed([notes.get(text, text) for text, _ in compare])} match the reference "
        "engine and central differences, gradients included"
    )


# --- 6. exp ----------------------------------------------------------------------------------


def _hidden_exponential(rng: random.Random) -> list[dict]:
    cases = []
    for _ in range(3):
        compare = _drawn(
            rng,
            [
                lambda r: ("x.exp()", {"x": _draw(r, -3, 3)}),
                lambda r: (f"(x * {_num(_constant(r))}).exp()", {"x": _draw(r, -1.5, 1.5)}),
                lambda r: ("(-x).exp() * y", {"x": _draw(r, -2, 2), "y": _draw(r, -4, 4)}),
                lambda r: ("x.exp() * x.exp()", {"x": _draw(r, -1.5, 1.5)}),
            ],
        )
        cases.append({"x": _draw(rng, -3, 4), "compare": compare})
    return cases


@check(
    "04.exp",
    visible={
        "x": 2.0,
        "compare": [
            ["x.exp()", {"x": -1.0}],
            ["x.exp()", {"x": 0.0}],
            ["(x * 2).exp()", {"x": 0.75}],
            ["(-x).exp() * y", {"x": 0.5, "y": 3.0}],
            ["x.exp() * x.exp()", {"x": 0.3}],
        ],
    },
    hidden=_hidden_exponential,
)
def exponential(d, x, compare) -> str:
    at = {"x": x}
    data = _output(d, "exp", "x.exp()", at)
    g = _grads(d, "exp", "x.exp()")["x"]
    ex, e_x = math.exp(x), f"e**{_short(x)}"
    expect(
        _close(data, ex),
        f"`x.exp()` is {_num(data)} with x = {_num(x)}, expected {e_x} = {ex:.6g}",
    )
    if _close(g, x):
        fail(
            f"after `x.exp().backward()` with x = {_num(x)}, x.grad is {_num(g)}: that is x, "
            f"but the derivative of e**x is e**x itself ({ex:.6g}). Use out.data, not self.data"
        )
    expect(
        _close(g, ex),
        f"after `x.exp().backward()` with x = {_num(x)}, x.grad is {_num(g)}, expected "
        f"{e_x} = {ex:.6g} (the derivative of e**x is e**x: out.data)",
    )
    _compare_all(d, compare)
    at_points = [_short(inputs["x"]) for text, inputs in compare if text == "x.exp()"]
    others = [text for text, _ in compare if text != "x.exp()"]
    listed = _listed([f"exp at {_listed(at_points)}"] * bool(at_points) + others)
    return (
        f"x.exp() = {ex:.6g} with x.grad {ex:.6g} at x = {_short(x)}; {listed} match the "
        "reference engine and central differences, gradients included"
    )


# --- 7. tanh ---------------------------------------------------------------------------------


def _hidden_tanh(rng: random.Random) -> list[dict]:
    cases = []
    for _ in range(3):
        big = rng.choice((1, -1)) * round(rng.uniform(25, 50), 1)
        xs = [_draw(rng, -3, 3), _draw(rng, -3, 3), big]
        compare = [
            ["x.tanh()", {"x": _draw(rng, -2.5, 2.5)}],
            ["x.tanh()", {"x": -big}],
            *_drawn(
                rng,
                [
                    lambda r: (
                        "(x * y).tanh()",
                        {"x": _draw(r, -1.5, 1.5), "y": _draw(r, -1.5, 1.5)},
                    ),
                    lambda r: ("x.tanh() * x", {"x": _draw(r, -2.5, 2.5)}),
                ],
            ),
        ]
        cases.append({"xs": xs, "x": _draw(rng, -2.5, 2.5), "compare": compare})
    return cases


@check(
    "04.tanh",
    visible={
        "xs": [0.5, -3.0, 0.0, 0.8813735870195432, 2.0, 50.0, -50.0],
        "x": 0.5,
        "compare": [
            ["x.tanh()", {"x": -2.0}],
            ["x.tanh()", {"x": 50.0}],
            ["(x * y).tanh()", {"x": 0.5, "y": -1.5}],
            ["x.tanh() * x", {"x": 0.8813735870195432}],
        ],
    },
    hidden=_hidden_tanh,
)
def tanh(d, xs, x, compare) -> str:
    for i, at in enumerate(xs):
        t = math.tanh(at)
        got = _output(d, f"at{i}", "x.tanh()", {"x": at})
        if _close(got, t):
            continue
        if _close(got, math.tanh(at / 2)):
            fail(
                f"`x.tanh()` is {_num(got)} with x = {_num(at)}: that is tanh(x/2). "
                "The formula uses e**(2x): (exp(2x) - 1) / (exp(2x) + 1)"
            )
        if isinstance(got, float) and math.isnan(got):
            fail(
                f"`x.tanh()` is nan with x = {_num(at)}, expected {_num(t)}: for large "
                "|x| the formula's e**(2x) overflows; math.tanh(x) does not"
            )
        fail(f"`x.tanh()` is {_num(got)} with x = {_num(at)}, expected tanh = {_num(t)}")
    _output(d, "tanh", "x.tanh()", {"x": x})
    g, t = _grads(d, "tanh", "x.tanh()")["x"], math.tanh(x)
    said = f"after `x.tanh().backward()` with x = {_num(x)}, x.grad is {_num(g)}, expected "
    for wrong, what in [
        (1 - x**2, "1 - x**2: the derivative uses the output t = tanh(x), not x"),
        ((1 - t) ** 2, "(1 - t)**2: only t is squared"),
        (1 - t, "1 - t: t must be squared"),
    ]:
        if _close(g, wrong):
            fail(f"{said}1 - t**2 = {_num(1 - t * t)}: that is {what}. Write 1 - t**2")
    expect(
        _close(g, 1 - t * t),
        f"{said}1 - t**2 = {_num(1 - t * t)} (t = tanh({_short(x)}) = {_num(t)})",
    )
    _compare_all(d, compare)
    others = list(dict.fromkeys(text for text, _ in compare if text != "x.tanh()"))
    return (
        f"x.tanh() is exact from {_short(min(xs))} to {_short(max(xs))} (no overflow) and "
        f"x.grad is 1 - t**2 = {1 - t * t:.6g} at x = {_short(x)}; {_listed(others)} match "
        "the reference engine and central differences"
    )


# --- 8. sum ----------------------------------------------------------------------------------


def _mean_of(d, key: str, numbers: list[float]) -> None:
    """The checks of one ``mean(values)`` (probe's ``mean<i>``)."""
    shown = f"mean([{', '.join(_num(x) for x in numbers)}])"
    r = _read(d, key, shown, SUM_STARTS_AT_0)
    if r["number"]:
        fail(
            f"{shown} returned the number {_num(r['data'])}, expected a Value: sum the "
            "Values themselves, not their .data, or the result has no gradient"
        )
    expect(r["value"], f"{shown} returned {r['repr']}, expected a Value")
    m, total, n = r["data"], sum(numbers), len(numbers)
    if n > 1 and _close(m, total):
        fail(f"{shown} is {_num(m)}: that is the sum, divide it by len(values)")
    got = as_float(m)
    if not _close(m, total / n) and got and total:
        k = total / got
        if abs(k - round(k)) < 1e-9 and round(k) >= 1:
            fail(
                f"{shown} is {_num(m)}, expected {_num(total / n)}: that is the sum "
                f"divided by {round(k)}, but there are {n} Values. Divide by len(values), "
                "not by a fixed number"
            )
    expect(_close(m, total / n), f"{shown} is {_num(m)}, expected {_num(total / n)}")


def _mean_compare(numbers: list[float]) -> list:
    names = [f"x{i}" for i in range(len(numbers))]
    return [f"mean([{', '.join(names)}])", dict(zip(names, numbers))]


def _numbers(rng: random.Random, n: int) -> list[float]:
    """``n`` numbers whose sum is at least 0.5 from 0 (so that the mean is not the sum)."""
    while True:
        numbers = [_draw(rng, -6, 6) for _ in range(n)]
        if abs(sum(numbers)) >= 0.5:
            return numbers


def _hidden_sum(rng: random.Random) -> list[dict]:
    cases = []
    for _ in range(3):
        cases.append(
            {
                "first": _numbers(rng, rng.choice((2, 4, 5))),
                "more": [_numbers(rng, n) for n in rng.sample((1, 2, 3, 4, 6), 3)],
                "summed": _numbers(rng, 3),
                "compare": [_mean_compare(_numbers(rng, n)) for n in (1, rng.choice((2, 3, 5)))],
            }
        )
    return cases


@check(
    "04.sum",
    visible={
        "first": [1.0, 2.0, 6.0],
        "more": [[1.0, 2.0, 3.0, 6.0], [5.0], [-1.5, 0.5]],
        "summed": [1.0, 2.0, 6.0],
        "compare": [_mean_compare([-1.25]), _mean_compare([-1.25, -0.75, -0.25, 0.25])],
    },
    hidden=_hidden_sum,
)
def sum_of_values(d, first, more, summed, compare) -> str:
    shown = f"mean([{', '.join(_num(x) for x in first)}])"
    _mean_of(d, "mean0", first)
    grads = list(_read(d, "mean0.grads", f"{shown}.backward()", SUM_STARTS_AT_0).values())
    n = len(first)
    expect(
        all(_close(g, 1 / n) for g in grads),
        f"after {shown}.backward(), the grads are {[_num(g) for g in grads]}, expected "
        f"1/{n} each (every input adds 1/n of itself)",
    )
    for i, numbers in enumerate(more, start=1):
        _mean_of(d, f"mean{i}", numbers)
    total, listed = sum(summed), ", ".join(_num(x) for x in summed)
    names = ", ".join("abcdefgh"[i] for i in range(len(summed)))
    s = _read(d, "sum", f"sum([{names}])", SUM_STARTS_AT_0)
    expect(
        s["value"] and _close(s["data"], total),
        f"sum of Values {listed} is {s['repr']}, expected a Value with data {_num(total)}",
    )
    grads = list(_read(d, "sum.grads", f"sum([{names}]).backward()", SUM_STARTS_AT_0).values())
    expect(
        all(_close(g, 1.0) for g in grads),
        f"after sum([{names}]).backward(), the grads are {[_num(g) for g in grads]}, "
        "expected 1.0 each",
    )
    _compare_all(d, compare)
    sizes = sorted({len(numbers) for numbers in more})
    return (
        f"{shown} = {_num(sum(first) / n)} with grads 1/{n} each, and the mean of "
        f"{_listed([str(k) for k in sizes])} Values; sum([{names}]) = {_num(total)} "
        f"with grads 1.0; mean of {' and of '.join(str(len(i)) for _, i in compare)} Values "
        "matches the reference engine and central differences"
    )


# --- 9. tanh from its pieces, and everything together ----------------------------------------


def _hidden_together(rng: random.Random) -> list[dict]:
    cases = []
    for _ in range(2):
        xs = [_draw(rng, -2.5, 2.5) for _ in range(3)]
        compare = _drawn(
            rng,
            [
                lambda r: ("tanh_from_exp(x)", {"x": _draw(r, -2.5, 2.5)}),
                lambda r: (
                    "tanh_from_exp(a * b + c)",
                    {"a": _draw(r, -2, 2), "b": _draw(r, -2, 2), "c": _draw(r, -2, 2)},
                ),
                lambda r: (
                    "(a**2 - 1 / b).exp() / (2 + c)",
                    {"a": _draw(r, -1.5, 1.5), "b": _draw(r, -3, 3), "c": _draw(r, -1.5, 3)},
                ),
                lambda r: (
                    "-(a - b) * (c + 1)**-2 + 3 - a.tanh()",
                    {"a": _draw(r, -2, 2), "b": _draw(r, -2, 2), "c": _draw(r, -0.5, 2)},
                ),
                lambda r: (
                    "sum([a, b, c]) / 3 - a * b * c",
                    {"a": _draw(r, -2, 2), "b": _draw(r, -2, 2), "c": _draw(r, -2, 2)},
                ),
            ],
        )
        cases.append({"xs": xs, "compare": compare})
    return cases


@check(
    "04.tanh_from_exp",
    visible={
        "xs": [0.5, -2.0, 0.8813735870195432, 1.5],
        "compare": [
            ["tanh_from_exp(x)", {"x": 0.5}],
            ["tanh_from_exp(x)", {"x": -2.0}],
            ["tanh_from_exp(a * b + c)", {"a": 2.0, "b": -3.0, "c": 6.8813735870195432}],
            ["(a**2 - 1 / b).exp() / (2 + c)", {"a": 0.5, "b": 2.0, "c": 1.0}],
            ["-(a - b) * (c + 1)**-2 + 3 - a.tanh()", {"a": 0.3, "b": -1.2, "c": 0.5}],
            ["sum([a, b, c]) / 3 - a * b * c", {"a": 1.5, "b": -0.5, "c": 2.0}],
        ],
    },
    hidden=_hidden_together,
)
def together(d, xs, compare) -> str:
    for i, x in enumerate(xs):
        t = math.tanh(x)
        got = _output(d, f"at{i}", "tanh_from_exp(x)", {"x": x})
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
    _output(d, "pieces", "tanh_from_exp(x)", {"x": xs[0]})
    expect(
        d["pieces.size"] > 2,
        "tanh_from_exp(x) is x.tanh() itself: build it from the pieces, e = (2 * x).exp(), "
        "then (e - 1) / (e + 1)",
    )
    _compare_all(d, compare)
    return (
        "tanh_from_exp(x) equals tanh(x) with the same gradient 1 - t**2; four mixed "
        "expressions of every operation match the reference engine and central differences"
    )
