"""Checks of 08_bonus_moons: micrograd's moons demo as exercises.

The network, the max-margin loss, the accuracy, one training step, the training loop
with its decaying learning rate, and the trained model. Expected numbers come from
formulas written out here (the loss and its gradients) or from a reference loop on the
reference ``MLP`` started from the same seed; a learner's result that differs is
compared with each classic mistake to name the one that matches. The learner's
functions only ever see the notebook's own ``Value`` and ``MLP`` (with the reference's
initial weights copied in); the reference only computes the numbers to compare with.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from typing import Any

from autograd_helpers.checks._core import check, close, expect, fail, number
from autograd_helpers.checks._values import is_value
from autograd_helpers.data import make_moons
from autograd_helpers.training import seeded
from solutions.engine import Value as RefValue
from solutions.nn import MLP as RefMLP

SEED = 1337  # the notebook's data and initial weights
ALPHA = 1e-4  # the L2 strength of micrograd's demo
REL = 1e-9  # learners may add the terms in another order


def _list(values: Sequence[float]) -> str:
    """The first five numbers of a list, as the learner's own repr shows them."""
    shown = ", ".join(number(float(v)) for v in values[:5])
    return f"[{shown}{', ...' if len(values) > 5 else ''}]"


def _score(out: object) -> Any:
    """A model's output for one point: the Value itself when it comes in a one-item list."""
    if isinstance(out, (list, tuple)) and len(out) == 1:
        return out[0]
    return out


# --- 1. the network ---------------------------------------------------------------------

SHAPES = [(2, [16, 16, 1]), (3, [4, 4, 1]), (5, [3]), (1, [1]), (4, [7, 2]), (2, [3, 5, 4, 1])]


def mlp_parameters(nin: int, nouts: Sequence[int]) -> int:
    """len(MLP(nin, nouts).parameters()), counted on the reference MLP itself."""
    with seeded(0):
        return len(RefMLP(nin, list(nouts)).parameters())


def _count_mistakes(nin: int, nouts: Sequence[int]) -> dict[str, int]:
    sizes = [nin, *nouts]
    pairs = list(zip(sizes, sizes[1:]))
    return {
        "the biases are missing: each neuron has one weight per input AND one bias, "
        "(inputs + 1) · neurons per layer": sum(i * o for i, o in pairs),
        "every layer is counted with nin inputs: the inputs of a layer are the outputs of "
        "the layer before it": sum((nin + 1) * o for o in nouts),
        "only the neurons are counted: each has (inputs + 1) parameters": sum(nouts),
        "the input layer is counted as a layer of neurons: the inputs have no weights; "
        "MLP(nin, nouts) has len(nouts) layers": sum((i + 1) * o for i, o in pairs) + nin,
    }


@check("08.parameters")
def parameters(count_parameters) -> str:
    for nin, nouts in SHAPES:
        call = f"count_parameters({nin}, {nouts})"
        got = count_parameters(nin, list(nouts))
        want = mlp_parameters(nin, nouts)
        expect(got is not None, f"{call} returned None: return the number of parameters")
        if got == want:
            continue
        for why, value in _count_mistakes(nin, nouts).items():
            if got == value:
                fail(f"{call} is {got}, but MLP({nin}, {nouts}) has {want} parameters: {why}")
        fail(
            f"{call} is {got!r}, but MLP({nin}, {nouts}) has {want} parameters: add up "
            "(inputs + 1) · neurons over the layers, with the inputs of each layer the size "
            "of the one before"
        )
    return (
        f"count_parameters agrees with len(MLP(nin, nouts).parameters()) for {len(SHAPES)} "
        "shapes: 337 for MLP(2, [16, 16, 1]), 41 for MLP(3, [4, 4, 1])"
    )


# --- 2. the max-margin loss ------------------------------------------------------------

SCORES = [0.5, -1.5, 2.0, 0.2, -0.3, 0.9]
LABELS = [1, -1, -1, 1, 1, -1]
PARAMS = [0.5, -2.0, 3.0, 1.5]


def hinge_terms(scores: Sequence[float], labels: Sequence[float], sign: float = -1.0) -> list:
    """relu(1 - y·score) for each example (``sign=+1``: the mistake relu(1 + y·score))."""
    return [max(0.0, 1.0 + sign * y * s) for s, y in zip(scores, labels)]


def expected_loss(
    scores: Sequence[float], labels: Sequence[float], params: Sequence[float], alpha: float
) -> float:
    """mean over examples of relu(1 - y·score), plus alpha · sum of p²."""
    return sum(hinge_terms(scores, labels)) / len(scores) + alpha * sum(p * p for p in params)


def _loss_mistakes(alpha: float) -> dict[str, float]:
    n = len(SCORES)
    hinge = hinge_terms(SCORES, LABELS)
    l2 = alpha * sum(p * p for p in PARAMS)
    margins = [1.0 - y * s for s, y in zip(SCORES, LABELS)]
    return {
        "the relu is missing: mean of (1 - y·score) lets an example that is right by a wide "
        "margin make the loss negative; use relu(1 - y·score), so that it counts 0": (
            sum(margins) / n + l2
        ),
        "the examples' terms are summed, not averaged: divide the sum of relu(1 - y·score) "
        "by the number of examples (the mean)": sum(hinge) + l2,
        "the L2 term is missing: add alpha · sum(p * p for p in parameters)": sum(hinge) / n,
        "the sign of y·score is wrong: relu(1 + y·score) punishes the right answers; the "
        "margin is y·score, so use relu(1 - y·score)": (
            sum(hinge_terms(SCORES, LABELS, sign=+1.0)) / n + l2
        ),
        "the L2 term has no alpha: multiply sum(p * p) by alpha": (
            sum(hinge) / n + sum(p * p for p in PARAMS)
        ),
        "the L2 term is alpha · sum(p), not the sum of squares: use alpha · sum(p * p)": (
            sum(hinge) / n + alpha * sum(PARAMS)
        ),
        "the L2 term is averaged over the parameters: use alpha · sum(p * p), a sum": (
            sum(hinge) / n + alpha * sum(p * p for p in PARAMS) / len(PARAMS)
        ),
        "the L2 term is added once per example, then summed: add it once, after the mean": (
            sum(h + l2 for h in hinge)
        ),
    }


def _call_loss(
    loss_fn: Callable, Value: Callable, alpha: float | None
) -> tuple[Any, list, list, str]:
    scores = [Value(s) for s in SCORES]
    params = [Value(p) for p in PARAMS]
    call = f"loss_fn(scores={SCORES}, ys={LABELS}, parameters={PARAMS}"
    if alpha is None:
        out = loss_fn(scores, list(LABELS), params)
        call += ")"
    else:
        out = loss_fn(scores, list(LABELS), params, alpha=alpha)
        call += f", alpha={alpha})"
    expect(out is not None, f"{call} returned None: return the total loss, a Value")
    if not is_value(out):
        fail(
            f"{call} returned a {type(out).__name__} ({out!r}), expected a Value: build the "
            "loss from the scores and parameters with Value operations (no .data), so that "
            "backward() reaches every weight"
        )
    return out, scores, params, call


@check("08.loss", allow_reference=("Value",))
def loss(loss_fn, Value) -> str:
    for alpha in (0.01, None):
        out, scores, params, call = _call_loss(loss_fn, Value, alpha)
        a = ALPHA if alpha is None else alpha
        got, want = float(out.data), expected_loss(SCORES, LABELS, PARAMS, a)
        if not close(got, want, rel=REL):
            if alpha is None and close(got, expected_loss(SCORES, LABELS, PARAMS, 0.01), REL):
                fail(
                    f"{call} is {number(got)}, the loss with alpha = 0.01 from the call "
                    f"before: the default must be alpha=1e-4 ({number(want)})"
                )
            if alpha is not None and close(got, expected_loss(SCORES, LABELS, PARAMS, ALPHA)):
                fail(
                    f"{call} is {number(got)}, the loss with alpha = 1e-4: the alpha "
                    f"argument is ignored; use it in the L2 term (expected {number(want)})"
                )
            for why, value in _loss_mistakes(a).items():
                if close(got, value, rel=REL):
                    fail(f"{call} is {number(got)}, expected {number(want)}: {why}")
            fail(
                f"{call} is {number(got)}, expected {number(want)}: the mean over examples "
                "of relu(1 - y·score), plus alpha · sum(p * p for p in parameters)"
            )
        out.backward()
        n = len(SCORES)
        expect(
            any(v.grad != 0 for v in scores),
            f"after {call}.backward(), every score's grad is 0: the margin terms are "
            "computed from score.data (plain numbers), so the gradient cannot reach the "
            "scores. Use Value operations: (1 - y * score).relu()",
        )
        for i, (v, s, y) in enumerate(zip(scores, SCORES, LABELS)):
            want_grad = -y / n if 1.0 - y * s > 0 else 0.0
            expect(
                close(v.grad, want_grad, rel=REL, abs_tol=1e-12),
                f"after {call}.backward(), scores[{i}].grad is {number(v.grad)}, expected "
                f"{number(want_grad)} (-y/n where the margin term is positive, else 0): "
                "every score must enter the loss through Value operations",
            )
        for i, (v, p) in enumerate(zip(params, PARAMS)):
            expect(
                close(v.grad, 2 * a * p, rel=REL, abs_tol=1e-15),
                f"after {call}.backward(), parameters[{i}].grad is {number(v.grad)}, "
                f"expected 2·alpha·p = {number(2 * a * p)}: the L2 term must be built from "
                "the parameter Values themselves",
            )
    return (
        f"loss_fn = mean of relu(1 - y·score) + alpha·sum(p²) on {len(SCORES)} scores: "
        f"{number(expected_loss(SCORES, LABELS, PARAMS, ALPHA))} with the default alpha=1e-4 "
        "and right with alpha=0.01, gradients of scores and parameters included"
    )


# --- 3. accuracy -----------------------------------------------------------------------

# scores of exactly 0: once with label +1 (wrong: 0 counts as -1), twice with label -1 (right)
ACC_SCORES = [0.5, -1.5, 2.0, 0.0, -0.3, 0.7, -0.8, 1.2, -0.6, 0.0, 0.0, 0.4]
ACC_LABELS = [1, -1, -1, 1, -1, 1, 1, -1, -1, -1, -1, 1]
ACC_TOL = 1e-6  # fractions k/12 are 0.08 apart; float32 results are fine


def expected_accuracy(scores: Sequence[float], labels: Sequence[float]) -> float:
    """The fraction of examples with (label > 0) == (score > 0)."""
    return sum((y > 0) == (s > 0) for s, y in zip(scores, labels)) / len(scores)


@check("08.accuracy", allow_reference=("Value",))
def accuracy(accuracy, Value) -> str:
    scores = [Value(s) for s in ACC_SCORES]
    call = f"accuracy(scores={ACC_SCORES}, ys={ACC_LABELS})"
    got = accuracy(scores, list(ACC_LABELS))
    want = expected_accuracy(ACC_SCORES, ACC_LABELS)
    n = len(ACC_SCORES)
    right = round(want * n)
    expect(got is not None, f"{call} returned None: return the fraction of right answers")
    if is_value(got):
        fail(f"{call} returned a Value: the accuracy is a plain number, a float; use .data")
    try:
        got = float(got)
    except (TypeError, ValueError):
        fail(f"{call} returned {got!r}, expected a float between 0 and 1")
    if close(got, want, rel=ACC_TOL):
        return (
            f"{call} = {number(want)}: {right} of {n} have the sign of their label, a score "
            "of exactly 0 counts as -1, and the result is a fraction"
        )
    if close(got, right, rel=ACC_TOL):
        fail(
            f"{call} is {number(got)}, the number of right answers: divide by the number of "
            f"examples, {right}/{n} = {number(want)}"
        )
    if close(got, 100 * want, rel=ACC_TOL):
        fail(f"{call} is {number(got)}, a percentage: return the fraction, {number(want)}")
    with_ge = sum((y > 0) == (s >= 0) for s, y in zip(ACC_SCORES, ACC_LABELS)) / n
    if close(got, with_ge, rel=ACC_TOL):
        fail(
            f"{call} is {number(got)}, expected {number(want)}: a score of exactly 0 is "
            "counted as +1. The model says +1 only when score > 0 (not >= 0)"
        )
    by_margin = sum(y * s > 0 for s, y in zip(ACC_SCORES, ACC_LABELS)) / n
    if close(got, by_margin, rel=ACC_TOL):
        fail(
            f"{call} is {number(got)}, expected {number(want)}: a score of exactly 0 with "
            "label -1 is counted as wrong, as if 0 meant +1 (y * score > 0 is False at 0). "
            "The model says -1 whenever score <= 0: compare the signs, "
            "(y > 0) == (score.data > 0)"
        )
    flipped = sum((y > 0) == (s < 0) for s, y in zip(ACC_SCORES, ACC_LABELS)) / n
    raw = sum(y == (s > 0) for s, y in zip(ACC_SCORES, ACC_LABELS)) / n
    if close(got, flipped, rel=ACC_TOL) or close(got, 1 - want, rel=ACC_TOL):
        fail(
            f"{call} is {number(got)}, expected {number(want)}: right and wrong are swapped; "
            "an answer is right when (y > 0) == (score > 0)"
        )
    if close(got, raw, rel=ACC_TOL):
        fail(
            f"{call} is {number(got)}, expected {number(want)}: a label -1 is compared with "
            "a True/False, and -1 == False is never true. Compare two booleans: "
            "(y > 0) == (score.data > 0)"
        )
    fail(
        f"{call} is {number(got)}, expected {number(want)} ({right} of {n} right): count "
        "the examples with (y > 0) == (score.data > 0) and divide by their number"
    )


# --- 4. one training step --------------------------------------------------------------

SMALL_X, SMALL_Y = make_moons(20, 0.1, seed=SEED)


def small_model(seed: int = 5) -> RefMLP:
    """A smaller network of the same kind, quick enough for a check: MLP(2, [4, 4, 1])."""
    with seeded(seed):
        return RefMLP(2, [4, 4, 1], activation="relu", last_activation="linear")


def notebook_model(MLP: Callable, seed: int = 5) -> Any:
    """The notebook's own MLP(2, [4, 4, 1]) holding :func:`small_model`'s weights."""
    __tracebackhide__ = True
    try:
        with seeded(seed):
            net = MLP(2, [4, 4, 1], activation="relu", last_activation="linear")
    except TypeError:
        fail(
            "this notebook's MLP does not take activation=... and last_activation=...: run "
            "the import cell at the top (from solutions.nn import MLP) and do not redefine MLP"
        )
    params = list(net.parameters())
    ref = small_model(seed).parameters()
    expect(
        len(params) == len(ref),
        f"this notebook's MLP(2, [4, 4, 1]) has {len(params)} parameters, expected "
        f"{len(ref)}: run the import cell at the top (from solutions.nn import MLP)",
    )
    for mine, theirs in zip(params, ref):
        mine.data, mine.grad = theirs.data, 0.0
    return net


def reference_step(
    net: RefMLP,
    X: Sequence[Sequence[float]],
    y: Sequence[float],
    lr: float,
    *,
    zero: bool = True,
    direction: float = -1.0,
) -> tuple[float, float]:
    """One step of the notebook's ``train_step`` (or a classic mistake of it)."""
    scores = [net(list(x)) for x in X]
    params = net.parameters()
    n = len(scores)
    data_loss = sum(((1 - yi * s).relu() for yi, s in zip(y, scores)), RefValue(0.0)) * (1.0 / n)
    total = data_loss + ALPHA * sum((p * p for p in params), RefValue(0.0))
    acc = expected_accuracy([s.data for s in scores], y)
    if zero:
        net.zero_grad()
    total.backward()
    for p in params:
        p.data += direction * lr * p.grad
    return total.data, acc


def _step_result(result: object, call: str) -> tuple[float, float]:
    expect(
        result is not None,
        f"{call} returned None: return (loss, accuracy), the loss as a float (loss.data)",
    )
    try:
        loss_value, acc = result
    except (TypeError, ValueError):
        fail(f"{call} returned {result!r}, expected a pair (loss, accuracy)")
    if is_value(loss_value):
        fail(
            f"{call} returned the loss as a Value: return loss.data, a float (a Value keeps "
            "the whole graph of the step alive)"
        )
    try:
        return float(loss_value), float(acc)
    except (TypeError, ValueError):
        fail(f"{call} returned {result!r}, expected two numbers (loss, accuracy)")


def _same_params(a: Any, b: Any) -> bool:
    return all(
        close(p.data, q.data, rel=1e-9, abs_tol=1e-12)
        for p, q in zip(a.parameters(), b.parameters())
    )


@check("08.train_step", allow_reference=("MLP",))
def train_step(train_step, MLP) -> str:
    net, ref = notebook_model(MLP), small_model()
    before = [p.data for p in net.parameters()]
    call = "train_step(model, X, y, lr=0.5)"
    got = _step_result(train_step(net, [list(x) for x in SMALL_X], list(SMALL_Y), 0.5), call)
    want = reference_step(ref, SMALL_X, SMALL_Y, 0.5)
    where = f"(on a MLP(2, [4, 4, 1]) and {len(SMALL_X)} points)"
    if not close(got[0], want[0], rel=1e-7):
        after = small_model()
        reference_step(after, SMALL_X, SMALL_Y, 0.5)
        loss_after, _ = reference_step(after, SMALL_X, SMALL_Y, 0.0)
        if close(got[0], loss_after, rel=1e-7):
            fail(
                f"{call} returned the loss {number(got[0])} measured after the update {where}; "
                f"return the loss of the forward pass, before the update: {number(want[0])}"
            )
        fail(
            f"{call} returned the loss {number(got[0])}, expected {number(want[0])} {where}: "
            "forward on every point, then loss_fn(scores, y, model.parameters())"
        )
    expect(
        close(got[1], want[1]),
        f"{call} returned the accuracy {number(got[1])}, expected {number(want[1])} {where}: "
        "accuracy(scores, y) of the scores of this step's forward pass",
    )
    if [p.data for p in net.parameters()] == before:
        fail(
            f"after {call} the model's parameters have not changed: call backward() and move "
            "every parameter of the model you are given, p.data += -lr * p.grad"
        )
    if not _same_params(net, ref):
        uphill = small_model()
        reference_step(uphill, SMALL_X, SMALL_Y, 0.5, direction=+1.0)
        if _same_params(net, uphill):
            fail(
                f"after {call} the parameters moved uphill (+lr·grad), which makes the loss "
                "grow: p.data += -lr * p.grad"
            )
        for lr in (1.0, 0.1, 0.05, 0.01):
            other = small_model()
            reference_step(other, SMALL_X, SMALL_Y, lr)
            if _same_params(net, other):
                fail(
                    f"{call} moved the parameters as lr = {lr} would: the lr argument is "
                    "ignored; use the lr given, p.data += -lr * p.grad"
                )
        fail(
            f"after {call} the parameters differ from the reference step's: zero the grads, "
            "loss.backward(), then p.data += -lr * p.grad for every parameter"
        )
    call2 = "a second train_step(model, X, y, lr=0.3)"
    _step_result(train_step(net, [list(x) for x in SMALL_X], list(SMALL_Y), 0.3), call2)
    reference_step(ref, SMALL_X, SMALL_Y, 0.3)
    if not _same_params(net, ref):
        stale = small_model()
        reference_step(stale, SMALL_X, SMALL_Y, 0.5, zero=False)
        reference_step(stale, SMALL_X, SMALL_Y, 0.3, zero=False)
        if _same_params(net, stale):
            fail(
                f"after {call2}, the parameters moved by the gradients of both steps added "
                "up: the gradients are never zeroed. Set every p.grad = 0 (model.zero_grad()) "
                "before loss.backward()"
            )
        fail(
            f"after {call2} the parameters differ from the reference's (the first step was "
            "right): zero the grads before backward, at every step"
        )
    return (
        f"train_step returns (loss before the update, accuracy) = ({number(got[0])}, "
        f"{number(got[1])}) and moves every parameter by -lr·grad, two steps in a row, as "
        f"the reference does {where}"
    )


# --- 5. the training loop ---------------------------------------------------------------


def learning_rate(k: int, steps: int) -> float:
    """micrograd's decay: 1.0 at the first step, down to about 0.1 at the last."""
    return 1.0 - 0.9 * k / steps


def reference_run(steps: int, schedule: Callable[[int], float]) -> tuple[list, list, RefMLP]:
    net = small_model()
    losses, accs = [], []
    for k in range(steps):
        loss_value, acc = reference_step(net, SMALL_X, SMALL_Y, schedule(k))
        losses.append(loss_value)
        accs.append(acc)
    return losses, accs, net


def _same(a: Sequence[float], b: Sequence[float]) -> bool:
    return len(a) == len(b) and all(close(x, y, rel=1e-7, abs_tol=1e-12) for x, y in zip(a, b))


@check("08.train", allow_reference=("MLP",))
def train(train, MLP) -> str:
    steps = 5
    net = notebook_model(MLP)
    kwargs = {"progress": False} if "progress" in inspect.signature(train).parameters else {}
    call = f"train(model, X, y, steps={steps})"
    result = train(net, [list(x) for x in SMALL_X], list(SMALL_Y), steps, **kwargs)
    expect(result is not None, f"{call} returned None: return (losses, accuracies)")
    try:
        losses, accs = (list(map(float, part)) for part in result)
    except (TypeError, ValueError):
        fail(f"{call} returned {result!r}, expected two lists: (losses, accuracies)")
    expect(
        len(losses) == steps and len(accs) == steps,
        f"{call} returned {len(losses)} losses and {len(accs)} accuracies, expected {steps} "
        "of each: one per step",
    )
    want_losses, want_accs, ref = reference_run(steps, lambda k: learning_rate(k, steps))
    if not _same(losses, want_losses):
        mistakes = {
            "the learning rate stays at 1.0: decay it, lr = 1.0 - 0.9 * k / steps": (lambda k: 1.0),
            "the learning rate decays over 100 steps whatever `steps` is: use "
            "lr = 1.0 - 0.9 * k / steps": lambda k: learning_rate(k, 100),
            "the first step already uses a decayed learning rate (k counted from 1): "
            "the first step must use lr = 1.0, k = 0, 1, ..., steps - 1": (
                lambda k: learning_rate(k + 1, steps)
            ),
            "the learning rate grows instead of decaying: lr = 1.0 - 0.9 * k / steps": (
                lambda k: 0.1 + 0.9 * k / steps
            ),
        }
        for why, schedule in mistakes.items():
            if _same(losses, reference_run(steps, schedule)[0]):
                fail(
                    f"{call}: the losses are {_list(losses)}, expected {_list(want_losses)}: {why}"
                )
        fail(
            f"{call}: the losses are {_list(losses)}, expected {_list(want_losses)}: at step k "
            "(k = 0, 1, ...) call train_step(model, X, y, lr) with lr = 1.0 - 0.9 * k / steps "
            "and keep the two numbers it returns"
        )
    expect(
        _same(accs, want_accs),
        f"{call}: the accuracies are {_list(accs)}, expected {_list(want_accs)}: keep the "
        "accuracy that train_step returns at each step",
    )
    expect(
        _same_params(net, ref),
        f"after {call} the model's parameters differ from the reference's: train the model "
        "you are given",
    )
    rates = ", ".join(number(learning_rate(k, steps)) for k in range(steps))
    return (
        f"train runs {steps} steps with lr = {rates} and returns their losses "
        f"({number(losses[0])} → {number(losses[-1])}) and accuracies, as the reference "
        "(on a MLP(2, [4, 4, 1]) and 20 points)"
    )


# --- 6. the trained model ---------------------------------------------------------------


@check("08.trained", allow_reference=("model",))
def trained(model) -> str:
    X, y = make_moons(100, 0.1, seed=SEED)
    count = len(list(model.parameters())) if callable(getattr(model, "parameters", None)) else 0
    expect(
        count == 337,
        f"`model` has {count} parameters, expected 337: `model` should be the "
        "make_model() network you trained",
    )
    scores = [float(_score(model(list(x))).data) for x in X]
    acc = expected_accuracy(scores, y)
    right = round(acc * len(y))
    if acc < 0.95:
        hint = (
            "it looks untrained: finish train_step and train above, run the training cell "
            "(100 steps), then this check"
            if acc < 0.8
            else "train it for the full 100 steps with the decaying learning rate"
        )
        fail(
            f"the model classifies {right} of the 100 points right (accuracy {acc:.2f}), "
            f"expected at least 0.95: {hint}"
        )
    return (
        f"the trained model classifies {right} of the 100 points right (accuracy {acc:.2f}, "
        "at least 0.95 needed); not checked: how it generalises to new points"
    )
