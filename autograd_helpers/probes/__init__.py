"""Probes: the half of a check that runs beside the learner's code and reports plain data.

A check is a *probe* and a *judge*. The probe (here, one module per notebook) exercises the
learner's objects with given inputs and writes what it saw into a dict of plain data:
numbers, strings, lists, a graph as nodes and edges. The judge (``autograd_helpers.checks``)
is a pure function from that data and the inputs to ✔ or the ✘ message that names the
mistake; it computes the expected values itself.

In a notebook both halves run in the learner's kernel. The grader runs only the probe
there: its kernel holds this package but neither the judges nor the reference engine, it
draws the inputs itself (more of them than the notebook shows) and judges the data in its
own process. A probe therefore holds no expected value and no secret: it only reports.

A probe is ``fn(out, <learner names...>, *, <inputs...>)``: the positional parameters after
``out`` name the learner's objects (taken from the notebook, or given by a test), the
keyword-only ones are the inputs of one case. What the probe wrote before the learner's
code raised is kept, with a description of the error (``STOP``): the judge reports that
error where it needs the data that is missing.
"""

from __future__ import annotations

import importlib
import inspect
import json
import numbers
import os
import sys
import sysconfig
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from autograd_helpers.probes._values import is_value, shown

STOP = "~stop"  # the key under which a probe's answer says why it stopped early
MIME = "application/x-autograd-course-probe"  # how the grader finds an answer among outputs
MAX_TEXT = 2000  # characters of one string in an answer
MAX_ITEMS = 20000  # items of one list or dict in an answer
MAX_DEPTH = 12


@dataclass(frozen=True)
class Probe:
    test_id: str
    fn: Callable[..., None]
    names: tuple[str, ...]  # the learner's objects it exercises, by name
    allow_reference: frozenset[str]


PROBES: dict[str, Probe] = {}


def probe(test_id: str, allow_reference: Iterable[str] = ()) -> Callable:
    """Register ``fn`` as the probe of ``test_id`` ("03.used_twice").

    Names in ``allow_reference`` may be the reference answer (from 05 on, notebooks use the
    reference ``Value`` on purpose); any other name that comes from ``solutions`` is refused.
    """

    def decorate(fn: Callable[..., None]) -> Callable[..., None]:
        params = list(inspect.signature(fn).parameters.values())[1:]
        names = tuple(p.name for p in params if p.kind is p.POSITIONAL_OR_KEYWORD)
        PROBES[test_id] = Probe(test_id, fn, names, frozenset(allow_reference))
        fn.test_id = test_id  # type: ignore[attr-defined]
        return fn

    return decorate


# --- plain data ------------------------------------------------------------------------------


def number_list(result: Any) -> dict:
    """A returned sequence of numbers: ``{"numbers": [...], "count": n}`` (the first ten),
    ``{"none": True}`` for None, else ``{"repr": ...}`` of what it was."""
    if result is None:
        return {"none": True}
    try:
        values = [float(v) for v in result]
    except (TypeError, ValueError):
        return {"repr": shown(result)}
    return {"numbers": values[:10], "count": len(values)}


def missing(name: str) -> dict:
    """The marker of an attribute a learner's object does not have."""
    return {"~": "missing", "name": name}


def attr(x: object, name: str) -> object:
    """``getattr(x, name)``, or :func:`missing` when it is absent (AttributeError)."""
    try:
        return getattr(x, name)
    except AttributeError:
        return missing(name)


def plain(x: object, depth: int = 0) -> object:
    """``x`` as JSON-able plain data: numbers, strings, lists and dicts of them.

    numpy scalars become Python numbers; a Value-like object becomes
    ``{"~": "value", "data": ..., "type": ..., "repr": ...}``; anything else
    ``{"~": "object", "type": ..., "repr": ...}``. Long strings and lists are cut.
    """
    if x is None or type(x) in (bool, int, float):
        return x
    if type(x) is str:
        return x[:MAX_TEXT]
    if depth > MAX_DEPTH:
        return {"~": "object", "type": type(x).__name__, "repr": "..."}
    if isinstance(x, numbers.Real) and not isinstance(x, bool):
        try:
            return int(x) if isinstance(x, numbers.Integral) else float(x)
        except Exception:
            pass
    if isinstance(x, str):  # a str subclass
        return str.__str__(x)[:MAX_TEXT]
    if isinstance(x, dict) and type(x) is dict:
        return {
            (k if isinstance(k, str) else shown(k)): plain(v, depth + 1)
            for k, v in list(x.items())[:MAX_ITEMS]
        }
    if isinstance(x, (list, tuple)) and type(x) in (list, tuple):  # not a subclass
        return [plain(v, depth + 1) for v in list(x)[:MAX_ITEMS]]
    if is_value(x):
        return {
            "~": "value",
            "data": plain(attr(x, "data"), depth + 1),
            "type": type(x).__name__,
            "repr": shown(x),
        }
    return {"~": "object", "type": type(x).__name__, "repr": shown(x)}


def encode(data: object) -> str:
    """An answer as text (JSON; nan and inf are kept)."""
    return json.dumps(data, allow_nan=True, ensure_ascii=False)


# --- whose code raised -----------------------------------------------------------------------


def _folder(module: object) -> str:
    return os.path.normcase(str(Path(module.__file__).resolve().parent)) + os.sep  # type: ignore[attr-defined]


_PROBES_DIR = _folder(sys.modules[__name__])
_OURS = str(Path(_PROBES_DIR).parent.parent)  # the folder holding autograd_helpers (and solutions)
# code that is neither the learner's nor a probe: Python, installed packages, the course's
# helpers (graph, gradcheck, ...) and the reference engine, which learners call too
_NEUTRAL_DIRS = tuple(
    {
        str(Path(_PROBES_DIR).parent) + os.sep,
        os.path.normcase(os.path.join(_OURS, "solutions")) + os.sep,
    }
    | {
        os.path.normcase(str(Path(p).resolve())) + os.sep
        for key in ("stdlib", "platstdlib", "purelib", "platlib")
        if (p := sysconfig.get_paths().get(key))
    }
)


def _whose(filename: str) -> str:
    """Whose code a file is: "probe", "neutral" (Python, libraries, helpers) or "learner"."""
    if filename.startswith("<") and not filename.startswith("<ipython-input"):
        return "neutral"  # <frozen importlib._bootstrap>, <string>, ...
    try:
        path = os.path.normcase(str(Path(filename).resolve()))
    except (OSError, ValueError):
        return "learner"
    if path.startswith(_PROBES_DIR):
        return "probe"
    return "neutral" if path.startswith(_NEUTRAL_DIRS) else "learner"


def describe(exc: BaseException) -> dict:
    """Why a probe stopped, as plain data for the judge to word (see checks._core.stopped).

    ``kind``: "not_written" (NotImplementedError), "recursion", "learner" (the learner's code
    raised it), "use" (the probe could not use the learner's objects: a missing attribute, a
    wrong signature) or "bug" (the probe itself is wrong).
    """
    try:
        text = str(exc)
    except Exception:
        text = ""
    error = f"{type(exc).__name__}: {text[:300]}" if text else type(exc).__name__
    if isinstance(exc, NotImplementedError):
        return {"kind": "not_written", "hint": text[:300]}
    if isinstance(exc, RecursionError):
        return {"kind": "recursion", "error": error}
    frame, whose = None, "probe"
    for f in reversed(traceback.extract_tb(exc.__traceback__)):
        who = _whose(f.filename)
        if who != "neutral":
            frame, whose = f, who
            break
    where = {}
    if frame is not None:
        where = {
            "function": frame.name,
            "line": frame.lineno,
            "code": (frame.line or "").strip()[:200],
            "file": Path(frame.filename).name,
        }
    if whose == "learner":
        return {"kind": "learner", "error": error, **where}
    if isinstance(exc, (AttributeError, TypeError, ValueError)):
        return {"kind": "use", "error": error}
    return {"kind": "bug", "error": error, **where}


# --- running a probe -------------------------------------------------------------------------


def _from_reference(obj: object) -> bool:
    """True for the answer key itself, or a class built on it.

    Decided by where the code was written (a folder named ``solutions``), not by
    ``__module__`` (which any class can rename).
    """
    try:
        classes = inspect.getmro(obj) if inspect.isclass(obj) else (obj, *inspect.getmro(type(obj)))
    except Exception:
        return False
    for c in classes:
        if (getattr(c, "__module__", "") or "").split(".")[0] == "solutions":
            return True
        members = list(vars(c).values()) if inspect.isclass(c) else [c]
        for member in members:
            code = getattr(member, "__code__", None)
            parts = (getattr(code, "co_filename", "") or "").replace("\\", "/").split("/")
            if len(parts) > 1 and parts[-2] == "solutions":
                return True
    return False


def load(module: str) -> None:
    """Import the probes of one notebook (``"value"`` for 01_value), registering them."""
    importlib.import_module(f"{__name__}.{module}")


def collect(test_id: str, case: dict | None = None, given: dict | None = None) -> dict:
    """What the probe of ``test_id`` saw for one case, as plain data. Never raises.

    The learner's objects come from ``given`` (tests) or else from the notebook
    (``__main__``); a missing one, or the reference answer, stops it at once.
    """
    spec = PROBES[test_id]
    main = sys.modules.get("__main__")
    namespace = vars(main) if main is not None else {}
    objects = []
    for name in spec.names:
        if given and given.get(name) is not None:
            obj = given[name]
        elif name in namespace:
            obj = namespace[name]
        else:
            return {STOP: {"kind": "undefined", "name": name}}
        if name not in spec.allow_reference and _from_reference(obj):
            return {STOP: {"kind": "reference", "name": name}}
        objects.append(obj)
    out: dict = {}
    try:
        spec.fn(out, *objects, **(case or {}))
    except Exception as exc:
        out[STOP] = describe(exc)
    try:
        return plain(out)  # type: ignore[return-value]
    except Exception as exc:  # a learner's object that even plain() cannot read
        return {STOP: describe(exc)}


def answer(module: str, test_id: str, nonce: str, cases: list[dict]) -> None:
    """The grader's request: the probe's data for each case, shown as one output."""
    load(module)
    answers = [collect(test_id, case) for case in cases]
    payload = encode({"nonce": nonce, "test_id": test_id, "answers": answers})
    from IPython.display import display

    display({MIME: payload}, raw=True)
