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


class Step(float):
    """A step h that notes when arithmetic uses it (``used``): d = a*b + c is linear, so
    partial_derivatives gives the same slopes for every h, and only this tells whether its
    h is used at all. Every operation gives a plain float, the same as with a float."""

    used = False


def _noting(name: str):
    def operation(self: Step, *args):
        self.used = True
        return getattr(float, name)(float.__float__(self), *args)

    return operation


for _name in (
    "__add__ __radd__ __sub__ __rsub__ __mul__ __rmul__ __truediv__ __rtruediv__ __floordiv__ "
    "__rfloordiv__ __mod__ __rmod__ __pow__ __rpow__ __neg__ __pos__ __abs__ __float__"
).split():
    setattr(Step, _name, _noting(_name))


@probe("00.derivative")
def derivative(out, numerical_derivative, h, *, xs, step, cube_at, big, small):
    for i, x in enumerate(xs):
        out[f"at {i}"] = _returned(numerical_derivative, lecture_f, x, step)
    out["cube"] = _returned(numerical_derivative, cube, cube_at, big)
    # the same with a step ten times smaller: a function that ignores its h gives the same
    out["cube small"] = _returned(numerical_derivative, cube, cube_at, small)
    out["h"] = plain(h)
    if isinstance(h, numbers.Real) and not isinstance(h, bool) and float(h) > 0:
        out["with h"] = _returned(numerical_derivative, lecture_f, AT, h)


@probe("00.partials")
def partials(out, partial_derivatives, *, points, step):
    used = False
    for i, (a, b, c) in enumerate(points):
        h = Step(step)
        slopes = partial_derivatives(a, b, c, h)
        used = used or h.used
        out[f"at {i}"] = number_list(slopes)
    out["uses h"] = used
