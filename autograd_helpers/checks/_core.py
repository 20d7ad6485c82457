"""What every check cell shares: finding the learner's objects, failing clearly, passing.

A check is a function decorated with :func:`check`. Its parameters name the learner's
objects (``Value``, ``trace``, ...); a check cell calls it with no arguments and the
objects are taken from the notebook (``__main__``), while tests pass them explicitly.
The function returns the text of its success line, or calls :func:`fail`.
"""

from __future__ import annotations

import functools
import inspect
import math
import sys
import traceback
from collections.abc import Callable, Iterable

_OUR_PACKAGES = ("autograd_helpers", "solutions")


class CheckFailed(AssertionError):
    """A check found a mistake; the message names it."""


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
    """A number as a learner would write it: 2.0, -0.7071, 1e-08."""
    if isinstance(x, (int, float)):
        return f"{x:.6g}" if isinstance(x, float) else str(x)
    return repr(x)


def _from_reference(obj: object) -> bool:
    """True for the answer key itself, or a class built on it."""
    classes = inspect.getmro(obj) if inspect.isclass(obj) else (obj,)
    return any((getattr(c, "__module__", "") or "").split(".")[0] == "solutions" for c in classes)


def _learner_namespace() -> dict:
    main = sys.modules.get("__main__")
    return vars(main) if main is not None else {}


def _where_in_learner_code(exc: BaseException) -> str:
    """The last line of the learner's own code in a traceback, if any."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        parts = frame.filename.replace("\\", "/").split("/")
        if not any(p in _OUR_PACKAGES for p in parts) and "importlib" not in parts:
            line = (frame.line or "").strip()
            return f" (in `{frame.name}`: `{line}`)" if line else f" (in `{frame.name}`)"
    return ""


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
                problem = (
                    f"your code raised {type(exc).__name__}: {exc}{_where_in_learner_code(exc)}"
                )
            if problem is not None:
                _report(f"✘ {test_id} — {problem}")
            print(f"✔ {test_id} — {verified}")

        run.test_id = test_id
        return run

    return decorate
