"""Checks of 05_neuron: the lecture's neuron, its gradients by hand and by ``backward()``,
tanh rebuilt from exp, and a gradient check.

From 05 on the notebook uses the reference ``Value`` on purpose, so the probes accept it
(``allow_reference``). What these judges expect is computed here from ``math.tanh`` and
the chain rule written out by hand, never from the learner's code: at the lecture's
inputs and at two more points, so that numbers copied from the lecture do not pass (the
grader adds points of its own, ``_hidden``).
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping

from autograd_helpers.checks._core import check, close, expect, fail, number
from autograd_helpers.probes import neuron as _probes  # noqa: F401  (registers the probes)
from autograd_helpers.probes._lecture import NEURON_INPUTS, NEURON_NAMES, neuron_numbers
from solutions.engine import Value as Reference

NAMES = NEURON_NAMES
LECTURE = NEURON_INPUTS  # b is chosen so that n = 0.8814 and o = tanh(n) = 1/sqrt(2)
# two more points: n < 0 (ReLU would give 0) and x2 != 0 (x2*w2 counts)
OTHERS = (
    {"x1": 1.0, "x2": -2.0, "w1": 0.5, "w2": 0.75, "b": 0.25},
    {"x1": 0.5, "x2": 1.5, "w1": -1.0, "w2": 0.8, "b": -0.3},
)
POINTS = (LECTURE, *OTHERS)
VISIBLE = {"points": [dict(p) for p in POINTS]}


expected = neuron_numbers  # n, o, dn and every input's gradient at a point


def _draw(rng: random.Random, negative: bool) -> dict[str, float]:
    """A point the grader adds: n of the sign asked for, away from 0 and from saturation;
    the bias, both products and x1 - w1, x2 - w2 away from 0 (so that no mistake's
    symptom, a forgotten term, a swapped factor, relu, gives the right numbers)."""
    while True:
        p = {key: round(rng.uniform(-3, 3), 2) for key in NAMES}
        n = expected(p)["n"]
        if (n < 0) != negative or not 0.3 <= abs(n) <= 2.5:
            continue
        apart = (
            p["b"],
            p["x1"] * p["w1"],
            p["x2"] * p["w2"],
            p["x1"] - p["w1"],
            p["x2"] - p["w2"],
        )
        if min(abs(x) for x in apart) >= 0.3:
            return p


def _hidden(rng: random.Random) -> list[dict]:
    """Two more cases, each a point with n < 0 and one with n > 0, in random order."""
    cases = []
    for _ in range(2):
        points = [_draw(rng, True), _draw(rng, False)]
        rng.shuffle(points)
        cases.append({"points": points})
    return cases


def _close(got: object, want: float) -> bool:
    return close(got, want, rel=1e-7, abs_tol=1e-9)


def _is_lecture(p: Mapping[str, float]) -> bool:
    return dict(p) == LECTURE


def _where(p: Mapping[str, float]) -> str:
    if _is_lecture(p):
        return "the lecture's inputs"
    return ", ".join(f"{name} = {number(p[name])}" for name in NAMES)


def _more(points: list) -> str:
    more = len(points) - 1
    return f"{more} more point{'s' if more != 1 else ''}"


def _missing(x: object) -> bool:
    return isinstance(x, dict) and x.get("~") == "missing"


def _text(x: object) -> str:
    """``repr`` of a reported object: its own repr for plain data, else the probe's."""
    if isinstance(x, dict) and x.get("~") in ("object", "value"):
        return str(x.get("repr", ""))
    return repr(x)


def _label(node: dict) -> object:
    """A node's label as ``getattr(v, "label", None)`` gives it."""
    label = node["label"]
    return None if _missing(label) else label


def _describe(node: dict, nodes: list[dict]) -> str:
    """How an unlabelled node was made, from its children's labels: ``x1 * w1``."""
    op = node["op"]
    op = "?" if _missing(op) or not op else op if isinstance(op, str) else _text(op)
    names = []
    for k in node["children"]:
        child = nodes[k] if 0 <= k < len(nodes) else None
        if child is None:
            names.append("?")
        else:
            names.append(str(_label(child) or number(child["data"])))
    if len(names) == 1 and op in {"+", "*"}:
        names *= 2  # a set of children holds a + a's child once
    how = f" {op} ".join(names) if len(names) == 2 else f"{op}({', '.join(names)})"
    return f"the Value {how} (data {number(node['data'])})"


def _returned(r: dict, name: str) -> None:
    """The function returned the output Value (what ``probes.neuron._returned`` saw)."""
    __tracebackhide__ = True
    expect(
        not r["none"],
        f"{name}(x1, x2, w1, w2, b) returned None: end it with `return o`",
    )
    expect(
        r["usable"],
        f"{name}(x1, x2, w1, w2, b) returned {r['type']} {r['repr']}, expected the "
        "output Value o: build it with Value operations and return it",
    )


def _connected(name: str, in_graph: list) -> None:
    """Every leaf is in the output's graph (else backward() cannot reach it)."""
    __tracebackhide__ = True
    for key in NAMES:
        expect(
            key in in_graph,
            f"{key} is not part of the graph of {name}(x1, x2, w1, w2, b): backward() cannot "
            f"reach it. Is every step a Value operation on the Values (x1 * w1, ...), not a "
            f"new Value made from their .data?",
        )


def _compare_grads(name: str, p: Mapping[str, float], grads: dict, want: dict) -> None:
    """Every leaf's grad after ``o.backward()`` against the chain rule."""
    __tracebackhide__ = True
    if all(_close(grads[key], 0.0) for key in NAMES):
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


def _diagnose_output(forward: dict, p: Mapping[str, float], want: dict) -> None:
    """Fail with the likely mistake when o is not tanh(x1*w1 + x2*w2 + b) at ``p``."""
    __tracebackhide__ = True
    got = forward["data"]
    if _close(got, want["o"]):
        return
    n = want["n"]
    where = f"with {_where(p)}"
    op = str(forward["op"])
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


def _check_labels(nodes: list[dict]) -> None:
    """o is labelled "o", its input "n", and every other step has some label."""
    __tracebackhide__ = True
    out = nodes[0]
    label = _label(out)
    expect(
        label == "o",
        f"o.label is {_text(label)}, expected 'o': set o.label = \"o\" (draw_dot shows labels)",
    )
    inputs = out["children"]
    op = "" if _missing(out["op"]) else out["op"]
    expect(
        op == "tanh" and len(inputs) == 1,
        f"o should be n.tanh(), one tanh node with the single child n; o._op is "
        f"{_text(op)} with {len(inputs)} children",
    )
    n_label = _label(nodes[inputs[0]]) if 0 <= inputs[0] < len(nodes) else None
    expect(
        n_label == "n",
        f"the input of tanh is labelled {_text(n_label)}, expected 'n': set n.label = \"n\"",
    )
    for node in nodes:
        if node["leaf"] is None and node["children"] and not (_label(node) or ""):
            fail(
                f"{_describe(node, nodes)} has no label: label every step as the lecture does, "
                'e.g. x1w1.label = "x1*w1" (the graph below shows labels)'
            )


@check("05.neuron", visible=VISIBLE, hidden=_hidden)
def neuron(d, points) -> str:
    for i, p in enumerate(points):  # forward first: a wrong o explains wrong gradients
        forward = d[f"forward{i}"]
        _returned(forward["returned"], "neuron")
        _diagnose_output(forward, p, expected(p))
    for i, p in enumerate(points):
        graph = d[f"graph{i}"]
        _returned(graph["returned"], "neuron")
        _connected("neuron", graph["in_graph"])
        _compare_grads("neuron", p, d[f"grads{i}"], expected(p))
        if i == 0:
            _check_labels(graph["nodes"])
    first = points[0]
    return (
        f"o = tanh(x1*w1 + x2*w2 + b) = {number(expected(first)['o'])} with {_where(first)} "
        f"and right at {_more(points)}, gradients included; o, n and every step in between "
        "are labelled (not checked: the text of the in-between labels)"
    )


# --- 2. gradients by hand --------------------------------------------------------------------


def _by_hand_at(answer: dict) -> dict[str, float]:
    """The learner's dict at one point, as floats, or a failure naming what came back."""
    __tracebackhide__ = True
    expect(
        not answer["none"],
        "grads_by_hand(...) returned None: return the dict of gradients, "
        '{"x1": ..., "w1": ..., "x2": ..., "w2": ..., "b": ...}',
    )
    expect(
        answer["mapping"],
        f"grads_by_hand(...) returned {answer.get('type')} {answer.get('repr')}, expected a dict "
        'with one gradient per input: {"x1": ..., "w1": ..., "x2": ..., "w2": ..., "b": ...}',
    )
    missing = answer["missing"]
    if missing:
        fail(
            f"the dict of grads_by_hand has no key {missing[0]!r} (its keys: "
            f"{answer['keys']}): give every input its gradient, keys "
            '"x1", "w1", "x2", "w2", "b"'
        )
    grads = {}
    for key in NAMES:
        value = answer["grads"][key]
        if value is None:
            fail(f"grads_by_hand(...)[{key!r}] is {answer['shown'][key]}, expected a number")
        grads[key] = value
    return grads


def _diagnose_by_hand(got: dict[str, float], p: Mapping[str, float], want: dict) -> None:
    """Fail with the likely mistake at the first point ``p`` (the lecture's, in the notebook)."""
    __tracebackhide__ = True
    o, n, dn = want["o"], want["n"], want["dn"]
    at = f"at {_where(p)}"
    db = got["b"]
    for wrong, what in [
        (1.0, "the local derivative of + alone: multiply by do/dn (the chain rule)"),
        (1 - n * n, "1 - n**2: tanh's derivative uses its output o, so do/dn = 1 - o**2"),
        (1 - o, "1 - o: o must be squared, do/dn = 1 - o**2"),
        ((1 - o) ** 2, "(1 - o)**2: only o is squared, do/dn = 1 - o**2"),
    ]:
        if not _close(dn, wrong) and _close(db, wrong):
            fail(f"{at} your b gradient is {number(db)}, expected {number(dn)}: that is {what}")
    for key, other, mine in [("x1", "w1", "x1"), ("w1", "x1", "w1"), ("x2", "w2", "x2")]:
        if _close(got[key], p[other]) and not _close(want[key], p[other]):
            fail(
                f"{at} your {key} gradient is {number(got[key])}: that is "
                f"{other} alone, the local derivative of the product. Multiply it by "
                f"do/dn = {number(dn)} (the chain rule), expected {number(want[key])}"
            )
        if _close(got[key], p[mine] * dn) and not _close(want[key], p[mine] * dn):
            fail(
                f"{at} your {key} gradient is {number(got[key])}, expected "
                f"{number(want[key])}: that is {mine} * dn. In a product x1 * w1, the gradient "
                f"of one factor is the other factor times dn: d/d{key} is {other} * dn"
            )


@check("05.by_hand", visible=VISIBLE, hidden=_hidden)
def by_hand(d, points) -> str:
    lecture = expected(LECTURE)
    for i, p in enumerate(points):
        want = expected(p)
        got = _by_hand_at(d[f"point{i}"])
        wrong = [key for key in NAMES if not _close(got[key], want[key])]
        if wrong and not _is_lecture(p) and all(_close(got[k], lecture[k]) for k in NAMES):
            fail(
                f"grads_by_hand gives the lecture's numbers at {_where(p)} too: compute "
                "them from the arguments x1, x2, w1, w2, b, not from the lecture's values"
            )
        if i == 0:
            _diagnose_by_hand(got, p, want)
        if wrong:
            key = wrong[0]
            fail(
                f"with {_where(p)}, your {key} gradient is {number(got[key])}, expected "
                f"{number(want[key])} (do/dn = 1 - o**2 = {number(want['dn'])}, o = "
                f"{number(want['o'])})"
            )
    first, want = points[0], expected(points[0])
    numbers = ", ".join(f"{key} {number(want[key])}" for key in ("x1", "w1", "x2", "w2", "b"))
    return (
        f"grads_by_hand follows the chain rule: {numbers} at {_where(first)}, and right at "
        f"{_more(points)}"
    )


# --- 3. backward() ---------------------------------------------------------------------------


def _backward_repeated(times: int) -> dict[str, float]:
    """The inputs' grads after calling backward() ``times`` times on one lecture neuron."""
    leaves = {name: Reference(LECTURE[name]) for name in NAMES}
    out = (leaves["x1"] * leaves["w1"] + leaves["x2"] * leaves["w2"] + leaves["b"]).tanh()
    for _ in range(times):
        out.backward()
    return {name: leaf.grad for name, leaf in leaves.items()}


def _check_grads_dict(answer: dict, leaf_grads: dict) -> None:
    """``grads`` maps each input's name to that input's grad, read after backward()."""
    __tracebackhide__ = True
    expect(
        answer["mapping"],
        f"grads is {answer.get('type')} {answer.get('repr')}, expected a dict: "
        '{"x1": x1.grad, "w1": w1.grad, ...}',
    )
    got_all = answer["got"]
    for name in NAMES:
        expect(
            name in got_all,
            f"grads has no key {name!r}: give all five inputs, keys x1, w1, x2, w2, b",
        )
        got, leaf_grad = got_all[name], leaf_grads[name]
        if _close(got, 0.0) and not _close(leaf_grad, 0.0):
            fail(
                f"grads[{name!r}] is 0.0 but {name}.grad is {number(leaf_grad)}: the dict was "
                "filled in before o.backward(). Call o.backward() first, then read the grads"
            )
        expect(
            _close(got, leaf_grad),
            f"grads[{name!r}] is {_text(got)}, expected {name}.grad = {number(leaf_grad)}",
        )


@check("05.backward")
def backward(d) -> str:
    values = d["values"]
    for name in (*NAMES, "o"):
        v = values[name]
        expect(
            v["is_value"],
            f"{name} is {v['type']} {v['repr']}, expected a Value: run the exercise cell "
            "above again (a later cell may have reused the name)",
        )
    data = d["data"]
    for name in NAMES:
        expect(
            _close(data[name], LECTURE[name]),
            f"{name}.data is {number(data[name])}, expected the lecture's {number(LECTURE[name])}",
        )
    want = expected(LECTURE)
    expect(
        _close(data["o"], want["o"]),
        f"o.data is {number(data['o'])}, expected 0.707107: run the cell above from the top "
        "(it builds the leaves and o = neuron(x1, x2, w1, w2, b))",
    )
    in_graph = d["in_graph"]
    for name in NAMES:
        expect(
            name in in_graph,
            f"{name} is not part of o's graph: o was built from other Values. Run the whole "
            "exercise cell, which makes the leaves and then o from them",
        )
    got = d["grads"]
    o_grad, tanh_input_grad = d["o_grad"], d["tanh_input_grad"]
    if all(_close(got[name], 0.0) for name in NAMES):
        if _close(o_grad, 1.0) and tanh_input_grad is not None and _close(tanh_input_grad, 0.5):
            fail(
                "only n got a gradient (0.5), the inputs' grads are all 0.0: o._backward() "
                "is one step of the chain rule. Call o.backward(), which runs every step "
                "in topological order"
            )
        fail("every grad is still 0.0: call o.backward() to fill them in")
    if _close(o_grad, 0.0) and _close(got["x1"], 2 * want["x1"]):
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
    _check_grads_dict(d["grads_dict"], got)
    return (
        "after o.backward(): x1.grad -1.5, w1.grad 1.0, x2.grad 0.5, w2.grad 0.0, b.grad 0.5, "
        "the numbers of the chain rule by hand, and grads holds them"
    )


# --- 4. tanh from exp ------------------------------------------------------------------------


@check("05.tanh_from_exp", visible=VISIBLE, hidden=_hidden)
def tanh_from_exp(d, points) -> str:
    for i, p in enumerate(points):
        want = expected(p)
        forward = d[f"forward{i}"]
        _returned(forward["returned"], "neuron_exp")
        _connected("neuron_exp", forward["in_graph"])
        ops = forward["ops"]
        expect(
            "tanh" not in ops,
            "neuron_exp's graph has a tanh node: build tanh from its pieces, "
            "e = (2 * n).exp(), then (e - 1) / (e + 1)",
        )
        got, t = forward["data"], want["o"]
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
        grads = d[f"grads{i}"]
        if all(_close(grads[key], 0.0) for key in NAMES):
            fail(
                "after o.backward() on neuron_exp's output, every input's grad is 0.0: is e "
                "built from n with Value operations, (2 * n).exp(), not from n.data?"
            )
        _compare_grads("neuron_exp", p, grads, want)
    first, want = points[0], expected(points[0])
    numbers = ", ".join(f"{key} {number(want[key])}" for key in ("x1", "w1", "x2", "w2"))
    return (
        "neuron_exp builds tanh from exp, e = exp(2n), o = (e - 1) / (e + 1): o and every "
        f"gradient equal the tanh neuron's ({numbers}) at {_where(first)} and at {_more(points)}"
    )


# --- 5. a gradient check ---------------------------------------------------------------------


def _inputs_used(entries: dict[str, dict], output: object) -> dict[str, float] | None:
    """The inputs a report of the tanh neuron was made at, read back from its gradients.

    x1's gradient is w1 * dn, w1's is x1 * dn (and so on), b's is dn itself; b then
    follows from o = tanh(x1*w1 + x2*w2 + b). None when that cannot be read back.
    """
    dn = entries["b"]["analytic"]
    numeric = (int, float)
    if (
        not isinstance(dn, numeric)
        or isinstance(dn, bool)
        or abs(dn) < 1e-6
        or not isinstance(output, numeric)
        or not -1 < output < 1
    ):
        return None
    used = {
        "x1": entries["w1"]["analytic"] / dn,
        "w1": entries["x1"]["analytic"] / dn,
        "x2": entries["w2"]["analytic"] / dn,
        "w2": entries["x2"]["analytic"] / dn,
    }
    n = math.atanh(output)
    used["b"] = n - used["x1"] * used["w1"] - used["x2"] * used["w2"]
    return used


def _swapped_inputs(entries: dict[str, dict], output: object) -> None:
    """Fail when the report checked the neuron with the lecture's numbers under other names."""
    __tracebackhide__ = True
    used = _inputs_used(entries, output)
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
def gradient_check(d) -> str:
    report = d["report"]
    kind = report["kind"]
    expect(
        kind != "none",
        "report is None: store what gradcheck returns, report = gradcheck(...); print() "
        "shows the table but returns None",
    )
    expect(
        kind != "text",
        f"report is the text {report.get('repr')}: store the whole report that gradcheck "
        "returns (report = gradcheck(...)), not one of its attributes",
    )
    expect(
        kind == "report",
        f"report is a {report.get('type')}, expected what gradcheck returns: "
        "report = gradcheck(neuron_exp, {...}, Value)",
    )
    names = [e["name"] for e in d["entries"]]
    expect(
        sorted(names) == sorted(NAMES),
        f"the report checks the inputs {names}, expected x1, x2, w1, w2, b: give gradcheck "
        "all five inputs of the neuron, by their parameter names",
    )
    entries = {e["name"]: e for e in reversed(d["entries"])}  # the first of a name wins
    output = d["output"]
    _swapped_inputs(entries, output)
    want = expected(LECTURE)
    expect(
        _close(output, want["o"]),
        f"the report's output is {number(output)}, expected o = 0.707107: check the "
        "neuron at the lecture's inputs, x1 = 2.0, x2 = 0.0, w1 = -3.0, w2 = 1.0 and "
        "b = 6.8813735870195432 (all of its digits)",
    )
    for name in NAMES:
        entry = entries[name]
        expect(
            _close(entry["analytic"], want[name]),
            f"the report's analytic {name} gradient is {number(entry['analytic'])}, expected "
            f"{number(want[name])}: gradcheck the neuron (neuron or neuron_exp)",
        )
        expect(
            close(entry["numerical"], want[name], rel=1e-5, abs_tol=1e-7),
            f"the report's numerical {name} gradient is {number(entry['numerical'])}, "
            f"expected about {number(want[name])}: keep gradcheck's default h",
        )
    verdict = d["verdict"]
    expect(
        verdict == "great",
        f"the report's verdict is {verdict!r}, expected 'great' for every input",
    )
    worst = d["worst"]
    return (
        f"the gradient check of the neuron at the lecture's inputs says great for all five "
        f"inputs (worst relative error {float(worst):.1e}); its numbers match the chain rule"
    )
