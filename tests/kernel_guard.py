"""Runs inside a SharedKernel's kernel (tests/notebook_runner.py sends this file's source):
a fingerprint of the process-wide state a notebook run could change, so that the next run
gets a fresh kernel whenever one left a trace. Never imported by the tests themselves."""

import builtins
import gc
import os
import sys
import warnings

from IPython import get_ipython

_WATCHED = {
    "builtins",
    "math",
    "random",
    "operator",
    "functools",
    "itertools",
    "collections",
    "numbers",
    "inspect",
    "re",
    "copy",
    "types",
    "contextlib",
    "json",
    "dataclasses",
    "typing",
    "statistics",
    "traceback",
    "io",
    "gc",
    "time",
    "numpy",
    "matplotlib",
    "matplotlib.pyplot",
    "graphviz",
    "IPython.display",
}
_OURS = ("autograd_helpers", "solutions")
_KERNEL_SET = {"input", "raw_input", "getpass", "_", "__", "___"}


def _watched(name):
    return name.split(".")[0] in _OURS or name in _WATCHED


def _members(obj):
    out = {}
    for name, value in list(vars(obj).items()):
        if obj is builtins and name in _KERNEL_SET:
            continue
        out[name] = id(value)
        code = getattr(value, "__code__", None)
        if code is not None:
            out[name + ".__code__"] = id(code)
    return out


def fingerprint():
    found = {}
    for name, module in list(sys.modules.items()):
        if module is None or not _watched(name):
            continue
        found["module " + name] = (id(module), _members(module))
        for attr, value in list(vars(module).items()):
            if isinstance(value, type) and getattr(value, "__module__", None) == name:
                found[f"class {name}.{attr}"] = _members(value)
    shell = get_ipython()
    found["IPython"] = (
        [id(t) for t in shell.input_transformers_cleanup],
        [id(t) for t in shell.input_transformers_post],
        [id(t) for t in shell.ast_transformers],
        sorted((k, [id(f) for f in v]) for k, v in shell.events.callbacks.items()),
        dict(shell.custom_exceptions and {"custom": id(shell.custom_exceptions)} or {}),
        sorted(
            n
            for n in ("showtraceback", "showsyntaxerror", "run_cell", "run_code")
            if n in vars(shell)
        ),
    )
    found["gc"] = (gc.isenabled(), gc.get_threshold())
    found["recursion limit"] = sys.getrecursionlimit()
    found["cwd"] = os.getcwd()
    found["sys.path"] = list(sys.path)
    found["environment"] = sorted(os.environ.items())
    found["warning filters"] = repr(warnings.filters)
    found["streams and hooks"] = [sys.stdout, sys.stderr, sys.displayhook, sys.excepthook]
    found["tracers"] = (sys.gettrace(), sys.getprofile())
    if "numpy" in sys.modules:
        np = sys.modules["numpy"]
        found["numpy"] = (repr(np.get_printoptions()), repr(np.geterr()))
    if "matplotlib.pyplot" in sys.modules:
        plt = sys.modules["matplotlib.pyplot"]
        found["matplotlib"] = (plt.get_fignums(), repr(sorted(plt.rcParams.items())))
    return found


_baseline = {}
_classes = {}  # each class of the course's modules -> its attributes at the record


def clear():
    """The namespace of a new kernel, then a collection (finalizers run now, not later)."""
    get_ipython().reset(new_session=True)
    gc.collect()


def take():
    _baseline.clear()
    _baseline.update(fingerprint())
    _classes.clear()
    for name, module in list(sys.modules.items()):
        if module is not None and name.split(".")[0] in _OURS:
            for value in list(vars(module).values()):
                if isinstance(value, type) and getattr(value, "__module__", None) == name:
                    _classes[value] = dict(vars(value))


def restore_classes():
    """Undo what a run did to the course's classes (09 sets Value.log, as it asks): the
    same attribute objects as at the record, so the fingerprint tells if anything is left."""
    for cls, saved in _classes.items():
        try:
            for name in [n for n in vars(cls) if n not in saved]:
                delattr(cls, name)
            for name, value in saved.items():
                if vars(cls).get(name) is not value:
                    setattr(cls, name, value)
        except (AttributeError, TypeError):  # not restorable: changes() reports it
            pass


def changes():
    now = fingerprint()
    found = [k for k, v in _baseline.items() if now.get(k) != v]
    new = [k for k in now if k not in _baseline and k.startswith("module ")]
    return found + ["new " + k for k in new]
