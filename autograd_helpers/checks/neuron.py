"""Checks of 05_neuron: the lecture's neuron, its gradients by hand and by ``backward()``,
tanh rebuilt from exp, and a gradient check.

From 05 on the notebook uses the reference ``Value`` on purpose, so these checks accept
it (``allow_reference``). What they expect is computed here from ``math.tanh`` and the
chain rule written out by hand, never from the learner's code: at the lecture's inputs
and at two more points, so that numbers copied from the lecture do not pass.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

from autograd_helpers.checks._core import check, close, expect, fail, number
from autograd_helpers.checks._lecture import (
    NEURON_INPUTS,
    NEURON_NAMES,
    labelled,
    neuron_numbers,
)
from autograd_helpers.checks._values import as_float, children, is_value, walk
from autograd_helpers.gradcheck import GradcheckReport
from solutions.engine import Value as Reference

NAMES = NEURON_NAMES
LECTURE = NEURON_INPUTS  # b is chosen so that n = 0.8814 and o = tanh(n) = 1/sqrt(2)
# two more points: n < 0 (ReLU would give 0) and x2 != 0 (x2*w2 counts)
OTHERS = (
    {"x1": 1.0, "x2": -2.0, "w1": 0.5, "w2": 0.75, "b": 0.25},
    {"x1": 0.5, "x2": 1.5, "w1": -1.0, "w2": 0.8, "b": -0.3},
)
POINTS = (LECTURE, *OTHERS)


expected = neuron_numbers  # n, o, dn and every input's gradient at a point


def _close(got: object, want: float) -> bool:
    return close(got, want, rel=1e-7, abs_tol=1e-9)


def _where(p: Mapping[str, float]) -> str:
    if p is LECTURE:
        return "the lecture's inputs"
    return ", ".join(f"{name} = {number(p[name])}" for name in NAMES)


def _describe(v: object) -> str:
    """How an unlabelled node was made, from its children's labels: ``x1 * w1``."""
    op = getattr(v, "_op", "") or "?"
    names = [getattr(c, "label", "") or number(c.data) for c in children(v)]
    if len(names) == 1 and op in {"+", "*"}:
        names *= 2  # a set of children holds a + a's child once
    how = f" {op} ".join(names) if len(names) == 2 else f"{op}({', '.join(names)})"
    return f"the Value {how} (data {number(v.data)})"


def _call(Value, fn: Callable, name: str, p: Mapping[str, float]) -> tuple[object, dict]:
    """``fn(x1=..., ...)`` on fresh labelled leaves of ``Value``: (output, leaves)."""
    __tracebackhide__ = True
    leaves = {key: labelled(Value, p[key], key) for key in NAMES}
    out = fn(**leaves)
    expect(
        out is not None,
        f"{name}(x1, x2, w1, w2, b) returned None: end it with `return o`",
    )
    expect(
        hasattr(out, "data") and hasattr(out, "backward"),
        f"{name}(x1, x2, w1, w2, b) returned {type(out).__name__} {out!r}, expected the "
        "output Value o: build it with Value operations and return it",
    )
    return out, leaves


def _connected(name: str, out: object, leaves: dict) -> None:
    """Every leaf is in the output's graph (else backward() cannot reach it)."""
    __tracebackhide__ = True
    in_graph = {id(v) for v in walk(out)}
    for key in NAMES:
        expect(
            id(leaves[key]) in in_graph,
            f"{key} is not part of the graph of {name}(x1, x2, w1, w2, b): backward() cannot "
            f"reach it. Is every step a Value operation on the Values (x1 * w1, ...), not a "
            f"new Value made from their .data?",
        )


def _compare_grads(name: str, p: Mapping[str, float], leaves: dict, want: dict) -> None:
    """Every leaf's grad after ``o.backward()`` against the chain rule."""
    __tracebackhide__ = True
    grads = {key: leaves[key].grad for key in NAMES}
    if all(_close(g, 0.0) for g in grads.values()):
        fail(
            f"after o.backward() with o = {name}(...) at {_where(p)}, every input's grad "
            "is 0.0: is o built from the Values x1, x2, w1, w2, b with Value operations "
            "(x1 * w1, ...), not from their .data?"
        )
    for key in NAMES:
        expect(
            _close(grads[key], want[key]),
            f"after o.backward() with o = {name}(...) at {_where(p)}, {key}.grad is "
            f"{number(grads[key])}, expected {number(want[key])} (the tanh neuron's gradient: "
            f"(1 - o**2) = {number(want['dn'])} times the local derivative)",
        )


# --- 1. the neuron ---------------------------------------------------------------------------


def _diagnose_output(out: object, p: Mapping[str, float], want: dict) -> None:
    """Fail with the likely mistake when o is not tanh(x1*w1 + x2*w2 + b) at ``p``."""
    __tracebackhide__ = True
    got = out.data
    if _close(got, want["o"]):
        return
    n = want["n"]
    where = f"with {_where(p)}"
    op = str(getattr(out, "_op", "") or "")
    if "relu" in op.lower() or (_close(got, max(n, 0.0)) and n < 0):
        fail(
            f"o is {number(got)} {where}: that is relu(n), but the lecture's neuron squashes "
            f"n with tanh: o = n.tanh() (expected {number(want['o'])})"
        )
    if _close(got, n):
        fail(
            f"o is {number(got)} {where}: that is n itself, with no activation. Apply tanh: "
            f"o = n.tanh() (expected {number(want['o'])})"
        )
    if _close(got, math.tanh(n - p["b"])):
        fail(
            f"o is {number(got)} {where}, expected {number(want['o'])}: that is "
            "tanh(x1*w1 + x2*w2) without the bias. Add b: n = x1*w1 + x2*w2 + b"
        )
    if _close(got, math.tanh(p["x1"] * p["w1"] + p["b"])):
        fail(
            f"o is {number(got)} {where}, expected {number(want['o'])}: that is "
            "tanh(x1*w1 + b) without x2*w2 (at the lecture's inputs x2 = 0 hides it). "
            "Sum both products: x1*w1 + x2*w2"
        )
    fail(f"o is {number(got)} {where}, expected tanh(x1*w1 + x2*w2 + b) = {number(want['o'])}")


def _check_labels(out: object, leaves: dict) -> None:
    """o is labelled "o", its input "n", and every other step has some label."""
    __tracebackhide__ = True
    label = getattr(out, "label", None)
    expect(
        label == "o",
        f"o.label is {label!r}, expected 'o': set o.label = \"o\" (draw_dot shows labels)",
    )
    inputs = children(out)
    expect(
        getattr(out, "_op", "") == "tanh" and len(inputs) == 1,
        f"o should be n.tanh(), one tanh node with the single child n; o._op is "
        f"{getattr(out, '_op', '')!r} with {len(inputs)} children",
    )
    n_label = getattr(inputs[0], "label", None)
    expect(
        n_label == "n",
        f"the input of tanh is labelled {n_label!r}, expected 'n': set n.label = \"n\"",
    )
    leaf_ids = {id(v) for v in leaves.values()}
    for v in walk(out):
        if id(v) not in leaf_ids and children(v) and not getattr(v, "label", ""):
            fail(
                f"{_describe(v)} has no label: label every step as the lecture does, "
                'e.g. x1w1.label = "x1*w1" (the graph below shows labels)'
            )


@check("05.neuron", allow_reference=("Value",))
def neuron(Value, neuron) -> str:
    for p in POINTS:  # forward first: a wrong o explains wrong gradients
        out, _ = _call(Value, neuron, "neuron", p)
        _diagnose_output(out, p, expected(p))
    for p in POINTS:
        out, leaves = _call(Value, neuron, "neuron", p)
        _connected("neuron", out, leaves)
        out.backward()
        _compare_grads("neuron", p, leaves, expected(p))
        if p is LECTURE:
            _check_labels(out, leaves)
    return (
        "o = tanh(x1*w1 + x2*w2 + b) = 0.707107 with the lecture's inputs and right at 2 more "
        "points, gradients included; o, n and every step in between are labelled "
        "(not checked: the text of the in-between labels)"
    )


# --- 2. gradients by hand --------------------------------------------------------------------


def _by_hand_at(grads_by_hand, p: Mapping[str, float]) -> dict[str, float]:
    """The learner's dict at ``p``, as floats, or a failure naming what came back."""
    __tracebackhide__ = True
    result = grads_by_hand(**p)
    expect(
        result is not None,
        "grads_by_hand(...) returned None: return the dict of gradients, "
        '{"x1": ..., "w1": ..., "x2": ..., "w2": ..., "b": ...}',
    )
    expect(
        isinstance(result, Mapping),
        f"grads_by_hand(...) returned {type(result).__name__} {result!r}, expected a dict "
        'with one gradient per input: {"x1": ..., "w1": ..., "x2": ..., "w2": ..., "b": ...}',
    )
    missing = [key for key in NAMES if key not in result]
    if missing:
        fail(
            f"the dict of grads_by_hand has no key {missing[0]!r} (its keys: "
            f"{sorted(map(str, result))}): give every input its gradient, keys "
            '"x1", "w1", "x2", "w2", "b"'
        )
    grads = {}
    for key in NAMES:
        value = as_float(result[key])  # a Value's number, or a numpy float, is fine too
        if value is None:
            fail(f"grads_by_hand(...)[{key!r}] is {result[key]!r}, expected a number")
        grads[key] = value
    return grads


def _diagnose_by_hand(got: dict[str, float], p: Mapping[str, float], want: dict) -> None:
    """Fail with the likely mistake at the lecture's point ``p``."""
    __tracebackhide__ = True
    o, n, dn = want["o"], want["n"], want["dn"]
    db = got["b"]
    for wrong, what in [
        (1.0, "the local derivative of + alone: multiply by do/dn (the chain rule)"),
        (1 - n * n, "1 - n**2: tanh's derivative uses its output o, so do/dn = 1 - o**2"),
        (1 - o, "1 - o: o must be squared, do/dn = 1 - o**2"),
        ((1 - o) ** 2, "(1 - o)**2: only o is squared, do/dn = 1 - o**2"),
    ]:
        if not _close(dn, wrong) and _close(db, wrong):
            fail(
                f"at the lecture's inputs your b gradient is {number(db)}, expected "
                f"{number(dn)}: that is {what}"
            )
    for key, other, mine in [("x1", "w1", "x1"), ("w1", "x1", "w1"), ("x2", "w2", "x2")]:
        if _close(got[key], p[other]) and not _close(want[key], p[other]):
            fail(
                f"at the lecture's inputs your {key} gradient is {number(got[key])}: that is "
                f"{other} alone, the local derivative of the product. Multiply it by "
                f"do/dn = {number(dn)} (the chain rule), expected {number(want[key])}"
            )
        if _close(got[key], p[mine] * dn) and not _close(want[key], p[mine] * dn):
            fail(
                f"at the lecture's inputs your {key} gradient is {number(got[key])}, expected "
                f"{number(want[key])}: that is {mine} * dn. In a product x1 * w1, the gradient "
                f"of one factor is the other factor times dn: d/d{key} is {other} * dn"
            )


@check("05.by_hand")
def by_hand(grads_by_hand) -> str:
    for p in POINTS:
        want = expected(p)
        got = _by_hand_at(grads_by_hand, p)
        if p is LECTURE:
            _diagnose_by_hand(got, p, want)
        for key in NAMES:
            if _close(got[key], want[key]):
                continue
            if p is not LECTURE and all(_close(got[k], expected(LECTURE)[k]) for k in NAMES):
                fail(
                    f"grads_by_hand gives the lecture's numbers at {_where(p)} too: compute "
                    "them from the arguments x1, x2, w1, w2, b, not from the lecture's values"
                )
            fail(
                f"with {_where(p)}, your {key} gradient is {number(got[key])}, expected "
                f"{number(want[key])} (do/dn = 1 - o**2 = {number(want['dn'])}, o = "
                f"{number(want['o'])})"
            )
    return (
        "grads_by_hand follows the chain rule: x1 -1.5, w1 1.0, x2 0.5, w2 0.0, b 0.5 at the "
        "lecture's inputs, and right at 2 more points"
    )


# --- 3. backward() ---------------------------------------------------------------------------


def _backward_repeated(times: int) -> dict[str, float]:
    """The inputs' grads after calling backward() ``times`` times on one lecture neuron."""
    leaves = {name: Reference(LECTURE[name]) for name in NAMES}
    out = (leaves["x1"] * leaves["w1"] + leaves["x2"] * leaves["w2"] + leaves["b"]).tanh()
    for _ in range(times):
        out.backward()
    return {name: leaf.grad for name, leaf in leaves.items()}


def _check_grads_dict(grads: object, leaves: dict) -> None:
    """``grads`` maps each input's name to that input's grad, read after backward()."""
    __tracebackhide__ = True
    expect(
        isinstance(grads, Mapping),
        f"grads is {type(grads).__name__} {grads!r}, expected a dict: "
        '{"x1": x1.grad, "w1": w1.grad, ...}',
    )
    for name, leaf in leaves.items():
        expect(
            name in grads,
            f"grads has no key {name!r}: give all five inputs, keys x1, w1, x2, w2, b",
        )
        got = getattr(grads[name], "grad", grads[name])  # the Value itself is fine too
        if _close(got, 0.0) and not _close(leaf.grad, 0.0):
            fail(
                f"grads[{name!r}] is 0.0 but {name}.grad is {number(leaf.grad)}: the dict was "
                "filled in before o.backward(). Call o.backward() first, then read the grads"
            )
        expect(
            _close(got, leaf.grad),
            f"grads[{name!r}] is {got!r}, expected {name}.grad = {number(leaf.grad)}",
        )


@check("05.backward", allow_reference=("x1", "x2", "w1", "w2", "b", "o"))
def backward(x1, x2, w1, w2, b, o, grads) -> str:
    leaves = {"x1": x1, "x2": x2, "w1": w1, "w2": w2, "b": b}
    for name, v in {**leaves, "o": o}.items():
        expect(
            is_value(v),
            f"{name} is {type(v).__name__} {v!r}, expected a Value: run the exercise cell "
            "above again (a later cell may have reused the name)",
        )
    for name, v in leaves.items():
        expect(
            _close(v.data, LECTURE[name]),
            f"{name}.data is {number(v.data)}, expected the lecture's {number(LECTURE[name])}",
        )
    want = expected(LECTURE)
    expect(
        _close(o.data, want["o"]),
        f"o.data is {number(o.data)}, expected 0.707107: run the cell above from the top "
        "(it builds the leaves and o = neuron(x1, x2, w1, w2, b))",
    )
    in_graph = {id(v) for v in walk(o)}
    for name, v in leaves.items():
        expect(
            id(v) in in_graph,
            f"{name} is not part of o's graph: o was built from other Values. Run the whole "
            "exercise cell, which makes the leaves and then o from them",
        )
    got = {name: v.grad for name, v in leaves.items()}
    tanh_input = children(o)[0] if len(children(o)) == 1 else None
    if all(_close(g, 0.0) for g in got.values()):
        if _close(o.grad, 1.0) and tanh_input is not None and _close(tanh_input.grad, 0.5):
            fail(
                "only n got a gradient (0.5), the inputs' grads are all 0.0: o._backward() "
                "is one step of the chain rule. Call o.backward(), which runs every step "
                "in topological order"
            )
        fail("every grad is still 0.0: call o.backward() to fill them in")
    if _close(o.grad, 0.0) and _close(got["x1"], 2 * want["x1"]):
        fail(
            "o.grad is 0.0 and x1.grad is -3.0: backward() started from n, not from o. "
            "Call o.backward()"
        )
    for times in (2, 3, 4):
        again = _backward_repeated(times)
        if all(_close(got[k], again[k]) for k in NAMES):
            fail(
                f"x1.grad is {number(got['x1'])}, expected -1.5: that is what o.backward() "
                f"gives when it runs {times} times on the same graph (backward ran twice or "
                "more), because gradients add up (+=), the in-between ones too. Call "
                "o.backward() once, on a freshly built neuron"
            )
    for name in NAMES:
        expect(
            _close(got[name], want[name]),
            f"{name}.grad is {number(got[name])} after o.backward(), expected {number(want[name])}",
        )
    _check_grads_dict(grads, leaves)
    return (
        "after o.backward(): x1.grad -1.5, w1.grad 1.0, x2.grad 0.5, w2.grad 0.0, b.grad 0.5, "
        "the numbers of the chain rule by hand, and grads holds them"
    )


# --- 4. tanh from exp ------------------------------------------------------------------------


@check("05.tanh_from_exp", allow_reference=("Value",))
def tanh_from_exp(Value, neuron_exp) -> str:
    for p in POINTS:
        want = expected(p)
        out, leaves = _call(Value, neuron_exp, "neuron_exp", p)
        _connected("neuron_exp", out, leaves)
        ops = {getattr(v, "_op", "") for v in walk(out)}
        expect(
            "tanh" not in ops,
            "neuron_exp's graph has a tanh node: build tanh from its pieces, "
            "e = (2 * n).exp(), then (e - 1) / (e + 1)",
        )
        got, t = out.data, want["o"]
        if not _close(got, t):
            where = f"with {_where(p)}"
            if _close(got, math.tanh(want["n"] / 2)):
                fail(
                    f"neuron_exp gives o = {number(got)} {where}: that is tanh(n/2), expected "
                    f"{number(t)}. The formula needs e = exp(2n): e = (2 * n).exp()"
                )
            if not _close(t, 0.0) and _close(got, 1 / t):
                fail(
                    f"neuron_exp gives o = {number(got)} {where}: that is 1/tanh(n), "
                    f"expected {number(t)}. The numerator is e - 1, the denominator e + 1"
                )
            fail(f"neuron_exp gives o = {number(got)} {where}, expected tanh(n) = {number(t)}")
        expect(
            "exp" in ops,
            "neuron_exp's graph has no exp node: compute e as a Value, e = (2 * n).exp(), so "
            "that backward() can go through it",
        )
        out.backward()
        grads = {key: leaves[key].grad for key in NAMES}
        if all(_close(g, 0.0) for g in grads.values()):
            fail(
                "after o.backward() on neuron_exp's output, every input's grad is 0.0: is e "
                "built from n with Value operations, (2 * n).exp(), not from n.data?"
            )
        _compare_grads("neuron_exp", p, leaves, want)
    return (
        "neuron_exp builds tanh from exp, e = exp(2n), o = (e - 1) / (e + 1): o and every "
        "gradient equal the tanh neuron's (x1 -1.5, w1 1.0, x2 0.5, w2 0.0) at the lecture's "
        "inputs and at 2 more points"
    )


# --- 5. a gradient check ---------------------------------------------------------------------


def _inputs_used(report: GradcheckReport) -> dict[str, float] | None:
    """The inputs a report of the tanh neuron was made at, read back from its gradients.

    x1's gradient is w1 * dn, w1's is x1 * dn (and so on), b's is dn itself; b then
    follows from o = tanh(x1*w1 + x2*w2 + b). None when that cannot be read back.
    """
    dn = report["b"].analytic
    if not isinstance(dn, float) or abs(dn) < 1e-6 or not -1 < report.output < 1:
        return None
    used = {
        "x1": report["w1"].analytic / dn,
        "w1": report["x1"].analytic / dn,
        "x2": report["w2"].analytic / dn,
        "w2": report["x2"].analytic / dn,
    }
    n = math.atanh(report.output)
    used["b"] = n - used["x1"] * used["w1"] - used["x2"] * used["w2"]
    return used


def _swapped_inputs(report: GradcheckReport) -> None:
    """Fail when the report checked the neuron with the lecture's numbers under other names."""
    __tracebackhide__ = True
    used = _inputs_used(report)
    if used is None:
        return
    four = ("x1", "w1", "x2", "w2")
    wrong = [k for k in four if not _close(used[k], LECTURE[k])]
    mine = sorted(used[k] for k in four)
    lecture = sorted(LECTURE[k] for k in four)
    if wrong and all(_close(a, b) for a, b in zip(mine, lecture)):
        given = ", ".join(f"{k} = {number(round(used[k], 9))}" for k in wrong)
        want = ", ".join(f"{k} = {number(LECTURE[k])}" for k in wrong)
        fail(
            f"the report checked the neuron at {given}, expected {want}: the lecture's "
            "numbers are given to the wrong inputs. Pair each input's name with its own "
            'number: {"x1": 2.0, "x2": 0.0, "w1": -3.0, "w2": 1.0, "b": 6.8813735870195432}'
        )


@check("05.gradcheck")
def gradient_check(report) -> str:
    expect(
        report is not None,
        "report is None: store what gradcheck returns, report = gradcheck(...); print() "
        "shows the table but returns None",
    )
    expect(
        not isinstance(report, str),
        f"report is the text {report!r}: store the whole report that gradcheck returns "
        "(report = gradcheck(...)), not one of its attributes",
    )
    expect(
        isinstance(report, GradcheckReport),
        f"report is a {type(report).__name__}, expected what gradcheck returns: "
        "report = gradcheck(neuron_exp, {...}, Value)",
    )
    names = [e.name for e in report.entries]
    expect(
        sorted(names) == sorted(NAMES),
        f"the report checks the inputs {names}, expected x1, x2, w1, w2, b: give gradcheck "
        "all five inputs of the neuron, by their parameter names",
    )
    _swapped_inputs(report)
    want = expected(LECTURE)
    expect(
        _close(report.output, want["o"]),
        f"the report's output is {number(report.output)}, expected o = 0.707107: check the "
        "neuron at the lecture's inputs, x1 = 2.0, x2 = 0.0, w1 = -3.0, w2 = 1.0 and "
        "b = 6.8813735870195432 (all of its digits)",
    )
    for name in NAMES:
        entry = report[name]
        expect(
            _close(entry.analytic, want[name]),
            f"the report's analytic {name} gradient is {number(entry.analytic)}, expected "
            f"{number(want[name])}: gradcheck the neuron (neuron or neuron_exp)",
        )
        expect(
            close(entry.numerical, want[name], rel=1e-5, abs_tol=1e-7),
            f"the report's numerical {name} gradient is {number(entry.numerical)}, expected "
            f"about {number(want[name])}: keep gradcheck's default h",
        )
    expect(
        report.verdict == "great",
        f"the report's verdict is {report.verdict!r}, expected 'great' for every input",
    )
    return (
        f"the gradient check of the neuron at the lecture's inputs says great for all five "
        f"inputs (worst relative error {report.worst:.1e}); its numbers match the chain rule"
    )
