"""What every check cell shares: finding the learner's objects, failing clearly, passing.

A check is a function decorated with :func:`check`. Its parameters name the learner's
objects (``Value``, ``trace``, ...); a check cell calls it with no arguments and the
objects are taken from the notebook (``__main__``), while tests pass them explicitly.
The function returns the text of its success line, or calls :func:`fail`.

A failing check raises :class:`CheckFailed` with the message ``✘ <test_id> — <why>``.
IPython shows an exception that has ``_render_traceback_`` as the lines that method
returns, so JupyterLab, Notebook 7 and Colab show that one line and no traceback
frames, while the cell still ends in an error (nbval, nbclient and the grader see
``ename`` ``CheckFailed`` and ``evalue`` the ✘ line).
"""

from __future__ import annotations

import functools
import inspect
import math
import numbers
import os
import sys
import sysconfig
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path

import autograd_helpers
import solutions
from autograd_helpers.checks._values import is_value
from autograd_helpers.course import REPOSITORY

ISSUES_URL = f"https://github.com/{REPOSITORY}/issues"


class CheckFailed(AssertionError):
    """A check found a mistake; the message names it (shown as that line alone)."""

    def _render_traceback_(self) -> list[str]:
        # IPython (interactiveshell.showtraceback) shows these lines instead of a traceback
        return str(self).splitlines() or [type(self).__name__]


def _report(message: str) -> None:
    raise CheckFailed(message)  # the only frame of ours a learner sees


def fail(message: str) -> None:
    """Stop the current check with a message that names the likely mistake."""
    __tracebackhide__ = True
    raise CheckFailed(message)


def expect(condition: object, message: str) -> None:
    """``fail(message)`` unless ``condition`` holds."""
    __tracebackhide__ = True
    if not condition:
        raise CheckFailed(message)


def close(a: object, b: float, rel: float = 1e-9, abs_tol: float = 1e-12) -> bool:
    """True when ``a`` is a real number within tolerance of ``b``."""
    try:
        a = float(a)
    except (TypeError, ValueError):
        return False
    return math.isclose(a, b, rel_tol=rel, abs_tol=abs_tol)


def number(x: object) -> str:
    """A number as the learner's own repr shows it: -1.0 stays -1.0, 3 stays 3.

    Floats print as Python prints them when that is short (2.0, -7.286496, 1e-08), else
    with 6 significant digits (0.707107 for 0.7071067811865476), always reading as a
    float (a long float near 2 shows 2.0, not 2). numpy scalars print as the Python
    number they hold; a Value as ``Value(data=...)``; anything else as its repr.
    """
    if isinstance(x, bool):
        return repr(x)
    if isinstance(x, numbers.Integral):
        return str(int(x))
    if isinstance(x, numbers.Real):
        f = float(x)
        text = repr(f)
        if len(text.lstrip("-")) <= 10:
            return text
        text = f"{f:.6g}"
        return text if any(ch in text for ch in ".ein") else text + ".0"
    if is_value(x):
        return f"Value(data={number(x.data)})"  # type: ignore[attr-defined]
    try:
        text = repr(x)
    except Exception:  # a learner's __repr__ may raise
        text = f"<{type(x).__name__} object>"
    return text if len(text) <= 200 else text[:197] + "..."


def _written_in_solutions(fn: object) -> bool:
    code = getattr(fn, "__code__", None)
    filename = getattr(code, "co_filename", "") or ""
    parts = filename.replace("\\", "/").split("/")
    return len(parts) > 1 and parts[-2] == "solutions"


def _from_reference(obj: object) -> bool:
    """True for the answer key itself, or a class built on it.

    Decided by identity and by where the code was written, not by ``__module__`` (which
    any class can rename).
    """
    if inspect.isclass(obj):
        classes = inspect.getmro(obj)
    else:  # a function, or an object made by the answer key's classes
        classes = (obj, *inspect.getmro(type(obj)))
    answers = {
        id(value)
        for name, module in list(sys.modules.items())
        if module is not None and name.split(".")[0] == "solutions"
        for value in list(vars(module).values())
        if inspect.isclass(value) or inspect.isfunction(value)
    }
    for c in classes:
        if id(c) in answers or (getattr(c, "__module__", "") or "").split(".")[0] == "solutions":
            return True
        if _written_in_solutions(c):
            return True
        if inspect.isclass(c) and any(_written_in_solutions(v) for v in vars(c).values()):
            return True
    return False


def _learner_namespace() -> dict:
    main = sys.modules.get("__main__")
    return vars(main) if main is not None else {}


def _folder(module: object) -> str:
    return os.path.normcase(str(Path(module.__file__).resolve().parent)) + os.sep  # type: ignore[attr-defined]


_CHECKS_DIR = _folder(sys.modules[__package__ or "autograd_helpers.checks"])
# code that is neither the learner's nor a check: Python, installed packages, the course's
# helpers (graph, gradcheck, ...) and the reference engine, which learners call too
_NEUTRAL_DIRS = tuple(
    {_folder(autograd_helpers), _folder(solutions)}
    | {
        os.path.normcase(str(Path(p).resolve())) + os.sep
        for key in ("stdlib", "platstdlib", "purelib", "platlib")
        if (p := sysconfig.get_paths().get(key))
    }
)


def _whose(filename: str) -> str:
    """Whose code a file is: "check", "neutral" (Python, libraries, helpers) or "learner"."""
    if filename.startswith("<") and not filename.startswith("<ipython-input"):
        return "neutral"  # <frozen importlib._bootstrap>, <string>, ...
    try:
        path = os.path.normcase(str(Path(filename).resolve()))
    except (OSError, ValueError):
        return "learner"
    if path.startswith(_CHECKS_DIR):
        return "check"
    return "neutral" if path.startswith(_NEUTRAL_DIRS) else "learner"


def _blame(exc: BaseException) -> tuple[str, traceback.FrameSummary | None]:
    """Who raised ``exc``: the innermost frame that is the learner's or a check's."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        whose = _whose(frame.filename)
        if whose != "neutral":
            return whose, frame
    return "check", None


def _learner_line(frame: traceback.FrameSummary) -> str:
    """`` (in `mean`, line 3: `return total / n`)``: where in the learner's code."""
    where = f"in `{frame.name}`, " if frame.name != "<module>" else ""
    line = (frame.line or "").strip()
    return f" ({where}line {frame.lineno}: `{line}`)" if line else f" ({where}line {frame.lineno})"


def _unexpected(exc: BaseException) -> str:
    """What to tell the learner about an exception a check did not expect."""
    error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    whose, frame = _blame(exc)
    if whose == "learner" and frame is not None:
        return f"your code raised {error}{_learner_line(frame)}"
    if isinstance(exc, (AttributeError, TypeError, ValueError)):
        # raised by the check while using the learner's objects: a missing attribute,
        # a wrong signature, an operand type their class does not accept, ...
        return f"the check could not use your code: {error}"
    where = ""
    if frame is not None:
        where = f" ({Path(frame.filename).name}, line {frame.lineno})"
    return (
        f"this is a bug in the check, not your code: {error}{where}. "
        f"Please report it at {ISSUES_URL}"
    )


def check(
    test_id: str, allow_reference: Iterable[str] = ()
) -> Callable[[Callable[..., str]], Callable[..., None]]:
    """Make ``fn`` a check cell's function with the stable id ``test_id`` ("03.used_twice").

    Arguments left out are looked up by name in the notebook. Any of them that comes
    from ``solutions`` is refused unless named in ``allow_reference`` (from 05 on,
    notebooks use the reference ``Value`` on purpose).
    """
    allowed = set(allow_reference)

    def decorate(fn: Callable[..., str]) -> Callable[..., None]:
        names = list(inspect.signature(fn).parameters)

        @functools.wraps(fn)
        def run(*args: object, **kwargs: object) -> None:
            __tracebackhide__ = True
            given = dict(zip(names, args), **kwargs)
            namespace = _learner_namespace()
            for name in names:
                if given.get(name) is None:
                    if name not in namespace:
                        _report(
                            f"✘ {test_id} — `{name}` is not defined: write the exercise "
                            "that defines it, run that cell (Shift+Enter), then this check."
                        )
                    given[name] = namespace[name]
                if name not in allowed and _from_reference(given[name]):
                    _report(
                        f"✘ {test_id} — `{name}` is the reference answer from "
                        "`solutions`: write your own in the exercise cell above "
                        "(checks refuse the answer key)."
                    )
            problem = None
            try:
                verified = fn(**given)
            except CheckFailed as exc:
                problem = str(exc)
            except NotImplementedError as exc:
                hint = f": {exc}" if str(exc) else ""
                problem = (
                    f"not written yet{hint}. Replace the "
                    "`raise NotImplementedError(...)` line in the exercise above "
                    "with your code, run that cell, then this check."
                )
            except RecursionError:
                problem = (
                    "your code recursed without end (RecursionError): does a method "
                    "call itself, e.g. __radd__ calling + with the operands in the "
                    "same order?"
                )
            except Exception as exc:
                problem = _unexpected(exc)
            if problem is not None:
                _report(f"✘ {test_id} — {problem}")
            print(f"✔ {test_id} — {verified}")

        run.test_id = test_id
        return run

    return decorate
