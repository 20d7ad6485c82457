"""Checks of 03_backward: gradients by hand, _backward closures, topological order, backward()."""

from __future__ import annotations

import ast
import random
import re
from collections.abc import Callable

from autograd_helpers.checks._core import attribute, check, close, expect, fail, number
from autograd_helpers.checks.value import same_children
from autograd_helpers.probes import backward as _probes  # noqa: F401  (registers the probes)
from autograd_helpers.probes._lecture import L_DATA as DATA
from autograd_helpers.probes._lecture import L_LEAVES as LEAF_VALUES
from solutions.engine import Value as Reference  # only ever run by the judges themselves

# The lecture's expression: L = (a*b + c) * f, with e = a*b and d = e + c.
TOP_DOWN = ("L", "f", "d", "c", "e", "a", "b")  # the order in which backpropagation finds them
STEP = 0.01  # the lecture's nudge
DIAMOND = {"p": 2.0, "q": -1.0}  # the diamond's leaves p and q (three and four are 3.0, 4.0)
DIAMOND_LEAVES = ("p", "q", "three", "four")
CHOICES = [-2.0, -1.5, -1.0, -0.5, 0.5, 1.0, 1.5, 2.0]  # leaves of the random graphs


# --- the L example's numbers, for any leaves ------------------------------------------


def _signed(x: float, *factors: float) -> str:
    """``x`` as a number, with a + when two negative factors made it positive (+6.0)."""
    plus = "+" if x > 0 and factors and all(f < 0 for f in factors) else ""
    return plus + number(x)


def _l_numbers(leaves: dict) -> tuple[dict, dict, list]:
    """The grads of L = (a*b + c) * f at ``leaves`` (top down), how each is found, and the
    wrong values learners get for each, with what each one means."""
    a, b, c, f = (float(leaves[k]) for k in ("a", "b", "c", "f"))
    d = a * b + c
    g = {"L": 1.0, "f": d, "d": f}
    g["c"] = g["e"] = 1.0 * g["d"]
    g["a"], g["b"] = b * g["e"], a * g["e"]
    n = number
    how = {
        "L": "dL/dL = 1",
        "f": f"for L = d * f, dL/df = d.data * L.grad = {n(d)} * 1.0",
        "d": f"for L = d * f, dL/dd = f.data * L.grad = {n(f)} * 1.0",
        "c": f"for d = e + c, dL/dc = 1.0 * d.grad = 1.0 * {n(g['d'])}",
        "e": f"for d = e + c, dL/de = 1.0 * d.grad = 1.0 * {n(g['d'])}",
        "a": f"for e = a * b, dL/da = b.data * e.grad = {n(b)} * {n(g['e'])}",
        "b": f"for e = a * b, dL/db = a.data * e.grad = {n(a)} * {n(g['e'])}",
    }
    slips = [
        ("f", f, f"that is f.data; for L = d * f, dL/df is the other factor, d.data = {n(d)}"),
        (
            "f",
            -g["f"],
            f"a sign error: dL/df = d.data * L.grad = {n(d)} * 1.0 = {_signed(g['f'], d, 1.0)}",
        ),
        ("d", d, f"that is d.data; for L = d * f, dL/dd is the other factor, f.data = {n(f)}"),
        (
            "d",
            -g["d"],
            f"a sign error: dL/dd = f.data * L.grad = {n(f)} * 1.0 = {_signed(g['d'], f, 1.0)}",
        ),
    ]
    for x in ("c", "e"):
        slips += [
            (
                x,
                1.0,
                f"that is only the local derivative dd/d{x} = 1: multiply it by d.grad = "
                f"{n(g['d'])} (the chain rule)",
            ),
            (
                x,
                -g[x],
                f"a sign error: dL/d{x} = 1.0 * d.grad = 1.0 * {n(g['d'])} = "
                f"{_signed(g[x], 1.0, g['d'])}",
            ),
        ]
    slips += [
        (
            "a",
            b,
            "that is b.data, the local derivative de/da: you forgot to multiply by "
            f"e.grad = {n(g['e'])} (the chain rule)",
        ),
        (
            "a",
            -g["a"],
            f"a sign error: dL/da = b.data * e.grad = {n(b)} * {n(g['e'])} = "
            f"{_signed(g['a'], b, g['e'])}",
        ),
        (
            "a",
            a * g["e"],
            f"that is a.data * e.grad; for e = a * b, de/da is the other factor, b.data = {n(b)}",
        ),
        (
            "a",
            a,
            f"that is a.data; for e = a * b, de/da is the other factor, b.data = {n(b)}, "
            f"and the chain rule multiplies it by e.grad = {n(g['e'])}",
        ),
        (
            "b",
            a,
            "that is a.data, the local derivative de/db: you forgot to multiply by "
            f"e.grad = {n(g['e'])} (the chain rule)",
        ),
        (
            "b",
            -g["b"],
            f"a sign error: dL/db = a.data * e.grad = {n(a)} * {n(g['e'])} = "
            f"{_signed(g['b'], a, g['e'])}",
        ),
        (
            "b",
            b * g["e"],
            f"that is b.data * e.grad; for e = a * b, de/db is the other factor, a.data = {n(a)}",
        ),
        (
            "b",
            b,
            f"that is b.data; for e = a * b, de/db is the other factor, a.data = {n(a)}, "
            f"and the chain rule multiplies it by e.grad = {n(g['e'])}",
        ),
    ]
    return {name: g[name] for name in TOP_DOWN}, how, slips


GRADS, HOW, KNOWN_SLIPS = _l_numbers(LEAF_VALUES)  # the lecture's: L 1.0, f 4.0, ..., b -4.0


# --- shared helpers -------------------------------------------------------------------


def _shown(x: object) -> str:
    """A reported object as the learner's repr showed it (``repr`` for plain data)."""
    if isinstance(x, dict) and x.get("~") in ("object", "value"):
        return str(x.get("repr", ""))
    return repr(x)


def grad_of(g, name: str) -> float:
    """A reported grad, or a failure that says the Value has no (numeric) grad."""
    g = attribute(g, "grad")
    expect(
        isinstance(g, (int, float)),
        f"{name}.grad is {_shown(g)}, expected a number (start it at 0.0 in __init__)",
    )
    return g


def _example_is_intact(d, rerun: str) -> dict:
    """The reported L example's grads by name; fail unless it is the lecture's, unchanged."""
    structure = {"e": ("a", "b"), "d": ("e", "c"), "L": ("d", "f")}
    for name, want in DATA.items():
        got = attribute(d[name]["data"], "data")
        expect(
            close(got, want),
            f"{name}.data is {number(got)}, expected {number(want)}: these are not the "
            f"lecture's values (a=2.0, b=-3.0, c=10.0, f=-2.0, L=-8.0); {rerun}",
        )
    for name, parts in structure.items():
        expect(
            same_children(d[name]["prev"], list(parts)),
            f"{name} is not built from {' and '.join(parts)}: keep e = a*b, d = e + c, "
            f"L = d * f; {rerun}",
        )
    return {name: d[name]["grad"] for name in ("a", "b", "c", "e", "d", "f", "L")}


def _twice(name: str, got: float, grads: dict) -> str | None:
    if close(got, 2 * grads[name]) and grads[name] != 0:
        return (
            f"{name}.grad is {number(got)}, twice the expected {number(grads[name])}: "
            "a _backward ran twice, so += added its share twice; rerun the whole cell "
            "(it rebuilds the expression) and call each _backward once"
        )
    return None


def _compare_grads(
    got_grads: dict,
    when_zero: Callable[[str], str],
    numbers: tuple = (GRADS, HOW, KNOWN_SLIPS),
) -> None:
    """Fail at the first node (top down) whose grad is not the expected one."""
    grads, how, slips = numbers
    for name, want in grads.items():
        got = grad_of(got_grads[name], name)
        if close(got, want):
            continue
        if close(got, 0.0):
            fail(when_zero(name))
        slip = next((text for n, x, text in slips if n == name and close(got, x)), None)
        if slip:
            fail(f"{name}.grad is {number(got)}, expected {number(want)}: {slip}")
        fail(
            _twice(name, got, grads)
            or f"{name}.grad is {number(got)}, expected {number(want)} ({how[name]})"
        )


def _run_closure(d, key: str, name: str) -> None:
    """Fail unless the probe could call ``{name}._backward()``."""
    state = attribute(d[key], "_backward")
    if state is not True:
        fail(f"{name}._backward is {state.get('not_callable')}, expected a function")


def _run_backward(d, key: str, root_name: str) -> None:
    """Fail unless ``{root_name}.backward()`` ran and left the root's grad at 1.0."""
    state = attribute(d[f"{key}.backward"], "backward")
    if state is not True:
        fail(f"{root_name}.backward is {state.get('not_callable')}, expected a method")
    g = grad_of(d[f"{key}.grad"], root_name)
    if close(g, 0.0):
        fail(
            f"{root_name}.grad is 0.0 after {root_name}.backward(): start with "
            f"self.grad = 1.0 (d{root_name}/d{root_name} = 1), or every gradient stays 0.0"
        )
    expect(
        close(g, 1.0),
        f"{root_name}.grad is {number(g)} after {root_name}.backward(), expected 1.0: "
        "set self.grad = 1.0 first",
    )


def _away(x: float, *others: float, gap: float = 0.3) -> bool:
    """True when ``x`` is at least ``gap`` from each of ``others``."""
    return all(abs(x - o) >= gap for o in others)


# --- 1. by hand -----------------------------------------------------------------------


@check("03.manual_grads")
def manual_grads(d) -> str:
    grads = _example_is_intact(d, "rerun the exercise cell above (it rebuilds the example)")
    if all(close(grad_of(g, n), 0.0) for n, g in grads.items()):
        fail(
            "every grad is still 0.0: set L.grad = 1.0, then f.grad and d.grad, "
            "c.grad and e.grad, a.grad and b.grad (top down, with the chain rule)"
        )

    def when_zero(name: str) -> str:
        return f"{name}.grad is still 0.0, expected {number(GRADS[name])} ({HOW[name]})"

    _compare_grads(grads, when_zero)
    return (
        "L 1.0, f 4.0, d -2.0, c -2.0, e -2.0, a 6.0, b -4.0: the lecture's gradients "
        "(checked: the values, not how you computed them)"
    )


def _slopes(leaves: dict) -> dict:
    """dL/dx of L = (a*b + c) * f for each leaf x (L is a straight line in each leaf)."""
    a, b, c, f = (leaves[k] for k in ("a", "b", "c", "f"))
    return {"a": b * f, "b": a * f, "c": f, "f": a * b + c}


def _sci(h: float) -> str:
    """A step as people write it: 1e-4, 5e-5, 2.5e-4."""
    mantissa, exponent = f"{h:.6e}".split("e")
    mantissa = mantissa.rstrip("0").rstrip(".")
    return f"{mantissa}e{int(exponent)}"


def _leaf_draws(rng: random.Random) -> list[dict]:
    """Other leaves (every slope and L at least 0.5 from 0 and apart) and another h."""
    cases: list[dict] = []
    while len(cases) < 2:
        leaves = {
            "a": round(rng.choice([-1, 1]) * rng.uniform(0.5, 4), 2),
            "b": round(rng.choice([-1, 1]) * rng.uniform(0.5, 4), 2),
            "c": round(rng.uniform(-10, 10), 2),
            "f": round(rng.choice([-1, 1]) * rng.uniform(0.5, 4), 2),
        }
        slopes = list(_slopes(leaves).values())
        value = _slopes(leaves)["f"] * leaves["f"]  # L itself
        if min(abs(s) for s in slopes) < 0.5 or abs(value) < 0.5:
            continue
        if any(not _away(s, *slopes[:i], *slopes[i + 1 :], value) for i, s in enumerate(slopes)):
            continue
        h = rng.choice([1e-5, 2e-5, 5e-5, 2e-4, 5e-4])
        cases.append({"leaves": leaves, "h": h})
    return cases


@check("03.numerical_grad", visible={"leaves": None, "h": 1e-4}, hidden=_leaf_draws)
def numerical_grad(d, leaves=None, h=1e-4) -> str:
    values = dict(LEAF_VALUES if leaves is None else leaves)
    slopes = _slopes(values)
    value = slopes["f"] * values["f"]
    short = {name: f"{s:g}" for name, s in slopes.items()}
    before = d["before"]
    got = d["step_result"]
    expect(
        d["step_used"],
        f"numerical_grad('a', h={h}) never used its h (it returned {number(got)}): nudge "
        "the leaf by the h it is given and divide by that h, not a step of your own "
        f"(here any step gives about {short['a']}, because L is a straight line in each leaf)",
    )
    for given in (None, h):
        for name in ("a", "b", "c", "f"):
            want = slopes[name]
            call = (
                f"numerical_grad({name!r})"
                if given is None
                else f"numerical_grad({name!r}, h={given})"
            )
            answer = d[f"{name} h={given}"]
            now, got = answer["leaves"], answer["result"]
            expect(
                now == before,
                f"{call} changed LEAVES (now {now}): nudge a copy, "
                "nudged = dict(LEAVES), so the original values stay put",
            )
            expect(
                isinstance(got, (int, float)),
                f"{call} returned {_shown(got)}, expected a number (the slope)",
            )
            if close(got, want, rel=1e-3):
                continue
            if close(got, -want, rel=1e-3):
                fail(
                    f"{call} is {number(got)}, expected about {number(want)}: the sign is "
                    "flipped; the slope is (L(nudged) - L(original)) / h"
                )
            if got * want > 0 and abs(got) < abs(want) / 10:
                fail(
                    f"{call} is {number(got)}, expected about {number(want)}: that is the "
                    "change of L; divide it by h to get the slope"
                )
            if close(got, 0.0, abs_tol=1e-6):
                fail(
                    f"{call} is {number(got)}, expected about {number(want)}: L did not "
                    f"change; add h to the leaf {name!r} only in the nudged copy"
                )
            if abs(got - value) < 0.1:
                fail(
                    f"{call} is {number(got)}: that is L itself; return the slope "
                    "(L(nudged) - L(original)) / h"
                )
            fail(
                f"{call} is {number(got)}, expected about {number(want)} "
                f"(dL/da {short['a']}, dL/db {short['b']}, dL/dc {short['c']}, "
                f"dL/df {short['f']})"
            )
    at = "" if leaves is None else " at " + ", ".join(f"{n}={number(values[n])}" for n in "abcf")
    return (
        f"numerical_grad gives dL/da ≈ {short['a']}, dL/db ≈ {short['b']}, dL/dc ≈ "
        f"{short['c']}, dL/df ≈ {short['f']}{at} for the default h and h={_sci(h)}, uses the "
        "h it is given, and leaves LEAVES unchanged"
    )


# --- 2. the nudge ---------------------------------------------------------------------


def _nudged(times: int, sign: float = 1.0) -> dict:
    leaves = {n: x + times * sign * STEP * GRADS[n] for n, x in LEAF_VALUES.items()}
    leaves["L"] = (leaves["a"] * leaves["b"] + leaves["c"]) * leaves["f"]
    return leaves


@check("03.nudge")
def nudge(d) -> str:
    want = _nudged(1)  # a 2.06, b -3.04, c 9.98, f -1.96, L -7.286496
    got_L = attribute(d["L"], "data")
    grads, data = d["grads"], d["data"]
    for name in ("a", "b", "c", "f"):
        g = grad_of(grads[name], name)
        expect(
            close(g, GRADS[name]),
            f"{name}.grad is {number(g)}, not the lecture's {number(GRADS[name])}: "
            "fix section 1 (03.manual_grads), rerun its cell, then this one",
        )
    if close(got_L, _nudged(1, -1.0)["L"]):
        fail(
            f"L.data is {float(got_L):.6f}: it went down from -8.0. Each leaf should move "
            "along its gradient, x.data += 0.01 * x.grad; a minus sign walks downhill "
            "(that is gradient descent, for 07's loss; here we want L to go up)"
        )
    if close(got_L, _nudged(2)["L"]):
        fail(
            f"L.data is {float(got_L):.6f}, as if nudged twice: the cell ran twice. Rerun the "
            "section 1 exercise cell (it rebuilds the example), then the nudge cell once"
        )
    for name in ("a", "b", "c", "f"):
        x = attribute(data[name], "data")
        if close(x, want[name]):
            continue
        if close(x, LEAF_VALUES[name]):
            fail(
                f"{name}.data is still {number(x)}: nudge every leaf, "
                f"{name}.data += 0.01 * {name}.grad (expected {number(want[name])})"
            )
        if close(x, _nudged(2)[name]):
            fail(
                f"{name}.data is {number(x)}, nudged twice: the cell ran twice. Rerun the "
                "section 1 exercise cell, then the nudge cell once"
            )
        fail(
            f"{name}.data is {number(x)}, expected {number(want[name])} "
            f"= {number(LEAF_VALUES[name])} + 0.01 * {number(GRADS[name])}"
        )
    if close(got_L, -8.0):
        fail(
            "L.data is still -8.0 although the leaves moved: L remembers the old numbers; "
            "recompute e = a * b, d = e + c, L = d * f after the nudge"
        )
    expect(
        close(got_L, want["L"]),
        f"L.data is {number(got_L)}, expected {want['L']:.6f}: recompute e = a * b, "
        "d = e + c, L = d * f from the nudged leaves",
    )
    return (
        f"every leaf moved by 0.01 * grad and L went from -8.0 up to {float(got_L):.6f} "
        "(the lecture's -7.286496)"
    )


# --- 3. _backward closures ------------------------------------------------------------

CLOSURE = {"a": 2.0, "b": -3.0, "upstream": -2.0, "start": [0.5, 0.25], "x": 3.0}


def _closure_draws(rng: random.Random) -> list[dict]:
    """Other operands, out.grad, grads already there and x, where no slip gives the answer.

    Operands and out.grad stay away from 0 and +-1 and from each other (so that a.data *
    out.grad, b.data * out.grad, out.grad, 1.0 and a sign error all differ from a share).
    """
    cases: list[dict] = []
    while len(cases) < 3:
        a, b, up = (round(rng.choice([-1, 1]) * rng.uniform(0.5, 4), 1) for _ in range(3))
        if not (all(_away(v, 0.0, 1.0, -1.0) for v in (a, b, up)) and _away(a, b, -b)):
            continue
        start = [round(rng.uniform(0.2, 2), 2), round(rng.uniform(0.2, 2), 2)]
        x = round(rng.choice([-1, 1]) * rng.uniform(1.5, 4), 1)
        cases.append({"a": a, "b": b, "upstream": up, "start": start, "x": x})
    return cases


def _closure_setup(d, symbol: str, upstream: float) -> dict:
    """The grads after out._backward() (out = a op b, out.grad = upstream), or a failure."""
    for name, g in zip(("a", "b"), d["fresh"]):
        expect(
            close(grad_of(g, name), 0.0),
            f"a new Value has grad {number(g)}, expected 0.0: __init__ starts every grad at 0.0",
        )
    if d["do_nothing"]:
        fail(
            f"(a {symbol} b)._backward is still the do-nothing lambda of a leaf: attach "
            "the closure before returning, out._backward = _backward"
        )
    _run_closure(d, "run", f"(a {symbol} b)")
    after = d["after"]
    if close(after["a"], 0.0) and close(after["b"], 0.0):
        fail(
            f"a.grad and b.grad are still 0.0 after out._backward() with out.grad = "
            f"{number(upstream)} (out = a {symbol} b): _backward must add to self.grad "
            "and other.grad, reading out.grad when it runs"
        )
    expect(
        close(after["out"], upstream),
        f"out._backward() changed out.grad from {number(upstream)} to {number(after['out'])}: "
        "it should change only the children's grads",
    )
    return after


def _accumulates(d, symbol: str, upstream: float, start: list, locals_: tuple) -> None:
    """Fail unless out._backward() adds to grads already there (a Value used elsewhere too)."""
    _run_closure(d, "run_again", f"(a {symbol} b)")
    for name, s, local, g in zip(("a", "b"), start, locals_, d["accumulated"]):
        share, got = local * upstream, grad_of(g, name)
        want = s + share
        did = (
            f"this check set {name}.grad = {number(s)} (as if {name} had a share "
            f"from elsewhere in a graph) and out.grad = {number(upstream)}, then called "
            f"out._backward() for out = a {symbol} b: {name}.grad became {number(got)}, "
            f"expected {number(want)} = {number(s)} + {number(share)}"
        )
        if close(got, share):
            fail(
                f"{did}. The {number(s)} was overwritten: use += so that a Value "
                "used twice collects both gradients (section 6 shows why); = overwrites"
            )
        expect(close(got, want), f"{did}: add your share to the grad that is there (+=)")


def _one_share(d, key: str, symbol: str, one_share: float) -> str:
    """Why x got one share from y = x op x, as far as the probe's record of x.grad shows it
    (``{key}.events``: its reads and writes while y's _backward ran)."""
    events = d.get(f"{key}.events")
    kinds = [e[0] for e in events if isinstance(e, list) and e] if isinstance(events, list) else []
    share = number(one_share)
    if kinds.count("write") == 1:
        if d.get(f"{key}.uses_prev") is True and d.get(f"{key}.prev") == 1:
            way = "for child in (self, other)" if symbol == "+" else "self, then other"
            return (
                f"x.grad was updated once, by {share}. Your _backward goes through "
                f"out._prev, a set, and for y = x {symbol} x the set holds x once: iterate "
                f"the operands ({way}) instead of _prev, so that x gets a share as self and "
                "another as other"
            )
        return (
            f"x.grad was updated once, by {share}: x is both self and other, so it needs a "
            "share as each; update self.grad, then other.grad, even when they are the same "
            "Value"
        )
    if kinds.count("write") == 2 and "read" not in kinds:
        return (
            f"x.grad was set twice without being read, so the second share ({share}) "
            "replaced the first: use += in _backward"
        )
    if kinds[:4] == ["read", "read", "write", "write"]:
        return (
            "x.grad was read twice, then written twice: both new grads were computed from "
            f"the old x.grad before either was stored, so the second ({share}) replaced the "
            "first. Store self's share before computing other's (self.grad += ... on one "
            "line, other.grad += ... on the next)"
        )
    return f"x received one share ({share}) instead of two (x is both self and other)"


def _used_twice(d, symbol: str, want: float, one_share: float) -> None:
    _run_closure(d, "run_twice", f"(x {symbol} x)")
    got = grad_of(d["twice"], "x")
    told = f"x.grad is {number(got)} after y = x {symbol} x; y.grad = 1.0; y._backward()"
    if close(got, one_share):
        fail(f"{told}, expected {number(want)}: {_one_share(d, 'twice', symbol, one_share)}")
    expect(close(got, want), f"{told}, expected {number(want)} (x is both self and other)")


@check("03.add_backward", visible=CLOSURE, hidden=_closure_draws)
def add_backward(d, a, b, upstream, start, x) -> str:
    after = _closure_setup(d, "+", upstream)
    up = number(upstream)
    for name, own, other in (("a", a, b), ("b", b, a)):
        got = after[name]
        if close(got, upstream):
            continue
        if close(got, other * upstream) or close(got, own * upstream):
            fail(
                f"{name}.grad is {number(got)}, expected {up}: you multiplied by a data, "
                "which is the rule for *; for out = a + b, d(out)/da is 1, so "
                "self.grad += 1.0 * out.grad"
            )
        if close(got, 1.0):
            fail(
                f"{name}.grad is 1.0, expected {up}: 1.0 is the local derivative; "
                "multiply it by out.grad (the chain rule)"
            )
        fail(f"{name}.grad is {number(got)}, expected {up} (= 1.0 * out.grad, out.grad = {up})")
    _accumulates(d, "+", upstream, start, (1.0, 1.0))
    _used_twice(d, "+", 2.0, 1.0)
    return (
        f"out = a + b with out.grad = {up}: out._backward() gives a.grad = b.grad = {up}, "
        "adds to grads already there (+=), and x + x gives x.grad 2.0 "
        "(* and whole graphs are checked next)"
    )


@check("03.mul_backward", visible=CLOSURE, hidden=_closure_draws)
def mul_backward(d, a, b, upstream, start, x) -> str:
    after = _closure_setup(d, "*", upstream)
    for name, own, other in (("a", a, b), ("b", b, a)):
        got, want = after[name], other * upstream
        if close(got, want):
            continue
        if close(got, own * upstream):
            fail(
                f"{name}.grad is {number(got)} = {name}.data * out.grad, expected "
                f"{number(want)}: for out = a * b, d(out)/d{name} is the other factor: "
                "self.grad += other.data * out.grad and other.grad += self.data * out.grad"
            )
        if close(got, other):
            fail(
                f"{name}.grad is {number(got)}, the other factor alone, expected "
                f"{number(want)}: you forgot to multiply by out.grad = {number(upstream)} "
                "(the chain rule)"
            )
        if close(got, upstream):
            fail(
                f"{name}.grad is {number(got)} = out.grad, expected {number(want)}: that is "
                "the rule for +; for * multiply out.grad by the other factor's data"
            )
        if close(got, -want):
            fail(f"{name}.grad is {number(got)}, expected {number(want)}: a sign error")
        fail(
            f"{name}.grad is {number(got)}, expected {number(want)} "
            f"(= other factor {number(other)} * out.grad {number(upstream)})"
        )
    _accumulates(d, "*", upstream, start, (b, a))
    _used_twice(d, "*", 2 * x, x)
    return (
        f"out = a * b ({number(a)} * {number(b)}) with out.grad = {number(upstream)}: "
        f"out._backward() gives a.grad {number(b * upstream)} and b.grad "
        f"{number(a * upstream)}, adds to grads already there (+=), and x * x gives 2x "
        "(whole graphs are checked next)"
    )


@check("03.backward_by_hand")
def backward_by_hand(d) -> str:
    grads = _example_is_intact(d, "rerun the exercise cell above (it rebuilds the example)")
    if all(close(grad_of(g, n), 0.0) for n, g in grads.items()):
        fail(
            "every grad is still 0.0: set L.grad = 1.0, then call L._backward(), "
            "d._backward(), e._backward(), in that order"
        )
    calls = {"f": "L", "d": "L", "c": "d", "e": "d", "a": "e", "b": "e"}

    def when_zero(name: str) -> str:
        if name == "L":
            return "L.grad is 0.0: set L.grad = 1.0 before calling L._backward()"
        parent = calls[name]
        return (
            f"{name}.grad is 0.0 while {parent}.grad is {number(grads[parent])}: "
            f"call {parent}._backward() after {parent}.grad is known (top down: L, d, e)"
        )

    _compare_grads(grads, when_zero)
    cells = d["cells"]
    if cells is None:  # not in IPython (a test calls the check): only the values are known
        return (
            "L 1.0, f 4.0, d -2.0, c -2.0, e -2.0, a 6.0, b -4.0: the lecture's gradients "
            "(checked: the values; not checked: that _backward() computed them)"
        )
    expect(
        any(_calls_backward("\n".join(map(str, lines))) for lines in cells),
        "the grads are the lecture's, but no cell since L was built calls _backward(): they "
        "were typed in or worked out by hand. This exercise lets the closures compute them: "
        "set L.grad = 1.0, then call L._backward(), d._backward(), e._backward()",
    )
    return (
        "L.grad = 1.0 and the _backward() calls of your cell give the lecture's gradients "
        "(a 6.0, b -4.0, c -2.0, f 4.0); next: the order, automatically"
    )


def _calls_backward(source: str) -> bool:
    """True when ``source`` uses some ``._backward`` (a call, a loop over nodes, a getattr)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:  # a cell cut short in the probe's answer: look at its words
        return re.search(r"\._backward\b|[\"']_backward[\"']", source) is not None
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "_backward":
            if isinstance(node.ctx, ast.Load):
                return True
        if isinstance(node, ast.Constant) and node.value == "_backward":
            return True
    return False


# --- 4. topological order -------------------------------------------------------------


def _graph_specs(rng: random.Random, count: int) -> list[dict]:
    """Random graphs of + and * that reuse nodes: three leaves, then eight operations."""
    specs = []
    for _ in range(count):
        inputs = [rng.choice(CHOICES) for _ in range(3)]
        shape = random.Random(rng.random())
        ops: list = []
        for size in range(3, 11):
            i, j = shape.randrange(size), shape.randrange(size)
            ops.append([i, j, shape.choice("+*")])
        specs.append({"x": inputs, "ops": ops})
    return specs


def _expression(ValueClass, spec: dict) -> tuple:
    """The graph ``spec`` built with ``ValueClass``: (root, leaves, its text)."""
    pool = [ValueClass(x) for x in spec["x"]]
    leaves, text = list(pool), [f"x{i}" for i in range(len(pool))]
    for i, j, op in spec["ops"]:
        pool.append(pool[i] + pool[j] if op == "+" else pool[i] * pool[j])
        text.append(f"({text[i]} {op} {text[j]})")
    return pool[-1], leaves, text[-1]


def _call_topo(report: dict, root_name: str) -> list:
    """The items build_topo(root) returned, or a failure (None, not a list)."""
    expect(
        not report.get("none"),
        f"build_topo({root_name}) returned None: return the list at the end (return topo)",
    )
    if "not_list" in report:
        fail(f"build_topo({root_name}) returned {report['not_list']}, expected a list of Values")
    return report["order"]


def _valid_order(report: dict, root_name: str) -> None:
    """Fail unless build_topo(root) holds every node of root's graph once, children first."""
    order = _call_topo(report, root_name)
    graph = report["graph"]
    nodes, kids = graph["nodes"], graph["children"]
    call = f"build_topo({root_name})"
    for item in order:
        if "node" not in item:
            other = item.get("other")
            if isinstance(other, (int, float)):
                fail(
                    f"{call} contains the number {number(other)}: append the Value itself, "
                    "not its data"
                )
            fail(
                f"{call} contains {_shown(other)}, which is not in {root_name}'s graph: create "
                "the list (and the visited set) inside build_topo, so that every call starts "
                "empty"
            )
    names = [item["node"] for item in order]
    for v in nodes:
        count = names.count(v)
        if count > 1:
            fail(
                f"{v} appears {count} times in {call}: every node must appear "
                "once; keep a set of visited nodes and skip a node already visited"
            )
    missing = [v for v in nodes if v not in names]
    if missing:
        top = {nodes[0], *kids[nodes[0]]}
        if set(names) <= top:
            fail(
                f"{call} has {len(names)} nodes, expected all {len(nodes)}: it misses "
                f"{', '.join(missing)}. Visit the children's children too (recursively), "
                "down to the leaves"
            )
        fail(f"{call} misses {', '.join(missing)}: every node of the graph must be in it")
    position = {v: i for i, v in enumerate(names)}
    for v in names:
        for child in kids[v]:
            if position[child] > position[v]:
                fail(
                    f"{v} comes before its child {child} in {call}: "
                    "append a node only after all its children, so that the root comes last"
                )


def _named_graph(spec: dict) -> str:
    """``spec`` as the probe names its nodes: v3 = x0 * x1, v4 = ..."""
    return ", ".join(
        f"v{k} = {_node(i)} {op} {_node(j)}"
        for k, (i, j, op) in enumerate(spec["ops"], start=len(spec["x"]))
    )


def _node(k: int) -> str:
    return f"x{k}" if k < 3 else f"v{k}"


def _topo_draws(rng: random.Random) -> list[dict]:
    """A random graph that reuses nodes (deeper than L), built with the learner's Value."""
    return [{"graph": spec} for spec in _graph_specs(rng, 2)]


@check("03.topo", hidden=_topo_draws)
def topo(d, graph=None) -> str:
    _valid_order(d["L"], "L")
    first, again = d["L"]["order"], _call_topo(d["L_again"], "L")
    expect(
        len(again) == len(first),
        f"calling build_topo(L) a second time returned {len(again)} nodes (the first call: "
        f"{len(first)}): create the list and the visited set inside build_topo, so that "
        "every call starts afresh",
    )
    _valid_order(d["w"], "w")
    single = _call_topo(d["leaf"], "leaf")
    expect(
        len(single) == 1 and single[0].get("node") == "leaf",
        f"build_topo(leaf) for a lone Value returned {d['leaf'].get('shown')}, expected [leaf]",
    )
    also = ""
    if graph is not None:
        root = f"v{len(graph['x']) + len(graph['ops']) - 1}"
        try:
            _valid_order(d["graph"], root)
        except AssertionError as exc:
            fail(f"{exc} (the graph: {_named_graph(graph)})")
        also = f", a random graph of {len(graph['ops'])} operations"
    return (
        "build_topo lists every node once, each after its children, for L, a diamond "
        f"(x = p*q used by y and z, w = y*z){also} and a lone leaf; any valid order is accepted"
    )


# --- 5. backward() --------------------------------------------------------------------


def _diagnose_traversal(d, key: str, root_name: str) -> None:
    """Name the traversal mistake from the record of _backward calls (if any)."""
    calls, graph = d[f"{key}.calls"], d[f"{key}.graph"]
    if not calls:
        return  # backward() does not go through _backward: nothing to say about the order
    kids = graph["children"]
    inner = [v for v in graph["nodes"] if kids[v]]
    for v in inner:
        n = calls.count(v)
        if n == 0:
            fail(
                f"{root_name}.backward() never called {v}._backward(): call "
                "_backward on every node of the graph (for node in "
                "reversed(build_topo(self))), not only the root and its children"
            )
        if n > 1:
            fail(
                f"{root_name}.backward() called {v}._backward() {n} times, so "
                f"its children received its gradient {n} times: call each node's _backward "
                "once, going through build_topo(self) (which lists each node once)"
            )
    first: dict = {}
    for i, c in enumerate(calls):
        first.setdefault(c, i)
    for v in inner:
        for child in kids[v]:
            if child in first and kids.get(child) and first[child] < first[v]:
                fail(
                    f"{child}._backward() ran before {v}._backward(), "
                    f"so {child} passed on its gradient before it was complete: "
                    "go through the nodes in reversed(build_topo(self)), from the root down "
                    "to the leaves"
                )


def _diamond(ValueClass, p: float, q: float) -> tuple:
    """The diamond (x = p*q, y = x + three, z = x * four, w = y*z): (w, {leaf: node})."""
    leaves = {"p": ValueClass(p), "q": ValueClass(q)}
    leaves["three"], leaves["four"] = ValueClass(3.0), ValueClass(4.0)
    x = leaves["p"] * leaves["q"]
    w = (x + leaves["three"]) * (x * leaves["four"])
    return w, leaves


def _diamond_grads(diamond: dict) -> dict:
    w, leaves = _diamond(Reference, diamond["p"], diamond["q"])
    w.backward()
    return {n: v.grad for n, v in leaves.items()}


def _second_example(passes: int) -> dict:
    """The lecture's a=-2, b=3, f=(a*b)*(a+b) with the reference, after ``passes`` backward()."""
    a, b = Reference(-2.0), Reference(3.0)
    f = (a * b) * (a + b)
    for _ in range(passes):
        f.backward()
    return {"a": a.grad, "b": b.grad}


def _conditioned(spec: dict) -> bool:
    """True when rounding cannot move the graph's grads past the judge's tolerance.

    The same graph on |x| has no cancellation: its grads bound the sums of the shares.
    """
    root, ref, _ = _expression(Reference, spec)
    root.backward()
    scale = 1.0 + max(abs(r.grad) for r in ref) + abs(root.data)
    bound, bounds, _ = _expression(Reference, {**spec, "x": [abs(x) for x in spec["x"]]})
    bound.backward()
    return max(abs(bound.data), *(abs(r.grad) for r in bounds)) < 1e4 * scale


def _diamond_draw(rng: random.Random) -> dict:
    while True:
        p, q = (round(rng.choice([-1, 1]) * rng.uniform(0.5, 3), 1) for _ in range(2))
        # x = p*q away from 0 (z = 4x), -3 (y = x + 3) and -1.5 (dw/dx = 8x + 12)
        if _away(p, q, -q) and _away(p * q, 0.0, -3.0, -1.5):
            return {"p": p, "q": q}


def _l_draw(rng: random.Random) -> dict:
    """Other leaves for the L example where every slip differs from the right grad."""
    while True:
        leaves = {k: round(rng.choice([-1, 1]) * rng.uniform(0.5, 4), 1) for k in "abcf"}
        grads, _, slips = _l_numbers(leaves)
        if not all(_away(g, 0.0, 2 * g) for g in grads.values()):
            continue
        if all(_away(x, grads[n], 0.0, 2 * grads[n], gap=0.1) for n, x, _ in slips):
            return leaves


def _backward_draws(rng: random.Random) -> list[dict]:
    """Other leaves for L and the diamond, and five more random graphs (well conditioned)."""
    cases = []
    for _ in range(2):
        graphs: list = []
        while len(graphs) < 5:
            graphs += [s for s in _graph_specs(rng, 1) if _conditioned(s)]
        cases.append({"leaves": _l_draw(rng), "diamond": _diamond_draw(rng), "graphs": graphs})
    return cases


@check(
    "03.backward",
    visible={
        "leaves": dict(LEAF_VALUES),
        "diamond": DIAMOND,
        "graphs": _graph_specs(random.Random(3), 20),
    },
    hidden=_backward_draws,
)
def backward(d, leaves, diamond, graphs) -> str:
    lecture = leaves == LEAF_VALUES
    numbers = _l_numbers(leaves) if not lecture else (GRADS, HOW, KNOWN_SLIPS)
    grads = numbers[0]
    _run_backward(d, "L", "L")
    got = d["L.grads"]
    if not all(close(grad_of(got[n], n), grads[n]) for n in got):
        _diagnose_traversal(d, "L", "L")
        _compare_grads(
            got,
            lambda n: f"{n}.grad is 0.0 after L.backward(), expected {number(grads[n])}",
            numbers,
        )
    _run_backward(d, "w", "w")
    want = _diamond_grads(diamond)
    got = d["w.grads"]
    for n in DIAMOND_LEAVES:
        if not close(grad_of(got[n], n), want[n]):
            _diagnose_traversal(d, "w", "w")
            fail(
                f"in the diamond (x = p*q, y = x + three, z = x * four, w = y*z), {n}.grad "
                f"is {number(got[n])} after w.backward(), expected {number(want[n])}: x must "
                "collect both shares (from y and z) before x._backward() runs"
            )
    for k, spec in enumerate(graphs):
        ref_root, ref, text = _expression(Reference, spec)
        ref_root.backward()
        scale = 1.0 + max(abs(r.grad) for r in ref) + abs(ref_root.data)
        for i, (g, r) in enumerate(zip(d[f"graph{k}"], ref)):
            expect(
                close(g, r.grad, rel=1e-9, abs_tol=1e-9 * scale),
                f"for {text} with x = {spec['x']}, x{i}.grad is {number(g)} after "
                f"backward(), expected {number(r.grad)}",
            )
    _seeds_with_one(d["seeded"])
    if lecture:
        which = "the lecture's gradients (a 6.0, b -4.0, c -2.0, f 4.0, L 1.0)"
    else:
        which = "the gradients of L = (a*b + c) * f at " + ", ".join(
            f"{n}={number(leaves[n])}" for n in ("a", "b", "c", "f")
        )
    return (
        f"L.backward() gives {which}; a diamond and {len(graphs)} random graphs of + and * "
        "match the reference engine; a second y.backward() starts again from y.grad = 1.0"
    )


def _seeds_with_one(seeded: dict) -> None:
    """Fail unless backward() sets the root's grad to 1.0, whatever it held before."""
    g = grad_of(seeded["y"], "y")
    if close(g, 2.0):
        fail(
            f"after y.backward() twice (y = x * x, x = 3.0), y.grad is 2.0 and x.grad "
            f"{number(seeded['x'])}: backward() adds 1.0 to the root's grad (self.grad += 1.0). "
            "Set it, self.grad = 1.0: dy/dy is 1 whatever y.grad held, so the notebook's "
            "demo at the end prints 12.0 (6.0 added twice), not 18.0"
        )
    expect(
        close(g, 1.0),
        f"after y.backward() twice (y = x * x), y.grad is {number(g)}, expected 1.0: "
        "backward() sets the root's grad, self.grad = 1.0",
    )


# --- 6. a Value used twice ------------------------------------------------------------


def _backward_made_them(made: object) -> None:
    """Fail unless the example's right grads come from f.backward(): f = d*e is built from a
    and b, and f.grad is no longer 0.0 (backward() sets it to 1.0)."""
    made = made if isinstance(made, dict) else {}
    data = attribute(made.get("data"), "data")
    if made.get("from_a_and_b") is not True or not close(data, -6.0):
        fail(
            f"a.grad -3.0 and b.grad -8.0 are right, but f (f.data {number(data)}) is not "
            "the example's f = d*e = -6.0, built from this a and b: build the example in the "
            "exercise cell (d = a*b, e = a + b, f = d*e) and call f.backward()"
        )
    expect(
        not close(grad_of(made.get("grad"), "f"), 0.0),
        "a.grad -3.0 and b.grad -8.0 are right, but f.grad is still 0.0: f.backward() did "
        "not run on this f (it sets f.grad = 1.0 first). Call f.backward() on the example's "
        "f and let it fill in every grad",
    )


def _used_twice_draws(rng: random.Random) -> list[dict]:
    """Other p, q (apart, away from 0 and +-1), another x and another diamond."""
    cases: list[dict] = []
    while len(cases) < 2:
        p, q = (round(rng.choice([-1, 1]) * rng.uniform(0.5, 4), 1) for _ in range(2))
        if not (all(_away(v, 0.0, 1.0, -1.0) for v in (p, q)) and _away(p, q, -q)):
            continue
        x = round(rng.choice([-1, 1]) * rng.uniform(1.5, 4), 1)
        cases.append({"p": p, "q": q, "x": x, "diamond": _diamond_draw(rng)})
    return cases


@check(
    "03.used_twice",
    visible={"p": 2.0, "q": -3.0, "x": 3.0, "diamond": DIAMOND},
    hidden=_used_twice_draws,
)
def used_twice(d, p, q, x, diamond) -> str:
    example = d["example"]
    for name, want in (("a", -2.0), ("b", 3.0)):
        got = attribute(example[name], "data")
        expect(
            close(got, want),
            f"{name}.data is {number(got)}, expected {number(want)}: build the lecture's "
            "second example in the exercise cell above (a = -2.0, b = 3.0, d = a*b, "
            "e = a + b, f = d*e, then f.backward()) and run it",
        )
    for symbol, pair in (("+", (1.0, 1.0)), ("*", (q, p))):
        _run_backward(d, f"p{symbol}q", "y")
        grads = [grad_of(g, n) for g, n in zip(d[f"p{symbol}q.grads"], ("p", "q"))]
        expect(
            all(close(g, w) for g, w in zip(grads, pair)),
            f"y = p {symbol} q with p = {number(p)}, q = {number(q)} (no Value used twice) "
            f"gives p.grad {number(grads[0])} and q.grad {number(grads[1])} after y.backward(), "
            f"expected {number(pair[0])} and {number(pair[1])}: the bug is not about using a "
            f"Value twice; fix the _backward of {symbol} first (check 03."
            f"{'add' if symbol == '+' else 'mul'}_backward says more)",
        )
    for symbol, want, one_share in (("+", 2.0, 1.0), ("*", 2 * x, x)):
        _run_backward(d, f"x{symbol}x", "y")
        got = grad_of(d[f"x{symbol}x.x_grad"], "x")
        told = f"x.grad is {number(got)} after y = x {symbol} x; y.backward() (x = {number(x)})"
        if close(got, one_share):
            why = _one_share(d, f"x{symbol}x", symbol, one_share)
            fail(f"{told}, expected {number(want)}: {why}")
        expect(close(got, want), f"{told}, expected {number(want)} (x is both self and other)")
    _run_backward(d, "w", "w")
    shares = _diamond_grads(diamond)
    reported = d["w.grads"]
    for n in DIAMOND_LEAVES:
        if close(grad_of(reported[n], n), shares[n]):
            continue
        _diagnose_traversal(d, "w", "w")
        fail(
            f"in a diamond (x = p*q used by y = x + three and z = x * four, w = y*z), "
            f"{n}.grad is {number(reported[n])}, expected {number(shares[n])}. x + x and "
            "x * x are right, so += works: x must collect both shares, from y and from z, "
            "before x._backward() runs; backward() goes through reversed(build_topo(self))"
        )
    twice = _second_example(passes=2)  # what f.backward() called twice gives
    grads = d["example_grads"]
    for name, want in (("a", -3.0), ("b", -8.0)):
        got = grad_of(grads[name], name)
        if close(got, twice[name]):
            fail(
                f"{name}.grad is {number(got)}, expected {number(want)}: f.backward() ran "
                "twice on the same Values, and the second pass added to the first; rerun "
                "the whole exercise cell (it rebuilds the Values) with one f.backward()"
            )
        expect(
            close(got, want),
            f"{name}.grad is {number(got)}, expected {number(want)} (a.grad -3.0, b.grad "
            "-8.0): is the example built as d = a*b, e = a + b, f = d*e, with f.backward()?",
        )
    _backward_made_them(d["f"])
    labels = d.get("labels")
    if labels is not None:  # answers of the grader's kernel always have them
        got = sorted([*d["labels_ab"], *labels])
        expect(
            got == ["a", "b", "d", "e", "f"],
            f"the gradients are right, but the example's Values are labelled {got}, expected "
            "a, b, d, e, f as the exercise asks (Value(-2.0, label='a'), ..., d.label = 'd'): "
            "draw_dot names its boxes by them",
        )
    return (
        f"x + x gives x.grad 2.0, x * x gives {number(2 * x)} (2x), a diamond matches the "
        "reference, and f.backward() on the lecture's f = (a*b)*(a+b) gives a.grad -3.0, "
        "b.grad -8.0, every Value labelled"
    )
