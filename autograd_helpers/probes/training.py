"""Probes of 07_training: the loss, zero_grad, update, train, and the learning-rate runs.

From 05 on the notebook uses the reference ``Value`` and ``MLP`` on purpose (what its
network is made of); the learner's functions are what is probed. A training run reports
the network's initial weights as plain numbers, the losses ``train`` returned and the
weights and gradients it left, so the judge replays the reference loop from exactly those
weights. It also names the notebook's own networks (``n``) that a run changed, and puts
their weights back: a ``train`` that steps ``n`` instead of its argument shows there.
"""

import inspect

from autograd_helpers.probes import attr, plain, probe, shown
from autograd_helpers.probes._lecture import XS, YS
from autograd_helpers.probes._values import is_value
from autograd_helpers.trainer import seeded

LIMIT = 200  # losses reported of one run: a checked run has at most a few dozen steps


def _sequence(x: object) -> dict | None:
    """What a function returned where a list of losses was expected, as plain data."""
    if x is None:
        return None
    text = shown(x)
    try:
        items = list(x)  # type: ignore[call-overload]
    except TypeError:
        return {"iterable": False, "repr": text}
    return {
        "iterable": True,
        "count": len(items),
        "items": [plain(v) for v in items[:LIMIT]],
        "repr": text,
    }


# --- the loss ---------------------------------------------------------------------------


@probe("07.loss", allow_reference=("Value",))
def loss(out, loss_fn, Value, *, pred, gt):
    ys_pred = [Value(p) for p in pred]
    result = loss_fn(ys_pred, list(gt))
    out["type"] = type(result).__name__
    out["result"] = plain(result)  # a Value as {"~": "value", "data": ...}, else what it is
    if not is_value(result):
        return
    result.backward()
    out["grads"] = [attr(v, "grad") for v in ys_pred]


# --- zero_grad and update ---------------------------------------------------------------


def _parameters(Value, data, grads) -> list:
    params = [Value(x) for x in data]
    for p, g in zip(params, grads):
        p.grad = g
    return params


@probe("07.zero_grad", allow_reference=("Value",))
def zero_grads(out, zero_grad, Value, *, data, grads):
    params = _parameters(Value, data, grads)
    zero_grad(params)
    out["data"] = [attr(p, "data") for p in params]
    out["grads"] = [attr(p, "grad") for p in params]


@probe("07.update", allow_reference=("Value",))
def update(out, update, Value, *, data, grads, lr, small_lr):
    for key, rate in (("", lr), ("small_", small_lr)):
        params = _parameters(Value, data, grads)
        originals = list(params)
        update(params, rate)
        out[key + "replaced"] = len(params) != len(originals) or any(
            p is not q for p, q in zip(params, originals)
        )
        out[key + "grads"] = [attr(p, "grad") for p in params]
        out[key + "data"] = [attr(p, "data") for p in params]


# --- train -------------------------------------------------------------------------------


def _networks(train, MLP) -> dict[str, list]:
    """The notebook's own networks that train can reach (``n = fresh_mlp()``): for each
    global name, its parameters with their data and grad as they are now."""
    found = getattr(inspect.unwrap(train), "__globals__", None)
    if not isinstance(found, dict):
        return {}
    return {
        name: [(p, p.data, p.grad) for p in net.parameters()]
        for name, net in list(found.items())
        if isinstance(name, str) and not name.startswith("_") and isinstance(net, MLP)
    }


def _put_back(networks: dict[str, list]) -> list[str]:
    """The names of the networks whose weights changed since :func:`_networks`; every one
    gets its weights and gradients back (a check leaves the learner's ``n`` as it was)."""
    changed = []
    for name, saved in networks.items():
        if any(p.data != data for p, data, _ in saved):
            changed.append(name)
        for p, data, grad in saved:
            p.data, p.grad = data, grad
    return sorted(changed)


def _run(out, key: str, train, MLP, seed: int, steps: int, lr: float) -> None:
    """The learner's train on a new MLP(3, [4, 4, 1]) of the notebook, from random.seed(seed)."""
    with seeded(seed):
        net = MLP(3, [4, 4, 1])
    params = list(net.parameters())
    for p in params:
        p.grad = 0.0
    out[key + "initial"] = [attr(p, "data") for p in params]
    takes_progress = "progress" in inspect.signature(train).parameters
    kwargs = {"progress": False} if takes_progress else {}
    networks = _networks(train, MLP)
    try:
        losses = train(net, [list(x) for x in XS], list(YS), steps, lr, **kwargs)
    finally:
        out[key + "others"] = _put_back(networks)
    out[key + "losses"] = _sequence(losses)
    out[key + "final"] = [attr(p, "data") for p in net.parameters()]
    out[key + "grads"] = [attr(p, "grad") for p in net.parameters()]


@probe("07.train", allow_reference=("MLP",))
def train(out, train, MLP, *, seed, steps, lr, small_steps, small_lr):
    _run(out, "", train, MLP, seed, steps, lr)
    _run(out, "small_", train, MLP, seed, small_steps, small_lr)


# --- two learning rates ------------------------------------------------------------------


@probe("07.learning_rates")
def learning_rates(out, compare_learning_rates, *, lrs, steps):
    runs = compare_learning_rates(list(lrs), steps)
    out["type"] = type(runs).__name__
    out["is_dict"] = isinstance(runs, dict)
    if not isinstance(runs, dict):
        return
    out["keys"] = [plain(k) for k in runs]
    out["runs"] = [_sequence(runs[lr]) if lr in runs else None for lr in lrs]
