"""Checks of 07_training: the loss, zero_grad, update, train, and the learning-rate runs.

Training is checked by its trajectory: the learner's ``train`` runs on the notebook's
``MLP(3, [4, 4, 1])`` (built after ``random.seed(seed)``), the probe reports that
network's initial weights as numbers, and the judge compares the losses with a reference
loop from the same initial weights. The learner's functions only ever see the notebook's
own ``Value`` and ``MLP``; the reference only computes the numbers to compare with. When
they differ, the loop is replayed with each classic mistake (gradients never zeroed, a
step uphill, the mean instead of the sum, one example only, ...) to name the one that
matches.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

from autograd_helpers.checks._core import CheckFailed, check, close, expect, fail, number
from autograd_helpers.probes import training as _probes  # noqa: F401  (registers the probes)
from autograd_helpers.probes._lecture import SEED, XS, YS
from autograd_helpers.probes._values import is_number
from autograd_helpers.trainer import seeded
from solutions.engine import Value as RefValue
from solutions.nn import MLP as RefMLP

REL = 1e-6  # learners may add the squared errors in another order
N_PARAMETERS = 41  # of MLP(3, [4, 4, 1])


def fresh_network(initial: Sequence[float] | None = None) -> RefMLP:
    """The reference MLP(3, [4, 4, 1]) with the weights of random.seed(1337), or ``initial``."""
    with seeded(SEED):
        net = RefMLP(3, [4, 4, 1])
    if initial is not None:
        for p, x in zip(net.parameters(), initial):
            p.data = float(x)
    return net


def replay(
    steps: int,
    lr: float,
    *,
    zero: bool = True,
    direction: float = -1.0,
    examples: Sequence[int] = (0, 1, 2, 3),
    initial: Sequence[float] | None = None,
) -> list[float]:
    """The reference loop's losses (before each update), or one of its classic mistakes.

    ``zero=False`` never zeroes the gradients, ``direction=+1`` steps uphill,
    ``examples=(0,)`` trains on the first example only; ``initial`` are the starting
    weights (default: those of random.seed(1337)).
    """
    return reference_run(
        steps, lr, zero=zero, direction=direction, examples=examples, initial=initial
    )[0]


def reference_run(
    steps: int,
    lr: float,
    *,
    zero: bool = True,
    direction: float = -1.0,
    examples: Sequence[int] = (0, 1, 2, 3),
    initial: Sequence[float] | None = None,
) -> tuple[list[float], RefMLP]:
    """:func:`replay`'s losses and the trained network."""
    net = fresh_network(initial)
    params = net.parameters()
    losses = []
    for _ in range(steps):
        loss = sum(((net(XS[i]) - YS[i]) ** 2 for i in examples), RefValue(0.0))
        if zero:
            for p in params:
                p.grad = 0.0
        loss.backward()
        for p in params:
            p.data += direction * lr * p.grad
        losses.append(loss.data)
    return losses, net


def _same(a: Sequence[float], b: Sequence[float]) -> bool:
    return len(a) == len(b) and all(close(x, y, rel=REL, abs_tol=1e-9) for x, y in zip(a, b))


def _is_value(x: object) -> bool:
    """A Value as the probe reports one (``plain``'s marker)."""
    return isinstance(x, dict) and x.get("~") == "value"


def _floats(values: Sequence[Any]) -> list[float]:
    """Reported numbers as floats; TypeError for anything the probe showed as an object."""
    if any(isinstance(v, dict) for v in values):
        raise TypeError("not a number")
    return [float(v) for v in values]


def _list(values: Sequence[Any]) -> str:
    def one(v: object) -> str:
        try:
            return number(float(v))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return number(v)

    shown = ", ".join(one(v) for v in values[:4])
    return f"[{shown}{', ...' if len(values) > 4 else ''}]"


def _signs(rng: random.Random, n: int, low: float, high: float) -> list[float]:
    """``n`` numbers of magnitude in [low, high], either sign, two decimals (never 0)."""
    return [round(rng.uniform(low, high), 2) * rng.choice((-1, 1)) for _ in range(n)]


# --- the loss --------------------------------------------------------------------------

PRED = [0.5, -0.2, 0.9, 0.1]
GT = [1.0, -1.0, -1.0, 1.0]


def _predictions(rng: random.Random) -> list[dict]:
    """Predictions in (-1, 1) and targets ±1, where no classic mistake gives the right sum."""
    cases: list[dict] = []
    while len(cases) < 3:
        n = rng.randint(3, 6)
        pred = [round(rng.uniform(-0.95, 0.95), 2) for _ in range(n)]
        gt = [rng.choice((-1.0, 1.0)) for _ in range(n)]
        diffs = [p - g for p, g in zip(pred, gt)]
        want = sum(e * e for e in diffs)
        wrong = [
            want / n,
            *(e * e for e in diffs),
            sum(diffs),
            sum(map(abs, diffs)),
            sum(p * p - g * g for p, g in zip(pred, gt)),
        ]
        if all(abs(w - want) > 0.1 for w in wrong):
            cases.append({"pred": pred, "gt": gt})
    return cases


@check("07.loss", visible={"pred": PRED, "gt": GT}, hidden=_predictions)
def loss(d, pred, gt) -> str:
    errors = [(p - g) ** 2 for p, g in zip(pred, gt)]
    want = sum(errors)
    call = f"loss_fn({pred} as Values, {gt})"
    out = d["result"]
    expect(
        out is not None,
        "loss_fn returned None: return the sum of the squared errors",
    )
    if not _is_value(out):
        hint = (
            f" (it is {number(float(out))})" if is_number(out) and not isinstance(out, bool) else ""
        )
        fail(
            f"{call} returned a {d['type']}{hint}, expected a Value: build the loss "
            "from the Values with Value operations (no .data), so loss.backward() can reach "
            "the network's weights"
        )
    got = out.get("data")
    if not close(got, want, rel=REL):
        if close(got, want / len(pred), rel=REL):
            fail(
                f"{call} is {number(got)}, the mean of the squared errors; this course uses "
                f"their SUM, {number(want)}: do not divide by the number of examples"
            )
        if any(close(got, e, rel=REL) for e in errors):
            fail(
                f"{call} is {number(got)}, the squared error of one example only; expected "
                f"the sum over all {len(pred)} examples, {number(want)}: add up "
                "(y_pred - y_gt)**2 for every pair zip(ys_pred, ys_gt)"
            )
        diffs = [p - g for p, g in zip(pred, gt)]
        if close(got, sum(diffs), rel=REL) or close(got, sum(map(abs, diffs)), rel=REL):
            fail(
                f"{call} is {number(got)}: the errors are not squared; expected the sum of "
                f"(y_pred - y_gt)**2, {number(want)}"
            )
        if close(got, sum(p * p - g * g for p, g in zip(pred, gt)), rel=REL):
            fail(
                f"{call} is {number(got)}: the prediction and the target are squared "
                "separately, y_pred**2 - y_gt**2; square their difference, "
                f"(y_pred - y_gt)**2, then add up, expected {number(want)}"
            )
        fail(
            f"{call} is {number(got)}, expected the sum of squared errors {number(want)}: "
            "for each pair (y_pred, y_gt) in zip(ys_pred, ys_gt) square the difference, "
            "(y_pred - y_gt)**2, and add them all up with nothing else"
        )
    grads = d["grads"]
    for i, (grad, p, g) in enumerate(zip(grads, pred, gt)):
        expect(
            close(grad, 2 * (p - g), rel=REL),
            f"after loss.backward(), ys_pred[{i}].grad is {number(grad)}, expected "
            f"2·(y_pred - y_gt) = {number(2 * (p - g))}: every prediction must enter the "
            "loss through Value operations",
        )
    return (
        f"{call} = {number(want)}, the SUM of squared errors (not the mean), a Value whose "
        "backward gives each prediction 2·(y_pred - y_gt)"
    )


# --- zero_grad and update ------------------------------------------------------------------

DATA = [0.5, -0.3, 0.8, 0.1]
GRADS = [1.5, -2.0, 0.25, 3.0]


def _parameter_values(rng: random.Random) -> dict:
    """Data and gradients of a few parameters the grader draws, none of them 0."""
    n = rng.randint(3, 6)
    return {"data": _signs(rng, n, 0.1, 2.0), "grads": _signs(rng, n, 0.1, 4.0)}


def _parameters_drawn(rng: random.Random) -> list[dict]:
    return [_parameter_values(rng) for _ in range(3)]


@check("07.zero_grad", visible={"data": DATA, "grads": GRADS}, hidden=_parameters_drawn)
def zero_grads(d, data, grads) -> str:
    datas = d["data"]
    if all(x == 0 for x in datas):
        fail(
            "zero_grad set p.data to 0, which wipes out the weights: set each parameter's "
            "gradient, p.grad = 0.0, and leave p.data alone"
        )
    expect(
        datas == list(data),
        f"zero_grad changed the parameters' data to {_list(datas)}: only p.grad must change",
    )
    after = d["grads"]
    left = [i for i, g in enumerate(after) if g != 0]
    expect(
        not left,
        f"after zero_grad, the grads are {_list(after)}, expected all 0.0: set p.grad = 0.0 "
        "for every parameter in the list",
    )
    return (
        "zero_grad sets every parameter's grad to 0 and leaves its data alone "
        "(that train calls it before backward is checked with train)"
    )


def _replaced(replaced: object, call: str) -> None:
    """Fail when update put other objects in the list instead of changing the Values."""
    __tracebackhide__ = True
    if replaced:
        fail(
            f"{call} replaced the parameters in the list with new Value objects "
            "(parameters[i] = Value(...)) instead of updating them in place: the network "
            "keeps its own Values, which did not move. Change each one's data, "
            "p.data += -lr * p.grad"
        )


def _steps_drawn(rng: random.Random) -> list[dict]:
    """Parameters and two learning rates: lr far from 0.01 (a step written as a constant)."""
    return [
        {
            **_parameter_values(rng),
            "lr": round(rng.uniform(0.05, 0.5), 3),
            "small_lr": round(rng.uniform(0.001, 0.03), 3),
        }
        for _ in range(3)
    ]


@check(
    "07.update",
    visible={"data": DATA, "grads": GRADS, "lr": 0.1, "small_lr": 0.01},
    hidden=_steps_drawn,
)
def update(d, data, grads, lr, small_lr) -> str:
    before = list(data)
    _replaced(d["replaced"], f"update(params, lr={lr})")
    after = d["data"]
    expect(
        d["grads"] == list(grads),
        f"update changed the gradients to {_list(d['grads'])}: it should change p.data only",
    )
    moves = [a - b if is_number(a) else a for a, b in zip(after, before)]
    want = [-lr * g for g in grads]
    if all(m == 0 for m in moves):
        fail(
            f"update(params, lr={lr}) left every p.data as it was: change each parameter "
            "in place, p.data += -lr * p.grad (p = p - lr * p.grad only makes a new Value "
            "that the network never sees)"
        )
    if all(close(m, -w, rel=1e-9) for m, w in zip(moves, want)):
        fail(
            f"update(params, lr={lr}) moved p.data by {_list(moves)}: that is +lr·grad, a "
            "step uphill, which makes the loss grow; step against the gradient, "
            "p.data += -lr * p.grad"
        )
    if not all(close(m, w, rel=1e-9, abs_tol=1e-12) for m, w in zip(moves, want)):
        if all(is_number(m) for m in moves):
            ratios = {round(m / g, 9) for m, g in zip(moves, grads)}
            if len(ratios) == 1 and not close(ratios.pop(), -lr):
                fail(
                    f"update(params, lr={lr}) moved p.data by {_list(moves)}, expected "
                    f"-lr·grad = {_list(want)}: the learning rate lr is ignored or replaced; "
                    "use the lr given"
                )
        fail(
            f"update(params, lr={lr}) moved p.data by {_list(moves)}, expected -lr·grad = "
            f"{_list(want)}: p.data += -lr * p.grad for every parameter"
        )
    _replaced(d["small_replaced"], f"update(params, lr={small_lr})")
    moves = [a - b if is_number(a) else a for a, b in zip(d["small_data"], before)]
    expect(
        all(close(m, -small_lr * g, rel=1e-9) for m, g in zip(moves, grads)),
        f"update(params, lr={small_lr}) moved p.data by {_list(moves)}, expected "
        f"{_list([-small_lr * g for g in grads])}: the step must scale with lr",
    )
    return (
        f"update moves every p.data by -lr·p.grad (downhill) for lr {lr} and {small_lr}, and "
        "leaves the gradients alone"
    )


# --- train ---------------------------------------------------------------------------


def _initial(weights: object) -> list[float]:
    """The network's initial weights as the probe reported them, or a failure."""
    weights = weights if isinstance(weights, list) else []
    how = "run the import cell at the top (from solutions.nn import MLP) and do not redefine MLP"
    expect(
        len(weights) == N_PARAMETERS,
        f"this notebook's MLP(3, [4, 4, 1]) has {len(weights)} parameters, expected "
        f"{N_PARAMETERS}: {how}",
    )
    strange = [number(x) for x in weights if not is_number(x)] + [""]
    expect(
        len(strange) == 1,
        f"a parameter of this notebook's MLP(3, [4, 4, 1]) holds {strange[0]}, not a number: {how}",
    )
    return [float(x) for x in weights]


def _losses(returned: object, steps: int, lr: float) -> list[float]:
    """The losses a call of train returned (as the probe saw them), or a failure."""
    call = f"train(mlp, xs, ys, steps={steps}, lr={lr})"
    expect(
        returned is not None,
        f"{call} returned None: return the list of losses (one float per step)",
    )
    if not returned["iterable"]:  # type: ignore[index]
        fail(f"{call} returned {returned['repr']}, expected a list of {steps} losses")  # type: ignore[index]
    count, items = returned["count"], returned["items"]  # type: ignore[index]
    expect(
        count == steps,
        f"{call} returned {count} losses, expected {steps}: append one loss per step",
    )
    if any(_is_value(v) for v in items):
        fail(
            f"{call} returned a list of Values: append loss.data (a float), not the Value "
            "loss; a list of Values keeps every step's whole graph in memory"
        )
    try:
        values = _floats(items)
    except (TypeError, ValueError):
        values = None
    expect(values is not None, f"{call} returned {_list(items)}: expected floats (loss.data)")
    return values  # type: ignore[return-value]


def _unchanged(weights: object, initial: list[float]) -> bool:
    """True when the weights train left in its mlp (as reported) are its initial ones."""
    try:
        return _same(_floats(weights), initial)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def _other_network(d, key: str, steps: int, lr: float, initial: list[float]) -> str | None:
    """The message for a run that left the mlp it was given as it was while a network of the
    notebook (``n``) changed, else None: train works on that network, not its argument."""
    others = d.get(key + "others") or []
    if not others or not _unchanged(d.get(key + "final"), initial):
        return None
    got = _losses(d[key + "losses"], steps, lr)
    ref = replay(steps, lr, initial=initial)
    name = " and ".join(str(o) for o in others[:3])
    call = f"train(mlp, xs, ys, steps={steps}, lr={lr})"
    unchanged = f"{call}: the mlp passed to train ends with the weights it started with"
    changed = f"while the notebook's network {name} changed"
    if all(close(v, got[0], rel=1e-12) for v in got):
        return (
            f"{unchanged} and its loss stays at {number(got[0])} for all {steps} steps "
            f"(expected {_list(ref)}), {changed}: the update steps the notebook's network "
            f"{name}, not the argument mlp; inside train, update mlp.parameters()"
        )
    return (
        f"{unchanged}, {changed}; the losses are {_list(got)}, expected {_list(ref)} from "
        f"mlp's initial weights: train works on the notebook's network {name}, not the "
        "argument mlp; inside train use mlp for everything (the predictions, zero_grad and "
        "update)"
    )


def _still(call: str, got: list[float], ref: list[float], after: dict | None, initial) -> str:
    """The message for losses that never change: what the mlp's weights and gradients show."""
    stays = f"{call}: the loss stays at {number(got[0])} for all {len(got)} steps"
    after = after or {}
    if not _unchanged(after.get("final"), initial):
        return f"{stays}, expected it to fall as the reference's, {_list(ref)}"
    grads = after.get("grads")
    if isinstance(grads, list) and grads and all(g == 0 for g in grads):
        return (
            f"{stays}: the mlp's weights never change, and after train every p.grad of mlp "
            "is 0, so update had no gradient to step with: either the gradients are zeroed "
            "after loss.backward() (zeroing them between backward and update leaves nothing "
            "to step with; zero them before backward), or loss.backward() never runs"
        )
    return (
        f"{stays}: the mlp passed to train did not change (its weights after train are those "
        f"it started with, though loss.backward() left gradients in them). Expected the loss "
        f"to fall as the reference's, {_list(ref)}: update must move mlp's own parameters, "
        "p.data += -lr * p.grad"
    )


def _diagnose(
    got: list[float],
    steps: int,
    lr: float,
    initial: list[float],
    ignored: str | None = None,
    after: dict | None = None,
) -> str:
    """The message for a trajectory that differs from the reference's.

    ``ignored``: the message for an lr that makes no difference (:func:`_lr_ignored`), given
    when the other run of train gave these same losses. ``after``: the weights (``final``)
    and gradients (``grads``) the run left in its mlp, as the probe reported them.
    """
    ref = replay(steps, lr, initial=initial)
    call = f"train(mlp, xs, ys, steps={steps}, lr={lr})"
    if close(got[0], ref[0] / 4, rel=REL):
        return (
            f"{call}: losses[0] is {number(got[0])}, a quarter of the expected "
            f"{number(ref[0])}: the loss is averaged (the mean) over the 4 examples; "
            "this course trains on their SUM"
        )
    one = [replay(1, lr, examples=(i,), initial=initial)[0] for i in range(4)]
    if any(close(got[0], e, rel=REL) for e in one):
        return (
            f"{call}: losses[0] is {number(got[0])}, the loss of one example only; "
            f"expected {number(ref[0])}, summed over all 4: predict every x in xs and pass "
            "all the predictions to loss_fn"
        )
    if not close(got[0], ref[0], rel=REL):
        shifted = replay(steps + 1, lr, initial=initial)[1:]  # the losses after each update
        if _same(got, shifted):
            return (
                f"{call}: the losses are those after each update ({_list(got)}); record "
                f"loss.data measured before the update, so losses[0] is the loss of the "
                f"initial weights, {number(ref[0])}"
            )
        return (
            f"{call}: losses[0] is {number(got[0])}, expected {number(ref[0])}, the loss of "
            "the initial weights (sum of squared errors over the 4 examples), recorded "
            "before the first update"
        )
    if all(close(v, got[0], rel=1e-12) for v in got):
        return _still(call, got, ref, after, initial)
    if _same(got, replay(steps, lr, zero=False, initial=initial)):
        return (
            f"{call}: the losses {_list(got)} are those of gradients that are never zeroed "
            f"(expected {_list(ref)}): backward adds into p.grad, so zero the grads at "
            "every step, before loss.backward()"
        )
    if _same(got, replay(steps, lr, direction=+1.0, initial=initial)) or got[1] > got[0]:
        return (
            f"{call}: the loss goes up, {_list(got)}: the step goes uphill; move against "
            "the gradient, p.data += -lr * p.grad"
        )
    if ignored:
        return ignored
    k = next(i for i, (a, b) in enumerate(zip(got, ref)) if not close(a, b, rel=REL))
    return (
        f"{call}: losses[{k}] is {number(got[k])}, expected {number(ref[k])} (first "
        f"{k} match): each step should be forward on all 4 examples, loss_fn, zero the "
        "grads, backward, update with lr"
    )


def _after(d, key: str) -> dict:
    """What one run left in its mlp: weights (``final``) and gradients (``grads``)."""
    return {"final": d.get(key + "final"), "grads": d.get(key + "grads")}


def _lr_ignored(d, got: list[float], lr: float, small_steps: int, small_lr: float) -> str | None:
    """The message for a train whose run with the other lr gave the same losses, else None."""
    if "small_losses" not in d:  # the second run raised: nothing to compare
        return None
    try:
        small = _losses(d["small_losses"], small_steps, small_lr)
    except CheckFailed:
        return None
    if not _same(small, got[:small_steps]):
        return None
    return (
        f"train(mlp, xs, ys, steps={small_steps}, lr={small_lr}) gives the same "
        f"losses as lr={lr}: the lr argument is ignored; pass it on to update"
    )


def _training_run(rng: random.Random) -> list[dict]:
    """One short run from other initial weights (another seed) and other learning rates."""
    return [
        {
            "seed": rng.randrange(1, 10**6),
            "steps": 4,  # a step past the first two: gradients never zeroed show at losses[2]
            "lr": round(rng.uniform(0.02, 0.08), 3),
            "small_steps": 3,
            "small_lr": round(rng.uniform(0.004, 0.015), 3),
        }
    ]


@check(
    "07.train",
    visible={"seed": SEED, "steps": 12, "lr": 0.05, "small_steps": 6, "small_lr": 0.01},
    hidden=_training_run,
)
def train(d, seed, steps, lr, small_steps, small_lr) -> str:
    initial = _initial(d["initial"])
    got = _losses(d["losses"], steps, lr)
    ref, ref_net = reference_run(steps, lr, initial=initial)
    if not _same(got, ref):
        expect(not (other := _other_network(d, "", steps, lr, initial)), other or "")
        ignored = _lr_ignored(d, got, lr, small_steps, small_lr)
        fail(_diagnose(got, steps, lr, initial, ignored, _after(d, "")))
    moved = [
        (i, p, r.data)
        for i, (p, r) in enumerate(zip(d["final"], ref_net.parameters()))
        if not close(p, r.data, rel=REL, abs_tol=1e-9)
    ]
    expect(
        not moved,
        f"after train, parameter {moved[0][0] if moved else 0} of the network is "
        f"{number(moved[0][1]) if moved else ''}, expected {number(moved[0][2]) if moved else ''}:"
        " train must update the mlp it is given, in place",
    )
    small_initial = _initial(d["small_initial"])
    small = _losses(d["small_losses"], small_steps, small_lr)
    if not _same(small, replay(small_steps, small_lr, initial=small_initial)):
        ignored = _lr_ignored(d, got, lr, small_steps, small_lr)
        expect(not ignored, ignored or "")
        other = _other_network(d, "small_", small_steps, small_lr, small_initial)
        expect(not other, other or "")
        fail(_diagnose(small, small_steps, small_lr, small_initial, after=_after(d, "small_")))
    return (
        f"train(mlp, xs, ys, {steps}, lr={lr}) returns {steps} floats, the loss before each "
        f"update ({number(got[0])} → {number(got[-1])}), the same trajectory and final "
        f"weights as the reference from the same initial weights; lr={small_lr} too"
    )


# --- two learning rates ----------------------------------------------------------------


def _same_keys(keys: list, lrs: Sequence[float]) -> bool:
    """``set(keys) == set(lrs)``, for keys the probe may report as lists or dicts."""
    return all(k in lrs for k in keys) and all(lr in keys for lr in lrs)


def _rates_drawn(rng: random.Random) -> list[dict]:
    """One short comparison: a slow and a fast learning rate other than the notebook's."""
    slow = round(rng.uniform(0.002, 0.01), 4)
    fast = round(rng.uniform(0.03, 0.09), 3)
    return [{"lrs": [slow, fast], "steps": 3}]


def _different_starts(lrs: Sequence[float], steps: int, first: dict) -> str:
    """The message for two runs whose first losses differ: where each one started."""
    a, b = first[lrs[0]], first[lrs[1]]
    fresh = replay(1, lrs[0])[0]  # the loss of fresh_mlp()'s initial weights
    seen = (
        f"the two runs start from different losses ({number(a)} for lr {lrs[0]}, "
        f"{number(b)} for lr {lrs[1]})"
    )
    if close(a, fresh, rel=REL) and close(b, replay(steps + 1, lrs[0])[-1], rel=REL):
        return (
            f"{seen}: the second starts where the first one stopped, the same network "
            "trained on. Each learning rate must train a new network from fresh_mlp(), so "
            "both start from the same initial weights"
        )
    if not close(a, fresh, rel=REL) and not close(b, fresh, rel=REL):
        return (
            f"{seen}, and neither run starts at {number(fresh)}, the loss of fresh_mlp()'s "
            "initial weights: build each run's network with fresh_mlp(), whose seed fixes "
            "the initial weights, so both start from the same ones (MLP(3, [4, 4, 1]) alone "
            "draws new random weights every time)"
        )
    return (
        f"{seen}, expected both at {number(fresh)}, the loss of fresh_mlp()'s initial "
        "weights: each learning rate must train a new network from fresh_mlp(), so both "
        "start from the same initial weights"
    )


@check("07.learning_rates", visible={"lrs": [0.001, 0.1], "steps": 15}, hidden=_rates_drawn)
def learning_rates(d, lrs, steps) -> str:
    call = f"compare_learning_rates({lrs}, {steps})"
    expect(
        d["is_dict"],
        f"{call} returned {d['type']}, expected a dict {{lr: losses}}",
    )
    keys = d["keys"]
    expect(
        _same_keys(keys, lrs),
        f"{call} has the keys {keys}, expected the learning rates {lrs}: use each lr "
        "itself as the key, runs[lr] = the losses of its run",
    )
    losses = {}
    for lr, run in zip(lrs, d["runs"]):
        shown = run["repr"] if isinstance(run, dict) else "None"
        try:
            if run is None or not run["iterable"]:
                raise TypeError("not a list")
            losses[lr] = _floats(run["items"])
        except (TypeError, ValueError):
            fail(f"{call}[{lr}] is {shown}, expected the list of losses train returned")
        expect(
            run["count"] == steps,
            f"{call}[{lr}] has {run['count']} losses, expected {steps}: pass the "
            "argument steps on to train, train(net, xs, ys, steps, lr)",
        )
    first = {lr: losses[lr][0] for lr in lrs}
    if not close(first[lrs[0]], first[lrs[1]], rel=REL):
        fail(_different_starts(lrs, steps, first))
    for lr in lrs:
        ref = replay(steps, lr)
        expect(
            _same(losses[lr], ref),
            f"{call}[{lr}] is {_list(losses[lr])}, expected {_list(ref)}: train a "
            f"fresh_mlp() with train(net, xs, ys, steps, {lr})",
        )
    small, large = losses[lrs[0]], losses[lrs[1]]
    return (
        f"both runs start at loss {number(small[0])}; after {steps} steps lr {lrs[0]} is at "
        f"{number(small[-1])} and lr {lrs[1]} at {number(large[-1])}, as the reference"
    )
