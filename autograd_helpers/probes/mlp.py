"""Probes of 06_mlp: Neuron, Layer and MLP, run with the weights a case gives.

The learner's network is never trusted to name things our way: weights are found
through ``parameters()`` (and, for a neuron, through any attribute holding a list of
Values plus one holding a single Value: ``w``/``b``, ``weights``/``bias``, ...), the
neurons of a layer and the layers of an MLP through any attribute holding a list of
objects that have ``parameters()``. The case's weights (numbers, in the order of the
reference's ``parameters()``) are copied in, and the probe reports what comes out:
outputs, gradients, and how ``parameters()`` is made. Inputs given to the learner's
objects are numbers or the notebook's own ``Value``.
"""

from __future__ import annotations

from typing import Any

from autograd_helpers.probes import attr, plain, probe, shown
from autograd_helpers.probes._lecture import SEED
from autograd_helpers.probes._values import as_float, is_value
from autograd_helpers.trainer import seeded

MANY = 60  # Neuron(4) drawn to see where their parameters fall
MAX_OUTPUTS = 100  # items of a layer's output that are reported


# --- finding the pieces --------------------------------------------------------------------


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


def parameters(obj: object) -> tuple[dict, list | None]:
    """What ``obj.parameters()`` returns, as facts the judge words (``checks.mlp.parameters``),
    and the list itself when it is one flat list of distinct Values (else None)."""
    method = attr(obj, "parameters")
    if not callable(method):
        return {"callable": False}, None
    got = method()
    if got is None:
        return {"callable": True, "none": True}, None
    try:
        items = list(got)
    except TypeError:
        return {"callable": True, "none": False, "list": False, "repr": shown(got)}, None
    nested = sum(isinstance(p, (list, tuple)) for p in items)
    bad = [p for p in items if not is_value(p)]
    report = {
        "callable": True,
        "none": False,
        "list": True,
        "count": len(items),
        "nested": nested,
        "bad": {"shown": plain(bad[0]), "type": type(bad[0]).__name__} if bad else None,
        "distinct": len({id(p) for p in items}) == len(items),
    }
    return report, items if clean(report) else None


def clean(report: dict) -> bool:
    """True when a :func:`parameters` report is one flat list of distinct Values."""
    return bool(
        report.get("list") and not report["nested"] and report["bad"] is None and report["distinct"]
    )


def _declared_weights(neuron: object, nin: int) -> tuple[list, Any] | None:
    """(weights, bias) from the neuron's attributes: one list of nin Values and one Value."""
    attrs = _attributes(neuron).values()
    lists = [list(v) for v in attrs if isinstance(v, (list, tuple)) and v and all(map(is_value, v))]
    singles = [v for v in attrs if is_value(v)]
    if len(lists) == 1 and len(singles) == 1 and len(lists[0]) == nin:
        return lists[0], singles[0]
    return None


def neuron_weights(neuron: object, nin: int) -> tuple[dict, list | None]:
    """How a neuron's weights and bias were found, and those nin + 1 Values in that order.

    From its attributes (``{"declared": True}``), else from ``parameters()`` order (its
    report); None instead of the Values when neither gives nin weights and a bias.
    """
    found = _declared_weights(neuron, nin)
    if found is not None:
        return {"declared": True}, [*found[0], found[1]]
    report, params = parameters(neuron)
    how = {"declared": False, "parameters": report}
    return how, params if params is not None and len(params) == nin + 1 else None


def _copy_in(values: list, numbers: list) -> None:
    """Set the learner's Values to the case's numbers, gradients to 0."""
    for v, x in zip(values, numbers):
        v.data = float(x)
        v.grad = 0.0


def result(x: object, depth: int = 0) -> dict:
    """What a call returned: a Value (its data), or a list of them, or anything else."""
    value = is_value(x)
    r = {
        "value": value,
        "type": type(x).__name__,
        "repr": shown(x),
        "data": as_float(x) if value else None,
    }
    if isinstance(x, (list, tuple)):
        r["len"] = len(x)
        if depth == 0:
            r["items"] = [result(v, 1) for v in list(x)[:MAX_OUTPUTS]]
    return r


def _build(MLP: Any, nin: int, nouts: list) -> tuple[Any, dict]:
    """``MLP(nin, nouts)``, and ``{"index_error": ...}`` when it raised IndexError."""
    try:
        return MLP(nin, list(nouts)), {}
    except IndexError as exc:
        return None, {"index_error": str(exc)[:300]}


# --- Neuron --------------------------------------------------------------------------------


def _bias_position(neuron: Any, params: list, nin: int) -> int | None:
    """Which parameter is the bias, found by behaviour: with every input 0, only b counts."""
    saved = [p.data for p in params]

    def close(a: float, b: float) -> bool:
        return abs(a - b) <= 1e-9 * max(abs(a), abs(b)) + 1e-12

    try:
        for i, p in enumerate(params):
            p.data = 0.1 * (i + 1)
        zeros = [0.0] * nin
        base = float(neuron(zeros).data)
        moved = []
        for i, p in enumerate(params):
            p.data += 0.5
            if not close(float(neuron(zeros).data), base):
                moved.append(i)
            p.data -= 0.5
        return moved[0] if len(moved) == 1 else None
    except Exception:  # __call__ not written or broken: 06.neuron_forward says so
        return None
    finally:
        for p, d in zip(params, saved):
            p.data = d


def _drawn(neuron: object) -> dict:
    """A neuron's parameters() report and the numbers it drew."""
    report, params = parameters(neuron)
    return {"parameters": report, "data": None if params is None else [as_float(p) for p in params]}


@probe("06.neuron_parameters")
def neuron_parameters(out, Neuron, *, nins, seed):
    for nin in nins:
        with seeded(seed + nin):
            neuron = Neuron(nin)
        report, params = parameters(neuron)
        entry: dict = {"parameters": report}
        if params is not None:
            declared = _declared_weights(neuron, nin)
            entry["declared"] = declared is not None
            if declared is not None:
                weights, bias = declared
                entry["bias_position"] = next((i for i, p in enumerate(params) if p is bias), None)
                entry["weights_in_order"] = [id(p) for p in params[:nin]] == [
                    id(w) for w in weights
                ]
            elif len(params) == nin + 1:
                entry["bias_position"] = _bias_position(neuron, params, nin)
            else:
                entry["bias_position"] = None
            entry["data"] = [as_float(p) for p in params]
        out[f"Neuron({nin})"] = entry
        if params is None:
            return
    with seeded(seed):
        first, second = Neuron(nins[0]), Neuron(nins[0])
    out["pair"] = [_drawn(first), _drawn(second)]
    with seeded(seed):
        neurons = [Neuron(4) for _ in range(MANY)]
    out["spread"] = [_drawn(n) for n in neurons]


@probe("06.neuron_forward")
def neuron_forward(out, Neuron, *, w, b, xs):
    nin = len(w)
    with seeded(SEED):
        neuron = Neuron(nin)
    how, params = neuron_weights(neuron, nin)
    out["weights"] = how
    if params is None:
        return
    _copy_in(params, [*w, b])
    for i, x in enumerate(xs):
        out[f"output {i}"] = result(neuron(list(x)))
    # gradients of one output
    for p in params:
        p.grad = 0.0
    o = neuron(list(xs[0]))
    o.backward()
    out["grads"] = [attr(p, "grad") for p in params]


# --- Layer ---------------------------------------------------------------------------------


def layer_shape(layer: object) -> dict:
    """How a layer's parameters() is made: its report, each neuron's, their order, and how
    many of its neurons are distinct objects (``[Neuron(nin)] * nout`` repeats one)."""
    report, params = parameters(layer)
    shape: dict = {"parameters": report}
    neurons = parts(layer)
    if neurons is not None:
        shape["neuron objects"] = {"count": len(neurons), "distinct": len(set(map(id, neurons)))}
    if params is None:
        return shape
    if neurons is None:
        shape["neurons"] = None
        return shape
    each = [parameters(n) for n in neurons]
    shape["neurons"] = [r for r, _ in each]
    lists = [ps for _, ps in each if ps is not None]
    if len(lists) == len(each):
        listed = [id(p) for ps in lists for p in ps]
        shape["listed"] = len(listed)
        shape["in_order"] = [id(p) for p in params] == listed
    return shape


def layer_values(layer: object, nin: int, nout: int) -> tuple[dict, list | None]:
    """A layer's Values in the reference's order (neuron by neuron, weights then bias).

    Neuron by neuron when its neurons can be found, else in its parameters() order.
    """
    neurons = parts(layer)
    if neurons is not None and len(neurons) == nout:
        found, values = [], []
        for neuron in neurons:
            how, vs = neuron_weights(neuron, nin)
            found.append(how)
            if vs is None:
                return {"by": "neurons", "neurons": found}, None
            values += vs
        return {"by": "neurons", "neurons": found}, values
    report, params = parameters(layer)
    return {"by": "parameters", "parameters": report}, params


def _layer(out: dict, key: str, Layer: Any, nin: int, nout: int, weights: list) -> Any:
    """Layer(nin, nout) with the case's weights in, its reports under ``key``; None if unusable."""
    with seeded(SEED):
        layer = Layer(nin, nout)
    out[f"{key} shape"] = layer_shape(layer)
    how, values = layer_values(layer, nin, nout)
    out[f"{key} weights"] = how
    if values is None:
        return None
    _copy_in(values, weights)
    return layer


@probe("06.layer", allow_reference=("Value",))
def layer(out, Layer, Value, *, layers, single):
    for k, case in enumerate(layers):
        key = f"layer {k}"
        made = _layer(out, key, Layer, case["nin"], case["nout"], case["weights"])
        if made is None:
            return
        x = case["x"]
        out[f"{key} numbers"] = result(made(list(x)))
        out[f"{key} values"] = result(made([Value(v) for v in x]))  # the previous layer's
    made = _layer(out, "single", Layer, single["nin"], 1, single["weights"])
    if made is None:
        return
    out["single output"] = result(made(list(single["x"])))


# --- MLP -----------------------------------------------------------------------------------


def layer_sizes(layers: list) -> list:
    """Each layer's neurons: how many, and the first one's parameters() report (None when
    the layer's neurons cannot be found)."""
    sizes = []
    for layer in layers:
        neurons = parts(layer)
        sizes.append(
            None
            if neurons is None
            else {"neurons": len(neurons), "first": parameters(neurons[0])[0]}
        )
    return sizes


def _sizes(reported: list) -> list | None:
    """(inputs, neurons) of each layer from :func:`layer_sizes`, or None if unclear."""
    sizes = []
    for entry in reported:
        if entry is None or not clean(entry["first"]):
            return None
        sizes.append([entry["first"]["count"] - 1, entry["neurons"]])
    return sizes


def _mlp(out: dict, MLP: Any, nin: int, nouts: list, seed: int | None = None) -> tuple:
    """``MLP(nin, nouts)`` (built with ``random.seed(seed)`` when given) and its layers
    (``parts``), reported as ``out["built"]`` and ``out["layers"]``; (None, None) when
    building raised IndexError."""
    with seeded(seed):
        net, out["built"] = _build(MLP, nin, nouts)
    if net is None:
        return None, None
    layers = parts(net)
    out["layers"] = None if layers is None else layer_sizes(layers)
    return net, layers


@probe("06.mlp_parameters")
def mlp_parameters(out, MLP, *, nin, nouts, small):
    net, layers = _mlp(out, MLP, nin, nouts)
    if net is None:
        return
    report, params = parameters(net)
    out["parameters"] = report
    if params is None:
        return
    if layers is not None and len(layers) == len(nouts):
        each = [parameters(layer) for layer in layers]
        out["per_layer"] = [r for r, _ in each]
        lists = [ps for _, ps in each if ps is not None]
        if len(lists) == len(each):
            listed = {id(p) for p in params}
            out["skipped"] = [
                i for i, ps in enumerate(lists) if not any(id(p) in listed for p in ps)
            ]
            out["in_order"] = [id(p) for p in params] == [id(p) for ps in lists for p in ps]
    small_net, small_built = _build(MLP, small[0], small[1])
    out["small built"] = small_built
    if small_net is None:
        return
    out["small"] = parameters(small_net)[0]


def mlp_values(
    net: object, layers: list | None, sizes: list | None, nin: int, nouts: list
) -> tuple[dict, list | None]:
    """An MLP's Values in the reference's order: layer by layer, neuron by neuron when its
    layers (``parts(net)``) have the sizes nin and nouts give (``sizes``, from
    :func:`layer_sizes`), else in its parameters() order."""
    sz = [nin, *nouts]
    expected = [[a, b] for a, b in zip(sz, sz[1:])]
    if layers is not None and sizes is not None and _sizes(sizes) == expected:
        how: dict = {"by": "neurons", "neurons": []}
        values = []
        for i, layer in enumerate(layers):
            found: list = []
            how["neurons"].append(found)
            for neuron in parts(layer) or []:
                h, vs = neuron_weights(neuron, sz[i])
                found.append(h)
                if vs is None:
                    return how, None
                values += vs
        return how, values
    report, params = parameters(net)
    return {"by": "parameters", "parameters": report}, params


def layer_by_layer(layers: list, x: list) -> list:
    """What a network's layers give called one after another on ``x``, as __call__ should
    call them: the :func:`result` of each, up to the first that raises."""
    seen = []
    try:
        for layer in layers:
            x = layer(x)
            seen.append(result(x))
    except Exception:  # the network's own call reports the error, if it makes that call
        pass
    return seen


@probe("06.mlp_forward", allow_reference=("Value",))
def mlp_forward(out, MLP, Value, *, nin, nouts, weights, xs, ys):
    net, layers = _mlp(out, MLP, nin, nouts, seed=SEED)
    if net is None:
        return
    how, values = mlp_values(net, layers, out["layers"], nin, nouts)
    out["weights"] = how
    if values is None or len(values) != len(weights):
        return
    _copy_in(values, weights)
    # so a judge can tell which layers the network's own call ran
    out["layer by layer"] = None if layers is None else layer_by_layer(layers, list(xs[0]))
    outs = []
    for i, x in enumerate(xs):
        o = net(list(x))
        out[f"output {i}"] = result(o)
        outs.append(o)
    loss = sum(((o - y) ** 2 for o, y in zip(outs, ys)), Value(0.0))
    loss.backward()
    out["grads"] = [attr(p, "grad") for p in values]
