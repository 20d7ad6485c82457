"""Checks of 00_setup (slope, f, numerical derivative, partials) and every setup cell's report."""

import platform
import shutil

import autograd_helpers
from autograd_helpers.checks._core import check, close, expect, fail, number


def ready(notebook: str) -> None:
    """Print what the setup cell of ``notebook`` found (used by every notebook)."""
    dot = (
        "graphviz `dot` found"
        if shutil.which("dot")
        else ("graphviz `dot` NOT found: graphs will show as text (see 00_setup)")
    )
    print(
        f"Ready for {notebook}: Python {platform.python_version()}, "
        f"course helpers {autograd_helpers.__version__}, {dot}."
    )


# --- the checks of 00_setup ---------------------------------------------------------------


def _call(fn, *args: float, what: str) -> float:
    """``fn(*args)`` as a float, or a failure that says what came back instead."""
    try:
        result = fn(*args)
    except TypeError as exc:
        if "^" in str(exc):
            fail(
                f"{what} raised TypeError: {exc}. In Python `^` is bitwise xor; "
                "powers are written `**` (x**2)"
            )
        raise
    if result is None:
        fail(f"{what} returned None: did you forget `return`?")
    try:
        return float(result)
    except (TypeError, ValueError):
        fail(f"{what} returned {result!r}, expected a number")


@check("00.slope")
def slope(slope) -> str:
    cases = [((1, 2, 3, 8), 3.0), ((0, 5, 2, 1), -2.0), ((-1, 0.5, 1, 0.5), 0.0)]
    for (x1, y1, x2, y2), want in cases:
        what = f"slope({x1}, {y1}, {x2}, {y2})"
        got = _call(slope, x1, y1, x2, y2, what=what)
        if close(got, want):
            continue
        if close(got, y2 - y1 / x2 - x1) or close(got, (y2 - y1) / x2 - x1):
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
    return "slope(1, 2, 3, 8) is 3.0; a falling line (-2.0) and a flat one (0.0) too"


def _lecture_f(x: float) -> float:
    return 3 * x**2 - 4 * x + 5


@check("00.f")
def function(f) -> str:
    for x in (3.0, 0.0, -2.0, 0.5, 2 / 3):
        want = _lecture_f(x)
        got = _call(f, x, what=f"f({number(x)})")
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
    return "f(3) = 20.0, f(0) = 5.0, f(-2) = 25.0, f(0.5) = 3.75 (checked with float inputs)"


def _cube(x: float) -> float:
    return x**3


@check("00.derivative")
def derivative(numerical_derivative, h) -> str:
    step = 0.0001
    for x, want in ((3.0, 14.0), (2 / 3, 0.0), (-3.0, -22.0)):
        what = f"numerical_derivative(f, {number(x)}, {step})"
        got = _call(numerical_derivative, _lecture_f, x, step, what=what)
        message = f"{what} is {number(got)} for f(x) = 3x² - 4x + 5, expected about {want:g}"
        if close(got, want, rel=1e-3, abs_tol=1e-3):
            continue
        if close(got, want * step, rel=1e-2, abs_tol=1e-6):
            fail(f"{message}: that is h times the slope: divide the rise by h")
        if close(got, -want, rel=1e-3, abs_tol=1e-3):
            fail(
                f"{message}: the sign is flipped: the rise is f(x + h) - f(x), not f(x) - f(x + h)"
            )
        own = (got - want) / 3  # forward differences of this f are off by 3 * step
        if own > 0 and not close(own, step, rel=0.1):
            fail(
                f"{message}: that is what a step of {number(own)} gives, not h = {step}: "
                "does your function use its argument h, not a step of its own?"
            )
        fail(f"{message} (the slope (f(x + h) - f(x)) / h)")
    # x**3 at 2 with a large step: forward, central and backward differences differ from 12
    # by known amounts, so a function that ignores its h (or its f) is caught.
    big = 0.01
    got = _call(numerical_derivative, _cube, 2.0, big, what=f"numerical_derivative(x**3, 2, {big})")
    forward, central, backward = 12 + 6 * big + big**2, 12 + big**2, 12 - 6 * big + big**2
    if not any(close(got, v, rel=1e-6) for v in (forward, central, backward)):
        if close(got, 8.0, rel=1e-2):
            fail(
                f"numerical_derivative(x**3, 2, {big}) is {number(got)}, which is the slope "
                "of the lecture's f at 2, not of x**3: use the function passed in as `f`"
            )
        fail(
            f"numerical_derivative(x**3, 2, {big}) is {number(got)}, expected {number(forward)} "
            "(= (2.01**3 - 2**3) / 0.01): does your function use its argument h, not a "
            "step of its own?"
        )
    expect(
        isinstance(h, (int, float)) and not isinstance(h, bool) and h > 0,
        f"h is {h!r}, expected a small positive number like 0.0001",
    )
    at_3 = _call(numerical_derivative, _lecture_f, 3.0, h, what="numerical_derivative(f, 3, h)")
    if h > 0.001:
        fail(
            f"h is {number(h)}: too big. With it the slope at 3 comes out {number(at_3)}, "
            f"{number(abs(at_3 - 14))} away from the true 14 (the curve bends within the "
            "step); use h = 0.0001"
        )
    if h < 1e-10:
        fail(
            f"h is {number(h)}: too small. f(3 + h) - f(3) then loses most of its digits to "
            f"rounding and the slope at 3 comes out {number(at_3)}, not 14; use h = 0.0001"
        )
    return (
        f"slopes about 14 at x=3, 0 at x=2/3, -22 at x=-3 (exact: 6x - 4), with h = {number(h)}; "
        "your function uses its f and h arguments"
    )


@check("00.partials")
def partials(partial_derivatives) -> str:
    names = ("dd/da", "dd/db", "dd/dc")
    step = 0.0001
    first = None
    for a, b, c in ((2.0, -3.0, 10.0), (1.5, 4.0, -2.0)):
        what = f"partial_derivatives({number(a)}, {number(b)}, {number(c)}, {step})"
        got = partial_derivatives(a, b, c, step)
        if got is None:
            fail(f"{what} returned None: did you forget `return dd_da, dd_db, dd_dc`?")
        try:
            got = [float(v) for v in got]
        except (TypeError, ValueError):
            fail(f"{what} returned {got!r}, expected three numbers (dd_da, dd_db, dd_dc)")
        expect(len(got) == 3, f"{what} returned {len(got)} numbers, expected 3")
        want = (b, a, 1.0)  # d = a*b + c
        shown = ", ".join(number(round(g, 6)) for g in got)
        message = f"{what} is ({shown}), expected about ({number(b)}, {number(a)}, 1.0)"
        if first is not None and got == first:
            fail(
                f"{message}: the same numbers as at a=2, b=-3, c=10. Are they typed in? "
                "Compute them from a, b, c and h"
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
    return (
        "at a=2, b=-3, c=10: dd/da ≈ -3 (= b), dd/db ≈ 2 (= a), dd/dc ≈ 1; and at a second "
        "point (a=1.5, b=4, c=-2), so nothing is hard-coded"
    )
