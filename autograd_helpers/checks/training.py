"""Checks of 07_training: the loss, zero_grad, update, train, and the learning-rate runs.

Training is checked by its trajectory: the learner's ``train`` runs on the notebook's
``MLP(3, [4, 4, 1])`` holding the weights of the reference's ``random.seed(1337)``
network, and its losses are compared with a reference loop from the same initial
weights. The learner's functions only ever see the notebook's own ``Value`` and ``MLP``;
the reference only computes the numbers to compare with. When they differ, the loop is
replayed with each classic mistake (gradients never zeroed, a step uphill, the mean
instead of the sum, one example only, ...) to name the one that matches.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from typing import Any

from autograd_helpers.checks._core import check, close, expect, fail, number
from autograd_helpers.checks._lecture import SEED, XS, YS
from autograd_helpers.checks._values import is_value
from autograd_helpers.training import seeded
from solutions.engine import Value as RefValue
from solutions.nn import MLP as RefMLP

REL = 1e-6  # learners may add the squared errors in another order


def fresh_network() -> RefMLP:
    """The reference MLP(3, [4, 4, 1]) with the weights of random.seed(1337)."""
    with seeded(SEED):
        return RefMLP(3, [4, 4, 1])


def notebook_network(MLP: Callable) -> Any:
    """The notebook's own MLP(3, [4, 4, 1]) holding :func:`fresh_network`'s weights."""
    __tracebackhide__ = True
    with seeded(SEED):
        net = MLP(3, [4, 4, 1])
    params = list(net.parameters())
    expect(
        len(params) == 41,
        f"this notebook's MLP(3, [4, 4, 1]) has {len(params)} parameters, expected 41: run "
        "the import cell at the top (from solutions.nn import MLP) and do not redefine MLP",
    )
    for mine, ref in zip(params, fresh_network().parameters()):
        mine.data, mine.grad = ref.data, 0.0
    return net


def replay(
    steps: int,
    lr: float,
    *,
    zero: bool = True,
    direction: float = -1.0,
    examples: Sequence[int] = (0, 1, 2, 3),
) -> list[float]:
    """The reference loop's losses (before each update), or one of its classic mistakes.

    ``zero=False`` never zeroes the gradients, ``direction=+1`` steps uphill,
    ``examples=(0,)`` trains on the first example only.
    """
    return reference_run(steps, lr, zero=zero, direction=direction, examples=examples)[0]


def reference_run(
    steps: int,
    lr: float,
    *,
    zero: bool = True,
    direction: float = -1.0,
    examples: Sequence[int] = (0, 1, 2, 3),
) -> tuple[list[float], RefMLP]:
    """:func:`replay`'s losses and the trained network."""
    net = fresh_network()
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


def _floats(values: Sequence[Any]) -> list[float]:
    return [float(v) for v in values]


def _list(values: Sequence[float]) -> str:
    shown = ", ".join(number(float(v)) for v in values[:4])
    return f"[{shown}{', ...' if len(values) > 4 else ''}]"


# --- the loss --------------------------------------------------------------------------

PRED = [0.5, -0.2, 0.9, 0.1]
GT = [1.0, -1.0, -1.0, 1.0]


@check("07.loss", allow_reference=("Value",))
def loss(loss_fn, Value) -> str:
    ys_pred = [Value(p) for p in PRED]
    out = loss_fn(ys_pred, list(GT))
    errors = [(p - g) ** 2 for p, g in zip(PRED, GT)]
    want = sum(errors)
    call = f"loss_fn({PRED} as Values, {GT})"
    expect(
        out is not None,
        "loss_fn returned None: return the sum of the squared errors",
    )
    if not is_value(out):
        got = float(out) if isinstance(out, (int, float)) else out
        hint = f" (it is {number(got)})" if isinstance(got, float) else ""
        fail(
            f"{call} returned a {type(out).__name__}{hint}, expected a Value: build the loss "
            "from the Values with Value operations (no .data), so loss.backward() can reach "
            "the network's weights"
        )
    got = float(out.data)
    if not close(got, want, rel=REL):
        if close(got, want / len(PRED), rel=REL):
            fail(
                f"{call} is {number(got)}, the mean of the squared errors; this course uses "
                f"their SUM, {number(want)}: do not divide by the number of examples"
            )
        if any(close(got, e, rel=REL) for e in errors):
            fail(
                f"{call} is {number(got)}, the squared error of one example only; expected "
                f"the sum over all {len(PRED)} examples, {number(want)}: add up "
                "(y_pred - y_gt)**2 for every pair zip(ys_pred, ys_gt)"
            )
        diffs = [p - g for p, g in zip(PRED, GT)]
        if close(got, sum(diffs), rel=REL) or close(got, sum(map(abs, diffs)), rel=REL):
            fail(
                f"{call} is {number(got)}: the errors are not squared; expected the sum of "
                f"(y_pred - y_gt)**2, {number(want)}"
            )
        if close(got, sum(p * p - g * g for p, g in zip(PRED, GT)), rel=REL):
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
    out.backward()
    for i, (v, p, g) in enumerate(zip(ys_pred, PRED, GT)):
        expect(
            close(v.grad, 2 * (p - g), rel=REL),
            f"after loss.backward(), ys_pred[{i}].grad is {number(v.grad)}, expected "
            f"2·(y_pred - y_gt) = {number(2 * (p - g))}: every prediction must enter the "
            "loss through Value operations",
        )
    return (
        f"{call} = {number(want)}, the SUM of squared errors (not the mean), a Value whose "
        "backward gives each prediction 2·(y_pred - y_gt)"
    )


# --- zero_grad and update ------------------------------------------------------------------


def _parameters(Value: Callable, grads: Sequence[float]) -> list:
    params = [Value(d) for d in (0.5, -0.3, 0.8, 0.1)]
    for p, g in zip(params, grads):
        p.grad = g
    return params


@check("07.zero_grad", allow_reference=("Value",))
def zero_grads(zero_grad, Value) -> str:
    params = _parameters(Value, [1.5, -2.0, 0.25, 3.0])
    zero_grad(params)
    datas = [p.data for p in params]
    if all(p.data == 0 for p in params):
        fail(
            "zero_grad set p.data to 0, which wipes out the weights: set each parameter's "
            "gradient, p.grad = 0.0, and leave p.data alone"
        )
    expect(
        datas == [0.5, -0.3, 0.8, 0.1],
        f"zero_grad changed the parameters' data to {_list(datas)}: only p.grad must change",
    )
    grads = [p.grad for p in params]
    left = [i for i, g in enumerate(grads) if g != 0]
    expect(
        not left,
        f"after zero_grad, the grads are {_list(grads)}, expected all 0.0: set p.grad = 0.0 "
        "for every parameter in the list",
    )
    return (
        "zero_grad sets every parameter's grad to 0 and leaves its data alone "
        "(not checked yet: that train calls it before backward)"
    )


def _replaced(params: list, originals: list, call: str) -> None:
    """Fail when update put other objects in the list instead of changing the Values."""
    __tracebackhide__ = True
    if len(params) != len(originals) or any(p is not q for p, q in zip(params, originals)):
        fail(
            f"{call} replaced the parameters in the list with new Value objects "
            "(parameters[i] = Value(...)) instead of updating them in place: the network "
            "keeps its own Values, which did not move. Change each one's data, "
            "p.data += -lr * p.grad"
        )


@check("07.update", allow_reference=("Value",))
def update(update, Value) -> str:
    grads = [1.5, -2.0, 0.25, 3.0]
    params = _parameters(Value, grads)
    originals = list(params)
    before = [p.data for p in params]
    update(params, 0.1)
    _replaced(params, originals, "update(params, lr=0.1)")
    after = [p.data for p in params]
    expect(
        [p.grad for p in params] == grads,
        f"update changed the gradients to {_list([p.grad for p in params])}: "
        "it should change p.data only",
    )
    moves = [a - b for a, b in zip(after, before)]
    want = [-0.1 * g for g in grads]
    if all(m == 0 for m in moves):
        fail(
            "update(params, lr=0.1) left every p.data as it was: change each parameter "
            "in place, p.data += -lr * p.grad (p = p - lr * p.grad only makes a new Value "
            "that the network never sees)"
        )
    if all(close(m, -w, rel=1e-9) for m, w in zip(moves, want)):
        fail(
            f"update(params, lr=0.1) moved p.data by {_list(moves)}: that is +lr·grad, a step "
            "uphill, which makes the loss grow; step against the gradient, "
            "p.data += -lr * p.grad"
        )
    if not all(close(m, w, rel=1e-9, abs_tol=1e-12) for m, w in zip(moves, want)):
        ratios = {round(m / g, 9) for m, g in zip(moves, grads)}
        if len(ratios) == 1 and not close(ratios.pop(), -0.1):
            fail(
                f"update(params, lr=0.1) moved p.data by {_list(moves)}, expected -lr·grad = "
                f"{_list(want)}: the learning rate lr is ignored or replaced; use the lr given"
            )
        fail(
            f"update(params, lr=0.1) moved p.data by {_list(moves)}, expected -lr·grad = "
            f"{_list(want)}: p.data += -lr * p.grad for every parameter"
        )
    params = _parameters(Value, grads)
    originals = list(params)
    update(params, 0.01)
    _replaced(params, originals, "update(params, lr=0.01)")
    moves = [p.data - b for p, b in zip(params, before)]
    expect(
        all(close(m, -0.01 * g, rel=1e-9) for m, g in zip(moves, grads)),
        f"update(params, lr=0.01) moved p.data by {_list(moves)}, expected "
        f"{_list([-0.01 * g for g in grads])}: the step must scale with lr",
    )
    return (
        "update moves every p.data by -lr·p.grad (downhill) for lr 0.1 and 0.01, and leaves "
        "the gradients alone"
    )


# --- train ---------------------------------------------------------------------------


def _call_train(train: Callable, MLP: Callable, steps: int, lr: float) -> tuple[list[float], Any]:
    """Run the learner's train on the notebook's network; return (losses, network)."""
    net = notebook_network(MLP)
    takes_progress = "progress" in inspect.signature(train).parameters
    kwargs = {"progress": False} if takes_progress else {}
    losses = train(net, [list(x) for x in XS], list(YS), steps, lr, **kwargs)
    call = f"train(mlp, xs, ys, steps={steps}, lr={lr})"
    expect(
        losses is not None,
        f"{call} returned None: return the list of losses (one float per step)",
    )
    try:
        losses = list(losses)
    except TypeError:
        fail(f"{call} returned {losses!r}, expected a list of {steps} losses")
    expect(
        len(losses) == steps,
        f"{call} returned {len(losses)} losses, expected {steps}: append one loss per step",
    )
    if any(is_value(v) for v in losses):
        fail(
            f"{call} returned a list of Values: append loss.data (a float), not the Value "
            "loss; a list of Values keeps every step's whole graph in memory"
        )
    try:
        return _floats(losses), net
    except (TypeError, ValueError):
        fail(f"{call} returned {_list(losses)}: expected floats (loss.data)")


def _diagnose(got: list[float], steps: int, lr: float) -> str:
    """The message for a trajectory that differs from the reference's."""
    ref = replay(steps, lr)
    call = f"train(mlp, xs, ys, steps={steps}, lr={lr})"
    if close(got[0], ref[0] / 4, rel=REL):
        return (
            f"{call}: losses[0] is {number(got[0])}, a quarter of the expected "
            f"{number(ref[0])}: the loss is averaged (the mean) over the 4 examples; "
            "this course trains on their SUM"
        )
    one = [replay(1, lr, examples=(i,))[0] for i in range(4)]
    if any(close(got[0], e, rel=REL) for e in one):
        return (
            f"{call}: losses[0] is {number(got[0])}, the loss of one example only; "
            f"expected {number(ref[0])}, summed over all 4: predict every x in xs and pass "
            "all the predictions to loss_fn"
        )
    if not close(got[0], ref[0], rel=REL):
        after = replay(steps + 1, lr)[1:]
        if _same(got, after):
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
        return (
            f"{call}: the loss stays at {number(got[0])} for all {steps} steps: the "
            "parameters never change. Call update after backward, and zero the grads "
            "before backward (zeroing them between backward and update leaves nothing to "
            "step with)"
        )
    if _same(got, replay(steps, lr, zero=False)):
        return (
            f"{call}: the losses {_list(got)} are those of gradients that are never zeroed "
            f"(expected {_list(ref)}): backward adds into p.grad, so zero the grads at "
            "every step, before loss.backward()"
        )
    if _same(got, replay(steps, lr, direction=+1.0)) or got[1] > got[0]:
        return (
            f"{call}: the loss goes up, {_list(got)}: the step goes uphill; move against "
            "the gradient, p.data += -lr * p.grad"
        )
    k = next(i for i, (a, b) in enumerate(zip(got, ref)) if not close(a, b, rel=REL))
    return (
        f"{call}: losses[{k}] is {number(got[k])}, expected {number(ref[k])} (first "
        f"{k} match): each step should be forward on all 4 examples, loss_fn, zero the "
        "grads, backward, update with lr"
    )


@check("07.train", allow_reference=("MLP",))
def train(train, MLP) -> str:
    steps, lr = 12, 0.05
    got, net = _call_train(train, MLP, steps, lr)
    ref, ref_net = reference_run(steps, lr)
    if not _same(got, ref):
        fail(_diagnose(got, steps, lr))
    moved = [
        (i, p.data, r.data)
        for i, (p, r) in enumerate(zip(net.parameters(), ref_net.parameters()))
        if not close(p.data, r.data, rel=REL, abs_tol=1e-9)
    ]
    expect(
        not moved,
        f"after train, parameter {moved[0][0] if moved else 0} of the network is "
        f"{number(moved[0][1]) if moved else ''}, expected {number(moved[0][2]) if moved else ''}:"
        " train must update the mlp it is given, in place",
    )
    small, _ = _call_train(train, MLP, 6, 0.01)
    if not _same(small, replay(6, 0.01)):
        if _same(small, got[:6]):
            fail(
                "train(mlp, xs, ys, steps=6, lr=0.01) gives the same losses as lr=0.05: the "
                "lr argument is ignored; pass it on to update"
            )
        fail(_diagnose(small, 6, 0.01))
    return (
        f"train(mlp, xs, ys, {steps}, lr={lr}) returns {steps} floats, the loss before each "
        f"update ({number(got[0])} → {number(got[-1])}), the same trajectory and final "
        "weights as the reference from the same initial weights; lr=0.01 too"
    )


# --- two learning rates ----------------------------------------------------------------


@check("07.learning_rates")
def learning_rates(compare_learning_rates) -> str:
    lrs, steps = [0.001, 0.1], 15
    runs = compare_learning_rates(list(lrs), steps)
    call = f"compare_learning_rates({lrs}, {steps})"
    expect(
        isinstance(runs, dict),
        f"{call} returned {type(runs).__name__}, expected a dict {{lr: losses}}",
    )
    expect(
        set(runs) == set(lrs),
        f"{call} has the keys {list(runs)}, expected the learning rates {lrs}: use each lr "
        "itself as the key, runs[lr] = the losses of its run",
    )
    losses = {}
    for lr in lrs:
        try:
            losses[lr] = _floats(runs[lr])
        except (TypeError, ValueError):
            fail(f"{call}[{lr}] is {runs[lr]!r}, expected the list of losses train returned")
        expect(
            len(losses[lr]) == steps,
            f"{call}[{lr}] has {len(losses[lr])} losses, expected {steps}: pass the "
            "argument steps on to train, train(net, xs, ys, steps, lr)",
        )
    first = {lr: losses[lr][0] for lr in lrs}
    if not close(first[lrs[0]], first[lrs[1]], rel=REL):
        fail(
            f"the two runs start from different losses ({number(first[lrs[0]])} for lr "
            f"{lrs[0]}, {number(first[lrs[1]])} for lr {lrs[1]}): each learning rate must "
            "train a new network from fresh_mlp(), so both start from the same initial "
            "weights; otherwise the second run goes on from where the first one stopped"
        )
    for lr in lrs:
        ref = replay(steps, lr)
        expect(
            _same(losses[lr], ref),
            f"{call}[{lr}] is {_list(losses[lr])}, expected {_list(ref)}: train a "
            f"fresh_mlp() with train(net, xs, ys, steps, {lr})",
        )
    small, large = losses[lrs[0]], losses[lrs[1]]
    return (
        f"both runs start at loss {number(small[0])}; after {steps} steps lr 0.001 is at "
        f"{number(small[-1])} and lr 0.1 at {number(large[-1])}, as the reference"
    )
