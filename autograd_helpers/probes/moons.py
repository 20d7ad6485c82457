"""Probes of 08_bonus_moons: parameter count, max-margin loss, accuracy, training, the model.

They call the learner's functions with the notebook's own ``Value`` and ``MLP`` (the
reference ones, imported on purpose from 05 on) and report plain numbers: returned
values, gradients, the network's weights before and after training. The judge rebuilds
a reference network from the reported initial weights and recomputes everything.
"""

import inspect
import itertools

from autograd_helpers.probes import probe, shown
from autograd_helpers.probes._values import is_value
from autograd_helpers.trainer import seeded

# --- 1. the network ---------------------------------------------------------------------


@probe("08.parameters")
def parameters(out, count_parameters, *, shapes):
    for i, (nin, nouts) in enumerate(shapes):
        out[f"count {i}"] = count_parameters(nin, list(nouts))


# --- 2. the max-margin loss ------------------------------------------------------------


@probe("08.loss", allow_reference=("Value",))
def loss(out, loss_fn, Value, *, scores, labels, params, alpha):
    for call, a in (("alpha", alpha), ("default", None)):
        values = [Value(s) for s in scores]
        weights = [Value(p) for p in params]
        if a is None:
            total = loss_fn(values, list(labels), weights)
        else:
            total = loss_fn(values, list(labels), weights, alpha=a)
        out[f"{call}: returned"] = {
            "none": total is None,
            "is_value": is_value(total),
            "type": type(total).__name__,
            "repr": shown(total),
        }
        if total is None or not is_value(total):
            return
        out[f"{call}: data"] = total.data
        total.backward()
        out[f"{call}: score grads"] = [v.grad for v in values]
        out[f"{call}: parameter grads"] = [p.grad for p in weights]


# --- 3. accuracy -----------------------------------------------------------------------


@probe("08.accuracy", allow_reference=("Value",))
def accuracy(out, accuracy, Value, *, scores, labels):
    out["result"] = accuracy([Value(s) for s in scores], list(labels))


# --- 4. one training step --------------------------------------------------------------


def _model(out, MLP, seed):
    """The notebook's MLP(2, [4, 4, 1]) built from ``seed``; its weights go to ``out``."""
    try:
        with seeded(seed):
            net = MLP(2, [4, 4, 1], activation="relu", last_activation="linear")
    except TypeError as exc:
        out["mlp error"] = f"TypeError: {exc}"[:300]
        return None
    out["mlp error"] = None
    out["initial"] = [p.data for p in net.parameters()]
    return net


def _pair(result):
    """What train_step returned: None, something that is not a pair, or (loss, accuracy)."""
    if result is None:
        return {"none": True}
    try:
        loss_value, acc = result
    except (TypeError, ValueError):
        return {"none": False, "pair": False, "repr": shown(result)}
    return {
        "none": False,
        "pair": True,
        "repr": shown(result),
        "loss is value": is_value(loss_value),
        "loss": loss_value,
        "accuracy": acc,
    }


@probe("08.train_step", allow_reference=("MLP",))
def step(out, train_step, MLP, *, X, y, lr, lr2, seed):
    net = _model(out, MLP, seed)
    if net is None:
        return
    points = [list(x) for x in X]
    out["first"] = _pair(train_step(net, points, list(y), lr))
    out["after first"] = [p.data for p in net.parameters()]
    out["second"] = _pair(train_step(net, [list(x) for x in X], list(y), lr2))
    out["after second"] = [p.data for p in net.parameters()]


# --- 5. the training loop ---------------------------------------------------------------


def _histories(result, limit):
    """What train returned: None, or its parts (None when they are not iterable), each as
    its length and its first ``limit`` items."""
    if result is None:
        return {"none": True}
    try:  # at most 3 parts: enough to see that it is not a pair
        parts = []
        for part in itertools.islice(result, 3):
            items = list(part)
            parts.append({"length": len(items), "items": items[:limit]})
    except TypeError:
        parts = None
    return {"none": False, "repr": shown(result), "parts": parts}


@probe("08.train", allow_reference=("MLP",))
def train(out, train, MLP, *, X, y, steps, seed):
    net = _model(out, MLP, seed)
    if net is None:
        return
    try:
        takes_progress = "progress" in inspect.signature(train).parameters
    except (TypeError, ValueError):  # no signature to read: call it plainly
        takes_progress = False
    kwargs = {"progress": False} if takes_progress else {}
    result = train(net, [list(x) for x in X], list(y), steps, **kwargs)
    out["result"] = _histories(result, steps + 5)
    out["after"] = [p.data for p in net.parameters()]


# --- 6. the trained model ---------------------------------------------------------------


def _score(output):
    """A model's output for one point: the Value itself when it comes in a one-item list."""
    if isinstance(output, (list, tuple)) and len(output) == 1:
        return output[0]
    return output


@probe("08.trained", allow_reference=("model",))
def trained(out, model, *, points, labels):
    del labels  # only the judge reads them
    has = callable(getattr(model, "parameters", None))
    out["count"] = len(list(model.parameters())) if has else 0
    out["scores"] = [_score(model(list(x))).data for x in points]
