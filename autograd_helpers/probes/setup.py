"""Probes of 00_setup: slope, f, the numerical derivative and the partial derivatives."""

import numbers

from autograd_helpers.probes import number_list, plain, probe, shown

AT = 3.0  # where the learner's own h is tried


def lecture_f(x):
    """The function handed to the learner's numerical_derivative: the lecture's 3x² - 4x + 5."""
    return 3 * x**2 - 4 * x + 5


def cube(x):
    """A second function for numerical_derivative, so that one ignoring its f is seen."""
    return x**3


def _returned(fn, *args) -> dict:
    """What ``fn(*args)`` gave: ``{"number": x}``, ``{"none": True}`` or ``{"repr": ...}``;
    ``{"xor": message}`` when Python refused a ``^`` (a TypeError that names it)."""
    try:
        result = fn(*args)
    except TypeError as exc:
        if "^" not in str(exc):
            raise
        return {"xor": str(exc)[:300]}
    if result is None:
        return {"none": True}
    try:
        return {"number": float(result)}
    except (TypeError, ValueError):
        return {"repr": shown(result)}


@probe("00.slope")
def slope(out, slope, *, points):
    for i, point in enumerate(points):
        out[f"at {i}"] = _returned(slope, *point)


@probe("00.f")
def function(out, f, *, xs):
    for i, x in enumerate(xs):
        out[f"at {i}"] = _returned(f, x)


@probe("00.derivative")
def derivative(out, numerical_derivative, h, *, xs, step, cube_at, big):
    for i, x in enumerate(xs):
        out[f"at {i}"] = _returned(numerical_derivative, lecture_f, x, step)
    out["cube"] = _returned(numerical_derivative, cube, cube_at, big)
    out["h"] = plain(h)
    if isinstance(h, numbers.Real) and not isinstance(h, bool) and h > 0:
        out["with h"] = _returned(numerical_derivative, lecture_f, AT, h)


@probe("00.partials")
def partials(out, partial_derivatives, *, points, step):
    for i, (a, b, c) in enumerate(points):
        out[f"at {i}"] = number_list(partial_derivatives(a, b, c, step))
