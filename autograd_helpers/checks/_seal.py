"""Grading only: check cells whose success the grader can verify.

The grader inserts one cell after Setup, before any learner code runs::

    import autograd_helpers.checks._seal as _s
    _s.arm("/path/of/secret", ["backward"]); del _s

``arm`` reads the run's secret (and deletes its file), imports the check modules the
notebook needs, and records what the checks rely on: the modules of the course and of the
standard library they use (every function and class attribute), the builtins, and the
IPython hooks that could rewrite or hide a cell. Each check cell becomes::

    import autograd_helpers.checks._seal as _s
    _s.run("backward.used_twice", "03.used_twice", "NONCE")

``run`` clears tracers, compares everything against the record, runs the check from the
module recorded at ``arm`` time (not from the notebook's namespace, nor from sys.modules),
and, only when the check printed its own success line, prints a seal: an HMAC of the nonce,
the test id and that line under the run's secret. Code that hides a failure (a patched
``showtraceback``, a custom exception handler, an input transformer that turns the cell
into ``pass``) still cannot print a valid seal. Changes found by the comparison fail the
check with a line naming them, which the grader turns into a review flag.
"""

from __future__ import annotations

import builtins
import contextlib
import hashlib
import hmac
import importlib
import io
import os
import sys
import threading
import types

_WATCHED_STDLIB = (
    "builtins", "math", "random", "operator", "functools", "itertools", "collections",
    "numbers", "inspect", "re", "copy", "types", "contextlib", "hmac", "hashlib", "io",
    "traceback", "json", "dataclasses", "typing", "statistics",
)  # fmt: skip
_OURS = ("autograd_helpers", "solutions")
_HOOK_EVENTS = ("pre_execute", "pre_run_cell", "post_execute", "post_run_cell")
_TRUSTED_HOOK_MODULES = ("IPython", "ipykernel", "matplotlib", "ipywidgets", "comm", "autograd_")


def seal_text(key: bytes, nonce: str, test_id: str, line: str) -> str:
    """The seal of a passed check: shared with the grader, which recomputes it."""
    message = f"{nonce}\n{test_id}\n{line}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


_CHANGED_BY_KERNEL = {"input", "raw_input", "getpass", "_", "__", "___"}  # set per request


def _members(obj: object) -> dict[str, int]:
    """Identity of every attribute of a module or class (functions by their code too)."""
    out = {}
    for name, value in list(vars(obj).items()):
        if name in _CHANGED_BY_KERNEL and obj is builtins:
            continue
        out[name] = id(value)
        code = getattr(value, "__code__", None)
        if isinstance(value, types.FunctionType) and code is not None:
            out[name + ".__code__"] = id(code)
    return out


def _changed(name: str, before: dict[str, int], now: dict[str, int]) -> list[str]:
    changed = sorted(k for k, v in before.items() if now.get(k) != v)
    return [f"{name}: {', '.join(changed[:5])} changed"] if changed else []


class _Record:
    def __init__(self) -> None:
        self.modules: dict[str, types.ModuleType] = {}
        self.members: dict[str, dict[str, int]] = {}
        self.classes: dict[str, tuple[type, dict[str, int]]] = {}
        self.functions: dict[str, dict[str, object]] = {}  # each module's names at arm time
        self.hooks: dict[str, list[int]] = {}
        self.stdout = sys.stdout
        self.stderr = sys.stderr
        self.displayhook = sys.displayhook

    def take(self) -> None:
        for name, module in list(sys.modules.items()):
            if module is None:
                continue
            if name.split(".")[0] in _OURS or name in _WATCHED_STDLIB:
                self.modules[name] = module
                self.members[name] = _members(module)
                self.functions[name] = dict(vars(module))
                for attr, value in list(vars(module).items()):
                    owner = getattr(value, "__module__", "") or ""
                    ours = name.split(".")[0] in _OURS  # the course's classes, method by method
                    if ours and isinstance(value, type) and owner == name:
                        self.classes[f"{name}:{attr}"] = (value, _members(value))
        shell = _shell()
        if shell is not None:
            self.hooks = _hooks(shell)

    def changes(self) -> list[str]:
        found = []
        tracers = (sys.gettrace(), sys.getprofile())
        if hasattr(threading, "gettrace"):  # Python 3.10+
            tracers += (threading.gettrace(), threading.getprofile())
        if any(t is not None for t in tracers):
            found.append("a tracer or profiler is set (sys.settrace / sys.setprofile)")
        for name, module in self.modules.items():
            if sys.modules.get(name) is not module:
                found.append(f"sys.modules[{name!r}] was replaced")
        for name, before in self.members.items():
            found += _changed(name, before, _members(self.modules[name]))
        for name, (cls, before) in self.classes.items():
            found += _changed(name.replace(":", "."), before, _members(cls))
        if (sys.stdout, sys.stderr, sys.displayhook) != (
            self.stdout,
            self.stderr,
            self.displayhook,
        ):
            found.append("sys.stdout, sys.stderr or sys.displayhook was replaced")
        shell = _shell()
        if shell is not None:
            now = _hooks(shell)
            for name, ids in now.items():
                if ids != self.hooks.get(name, ids) and name != "events":
                    found.append(f"IPython's {name} changed")
            for name in ("showtraceback", "showsyntaxerror", "run_cell", "run_code"):
                if name in vars(shell):
                    found.append(f"IPython's {name} was replaced")
            if shell.custom_exceptions:
                found.append("a custom exception handler is set (set_custom_exc)")
            for event in _HOOK_EVENTS:
                for fn in shell.events.callbacks.get(event, []):
                    owner = getattr(fn, "__module__", "") or ""
                    if not owner.startswith(_TRUSTED_HOOK_MODULES):
                        found.append(f"a {event} hook of the notebook's own is registered")
        return found


def _shell():
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    return get_ipython()


def _hooks(shell) -> dict[str, list[int]]:
    return {
        "input_transformers_cleanup": [id(t) for t in shell.input_transformers_cleanup],
        "input_transformers_post": [id(t) for t in shell.input_transformers_post],
        "ast_transformers": [id(t) for t in shell.ast_transformers],
    }


def _arm():
    state: dict[str, object] = {}

    def arm(secret_path: str, check_modules: list[str]) -> None:
        if "key" in state:
            raise RuntimeError("already armed")
        with open(secret_path, "rb") as fh:
            state["key"] = fh.read().strip()
        os.unlink(secret_path)
        for name in check_modules:
            importlib.import_module(f"autograd_helpers.checks.{name}")
        record = _Record()
        record.take()
        state["record"] = record

    def run(call: str, test_id: str, nonce: str) -> None:
        __tracebackhide__ = True
        record = state.get("record")
        if record is None:
            raise RuntimeError("the grader's setup cell did not run")
        changes = record.changes()
        for clear in (sys.settrace, sys.setprofile, threading.settrace, threading.setprofile):
            clear(None)
        if changes:
            from autograd_helpers.checks._core import CheckFailed

            raise CheckFailed(f"✘ {test_id} — tampering: {'; '.join(changes)[:1500]}")
        module_name, function = call.split(".")
        check = record.functions[f"autograd_helpers.checks.{module_name}"][function]
        captured = io.StringIO()
        with contextlib.redirect_stdout(captured):
            check()
        printed = captured.getvalue()
        print(printed, end="")
        lines = [ln for ln in printed.splitlines() if ln.startswith(f"✔ {test_id} — ")]
        if len(lines) == 1 and not record.changes():
            print(f"⟦seal {seal_text(state['key'], nonce, test_id, lines[0])}⟧")

    return arm, run


arm, run = _arm()
del _arm
