"""Shared pytest helpers for the project's own test suite."""

import importlib
import os

import pytest


def in_ci() -> bool:
    """True when the CI variable is "true" (set by .ci/run): nothing may be skipped."""
    return os.environ.get("CI", "").lower() == "true"


def skip_or_fail(reason: str):
    """Skip the current test locally, but fail it in CI, where everything must run."""
    if in_ci():
        pytest.fail(f"{reason} (CI=true: this test must run in CI)", pytrace=False)
    pytest.skip(reason)


HOW_TO_INSTALL = {
    "torch": "pip install torch==2.13.0 (CPU build) to run the PyTorch oracle tests",
}


def _require(module_name: str):
    """Import and return a module; skip the test (fail in CI) when it is missing."""
    try:
        return importlib.import_module(module_name)
    except ImportError as error:
        how = HOW_TO_INSTALL.get(module_name, f"pip install {module_name}")
        skip_or_fail(f"{module_name} not installed ({error}): {how}")


@pytest.fixture(scope="session")
def require():
    """``torch = require("torch")``: an optional test dependency, skipped if missing.

    Session-scoped so that hypothesis tests may use it.
    """
    return _require
