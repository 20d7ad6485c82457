"""Gradient checking: compare backward()'s gradients with central differences (notebook 04).

Works with any Value-like class: one built in the notebooks or the reference
``solutions.engine.Value``. All it needs is ``Value(number)``, ``.data``, ``.grad`` and
``.backward()``.

    >>> report = gradcheck(lambda a, b: a * b + a**2, {"a": 2.0, "b": -3.0}, Value)
    >>> print(report)  # one row per input: analytic, numerical, relative error, verdict

The relative error is CS231n's ``|a - n| / max(|a|, |n|, 1e-8)``: below 1e-7 the
gradient is right, below 1e-4 it is only roughly right (expected near a kink such as
ReLU's), above that it is wrong.

One exception: when the true gradient is 0 (``a / a``), the numerical one is rounding
noise, about 1e-10, and the relative error is large for no reason. A difference
smaller than that noise (1e-15 * max(1, |f|) / h) counts as great; the table marks it
``great*``.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

GREAT = 1e-7  # below: the gradient is right
OK_ISH = 1e-4  # below: roughly right (kinks, large h); above: wrong
FLOOR = 1e-8  # keeps the relative error finite when both gradients are 0
ROUNDING = 1e-15  # a few float epsilons: how exactly f(x + h) - f(x - h) is known
_RANK = {"great": 0, "ok-ish": 1, "wrong": 2}


def relative_error(analytic: float, numerical: float) -> float:
    """CS231n's relative error ``|a - n| / max(|a|, |n|, 1e-8)`` (notebook 04)."""
    return abs(analytic - numerical) / max(abs(analytic), abs(numerical), FLOOR)


def verdict(rel_error: float) -> str:
    """``"great"`` below 1e-7, ``"ok-ish"`` below 1e-4, else ``"wrong"`` (notebook 04)."""
    if rel_error < GREAT:
        return "great"
    if rel_error < OK_ISH:
        return "ok-ish"
    return "wrong"  # also for nan: a nan gradient is never right


@dataclass(frozen=True)
class GradcheckEntry:
    """One input's row of a gradient check."""

    name: str
    analytic: float  # from backward()
    numerical: float  # from central differences
    rel_error: float
    noise: float = 0.0  # rounding noise of the numerical gradient

    @property
    def within_noise(self) -> bool:
        """True when the two differ by less than the numerical gradient's rounding noise."""
        return abs(self.analytic - self.numerical) <= self.noise

    @property
    def verdict(self) -> str:
        return "great" if self.within_noise else verdict(self.rel_error)


@dataclass(frozen=True)
class GradcheckReport:
    """What :func:`gradcheck` found: the output's value and one entry per input.

    ``print(report)`` (or showing it in a notebook) gives the table; ``report["a"]``
    is input a's entry; ``report.verdict`` is the worst verdict of all inputs.
    """

    output: float
    entries: tuple[GradcheckEntry, ...]
    h: float

    def __getitem__(self, name: str) -> GradcheckEntry:
        for entry in self.entries:
            if entry.name == name:
                return entry
        raise KeyError(f"no input named {name!r}; inputs: {[e.name for e in self.entries]}")

    @property
    def worst(self) -> float:
        """The largest relative error (0.0 when there are no inputs)."""
        errors = [e.rel_error for e in self.entries]
        if any(err != err for err in errors):  # nan
            return float("nan")
        return max(errors, default=0.0)

    @property
    def verdict(self) -> str:
        """The worst verdict of all inputs ("great" when there are none)."""
        return max((e.verdict for e in self.entries), key=_RANK.__getitem__, default="great")

    @property
    def ok(self) -> bool:
        """True unless some input's gradient is wrong (above 1e-4)."""
        return self.verdict != "wrong"

    def table(self) -> str:
        """The report as a text table, CS231n style."""
        width = max([5, *(len(e.name) for e in self.entries)])
        lines = [
            f"{'input':<{width}}  {'analytic':>14}  {'numerical':>14}  {'rel. error':>10}  verdict",
        ]
        starred = False
        for e in self.entries:
            star = "*" if e.within_noise and verdict(e.rel_error) != "great" else ""
            starred = starred or bool(star)
            lines.append(
                f"{e.name:<{width}}  {e.analytic:>14.8g}  {e.numerical:>14.8g}  "
                f"{e.rel_error:>10.1e}  {e.verdict}{star}"
            )
        lines.append(f"output {self.output:.8g}; numerical: central differences, h = {_e(self.h)}")
        lines.append(
            f"relative error |a - n| / max(|a|, |n|, {_e(FLOOR)}): "
            f"< {_e(GREAT)} great, < {_e(OK_ISH)} ok-ish, otherwise wrong"
        )
        if starred:
            lines.append(
                "* the gradient is 0 and the numerical one only rounding noise: "
                "the relative error means nothing there"
            )
        return "\n".join(lines)

    __str__ = table

    def __repr__(self) -> str:
        return self.table()


def _e(x: float) -> str:
    """1e-07 as 1e-7."""
    return f"{x:.0e}".replace("e-0", "e-").replace("e+0", "e")


def _number(x: Any) -> float:
    """A Value's data, or the number itself (numpy scalars too: their ``.data`` is a buffer)."""
    if isinstance(x, numbers.Real):
        return float(x)
    return float(getattr(x, "data", x))


def _leaf(value_class: type | None, name: str, x: float) -> Any:
    """A fresh leaf: ``value_class(x)`` labelled ``name``, or the float itself."""
    if value_class is None:
        return x
    leaf = value_class(x)
    try:
        leaf.label = name
    except AttributeError:  # a class without a label is fine
        pass
    return leaf


def _split(
    values: Mapping[str, Any], value_class: type | None
) -> tuple[dict[str, float], type | None]:
    """The inputs as numbers, and the Value class (given, or that of a Value among them)."""
    numbers = {name: _number(v) for name, v in values.items()}
    if value_class is None:
        value_class = next(
            (type(v) for v in values.values() if hasattr(v, "data")),
            None,
        )
    return numbers, value_class


def numerical_grad(
    f: Callable[..., Any],
    inputs: Mapping[str, Any],
    h: float = 1e-6,
    value_class: type | None = None,
) -> dict[str, float]:
    """Central differences ``(f(x + h) - f(x - h)) / 2h`` for every input (notebook 04).

    ``f`` is called with keyword arguments, one per input: fresh leaves of
    ``value_class`` (or of the class of the Values in ``inputs``), or plain floats
    when there is no Value class, so ``numerical_grad(lambda x: 3*x**2 - 4*x + 5,
    {"x": 3.0})`` is about 14. ``f`` may return a Value (its ``data`` is used) or a number.
    """
    grads, _ = _central(f, *_split(inputs, value_class), h)
    return grads


def _central(
    f: Callable[..., Any], numbers: dict[str, float], value_class: type | None, h: float
) -> tuple[dict[str, float], dict[str, float]]:
    """Central differences for every input, and the rounding noise of each."""

    def at(shifted: dict[str, float]) -> float:
        leaves = {name: _leaf(value_class, name, x) for name, x in shifted.items()}
        return _number(f(**leaves))

    grads, noise = {}, {}
    for name, x in numbers.items():
        plus = at({**numbers, name: x + h})
        minus = at({**numbers, name: x - h})
        grads[name] = (plus - minus) / (2 * h)
        noise[name] = ROUNDING * max(1.0, abs(plus), abs(minus)) / h
    return grads, noise


def gradcheck(
    build: Callable[..., Any],
    values: Mapping[str, Any],
    value_class: type | None = None,
    h: float = 1e-6,
) -> GradcheckReport:
    """Check ``backward()``'s gradients of ``build`` against central differences (notebook 04).

    ``build(**leaves)`` returns the output Value of an expression of its leaves;
    ``values`` maps each leaf's name to its number (or to a Value, whose ``data`` is
    used). Leaves are fresh instances of ``value_class``, or of the class of the Values
    in ``values``, so the learner's Value and the reference one both work::

        gradcheck(lambda x: x.tanh() * 2 + x**3, {"x": 0.5}, Value)
    """
    numbers, value_class = _split(values, value_class)
    if value_class is None:
        raise TypeError(
            "gradcheck needs a Value class: pass it as the third argument, "
            "gradcheck(build, {'x': 0.5}, Value), or give the inputs as Values."
        )
    leaves = {name: _leaf(value_class, name, x) for name, x in numbers.items()}
    out = build(**leaves)
    if not hasattr(out, "backward"):
        raise TypeError(
            f"build returned {type(out).__name__} {out!r}, expected a Value: "
            "return the expression's output Value, e.g. lambda x: x**2 + x"
        )
    out.backward()
    numerical, noise = _central(build, numbers, value_class, h)
    entries = []
    for name, leaf in leaves.items():
        analytic, n = float(leaf.grad), numerical[name]
        entries.append(GradcheckEntry(name, analytic, n, relative_error(analytic, n), noise[name]))
    return GradcheckReport(_number(out), tuple(entries), h)
