"""Checks of 09_bonus_exercises: the lecture's follow-up exercises.

Derivatives of f(a, b, c) = -a**3 + sin(3*b) - 1/c + b**2.5 - a**0.5 by hand and by
central differences; ``log`` for the reference ``Value`` (with its local derivative);
softmax and the negative log-likelihood. Every expected number is computed here from
``math`` (the derivatives written out, softmax as exp / sum), at the lecture's point and
at another one, so that numbers copied from the lecture do not pass.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence

from autograd_helpers.checks._core import apart, check, close, expect, fail, number
from autograd_helpers.probes.bonus import f  # registers the probes; f is the exercise's function

# --- 1. derivatives of f -------------------------------------------------------------------

LECTURE_POINT = (2.0, 3.0, 4.0)
OTHER_POINT = (1.5, 0.7, -2.0)
# the answer given with the lecture's exercises, at (2, 3, 4)
LECTURE_ANSWER = [-12.353553390593273, 10.25699027111255, 0.0625]
NAMES = ("df/da", "df/db", "df/dc")


def gradient(a: float, b: float, c: float) -> list[float]:
    """[df/da, df/db, df/dc], term by term."""
    return [
        -3 * a**2 - 0.5 * a**-0.5,  # -a**3 and -a**0.5
        3 * math.cos(3 * b) + 2.5 * b**1.5,  # sin(3b) (chain rule: the 3) and b**2.5
        1 / c**2,  # -1/c = -c**-1
    ]


def _by_hand_mistakes(a: float, b: float, c: float) -> list[tuple[int, float, str]]:
    """(component, value, what went wrong) for the classic slips, one term at a time."""
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


def _three_numbers(entry: dict, call: str) -> list[float]:
    """The three numbers a learner's function returned (as the probe reported), or a failure."""
    expect(not entry.get("none"), f"{call} returned None: return [df/da, df/db, df/dc]")
    if "repr" in entry:
        fail(f"{call} returned {entry['repr']}, expected a list of 3 numbers [df/da, df/db, df/dc]")
    expect(entry["count"] == 3, f"{call} returned {entry['count']} numbers, expected 3")
    return entry["numbers"]


def _point(p: Sequence[float]) -> str:
    return "(" + ", ".join(number(v) for v in p) + ")"


def _short(p: Sequence[float]) -> str:
    """A point as a person writes it: 2, 3, 4."""
    return ", ".join(f"{v:g}" for v in p)


def _sci(x: float) -> str:
    """1e-3 for 0.001."""
    mantissa, exponent = f"{x:e}".split("e")
    return f"{float(mantissa):g}e{int(exponent)}"


def _draw_point(rng: random.Random) -> list[float]:
    """A point (a, b, c) where f is real (a, b > 0; c != 0) and no derivative is near 0."""
    a = round(rng.uniform(0.5, 4.0), 2)
    b = round(rng.uniform(0.3, 3.5), 2)
    c = round(rng.choice((-1, 1)) * rng.uniform(0.5, 5.0), 2)
    return [a, b, c]


def _told_apart(point: list[float]) -> bool:
    """True when every derivative at ``point`` is clearly apart from 0 and from each slip."""
    want = gradient(*point)
    return min(abs(w) for w in want) > 0.1 and not any(
        close(value, want[i], rel=1e-3) for i, value, _ in _by_hand_mistakes(*point)
    )


def _by_hand_points(rng: random.Random) -> list[dict]:
    """Two cases of two points each, every slip of the catalog visible at each."""
    cases: list[dict] = []
    while len(cases) < 2:
        points: list[list[float]] = []
        while len(points) < 2:
            p = _draw_point(rng)
            if _told_apart(p) and all(abs(p[0] - q[0]) > 0.2 for q in points):
                points.append(p)
        cases.append({"points": points})
    return cases


@check(
    "09.by_hand",
    visible={"points": [list(LECTURE_POINT), list(OTHER_POINT)]},
    hidden=_by_hand_points,
)
def by_hand(d, points) -> str:
    for i, point in enumerate(points):
        call = f"gradf_by_hand{_point(point)}"
        got = _three_numbers(d[f"at {i}"], call)
        want = gradient(*point)
        for j, (g, w) in enumerate(zip(got, want)):
            if close(g, w, rel=1e-9, abs_tol=1e-12):
                continue
            shown, expected = apart(g, w)
            for component, value, why in _by_hand_mistakes(*point):
                if component == j and close(g, value, rel=1e-9):
                    fail(f"{call}: {NAMES[j]} is {shown}, expected {expected}: {why}")
            for earlier in points[:i]:
                if all(close(x, y, rel=1e-9) for x, y in zip(got, gradient(*earlier))):
                    fail(
                        f"{call} returned {got}, the answer at ({_short(earlier)}): compute "
                        "the derivatives from a, b and c, not as fixed numbers"
                    )
            fail(
                f"{call}: {NAMES[j]} is {shown}, expected {expected}: differentiate "
                "each term of f by itself and add them up"
            )
    first = points[0]
    whose = ", the lecture's answer," if tuple(first) == LECTURE_POINT else ""
    others = ", ".join(_point(p) for p in points[1:])
    return (
        f"gradf_by_hand({_short(first)}) = [{', '.join(number(v) for v in gradient(*first))}]"
        f"{whose} and right at {others} too"
    )


# --- 2. numerical derivatives -----------------------------------------------------------


def central(fn: Callable, point: Sequence[float], h: float) -> list[float]:
    """Central differences at ``point`` (a, b, c), one input at a time."""
    a, b, c = point
    return [
        (fn(a + h, b, c) - fn(a - h, b, c)) / (2 * h),
        (fn(a, b + h, c) - fn(a, b - h, c)) / (2 * h),
        (fn(a, b, c + h) - fn(a, b, c - h)) / (2 * h),
    ]


def _numerical_mistakes(point: Sequence[float], h: float) -> list[tuple[int, float, str]]:
    a, b, c = point
    nudged = [(a + h, b, c), (a, b + h, c), (a, b, c + h)]
    back = [(a - h, b, c), (a, b - h, c), (a, b, c - h)]
    mid = central(f, point, h)
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


def _relative_error(got: Sequence[float], want: Sequence[float]) -> float:
    return max(abs(x - y) / max(abs(x), abs(y), 1e-12) for x, y in zip(got, want))


def _numerical_point(rng: random.Random, h: float) -> dict:
    """A point where every slip is visible with ``h`` and central differences with h from
    1e-6 to 1e-5 are well within 1e-6 of the exact derivatives; and a point of g."""
    while True:
        point = _draw_point(rng)
        mid = central(f, point, h)
        slips = _numerical_mistakes(point, h)
        if not _told_apart(point) or any(close(v, mid[i], rel=1e-6) for i, v, _ in slips):
            continue
        exact = gradient(*point)
        if all(_relative_error(central(f, point, step), exact) < 1e-7 for step in (1e-6, 1e-5)):
            break
    while True:
        g_point = [float(rng.randint(1, 6)) for _ in range(3)]
        if len({g_point[0], g_point[1], 2 * g_point[2]}) == 3:
            return {"point": point, "h": h, "g_point": g_point}


def _numerical_points(rng: random.Random) -> list[dict]:
    return [_numerical_point(rng, 1e-3) | {"other_h": 1e-2} for _ in range(2)]


def _same_for_any_h(
    got: list[float], other: list[float], point: Sequence[float], h: float, other_h: float
) -> str | None:
    """What shows that numerical_grad ignores its h: the same numbers with ``h`` and with
    ``other_h``, where central differences of f move. None when they move."""
    moves = not all(
        close(x, y, rel=1e-9) for x, y in zip(central(f, point, h), central(f, point, other_h))
    )
    if not moves or not all(close(x, y, rel=1e-12, abs_tol=0.0) for x, y in zip(got, other)):
        return None
    lecture = tuple(point) == LECTURE_POINT
    if not lecture and all(close(x, y, rel=1e-12) for x, y in zip(got, LECTURE_ANSWER)):
        seen = f" (the lecture's answer at ({_short(LECTURE_POINT)}))"
    elif all(close(x, y, rel=1e-12) for x, y in zip(got, gradient(*point))):
        seen = " (the exact derivatives, the lecture's answer)" if lecture else " (the exact ones)"
    else:
        seen = ""
    return (
        f"the very same numbers with h={other_h}{seen}: the result does not change when h "
        "changes, so numerical_grad ignores its argument h (a step of its own inside, or "
        "numbers typed in?). Nudge each input by the h it is given"
    )


@check(
    "09.numerical",
    visible={"point": list(LECTURE_POINT), "h": 1e-3, "other_h": 1e-2, "g_point": [1.0, 2.0, 3.0]},
    hidden=_numerical_points,
)
def numerical(d, point, h, other_h, g_point) -> str:
    # h = 1e-3 is large enough that forward and central differences differ clearly
    call = f"numerical_grad(f, {_short(point)}, h={h})"
    got = _three_numbers(d["with h"], call)
    other = _three_numbers(d["other h"], f"numerical_grad(f, {_short(point)}, h={other_h})")
    ignored = _same_for_any_h(got, other, point, h, other_h)
    want = central(f, point, h)
    for i, (g, w) in enumerate(zip(got, want)):
        if close(g, w, rel=1e-7, abs_tol=1e-9):
            continue
        shown, expected = apart(g, w)
        for component, value, why in _numerical_mistakes(point, h):
            if component == i and close(g, value, rel=1e-7, abs_tol=1e-9):
                fail(f"{call}: {NAMES[i]} is {shown}, expected {expected}: {why}")
        if ignored:
            fail(f"{call}: {NAMES[i]} is {shown}, expected {expected}; it returns {ignored}")
        fail(
            f"{call}: {NAMES[i]} is {shown}, expected {expected}, the central difference "
            "(f(x + h) - f(x - h)) / (2h) with x the one input being nudged"
        )
    if ignored:
        fail(f"{call} returns [{', '.join(number(x) for x in got)}], and {ignored}")
    ga, gb, gc = g_point
    g_call = f"numerical_grad(g, {_short(g_point)}) with g(a, b, c) = a*b + c**2"
    got_g = _three_numbers(d["of g"], g_call)
    expect(
        all(close(x, y, rel=1e-5, abs_tol=1e-5) for x, y in zip(got_g, [gb, ga, 2 * gc])),
        f"{g_call} is {got_g}, expected about [{gb:g}, {ga:g}, {2 * gc:g}]: call the "
        "function you are given (the argument f), not the f defined in the notebook",
    )
    call = f"numerical_grad(f, {_short(point)})"
    got = _three_numbers(d["default h"], call)
    exact = LECTURE_ANSWER if tuple(point) == LECTURE_POINT else gradient(*point)
    worst = _relative_error(got, exact)
    expect(
        worst < 1e-6,
        f"{call} is {got}: its relative error against the exact derivatives "
        f"{exact} is {worst:.1e}, expected below 1e-6. Is the default h about 1e-6?",
    )
    return (
        f"{call} agrees with the derivatives worked out by hand to a "
        f"relative error of {worst:.0e}; central differences (checked with h={_sci(h)}), one "
        "input at a time, on any function given"
    )


# --- 3. log --------------------------------------------------------------------------------


def _log_points(rng: random.Random) -> list[dict]:
    """Two cases of three x > 0 away from 1 (where x, 1/x, 1/x**2 and 1 meet) and from
    x * log(x) = 1 (where log(x) is 1/x)."""
    cases = []
    for _ in range(2):
        xs: list[float] = []
        while len(xs) < 3:
            x = round(rng.uniform(0.1, 20.0), 2)
            if abs(x - 1) > 0.2 and abs(x * math.log(x) - 1) > 0.1 and x not in xs:
                xs.append(x)
        cases.append({"xs": xs})
    return cases


@check("09.log", visible={"xs": [2.0, 0.5, 10.0]}, hidden=_log_points)
def log(d, xs) -> str:
    for i, x in enumerate(xs):
        call = f"log(Value({x}))"
        error = f"{i} attribute error"
        if error in d and "_backward" in str(d[error]):
            fail(
                f"{call} tried to set out._backward, which the course's Value does "
                "not have: it stores each node's local derivatives instead (notebook 08, "
                "section 7). Return Value(math.log(x), (self,), 'log', '', (local,)) with "
                "local = d log(x) / dx"
            )
        result = d[f"{i} result"]
        expect(not result.get("none"), f"{call} returned None: return the new Value")
        expect("data" in result, f"{call} returned {result.get('repr')}, expected a Value")
        got = result["data"]
        if not close(got, math.log(x), rel=1e-12):
            if close(got, math.log10(x)):
                fail(
                    f"{call}.data is {number(got)}, log base 10; the natural logarithm "
                    f"math.log({x}) is {number(math.log(x))}"
                )
            fail(f"{call}.data is {number(got)}, expected math.log({x}) = {number(math.log(x))}")
        expect(
            result["linked"][0],
            f"{call} has no link to its input: pass the Value it came from as its child, "
            "(self,), so that backward() can reach it",
        )
        slope = float(d[f"{i} grad"])
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
    at = ", ".join(f"{x:g}" for x in xs[:-1]) + f" and {xs[-1]:g}"
    return (
        f"log(x) gives math.log(x) and passes 1/x times the gradient to x, at x = {at} "
        "(not checked: what happens at x <= 0)"
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


def _datas(entry: dict, call: str, n: int) -> list[float]:
    """The probabilities' data (as the probe reported them), or a failure."""
    expect(not entry.get("none"), f"{call} returned None: return the list of probabilities")
    if "count" not in entry:
        fail(f"{call} returned {entry['repr']}, expected a list of {n} Values")
    count = entry["count"]
    expect(count == n, f"{call} returned {count} items, expected {n}, one per logit")
    if not entry["values"]:
        fail(
            f"{call} returned {entry['repr']}: expected a list of Values, so that the loss can "
            "be backpropagated to the logits"
        )
    return entry["data"]


def _fmt(values: Sequence[float]) -> str:
    return "[" + ", ".join(number(float(v)) for v in values) + "]"


def _draw_logits(rng: random.Random) -> list[float]:
    """2 to 5 logits in [-3, 3] whose exps do not add up to about 1, the first not tiny."""
    while True:
        logits = [round(rng.uniform(-3, 3), 1) for _ in range(rng.randint(2, 5))]
        if abs(sum(math.exp(z) for z in logits) - 1) > 0.05 and softmax_of(logits)[0] > 0.01:
            return logits


def _softmax_logits(rng: random.Random) -> list[dict]:
    """Two cases of two lists of logits."""
    return [{"logit_lists": [_draw_logits(rng), _draw_logits(rng)]} for _ in range(2)]


@check(
    "09.softmax",
    visible={"logit_lists": [list(LECTURE_LOGITS), list(OTHER_LOGITS)]},
    hidden=_softmax_logits,
)
def softmax(d, logit_lists) -> str:
    for i, logits in enumerate(logit_lists):
        call = f"softmax({logits})"
        got = _datas(d[f"{i} probs"], call, len(logits))
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
        grads = d[f"{i} grads"]
        want_grads = [want[0] * ((j == 0) - want[j]) for j in range(len(logits))]
        expect(
            all(close(g, w, rel=1e-7, abs_tol=1e-12) for g, w in zip(grads, want_grads)),
            f"after {call}[0].backward(), the logits' grads are {_fmt(grads)}, expected "
            f"{_fmt(want_grads)}: every step must be a Value operation; is the sum of the "
            "exps computed from .data (a plain number the gradient cannot flow through)?",
        )
    first = logit_lists[0]
    return (
        f"softmax({first}) = {_fmt(softmax_of(first))}, Values that add up "
        "to 1, right for another list of logits too, with the gradients of exp / sum"
    )


def _nll_probs(rng: random.Random) -> list[dict]:
    """Two cases: 3 to 5 different probabilities, multiples of 0.05 adding up to 1; the
    right class is another one in each (an answer that ignores the label fails one)."""
    cases: list[dict] = []
    while len(cases) < 2:
        n = rng.randint(3, 5)
        cuts = sorted(rng.sample(range(1, 20), n - 1))
        steps = [b - a for a, b in zip([0, *cuts], [*cuts, 20])]
        label = rng.randrange(n)
        if len(set(steps)) == n and all(label != case["label"] for case in cases):
            probs = [round(k * 0.05, 2) for k in steps]
            cases.append({"probs": probs, "label": label})
    return cases


@check("09.nll", visible={"probs": [0.1, 0.2, 0.3, 0.4], "label": 2}, hidden=_nll_probs)
def nll(d, probs, label) -> str:
    call = f"nll({probs}, label={label})"
    loss = d["loss"]
    expect(not loss.get("none"), f"{call} returned None: return -log(probs[label]), a Value")
    expect("data" in loss, f"{call} returned {loss.get('repr')}, expected a Value")
    got, want = loss["data"], -math.log(probs[label])
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
    grads = d["grads"]
    want_grads = [(-1 / probs[label]) if i == label else 0.0 for i in range(len(probs))]
    expect(
        all(close(g, w, rel=1e-9, abs_tol=1e-15) for g, w in zip(grads, want_grads)),
        f"after {call}.backward(), the probabilities' grads are {_fmt(grads)}, expected "
        f"{_fmt(want_grads)} (-1/p for the right class): is .log() the log with the "
        "local derivative 1/x you wrote above?",
    )
    p = probs[label]
    return (
        f"{call} = -log({p}) = {number(want)}, and only the right class's probability gets a "
        f"gradient, -1/{p} = {number(-1 / p)}"
    )


def _softmax_nll_cases(rng: random.Random) -> list[dict]:
    """Two cases of two lists of logits, each with a right class drawn among them."""
    cases = []
    for _ in range(2):
        lists = [_draw_logits(rng), _draw_logits(rng)]
        cases.append({"logit_lists": lists, "labels": [rng.randrange(len(zs)) for zs in lists]})
    return cases


@check(
    "09.softmax_nll",
    visible={
        "logit_lists": [list(LECTURE_LOGITS), list(OTHER_LOGITS)],
        "labels": [LECTURE_LABEL, OTHER_LABEL],
    },
    hidden=_softmax_nll_cases,
)
def softmax_nll(d, logit_lists, labels) -> str:
    for i, (logits, label) in enumerate(zip(logit_lists, labels)):
        call = f"nll(softmax({logits}), {label})"
        loss = d[f"{i} loss"]
        expect("data" in loss, f"{call} returned {loss.get('repr')}, expected a Value")
        probs = softmax_of(logits)
        want = -math.log(probs[label])
        expect(
            close(loss["data"], want, rel=1e-9),
            f"{call} is {number(float(loss['data']))}, expected {number(want)}: run the checks "
            "of softmax and nll above first",
        )
        grads = d[f"{i} grads"]
        # the gradient of the loss with respect to the logits: probabilities minus one-hot
        want_grads = [p - (j == label) for j, p in enumerate(probs)]
        expect(
            all(close(g, w, rel=1e-7, abs_tol=1e-12) for g, w in zip(grads, want_grads)),
            f"after {call}.backward(), the logits' grads are {_fmt(grads)}, expected "
            f"softmax - one-hot = {_fmt(want_grads)}",
        )
    logits, label = logit_lists[0], labels[0]
    probs = softmax_of(logits)
    grads = [p - (j == label) for j, p in enumerate(probs)]
    whose = "the lecture's" if (logits, label) == (LECTURE_LOGITS, LECTURE_LABEL) else "the"
    return (
        f"{whose} loss {number(-math.log(probs[label]))} and the logits' "
        f"gradients {_fmt(grads)} (softmax minus one-hot), and right for other logits too"
    )
