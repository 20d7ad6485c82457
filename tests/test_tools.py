"""The maintainers' tools: the pre-commit hooks' own script and pins."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import nbformat
import yaml
from packaging.requirements import Requirement

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10: tomli, which pytest itself needs there
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]


def _tool(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


no_outputs = _tool("no_outputs")


def test_a_notebook_with_outputs_is_refused_by_cell(tmp_path, capsys):
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell("x = 1", id="clean"),
            nbformat.v4.new_code_cell("print(1)", id="ran", execution_count=4),
            nbformat.v4.new_markdown_cell("text", id="prose"),
        ]
    )
    nb.cells[1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="1\n")]
    nbformat.write(nb, tmp_path / "ran.ipynb")
    nb.cells[1].outputs, nb.cells[1].execution_count = [], None
    nbformat.write(nb, tmp_path / "clean.ipynb")

    assert no_outputs.main([str(tmp_path / "clean.ipynb"), str(tmp_path / "ran.ipynb")]) == 1
    named = [line for line in capsys.readouterr().out.splitlines() if ": cell " in line]
    assert named == [f"{tmp_path / 'ran.ipynb'}: cell ran: 1 output(s), execution count 4"]
    assert no_outputs.main([str(tmp_path / "clean.ipynb")]) == 0


def test_the_pre_commit_ruff_is_the_ruff_of_make_lint():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hook = next(r for r in config["repos"] if r["repo"].endswith("/ruff-pre-commit"))
    with (ROOT / "pyproject.toml").open("rb") as file:
        dev = tomllib.load(file)["project"]["optional-dependencies"]["dev"]
    ruff = next(Requirement(r) for r in dev if Requirement(r).name == "ruff")
    assert str(ruff.specifier) == f"=={hook['rev'].lstrip('v')}"
