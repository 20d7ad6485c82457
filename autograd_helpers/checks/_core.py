"""The judges' half of every check: answers, verdicts, failing clearly, passing.

A check is a probe (``autograd_helpers.probes``: it exercises the learner's objects and
reports plain data) and a judge (here: a pure function from that data and the inputs to
the text of the ✔ line, or :func:`fail` with the ✘ message). A judge module registers its
judges with :func:`check`; the object it returns is what a check cell calls
(``checks.value.init()``): it runs the probe on the notebook's objects, passes the data
through JSON (exactly what the grader would read back), judges it and prints
``✔ <test_id> — <what was verified>`` or raises :class:`CheckFailed`.

A failing check raises :class:`CheckFailed` with the message ``✘ <test_id> — <why>``.
IPython shows an exception that has ``_render_traceback_`` as the lines that method
returns, so JupyterLab, Notebook 7 and Colab show that one line and no traceback
frames, while the cell still ends in an error (nbval, nbclient and the grader see
``ename`` ``CheckFailed`` and ``evalue`` the ✘ line).

The grader calls :func:`verdict` in its own process on the data its kernel sent back, for
the notebook's inputs (``Check.visible``) and inputs it draws (``Check.hidden``).
"""

from __future__ import annotations

import json
import math
import numbers
import random
import sys
import textwrap
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from autograd_helpers import probes
from autograd_helpers.course import REPOSITORY
from autograd_helpers.probes import STOP
from autograd_helpers.probes._values import is_value

ISSUES_URL = f"https://github.com/{REPOSITORY}/issues"


WIDTH = 88  # characters per shown line: notebooks wrap longer ones in the middle of words
RED, GREEN, PLAIN = "\x1b[31m", "\x1b[32m", "\x1b[0m"  # JupyterLab, Notebook 7, Colab: colours


def shown_lines(line: str, colour: str) -> list[str]:
    """A ✔ or ✘ line as a notebook shows it: wrapped between words at :data:`WIDTH`, the
    mark and test id in ``colour`` (for a notebook's output only: text elsewhere stays plain)."""
    mark, sep, rest = line.partition(" — ")
    lines = textwrap.wrap(
        line, WIDTH, break_long_words=False, break_on_hyphens=False, subsequent_indent="  "
    ) or [line]
    if sep and lines[0].startswith(mark):
        lines[0] = f"{colour}{mark}{PLAIN}{lines[0][len(mark) :]}"
    return lines


def _notebook_output() -> bool:
    """True when printing goes to a notebook's output (a Jupyter kernel's stream; in the
    browser, JupyterLite's Pyodide kernel's)."""
    return type(sys.stdout).__module__.startswith(("ipykernel", "pyodide_kernel"))


def name_errors_by_class() -> None:
    """In JupyterLite: the kernel names an error by its class (``CheckFailed``), as ipykernel.

    JupyterLite's Pyodide kernel records an error's name as ``str(type)``, i.e.
    ``<class 'autograd_helpers.checks._core.CheckFailed'>``: the page shows the ✘ line (the
    traceback, see :class:`CheckFailed`), but the saved notebook and every tool that reads the
    error's name get that text. Its shell is patched once to record ``type.__name__``;
    elsewhere (no such shell) nothing changes.
    """
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is None or not hasattr(shell, "_last_traceback"):  # not JupyterLite's kernel
        return
    if getattr(shell, "_course_names_errors", False):
        return
    shown = shell._showtraceback

    def _showtraceback(etype, evalue, stb):
        shown(etype, evalue, stb)
        if isinstance(shell._last_traceback, dict) and isinstance(etype, type):
            shell._last_traceback["ename"] = etype.__name__

    shell._showtraceback = _showtraceback
    shell._course_names_errors = True


class CheckFailed(AssertionError):
    """A check found a mistake; the message names it (shown as that line alone)."""

    def _render_traceback_(self) -> list[str]:
        # IPython (interactiveshell.showtraceback) shows these lines instead of a traceback;
        # the error's value (what nbval and tools read) stays the plain message
        text = str(self)
        if not text.startswith("✘ "):
            return text.splitlines() or [type(self).__name__]
        return [shown for line in text.splitlines() for shown in shown_lines(line, RED)]


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
    if isinstance(x, dict) and x.get("~") == "value":  # a Value, as a probe reports it
        return f"Value(data={number(x.get('data'))})"
    if isinstance(x, dict) and x.get("~") == "object":
        return str(x.get("repr", ""))
    if isinstance(x, dict) and x.get("~") == "missing":
        return f"<no attribute {x.get('name')}>"
    if is_value(x):
        return f"Value(data={number(x.data)})"  # type: ignore[attr-defined]
    try:
        text = repr(x)
    except Exception:  # a learner's __repr__ may raise
        text = f"<{type(x).__name__} object>"
    return text if len(text) <= 200 else text[:197] + "..."


def attribute(x, name: str):
    """A reported attribute, or a failure that says the attribute is missing."""
    if isinstance(x, dict) and x.get("~") == "missing":
        fail(f"a Value has no attribute `{name}`: set `self.{name} = ...` in __init__")
    return x


def apart(got: float, want: float) -> tuple[str, str]:
    """``got`` and ``want`` as :func:`number` writes them, with more significant digits when
    that is needed to tell them apart (10.256990271 and 10.256994547, not 10.257 twice)."""
    shown = number(got), number(want)
    if shown[0] != shown[1] or got == want:
        return shown
    for digits in range(7, 18):
        shown = f"{got:#.{digits}g}", f"{want:#.{digits}g}"  # "#": keep trailing zeros
        if shown[0] != shown[1]:
            break
    return shown


class Answer(Mapping):
    """A probe's data as a judge reads it: ``d["key"]``.

    A key the probe never wrote because the learner's code raised first stops the judge
    there with that error (so messages come in the order the old single-piece checks gave
    them); a key missing for no reason is a malformed answer (:class:`Malformed`).
    """

    def __init__(self, data: object) -> None:
        self._data = data if isinstance(data, dict) else {}
        self.stop = self._data.get(STOP)

    def __getitem__(self, key: str) -> object:
        if key in self._data and key != STOP:
            return self._data[key]
        if self.stop is not None:
            raise Stopped(self.stop)
        raise Malformed(f"no {key!r} in the probe's answer")

    def get(self, key: str, default: object = None) -> object:
        """``d[key]`` when the probe wrote it; ``default`` when it chose not to."""
        if key in self:
            return self._data[key]
        if self.stop is not None:
            raise Stopped(self.stop)
        return default

    def __contains__(self, key: object) -> bool:
        return key in self._data and key != STOP

    def __iter__(self):
        return (k for k in self._data if k != STOP)

    def __len__(self) -> int:
        return sum(1 for _ in self)


class Stopped(Exception):
    """The probe stopped before writing what the judge needs (see :func:`stopped`)."""


class Malformed(Exception):
    """The answer is not what the probe writes: a bug, or an answer forged in the kernel."""


def stopped(stop: object) -> str:
    """The learner's message for a probe that stopped early (``probes.describe``)."""
    s = stop if isinstance(stop, dict) else {}
    kind, error = s.get("kind"), str(s.get("error", ""))
    if kind == "undefined":
        return (
            f"`{s.get('name')}` is not defined: write the exercise that defines it, run that "
            "cell (Shift+Enter), then this check."
        )
    if kind == "reference":
        return (
            f"`{s.get('name')}` is the reference answer from `solutions`: write your own in "
            "the exercise cell above (checks refuse the answer key)."
        )
    if kind == "not_written":
        hint = f": {s.get('hint')}" if s.get("hint") else ""
        return (
            f"not written yet{hint}. Replace `raise NotImplementedError(...)` above, run it, "
            "then this check."
        )
    if kind == "recursion":
        return (
            "your code recursed without end (RecursionError): does a method call itself, "
            "e.g. __radd__ calling + with the operands in the same order?"
        )
    if kind == "learner":
        where = f"in `{s.get('function')}`, " if s.get("function") not in (None, "<module>") else ""
        code = f": `{s.get('code')}`" if s.get("code") else ""
        return f"your code raised {error} ({where}line {s.get('line')}{code})"
    if kind == "use":
        return f"the check could not use your code: {error}"
    where = f" ({s.get('file')}, line {s.get('line')})" if s.get("file") else ""
    return (
        f"this is a bug in the check, not your code: {error}{where}. "
        f"Please report it at {ISSUES_URL}"
    )


@dataclass(frozen=True)
class Verdict:
    passed: bool
    text: str  # the ✔ line's text, or the ✘ message (without "✘ <test_id> — ")
    malformed: bool = False  # the answer was not a probe's (a bug, or forged in the kernel)


@dataclass
class Check:
    """One check: its judge, the notebook's inputs and how the grader draws more."""

    test_id: str
    judge: Callable[..., str]
    visible: dict = field(default_factory=dict)
    hidden: Callable[[random.Random], list[dict]] | None = None

    @property
    def __name__(self) -> str:  # noqa: A003  (tools that name functions)
        return self.judge.__name__

    def cases(self, rng: random.Random | None = None) -> list[dict]:
        """The notebook's case, then (given ``rng``) the grader's own draws."""
        extra = self.hidden(rng) if (rng is not None and self.hidden is not None) else []
        return [dict(self.visible), *extra]

    def __call__(self, *args: object, **given: object) -> None:
        """Run in a notebook (or a test, with the learner's objects given): ✔ or raise."""
        __tracebackhide__ = True
        spec = probes.PROBES[self.test_id]
        given.update(zip(spec.names, args))
        data = json.loads(probes.encode(probes.collect(self.test_id, self.visible, given)))
        result = verdict(self, data, self.visible)
        if not result.passed:
            _report(f"✘ {self.test_id} — {result.text}")
        line = f"✔ {self.test_id} — {result.text}"
        print("\n".join(shown_lines(line, GREEN)) if _notebook_output() else line)


JUDGES: dict[str, Check] = {}


def check(
    test_id: str,
    visible: Mapping[str, object] | None = None,
    hidden: Callable[[random.Random], list[dict]] | None = None,
) -> Callable[[Callable[..., str]], Check]:
    """Register ``judge`` as the judge of ``test_id`` ("03.used_twice").

    ``judge(d, **case)`` reads the probe's :class:`Answer` ``d`` and returns the text of the
    ✔ line, or calls :func:`fail`. ``visible`` is the case the notebook shows; ``hidden(rng)``
    returns more cases the grader adds (edge cases and random draws).
    """

    def decorate(judge: Callable[..., str]) -> Check:
        made = Check(test_id, judge, dict(visible or {}), hidden)
        JUDGES[test_id] = made
        return made

    return decorate


def verdict(check_: Check, data: object, case: Mapping[str, object]) -> Verdict:
    """The judge's verdict on one answer. Never raises."""
    d = Answer(data)
    try:
        text = check_.judge(d, **case)
        if d.stop is not None:  # the judge had what it needed, but the learner's code raised
            raise Stopped(d.stop)
        if not isinstance(text, str):
            raise Malformed("the judge returned no text")
        return Verdict(True, text)
    except CheckFailed as exc:
        return Verdict(False, str(exc))
    except Stopped as exc:
        return Verdict(False, stopped(exc.args[0]))
    except Exception as exc:  # noqa: BLE001  (a forged answer may break a judge anywhere)
        where = "" if isinstance(exc, Malformed) else f" ({type(exc).__name__})"
        return Verdict(
            False,
            f"this is a bug in the check, not your code: the check could not read its "
            f"answer: {exc}{where}. Please report it at {ISSUES_URL}",
            malformed=True,
        )


def judge_of(module: str, test_id: str) -> Check:
    """The registered check ``test_id`` of the judge module ``module`` ("backward")."""
    import importlib

    importlib.import_module(f"autograd_helpers.checks.{module}")
    return JUDGES[test_id]
