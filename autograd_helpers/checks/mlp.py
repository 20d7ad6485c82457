"""Checks of 06_mlp: Neuron, Layer and MLP, compared with the reference with the same weights.

The learner's network is never trusted to name things our way: weights are found
through ``parameters()`` (and, for a neuron, through any attribute holding a list of
Values plus one holding a single Value: ``w``/``b``, ``weights``/``bias``, ...), the
neurons of a layer and the layers of an MLP through any attribute holding a list of
objects that have ``parameters()``. The reference's weights (their numbers) are then
copied in, and outputs and gradients must match the reference's. Inputs given to the
learner's objects are numbers or the notebook's own ``Value``, never the reference's.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from autograd_helpers.checks._core import check, close, expect, fail, number
from autograd_helpers.checks._lecture import SEED, xs_ys
from autograd_helpers.checks._values import is_value
from autograd_helpers.training import seeded
from solutions import nn as reference
from solutions.engine import Value as RefValue


def _attributes(obj: object) -> dict[str, Any]:
    attrs = dict(getattr(obj, "__dict__", {}))
    for cls in type(obj).__mro__:
        for slot in getattr(cls, "__slots__", ()):
            if isinstance(slot, str) and hasattr(obj, slot):
                attrs.setdefault(slot, getattr(obj, slot))
    return attrs


def parts(obj: object) -> list | None:
    """The pieces of ``obj`` (neurons of a layer, layers of an MLP), or None if unclear."""
    found = [
        list(v)
        for v in _attributes(obj).values()
        if isinstance(v, (list, tuple))
        and v
        and all(callable(getattr(p, "parameters", None)) for p in v)
    ]
    return found[0] if len(found) == 1 else None


def parameters(obj: object, what: str) -> list:
    """``obj.parameters()`` as a flat list of distinct Values, or a failure naming why not."""
    method = getattr(obj, "parameters", None)
    expect(
        callable(method),
        f"{what} has no parameters() method: add `def parameters(self): return [...]`",
    )
    params = method()
    expect(params is not None, f"{what}.parameters() returned None: return the list of Values")
    try:
        params = list(params)
    except TypeError:
        fail(f"{what}.parameters() returned {params!r}, expected a list of Values")
    nested = [p for p in params if isinstance(p, (list, tuple))]
    expect(
        not nested,
        f"{what}.parameters() returned a list of lists ({len(nested)} inner lists): return "
        "one flat list of Values, e.g. [p for n in self.neurons for p in n.parameters()]",
    )
    bad = [p for p in params if not is_value(p)]
    if bad:
        fail(
            f"{what}.parameters() holds {number(bad[0])} ({type(bad[0]).__name__}), expected "
            "Values only: return the Value objects themselves (self.w + [self.b]), not their .data"
        )
    expect(
        len({id(p) for p in params}) == len(params),
        f"{what}.parameters() lists the same Value more than once: each weight and bias "
        "must appear exactly once (training would update it twice)",
    )
    return params


def _declared_weights(neuron: object, nin: int) -> tuple[list, Any] | None:
    """(weights, bias) from the neuron's attributes: one list of nin Values and one Value."""
    attrs = _attributes(neuron).values()
    lists = [list(v) for v in attrs if isinstance(v, (list, tuple)) and v and all(map(is_value, v))]
    singles = [v for v in attrs if is_value(v)]
    if len(lists) == 1 and len(singles) == 1 and len(lists[0]) == nin:
        return lists[0], singles[0]
    return None


def neuron_weights(neuron: object, nin: int, what: str) -> tuple[list, Any]:
    """A neuron's (weights, bias): from its attributes, else from parameters() order."""
    found = _declared_weights(neuron, nin)
    if found is not None:
        return found
    params = parameters(neuron, what)
    expect(
        len(params) == nin + 1,
        f"{what} has {len(params)} parameters, expected {nin + 1} ({nin} weights, one per "
        "input, and the bias)",
    )
    return params[:nin], params[nin]


def _set(pairs: list[tuple[Any, Any]]) -> None:
    """Copy the reference's numbers into the learner's Values (pairs of learner, reference)."""
    for mine, ref in pairs:
        mine.data = ref.data
        mine.grad = 0.0


def _output(out: object, call: str) -> Any:
    expect(
        is_value(out),
        f"{call} returned {type(out).__name__} {out!r}, expected a Value "
        "(return act.tanh(), not a number, so backward can reach the weights)",
    )
    return out


def _dot(w: Sequence[float], x: Sequence[float]) -> float:
    return sum(wi * xi for wi, xi in zip(w, x))


def _fmt(xs: Sequence[float]) -> str:
    """Inputs as written in the notebook: [2.0, 3.0, -1.0]."""
    return "[" + ", ".join(str(float(x)) for x in xs) + "]"


def _nums(xs: Sequence[float]) -> str:
    """Computed numbers, rounded: [0.804233, 0.889767]."""
    return "[" + ", ".join(number(float(x)) for x in xs) + "]"


# --- Neuron --------------------------------------------------------------------------


def _bias_position(neuron: object, params: list, nin: int) -> int | None:
    """Which parameter is the bias, found by behaviour: with every input 0, only b counts."""
    saved = [p.data for p in params]
    try:
        for i, p in enumerate(params):
            p.data = 0.1 * (i + 1)
        zeros = [0.0] * nin
        base = neuron(zeros).data
        moved = []
        for i, p in enumerate(params):
            p.data += 0.5
            if not close(neuron(zeros).data, base):
                moved.append(i)
            p.data -= 0.5
        return moved[0] if len(moved) == 1 else None
    except Exception:  # __call__ not written or broken: 06.neuron_forward says so
        return None
    finally:
        for p, d in zip(params, saved):
            p.data = d


@check("06.neuron_parameters")
def neuron_parameters(Neuron) -> str:
    for nin in (3, 5):
        with seeded(SEED + nin):
            neuron = Neuron(nin)
        what = f"Neuron({nin}).parameters()"
        params = parameters(neuron, f"Neuron({nin})")
        declared = _declared_weights(neuron, nin)
        if declared is not None and all(p is not declared[1] for p in params):
            fail(
                f"{what} returned {len(params)} Values but not the bias: the bias is missing "
                f"from parameters(), so training would never update it; return the "
                f"{nin} weights and then the bias, e.g. self.w + [self.b]"
            )
        if len(params) == nin:
            fail(
                f"{what} returned {nin} Values, expected {nin + 1}: the bias is missing, "
                "return the weights and then the bias, e.g. self.w + [self.b]"
            )
        expect(
            len(params) == nin + 1,
            f"{what} returned {len(params)} Values, expected {nin + 1}: {nin} weights "
            "(one per input) and 1 bias",
        )
        if declared is not None:
            position = next(i for i, p in enumerate(params) if p is declared[1])
        else:
            position = _bias_position(neuron, params, nin)
        if position is not None and position != nin:
            fail(
                f"{what} puts the bias at position {position}, expected it last: list the "
                f"weights first, then the bias (self.w + [self.b]); the course copies "
                "weights between networks in that order"
            )
        if declared is not None:
            expect(
                [id(p) for p in params[:nin]] == [id(w) for w in declared[0]],
                f"{what} does not list the weights in order: give w[0], w[1], ... "
                "then the bias (self.w + [self.b])",
            )
        outside = [p.data for p in params if not -1.0 <= float(p.data) <= 1.0]
        expect(
            not outside,
            f"Neuron({nin}) has a parameter {number(outside[0]) if outside else ''}, outside "
            "[-1, 1]: draw every weight and the bias with random.uniform(-1, 1)",
        )
    with seeded(SEED):
        first, second = Neuron(3), Neuron(3)
    a = [float(p.data) for p in parameters(first, "Neuron(3)")]
    b = [float(p.data) for p in parameters(second, "Neuron(3)")]
    expect(
        a != b and len(set(a)) > 1,
        f"two Neuron(3) got the parameters {_nums(a)} and {_nums(b)}: draw each one with "
        "random.uniform(-1, 1) inside __init__, so every neuron starts different",
    )
    _spread(Neuron)
    return (
        "Neuron(3) and Neuron(5) have 4 and 6 distinct Values in parameters(), the weights "
        f"first and the bias last, different for every neuron; the {MANY * 5} parameters of "
        f"{MANY} Neuron(4) spread over [-1, 1], negative ones included "
        "(not checked yet: what __call__ computes)"
    )


MANY = 60  # neurons drawn to see where their parameters fall


def _spread(Neuron: Any) -> None:
    """The parameters of many neurons cover [-1, 1]: both signs, out to beyond ±0.5.

    With random.uniform(-1, 1), none negative among 300 draws has probability 2**-300:
    a fixed seed makes it a certainty either way.
    """
    __tracebackhide__ = True
    with seeded(SEED):
        neurons = [Neuron(4) for _ in range(MANY)]
    values = [float(p.data) for n in neurons for p in parameters(n, "Neuron(4)")]
    low, high = min(values), max(values)
    where = f"the {len(values)} parameters of {MANY} Neuron(4) lie between {number(low)} and"
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


@check("06.neuron_forward")
def neuron_forward(Neuron) -> str:
    with seeded(SEED):
        neuron = Neuron(3)
    weights, bias = neuron_weights(neuron, 3, "Neuron(3)")
    _set(list(zip(weights, [RefValue(w) for w in W])) + [(bias, RefValue(B))])
    setting = f"with w = {_fmt(W)} and b = {number(B)}"
    for x in INPUTS:
        call = f"Neuron(3)({_fmt(x)})"
        out = float(_output(neuron(x), call).data)
        act = _dot(W, x) + B
        want = math.tanh(act)
        if close(out, want):
            continue
        if close(out, act):
            fail(
                f"{call} {setting} is {number(out)} = w·x + b, expected tanh(w·x + b) = "
                f"{number(want)}: the activation is missing, return act.tanh()"
            )
        if close(out, math.tanh(act - B)):
            fail(
                f"{call} {setting} is {number(out)} = tanh(w·x): the bias is missing from "
                f"the sum, expected tanh(w·x + b) = {number(want)}; start the sum at "
                "self.b, sum((wi*xi for ...), self.b)"
            )
        if close(out, act - B):
            fail(
                f"{call} {setting} is {number(out)} = w·x: both the bias and tanh are "
                f"missing, expected tanh(w·x + b) = {number(want)}"
            )
        for k in range(3):
            if close(out, math.tanh(act - W[k] * x[k])):
                fail(
                    f"{call} {setting} is {number(out)}: input x[{k}] was left out of the "
                    f"sum, expected tanh(w·x + b) = {number(want)}; pair every weight with "
                    "its input, zip(self.w, x)"
                )
        fail(f"{call} {setting} is {number(out)}, expected tanh(w·x + b) = {number(want)}")
    # gradients: d tanh(a)/da = 1 - tanh(a)**2, and da/dw_i = x_i, da/db = 1
    x = INPUTS[0]
    for p in [*weights, bias]:
        p.grad = 0.0
    out = neuron(x)
    out.backward()
    local = 1 - math.tanh(_dot(W, x) + B) ** 2
    for i, w in enumerate(weights):
        expect(
            close(w.grad, local * x[i], rel=1e-6),
            f"after out = Neuron(3)({_fmt(x)}) and out.backward(), w[{i}].grad is "
            f"{number(w.grad)}, expected (1 - out²)·x[{i}] = {number(local * x[i])}: "
            "build out from the weights with Value operations (no .data), so the graph "
            "reaches them",
        )
    expect(
        close(bias.grad, local, rel=1e-6),
        f"after out.backward(), b.grad is {number(bias.grad)}, expected 1 - out² = "
        f"{number(local)}: add the bias Value itself to the sum",
    )
    return (
        f"Neuron(3) {setting} gives tanh(w·x + b) on 3 inputs "
        f"(e.g. {number(math.tanh(_dot(W, INPUTS[0]) + B))} for {_fmt(INPUTS[0])}), "
        "and backward gives every weight and the bias its gradient"
    )


# --- Layer ---------------------------------------------------------------------------


def _layer_pairs(layer: object, ref_layer: Any, nin: int, what: str) -> list[tuple]:
    """(learner Value, reference Value) for every parameter of a layer."""
    neurons = parts(layer)
    if neurons is not None and len(neurons) == len(ref_layer.neurons):
        pairs = []
        for j, (neuron, ref) in enumerate(zip(neurons, ref_layer.neurons)):
            weights, bias = neuron_weights(neuron, nin, f"neuron {j} of {what}")
            pairs += list(zip(weights, ref.w)) + [(bias, ref.b)]
        return pairs
    params = parameters(layer, what)
    return list(zip(params, ref_layer.parameters()))


def _layer_shape(layer: object, nin: int, nout: int) -> None:
    what = f"Layer({nin}, {nout})"
    params = parameters(layer, what)
    neurons = parts(layer)
    if neurons is not None:
        expect(
            len(neurons) == nout,
            f"{what} has {len(neurons)} neurons, expected {nout} (nout): "
            "[Neuron(nin) for _ in range(nout)]",
        )
        for j, neuron in enumerate(neurons):
            count = len(parameters(neuron, f"neuron {j} of {what}"))
            if count == nout + 1 and nout != nin:
                fail(
                    f"each neuron of {what} has {nout} weights, expected {nin}, one per input: "
                    f"create Neuron(nin), not Neuron(nout). No error showed because "
                    "zip(self.w, x) stops silently at the shorter list"
                )
            expect(
                count == nin + 1,
                f"neuron {j} of {what} has {count} parameters, expected {nin + 1} "
                f"({nin} weights and the bias): create it as Neuron(nin)",
            )
        listed = [id(p) for n in neurons for p in n.parameters()]
        if len(params) < len(listed) and len(params) == nin + 1:
            fail(
                f"{what}.parameters() returned {len(params)} Values, only one neuron's: "
                f"expected {len(listed)}, every neuron's, e.g. "
                "[p for n in self.neurons for p in n.parameters()]"
            )
        expect(
            [id(p) for p in params] == listed,
            f"{what}.parameters() returned {len(params)} Values, expected the {len(listed)} "
            "parameters of neuron 0, then neuron 1, ...: "
            "[p for n in self.neurons for p in n.parameters()]",
        )
    expect(
        len(params) == (nin + 1) * nout,
        f"{what}.parameters() returned {len(params)} Values, expected {(nin + 1) * nout} = "
        f"{nout} neurons × ({nin} weights + 1 bias)",
    )


@check("06.layer", allow_reference=("Value",))
def layer(Layer, Value) -> str:
    for nin, nout, x in ((3, 2, INPUTS[0]), (4, 3, [1.0, -2.0, 0.5, 3.0])):
        what = f"Layer({nin}, {nout})"
        with seeded(SEED):
            mine = Layer(nin, nout)
            ref = reference.Layer(nin, nout)
        _layer_shape(mine, nin, nout)
        _set(_layer_pairs(mine, ref, nin, what))
        for inputs in (x, [Value(v) for v in x]):  # numbers, or the previous layer's Values
            call = f"{what}({_fmt(x)})"
            out = mine(inputs)
            expect(
                isinstance(out, (list, tuple)) and len(out) == nout,
                f"{call} returned {out!r}, expected a list of {nout} Values, one per neuron",
            )
            want = [v.data for v in ref(x)]
            got = [float(_output(v, call).data) for v in out]
            expect(
                all(close(g, w_) for g, w_ in zip(got, want)),
                f"{call} with the reference's weights copied in gives {_nums(got)}, expected "
                f"{_nums(want)}: every neuron gets the same inputs x, [n(x) for n in "
                "self.neurons]",
            )
    with seeded(SEED):
        mine = Layer(3, 1)
        ref = reference.Layer(3, 1)
    _layer_shape(mine, 3, 1)
    _set(_layer_pairs(mine, ref, 3, "Layer(3, 1)"))
    out = mine(INPUTS[0])
    if isinstance(out, (list, tuple)):
        fail(
            f"Layer(3, 1)({_fmt(INPUTS[0])}) returned a list of {len(out)} Value, expected "
            "the single Value itself: return outs[0] if len(outs) == 1 else outs, so "
            "MLP(3, [4, 4, 1]) gives one Value, not a list"
        )
    got = float(_output(out, "Layer(3, 1)(x)").data)
    want = ref(INPUTS[0]).data
    expect(close(got, want), f"Layer(3, 1)(x) is {number(got)}, expected {number(want)}")
    return (
        "Layer(3, 2) and Layer(4, 3) hold nout neurons of nin inputs each, list their "
        "parameters neuron by neuron and match the reference with the same weights (numbers "
        "or Values in); Layer(3, 1) returns a single Value"
    )


# --- MLP -----------------------------------------------------------------------------

SIZES = [3, 4, 4, 1]
SHAPE = "MLP(3, [4, 4, 1])"


def _build(MLP, nin: int, nouts: list[int]) -> Any:
    try:
        return MLP(nin, list(nouts))
    except IndexError as exc:
        fail(
            f"MLP({nin}, {nouts}) raised IndexError ({exc}): the list of sizes needs one more "
            f"entry than nouts, sz = [nin] + nouts = {[nin, *nouts]}, and layer i is "
            "Layer(sz[i], sz[i + 1]) for i in range(len(nouts))"
        )


def _layer_sizes(layers: list) -> list[tuple[int, int]] | None:
    """(inputs, outputs) of each layer, read from its neurons, or None if unclear."""
    sizes = []
    for layer in layers:
        neurons = parts(layer)
        if neurons is None:
            return None
        sizes.append((len(parameters(neurons[0], "a neuron")) - 1, len(neurons)))
    return sizes


def _layers(sizes: list[tuple[int, int]]) -> str:
    """Layer sizes as the constructor calls that make them: Layer(3, 4), Layer(4, 4)."""
    return ", ".join(f"Layer({a}, {b})" for a, b in sizes) if sizes else "no layers"


def _first_difference(sizes: list[tuple[int, int]], expected: list[tuple[int, int]]) -> str:
    """What is wrong with the first layer that differs: its inputs or its neurons."""
    if len(sizes) != len(expected):
        return f"it has {len(sizes)} layers, expected {len(expected)}, one per entry of nouts"
    i = next(k for k, (a, b) in enumerate(zip(sizes, expected)) if a != b)
    (nin, nout), (want_in, want_out) = sizes[i], expected[i]
    if nout != want_out:
        return f"layer {i} has {nout} neurons, expected {want_out} (nouts[{i}])"
    source = "nin" if i == 0 else f"the {want_in} outputs of layer {i - 1}"
    return f"layer {i} has {nin} inputs, expected {want_in} ({source})"


def _mlp_pairs(net: object, ref_net: Any, what: str) -> list[tuple]:
    """(learner Value, reference Value) for every parameter of an MLP."""
    layers = parts(net)
    expected = [(a, b) for a, b in zip(SIZES, SIZES[1:])]
    if layers is not None and _layer_sizes(layers) == expected:
        pairs = []
        for i, (mine, ref) in enumerate(zip(layers, ref_net.layers)):
            pairs += _layer_pairs(mine, ref, SIZES[i], f"layer {i} of {what}")
        return pairs
    params = parameters(net, what)
    expect(
        len(params) == 41,
        f"{what} has {len(params)} parameters, expected 41: fix 06.mlp_parameters first",
    )
    return list(zip(params, ref_net.parameters()))


@check("06.mlp_parameters")
def mlp_parameters(MLP) -> str:
    net = _build(MLP, 3, [4, 4, 1])
    expected = [(a, b) for a, b in zip(SIZES, SIZES[1:])]
    layers = parts(net)
    if layers is not None:
        sizes = _layer_sizes(layers)
        if sizes is not None and sizes != expected:
            hint = (
                "build the sizes as sz = [nin] + nouts, so the first layer takes the 3 inputs"
                if sizes and sizes[0][0] != 3
                else "layer i is Layer(sz[i], sz[i + 1]) with sz = [nin] + nouts"
            )
            fail(
                f"{SHAPE} is made of {_layers(sizes)}, expected {_layers(expected)}: "
                f"{_first_difference(sizes, expected)}; {hint}. No error showed because "
                "zip(self.w, x) stops silently at the shorter list"
            )
    params = parameters(net, SHAPE)
    if layers is not None and len(layers) == 3:
        per_layer = [parameters(layer, f"layer {i}") for i, layer in enumerate(layers)]
        listed = {id(p) for p in params}
        skipped = [i for i, ps in enumerate(per_layer) if not any(id(p) in listed for p in ps)]
        if skipped:
            counts = " + ".join(str(len(ps)) for ps in per_layer)
            fail(
                f"{SHAPE}.parameters() returned {len(params)} Values, expected 41 "
                f"({counts}, layer by layer): the parameters of layer(s) "
                f"{', '.join(map(str, skipped))} are skipped, so training would never "
                "update them; collect every layer's, e.g. "
                "[p for layer in self.layers for p in layer.parameters()]"
            )
        expect(
            [id(p) for p in params] == [id(p) for ps in per_layer for p in ps],
            f"{SHAPE}.parameters() returned {len(params)} Values, expected the 41 parameters "
            "of layer 0, then layer 1, then layer 2, each in the layer's own order",
        )
    expect(
        len(params) == 41,
        f"{SHAPE}.parameters() returned {len(params)} Values, expected 41 = (3+1)·4 + "
        "(4+1)·4 + (4+1)·1 (weights and biases of 9 neurons)",
    )
    small = parameters(_build(MLP, 2, [3, 1]), "MLP(2, [3, 1])")
    expect(
        len(small) == 13,
        f"MLP(2, [3, 1]).parameters() returned {len(small)} Values, expected 13 = "
        "(2+1)·3 + (3+1)·1",
    )
    return (
        f"{SHAPE} has layers 3 → 4 → 4 → 1 and 41 distinct parameters, layer by layer; "
        "MLP(2, [3, 1]) has 13 (not checked yet: what the network computes)"
    )


@check("06.mlp_forward", allow_reference=("Value",))
def mlp_forward(MLP, Value) -> str:
    with seeded(SEED):
        net = _build(MLP, 3, [4, 4, 1])
        ref = reference.MLP(3, [4, 4, 1])
    pairs = _mlp_pairs(net, ref, SHAPE)
    _set(pairs)
    outs = []
    xs, ys = xs_ys()
    for x in xs:
        call = f"n({_fmt(x)})"
        out = net(x)
        if isinstance(out, (list, tuple)):
            fail(
                f"{call} returned a list of {len(out)} Values, expected one Value: the last "
                "layer has one neuron, so Layer should return outs[0] when len(outs) == 1"
            )
        got = float(_output(out, call).data)
        want = ref(x).data
        expect(
            close(got, want),
            f"{call} is {number(got)} with the reference's weights copied in, expected "
            f"{number(want)}: __call__ must feed each layer's output into the next "
            "(x = layer(x)) and return the last layer's output",
        )
        outs.append(out)
    loss = sum(((o - y) ** 2 for o, y in zip(outs, ys)), Value(0.0))
    ref_loss = sum(((ref(x) - y) ** 2 for x, y in zip(xs, ys)), RefValue(0.0))
    loss.backward()
    ref_loss.backward()
    sizes = [(a + 1) * b for a, b in zip(SIZES, SIZES[1:])]
    starts = [sum(sizes[:i]) for i in range(len(sizes))]
    for layer_index, start in enumerate(starts):
        chunk = pairs[start : start + sizes[layer_index]]
        if all(m.grad == 0 for m, _ in chunk) and any(r.grad != 0 for _, r in chunk):
            fail(
                f"after loss.backward(), every parameter of layer {layer_index} has grad 0: "
                "the graph is cut before it; pass the Values from layer to layer (not "
                "Value(v.data) or floats)"
            )
    for k, (mine, ref_p) in enumerate(pairs):
        expect(
            close(mine.grad, ref_p.grad, rel=1e-6, abs_tol=1e-9),
            f"after loss.backward() (loss = sum of squared errors on the lecture's 4 "
            f"examples), parameter {k} has grad {number(mine.grad)}, expected "
            f"{number(ref_p.grad)}",
        )
    return (
        f"{SHAPE} with the reference's weights copied in gives the same single Value on the "
        f"lecture's 4 examples (e.g. {number(outs[0].data)} for [2.0, 3.0, -1.0]) and the "
        "same 41 gradients after backward of the squared-error loss"
    )
