"""Check cells' functions, one module per notebook (``checks.backward.used_twice()``).

Each check exercises the learner's objects, compares them with the reference in
``solutions``, prints one ``✔`` line saying what it verified, or raises an
AssertionError whose message names the likely mistake. Modules load on first use.
"""

import importlib


def __getattr__(name: str):
    if name.startswith("_"):
        raise AttributeError(name)
    try:
        return importlib.import_module(f"{__name__}.{name}")
    except ModuleNotFoundError as exc:
        raise AttributeError(f"no check module {name!r}") from exc
