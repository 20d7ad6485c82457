"""Checks of 08_bonus_moons: micrograd's moons demo as exercises.

The network, the max-margin loss, the accuracy, one training step, the training loop
with its decaying learning rate, and the trained model. Expected numbers come from
formulas written out here (the loss and its gradients) or from a reference loop on the
reference ``MLP`` started from the initial weights the probe reports; a learner's result
that differs is compared with each classic mistake to name the one that matches. The
learner's functions only ever see the notebook's own ``Value`` and ``MLP``
(``autograd_helpers.probes.moons``); the reference only computes the numbers to compare with.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Callable, Sequence

from autograd_helpers.checks._core import Malformed, check, close, expect, fail, number
from autograd_helpers.data import make_moons
from autograd_helpers.probes import moons as _probes  # noqa: F401  (registers the probes)
from autograd_helpers.trainer import seeded
from solutions.engine import Value as RefValue
from solutions.nn import MLP as RefMLP

SEED = 1337  # the notebook's data and initial weights
ALPHA = 1e-4  # the L2 strength of micrograd's demo
REL = 1e-9  # learners may add the terms in another order


def _list(values: Sequence[float]) -> str:
    """The first five numbers of a list, as the learner's own repr shows them."""
    shown = ", ".join(number(float(v)) for v in values[:5])
    return f"[{shown}{', ...' if len(values) > 5 else ''}]"


def _apart(values: Sequence[float], rel: float = 1e-6) -> bool:
    """True when no two of ``values`` are close: a mistake's symptom never looks like the
    right answer's, nor like another mistake's (so its message names the right one)."""
    return all(
        abs(a - b) > rel * max(1.0, abs(a), abs(b))
        for i, a in enumerate(values)
        for b in values[:i]
    )


def _floats(values: object, n: int | None = None) -> list[float]:
    """A list of numbers the probe reported (``n`` of them), or a malformed answer."""
    if not isinstance(values, list) or (n is not None and len(values) != n):
        raise Malformed(f"expected a list of {n} numbers, got {number(values)}")
    return [float(v) for v in values]


# --- 1. the network ---------------------------------------------------------------------

SHAPES = [[2, [16, 16, 1]], [3, [4, 4, 1]], [5, [3]], [1, [1]], [4, [7, 2]], [2, [3, 5, 4, 1]]]


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


def _shapes(rng: random.Random) -> list[dict]:
    """Three more shapes, each one where the right count and every classic mistake's
    differ."""
    shapes: list = []
    while len(shapes) < 3:
        nin = rng.randint(1, 6)
        nouts = [rng.randint(1, 8) for _ in range(rng.randint(1, 4))]
        counts = [mlp_parameters(nin, nouts), *_count_mistakes(nin, nouts).values()]
        if _apart(counts) and [nin, nouts] not in shapes:
            shapes.append([nin, nouts])
    return [{"shapes": shapes}]


@check("08.parameters", visible={"shapes": SHAPES}, hidden=_shapes)
def parameters(d, shapes) -> str:
    for i, (nin, nouts) in enumerate(shapes):
        nouts = list(nouts)
        call = f"count_parameters({nin}, {nouts})"
        got = d[f"count {i}"]
        want = mlp_parameters(nin, nouts)
        expect(got is not None, f"{call} returned None: return the number of parameters")
        if got == want:
            continue
        for why, value in _count_mistakes(nin, nouts).items():
            if got == value:
                fail(
                    f"{call} is {number(got)}, but MLP({nin}, {nouts}) has {want} parameters: {why}"
                )
        fail(
            f"{call} is {number(got)}, but MLP({nin}, {nouts}) has {want} parameters: add "
            "up (inputs + 1) · neurons over the layers, with the inputs of each layer the "
            "size of the one before"
        )
    first, second = shapes[0], shapes[1]
    return (
        f"count_parameters agrees with len(MLP(nin, nouts).parameters()) for {len(shapes)} "
        f"shapes: {mlp_parameters(*first)} for MLP({first[0]}, {list(first[1])}), "
        f"{mlp_parameters(*second)} for MLP({second[0]}, {list(second[1])})"
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


def _loss_mistakes(
    scores: Sequence[float], labels: Sequence[float], params: Sequence[float], alpha: float
) -> dict[str, float]:
    n = len(scores)
    hinge = hinge_terms(scores, labels)
    l2 = alpha * sum(p * p for p in params)
    margins = [1.0 - y * s for s, y in zip(scores, labels)]
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
            sum(hinge_terms(scores, labels, sign=+1.0)) / n + l2
        ),
        "the L2 term has no alpha: multiply sum(p * p) by alpha": (
            sum(hinge) / n + sum(p * p for p in params)
        ),
        "the L2 term is alpha · sum(p), not the sum of squares: use alpha · sum(p * p)": (
            sum(hinge) / n + alpha * sum(params)
        ),
        "the L2 term is averaged over the parameters: use alpha · sum(p * p), a sum": (
            sum(hinge) / n + alpha * sum(p * p for p in params) / len(params)
        ),
        "the L2 term is added once per example, then summed: add it once, after the mean": (
            sum(h + l2 for h in hinge)
        ),
    }


def _loss_case(rng: random.Random) -> list[dict]:
    """Other scores, labels, parameters and alpha: margins away from the relu's kink, and
    every classic mistake (and the other alpha) giving a loss far from the right one."""
    while True:
        n = rng.randint(5, 8)
        labels = [rng.choice((-1, 1)) for _ in range(n)]
        scores = [round(rng.uniform(-2.5, 2.5), 2) for _ in range(n)]
        params = [round(rng.uniform(-3.0, 3.0), 2) for _ in range(rng.randint(3, 6))]
        alpha = rng.choice((0.001, 0.003, 0.02, 0.05, 0.1))
        if len(set(labels)) < 2 or min(abs(p) for p in params) < 0.3:
            continue
        if min(abs(1.0 - y * s) for s, y in zip(scores, labels)) < 0.2:
            continue
        distinct = True
        for a, other in ((alpha, ALPHA), (ALPHA, alpha)):
            want = expected_loss(scores, labels, params, a)
            wrong = [*_loss_mistakes(scores, labels, params, a).values()]
            wrong.append(expected_loss(scores, labels, params, other))
            distinct &= all(abs(w - want) > 1e-6 * max(1.0, abs(want)) for w in wrong)
        if distinct:
            return [{"scores": scores, "labels": labels, "params": params, "alpha": alpha}]


@check(
    "08.loss",
    visible={"scores": SCORES, "labels": LABELS, "params": PARAMS, "alpha": 0.01},
    hidden=_loss_case,
)
def loss(d, scores, labels, params, alpha) -> str:
    n = len(scores)
    for key, a in (("alpha", alpha), ("default", ALPHA)):
        call = f"loss_fn(scores={scores}, ys={labels}, parameters={params}"
        call += f", alpha={alpha})" if key == "alpha" else ")"
        returned = d[f"{key}: returned"]
        expect(not returned["none"], f"{call} returned None: return the total loss, a Value")
        if not returned["is_value"]:
            fail(
                f"{call} returned a {returned['type']} ({returned['repr']}), expected a "
                "Value: build the loss from the scores and parameters with Value operations "
                "(no .data), so that backward() reaches every weight"
            )
        got, want = float(d[f"{key}: data"]), expected_loss(scores, labels, params, a)
        if not close(got, want, rel=REL):
            if key == "default" and close(got, expected_loss(scores, labels, params, alpha), REL):
                fail(
                    f"{call} is {number(got)}, the loss with alpha = {number(alpha)} from the "
                    f"call before: the default must be alpha=1e-4 ({number(want)})"
                )
            if key == "alpha" and close(got, expected_loss(scores, labels, params, ALPHA)):
                fail(
                    f"{call} is {number(got)}, the loss with alpha = 1e-4: the alpha "
                    f"argument is ignored; use it in the L2 term (expected {number(want)})"
                )
            for why, value in _loss_mistakes(scores, labels, params, a).items():
                if close(got, value, rel=REL):
                    fail(f"{call} is {number(got)}, expected {number(want)}: {why}")
            fail(
                f"{call} is {number(got)}, expected {number(want)}: the mean over examples "
                "of relu(1 - y·score), plus alpha · sum(p * p for p in parameters)"
            )
        score_grads = d[f"{key}: score grads"]
        if not isinstance(score_grads, list) or len(score_grads) != n:
            raise Malformed(f"expected {n} score gradients")
        expect(
            any(g != 0 for g in score_grads),
            f"after {call}.backward(), every score's grad is 0: the margin terms are "
            "computed from score.data (plain numbers), so the gradient cannot reach the "
            "scores. Use Value operations: (1 - y * score).relu()",
        )
        for i, (g, s, y) in enumerate(zip(score_grads, scores, labels)):
            want_grad = -y / n if 1.0 - y * s > 0 else 0.0
            expect(
                close(g, want_grad, rel=REL, abs_tol=1e-12),
                f"after {call}.backward(), scores[{i}].grad is {number(g)}, expected "
                f"{number(want_grad)} (-y/n where the margin term is positive, else 0): "
                "every score must enter the loss through Value operations",
            )
        param_grads = d[f"{key}: parameter grads"]
        if not isinstance(param_grads, list) or len(param_grads) != len(params):
            raise Malformed(f"expected {len(params)} parameter gradients")
        for i, (g, p) in enumerate(zip(param_grads, params)):
            expect(
                close(g, 2 * a * p, rel=REL, abs_tol=1e-15),
                f"after {call}.backward(), parameters[{i}].grad is {number(g)}, "
                f"expected 2·alpha·p = {number(2 * a * p)}: the L2 term must be built from "
                "the parameter Values themselves",
            )
    return (
        f"loss_fn = mean of relu(1 - y·score) + alpha·sum(p²) on {n} scores: "
        f"{number(expected_loss(scores, labels, params, ALPHA))} with the default "
        f"alpha=1e-4 and right with alpha={alpha}, gradients of scores and parameters included"
    )


# --- 3. accuracy -----------------------------------------------------------------------

# scores of exactly 0: once with label +1 (wrong: 0 counts as -1), twice with label -1 (right)
ACC_SCORES = [0.5, -1.5, 2.0, 0.0, -0.3, 0.7, -0.8, 1.2, -0.6, 0.0, 0.0, 0.4]
ACC_LABELS = [1, -1, -1, 1, -1, 1, 1, -1, -1, -1, -1, 1]
ACC_TOL = 1e-6  # fractions k/12 are 0.08 apart; float32 results are fine


def expected_accuracy(scores: Sequence[float], labels: Sequence[float]) -> float:
    """The fraction of examples with (label > 0) == (score > 0)."""
    return sum((y > 0) == (s > 0) for s, y in zip(scores, labels)) / len(scores)


def _accuracy_mistakes(scores: Sequence[float], labels: Sequence[float]) -> dict[str, float]:
    """What each classic mistake returns (the judge names them in this order)."""
    n, want = len(scores), expected_accuracy(scores, labels)
    pairs = list(zip(scores, labels))
    return {
        "count": want * n,
        "percentage": 100 * want,
        "with_ge": sum((y > 0) == (s >= 0) for s, y in pairs) / n,
        "by_margin": sum(y * s > 0 for s, y in pairs) / n,
        "flipped": sum((y > 0) == (s < 0) for s, y in pairs) / n,
        "complement": 1 - want,
        "raw": sum(y == (s > 0) for s, y in pairs) / n,
    }


def _accuracy_case(rng: random.Random) -> list[dict]:
    """Other scores and labels, with three scores of exactly 0 (labels -1 and +1 among
    them), where the right fraction and the classic mistakes' all differ."""
    while True:
        n = rng.randint(10, 14)
        labels = [rng.choice((-1, 1)) for _ in range(n)]
        scores = [rng.choice((-1, 1)) * round(rng.uniform(0.05, 2.0), 2) for _ in range(n)]
        zeros = rng.sample(range(n), 3)
        for i in zeros:
            scores[i] = 0.0
        if len({labels[i] for i in zeros}) < 2:
            continue
        values = {"right": expected_accuracy(scores, labels), **_accuracy_mistakes(scores, labels)}
        # "flipped" and "complement" are both named "swapped": they may coincide
        one = [v for k, v in values.items() if k != "complement"]
        other = [v for k, v in values.items() if k != "flipped"]
        if _apart(one, rel=1e-3) and _apart(other, rel=1e-3):
            return [{"scores": scores, "labels": labels}]


@check(
    "08.accuracy",
    visible={"scores": ACC_SCORES, "labels": ACC_LABELS},
    hidden=_accuracy_case,
)
def accuracy(d, scores, labels) -> str:
    call = f"accuracy(scores={scores}, ys={labels})"
    got = d["result"]
    want = expected_accuracy(scores, labels)
    n = len(scores)
    right = round(want * n)
    expect(got is not None, f"{call} returned None: return the fraction of right answers")
    if isinstance(got, dict) and got.get("~") == "value":
        fail(f"{call} returned a Value: the accuracy is a plain number, a float; use .data")
    try:
        got = float(got)
    except (TypeError, ValueError):
        fail(f"{call} returned {number(got)}, expected a float between 0 and 1")
    if close(got, want, rel=ACC_TOL):
        return (
            f"{call} = {number(want)}: {right} of {n} have the sign of their label, a score "
            "of exactly 0 counts as -1, and the result is a fraction"
        )
    mistakes = _accuracy_mistakes(scores, labels)
    if close(got, right, rel=ACC_TOL):
        fail(
            f"{call} is {number(got)}, the number of right answers: divide by the number of "
            f"examples, {right}/{n} = {number(want)}"
        )
    if close(got, mistakes["percentage"], rel=ACC_TOL):
        fail(f"{call} is {number(got)}, a percentage: return the fraction, {number(want)}")
    if close(got, mistakes["with_ge"], rel=ACC_TOL):
        fail(
            f"{call} is {number(got)}, expected {number(want)}: a score of exactly 0 is "
            "counted as +1. The model says +1 only when score > 0 (not >= 0)"
        )
    if close(got, mistakes["by_margin"], rel=ACC_TOL):
        fail(
            f"{call} is {number(got)}, expected {number(want)}: a score of exactly 0 with "
            "label -1 is counted as wrong, as if 0 meant +1 (y * score > 0 is False at 0). "
            "The model says -1 whenever score <= 0: compare the signs, "
            "(y > 0) == (score.data > 0)"
        )
    if close(got, mistakes["flipped"], rel=ACC_TOL) or close(
        got, mistakes["complement"], rel=ACC_TOL
    ):
        fail(
            f"{call} is {number(got)}, expected {number(want)}: right and wrong are swapped; "
            "an answer is right when (y > 0) == (score > 0)"
        )
    if close(got, mistakes["raw"], rel=ACC_TOL):
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


SMALL_PARAMETERS = len(small_model().parameters())


def reference_model(initial: Sequence[float]) -> RefMLP:
    """The reference MLP(2, [4, 4, 1]) holding the weights the notebook's MLP started with."""
    net = small_model()
    for p, w in zip(net.parameters(), initial):
        p.data = w
    return net


def _initial(d) -> list[float]:
    """The weights the notebook's MLP(2, [4, 4, 1]) started with (the probe built it)."""
    if d["mlp error"] is not None:
        fail(
            "this notebook's MLP does not take activation=... and last_activation=...: run "
            "the import cell at the top (from solutions.nn import MLP) and do not redefine MLP"
        )
    initial = d["initial"]
    expect(
        isinstance(initial, list) and len(initial) == SMALL_PARAMETERS,
        f"this notebook's MLP(2, [4, 4, 1]) has {len(initial)} parameters, expected "
        f"{SMALL_PARAMETERS}: run the import cell at the top (from solutions.nn import MLP)",
    )
    return _floats(initial)


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


def _step_result(result: dict, call: str) -> tuple[float, float]:
    expect(
        not result["none"],
        f"{call} returned None: return (loss, accuracy), the loss as a float (loss.data)",
    )
    if not result["pair"]:
        fail(f"{call} returned {result['repr']}, expected a pair (loss, accuracy)")
    if result["loss is value"]:
        fail(
            f"{call} returned the loss as a Value: return loss.data, a float (a Value keeps "
            "the whole graph of the step alive)"
        )
    try:
        return float(result["loss"]), float(result["accuracy"])
    except (TypeError, ValueError):
        fail(f"{call} returned {result['repr']}, expected two numbers (loss, accuracy)")


def _weights(net: RefMLP) -> list[float]:
    return [p.data for p in net.parameters()]


def _same_params(got: object, net: RefMLP) -> bool:
    """True when the reported weights ``got`` are those of the reference ``net``."""
    want = _weights(net)
    got = _floats(got, len(want))
    return all(close(p, q, rel=1e-9, abs_tol=1e-12) for p, q in zip(got, want))


def _step_case(rng: random.Random) -> list[dict]:
    """Other points, initial weights and learning rates (none that a fixed lr would give),
    where the update changes the loss (not a network whose ReLUs are all off)."""
    while True:
        X, y = make_moons(20, 0.1, seed=rng.randrange(2**31))
        lr, lr2 = round(rng.uniform(0.2, 0.9), 2), round(rng.uniform(0.15, 0.6), 2)
        seed = rng.randrange(1, 10**6)
        net = small_model(seed)
        before, _ = reference_step(net, X, y, lr)
        after, _ = reference_step(net, X, y, lr2)
        if _apart([before, after]):
            return [{"X": X, "y": y, "lr": lr, "lr2": lr2, "seed": seed}]


@check(
    "08.train_step",
    visible={"X": SMALL_X, "y": SMALL_Y, "lr": 0.5, "lr2": 0.3, "seed": 5},
    hidden=_step_case,
)
def train_step(d, X, y, lr, lr2, seed) -> str:
    initial = _initial(d)
    ref = reference_model(initial)
    call = f"train_step(model, X, y, lr={lr})"
    got = _step_result(d["first"], call)
    want = reference_step(ref, X, y, lr)
    where = f"(on a MLP(2, [4, 4, 1]) and {len(X)} points)"
    if not close(got[0], want[0], rel=1e-7):
        after = reference_model(initial)
        reference_step(after, X, y, lr)
        loss_after, _ = reference_step(after, X, y, 0.0)
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
    after = d["after first"]
    if _floats(after, len(initial)) == initial:
        fail(
            f"after {call} the model's parameters have not changed: call backward() and move "
            "every parameter of the model you are given, p.data += -lr * p.grad"
        )
    if not _same_params(after, ref):
        uphill = reference_model(initial)
        reference_step(uphill, X, y, lr, direction=+1.0)
        if _same_params(after, uphill):
            fail(
                f"after {call} the parameters moved uphill (+lr·grad), which makes the loss "
                "grow: p.data += -lr * p.grad"
            )
        for other_lr in (1.0, 0.1, 0.05, 0.01):
            other = reference_model(initial)
            reference_step(other, X, y, other_lr)
            if _same_params(after, other):
                fail(
                    f"{call} moved the parameters as lr = {other_lr} would: the lr argument "
                    "is ignored; use the lr given, p.data += -lr * p.grad"
                )
        fail(
            f"after {call} the parameters differ from the reference step's: zero the grads, "
            "loss.backward(), then p.data += -lr * p.grad for every parameter"
        )
    call2 = f"a second train_step(model, X, y, lr={lr2})"
    _step_result(d["second"], call2)
    reference_step(ref, X, y, lr2)
    after2 = d["after second"]
    if not _same_params(after2, ref):
        stale = reference_model(initial)
        reference_step(stale, X, y, lr, zero=False)
        reference_step(stale, X, y, lr2, zero=False)
        if _same_params(after2, stale):
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


def reference_run(
    initial: Sequence[float],
    X: Sequence[Sequence[float]],
    y: Sequence[float],
    steps: int,
    schedule: Callable[[int], float],
) -> tuple[list, list, RefMLP]:
    net = reference_model(initial)
    losses, accs = [], []
    for k in range(steps):
        loss_value, acc = reference_step(net, X, y, schedule(k))
        losses.append(loss_value)
        accs.append(acc)
    return losses, accs, net


def _same(a: Sequence[float], b: Sequence[float]) -> bool:
    return len(a) == len(b) and all(close(x, y, rel=1e-7, abs_tol=1e-12) for x, y in zip(a, b))


def _decay_mistakes(steps: int) -> dict[str, Callable[[int], float]]:
    """The learning rates of the classic mistakes, by what the judge says of each."""
    return {
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


def _train_case(rng: random.Random) -> list[dict]:
    """Other points, initial weights and number of steps (3 at least: every wrong decay
    then changes a loss), where each wrong decay gives other losses than the right one's
    and the other mistakes' (not a network whose ReLUs are all off)."""
    while True:
        X, y = make_moons(20, 0.1, seed=rng.randrange(2**31))
        steps, seed = rng.choice((3, 4)), rng.randrange(1, 10**6)
        initial = _weights(small_model(seed))
        right = functools.partial(learning_rate, steps=steps)
        schedules: list[Callable[[int], float]] = [right, *_decay_mistakes(steps).values()]
        last = [reference_run(initial, X, y, steps, s)[0][-1] for s in schedules]
        if _apart(last):
            return [{"X": X, "y": y, "steps": steps, "seed": seed}]


@check("08.train", visible={"X": SMALL_X, "y": SMALL_Y, "steps": 5, "seed": 5}, hidden=_train_case)
def train(d, X, y, steps, seed) -> str:
    initial = _initial(d)
    call = f"train(model, X, y, steps={steps})"
    result = d["result"]
    expect(not result["none"], f"{call} returned None: return (losses, accuracies)")
    try:
        parts = result["parts"]
        if parts is None or len(parts) != 2:
            raise ValueError
        (losses, n_losses), (accs, n_accs) = (
            ([float(v) for v in part["items"]], part["length"]) for part in parts
        )
    except (TypeError, ValueError):
        fail(f"{call} returned {result['repr']}, expected two lists: (losses, accuracies)")
    expect(
        n_losses == steps and n_accs == steps,
        f"{call} returned {n_losses} losses and {n_accs} accuracies, expected {steps} "
        "of each: one per step",
    )
    want_losses, want_accs, ref = reference_run(
        initial, X, y, steps, lambda k: learning_rate(k, steps)
    )
    if not _same(losses, want_losses):
        for why, schedule in _decay_mistakes(steps).items():
            if _same(losses, reference_run(initial, X, y, steps, schedule)[0]):
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
        _same_params(d["after"], ref),
        f"after {call} the model's parameters differ from the reference's: train the model "
        "you are given",
    )
    rates = ", ".join(number(learning_rate(k, steps)) for k in range(steps))
    return (
        f"train runs {steps} steps with lr = {rates} and returns their losses "
        f"({number(losses[0])} → {number(losses[-1])}) and accuracies, as the reference "
        f"(on a MLP(2, [4, 4, 1]) and {len(X)} points)"
    )


# --- 6. the trained model ---------------------------------------------------------------

MOONS_X, MOONS_Y = make_moons(100, 0.1, seed=SEED)  # the notebook's training data


# no hidden case: the check reads the model the notebook trained, on the data it trained on
@check("08.trained", visible={"points": MOONS_X, "labels": MOONS_Y})
def trained(d, points, labels) -> str:
    count = d["count"]
    expect(
        count == 337,
        f"`model` has {count} parameters, expected 337: `model` should be the "
        "make_model() network you trained",
    )
    scores = _floats(d["scores"], len(points))
    acc = expected_accuracy(scores, labels)
    n = len(labels)
    right = round(acc * n)
    if acc < 0.95:
        hint = (
            "it looks untrained: finish train_step and train above, run the training cell "
            "(100 steps), then this check"
            if acc < 0.8
            else "train it for the full 100 steps with the decaying learning rate"
        )
        fail(
            f"the model classifies {right} of the {n} points right (accuracy {acc:.2f}), "
            f"expected at least 0.95: {hint}"
        )
    return (
        f"the trained model classifies {right} of the {n} points right (accuracy {acc:.2f}, "
        "at least 0.95 needed); not checked: how it generalises to new points"
    )
