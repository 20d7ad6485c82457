"""Probes of 05_neuron: the lecture's neuron, its gradients by hand and by ``backward()``,
tanh rebuilt from exp, and a gradient check.

From 05 on the notebook uses the reference ``Value`` on purpose, so these probes accept it
(``allow_reference``). A case's ``points`` are the inputs (x1, x2, w1, w2, b) the learner's
functions are called at; the probes report what came back, never what it should be.
"""

from collections.abc import Mapping

from autograd_helpers.gradcheck import GradcheckReport
from autograd_helpers.probes import attr, probe, shown
from autograd_helpers.probes._lecture import NEURON_NAMES, labelled
from autograd_helpers.probes._values import as_float, children, is_value, walk

NAMES = NEURON_NAMES
MAX_NODES = 500  # nodes of a graph reported for its labels
MAX_KEYS = 50  # keys of a learner's dict reported by name


def _call(Value, fn, p):
    """``fn(x1=..., ...)`` on fresh labelled leaves of ``Value``: (output, leaves)."""
    leaves = {key: labelled(Value, p[key], key) for key in NAMES}
    return fn(**leaves), leaves


def _returned(o) -> dict:
    """What a neuron function returned: None, a Value-like output, or something else."""
    return {
        "none": o is None,
        "usable": o is not None and hasattr(o, "data") and hasattr(o, "backward"),
        "type": type(o).__name__,
        "repr": shown(o),
    }


def _in_graph(o, leaves: dict) -> list[str]:
    """The names of the leaves that ``o``'s graph reaches."""
    ids = {id(v) for v in walk(o)}
    return [key for key in NAMES if id(leaves[key]) in ids]


def _usable(out: dict, key: str, Value, fn, p) -> tuple:
    """``fn`` called at the point ``p`` (see :func:`_call`): (output, leaves, what it
    returned); output None, and ``out[key]`` saying what came back, when it is no usable
    Value."""
    o, leaves = _call(Value, fn, p)
    returned = _returned(o)
    if not returned["usable"]:
        out[key] = {"returned": returned}
        return None, leaves, returned
    return o, leaves, returned


def _nodes(o, leaves: dict) -> list[dict]:
    """``o``'s graph, root first: each node's label, op, data, children (as indices, -1
    beyond the cut) and which leaf it is (None for a step)."""
    found = walk(o)[:MAX_NODES]
    index = {id(v): k for k, v in enumerate(found)}
    leaf_names = {id(v): key for key, v in leaves.items()}
    return [
        {
            "leaf": leaf_names.get(id(v)),
            "label": attr(v, "label"),
            "op": attr(v, "_op"),
            "data": attr(v, "data") if is_value(v) else v,
            "children": [index.get(id(c), -1) for c in children(v)],
        }
        for v in found
    ]


def _grads(leaves: dict) -> dict:
    return {key: attr(leaves[key], "grad") for key in NAMES}


@probe("05.neuron", allow_reference=("Value",))
def neuron(out, Value, neuron, *, points):
    for i, p in enumerate(points):  # forward first: a wrong o explains wrong gradients
        o, _, returned = _usable(out, f"forward{i}", Value, neuron, p)
        if o is None:
            return
        op = getattr(o, "_op", "") or ""
        out[f"forward{i}"] = {"returned": returned, "data": attr(o, "data"), "op": str(op)}
    for i, p in enumerate(points):
        o, leaves, returned = _usable(out, f"graph{i}", Value, neuron, p)
        if o is None:
            return
        graph = {"returned": returned, "in_graph": _in_graph(o, leaves)}
        if i == 0:  # labels are looked at once, at the first point
            graph["nodes"] = _nodes(o, leaves)
        out[f"graph{i}"] = graph
        o.backward()
        out[f"grads{i}"] = _grads(leaves)


def _grads_dict(result) -> dict:
    """What grads_by_hand returned: a dict's keys and its numbers (None: not a number)."""
    if result is None:
        return {"none": True}
    if not isinstance(result, Mapping):
        return {
            "none": False,
            "mapping": False,
            "type": type(result).__name__,
            "repr": shown(result),
        }
    missing = [key for key in NAMES if key not in result]
    keys = sorted(str(k) for k in list(result)[:MAX_KEYS])
    answer: dict[str, object] = {"none": False, "mapping": True, "keys": keys, "missing": missing}
    if missing:
        return answer
    grads: dict[str, float | None] = {}
    texts: dict[str, str] = {}
    for key in NAMES:
        value = result[key]
        grads[key] = as_float(value)  # a Value's number, or a numpy float, is fine too
        if grads[key] is None:
            texts[key] = shown(value)
    answer["grads"], answer["shown"] = grads, texts
    return answer


@probe("05.by_hand")
def by_hand(out, grads_by_hand, *, points):
    for i, p in enumerate(points):
        out[f"point{i}"] = _grads_dict(grads_by_hand(**p))


@probe("05.backward", allow_reference=("x1", "x2", "w1", "w2", "b", "o"))
def backward(out, x1, x2, w1, w2, b, o, grads):
    leaves = {"x1": x1, "x2": x2, "w1": w1, "w2": w2, "b": b}
    nodes = {**leaves, "o": o}
    out["values"] = {
        name: {"is_value": is_value(v), "type": type(v).__name__, "repr": shown(v)}
        for name, v in nodes.items()
    }
    if not all(is_value(v) for v in nodes.values()):
        return
    out["data"] = {name: as_float(v) for name, v in nodes.items()}
    out["in_graph"] = _in_graph(o, leaves)
    out["grads"] = _grads(leaves)
    out["o_grad"] = attr(o, "grad")
    inputs = children(o)
    out["tanh_input_grad"] = attr(inputs[0], "grad") if len(inputs) == 1 else None
    if not isinstance(grads, Mapping):
        out["grads_dict"] = {"mapping": False, "type": type(grads).__name__, "repr": shown(grads)}
        return
    got = {}
    for name in NAMES:
        if name in grads:
            value = grads[name]
            got[name] = getattr(value, "grad", value)  # the Value itself is fine too
    out["grads_dict"] = {"mapping": True, "got": got}


@probe("05.tanh_from_exp", allow_reference=("Value",))
def tanh_from_exp(out, Value, neuron_exp, *, points):
    for i, p in enumerate(points):
        o, leaves, returned = _usable(out, f"forward{i}", Value, neuron_exp, p)
        if o is None:
            return
        ops = sorted({str(getattr(v, "_op", "") or "") for v in walk(o)})
        out[f"forward{i}"] = {
            "returned": returned,
            "in_graph": _in_graph(o, leaves),
            "ops": ops,
            "data": attr(o, "data"),
        }
        o.backward()
        out[f"grads{i}"] = _grads(leaves)


@probe("05.gradcheck")
def gradient_check(out, report):
    if report is None:
        out["report"] = {"kind": "none"}
        return
    if isinstance(report, str):
        out["report"] = {"kind": "text", "repr": shown(report)}
        return
    if not isinstance(report, GradcheckReport):
        out["report"] = {"kind": "other", "type": type(report).__name__}
        return
    out["report"] = {"kind": "report"}
    out["entries"] = [
        {"name": e.name, "analytic": e.analytic, "numerical": e.numerical} for e in report.entries
    ]
    out["output"] = report.output
    out["verdict"] = report.verdict
    out["worst"] = report.worst
