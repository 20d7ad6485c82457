"""Checks of 00_setup, and the one-line readiness report every setup cell prints."""

import platform
import shutil

import autograd_helpers


def ready(notebook: str) -> None:
    """Print what the setup cell of ``notebook`` found (used by every notebook)."""
    dot = (
        "graphviz `dot` found"
        if shutil.which("dot")
        else ("graphviz `dot` NOT found: graphs will show as text (see 00_setup)")
    )
    print(
        f"Ready for {notebook}: Python {platform.python_version()}, "
        f"course helpers {autograd_helpers.__version__}, {dot}."
    )
