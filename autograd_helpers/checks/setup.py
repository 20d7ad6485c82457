"""Checks of 00_setup: slope, f, numerical derivative, partials."""

from fractions import Fraction

from autograd_helpers.checks._core import apart, check, close, expect, fail, number
from autograd_helpers.environment import ready  # noqa: F401  (Setup cells of older releases)
from autograd_helpers.probes import setup as _probes  # registers the probes; AT

# --- the checks of 00_setup ---------------------------------------------------------------


def _number(entry: dict, what: str) -> float:
    """The number a learner's function returned (as the probe reported it), or a failure."""
    if "xor" in entry:
        fail(
            f"{what} raised TypeError: {entry['xor']}. In Python `^` is bitwise xor; "
            "powers are written `**` (x**2)"
        )
    if entry.get("none"):
        fail(f"{what} returned None: did you forget `return`?")
    if "repr" in entry:
        fail(f"{what} returned {entry['repr']}, expected a number")
    return entry["number"]


def _short(x: float) -> str:
    """An input as a person writes it: 3, -2, 0.5, 2/3."""
    if x == round(x, 6):
        return f"{x:g}"
    fraction = Fraction(x).limit_denominator(12)
    return str(fraction) if close(float(fraction), x, rel=1e-12) else number(x)


def _apart(got: float, others: list[float], rel: float = 1e-6) -> bool:
    """True when ``got`` is not within ``rel`` of any of ``others`` (hidden draws use it)."""
    return not any(close(got, o, rel=rel, abs_tol=1e-9) for o in others)


# --- slope ---------------------------------------------------------------------------------


def _slope_mistakes(x1, y1, x2, y2) -> list[float]:
    """What the classic slips give (checks/setup's slope names them)."""
    want = (y2 - y1) / (x2 - x1)
    return [y2 - y1 / x2 - x1, (y2 - y1) / x2 - x1, 1 / want, -want]


def _slope_points(rng) -> list[dict]:
    """Two cases of three lines through integer points: rising, falling, flat."""
    cases: list[dict] = []
    while len(cases) < 2:
        points = []
        for kind in (1, -1, 0):
            while True:
                x1, y1, x2, y2 = (rng.randint(-9, 9) for _ in range(4))
                if kind == 0:
                    y2 = y1
                if x2 == 0 or x1 == x2 or (y2 - y1) * (x2 - x1) * kind < 0:
                    continue
                want = (y2 - y1) / (x2 - x1)
                mistakes = _slope_mistakes(x1, y1, x2, y2) if want else [y2 - y1 / x2 - x1]
                if (want == 0) == (kind == 0) and _apart(want, mistakes, rel=1e-3):
                    points.append([x1, y1, x2, y2])
                    break
        cases.append({"points": points})
    return cases


def _line(want: float, first: bool) -> str:
    kind = "falling" if want < 0 else "flat" if want == 0 else "rising"
    return f"a {kind} {'line' if first else 'one'} ({number(want)})"


@check(
    "00.slope",
    visible={"points": [[1, 2, 3, 8], [0, 5, 2, 1], [-1, 0.5, 1, 0.5]]},
    hidden=_slope_points,
)
def slope(d, points) -> str:
    wants = []
    for i, (x1, y1, x2, y2) in enumerate(points):
        want = (y2 - y1) / (x2 - x1)
        wants.append(want)
        what = f"slope({x1}, {y1}, {x2}, {y2})"
        got = _number(d[f"at {i}"], what)
        if close(got, want):
            continue
        if x2 and (close(got, y2 - y1 / x2 - x1) or close(got, (y2 - y1) / x2 - x1)):
            fail(
                f"{what} is {number(got)}, expected {number(want)}: / binds tighter than -, "
                "so write the parentheses: (y2 - y1) / (x2 - x1)"
            )
        if want and close(got, 1 / want):
            fail(
                f"{what} is {number(got)}, expected {number(want)}: that is run over rise; "
                "the slope is rise over run, (y2 - y1) / (x2 - x1)"
            )
        if close(got, -want):
            fail(
                f"{what} is {number(got)}, expected {number(want)}: the sign is flipped; "
                "subtract in the same order above and below: (y2 - y1) / (x2 - x1)"
            )
        fail(f"{what} is {number(got)}, expected {number(want)} (rise over run)")
    x1, y1, x2, y2 = points[0]
    others = " and ".join(_line(w, j == 0) for j, w in enumerate(wants[1:]))
    return f"slope({x1}, {y1}, {x2}, {y2}) is {number(wants[0])}; {others} too"


# --- f -------------------------------------------------------------------------------------


def _lecture_f(x: float) -> float:
    return 3 * x**2 - 4 * x + 5


def _f_points(rng) -> list[dict]:
    """Two cases of three float inputs with two decimals, away from 0 and 2 (where the slips
    give f's value)."""
    cases = []
    for _ in range(2):
        xs: list[float] = []
        while len(xs) < 3:
            x = round(rng.uniform(-5, 5), 2)
            if abs(x) > 0.3 and abs(x - 2) > 0.3:
                xs.append(x)
        cases.append({"xs": xs})
    return cases


@check("00.f", visible={"xs": [3.0, 0.0, -2.0, 0.5, 2 / 3]}, hidden=_f_points)
def function(d, xs) -> str:
    for i, x in enumerate(xs):
        want = _lecture_f(x)
        got = _number(d[f"at {i}"], f"f({number(x)})")
        if close(got, want):
            continue
        message = f"f({number(x)}) is {number(got)}, expected {number(want)}"
        if close(got, 3 * x**2 + 4 * x + 5):
            fail(f"{message}: is the middle term -4*x (minus)?")
        if close(got, 3 * x * 2 - 4 * x + 5):
            fail(f"{message}: x*2 doubles x; the square is x**2")
        if close(got, (3 * x) ** 2 - 4 * x + 5):
            fail(f"{message}: (3*x)**2 squares the 3 too; write 3 * x**2")
        fail(f"{message} (f(x) = 3*x**2 - 4*x + 5)")
    shown = ", ".join(f"f({x:g}) = {number(_lecture_f(x))}" for x in xs if x == round(x, 2))
    return f"{shown} (checked with float inputs)"


# --- the numerical derivative --------------------------------------------------------------


def _derivative_points(rng) -> list[dict]:
    """Two cases: points where f's slope 6x - 4 is clearly not 0, and a cube point in [1, 3]."""
    cases = []
    for _ in range(2):
        xs: list[float] = []
        while len(xs) < 3:
            x = round(rng.uniform(-5, 5), 2)
            if abs(6 * x - 4) > 1:
                xs.append(x)
        cube_at = round(rng.uniform(1, 3), 1)
        cases.append({"xs": xs, "step": 0.0001, "cube_at": cube_at, "big": 0.01, "small": 0.001})
    return cases


def _ignores_h(d, cube_at: float, big: float, small: float) -> str | None:
    """What shows that numerical_derivative ignores its h: x**3 at ``cube_at`` comes out the
    same with the steps ``big`` and ``small``, where any difference quotient that uses its
    step moves (forward ones by 3x(big - small), central ones by big² - small²). None when
    it moves, or when the probe stopped before both were tried."""
    if "cube" not in d or "cube small" not in d:
        return None
    got, again = d["cube"].get("number"), d["cube small"].get("number")
    if got is None or again is None or not close(got, again, rel=1e-12):
        return None
    return (
        f"numerical_derivative(x**3, {cube_at:g}, h) gives {number(got)} with h = {big} and "
        f"with h = {small} alike: the result does not change when h changes, so your function "
        "does not use its argument h (is there a step of its own inside it?)"
    )


@check(
    "00.derivative",
    visible={
        "xs": [3.0, 2 / 3, -3.0],
        "step": 0.0001,
        "cube_at": 2.0,
        "big": 0.01,
        "small": 0.001,
    },
    hidden=_derivative_points,
)
def derivative(d, xs, step, cube_at, big, small) -> str:
    ignored = _ignores_h(d, cube_at, big, small)
    for i, x in enumerate(xs):
        want = 6 * x - 4  # the exact slope of f(x) = 3x² - 4x + 5
        what = f"numerical_derivative(f, {number(x)}, {step})"
        got = _number(d[f"at {i}"], what)
        message = f"{what} is {number(got)} for f(x) = 3x² - 4x + 5, expected about {want:g}"
        if close(got, want, rel=1e-3, abs_tol=1e-3):
            continue
        if close(got, want * step, rel=1e-2, abs_tol=1e-6):
            fail(f"{message}: that is h times the slope: divide the rise by h")
        if close(got, -want, rel=1e-3, abs_tol=1e-3):
            fail(
                f"{message}: the sign is flipped: the rise is f(x + h) - f(x), not f(x) - f(x + h)"
            )
        if close(got, 2 * want, rel=1e-3, abs_tol=1e-3):
            fail(
                f"{message}: that is twice the slope. From x - h to x + h the run is 2 * h: "
                "divide by 2 * h, or rise from x to x + h, (f(x + h) - f(x)) / h"
            )
        if ignored:
            own = (got - want) / 3  # forward differences of this f are off by 3 * step
            seen = f"that is what a step of {number(own)} gives, and " if own > 0 else ""
            fail(f"{message}: {seen}{ignored}")
        fail(f"{message} (the slope (f(x + h) - f(x)) / h)")
    # x**3 with a large step: forward, central and backward differences differ from the slope
    # 3c² by known amounts, so a function that ignores its f is caught; and the same with a
    # smaller step must come out otherwise, or the function ignores its h.
    c = cube_at
    what = f"numerical_derivative(x**3, {c:g}, {big})"
    got = _number(d["cube"], what)
    _number(d["cube small"], f"numerical_derivative(x**3, {c:g}, {small})")
    ignored = _ignores_h(d, cube_at, big, small)
    forward = 3 * c**2 + 3 * c * big + big**2
    central, backward = 3 * c**2 + big**2, 3 * c**2 - 3 * c * big + big**2
    if not any(close(got, v, rel=1e-6) for v in (forward, central, backward)):
        if close(got, 6 * c - 4, rel=1e-2):
            fail(
                f"{what} is {number(got)}, which is the slope "
                f"of the lecture's f at {c:g}, not of x**3: use the function passed in as `f`"
            )
        shown, expected = apart(got, forward)
        message = f"{what} is {shown}, expected {expected} (= ({c + big:g}**3 - {c:g}**3) / {big})"
        if ignored:
            fail(f"{message}: {ignored}")
        fail(
            f"{message}, or {number(central)} or {number(backward)} by central or backward "
            "differences"
        )
    if ignored:
        fail(ignored)
    h = d["h"]
    h_shown = h.get("repr") if isinstance(h, dict) else repr(h)
    expect(
        isinstance(h, (int, float)) and not isinstance(h, bool) and h > 0,
        f"h is {h_shown}, expected a small positive number like 0.0001",
    )
    at = _number(d["with h"], f"numerical_derivative(f, {_probes.AT:g}, h)")
    true = 6 * _probes.AT - 4
    if h > 0.001:
        fail(
            f"h is {number(h)}: too big. With it the slope at {_probes.AT:g} comes out "
            f"{number(at)}, {number(abs(at - true))} away from the true {true:g} (the curve "
            "bends within the step); use h = 0.0001"
        )
    if h < 1e-10:
        fail(
            f"h is {number(h)}: too small. f({_probes.AT:g} + h) - f({_probes.AT:g}) then loses "
            f"most of its digits to rounding and the slope at {_probes.AT:g} comes out "
            f"{number(at)}, not {true:g}; use h = 0.0001"
        )
    slopes = ", ".join(f"{6 * x - 4:g} at x={_short(x)}" for x in xs)
    return (
        f"slopes about {slopes} (exact: 6x - 4), with h = {number(h)}; "
        "your function uses its f and h arguments"
    )


# --- partial derivatives -------------------------------------------------------------------


def _partial_points(rng) -> list[dict]:
    """Two points each, whose slopes (b, a, 1) are told apart from each other and from ±1."""

    def draw():
        while True:
            a, b, c = (round(rng.uniform(-9, 9), 1) for _ in range(3))
            values = (a, b, -a, -b, 1.0, -1.0)
            if all(abs(u - v) > 0.5 for i, u in enumerate(values) for v in values[i + 1 :]):
                return [a, b, c]

    cases: list[dict] = []
    while len(cases) < 2:
        first, second = draw(), draw()
        if abs(first[0] - second[0]) > 0.5 and abs(first[1] - second[1]) > 0.5:
            cases.append({"points": [first, second], "step": 0.0001})
    return cases


@check(
    "00.partials",
    visible={"points": [[2.0, -3.0, 10.0], [1.5, 4.0, -2.0]], "step": 0.0001},
    hidden=_partial_points,
)
def partials(d, points, step) -> str:
    names = ("dd/da", "dd/db", "dd/dc")
    first = None
    for i, (a, b, c) in enumerate(points):
        what = f"partial_derivatives({number(a)}, {number(b)}, {number(c)}, {step})"
        entry = d[f"at {i}"]
        if entry.get("none"):
            fail(f"{what} returned None: did you forget `return dd_da, dd_db, dd_dc`?")
        if "repr" in entry:
            fail(f"{what} returned {entry['repr']}, expected three numbers (dd_da, dd_db, dd_dc)")
        expect(entry["count"] == 3, f"{what} returned {entry['count']} numbers, expected 3")
        got = entry["numbers"]
        want = (b, a, 1.0)  # d = a*b + c
        shown = ", ".join(number(round(g, 6)) for g in got)
        message = f"{what} is ({shown}), expected about ({number(b)}, {number(a)}, 1.0)"
        if first is not None and got == first:
            a0, b0, c0 = points[0]
            fail(
                f"{message}: the same numbers as at a={a0:g}, b={b0:g}, c={c0:g}. Are they "
                "typed in? Compute them from a, b, c and h"
            )
        first = got
        for name, g, w in zip(names, got, want):
            if close(g, w, rel=1e-3, abs_tol=1e-3):
                continue
            if close(g, w * step, rel=1e-2, abs_tol=1e-8):
                fail(f"{message}: {name} is the rise d2 - d1; divide it by h")
            if close(g, -w, rel=1e-3, abs_tol=1e-3):
                fail(f"{message}: {name} has the wrong sign: (d2 - d1) / h, d2 after the nudge")
            other = [n for n, v in zip(names, want) if n != name and close(g, v, rel=1e-3)]
            if other:
                fail(
                    f"{message}: {name} came out as {other[0]}: nudge the right input, "
                    "and return the three in the order a, b, c"
                )
            fail(f"{message}: for {name}, nudge only that input by h, then (d2 - d1) / h")
    a, b, c = points[0]
    expect(
        d.get("uses h", True),
        f"partial_derivatives({number(a)}, {number(b)}, {number(c)}, {step}) gives the right "
        "slopes but never uses its argument h: nothing is added to it or divided by it. Nudge "
        "each input by the h it is given, not by a step of its own (d = a*b + c is a straight "
        "line in each input, so its slopes come out the same for any step)",
    )
    (a, b, c), (a2, b2, c2) = points[0], points[1]
    return (
        f"at a={a:g}, b={b:g}, c={c:g}: dd/da ≈ {b:g} (= b), dd/db ≈ {a:g} (= a), dd/dc ≈ 1; "
        f"and at a second point (a={a2:g}, b={b2:g}, c={c2:g}), so nothing is hard-coded"
    )
