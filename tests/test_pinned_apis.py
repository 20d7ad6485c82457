"""The few names the course uses that its libraries do not promise: each is pinned in
pyproject.toml below the next major version, used in one place, and checked here, so an
upgrade that renames one fails this file by name instead of breaking grading quietly."""

from __future__ import annotations

import glob
import inspect
import os
import zipfile
from pathlib import Path

import pytest


def test_nbclient_registers_the_exit_cleanup_the_grader_forgets():
    from nbclient import NotebookClient

    from autograd_helpers.instructor.grading.run import forget_exit_cleanup

    assert callable(NotebookClient._cleanup_kernel)
    assert "atexit.register(self._cleanup_kernel)" in inspect.getsource(
        NotebookClient.async_setup_kernel
    )
    forget_exit_cleanup(NotebookClient(nb=__import__("nbformat").v4.new_notebook()))


def test_jupyter_clients_local_provisioner_knows_the_kernels_pid():
    from jupyter_client.provisioning.local_provisioner import LocalProvisioner

    assert "self.pid = " in inspect.getsource(LocalProvisioner)


def test_xdist_groups_tests_by_the_scope_conftest_overrides():
    from xdist.scheduler import LoadGroupScheduling

    assert callable(LoadGroupScheduling._split_scope)


def test_notebooks_still_validate_without_the_iri_checker():
    """instructor/__init__ keeps rfc3987-syntax out (a second of start-up per process);
    nbformat's validation must not need it."""
    import nbformat

    import autograd_helpers.instructor  # noqa: F401  (what it does at import is under test)

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")])
    nbformat.validate(nb)


def test_ipython_caches_each_cells_source_where_03s_probe_reads_it():
    """probes/backward reads the cells run so far from ``In``, or, when a runner keeps no
    history (nbval), from the compiler's cache of cell file names and ``linecache``."""
    import linecache

    from IPython.core.compilerop import CachingCompiler

    compiler = CachingCompiler()
    name = compiler.cache("x = 1\n", number=1)
    assert name in compiler._filename_map
    assert "".join(linecache.cache[name][2]) == "x = 1\n"


def test_jupyterlite_kernel_records_errors_where_the_course_renames_them():
    """In the browser, checks._core.name_errors_by_class wraps the Pyodide kernel's
    ``_showtraceback`` and rewrites ``_last_traceback["ename"]`` (the kernel records
    ``str(etype)``). The kernel is pinned in lite/kernel-requirements.txt and pyproject's
    [lite] extra; its Python side is read here from the wheel ``make lite-deps`` fetched."""
    root = Path(__file__).resolve().parent.parent
    wheels = glob.glob(str(root / ".cache" / "lite" / "kernel" / "pyodide_kernel-*.whl"))
    if not wheels:
        message = "the JupyterLite kernel's wheels are not fetched: make lite-deps"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    with zipfile.ZipFile(wheels[0]) as wheel:
        interpreter = wheel.read("pyodide_kernel/interpreter.py").decode()
        kernel = wheel.read("pyodide_kernel/kernel.py").decode()
    assert "def _showtraceback(self, etype, evalue, stb):" in interpreter
    assert '"ename": str(etype)' in interpreter  # what the course renames
    assert 'results["ename"] = last_traceback["ename"]' in kernel  # what the page gets
