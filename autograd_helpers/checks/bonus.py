"""Checks of 09_bonus_exercises: the lecture's follow-up exercises.

Derivatives of f(a, b, c) = -a**3 + sin(3*b) - 1/c + b**2.5 - a**0.5 by hand and by
central differences; ``log`` for the reference ``Value`` (with its local derivative);
softmax and the negative log-likelihood. Every expected number is computed here from
``math`` (the derivatives written out, softmax as exp / sum), at the lecture's point and
at another one, so that numbers copied from the lecture do not pass.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from autograd_helpers.checks._core import check, close, expect, fail, number
from autograd_helpers.checks._values import children, is_value

# --- 1. derivatives of f -------------------------------------------------------------------

LECTURE_POINT = (2.0, 3.0, 4.0)
OTHER_POINT = (1.5, 0.7, -2.0)
# the answer given with the lecture's exercises, at (2, 3, 4)
LECTURE_ANSWER = [-12.353553390593273, 10.25699027111255, 0.0625]
NAMES = ("df/da", "df/db", "df/dc")


def f(a: float, b: float, c: float) -> float:
    """The exercise's function."""
    return -(a**3) + math.sin(3 * b) - 1.0 / c + b**2.5 - a**0.5


def gradient(a: float, b: float, c: float) -> list[float]:
    """[df/da, df/db, df/dc], term by term."""
    return [
        -3 * a**2 - 0.5 * a**-0.5,  # -a**3 and -a**0.5
        3 * math.cos(3 * b) + 2.5 * b**1.5,  # sin(3b) (chain rule: the 3) and b**2.5
        1 / c**2,  # -1/c = -c**-1
    ]


def _by_hand_mistakes(a: float, b: float, c: float) -> list[tuple[int, float, str]]:
    """(component, value, what went wrong) for the classic slips, one term at a time."""
    da, db, dc = gradient(a, b, c)
    return [
        (0, -3 * a**2, "the term of -a**0.5 is missing: its derivative is -0.5 * a**-0.5"),
        (0, -3 * a**2 + 0.5 * a**-0.5, "the sign of the a**0.5 term is wrong: f has -a**0.5"),
        (0, 3 * a**2 - 0.5 * a**-0.5, "the sign of the a**3 term is wrong: f has -a**3"),
        (
            0,
            -3 * a**2 - 0.5 * a**0.5,
            "the derivative of a**0.5 is 0.5 * a**(0.5 - 1) = 0.5 * a**-0.5: the exponent "
            "drops by one",
        ),
        (
            0,
            -3 * a**3 - 0.5 * a**-0.5,
            "the derivative of a**3 is 3 * a**2: the exponent drops by one",
        ),
        (
            1,
            math.cos(3 * b) + 2.5 * b**1.5,
            "the derivative of sin(3*b) is missing the 3 of the chain rule: 3 * cos(3*b)",
        ),
        (
            1,
            3 * math.cos(b) + 2.5 * b**1.5,
            "the derivative of sin(3*b) is 3 * cos(3*b): the cosine keeps its 3*b",
        ),
        (1, -3 * math.cos(3 * b) + 2.5 * b**1.5, "the derivative of sin is +cos, not -cos"),
        (1, 3 * math.cos(3 * b), "the term of b**2.5 is missing: its derivative is 2.5 * b**1.5"),
        (
            1,
            3 * math.cos(3 * b) + 2.5 * b**2.5,
            "the derivative of b**2.5 is 2.5 * b**1.5: the exponent drops by one",
        ),
        (1, 2.5 * b**1.5, "the term of sin(3*b) is missing: its derivative is 3 * cos(3*b)"),
        (
            2,
            -1 / c**2,
            "the sign of df/dc is wrong: -1/c = -c**-1, whose derivative is +c**-2 = 1/c**2",
        ),
        (2, 1 / c, "df/dc is 1/c**2 (the derivative of -c**-1), not 1/c"),
        (2, -1 / c, "df/dc is 1/c**2 (the derivative of -c**-1), not the term itself"),
    ]


def _three_numbers(result: object, call: str) -> list[float]:
    expect(result is not None, f"{call} returned None: return [df/da, df/db, df/dc]")
    try:
        values = [float(v) for v in result]
    except (TypeError, ValueError):
        fail(f"{call} returned {result!r}, expected a list of 3 numbers [df/da, df/db, df/dc]")
    expect(len(values) == 3, f"{call} returned {len(values)} numbers, expected 3")
    return values


def _point(p: Sequence[float]) -> str:
    return "(" + ", ".join(number(v) for v in p) + ")"


@check("09.by_hand")
def by_hand(gradf_by_hand) -> str:
    for point in (LECTURE_POINT, OTHER_POINT):
        call = f"gradf_by_hand{_point(point)}"
        got = _three_numbers(gradf_by_hand(*point), call)
        want = gradient(*point)
        for i, (g, w) in enumerate(zip(got, want)):
            if close(g, w, rel=1e-9, abs_tol=1e-12):
                continue
            for component, value, why in _by_hand_mistakes(*point):
                if component == i and close(g, value, rel=1e-9):
                    fail(f"{call}: {NAMES[i]} is {number(g)}, expected {number(w)}: {why}")
            if point is OTHER_POINT and all(
                close(x, y, rel=1e-9) for x, y in zip(got, LECTURE_ANSWER)
            ):
                fail(
                    f"{call} returned {got}, the answer at (2, 3, 4): compute the derivatives "
                    "from a, b and c, not as fixed numbers"
                )
            fail(
                f"{call}: {NAMES[i]} is {number(g)}, expected {number(w)}: differentiate "
                "each term of f by itself and add them up"
            )
    return (
        f"gradf_by_hand(2, 3, 4) = [{', '.join(number(v) for v in LECTURE_ANSWER)}], the "
        f"lecture's answer, and right at {_point(OTHER_POINT)} too"
    )


# --- 2. numerical derivatives -----------------------------------------------------------


def central(fn: Callable, a: float, b: float, c: float, h: float) -> list[float]:
    """Central differences, one input at a time."""
    return [
        (fn(a + h, b, c) - fn(a - h, b, c)) / (2 * h),
        (fn(a, b + h, c) - fn(a, b - h, c)) / (2 * h),
        (fn(a, b, c + h) - fn(a, b, c - h)) / (2 * h),
    ]


def _numerical_mistakes(a: float, b: float, c: float, h: float) -> list[tuple[int, float, str]]:
    nudged = [(a + h, b, c), (a, b + h, c), (a, b, c + h)]
    back = [(a - h, b, c), (a, b - h, c), (a, b, c - h)]
    mid = central(f, a, b, c, h)
    out = []
    for i in range(3):
        out += [
            (
                i,
                (f(*nudged[i]) - f(a, b, c)) / h,
                "that is the forward difference (f(x + h) - f(x)) / h; use the central "
                "difference (f(x + h) - f(x - h)) / (2h), whose error is much smaller",
            ),
            (
                i,
                (f(a, b, c) - f(*back[i])) / h,
                "that is the backward difference (f(x) - f(x - h)) / h; use the central "
                "difference (f(x + h) - f(x - h)) / (2h)",
            ),
            (
                i,
                2 * mid[i],
                "twice the derivative: the two points are 2h apart, so divide by 2 * h",
            ),
            (
                i,
                mid[i] * h * h,
                "the difference is divided by 2 and then multiplied by h: write / (2 * h), "
                "with the parentheses",
            ),
        ]
    all_at_once = (f(a + h, b + h, c + h) - f(a - h, b - h, c - h)) / (2 * h)
    for i in range(3):
        out.append(
            (
                i,
                all_at_once,
                "a, b and c are all nudged at once; nudge one input at a time and keep "
                "the other two fixed",
            )
        )
    return out


@check("09.numerical")
def numerical(numerical_grad) -> str:
    h = 1e-3  # large enough that forward and central differences differ clearly
    call = f"numerical_grad(f, 2, 3, 4, h={h})"
    got = _three_numbers(numerical_grad(f, *LECTURE_POINT, h=h), call)
    want = central(f, *LECTURE_POINT, h)
    for i, (g, w) in enumerate(zip(got, want)):
        if close(g, w, rel=1e-7, abs_tol=1e-9):
            continue
        for component, value, why in _numerical_mistakes(*LECTURE_POINT, h):
            if component == i and close(g, value, rel=1e-7, abs_tol=1e-9):
                fail(f"{call}: {NAMES[i]} is {number(g)}, expected {number(w)}: {why}")
        fail(
            f"{call}: {NAMES[i]} is {number(g)}, expected {number(w)}, the central difference "
            "(f(x + h) - f(x - h)) / (2h) with x the one input being nudged"
        )
    g_call = "numerical_grad(g, 1, 2, 3) with g(a, b, c) = a*b + c**2"
    got_g = _three_numbers(numerical_grad(lambda a, b, c: a * b + c**2, 1.0, 2.0, 3.0), g_call)
    expect(
        all(close(x, y, rel=1e-5, abs_tol=1e-5) for x, y in zip(got_g, [2.0, 1.0, 6.0])),
        f"{g_call} is {[float(v) for v in got_g]}, expected about [2, 1, 6]: call the "
        "function you are given (the argument f), not the f defined in the notebook",
    )
    call = "numerical_grad(f, 2, 3, 4)"
    got = _three_numbers(numerical_grad(f, *LECTURE_POINT), call)
    worst = max(abs(x - y) / max(abs(x), abs(y), 1e-12) for x, y in zip(got, LECTURE_ANSWER))
    expect(
        worst < 1e-6,
        f"{call} is {got}: its relative error against the exact derivatives "
        f"{LECTURE_ANSWER} is {worst:.1e}, expected below 1e-6. Is the default h about 1e-6?",
    )
    return (
        f"numerical_grad(f, 2, 3, 4) agrees with the derivatives worked out by hand to a "
        f"relative error of {worst:.0e}; central differences (checked with h=1e-3), one "
        "input at a time, on any function given"
    )


# --- 3. log --------------------------------------------------------------------------------


def _call_log(log: Callable, Value: type, x: float) -> tuple[Any, Any]:
    v = Value(x)
    try:
        out = log(v)
    except AttributeError as exc:
        if "_backward" in str(exc):
            fail(
                f"log(Value({x})) tried to set out._backward, which the course's Value does "
                "not have: it stores each node's local derivatives instead (notebook 08, "
                "section 7). Return Value(math.log(x), (self,), 'log', '', (local,)) with "
                "local = d log(x) / dx"
            )
        raise
    return v, out


@check("09.log", allow_reference=("Value",))
def log(Value, log) -> str:
    for x in (2.0, 0.5, 10.0):
        v, out = _call_log(log, Value, x)
        call = f"log(Value({x}))"
        expect(out is not None, f"{call} returned None: return the new Value")
        expect(is_value(out), f"{call} returned {out!r}, expected a Value")
        got = float(out.data)
        if not close(got, math.log(x), rel=1e-12):
            if close(got, math.log10(x)):
                fail(
                    f"{call}.data is {number(got)}, log base 10; the natural logarithm "
                    f"math.log({x}) is {number(math.log(x))}"
                )
            fail(f"{call}.data is {number(got)}, expected math.log({x}) = {number(math.log(x))}")
        expect(
            any(child is v for child in children(out)),
            f"{call} has no link to its input: pass the Value it came from as its child, "
            "(self,), so that backward() can reach it",
        )
        out.backward()
        slope = float(v.grad)
        if close(slope, 1 / x, rel=1e-12):
            continue
        if slope == 0:
            fail(
                f"after {call}.backward(), the input's grad is 0.0, expected 1/x = "
                f"{number(1 / x)}: give the new Value its local derivative, the fifth "
                "argument _local_grads=(1 / x,)"
            )
        mistakes = {
            x: "that is x itself",
            -1 / x: "the sign is wrong",
            math.log(x): "that is log(x) itself",
            1 / x**2: "that is 1/x**2",
            1.0: "that is 1",
        }
        for value, why in mistakes.items():
            if close(slope, value, rel=1e-12):
                fail(
                    f"after {call}.backward(), the input's grad is {number(slope)}, expected "
                    f"d log(x)/dx = 1/x = {number(1 / x)}: {why}"
                )
        fail(
            f"after {call}.backward(), the input's grad is {number(slope)}, expected "
            f"1/x = {number(1 / x)}"
        )
    return (
        "log(x) gives math.log(x) and passes 1/x times the gradient to x, at x = 2, 0.5 "
        "and 10 (not checked: what happens at x <= 0)"
    )


# --- 4. softmax and the negative log-likelihood ----------------------------------------------

LECTURE_LOGITS = [0.0, 3.0, -2.0, 1.0]
LECTURE_LABEL = 3
OTHER_LOGITS = [1.5, -0.5, 0.2]
OTHER_LABEL = 1


def softmax_of(logits: Sequence[float]) -> list[float]:
    exps = [math.exp(z) for z in logits]
    total = sum(exps)
    return [e / total for e in exps]


def _values(Value: type, numbers: Sequence[float]) -> list:
    return [Value(x) for x in numbers]


def _datas(values: object, call: str, n: int) -> list[float]:
    expect(values is not None, f"{call} returned None: return the list of probabilities")
    try:
        items = list(values)
    except TypeError:
        fail(f"{call} returned {values!r}, expected a list of {n} Values")
    expect(len(items) == n, f"{call} returned {len(items)} items, expected {n}, one per logit")
    if not all(is_value(p) for p in items):
        fail(
            f"{call} returned {items!r}: expected a list of Values, so that the loss can be "
            "backpropagated to the logits"
        )
    return [float(p.data) for p in items]


def _fmt(values: Sequence[float]) -> str:
    return "[" + ", ".join(number(float(v)) for v in values) + "]"


@check("09.softmax", allow_reference=("Value",))
def softmax(Value, softmax) -> str:
    for logits in (LECTURE_LOGITS, OTHER_LOGITS):
        zs = _values(Value, logits)
        call = f"softmax({logits})"
        out = softmax(zs)
        got = _datas(out, call, len(logits))
        want = softmax_of(logits)
        if not all(close(g, w, rel=1e-9, abs_tol=1e-15) for g, w in zip(got, want)):
            exps = [math.exp(z) for z in logits]
            if all(close(g, e, rel=1e-9) for g, e in zip(got, exps)):
                fail(
                    f"{call} is {_fmt(got)}, which adds up to {number(sum(got))}, not 1: "
                    "these are the exps; divide each by their sum to make probabilities"
                )
            if close(sum(got), 1.0, rel=1e-9):
                fail(
                    f"{call} is {_fmt(got)}, expected {_fmt(want)}: they add up to 1, but "
                    "are not exp(logit) / sum of the exps"
                )
            fail(
                f"{call} is {_fmt(got)} (sum {number(sum(got))}), expected {_fmt(want)}: "
                "exp of each logit, divided by the sum of all the exps"
            )
        # backward from the first probability: dp0/dz_j = p0 * ((j == 0) - p_j)
        list(out)[0].backward()
        grads = [float(z.grad) for z in zs]
        want_grads = [want[0] * ((j == 0) - want[j]) for j in range(len(logits))]
        expect(
            all(close(g, w, rel=1e-7, abs_tol=1e-12) for g, w in zip(grads, want_grads)),
            f"after {call}[0].backward(), the logits' grads are {_fmt(grads)}, expected "
            f"{_fmt(want_grads)}: every step must be a Value operation; is the sum of the "
            "exps computed from .data (a plain number the gradient cannot flow through)?",
        )
    return (
        f"softmax({LECTURE_LOGITS}) = {_fmt(softmax_of(LECTURE_LOGITS))}, Values that add up "
        "to 1, right for another list of logits too, with the gradients of exp / sum"
    )


@check("09.nll", allow_reference=("Value",))
def nll(Value, nll) -> str:
    probs = [0.1, 0.2, 0.3, 0.4]
    label = 2
    ps = _values(Value, probs)
    call = f"nll({probs}, label={label})"
    out = nll(ps, label)
    expect(out is not None, f"{call} returned None: return -log(probs[label]), a Value")
    expect(is_value(out), f"{call} returned {out!r}, expected a Value")
    got, want = float(out.data), -math.log(probs[label])
    if not close(got, want, rel=1e-9):
        if close(got, -want, rel=1e-9):
            fail(
                f"{call} is {number(got)}, log(probs[label]) without the minus: a "
                f"likelihood below 1 has a negative log, and the loss must be positive "
                f"(expected {number(want)})"
            )
        if close(got, -probs[label]) or close(got, probs[label]):
            fail(
                f"{call} is {number(got)}: the log is missing; expected "
                f"-log({probs[label]}) = {number(want)}"
            )
        for i, p in enumerate(probs):
            if i != label and close(got, -math.log(p), rel=1e-9):
                fail(
                    f"{call} is -log(probs[{i}]) = {number(got)}: use the probability of the "
                    f"right class, probs[label], expected {number(want)}"
                )
        fail(f"{call} is {number(got)}, expected -log(probs[label]) = {number(want)}")
    out.backward()
    grads = [float(p.grad) for p in ps]
    want_grads = [(-1 / probs[label]) if i == label else 0.0 for i in range(len(probs))]
    expect(
        all(close(g, w, rel=1e-9, abs_tol=1e-15) for g, w in zip(grads, want_grads)),
        f"after {call}.backward(), the probabilities' grads are {_fmt(grads)}, expected "
        f"{_fmt(want_grads)} (-1/p for the right class): is .log() the log with the "
        "local derivative 1/x you wrote above?",
    )
    return (
        f"{call} = -log(0.3) = {number(want)}, and only the right class's probability gets a "
        f"gradient, -1/0.3 = {number(-1 / 0.3)}"
    )


@check("09.softmax_nll", allow_reference=("Value",))
def softmax_nll(Value, softmax, nll) -> str:
    for logits, label in ((LECTURE_LOGITS, LECTURE_LABEL), (OTHER_LOGITS, OTHER_LABEL)):
        zs = _values(Value, logits)
        call = f"nll(softmax({logits}), {label})"
        loss = nll(softmax(zs), label)
        expect(is_value(loss), f"{call} returned {loss!r}, expected a Value")
        probs = softmax_of(logits)
        want = -math.log(probs[label])
        expect(
            close(loss.data, want, rel=1e-9),
            f"{call} is {number(float(loss.data))}, expected {number(want)}: run the checks "
            "of softmax and nll above first",
        )
        loss.backward()
        grads = [float(z.grad) for z in zs]
        # the gradient of the loss with respect to the logits: probabilities minus one-hot
        want_grads = [p - (j == label) for j, p in enumerate(probs)]
        expect(
            all(close(g, w, rel=1e-7, abs_tol=1e-12) for g, w in zip(grads, want_grads)),
            f"after {call}.backward(), the logits' grads are {_fmt(grads)}, expected "
            f"softmax - one-hot = {_fmt(want_grads)}",
        )
    probs = softmax_of(LECTURE_LOGITS)
    grads = [p - (j == LECTURE_LABEL) for j, p in enumerate(probs)]
    return (
        f"the lecture's loss {number(-math.log(probs[LECTURE_LABEL]))} and the logits' "
        f"gradients {_fmt(grads)} (softmax minus one-hot), and right for other logits too"
    )
