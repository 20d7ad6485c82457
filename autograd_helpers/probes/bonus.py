"""Probes of 09_bonus_exercises: derivatives by hand and by central differences, log, softmax
and the negative log-likelihood. From 09 on the notebook's ``Value`` is the reference one."""

import math
from typing import Any

from autograd_helpers.probes import attr, number_list, probe, shown
from autograd_helpers.probes._values import as_float, children, is_value


def f(a, b, c):
    """The exercise's function, handed to the learner's numerical_grad."""
    return -(a**3) + math.sin(3 * b) - 1.0 / c + b**2.5 - a**0.5


def g(a, b, c):
    """A second function for numerical_grad, so that one ignoring its f is seen."""
    return a * b + c**2


def _value(result: Any, *inputs: object) -> dict:
    """A returned Value: its data and whether each of ``inputs`` is among its children."""
    if result is None:
        return {"none": True, "repr": "None"}
    if not is_value(result):
        return {"repr": shown(result)}
    kids = children(result)
    return {
        "data": float(result.data),
        "linked": [any(kid is x for kid in kids) for x in inputs],
    }


def _grads(values: list) -> list:
    return [as_float(attr(v, "grad")) for v in values]


@probe("09.by_hand")
def by_hand(out, gradf_by_hand, *, points):
    for i, point in enumerate(points):
        out[f"at {i}"] = number_list(gradf_by_hand(*point))


@probe("09.numerical")
def numerical(out, numerical_grad, *, point, h, other_h, g_point):
    out["with h"] = number_list(numerical_grad(f, *point, h=h))
    # the same with another step: a function that ignores its h gives the very same numbers
    out["other h"] = number_list(numerical_grad(f, *point, h=other_h))
    out["of g"] = number_list(numerical_grad(g, *g_point))
    out["default h"] = number_list(numerical_grad(f, *point))


@probe("09.log", allow_reference=("Value",))
def log(out, Value, log, *, xs):
    for i, x in enumerate(xs):
        v = Value(x)
        try:
            result = log(v)
        except AttributeError as exc:
            out[f"{i} attribute error"] = str(exc)[:300]  # the judge tells a closure apart
            raise
        out[f"{i} result"] = _value(result, v)
        result.backward()
        out[f"{i} grad"] = as_float(attr(v, "grad"))


def _probabilities(result: Any) -> tuple[dict, list | None]:
    """A returned list of probabilities as plain data, and its items (None when unreadable)."""
    if result is None:
        return {"none": True}, None
    try:
        items = list(result)
    except TypeError:
        return {"repr": shown(result)}, None
    values = all(is_value(p) for p in items)
    data = [float(p.data) for p in items[:50]] if values else None
    return {"count": len(items), "values": values, "repr": shown(items), "data": data}, items


@probe("09.softmax", allow_reference=("Value",))
def softmax(out, Value, softmax, *, logit_lists):
    for i, logits in enumerate(logit_lists):
        zs = [Value(z) for z in logits]
        out[f"{i} probs"], items = _probabilities(softmax(zs))
        if not items:
            return  # nothing to take a gradient of: the judge stops at the probabilities
        items[0].backward()
        out[f"{i} grads"] = _grads(zs)


@probe("09.nll", allow_reference=("Value",))
def nll(out, Value, nll, *, probs, label):
    ps = [Value(p) for p in probs]
    loss = nll(ps, label)
    out["loss"] = _value(loss)
    loss.backward()
    out["grads"] = _grads(ps)


@probe("09.softmax_nll", allow_reference=("Value",))
def softmax_nll(out, Value, softmax, nll, *, logit_lists, labels):
    for i, (logits, label) in enumerate(zip(logit_lists, labels)):
        zs = [Value(z) for z in logits]
        loss = nll(softmax(zs), label)
        out[f"{i} loss"] = _value(loss)
        loss.backward()
        out[f"{i} grads"] = _grads(zs)
