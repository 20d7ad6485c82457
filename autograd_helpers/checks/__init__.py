"""Check cells' functions, one module per notebook (``checks.backward.used_twice()``).

Each check exercises the learner's objects, compares them with the reference in
``solutions``, prints one ``✔`` line saying what it verified, or raises an
AssertionError whose message names the likely mistake.
"""

from autograd_helpers.checks import setup, value  # noqa: F401
