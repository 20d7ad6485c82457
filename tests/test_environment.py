"""The environment check of 00_setup and `autograd-course check-env`: each item can fail."""

from __future__ import annotations

import os
import re
import shutil
import stat
import sys
import types
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10: tomli, which pytest itself needs there
    import tomli as tomllib

import pytest
from packaging.requirements import Requirement

from autograd_helpers import environment
from autograd_helpers.environment import Item
from autograd_helpers.instructor.cli import main

REAL_WHICH = shutil.which


def without_dot(monkeypatch) -> None:
    """`dot` is missing, every other program is where it is."""
    monkeypatch.setattr(
        environment.shutil,
        "which",
        lambda name, *a, **k: None if name == "dot" else REAL_WHICH(name, *a, **k),
    )


def fake_dot(tmp_path, monkeypatch, script: str) -> None:
    """Put a `dot` made of ``script`` (a shell script body) first on the PATH."""
    if sys.platform.startswith("win"):
        pytest.skip("fake programs are shell scripts")
    dot = tmp_path / "dot"
    dot.write_text(f"#!/bin/sh\n{script}\n")
    dot.chmod(dot.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ.get('PATH', '')}")


def item(name_start: str) -> Item:
    found = [i for i in environment.check_environment() if i.name.startswith(name_start)]
    assert len(found) == 1, [i.name for i in environment.check_environment()]
    return found[0]


# --- the report ------------------------------------------------------------------------------


def test_this_environment_is_ready(capsys):
    """The test environment itself has everything (CI installs graphviz)."""
    assert environment.report() is True
    lines = capsys.readouterr().out.splitlines()
    assert all(line.startswith("[OK] ") for line in lines[:-1]), lines
    assert lines[-1].startswith("All 10 items OK")


def test_report_lists_every_item_in_order(capsys):
    environment.report()
    names = [
        re.match(r"\[(OK|FAIL)\] ([^:]+):", ln)[2]
        for ln in capsys.readouterr().out.splitlines()[:-1]
    ]
    assert names == [
        "Python",
        "package graphviz",
        "package matplotlib",
        "package ipywidgets",
        "package tqdm",
        "package packaging",
        "program dot (Graphviz)",
        "widgets",
        "course helpers",
        "reference answers",
    ]


def test_a_failing_item_prints_its_fix_and_report_says_false(monkeypatch, capsys):
    without_dot(monkeypatch)
    assert environment.report() is False
    out = capsys.readouterr().out
    (line,) = [ln for ln in out.splitlines() if ln.startswith("[FAIL]")]
    assert line.startswith("[FAIL] program dot (Graphviz): not found on the PATH")
    assert " — fix: " in line and line.split(" — fix: ")[1].strip()
    assert "1 of 10 items need a fix" in out


def test_item_lines():
    assert Item("x", True, "fine").line() == "[OK] x: fine"
    assert Item("x", False, "broken", "do this").line() == "[FAIL] x: broken — fix: do this"


# --- Python -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("version", "ok", "says"),
    [
        ((3, 9, 18), False, "3.9.18 is too old (supported: 3.10–3.13)"),
        ((3, 10, 0), True, "3.10.0 (supported"),
        ((3, 13, 2), True, "3.13.2 (supported"),
        ((3, 14, 0), False, "3.14.0 is newer than the course is tested with"),
    ],
)
def test_python_version(monkeypatch, version, ok, says):
    monkeypatch.setattr(environment, "python_version", lambda: version)
    python = environment.check_python()
    assert python.ok is ok and says in python.detail
    if not ok:
        assert python.fix


@pytest.mark.parametrize(
    ("platform", "fix"),
    [
        ("macos", "brew install python@3.12"),
        ("conda", "conda env create -f environment.yml"),
        ("windows", "winget install Python.Python.3.12"),
        ("colab", "Disconnect and delete runtime"),
        ("linux", "make clean lab PYTHON=python3.12"),
    ],
)
def test_python_fix_per_platform(monkeypatch, platform, fix):
    monkeypatch.setattr(environment, "python_version", lambda: (3, 8, 10))
    monkeypatch.setattr(environment, "platform_name", lambda: platform)
    assert fix in environment.check_python().fix


# --- packages ---------------------------------------------------------------------------


def test_packages_match_pyproject():
    """The report checks exactly the runtime dependencies of pyproject.toml."""
    pyproject = Path(environment.__file__).resolve().parents[1] / "pyproject.toml"
    with pyproject.open("rb") as file:
        dependencies = [Requirement(d) for d in tomllib.load(file)["project"]["dependencies"]]
    declared = {
        (r.name, spec.version)
        for r in dependencies
        for spec in r.specifier
        if spec.operator == ">="
    }
    assert len(declared) == len(dependencies)  # each one has its minimum
    checked = {
        (r.name, spec.version)
        for r in environment.runtime_requirements()
        for spec in r.specifier
        if spec.operator == ">="
    }
    assert checked == declared
    assert [item.name for item in environment.check_environment()].count("package graphviz") == 1


def test_missing_package(monkeypatch):
    monkeypatch.setitem(sys.modules, "tqdm", None)  # `import tqdm` now raises ImportError
    tqdm = item("package tqdm")
    assert not tqdm.ok and tqdm.detail.startswith("not installed")
    assert tqdm.fix.endswith('-m pip install "tqdm>=4.60"')


def test_package_too_old(monkeypatch):
    real = environment.distribution_version
    monkeypatch.setattr(
        environment,
        "distribution_version",
        lambda name: "3.1.3" if name == "matplotlib" else real(name),
    )
    matplotlib = item("package matplotlib")
    assert not matplotlib.ok
    assert matplotlib.detail == "3.1.3 is too old (the course needs 3.5 or newer)"
    assert 'pip install -U "matplotlib>=3.5"' in matplotlib.fix


def test_package_that_fails_to_import(monkeypatch):
    def broken(name, *args, **kwargs):
        if name == "graphviz":
            raise ImportError("libsomething.so: cannot open shared object file")
        return REAL_IMPORT(name, *args, **kwargs)

    REAL_IMPORT = environment.importlib.import_module
    monkeypatch.setattr(environment.importlib, "import_module", broken)
    graphviz = environment.check_package(Requirement("graphviz>=0.20"))
    assert not graphviz.ok and graphviz.detail.startswith("fails to import (libsomething")


def test_inside_a_kernel_the_fix_is_a_pip_magic(monkeypatch):
    monkeypatch.setitem(sys.modules, "tqdm", None)
    monkeypatch.setattr(environment, "_kernel", lambda: object())
    assert item("package tqdm").fix == (
        'run `%pip install "tqdm>=4.60"` in a cell, then restart the kernel'
    )


@pytest.mark.parametrize(
    ("installed", "ok"),
    [("3.10.1", True), ("3.5", True), ("3.6.0rc1", True), ("3.4.3", False), ("3.1.3", False)],
)
def test_package_versions_are_compared_as_versions(monkeypatch, installed, ok):
    """3.10 is newer than 3.5 (not as text); a release candidate of an allowed version passes."""
    monkeypatch.setattr(environment, "distribution_version", lambda name: installed)
    assert environment.check_package(Requirement("matplotlib>=3.5")).ok is ok


def test_a_version_that_cannot_be_compared_is_not_a_failure(monkeypatch):
    monkeypatch.setattr(environment, "distribution_version", lambda name: "not-a-version")
    matplotlib = environment.check_package(Requirement("matplotlib>=3.5"))
    assert matplotlib.ok and "cannot be compared" in matplotlib.detail


# --- dot -------------------------------------------------------------------------------------


def test_dot_missing_via_which(monkeypatch):
    without_dot(monkeypatch)
    dot = environment.check_dot()
    assert not dot.ok and "not found on the PATH" in dot.detail


def test_dot_missing_from_path(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: no program at all
    assert not environment.check_dot().ok


@pytest.mark.parametrize(
    ("platform", "fix"),
    [
        ("colab", "preinstalled"),
        ("conda", "conda install -c conda-forge python-graphviz"),
        ("macos", "brew install graphviz"),
        ("windows", "winget install graphviz"),
    ],
)
def test_dot_fix_per_platform(monkeypatch, platform, fix):
    without_dot(monkeypatch)
    monkeypatch.setattr(environment, "platform_name", lambda: platform)
    assert fix in environment.check_dot().fix


def test_dot_fix_on_linux_uses_the_package_manager_there(monkeypatch):
    monkeypatch.setattr(environment, "platform_name", lambda: "linux")
    for present, fix in [("apt-get", "apt-get install graphviz"), ("dnf", "dnf install graphviz")]:
        monkeypatch.setattr(environment.shutil, "which", lambda n, p=present: n if n == p else None)
        assert environment.check_dot().fix.endswith(fix)
    monkeypatch.setattr(environment.shutil, "which", lambda n: None)
    assert "conda install -c conda-forge python-graphviz" in environment.check_dot().fix


def test_dot_version_is_read_from_dot_dash_v(tmp_path, monkeypatch):
    fake_dot(tmp_path, monkeypatch, 'echo "dot - graphviz version 9.8.7 (20990101.0000)" >&2')
    dot = environment.check_dot()
    assert dot.ok and dot.detail.startswith("9.8.7")


def test_dot_that_does_not_answer_is_a_failure(tmp_path, monkeypatch):
    fake_dot(
        tmp_path, monkeypatch, 'echo "dot: error while loading shared libraries" >&2; exit 127'
    )
    dot = environment.check_dot()
    assert not dot.ok
    assert "`dot -V` failed (exit code 127: dot: error while loading" in dot.detail


# --- widgets -------------------------------------------------------------------------------------


def test_widgets_outside_a_kernel_say_what_is_not_checked():
    widgets = environment.check_widgets()
    assert widgets.ok and "not inside a Jupyter kernel" in widgets.detail


def test_widgets_in_a_kernel_with_comms(monkeypatch):
    monkeypatch.setattr(
        environment, "_kernel", lambda: types.SimpleNamespace(comm_manager=object())
    )
    widgets = environment.check_widgets()
    assert widgets.ok and "comm channel" in widgets.detail
    assert "cannot be seen from here" in widgets.detail  # the browser side is not verifiable


def test_widgets_in_a_kernel_without_comms(monkeypatch):
    monkeypatch.setattr(environment, "_kernel", lambda: types.SimpleNamespace())
    widgets = environment.check_widgets()
    assert not widgets.ok and "no comm channel" in widgets.detail
    assert "ipykernel" in widgets.fix


def test_widgets_without_ipywidgets(monkeypatch):
    monkeypatch.setitem(sys.modules, "ipywidgets", None)
    widgets = environment.check_widgets()
    assert not widgets.ok and "ipywidgets>=7.6" in widgets.fix


# --- the course -----------------------------------------------------------------------------


def test_course_version():
    import autograd_helpers

    helpers = item("course helpers")
    assert helpers.ok and helpers.detail == f"autograd_helpers {autograd_helpers.__version__}"


def test_solutions_missing(monkeypatch):
    monkeypatch.setitem(sys.modules, "solutions.engine", None)
    answers = item("reference answers")
    assert not answers.ok and "pip install -e ." in answers.fix
    monkeypatch.setattr(environment, "platform_name", lambda: "colab")
    assert environment.course.pip_requirement() in environment.check_solutions().fix


# --- the command --------------------------------------------------------------------------


def test_cli_check_env_exit_codes(monkeypatch, capsys):
    assert main(["check-env"]) == 0
    without_dot(monkeypatch)
    assert main(["check-env"]) == 1
    assert "[FAIL] program dot" in capsys.readouterr().out


def test_in_the_browser_python_and_dot_say_what_holds_there(monkeypatch):
    """In Pyodide (JupyterLite) the Python is the page's own (3.14 is not a mistake) and no
    program runs: neither is a FAIL, and no apt or brew command is offered."""
    monkeypatch.setattr(sys, "platform", "emscripten")
    monkeypatch.setattr(environment, "python_version", lambda: (3, 14, 0))
    python, dot = environment.check_python(), environment.check_dot()
    assert python.ok and "Pyodide" in python.detail, python
    assert dot.ok and "text" in dot.detail, dot
    lines = python.line() + dot.line()
    assert "apt-get" not in lines and "brew" not in lines
    assert environment.platform_name() == "browser"


def test_in_the_browser_graphviz_in_webassembly_is_what_draws(monkeypatch, capsys):
    """The course's browser build has Graphviz in WebAssembly: the check and the Setup cell
    say that graphs are drawn, not that they show as text."""
    from autograd_helpers import graph

    monkeypatch.setattr(sys, "platform", "emscripten")
    monkeypatch.setattr(graph, "wasm_graphviz_shipped", lambda: True)
    dot = environment.check_dot()
    assert dot.ok and "WebAssembly" in dot.detail and "text" not in dot.detail, dot
    environment.ready("02_visualization")
    said = capsys.readouterr().out
    assert "graphs drawn by Graphviz in WebAssembly" in said and "NOT found" not in said
    monkeypatch.setattr(graph, "wasm_graphviz_shipped", lambda: False)
    environment.ready("02_visualization")
    assert "graphs will show as text" in capsys.readouterr().out


def test_in_the_browser_a_package_pyodide_loads_on_import_is_not_a_failure(monkeypatch):
    """matplotlib is not loaded until a cell imports it (JupyterLite loads it then, from
    Pyodide's lock): that is OK; a package the lock does not list stays a FAIL."""
    from types import ModuleType, SimpleNamespace

    monkeypatch.setattr(sys, "platform", "emscripten")
    listed = {"matplotlib": {}}
    js, pyodide_js = ModuleType("js"), ModuleType("pyodide_js")
    js.Object = SimpleNamespace(hasOwn=lambda packages, name: name in packages)
    pyodide_js.lockfile = SimpleNamespace(packages=listed)
    monkeypatch.setitem(sys.modules, "js", js)
    monkeypatch.setitem(sys.modules, "pyodide_js", pyodide_js)
    loads = environment.check_package(Requirement("matplotlib>=3.5"), "course_missing_module")
    assert loads.ok and "the first cell that imports it loads it" in loads.detail, loads
    missing = environment.check_package(Requirement("no-such-dist>=1.0"), "course_missing_module")
    assert not missing.ok and "not installed" in missing.detail, missing
