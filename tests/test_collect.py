"""Submissions as LMSs hand them out, and the gradebooks LMSs import: no kernel, milliseconds.

Each layout is built the way its LMS names files: Canvas's "Download Submissions" (one flat
folder of ``<name>[_LATE]_<user id>_<file id>_<file name>``), Moodle's "Download all
submissions" (``<Full Name>_<participant id>_assignsubmission_file_/``), Gradescope's
"Export Submissions" (``submission_<id>/`` and ``submission_metadata.yml``, in Ruby's YAML).
The gradebooks are checked against the rules of Canvas's and Moodle's importers, written out
below as small validators.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from notebook_runner import RELEASED

from autograd_helpers.instructor.gradescope import _collect
from autograd_helpers.instructor.grading.collect import (
    MANIFEST,
    NotRegular,
    notebook_name,
    plan,
    read_regular,
)
from autograd_helpers.instructor.grading.report import Row, digest, write_outputs

STEMS = ["01_value", "02_visualization"]
RELEASES = dict.fromkeys(STEMS)  # plan reads only the names
NOTEBOOK = {"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
DAY = 86_400 * 10**9


def put(path: Path, text: str | None = None, mtime_days: int = 0) -> Path:
    """A file at ``path`` (a notebook unless ``text``), modified ``mtime_days`` after day 0."""
    path.parent.mkdir(parents=True, exist_ok=True)
    content = text if text is not None else json.dumps({**NOTEBOOK, "metadata": {"f": path.name}})
    path.write_text(content, encoding="utf-8")
    when = 1_700_000_000 * 10**9 + mtime_days * DAY
    os.utime(path, ns=(when, when))
    return path


def planned(folder: Path) -> tuple[dict[tuple[str, str], object], list[str]]:
    """{(learner, notebook): job} and the lines printed while planning."""
    lines: list[str] = []
    jobs = plan(folder, RELEASES, say=lines.append)
    found = {(j.learner, j.stem): j for j in jobs}
    assert len(found) == len(jobs), "two jobs for one learner and notebook"
    return found, lines


def learners(jobs: dict) -> set[str]:
    return {learner for learner, _ in jobs}


# --- the course's own layout ----------------------------------------------------------------


def test_learner_folders_work_as_before(tmp_path):
    subs = tmp_path / "submissions"
    put(subs / "ada" / "01_value.ipynb")
    put(subs / "ada" / "02_visualization.ipynb")
    put(subs / "grace" / "01_value.ipynb")
    put(subs / "ada_2024_01_05" / "01_value.ipynb")  # a folder, though named like Canvas's files
    (subs / "empty").mkdir()
    put(subs / "wrongname" / "99_mine.ipynb")
    put(subs / ".hidden" / "01_value.ipynb")
    put(subs / ("a" * 150) / "01_value.ipynb")
    os.symlink(subs / "ada", subs / "linked_folder")
    jobs, lines = planned(subs)
    assert jobs["ada", "01_value"].path == subs / "ada" / "01_value.ipynb"
    assert jobs["grace", "02_visualization"].path is None
    assert (
        jobs["grace", "02_visualization"].problem == "no 02_visualization.ipynb in your submission"
    )
    assert jobs["empty", "01_value"].problem == "your submission holds no notebooks"
    assert jobs["wrongname", "99_mine"].problem == "unknown notebook name"
    assert "hidden folder" in jobs[".hidden", ""].problem
    assert "unusable folder name" in jobs["a" * 99 + "…", ""].problem
    assert "symbolic link" in jobs["linked_folder", ""].problem
    assert jobs["ada_2024_01_05", "01_value"].path is not None
    assert all(j.lms == {} for j in jobs.values())
    assert lines == []


def test_messages_learners_see_never_name_the_instructors_folders(tmp_path):
    subs = tmp_path / "class-of-2025"
    put(subs / "donald" / "notes.txt", "my answers")
    put(subs / "grace" / "02_visualization.ipynb")
    put(subs / "lovelaceada_12345_678901_02_visualization.ipynb")
    jobs, _ = planned(subs)
    problems = [j.problem for j in jobs.values() if j.problem]
    assert "no 01_value.ipynb in your submission" in problems
    assert "your submission holds no notebooks" in problems
    for problem in problems:
        assert "class-of-2025" not in problem and "donald" not in problem and "/" not in problem


def test_a_notebook_saved_in_another_format_is_named_in_the_message(tmp_path):
    put(tmp_path / "ada" / "01_value.html", "<html>")
    put(tmp_path / "ada" / "02_visualization.ipynb")
    jobs, lines = planned(tmp_path)
    assert jobs["ada", "01_value"].problem == (
        "no 01_value.ipynb in your submission (there is 01_value.html: "
        "hand in the .ipynb notebook itself)"
    )
    assert "ada: 01_value.html: not a notebook: not graded" in lines


# --- Canvas ---------------------------------------------------------------------------------


def canvas_download(root: Path) -> Path:
    """A Canvas "Download Submissions" zip, unzipped: one flat folder."""
    put(root / "lovelaceada_12345_678901_01_value.ipynb")
    put(root / "lovelaceada_12345_678902_02_visualization.ipynb")
    put(root / "lovelaceada_12345_text.html", "<p>see my notebooks</p>")  # a text entry
    put(root / "gödelkurt_LATE_23456_678903_01_value.ipynb")  # Canvas keeps Unicode letters
    # handed in again: Canvas renames the new file 01_value-1, then 01_value-2
    put(root / "hopperg_34567_678904_01_value.ipynb", mtime_days=3)
    put(root / "hopperg_34567_678950_01_value-1.ipynb", mtime_days=1)
    put(root / "hopperg_34567_678990_01_value-2.ipynb", mtime_days=2)
    put(root / "hopperg_34567_678991_report.pdf", "%PDF-1.4")
    put(root / "anon_Xy7Qz_678992_01_value.ipynb")  # anonymous grading
    put(root / "LATE_anon_Ab3dE_678993_02_visualization.ipynb")
    return root


def test_canvas_download_is_planned_by_login_with_canvas_ids(tmp_path):
    jobs, lines = planned(canvas_download(tmp_path / "download"))
    assert learners(jobs) == {"lovelaceada", "gödelkurt", "hopperg", "anon_Xy7Qz", "anon_Ab3dE"}
    ada = jobs["lovelaceada", "02_visualization"]
    assert ada.path.name == "lovelaceada_12345_678902_02_visualization.ipynb"
    assert ada.lms == {"canvas_user_id": "12345"}
    kurt = jobs["gödelkurt", "01_value"]
    assert kurt.path is not None and kurt.lms == {"canvas_user_id": "23456", "canvas_late": "yes"}
    assert jobs["anon_Ab3dE", "02_visualization"].lms["canvas_anonymous_id"] == "Ab3dE"
    # the newest upload wins (Canvas's file id), not the newest file on disk
    assert jobs["hopperg", "01_value"].path.name == "hopperg_34567_678990_01_value-2.ipynb"
    said = "\n".join(lines)
    assert "hopperg: 01_value: graded hopperg_34567_678990_01_value-2.ipynb" in said
    assert "by Canvas's upload order" in said and "678904_01_value.ipynb" in said
    assert "hopperg: hopperg_34567_678991_report.pdf: not a notebook" in said
    assert "lovelaceada_12345_text.html: a Canvas text or link entry" in said


def test_two_canvas_users_of_one_name_are_told_apart(tmp_path):
    put(tmp_path / "smithjohn_111_900001_01_value.ipynb")
    put(tmp_path / "smithjohn_222_900002_01_value.ipynb")
    jobs, lines = planned(tmp_path)
    assert learners(jobs) == {"smithjohn_111", "smithjohn_222"}
    assert jobs["smithjohn_222", "01_value"].lms["canvas_user_id"] == "222"
    assert sum("two learners of this name" in ln for ln in lines) == 2


# --- Moodle ---------------------------------------------------------------------------------


def moodle_download(root: Path) -> Path:
    """Moodle's "Download all submissions", unzipped (in folders, and one without)."""
    put(root / "Ada Lovelace_4711_assignsubmission_file_" / "01_value.ipynb")
    put(root / "Ada Lovelace_4711_assignsubmission_onlinetext_" / "onlinetext.html", "<p>hi</p>")
    nested = root / "Kurt Gödel_4712_assignsubmission_file_" / "work" / "notebooks"
    put(nested / "01_value (1).ipynb")
    put(nested / ".ipynb_checkpoints" / "01_value-checkpoint.ipynb")
    put(root / "Grace Hopper_4713_assignsubmission_file_02_visualization.ipynb")
    return root


def test_moodle_download_is_planned_by_name_and_participant(tmp_path):
    jobs, lines = planned(moodle_download(tmp_path / "download"))
    assert learners(jobs) == {"Ada Lovelace_4711", "Kurt Gödel_4712", "Grace Hopper_4713"}
    assert jobs["Ada Lovelace_4711", "01_value"].lms == {
        "moodle_participant": "4711",
        "name": "Ada Lovelace",
    }
    assert jobs["Kurt Gödel_4712", "01_value"].path.name == "01_value (1).ipynb"
    assert jobs["Grace Hopper_4713", "02_visualization"].path is not None
    said = "\n".join(lines)
    assert (
        "Ada Lovelace_4711: Ada Lovelace_4711_assignsubmission_onlinetext_/onlinetext.html" in said
    )
    assert "checkpoint" not in said


# --- Gradescope -------------------------------------------------------------------------------

METADATA = """\
:submission_111:
  :submitters:
  - :name: Ada Lovelace
    :sid: '1815'
    :email: ada@example.edu
  :created_at: 2025-01-10 12:00:00.000000000 -08:00
  :score: !ruby/object:BigDecimal 18:0.5e1
  :status: processed
:submission_222:
  :submitters:
  - :name: Kurt Gödel
    :sid: '1906'
    :email: kurt.goedel@example.edu
  - :name: Emmy Noether
    :sid: '1882'
    :email: emmy@example.edu
  :created_at: 2025-01-11 12:00:00.000000000 -08:00
"""


def gradescope_export(root: Path) -> Path:
    """Gradescope's "Export Submissions" zip, unzipped: everything in one folder."""
    export = root / "assignment_98765_export"
    put(export / "submission_metadata.yml", METADATA)
    put(export / "submission_111" / "01_value.ipynb")
    put(export / "submission_222" / "hw" / "Copy of 02_visualization.ipynb")
    put(export / "submission_333" / "01_value.ipynb")  # not in the metadata
    put(root / "__MACOSX" / "assignment_98765_export" / "._submission_metadata.yml", "x")
    return root


def test_gradescope_export_is_planned_by_email_with_its_ids(tmp_path):
    pytest.importorskip("yaml")
    jobs, lines = planned(gradescope_export(tmp_path / "download"))
    assert learners(jobs) == {
        "ada@example.edu", "kurt.goedel@example.edu", "emmy@example.edu", "submission_333",
    }  # fmt: skip
    assert jobs["ada@example.edu", "01_value"].lms == {
        "gradescope_submission": "111", "name": "Ada Lovelace", "sid": "1815",
        "email": "ada@example.edu",
    }  # fmt: skip
    for member in ("kurt.goedel@example.edu", "emmy@example.edu"):  # a group: both get grades
        assert jobs[member, "02_visualization"].path.name == "Copy of 02_visualization.ipynb"
    said = "\n".join(lines)
    assert "a group submission (kurt.goedel@example.edu, emmy@example.edu)" in said
    assert "submission_333: not named in submission_metadata.yml" in said


def test_gradescope_without_pyyaml_names_learners_by_folder(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "yaml", None)  # import yaml raises ImportError
    jobs, lines = planned(gradescope_export(tmp_path / "download"))
    assert learners(jobs) == {"submission_111", "submission_222", "submission_333"}
    assert any("PyYAML is missing" in ln for ln in lines)


# --- renamed copies: one rule for grade and for Gradescope --------------------------------------

COPIES = [
    "01_value-Copy1.ipynb",  # Jupyter's Duplicate
    "01_value (1).ipynb",  # a browser's download
    "01_value(2).ipynb",  # Firefox's
    "Copy of 01_value.ipynb",  # Colab and Google Drive
    "01_value-1.ipynb",  # Canvas's resubmission
    "01_value - Copy.ipynb",  # Windows Explorer
    "01_value copy 2.ipynb",  # macOS Finder
    "Copy of 01_value (1).ipynb",
    "01_Value.ipynb",
]


@pytest.mark.parametrize("name", COPIES)
def test_a_renamed_copy_counts_the_same_for_grade_and_gradescope(tmp_path, name):
    assert notebook_name(name, STEMS) == "01_value"
    put(tmp_path / "subs" / "ada" / name)
    jobs, lines = planned(tmp_path / "subs")
    assert jobs["ada", "01_value"].path.name == name
    assert lines == [f"ada: 01_value: graded {name} (a renamed copy)"]
    notes = _collect(tmp_path / "subs" / "ada", STEMS, tmp_path / "gs")
    assert (tmp_path / "gs" / "01_value.ipynb").read_bytes() == (
        tmp_path / "subs" / "ada" / name
    ).read_bytes()
    assert notes == [f"01_value: graded {name} (a renamed copy)"]


@pytest.mark.parametrize(
    "name",
    ["01_values.ipynb", "01_value.py", "value.ipynb", "101_value.ipynb", "01_value.ipynb.txt"],
)
def test_other_names_are_not_a_notebook(name):
    assert notebook_name(name, STEMS) is None


def test_the_exact_name_wins_over_copies_and_says_so(tmp_path):
    ada = tmp_path / "subs" / "ada"
    put(ada / "01_value.ipynb", mtime_days=0)
    put(ada / "01_value (1).ipynb", mtime_days=5)  # newer, but a copy
    jobs, lines = planned(tmp_path / "subs")
    assert jobs["ada", "01_value"].path.name == "01_value.ipynb"
    expected = "01_value: graded 01_value.ipynb (its exact name); not graded: 01_value (1).ipynb"
    assert lines == [f"ada: {expected}"]
    assert _collect(ada, STEMS, tmp_path / "gs") == [expected]
    assert (tmp_path / "gs" / "01_value.ipynb").read_bytes() == (
        ada / "01_value.ipynb"
    ).read_bytes()


def test_among_copies_the_newest_by_number_then_by_modification_time(tmp_path):
    ada, grace = tmp_path / "subs" / "ada", tmp_path / "subs" / "grace"
    put(ada / "01_value (2).ipynb", mtime_days=0)
    put(ada / "01_value (1).ipynb", mtime_days=9)
    put(grace / "Copy of 01_value.ipynb", mtime_days=0)
    put(grace / "01_value - Copy.ipynb", mtime_days=9)
    jobs, lines = planned(tmp_path / "subs")
    assert jobs["ada", "01_value"].path.name == "01_value (2).ipynb"
    assert jobs["grace", "01_value"].path.name == "01_value - Copy.ipynb"
    assert any("the newest of 2 copies by its number" in ln for ln in lines)
    assert any("the newest of 2 copies by modification time" in ln for ln in lines)
    _collect(grace, STEMS, tmp_path / "gs")
    assert (tmp_path / "gs" / "01_value.ipynb").read_bytes() == (
        grace / "01_value - Copy.ipynb"
    ).read_bytes()


# --- nothing skipped without a row or a line; no link followed ---------------------------------


def messy_class(root: Path, outside: Path) -> Path:
    """Learner folders, Canvas files and the junk tools leave, side by side."""
    put(root / "ada" / "01_value.ipynb")
    put(root / "ada" / "notes.txt", "remember the chain rule")
    put(root / "ada" / ".secret.ipynb")
    put(root / "ada" / ".ipynb_checkpoints" / "01_value-checkpoint.ipynb")
    put(root / "ada" / "._01_value.ipynb", "AppleDouble")
    put(root / "ada" / ".DS_Store", "x")
    put(root / "ada" / "old" / "01_value (3).ipynb")
    put(root / "ada" / "old" / "02_visualisation.ipynb")
    put(root / "__MACOSX" / "ada" / "._01_value.ipynb", "AppleDouble")
    put(root / ".DS_Store", "x")
    put(root / "README.txt", "how I collected these")
    put(root / "01_value.ipynb")  # a notebook in nobody's folder
    put(root / "lovelaceada_12345_678901_01_value.ipynb")
    put(outside / "01_value.ipynb")
    os.symlink(outside, root / "ada" / "linked")
    os.symlink(outside / "01_value.ipynb", root / "grace_linked_file.ipynb")
    (root / "grace").mkdir()
    os.symlink(outside / "01_value.ipynb", root / "grace" / "02_visualization.ipynb")
    return root


def test_nothing_is_skipped_without_a_row_or_a_line(tmp_path):
    root = messy_class(tmp_path / "subs", tmp_path / "outside")
    jobs, lines = planned(root)
    graded = {j.path for j in jobs.values() if j.path is not None}
    refused = {j.learner for j in jobs.values() if not j.stem}  # a row each
    said = "\n".join(lines)
    junk = re.compile(r"(^|/)(\.ipynb_checkpoints|__MACOSX)(/|$)|(^|/)\._|(^|/)\.DS_Store$")
    for dirpath, dirnames, filenames in os.walk(root):  # os.walk follows no link by default
        for name in filenames + [d for d in dirnames if Path(dirpath, d).is_symlink()]:
            path = Path(dirpath, name)
            rel = path.relative_to(root).as_posix()
            if junk.search(rel):
                assert name not in said, f"{rel}: junk is passed over in silence"
            else:
                shown = path in graded or name in refused or name in said
                assert shown, f"{rel}: neither a row nor a line"
    assert "ada: linked: a symbolic link, not followed: not graded" in said
    assert "ada: .secret.ipynb: not a notebook: not graded" in said
    assert "ada: 01_value: graded 01_value.ipynb (its exact name); not graded: old/" in said
    assert "README.txt: a file in no learner's folder" in said
    # a linked notebook is planned, and refused when read: its row says why
    assert jobs["grace", "02_visualization"].path == root / "grace" / "02_visualization.ipynb"
    assert "symbolic link" in jobs["grace_linked_file.ipynb", ""].problem
    assert jobs["ada", "02_visualisation"].problem == "unknown notebook name"


def test_files_are_read_only_when_regular_and_never_through_a_link(tmp_path):
    target = put(tmp_path / "secret.ipynb", "the answer key")
    os.symlink(target, tmp_path / "link.ipynb")
    with pytest.raises(NotRegular, match="symbolic link"):
        read_regular(tmp_path / "link.ipynb")
    assert digest(tmp_path / "link.ipynb") == ""
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "fifo.ipynb")  # opening it for reading would block
        with pytest.raises(NotRegular, match="not a regular file"):
            read_regular(tmp_path / "fifo.ipynb")
        assert digest(tmp_path / "fifo.ipynb") == ""
    data, _ = read_regular(target)
    assert data == b"the answer key"
    assert digest(target) == hashlib.sha256(b"the answer key").hexdigest()


# --- gradebooks ---------------------------------------------------------------------------------

CANVAS_FIXED = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
CANVAS_NOT_ASSIGNMENTS = re.compile(
    r"Current Score|Current Points|Current Grade|Final Score|Final Points|Final Grade|"
    r"Override Score|Override Grade|Override Status|^Total\b"
)


def canvas_problems(table: list[list[str]]) -> list[str]:
    """What Canvas's gradebook importer (lib/gradebook_importer.rb) would refuse or misread."""
    problems = []
    header = table[0]
    if header[:5] != CANVAS_FIXED:
        problems.append(f"the first five headers are {header[:5]}, Canvas expects {CANVAS_FIXED}")
    for title in [h for h in header if h not in CANVAS_FIXED]:  # each one an assignment
        if re.search(r"\(\d+\)\s*$", title):
            problems.append(f"{title!r}: Canvas reads the (digits) as an assignment id")
        if CANVAS_NOT_ASSIGNMENTS.search(title):
            problems.append(f"{title!r}: a total or score column Canvas would mistake")
    if len(table) < 2 or "Points Possible" not in table[1][0] or any(table[1][1:5]):
        problems.append("no Points Possible row as the second row")
    for n, row in enumerate(table[1:], 2):
        if len(row) != len(header):
            problems.append(f"row {n} has {len(row)} cells, the header {len(header)}")
        for cell in row[5:]:
            try:
                float(cell)
            except ValueError:
                problems.append(f"row {n}: {cell!r} is not a number of points")
        if n > 2 and row[1] and not row[1].isdigit():
            problems.append(f"row {n}: ID {row[1]!r} is not a Canvas user id")
    return problems


def moodle_problems(table: list[list[str]]) -> list[str]:
    """What Moodle's CSV grade import (grade/import/csv) would refuse: a user it cannot map
    aborts the whole import, so every row needs an identifier, once."""
    problems = []
    header = table[0]
    if header[0] not in ("Username", "Email address"):
        problems.append(f"the identifier column is {header[0]!r}")
    ids = [row[0] for row in table[1:]]
    if not all(ids) or len(set(ids)) != len(ids):
        problems.append(f"identifiers empty or repeated: {ids}")
    for title in header[2:]:
        if CANVAS_NOT_ASSIGNMENTS.search(title):
            problems.append(f"{title!r}: a total would become a grade item")
    for row in table[1:]:
        for cell in row[2:]:
            try:
                float(cell)
            except ValueError:
                problems.append(f"{cell!r} is not a number of points")
    return problems


def read_csv(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def class_rows() -> tuple[list[Row], dict[str, dict[str, str]]]:
    """Rows as the grader writes them for learners from every layout, and their LMS ids."""
    learners = {
        "lovelaceada": {"canvas_user_id": "12345"},
        "Kurt Gödel_4712": {"moodle_participant": "4712", "name": "Kurt Gödel"},
        "emmy@example.edu": {
            "gradescope_submission": "222", "email": "emmy@example.edu", "sid": "1882",
            "name": "Emmy Noether",
        },
        "grace": {},
    }  # fmt: skip
    rows = []
    for k, learner in enumerate(learners):
        for n, test_id in enumerate(["01.init", "01.add", "01.mul"]):
            passed = n < k
            rows.append(Row(learner, "01_value", test_id, 1.0 * passed, 1.0,
                            "passed" if passed else "failed", ""))  # fmt: skip
        rows.append(Row(learner, "07_extra (2)", "07.x", 0.5, 2.0, "failed", ""))
    rows.append(Row("noemi", "", "", 0, 0, "invalid", "hidden folder"))
    return rows, {k: v for k, v in learners.items() if v}


def test_the_canvas_gradebook_follows_canvas_importer_rules(tmp_path):
    rows, lms = class_rows()
    write_outputs(rows, tmp_path, "username", lms)
    table = read_csv(tmp_path / "gradebook_canvas.csv")
    assert canvas_problems(table) == []
    assert table[0] == [*CANVAS_FIXED, "01_value", "07_extra [2]"]
    assert table[1] == ["    Points Possible", "", "", "", "", "3", "2"]
    by_name = {row[0]: row for row in table[2:]}
    assert by_name["lovelaceada"][1:5] == ["12345", "", "", ""]  # Canvas matches on its id
    assert by_name["grace"][1:5] == ["", "", "grace", ""]  # a folder named by login
    assert by_name["Emmy Noether"][1:5] == ["", "1882", "emmy@example.edu", ""]
    assert by_name["Kurt Gödel"][5:] == ["1", "0.5"]
    assert not (tmp_path / "gradebook.csv").exists()


def test_a_validator_catches_what_canvas_would_misread():
    bad = [  # the layout this grader wrote before: the login beside the name, a total
        ["Student", "SIS Login ID", "01_value (5)", "02_visualization (4)", "Total (9)", "x (1)"],
        ["ada", "ada", "5", "4", "9", "no"],
    ]
    found = " | ".join(canvas_problems(bad))
    assert "first five headers" in found and "(digits)" in found and "Points Possible" in found
    assert "total or score column" in found and "not a number" in found


@pytest.mark.parametrize("id_column", ["username", "email"])
def test_the_moodle_gradebook_follows_moodle_importer_rules(tmp_path, id_column, capsys):
    rows, lms = class_rows()
    write_outputs(rows, tmp_path, id_column, lms)
    table = read_csv(tmp_path / "gradebook_moodle.csv")
    assert moodle_problems(table) == []
    assert table[0][1:] == ["Full name", "01_value", "07_extra [2]"]
    by_id = {row[0]: row for row in table[1:]}
    if id_column == "username":
        assert table[0][0] == "Username" and set(by_id) == {"grace", "noemi"}
    else:
        assert table[0][0] == "Email address" and set(by_id) == {"emmy@example.edu"}
        assert by_id["emmy@example.edu"][1:] == ["Emmy Noether", "2", "0.5"]
    assert "gradebook_moodle.csv: no " in capsys.readouterr().out  # who is left out, said
    worksheet = read_csv(tmp_path / "grading_worksheet_moodle.csv")
    assert worksheet[0][:3] == ["Identifier", "Full name", "Grade"]
    assert "Last modified (grade)" in worksheet[0]
    assert worksheet[1][:4] == ["Participant 4712", "Kurt Gödel", "1.5", "5"]


# --- `autograd-course collect` ------------------------------------------------------------------


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def run_collect(src: Path, dest: Path, release: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "autograd_helpers.instructor.cli", "collect", str(src),
         "--out", str(dest), "--release", str(release)],
        capture_output=True, text=True,
    )  # fmt: skip


@pytest.fixture
def release(tmp_path) -> Path:
    folder = tmp_path / "release"
    folder.mkdir()
    for stem in STEMS:
        shutil.copy(RELEASED / f"{stem}.ipynb", folder)
    return folder


def test_collect_copies_a_canvas_download_into_learner_folders(tmp_path, release):
    src = canvas_download(tmp_path / "download")
    before = tree(src)
    dest = tmp_path / "collected"
    run = run_collect(src, dest, release)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Traceback" not in run.stdout + run.stderr
    assert tree(src) == before, "collect changed its source"
    assert (dest / "hopperg" / "01_value.ipynb").read_bytes() == before[
        "hopperg_34567_678990_01_value-2.ipynb"
    ]
    assert (dest / "gödelkurt" / "01_value.ipynb").exists()
    assert sorted(p.name for p in (dest / "lovelaceada").iterdir()) == [
        "01_value.ipynb", "02_visualization.ipynb",
    ]  # fmt: skip
    out = run.stdout
    assert "lovelaceada (Canvas user 12345): 01_value.ipynb, 02_visualization.ipynb" in out
    assert "gödelkurt (Canvas user 23456, late): 01_value.ipynb; missing: 02_visualization" in out
    assert "hopperg: 01_value: graded hopperg_34567_678990_01_value-2.ipynb" in out
    assert "hopperg_34567_678991_report.pdf: not a notebook" in out
    assert "collected 6 notebooks of 5 learners" in out
    manifest = json.loads((dest / MANIFEST).read_text(encoding="utf-8"))["learners"]
    assert manifest["lovelaceada"] == {"canvas_user_id": "12345"}
    jobs, lines = planned(dest)  # graded from DEST, learners keep their Canvas ids
    assert jobs["gödelkurt", "01_value"].lms == {"canvas_user_id": "23456", "canvas_late": "yes"}
    assert jobs["hopperg", "01_value"].path == dest / "hopperg" / "01_value.ipynb"
    assert lines == []


def test_collect_refuses_a_full_destination_and_never_copies_a_link(tmp_path, release):
    src = tmp_path / "subs"
    put(src / "ada" / "01_value.ipynb")
    os.symlink(put(tmp_path / "elsewhere.ipynb"), src / "ada" / "02_visualization.ipynb")
    dest = tmp_path / "collected"
    run = run_collect(src, dest, release)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "ada: ada/02_visualization.ipynb not copied: a symbolic link" in run.stdout
    assert sorted(p.name for p in (dest / "ada").iterdir()) == ["01_value.ipynb"]
    again = run_collect(src, dest, release)
    assert again.returncode == 2 and "is not empty" in again.stdout
    assert "Traceback" not in again.stdout + again.stderr
    inside = run_collect(src, src / "collected", release)
    assert inside.returncode == 2 and "outside the submissions folder" in inside.stdout
    missing = run_collect(tmp_path / "nope", tmp_path / "out2", release)
    assert missing.returncode == 2 and "submissions folder not found" in missing.stdout
    (tmp_path / "nothing").mkdir()
    empty = run_collect(tmp_path / "nothing", tmp_path / "out3", release)
    assert empty.returncode == 2 and "no submissions in" in empty.stdout
    assert not (tmp_path / "out3").exists()
