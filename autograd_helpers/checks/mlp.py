"""Checks of 06_mlp: Neuron, Layer and MLP, compared with the reference with the same weights.

The probes (``autograd_helpers.probes.mlp``) find the learner's weights whatever they are
called, copy in the numbers a case gives (for the notebook: the weights the reference
draws with ``random.seed(1337)``) and report outputs, gradients and how ``parameters()``
is made. The judges here build the reference (``solutions.nn``) with the same numbers
and compare.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from typing import Any

from autograd_helpers.checks._core import check, close, expect, fail, number
from autograd_helpers.probes import mlp as _probes  # noqa: F401  (registers the probes)
from autograd_helpers.probes._lecture import SEED, xs_ys
from autograd_helpers.trainer import seeded
from solutions import nn as reference
from solutions.engine import Value as RefValue

MANY = _probes.MANY  # neurons drawn to see where their parameters fall


def parameters(report: dict, what: str) -> int:
    """How many Values ``parameters()`` returned (a probe's report), or a failure naming why
    it is not one flat list of distinct Values."""
    expect(
        report["callable"],
        f"{what} has no parameters() method: add `def parameters(self): return [...]`",
    )
    expect(not report["none"], f"{what}.parameters() returned None: return the list of Values")
    if not report["list"]:
        fail(f"{what}.parameters() returned {report['repr']}, expected a list of Values")
    expect(
        not report["nested"],
        f"{what}.parameters() returned a list of lists ({report['nested']} inner lists): return "
        "one flat list of Values, e.g. [p for n in self.neurons for p in n.parameters()]",
    )
    bad = report["bad"]
    if bad is not None:
        fail(
            f"{what}.parameters() holds {number(bad['shown'])} ({bad['type']}), expected "
            "Values only: return the Value objects themselves (self.w + [self.b]), not their .data"
        )
    expect(
        report["distinct"],
        f"{what}.parameters() lists the same Value more than once: each weight and bias "
        "must appear exactly once (training would update it twice)",
    )
    return report["count"]


def neuron_weights(how: dict, nin: int, what: str) -> None:
    """The probe found the neuron's weights and bias, or a failure naming why not."""
    if how["declared"]:
        return
    count = parameters(how["parameters"], what)
    expect(
        count == nin + 1,
        f"{what} has {count} parameters, expected {nin + 1} ({nin} weights, one per "
        "input, and the bias)",
    )


def _output(r: dict, call: str) -> float:
    """The data of a call's result (a probe's ``result``), or a failure: not a Value."""
    expect(
        r["value"],
        f"{call} returned {r['type']} {r['repr']}, expected a Value "
        "(return act.tanh(), not a number, so backward can reach the weights)",
    )
    return r["data"]


def _dot(w: Sequence[float], x: Sequence[float]) -> float:
    return sum(wi * xi for wi, xi in zip(w, x))


def _fmt(xs: Sequence[float]) -> str:
    """Inputs as written in the notebook: [2.0, 3.0, -1.0]."""
    return "[" + ", ".join(str(float(x)) for x in xs) + "]"


def _nums(xs: Sequence[float]) -> str:
    """Computed numbers, rounded: [0.804233, 0.889767]."""
    return "[" + ", ".join(number(float(x)) for x in xs) + "]"


def _with(net: Any, weights: Sequence[float]) -> Any:
    """A reference network holding ``weights`` (in its parameters() order)."""
    for p, x in zip(net.parameters(), weights):
        p.data = float(x)
    return net


def _reference_layer(nin: int, nout: int, weights: Sequence[float]) -> Any:
    with seeded(SEED):  # leaves the caller's random state alone
        return _with(reference.Layer(nin, nout), weights)


def _reference_mlp(nin: int, nouts: Sequence[int], weights: Sequence[float]) -> Any:
    with seeded(SEED):
        return _with(reference.MLP(nin, list(nouts)), weights)


def _drawn_weights(make: Any) -> list[float]:
    """The notebook's weights: what the reference draws right after a network of the same
    size, with random.seed(SEED) (as the check drew them before it was split in two)."""
    with seeded(SEED):
        make()
        return [p.data for p in make().parameters()]


def _uniform(rng: random.Random, count: int) -> list[float]:
    return [rng.uniform(-1, 1) for _ in range(count)]


def _inputs(rng: random.Random, nin: int) -> list[float]:
    """An input: numbers in [-2, 2] with 2 decimals, none near 0."""
    x: list[float] = []
    while len(x) < nin:
        v = round(rng.uniform(-2, 2), 2)
        if abs(v) >= 0.2:
            x.append(v)
    return x


# --- Neuron --------------------------------------------------------------------------


def _nins(rng: random.Random) -> list[dict]:
    """Other sizes and another seed: a neuron whose parameters() fits 3 and 5 only fails."""
    cases = []
    for _ in range(2):
        nins = rng.sample([2, 4, 6, 7, 8], 2)
        cases.append({"nins": nins, "seed": rng.randrange(1, 10**6)})
    return cases


@check("06.neuron_parameters", visible={"nins": [3, 5], "seed": SEED}, hidden=_nins)
def neuron_parameters(d, nins, seed) -> str:
    for nin in nins:
        entry = d[f"Neuron({nin})"]
        what = f"Neuron({nin}).parameters()"
        count = parameters(entry["parameters"], f"Neuron({nin})")
        declared = entry["declared"]
        if declared and entry["bias_position"] is None:
            fail(
                f"{what} returned {count} Values but not the bias: the bias is missing "
                f"from parameters(), so training would never update it; return the "
                f"{nin} weights and then the bias, e.g. self.w + [self.b]"
            )
        if count == nin:
            fail(
                f"{what} returned {nin} Values, expected {nin + 1}: the bias is missing, "
                "return the weights and then the bias, e.g. self.w + [self.b]"
            )
        expect(
            count == nin + 1,
            f"{what} returned {count} Values, expected {nin + 1}: {nin} weights "
            "(one per input) and 1 bias",
        )
        position = entry["bias_position"]
        if position is not None and position != nin:
            fail(
                f"{what} puts the bias at position {position}, expected it last: list the "
                f"weights first, then the bias (self.w + [self.b]); the course copies "
                "weights between networks in that order"
            )
        if declared:
            expect(
                entry["weights_in_order"],
                f"{what} does not list the weights in order: give w[0], w[1], ... "
                "then the bias (self.w + [self.b])",
            )
        outside = [x for x in entry["data"] if not -1.0 <= float(x) <= 1.0]
        expect(
            not outside,
            f"Neuron({nin}) has a parameter {number(outside[0]) if outside else ''}, outside "
            "[-1, 1]: draw every weight and the bias with random.uniform(-1, 1)",
        )
    first, second = d["pair"]
    n = nins[0]
    parameters(first["parameters"], f"Neuron({n})")
    parameters(second["parameters"], f"Neuron({n})")
    a, b = first["data"], second["data"]
    expect(
        a != b and len(set(a)) > 1,
        f"two Neuron({n}) got the parameters {_nums(a)} and {_nums(b)}: draw each one with "
        "random.uniform(-1, 1) inside __init__, so every neuron starts different",
    )
    _spread(d["spread"])
    counts = " and ".join(str(nin + 1) for nin in nins)
    sizes = " and ".join(f"Neuron({nin})" for nin in nins)
    return (
        f"{sizes} have {counts} distinct Values in parameters(), the weights "
        f"first and the bias last, different for every neuron; the {MANY * 5} parameters of "
        f"{MANY} Neuron(4) spread over [-1, 1], negative ones included "
        "(what __call__ computes is checked next)"
    )


def _spread(drawn: list) -> None:
    """The parameters of many neurons cover [-1, 1]: both signs, out to beyond ±0.5.

    With random.uniform(-1, 1), none negative among 300 draws has probability 2**-300:
    a fixed seed makes it a certainty either way.
    """
    __tracebackhide__ = True
    values = []
    for neuron in drawn:
        parameters(neuron["parameters"], "Neuron(4)")
        values += [float(x) for x in neuron["data"]]
    low, high = min(values), max(values)
    where = f"the {len(values)} parameters of {len(drawn)} Neuron(4) lie between {number(low)} and"
    expect(
        -1.0 <= low and high <= 1.0,
        f"{where} {number(high)}, outside [-1, 1]: draw every weight and the bias with "
        "random.uniform(-1, 1)",
    )
    expect(
        low < 0,
        f"{where} {number(high)}: none is negative. random.uniform(0, 1) and random.random() "
        "draw only from [0, 1]; draw every weight and the bias with random.uniform(-1, 1), "
        "so that they can be negative too",
    )
    expect(
        high > 0,
        f"{where} {number(high)}: none is positive; draw every weight and the bias with "
        "random.uniform(-1, 1)",
    )
    expect(
        low < -0.5 and high > 0.5,
        f"{where} {number(high)}: only part of [-1, 1]; draw every weight and the bias "
        "with random.uniform(-1, 1), over the whole range",
    )


W, B = [0.3, -0.5, 0.8], 0.1
INPUTS = [[2.0, 3.0, -1.0], [0.5, -1.0, 2.0], [-1.5, 0.25, 1.0]]


def _symptoms(w: list[float], b: float, x: list[float]) -> list[float]:
    """tanh(w·x + b) and what each mistake the judge names gives instead."""
    act = _dot(w, x) + b
    return [
        math.tanh(act),
        act,
        math.tanh(act - b),
        act - b,
        *(math.tanh(act - wk * xk) for wk, xk in zip(w, x)),
    ]


def _neurons(rng: random.Random) -> list[dict]:
    """Other sizes, weights and inputs, where every mistake's number is far from the right
    one (and from every other mistake's), and tanh is not flat."""
    cases: list[dict] = []
    while len(cases) < 3:
        nin = rng.randint(2, 5)
        w = [round(rng.uniform(-1, 1), 2) for _ in range(nin)]
        b = round(rng.uniform(-1, 1), 2)
        xs = [_inputs(rng, nin) for _ in range(3)]
        ok = abs(b) >= 0.2 and all(abs(wk) >= 0.1 for wk in w)
        for x in xs:
            act = _dot(w, x) + b
            marks = _symptoms(w, b, x)
            ok = ok and 0.2 <= abs(act) <= 2.5
            ok = ok and all(abs(p - q) > 0.01 for i, p in enumerate(marks) for q in marks[i + 1 :])
        if ok:
            cases.append({"w": w, "b": b, "xs": xs})
    return cases


@check("06.neuron_forward", visible={"w": W, "b": B, "xs": INPUTS}, hidden=_neurons)
def neuron_forward(d, w, b, xs) -> str:
    nin = len(w)
    neuron_weights(d["weights"], nin, f"Neuron({nin})")
    setting = f"with w = {_fmt(w)} and b = {number(b)}"
    for i, x in enumerate(xs):
        call = f"Neuron({nin})({_fmt(x)})"
        out = float(_output(d[f"output {i}"], call))
        act = _dot(w, x) + b
        want = math.tanh(act)
        if close(out, want):
            continue
        if close(out, act):
            fail(
                f"{call} {setting} is {number(out)} = w·x + b, expected tanh(w·x + b) = "
                f"{number(want)}: the activation is missing, return act.tanh()"
            )
        if close(out, math.tanh(act - b)):
            fail(
                f"{call} {setting} is {number(out)} = tanh(w·x): the bias is missing from "
                f"the sum, expected tanh(w·x + b) = {number(want)}; start the sum at "
                "self.b, sum((wi*xi for ...), self.b)"
            )
        if close(out, act - b):
            fail(
                f"{call} {setting} is {number(out)} = w·x: both the bias and tanh are "
                f"missing, expected tanh(w·x + b) = {number(want)}"
            )
        for k in range(nin):
            if close(out, math.tanh(act - w[k] * x[k])):
                fail(
                    f"{call} {setting} is {number(out)}: input x[{k}] was left out of the "
                    f"sum, expected tanh(w·x + b) = {number(want)}; pair every weight with "
                    "its input, zip(self.w, x)"
                )
        fail(f"{call} {setting} is {number(out)}, expected tanh(w·x + b) = {number(want)}")
    # gradients: d tanh(a)/da = 1 - tanh(a)**2, and da/dw_i = x_i, da/db = 1
    x = xs[0]
    grads = d["grads"]
    local = 1 - math.tanh(_dot(w, x) + b) ** 2
    for i in range(nin):
        expect(
            close(grads[i], local * x[i], rel=1e-6),
            f"after out = Neuron({nin})({_fmt(x)}) and out.backward(), w[{i}].grad is "
            f"{number(grads[i])}, expected (1 - out²)·x[{i}] = {number(local * x[i])}: "
            "build out from the weights with Value operations (no .data), so the graph "
            "reaches them",
        )
    expect(
        close(grads[nin], local, rel=1e-6),
        f"after out.backward(), b.grad is {number(grads[nin])}, expected 1 - out² = "
        f"{number(local)}: add the bias Value itself to the sum",
    )
    return (
        f"Neuron({nin}) {setting} gives tanh(w·x + b) on {len(xs)} inputs "
        f"(e.g. {number(math.tanh(_dot(w, xs[0]) + b))} for {_fmt(xs[0])}), "
        "and backward gives every weight and the bias its gradient"
    )


# --- Layer ---------------------------------------------------------------------------


def _layer_weights(how: dict, nin: int, what: str) -> None:
    """The probe found every weight of the layer, or a failure naming why not."""
    if how["by"] == "neurons":
        for j, found in enumerate(how["neurons"]):
            neuron_weights(found, nin, f"neuron {j} of {what}")
    else:
        parameters(how["parameters"], what)


def _layer_shape(shape: dict, nin: int, nout: int) -> None:
    what = f"Layer({nin}, {nout})"
    objects = shape.get("neuron objects")
    if objects is not None and objects["distinct"] < objects["count"]:
        fail(
            f"{what} holds {objects['count']} neurons but only {objects['distinct']} distinct "
            f"neuron object{'s' if objects['distinct'] != 1 else ''}: the same neuron object "
            "appears more than once, so those neurons share one set of weights (which is "
            "why parameters() holds the same Values again). Create a new neuron for each, "
            "[Neuron(nin) for _ in range(nout)]; a list multiplied, [Neuron(nin)] * nout, "
            "repeats one object"
        )
    count = parameters(shape["parameters"], what)
    neurons = shape["neurons"]
    if neurons is not None:
        expect(
            len(neurons) == nout,
            f"{what} has {len(neurons)} neurons, expected {nout} (nout): "
            "[Neuron(nin) for _ in range(nout)]",
        )
        for j, report in enumerate(neurons):
            each = parameters(report, f"neuron {j} of {what}")
            if each == nout + 1 and nout != nin:
                fail(
                    f"each neuron of {what} has {nout} weights, expected {nin}, one per input: "
                    f"create Neuron(nin), not Neuron(nout). No error showed because "
                    "zip(self.w, x) stops silently at the shorter list"
                )
            expect(
                each == nin + 1,
                f"neuron {j} of {what} has {each} parameters, expected {nin + 1} "
                f"({nin} weights and the bias): create it as Neuron(nin)",
            )
        listed = shape["listed"]
        if count < listed and count == nin + 1:
            fail(
                f"{what}.parameters() returned {count} Values, only one neuron's: "
                f"expected {listed}, every neuron's, e.g. "
                "[p for n in self.neurons for p in n.parameters()]"
            )
        expect(
            shape["in_order"],
            f"{what}.parameters() returned {count} Values, expected the {listed} "
            "parameters of neuron 0, then neuron 1, ...: "
            "[p for n in self.neurons for p in n.parameters()]",
        )
    expect(
        count == (nin + 1) * nout,
        f"{what}.parameters() returned {count} Values, expected {(nin + 1) * nout} = "
        f"{nout} neurons × ({nin} weights + 1 bias)",
    )


def _layer_case(nin: int, nout: int, x: list[float]) -> dict:
    return {
        "nin": nin,
        "nout": nout,
        "x": x,
        "weights": _drawn_weights(lambda: reference.Layer(nin, nout)),
    }


LAYER = {
    "layers": [_layer_case(3, 2, INPUTS[0]), _layer_case(4, 3, [1.0, -2.0, 0.5, 3.0])],
    "single": _layer_case(3, 1, INPUTS[0]),
}


def _layers(rng: random.Random) -> list[dict]:
    """Other sizes (nin != nout, so a neuron sized by nout shows), weights and inputs."""
    cases = []
    for _ in range(2):
        shapes = []
        for _ in range(2):
            nin, nout = rng.sample(range(2, 6), 2)
            shapes.append((nin, nout))
        single = rng.randint(2, 5)
        cases.append(
            {
                "layers": [
                    {
                        "nin": a,
                        "nout": b,
                        "x": _inputs(rng, a),
                        "weights": _uniform(rng, (a + 1) * b),
                    }
                    for a, b in shapes
                ],
                "single": {
                    "nin": single,
                    "nout": 1,
                    "x": _inputs(rng, single),
                    "weights": _uniform(rng, single + 1),
                },
            }
        )
    return cases


@check("06.layer", visible=LAYER, hidden=_layers)
def layer(d, layers, single) -> str:
    for k, case in enumerate(layers):
        nin, nout, x = case["nin"], case["nout"], case["x"]
        what = f"Layer({nin}, {nout})"
        key = f"layer {k}"
        _layer_shape(d[f"{key} shape"], nin, nout)
        _layer_weights(d[f"{key} weights"], nin, what)
        ref = _reference_layer(nin, nout, case["weights"])
        want = [v.data for v in ref(x)]
        for form in ("numbers", "values"):  # numbers, or the previous layer's Values
            call = f"{what}({_fmt(x)})"
            r = d[f"{key} {form}"]
            expect(
                r.get("len") == nout,
                f"{call} returned {r['repr']}, expected a list of {nout} Values, one per neuron",
            )
            got = [float(_output(v, call)) for v in r["items"]]
            expect(
                all(close(g, w_) for g, w_ in zip(got, want)),
                f"{call} with the reference's weights copied in gives {_nums(got)}, expected "
                f"{_nums(want)}: every neuron gets the same inputs x, [n(x) for n in "
                "self.neurons]",
            )
    nin, x = single["nin"], single["x"]
    what = f"Layer({nin}, 1)"
    _layer_shape(d["single shape"], nin, 1)
    _layer_weights(d["single weights"], nin, what)
    r = d["single output"]
    if "len" in r:
        fail(
            f"{what}({_fmt(x)}) returned a list of {r['len']} Value, expected "
            "the single Value itself: return outs[0] if len(outs) == 1 else outs, so "
            "MLP(3, [4, 4, 1]) gives one Value, not a list"
        )
    out = float(_output(r, f"{what}(x)"))
    want = _reference_layer(nin, 1, single["weights"])(x).data
    expect(close(out, want), f"{what}(x) is {number(out)}, expected {number(want)}")
    shapes = " and ".join(f"Layer({c['nin']}, {c['nout']})" for c in layers)
    return (
        f"{shapes} hold nout neurons of nin inputs each, list their "
        "parameters neuron by neuron and match the reference with the same weights (numbers "
        f"or Values in); {what} returns a single Value"
    )


# --- MLP -----------------------------------------------------------------------------


def _shape(nin: int, nouts: Sequence[int]) -> str:
    return f"MLP({nin}, {list(nouts)})"


def _expected(nin: int, nouts: Sequence[int]) -> list[tuple[int, int]]:
    sz = [nin, *nouts]
    return list(zip(sz, sz[1:]))


def _count(nin: int, nouts: Sequence[int]) -> int:
    return sum((a + 1) * b for a, b in _expected(nin, nouts))


def _formula(nin: int, nouts: Sequence[int]) -> str:
    """(3+1)·4 + (4+1)·4 + (4+1)·1"""
    return " + ".join(f"({a}+1)·{b}" for a, b in _expected(nin, nouts))


def _built(built: dict, nin: int, nouts: Sequence[int]) -> None:
    if "index_error" in built:
        fail(
            f"{_shape(nin, nouts)} raised IndexError ({built['index_error']}): the list of sizes "
            f"needs one more entry than nouts, sz = [nin] + nouts = {[nin, *nouts]}, and layer "
            "i is Layer(sz[i], sz[i + 1]) for i in range(len(nouts))"
        )


def _layer_sizes(layers: list) -> list[tuple[int, int]] | None:
    """(inputs, outputs) of each layer, read from its neurons, or None if unclear."""
    sizes = []
    for entry in layers:
        if entry is None:
            return None
        sizes.append((parameters(entry["first"], "a neuron") - 1, entry["neurons"]))
    return sizes


def _layers_text(sizes: list[tuple[int, int]]) -> str:
    """Layer sizes as the constructor calls that make them: Layer(3, 4), Layer(4, 4)."""
    return ", ".join(f"Layer({a}, {b})" for a, b in sizes) if sizes else "no layers"


def _chained(sizes: list[tuple[int, int]], nin: int) -> bool:
    """True when each layer takes as many inputs as the one before gives (the first: nin),
    so no neuron has more or fewer weights than inputs."""
    gives = [nin] + [b for _, b in sizes]
    return all(a == g for (a, _), g in zip(sizes, gives))


def _first_difference(sizes: list[tuple[int, int]], expected: list[tuple[int, int]]) -> str:
    """What is wrong with the first layer that differs: its inputs or its neurons."""
    if len(sizes) != len(expected):
        have = f"{len(sizes)} layer{'s' if len(sizes) != 1 else ''}"
        if sizes == expected[: len(sizes)]:
            missing = expected[len(sizes) :]
            which = (
                f"the last one, {_layers_text(missing)}, is"
                if len(missing) == 1
                else f"the last {len(missing)}, {_layers_text(missing)}, are"
            )
            return (
                f"it has {have}, expected {len(expected)}, one per entry of nouts: {which} "
                "missing; make one layer per entry of nouts, for i in range(len(nouts))"
            )
        return f"it has {have}, expected {len(expected)}, one per entry of nouts"
    i = next(k for k, (a, b) in enumerate(zip(sizes, expected)) if a != b)
    (nin, nout), (want_in, want_out) = sizes[i], expected[i]
    if nout != want_out:
        return f"layer {i} has {nout} neurons, expected {want_out} (nouts[{i}])"
    source = "nin" if i == 0 else f"the {want_in} outputs of layer {i - 1}"
    return f"layer {i} has {nin} inputs, expected {want_in} ({source})"


def _network(rng: random.Random, depth: tuple[int, int] = (2, 3)) -> tuple[int, list[int]]:
    """A small network whose consecutive sizes differ (so a wrong size shows), last 1."""
    while True:
        nin = rng.randint(2, 5)
        nouts = [rng.randint(2, 5) for _ in range(rng.randint(*depth) - 1)] + [1]
        sz = [nin, *nouts]
        if all(a != b for a, b in zip(sz, sz[1:])):
            return nin, nouts


def _mlps(rng: random.Random) -> list[dict]:
    cases = []
    for _ in range(2):
        nin, nouts = _network(rng)
        small = _network(rng, (2, 2))
        cases.append({"nin": nin, "nouts": nouts, "small": [small[0], small[1]]})
    return cases


@check(
    "06.mlp_parameters", visible={"nin": 3, "nouts": [4, 4, 1], "small": [2, [3, 1]]}, hidden=_mlps
)
def mlp_parameters(d, nin, nouts, small) -> str:
    shape = _shape(nin, nouts)
    total = _count(nin, nouts)
    _built(d["built"], nin, nouts)
    expected = _expected(nin, nouts)
    layers = d["layers"]
    if layers is not None:
        sizes = _layer_sizes(layers)
        if sizes is not None and sizes != expected:
            made = f"{shape} is made of {_layers_text(sizes)}, expected {_layers_text(expected)}"
            if _chained(sizes, nin):  # every layer gets the inputs it expects: zip cut nothing
                fail(f"{made}: {_first_difference(sizes, expected)}")
            hint = (
                f"build the sizes as sz = [nin] + nouts, so the first layer takes the {nin} inputs"
                if sizes and sizes[0][0] != nin
                else "layer i is Layer(sz[i], sz[i + 1]) with sz = [nin] + nouts"
            )
            fail(
                f"{made}: {_first_difference(sizes, expected)}; {hint}. No error showed because "
                "zip(self.w, x) stops silently at the shorter list"
            )
    count = parameters(d["parameters"], shape)
    if layers is not None and len(layers) == len(nouts):
        per_layer = [parameters(r, f"layer {i}") for i, r in enumerate(d["per_layer"])]
        skipped = d["skipped"]
        if skipped:
            counts = " + ".join(str(c) for c in per_layer)
            fail(
                f"{shape}.parameters() returned {count} Values, expected {total} "
                f"({counts}, layer by layer): the parameters of layer(s) "
                f"{', '.join(map(str, skipped))} are skipped, so training would never "
                "update them; collect every layer's, e.g. "
                "[p for layer in self.layers for p in layer.parameters()]"
            )
        expect(
            d["in_order"],
            f"{shape}.parameters() returned {count} Values, expected the {total} parameters "
            "of "
            + ", then ".join(f"layer {i}" for i in range(len(nouts)))
            + ", each in the layer's own order",
        )
    expect(
        count == total,
        f"{shape}.parameters() returned {count} Values, expected {total} = "
        f"{_formula(nin, nouts)} (weights and biases of {sum(nouts)} neurons)",
    )
    small_nin, small_nouts = small
    _built(d["small built"], small_nin, small_nouts)
    small_count = parameters(d["small"], _shape(small_nin, small_nouts))
    small_total = _count(small_nin, small_nouts)
    expect(
        small_count == small_total,
        f"{_shape(small_nin, small_nouts)}.parameters() returned {small_count} Values, "
        f"expected {small_total} = {_formula(small_nin, small_nouts)}",
    )
    arrows = " → ".join(str(s) for s in [nin, *nouts])
    return (
        f"{shape} has layers {arrows} and {total} distinct parameters, layer by layer; "
        f"{_shape(small_nin, small_nouts)} has {small_total} (what the network computes "
        "is checked next)"
    )


def _numbers(r: dict) -> list[float] | None:
    """The data a call's result holds (a probe's ``result``): [data] for a Value, each
    item's for a list of Values, else None."""
    if r.get("value"):
        return [float(r["data"])]
    items = r.get("items")
    if items is None or len(items) != r.get("len") or not all(v["value"] for v in items):
        return None
    return [float(v["data"]) for v in items]


def _same(a: list[float] | None, b: list[float] | None) -> bool:
    return a is not None and b is not None and len(a) == len(b) and all(map(close, a, b))


def _span(a: int, b: int) -> str:
    """layer 0, layers 0 and 1, layers 0 to 2"""
    if a == b:
        return f"layer {a}"
    return f"layers {a} {'and' if b == a + 1 else 'to'} {b}"


def _not_one_value(call: str, r: dict, steps: list | None, nin: int, nouts: list[int]) -> str:
    """Why ``call`` returned a list (``r``) where one Value was expected, as far as ``steps``
    shows it: what the network's own layers give called one after another on the same
    input (the probe's ``layer by layer``; None when its layers were not found)."""
    n = r["len"]
    seen = f"{call} returned a list of {n} Value{'s' if n != 1 else ''}"
    last = len(nouts) - 1
    got = _numbers(r)
    runs = [_numbers(s) for s in steps or []]
    if steps is None or got is None or len(runs) != len(nouts):
        return (
            f"{seen}, expected one Value: {_shape(nin, nouts)} ends in a layer of one neuron, "
            "whose output is that Value itself"
        )
    final = f"Layer({[nin, *nouts][last]}, 1)"
    if steps[last].get("len") == 1 and _same(got, runs[last]):
        return (
            f"{seen}, expected one Value: the last layer, {final}, returns a list of 1 Value "
            "when called alone; a layer of one neuron should return that Value itself, "
            "outs[0] if len(outs) == 1 else outs (06.layer checks it)"
        )
    if steps[last].get("value") and _same(got, runs[last]):
        return (
            f"{seen} holding the network's output, expected that Value itself: the last "
            f"layer, {final}, already returns one Value, so return it as it is, not in a list"
        )
    ran = [k for k in range(last) if _same(got, runs[k])]
    if len(ran) != 1:
        return (
            f"{seen}, expected one Value, the output of layer {last}, {final}: called one "
            "after another on the same input, the network's own layers end in "
            f"{'one Value' if steps[last].get('value') else 'a list'}"
        )
    k = ran[0]
    which = "layer 0 alone" if k == 0 else f"layer {k}"
    saw = (
        f"{seen}, what {which} gives, expected one Value, the output of layer {last}, "
        f"{final}: only {_span(0, k)} ran, {_span(k + 1, last)} never did"
    )
    if k == 0 and last >= 2:  # the loop stopped after its first turn
        return (
            f"{saw}. Likely cause: MLP.__call__ returns inside its loop over the layers "
            "(`return x` indented under the for), so it returns after the first one; put "
            "`return x` after the loop"
        )
    if k == last - 1 and k >= 1:  # every turn but the last
        return (
            f"{saw}. Likely cause: MLP.__call__ loops over one layer too few; go through "
            "every layer, for layer in self.layers"
        )
    return (
        f"{saw}: pass x through every layer, for layer in self.layers: x = layer(x), "
        "and return x after the loop, not inside it"
    )


def _forward_case(nin: int, nouts: list[int]) -> dict:
    xs, ys = xs_ys()
    weights = _drawn_weights(lambda: reference.MLP(nin, nouts))
    return {"nin": nin, "nouts": nouts, "weights": weights, "xs": xs, "ys": ys}


def _forwards(rng: random.Random) -> list[dict]:
    """One other network: sizes, weights, examples and targets drawn."""
    nin, nouts = _network(rng)
    examples = rng.randint(3, 5)
    return [
        {
            "nin": nin,
            "nouts": nouts,
            "weights": _uniform(rng, _count(nin, nouts)),
            "xs": [_inputs(rng, nin) for _ in range(examples)],
            "ys": [rng.choice([-1.0, 1.0]) for _ in range(examples)],
        }
    ]


@check("06.mlp_forward", visible=_forward_case(3, [4, 4, 1]), hidden=_forwards)
def mlp_forward(d, nin, nouts, weights, xs, ys) -> str:
    shape = _shape(nin, nouts)
    total = _count(nin, nouts)
    _built(d["built"], nin, nouts)
    expected = _expected(nin, nouts)
    layers = d["layers"]
    # a neuron's parameters() that is not a list of Values fails here
    sizes = None if layers is None else _layer_sizes(layers)
    how = d["weights"]
    if sizes == expected:
        for i, layer_found in enumerate(how["neurons"]):
            for j, found in enumerate(layer_found):
                neuron_weights(found, expected[i][0], f"neuron {j} of layer {i} of {shape}")
    else:
        count = parameters(how["parameters"], shape)
        expect(
            count == total,
            f"{shape} has {count} parameters, expected {total}: fix 06.mlp_parameters first",
        )
    ref = _reference_mlp(nin, nouts, weights)
    lecture = [list(x) for x in xs] == xs_ys()[0]
    examples = "the lecture's 4 examples" if lecture else f"{len(xs)} examples"
    outs = []
    for i, x in enumerate(xs):
        call = f"n({_fmt(x)})"
        r = d[f"output {i}"]
        if "len" in r:
            fail(_not_one_value(call, r, d["layer by layer"] if i == 0 else None, nin, nouts))
        got = float(_output(r, call))
        want = ref(x).data
        expect(
            close(got, want),
            f"{call} is {number(got)} with the reference's weights copied in, expected "
            f"{number(want)}: __call__ must feed each layer's output into the next "
            "(x = layer(x)) and return the last layer's output",
        )
        outs.append(got)
    ref_loss = sum(((ref(x) - y) ** 2 for x, y in zip(xs, ys)), RefValue(0.0))
    ref_loss.backward()
    ref_grads = [p.grad for p in ref.parameters()]
    grads = d["grads"]
    sizes_ = [(a + 1) * b for a, b in expected]
    starts = [sum(sizes_[:i]) for i in range(len(sizes_))]
    for layer_index, start in enumerate(starts):
        chunk = range(start, start + sizes_[layer_index])
        if all(grads[k] == 0 for k in chunk) and any(ref_grads[k] != 0 for k in chunk):
            fail(
                f"after loss.backward(), every parameter of layer {layer_index} has grad 0: "
                "the graph is cut before it; pass the Values from layer to layer (not "
                "Value(v.data) or floats)"
            )
    for k, (mine, want) in enumerate(zip(grads, ref_grads)):
        expect(
            close(mine, want, rel=1e-6, abs_tol=1e-9),
            f"after loss.backward() (loss = sum of squared errors on {examples}), "
            f"parameter {k} has grad {number(mine)}, expected {number(want)}",
        )
    return (
        f"{shape} with the reference's weights copied in gives the same single Value on "
        f"{examples} (e.g. {number(outs[0])} for {_fmt(xs[0])}) and the "
        f"same {total} gradients after backward of the squared-error loss"
    )
