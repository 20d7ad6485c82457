"""Check cells' checks, one module per notebook; a check cell's one line is ``check("01.init")``.

A check is a probe (``autograd_helpers.probes``: it exercises the learner's objects and
reports plain data) and a judge (here: it words ✔ or the ✘ that names the mistake). In a
notebook, :func:`run` does both on the notebook's objects. A module's checks are also its
attributes (``checks.backward.used_twice()``), which tests call with objects of their own.

Shared by every module: ``_core`` (the ``check`` decorator, ``fail``, ``expect``, ``close``,
``number``, verdicts). A check module serves one notebook and imports no other check module.
"""

import importlib

# the check module of each notebook, by the number its test ids start with ("03.topo")
MODULES = {
    "00": "setup", "01": "value", "02": "visualization", "03": "backward", "04": "operations",
    "05": "neuron", "06": "mlp", "07": "training", "08": "moons", "09": "bonus",
}  # fmt: skip


def module_of(test_id: str) -> str:
    """The check module holding ``test_id`` ("backward" for "03.topo")."""
    module = MODULES.get(str(test_id).split(".")[0])
    if module is None:
        raise ValueError(f"no check {test_id!r}: test ids look like '03.topo'")
    return module


def find(test_id: str):
    """The check ``test_id``, its module loaded."""
    from autograd_helpers.checks._core import judge_of

    try:
        return judge_of(module_of(test_id), test_id)
    except KeyError:
        raise ValueError(f"no check {test_id!r} in checks.{module_of(test_id)}") from None


def run(test_id: str, **objects: object) -> None:
    """Run the check ``test_id`` on the notebook's objects (or ``objects``, by name): prints
    ✔ or raises ✘."""
    __tracebackhide__ = True
    find(test_id)(**objects)


def __getattr__(name: str):
    if name.startswith("_"):
        raise AttributeError(name)
    try:
        return importlib.import_module(f"{__name__}.{name}")
    except ModuleNotFoundError as exc:
        if exc.name != f"{__name__}.{name}":
            raise  # the module exists but needs something missing: say what
        raise AttributeError(f"no check module {name!r}") from exc
