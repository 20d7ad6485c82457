"""Looking at a learner's Value objects without trusting their class (every check module).

A learner's ``Value`` is never compared with ``isinstance`` against the reference class:
the helpers here recognise one by what it has (duck typing), read its children whatever
container ``_prev`` is, walk its graph without recursion, and read numbers out of it.
None of them calls a learner's method except attribute access and iteration of ``_prev``.
"""

from __future__ import annotations

import numbers
from typing import Any, TypeGuard

_MISSING = object()


def _attr(x: object, name: str) -> Any:
    """``getattr(x, name)``, or ``_MISSING`` when it is absent or its property raises."""
    try:
        return getattr(x, name, _MISSING)
    except Exception:  # a learner's property may raise anything
        return _MISSING


def is_number(x: object) -> TypeGuard[numbers.Real]:
    """True for a real number: int, float, numpy int/float scalar, Fraction; never a bool.

    A numpy scalar counts (``numbers.Real`` knows them), its ``.data`` (a memoryview)
    is never looked at.
    """
    return isinstance(x, numbers.Real) and not isinstance(x, bool)  # numpy.bool_ is not Real


def is_value(x: object) -> bool:
    """True for a Value-like object: a learner's or the reference's, from notebook 01 on.

    Precisely: ``x`` is not a class, its ``data`` is a real number (see :func:`is_number`:
    int, float or numpy scalar, not bool), and it has ``_prev`` or ``grad`` (notebook 01's
    Value has ``_prev`` but no ``grad`` yet; a learner may drop ``_prev`` for a leaf-only
    class but then has ``grad``). Numbers themselves are never Values, although numpy
    scalars and arrays have a ``data`` attribute (a memoryview, not a number).
    """
    if isinstance(x, type) or is_number(x):
        return False
    if not is_number(_attr(x, "data")):
        return False
    return _attr(x, "_prev") is not _MISSING or _attr(x, "grad") is not _MISSING


def children(v: object) -> list:
    """The children of ``v`` as a list, whatever container ``_prev`` is.

    Sets, frozensets, lists, tuples, dicts (their keys) and any other iterable are read in
    their own order; duplicates are kept as stored (a tuple ``(a, a)`` gives ``[a, a]``,
    a set ``{a}`` gives ``[a]``). No ``_prev``, ``None``, a string, a number or anything not
    iterable gives ``[]``.
    """
    prev = _attr(v, "_prev")
    if prev is _MISSING or prev is None or isinstance(prev, (str, bytes)) or is_number(prev):
        return []
    try:
        return list(prev)  # a dict gives its keys
    except Exception:  # not iterable, or a learner's container that raises
        return []


def walk(root: object) -> list:
    """Every object reachable from ``root`` through ``_prev``, ``root`` first, each once.

    Depth-first, iterative (a graph 100,000 nodes deep is fine), identity-based (two
    Values with equal data, or a learner's ``__eq__``/``__hash__``, never merge nodes).
    Non-Values found in a ``_prev`` (e.g. a float stored by mistake) are included, with
    no children: filter with :func:`is_value` when only Values count.
    """
    found: list = []
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        found.append(node)
        stack.extend(reversed(children(node)))  # first child is visited first
    return found


def as_float(x: object) -> float | None:
    """The number in ``x`` as a float: a Value's ``data``, an int, float or numpy scalar.

    ``None`` for anything else (a bool, a string, a list, a Value whose data is not a
    number). A numpy scalar gives its own value (never its memoryview ``.data``); a 0-d
    numpy array gives its item.
    """
    if is_number(x):
        try:
            return float(x)
        except (TypeError, ValueError, OverflowError):
            return None
    if is_value(x):
        return as_float(_attr(x, "data"))
    if _attr(x, "dtype") is not _MISSING and isinstance(_attr(x, "shape"), tuple):
        try:
            if x.shape == ():  # type: ignore[attr-defined]  # a 0-d numpy array
                return as_float(x.item())  # type: ignore[attr-defined]
        except Exception:
            return None
    return None


def shown(x: object, limit: int = 200) -> str:
    """``repr(x)``, safely: a learner's ``__repr__`` may raise or return anything."""
    try:
        text = repr(x)
        if not isinstance(text, str):
            raise TypeError
    except Exception:
        text = f"<{type(x).__name__} object>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def identify(objs: list, known: dict[str, object]) -> list:
    """Each of ``objs`` as the name in ``known`` of the very same object, else its repr.

    How a probe reports children: ``["a", "b"]`` for the operands themselves,
    ``["a", "Value(data=2.0)"]`` when one child is a copy.
    """
    names = {id(v): k for k, v in known.items()}
    return [names[id(x)] if id(x) in names else shown(x) for x in objs]


def prev_of(v: object, known: dict[str, object]) -> dict:
    """``v._prev`` as plain data: its repr, whether it can be read as children, and the
    children named by :func:`identify` (``{"missing": True}`` when there is no ``_prev``)."""
    prev = _attr(v, "_prev")
    if prev is _MISSING:
        return {"missing": True}
    try:
        iter(prev)
        iterable = True
    except TypeError:
        iterable = False
    kids = children(v)
    try:
        kids_shown = repr(kids)[:300]
    except Exception:
        kids_shown = f"<{len(kids)} children>"
    return {
        "repr": shown(prev),
        "iterable": iterable,
        "items": identify(kids, known),
        "shown": kids_shown,
    }
