"""Notebook files as real tools write them: read with nbformat, written as Jupyter writes them.

Every notebook the course reads goes through :func:`read` (a file) or :func:`parse` (bytes):
JupyterLab's and Notebook 7's line-list sources, Colab's nbformat 4.0 without cell ids,
VS Code's metadata, CRLF line endings, a byte-order mark or a legacy encoding all come out as
the same :class:`nbformat.NotebookNode` (nbformat 4.5, sources as single strings, every cell
with an id). Ids the file did not have are made up deterministically and are not trusted for
matching (``Loaded.ids`` holds the ones that were in the file). Every notebook the course
writes goes through :func:`dumps` / :func:`write`: byte for byte what Jupyter saves, so
opening and saving a notebook of the repository in JupyterLab changes nothing.
"""

from __future__ import annotations

import codecs
import errno
import json
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MAX_BYTES = 50 * 2**20  # a notebook larger than this is refused, before it is read
CELL_ID = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")  # nbformat 4.5's rule for cell ids


class NotebookError(ValueError):
    """A file that cannot be read as a notebook; the message says why, in the learner's words."""


@dataclass
class Loaded:
    nb: dict[str, Any]  # an nbformat.NotebookNode (a dict)
    ids: set[str] = field(default_factory=set)  # cell ids that were in the file itself
    notes: list[str] = field(default_factory=list)  # what was repaired on the way in


class NotRegular(Exception):
    """A path that is not read: a symbolic link, not a regular file, or too large."""


def read_regular(path: Path, limit: int = MAX_BYTES) -> tuple[bytes, os.stat_result]:
    """The bytes of ``path`` and its status, opened without following a link and without
    blocking, and read only once known to be a regular file of at most ``limit`` bytes.

    Raises :class:`NotRegular` (saying why) or ``OSError``.
    """
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise NotRegular("a symbolic link") from None
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegular("not a regular file")
        chunks, size = [], 0
        while size <= limit:  # the size is checked as read too: the file may grow meanwhile
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if max(size, info.st_size) > limit:
            raise NotRegular(f"larger than {limit // 2**20} MB")
        return b"".join(chunks), info
    finally:
        os.close(fd)


def read_bytes(path: Path, limit: int = MAX_BYTES) -> bytes:
    """:func:`read_regular`'s bytes, or :class:`NotebookError` in the learner's words."""
    try:
        return read_regular(path, limit)[0]
    except NotRegular as exc:
        why = str(exc)
        if why == "a symbolic link":
            why = "the file is a symbolic link: submit the notebook itself"
        elif why.startswith("larger"):
            why = f"the file is {why}: clear its outputs"
        raise NotebookError(why) from None
    except OSError as exc:
        raise NotebookError(f"cannot read the file: {exc.strerror}") from None


def decode(raw: bytes) -> tuple[str, list[str]]:
    """Text of a notebook file, whatever encoding an editor chose, and a note if not UTF-8."""
    if raw.startswith(codecs.BOM_UTF8):
        return raw[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace"), []
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16", errors="replace"), ["the file was saved as UTF-16"]
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError:
        # an editor's legacy encoding (Windows-1252 is a superset of Latin-1's printables)
        return raw.decode("cp1252", errors="replace"), [
            "the file was not saved as UTF-8 (read as Windows-1252/Latin-1)"
        ]


def _text(src: object) -> str | None:
    """A cell source as one string with ``\\n`` line ends (None when it is not text)."""
    if isinstance(src, list):
        if not all(isinstance(s, str) for s in src):
            return None
        src = "".join(src)
    if not isinstance(src, str):
        return None
    return src.replace("\r\n", "\n").replace("\r", "\n") if "\r" in src else src


def _repair_cells(cells: list) -> tuple[set[str], str]:
    """Sources joined, missing ids made up; (ids that were in the file, what is wrong or "")."""
    present: set[str] = set()
    for n, cell in enumerate(cells, 1):
        if not isinstance(cell, dict):
            return present, f"cell {n} is not a JSON object"
        if cell.get("cell_type") not in ("code", "markdown", "raw"):
            return present, f"cell {n} has no valid cell_type"
        text = _text(cell.get("source", ""))
        if text is None:
            return present, f"cell {n}: its source is not text"
        cell["source"] = text
        meta = cell.setdefault("metadata", {})
        if not isinstance(meta, dict):
            return present, f"cell {n}: its metadata is not a JSON object"
        found = meta.get("tags", [])
        if not isinstance(found, list) or not all(isinstance(t, str) for t in found):
            return present, f"cell {n}: its tags are not a list of words"
        if "id" in cell:
            if not isinstance(cell["id"], str):
                return present, f"cell {n}: its id is not text"
            if CELL_ID.match(cell["id"]) and cell["id"] not in present:
                present.add(cell["id"])
                continue
        cell["id"] = None  # made up below, once every id in the file is known
    taken = set(present)
    for n, cell in enumerate(cells, 1):
        if cell["id"] is None:
            new, k = f"cell-{n}", n
            while new in taken:
                k += 1000
                new = f"cell-{k}"
            cell["id"] = new
            taken.add(new)
    return present, ""


def parse(raw: bytes, drop_outputs: bool = False) -> Loaded:
    """A notebook from a file's bytes, repaired into nbformat 4.5 (see the module's doc).

    ``drop_outputs`` removes stored outputs before validation (the grader never reads them,
    so a tool's odd output cannot make a notebook invalid). Raises :class:`NotebookError`.
    """
    import nbformat

    text, notes = decode(raw)
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise NotebookError(
            f"not valid notebook JSON ({str(exc)[:200]}); re-save it from Jupyter"
        ) from None
    if not isinstance(data, dict):
        raise NotebookError("not a Jupyter notebook (no list of cells)")
    major = data.get("nbformat")
    if major == 3 or (major is None and "worksheets" in data):
        try:  # nbformat 3 (IPython 2): converted the way Jupyter converts it on opening
            node = nbformat.convert(nbformat.from_dict(data), 4)
            data = json.loads(json.dumps(node))
        except Exception:
            raise NotebookError(
                "nbformat 3 notebook that cannot be converted: open and save it in a current "
                "Jupyter"
            ) from None
        notes.append("the file was an nbformat 3 notebook (converted)")
        major = 4
    if not isinstance(data.get("cells"), list):
        raise NotebookError("not a Jupyter notebook (no list of cells)")
    if major != 4:
        raise NotebookError(
            f"nbformat {str(major)[:20]} is not supported: open and save it in a current Jupyter"
        )
    ids, problem = _repair_cells(data["cells"])
    if problem:
        raise NotebookError(f"{problem}; re-save the notebook from Jupyter")
    data["nbformat_minor"] = max(_int(data.get("nbformat_minor")), 5)
    data.setdefault("metadata", {})
    for cell in data["cells"]:
        if cell["cell_type"] == "code":
            if drop_outputs:
                cell["outputs"], cell["execution_count"] = [], None
            cell.setdefault("outputs", [])
            cell.setdefault("execution_count", None)
        else:
            cell.pop("outputs", None)  # a stray field some tools leave on markdown cells
            cell.pop("execution_count", None)
    node = nbformat.from_dict(data)
    try:
        nbformat.validate(node, version=4, version_minor=5)
    except nbformat.ValidationError as exc:
        raise NotebookError(f"{_where(exc)}; re-save the notebook from Jupyter") from None
    return Loaded(node, ids, notes)


def _int(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _where(exc: Exception) -> str:
    """A validation error in words: which cell, which field."""
    path = list(getattr(exc, "absolute_path", []) or [])
    message = str(getattr(exc, "message", exc)).splitlines()[0][:200]
    if len(path) >= 2 and path[0] == "cells" and isinstance(path[1], int):
        rest = ".".join(str(p) for p in path[2:])
        return f"cell {path[1] + 1}{f' ({rest})' if rest else ''} is malformed: {message}"
    if path:
        return f"{'.'.join(str(p) for p in path)} is malformed: {message}"
    return f"the notebook is malformed: {message}"


def read(path: Path, drop_outputs: bool = False, limit: int = MAX_BYTES) -> Loaded:
    """:func:`parse` of the file at ``path``, opened safely (:func:`read_bytes`)."""
    return parse(read_bytes(Path(path), limit), drop_outputs)


def dumps(nb) -> str:
    """A notebook as Jupyter saves it: nbformat's JSON, sources as lists of lines, final newline."""
    import nbformat

    node = nbformat.from_dict(nb)  # also turns plain dict cells inside a node into nodes
    text = nbformat.writes(node, version=nbformat.NO_CONVERT)
    return text if text.endswith("\n") else text + "\n"


def write(nb, path: Path) -> None:
    """Write ``nb`` to ``path`` as Jupyter saves it (:func:`dumps`)."""
    Path(path).write_text(dumps(nb), encoding="utf-8", newline="\n")
