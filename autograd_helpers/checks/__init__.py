"""Check cells' functions, one module per notebook (``checks.backward.used_twice()``).

Each check exercises the learner's objects, compares them with the reference in
``solutions``, prints one ``✔`` line saying what it verified, or raises an
AssertionError whose message names the likely mistake. Modules load on first use.

Shared by every module, in private modules: ``_core`` (the ``check`` decorator, ``fail``,
``expect``, ``close``, ``number``), ``_values`` (looking at a learner's Values: ``is_value``,
``children``, ``walk``, ``as_float``) and ``_lecture`` (the lecture's L example, neuron and
training data). A check module serves one notebook and imports no other check module.
"""

import importlib


def __getattr__(name: str):
    if name.startswith("_"):
        raise AttributeError(name)
    try:
        return importlib.import_module(f"{__name__}.{name}")
    except ModuleNotFoundError as exc:
        if exc.name != f"{__name__}.{name}":
            raise  # the module exists but needs something missing: say what
        raise AttributeError(f"no check module {name!r}") from exc
