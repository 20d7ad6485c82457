"""Notebooks as real tools save them: read, matched to the release and proven, without a kernel.

The forms come from ``notebook_forms`` (JupyterLab, Notebook 7, VS Code, Colab with and
without tags, CRLF, a BOM, no ids, nothing but sources). Whatever the form, the grader must
put exactly the learner's code where the canonical file puts it; the slow tests in
test_forms_graded.py then run them through check, grade, the progress cell and Gradescope.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
import threading

import nbformat
import pytest
from notebook_forms import FORMS
from notebook_runner import RELEASED, ROOT, SOLVED, load, stems

from autograd_helpers.instructor import grading, notebook_files
from autograd_helpers.instructor.grading.submissions import read_submission

RELEASES = grading.load_release(RELEASED)
STEMS = stems()


def code_sources(nb: dict) -> list[str]:
    return [c["source"] for c in nb["cells"] if c["cell_type"] == "code"]


def rebuilt(stem: str, raw: bytes) -> grading.rebuild:
    loaded = notebook_files.parse(raw, drop_outputs=True)
    return grading.rebuild(RELEASES[stem].nb, loaded.nb, loaded.ids)


# --- every form gives the canonical file's notebook to run ----------------------------------


@pytest.mark.parametrize("form", list(FORMS))
@pytest.mark.parametrize("stem", STEMS)
def test_every_form_of_a_solved_notebook_rebuilds_as_the_canonical_file(stem, form):
    solved = load(SOLVED / f"{stem}.ipynb")
    want = grading.rebuild(RELEASES[stem].nb, solved)
    got = rebuilt(stem, FORMS[form](solved))
    assert got.unmatched == []
    assert code_sources(got.nb) == code_sources(want.nb)
    assert got.learner_code == want.learner_code


@pytest.mark.parametrize("form", list(FORMS))
def test_every_form_of_a_blank_notebook_rebuilds_as_the_release(form):
    for stem in STEMS:
        blank = load(RELEASED / f"{stem}.ipynb")
        got = rebuilt(stem, FORMS[form](blank))
        assert code_sources(got.nb) == code_sources(RELEASES[stem].nb), stem


def test_the_canonical_file_trusts_its_ids_and_made_up_ones_do_not_count():
    solved = load(SOLVED / "01_value.ipynb")
    assert notebook_files.parse(FORMS["jupyterlab"](solved)).ids >= {"ex-init", "check-init"}
    colab = notebook_files.parse(FORMS["colab"](solved))
    assert colab.ids == set()
    assert all(c["id"] for c in colab.nb["cells"])  # ids made up for nbformat 4.5
    assert colab.nb["nbformat_minor"] == 5
    again = notebook_files.parse(FORMS["colab"](solved))
    assert [c["id"] for c in again.nb["cells"]] == [c["id"] for c in colab.nb["cells"]]


# --- the repository's own files are stored as Jupyter saves them -------------------------------


@pytest.mark.parametrize("folder", [SOLVED, RELEASED], ids=["solved", "released"])
def test_repository_notebooks_are_stored_as_jupyter_writes_them(folder):
    for path in sorted(folder.glob("*.ipynb")):
        text = path.read_text(encoding="utf-8")
        node = nbformat.read(path, as_version=nbformat.NO_CONVERT)
        # what JupyterLab's contents manager writes on save
        assert nbformat.writes(node, version=nbformat.NO_CONVERT) + "\n" == text, path.name
        raw = next(c for c in json.loads(text)["cells"] if "\n" in "".join(c["source"]))
        assert isinstance(raw["source"], list), f"{path.name}: sources are lists of lines"


def test_a_one_word_prose_change_is_a_one_line_diff(tmp_path):
    path = SOLVED / "01_value.ipynb"
    nb = notebook_files.read(path).nb
    cell = next(c for c in nb.cells if c.cell_type == "markdown" and "wrapper" in c.source)
    cell.source = cell.source.replace("wrapper", "box", 1)
    changed = tmp_path / path.name
    notebook_files.write(nb, changed)
    diff = subprocess.run(
        ["git", "diff", "--no-index", "--numstat", str(path), str(changed)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert diff.stdout.split()[:2] == ["1", "1"], diff.stdout


# --- matching without ids -------------------------------------------------------------------


def _drop_ids(nb: dict) -> dict:
    nb["nbformat_minor"] = 4
    for cell in nb["cells"]:
        cell.pop("id", None)
    return nb


def _without_ids(nb: dict) -> grading.rebuild:
    raw = nbformat.writes(nbformat.from_dict(_drop_ids(copy.deepcopy(nb)))).encode()
    return rebuilt("01_value", raw)


def test_a_deleted_exercise_cell_is_unmatched_not_silently_blank():
    solved = load(SOLVED / "01_value.ipynb")
    solved["cells"] = [c for c in solved["cells"] if c["id"] != "ex-add"]
    got = _without_ids(solved)
    assert got.unmatched == ["ex-add"]
    got = grading.rebuild(RELEASES["01_value"].nb, solved)  # with ids, the same
    assert got.unmatched == ["ex-add"]


def test_an_exercise_split_in_two_cells_runs_both_after_the_blank():
    solved = load(SOLVED / "01_value.ipynb")
    at = next(k for k, c in enumerate(solved["cells"]) if c["id"] == "ex-add")
    cell = solved["cells"][at]
    head, tail = cell["source"].split("\n\n\n", 1)
    second = {**copy.deepcopy(cell), "id": "mine-2", "metadata": {}, "source": tail}
    cell["source"], cell["metadata"] = head, {}
    solved["cells"].insert(at + 1, second)
    got = _without_ids(solved)
    # the half holding most of the given code stands for the exercise; the other runs before it
    assert got.unmatched == []
    code = code_sources(got.nb)
    assert code[code.index(head) + 1] == tail


def test_helper_cells_without_ids_stay_learner_cells_in_their_place():
    solved = load(SOLVED / "01_value.ipynb")
    at = next(k for k, c in enumerate(solved["cells"]) if c["id"] == "check-mul")
    solved["cells"].insert(at + 1, nbformat.v4.new_code_cell("TWO = 2.0", id="x"))
    got = _without_ids(solved)
    assert got.unmatched == []
    code = code_sources(got.nb)
    assert (
        code.index("TWO = 2.0")
        == code.index(next(c["source"] for c in got.nb["cells"] if c.get("id") == "check-mul")) + 1
    )


def test_an_exercise_with_no_given_code_is_found_by_its_place():
    # 01's expression exercise hands out only a raise line: nothing to match by code
    solved = load(SOLVED / "01_value.ipynb")
    got = rebuilt("01_value", FORMS["bare"](solved))
    expression = next(c for c in got.nb["cells"] if c.get("id") == "ex-expression")
    assert 'label="a"' in expression["source"]


def test_positions_count_the_learners_own_code_cells():
    solved = load(SOLVED / "01_value.ipynb")
    got = rebuilt("01_value", FORMS["colab"](solved))
    mine = [c for c in solved["cells"] if c["cell_type"] == "code"]
    assert got.positions["ex-init"] == 1 + next(
        k for k, c in enumerate(mine) if c["id"] == "ex-init"
    )


# --- files an editor or a hostile learner could hand in --------------------------------------


def test_bom_and_legacy_encodings_are_read(tmp_path):
    solved = load(SOLVED / "01_value.ipynb")
    text = nbformat.writes(nbformat.from_dict(solved))
    (tmp_path / "bom.ipynb").write_bytes(b"\xef\xbb\xbf" + text.encode())
    loaded, problem = read_submission(tmp_path / "bom.ipynb")
    assert problem == "" and loaded.notes == []
    ascii_only = (
        text.encode("ascii", errors="ignore").decode().replace("Value(2.0)", "Value(2.0) # é")
    )
    (tmp_path / "latin1.ipynb").write_bytes(ascii_only.encode("latin-1"))
    loaded, problem = read_submission(tmp_path / "latin1.ipynb")
    assert problem == "" and "not saved as UTF-8" in loaded.notes[0]
    assert any("# é" in c["source"] for c in loaded.nb["cells"])


def test_special_files_are_refused_without_reading_them(tmp_path):
    fifo = tmp_path / "fifo.ipynb"
    os.mkfifo(fifo)
    link = tmp_path / "zero.ipynb"
    link.symlink_to("/dev/zero")
    result = {}
    reader = threading.Thread(target=lambda: result.update(f=read_submission(fifo)), daemon=True)
    reader.start()
    reader.join(60)  # a generous bound for a hang: a blocked read would never return
    assert result["f"] == (None, "not a regular file")
    assert read_submission(link) == (
        None,
        "the file is a symbolic link: submit the notebook itself",
    )
    assert read_submission(tmp_path)[1] == "not a regular file"


@pytest.mark.parametrize(
    "text, says",
    [
        ("{", "not valid notebook JSON"),
        ("[]", "not a Jupyter notebook"),
        ('{"nbformat": 5, "cells": []}', "nbformat 5 is not supported"),
        ('{"nbformat": 4, "nbformat_minor": 4, "metadata": {}, "cells": [{"cell_type": "code",'
         ' "source": "x", "metadata": {}, "outputs": [], "execution_count": "one"}]}',
         "cell 1 (execution_count) is malformed"),
    ],
)  # fmt: skip
def test_invalid_notebooks_say_where_in_words(text, says):
    with pytest.raises(
        notebook_files.NotebookError, match=says.replace("(", r"\(").replace(")", r"\)")
    ):
        notebook_files.parse(text.encode())


def test_an_invalid_output_does_not_cost_a_submission():
    solved = load(SOLVED / "01_value.ipynb")
    for cell in solved["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"] = [{"output_type": "stream", "name": "stdout"}]  # no text: invalid
    raw = json.dumps(solved).encode()
    with pytest.raises(notebook_files.NotebookError):
        notebook_files.parse(raw)
    assert notebook_files.parse(raw, drop_outputs=True).nb["cells"]


def test_release_reads_and_writes_with_nbformat_only():
    source = (ROOT / "autograd_helpers" / "instructor" / "release.py").read_text(encoding="utf-8")
    assert "json." not in source
    assert sys.modules.get("autograd_helpers.instructor.notebook_files") is not None
