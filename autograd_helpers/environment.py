"""The environment check of 00_setup (and ``autograd-course check-env``): one line per need.

:func:`report` prints ``[OK] ...`` or ``[FAIL] ... — fix: <command>`` for the Python
version, each runtime package, Graphviz's ``dot`` program, widget support, and the
course itself. Fixes are given for the platform this runs on (Colab, conda, macOS,
Windows, Linux with apt-get or dnf). What a kernel cannot see (whether the browser
draws widgets) is said, not guessed.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import os
import platform
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass

from packaging.requirements import Requirement
from packaging.version import InvalidVersion, Version

import autograd_helpers
from autograd_helpers import course

SUPPORTED_PYTHON = ((3, 10), (3, 13))  # oldest and newest minor version the course supports
RECOMMENDED_PYTHON = "3.12"  # what the fixes install


@dataclass(frozen=True)
class Item:
    """One line of the report: what was checked, what was found, and how to fix it."""

    name: str
    ok: bool
    detail: str
    fix: str = ""

    def line(self) -> str:
        """``[OK] name: detail`` or ``[FAIL] name: detail — fix: command``."""
        if self.ok:
            return f"[OK] {self.name}: {self.detail}"
        return f"[FAIL] {self.name}: {self.detail} — fix: {self.fix}"


# --- where we run -----------------------------------------------------------------------


def python_version() -> tuple[int, int, int]:
    """The running Python's (major, minor, micro); tests replace it to simulate others."""
    return sys.version_info.major, sys.version_info.minor, sys.version_info.micro


def in_browser() -> bool:
    """True in Pyodide (JupyterLite): Python compiled to WebAssembly, in a web page."""
    return sys.platform == "emscripten"


def platform_name() -> str:
    """One of "browser", "colab", "conda", "macos", "windows", "linux": which fixes to
    suggest."""
    if in_browser():
        return "browser"
    if "google.colab" in sys.modules or "COLAB_RELEASE_TAG" in os.environ:
        return "colab"
    if os.path.isdir(os.path.join(sys.prefix, "conda-meta")):
        return "conda"
    if sys.platform == "darwin":
        return "macos"
    if sys.platform.startswith("win"):
        return "windows"
    return "linux"


def _kernel() -> object | None:
    """The running Jupyter kernel, or None outside one (a terminal, plain IPython)."""
    ipython_module = sys.modules.get("IPython")
    if ipython_module is None:
        return None
    shell = ipython_module.get_ipython()
    return getattr(shell, "kernel", None) if shell is not None else None


def runtime_requirements() -> list[Requirement]:
    """The course's runtime dependencies (pyproject.toml's ``dependencies``), as the
    installed course's metadata lists them; none when the course is not installed (its own
    line of the report says so)."""
    try:
        listed = importlib.metadata.requires(course.DISTRIBUTION) or []
    except importlib.metadata.PackageNotFoundError:
        return []
    return [r for r in map(Requirement, listed) if r.marker is None]  # not an extra's


def _minimum(requirement: Requirement) -> str:
    """ "0.20" for graphviz>=0.20: the version a message names."""
    floors = [spec.version for spec in requirement.specifier if spec.operator == ">="]
    return floors[0] if floors else str(requirement.specifier)


def distribution_version(distribution: str) -> str | None:
    """The installed version of a distribution, or None when pip has no record of it."""
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


def _python_command() -> str:
    """How to call this very Python from a terminal: ``python`` when that is it."""
    on_path = shutil.which("python")
    if on_path and os.path.abspath(on_path) == os.path.abspath(sys.executable):
        return "python"
    return shlex.quote(sys.executable)


def _pip_install(requirement: str, upgrade: bool = False) -> str:
    """A pip command that installs into the environment this runs in."""
    quoted = f'"{requirement}"' if any(c in requirement for c in "<>=@ ") else requirement
    install = f"pip install {'-U ' if upgrade else ''}{quoted}"
    if _kernel() is not None:
        return f"run `%{install}` in a cell, then restart the kernel"
    return f"{_python_command()} -m {install}"


# --- the items --------------------------------------------------------------------------


def _python_fix() -> str:
    target = RECOMMENDED_PYTHON
    return {
        "colab": "Colab chooses its Python: Runtime → Disconnect and delete runtime, then "
        "run this notebook again",
        "conda": "conda env create -f environment.yml (in the course folder), then "
        "`conda activate micrograd-from-zero`",
        "macos": f"brew install python@{target}, then `make clean lab PYTHON=python{target}` "
        "in the course folder",
        "windows": f"winget install Python.Python.{target}, then `py -{target} -m venv .venv` "
        "and `.venv\\Scripts\\python -m pip install -e .` in the course folder",
    }.get(
        platform_name(),
        f"install Python {target} (e.g. `conda create -n micrograd python={target}`), then "
        f"`make clean lab PYTHON=python{target}` in the course folder",
    )


def check_python() -> Item:
    """Python 3.10 to 3.13: older lacks syntax the course uses, newer is untested."""
    version = python_version()
    shown = ".".join(map(str, version))
    if in_browser():  # the page's Python is Pyodide's: the site was built with it, and tested
        return Item("Python", True, f"{shown} (Pyodide, in the browser)")
    (lo_major, lo_minor), (hi_major, hi_minor) = SUPPORTED_PYTHON
    supported = f"{lo_major}.{lo_minor}–{hi_major}.{hi_minor}"
    if version[:2] < SUPPORTED_PYTHON[0]:
        return Item("Python", False, f"{shown} is too old (supported: {supported})", _python_fix())
    if version[:2] > SUPPORTED_PYTHON[1]:
        return Item(
            "Python",
            False,
            f"{shown} is newer than the course is tested with (supported: {supported})",
            _python_fix(),
        )
    return Item("Python", True, f"{shown} (supported: {supported})")


def _pyodide_loads(distribution: str) -> bool:
    """In the browser: Pyodide's lock lists ``distribution``, so a cell importing it loads it."""
    try:
        import js
        import pyodide_js

        return bool(js.Object.hasOwn(pyodide_js.lockfile.packages, distribution.lower()))
    except Exception:  # another Pyodide, without a lock to read: say it is missing
        return False


def check_package(requirement: Requirement, module: str | None = None) -> Item:
    """A runtime package: importable (as ``module``, by default the distribution's name),
    and of a version the requirement allows."""
    distribution = requirement.name
    module = module or distribution.replace("-", "_")
    minimum = _minimum(requirement)
    name = f"package {module}"
    try:
        imported = importlib.import_module(module)
    except ImportError as exc:
        if in_browser() and _pyodide_loads(distribution):
            return Item(
                name,
                True,
                "not loaded yet: the first cell that imports it loads it, where this site "
                "serves it (the plots, 07 and 08 need it)",
            )
        reason = "not installed" if isinstance(exc, ModuleNotFoundError) else "fails to import"
        return Item(name, False, f"{reason} ({exc})", _pip_install(str(requirement)))
    version = distribution_version(distribution) or getattr(imported, "__version__", None)
    if version is None:
        return Item(name, True, "imports (its version is not recorded)")
    try:
        allowed = requirement.specifier.contains(Version(version), prereleases=True)
    except InvalidVersion:
        return Item(name, True, f"imports (its version {version!r} cannot be compared)")
    if not allowed:
        return Item(
            name,
            False,
            f"{version} is too old (the course needs {minimum} or newer)",
            _pip_install(str(requirement), upgrade=True),
        )
    return Item(name, True, f"{version} (needs {minimum} or newer)")


def _dot_fix() -> str:
    name = platform_name()
    if name == "colab":
        return "Colab has it preinstalled; if it is gone, run `!apt-get install -y graphviz`"
    if name == "conda":
        return "conda install -c conda-forge python-graphviz"
    if name == "macos":
        return "brew install graphviz (or conda install -c conda-forge python-graphviz)"
    if name == "windows":
        return (
            "winget install graphviz, then open a new terminal (or conda install -c "
            "conda-forge python-graphviz)"
        )
    sudo = "" if hasattr(os, "geteuid") and os.geteuid() == 0 else "sudo "
    if shutil.which("apt-get"):
        return f"{sudo}apt-get install graphviz"
    if shutil.which("dnf"):
        return f"{sudo}dnf install graphviz"
    return "conda install -c conda-forge python-graphviz (or your system's graphviz package)"


def check_dot() -> Item:
    """Graphviz's ``dot`` program: on the PATH, and ``dot -V`` answers with its version."""
    name = "program dot (Graphviz)"
    if in_browser():  # no programs run in a web page: Graphviz in WebAssembly draws instead
        from autograd_helpers.graph import wasm_graphviz_shipped

        if wasm_graphviz_shipped():
            return Item(
                "Graphviz", True, "compiled to WebAssembly, in the course: draws the graphs"
            )
        return Item(
            "Graphviz",
            True,
            "no program runs in the browser and this install has no Graphviz in WebAssembly: "
            "graphs show as text",
        )
    path = shutil.which("dot")
    if path is None:
        return Item(
            name,
            False,
            "not found on the PATH (graphs in 02 onwards would show as text)",
            _dot_fix(),
        )
    try:
        run = subprocess.run([path, "-V"], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.SubprocessError) as exc:
        return Item(name, False, f"found but `dot -V` did not run ({exc})", _dot_fix())
    said = (run.stderr + run.stdout).strip()  # dot prints its version on stderr
    version = re.search(r"version\s+(\S+)", said)
    if run.returncode != 0 or version is None:
        first = said.splitlines()[0] if said else "no output"
        return Item(
            name,
            False,
            f"found but `dot -V` failed (exit code {run.returncode}: {first})",
            _dot_fix(),
        )
    return Item(name, True, f"{version.group(1)} (`dot -V` answers)")


def check_widgets() -> Item:
    """Widgets (05's neuron explorer): ipywidgets imports, and a kernel can talk to a frontend.

    From inside a kernel we can verify that the kernel has a comm channel (the way
    widgets send messages); we cannot see whether the browser side draws them.
    """
    name = "widgets"
    try:
        import ipywidgets
    except ImportError as exc:
        wanted = [r for r in runtime_requirements() if r.name == "ipywidgets"]
        return Item(
            name,
            False,
            f"ipywidgets does not import ({exc})",
            _pip_install(str(wanted[0]) if wanted else "ipywidgets"),
        )
    version = getattr(ipywidgets, "__version__", "?")
    frontend = "whether your browser draws widgets cannot be seen from here: 05's slider shows it"
    if platform_name() == "colab":
        frontend = "Colab draws ipywidgets"
    kernel = _kernel()
    if kernel is None:
        lab = distribution_version("jupyterlab_widgets")
        lab_text = (
            f"JupyterLab's widget extension {lab} is installed"
            if lab
            else "JupyterLab's widget extension (jupyterlab_widgets) is not installed here"
        )
        return Item(
            name,
            True,
            f"ipywidgets {version} imports; not inside a Jupyter kernel, so the kernel side "
            f"is not checked; {lab_text}",
        )
    if getattr(kernel, "comm_manager", None) is None:
        return Item(
            name,
            False,
            f"ipywidgets {version} imports, but this kernel has no comm channel for widgets",
            _pip_install("ipykernel>=6"),
        )
    return Item(
        name,
        True,
        f"ipywidgets {version}; this kernel has a comm channel for widgets; {frontend}",
    )


def check_course() -> Item:
    """The course's helpers: ``autograd_helpers`` and its version."""
    import autograd_helpers

    return Item("course helpers", True, f"autograd_helpers {autograd_helpers.__version__}")


def _course_fix() -> str:
    if platform_name() == "colab":
        return f'run `%pip install "{course.pip_requirement()}"` in a cell, then restart'
    return f"{_python_command()} -m pip install -e . (in the course folder; `make lab` does it)"


def check_solutions() -> Item:
    """The reference answers (``solutions``), which the check cells compare with."""
    name = "reference answers"
    try:
        engine = importlib.import_module("solutions.engine")
        importlib.import_module("solutions.nn")
    except ImportError as exc:
        return Item(name, False, f"`solutions` does not import ({exc})", _course_fix())
    if not hasattr(engine, "Value"):
        return Item(name, False, "`solutions.engine` has no Value", _course_fix())
    return Item(name, True, "`solutions` imports (the checks compare with it)")


def check_environment() -> list[Item]:
    """Every item of the environment check, in the order :func:`report` prints them."""
    items = [check_python()]
    items += [check_package(requirement) for requirement in runtime_requirements()]
    items += [check_dot(), check_widgets(), check_course(), check_solutions()]
    return items


def report() -> bool:
    """Print one ``[OK]`` / ``[FAIL]`` line per item (00_setup); True when all are OK."""
    items = check_environment()
    for item in items:
        print(item.line())
    failed = [item for item in items if not item.ok]
    if failed:
        print(f"{len(failed)} of {len(items)} items need a fix: run the command after `fix:`.")
    else:
        print(f"All {len(items)} items OK: you are ready for the course.")
    return not failed


def ready(notebook: str) -> None:
    """Print what the setup cell of ``notebook`` found (used by every notebook)."""
    if in_browser():
        from autograd_helpers.graph import wasm_graphviz_shipped

        dot = (
            "graphs drawn by Graphviz in WebAssembly"
            if wasm_graphviz_shipped()
            else "no Graphviz here: graphs will show as text"
        )
    elif shutil.which("dot"):
        dot = "graphviz `dot` found"
    else:
        dot = "graphviz `dot` NOT found: graphs will show as text (see 00_setup)"
    print(
        f"Ready for {notebook}: Python {platform.python_version()}, "
        f"course helpers {autograd_helpers.__version__}, {dot}."
    )
