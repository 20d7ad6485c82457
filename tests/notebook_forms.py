"""Notebook files as other tools write them: the forms a learner's submission really takes.

Each form is made the way its tool makes it (field by field, as found in files those tools
saved), from a notebook as the repository stores it. The JupyterLab form saved through the
real browser is made by tests/test_browser.py; ``nbconvert`` runs the real command.

- ``jupyterlab`` / ``notebook7``: nbformat's writer (sources as lists of lines), the kernel's
  full ``language_info``, outputs and execution counts, a widget-state block (Lab) or none;
- ``vscode``: nbformat 4.2 without cell ids (VS Code keeps the minor it opened or writes 4.2
  for new files), ``vscode`` interpreter metadata, ``languageId`` on cells, CRLF line ends;
- ``colab`` / ``colab_untagged``: nbformat 4.0, no cell ids, a random ``id`` inside each
  cell's metadata, ``cellView: form``, empty cells as ``[""]``, a stray ``\\r``, compact JSON,
  Colab's notebook metadata; the second also lost every tag and course metadata;
- ``jupyterlite``: JupyterLite's File > Download (the course in the browser): every source one
  string, ``trusted`` on code cells, the Pyodide kernelspec with the ``language_info`` it
  writes, keys in its order (metadata first), 2-space JSON with no final newline
  (tests/test_lite_site.py saves a real one to test-artifacts/);
- ``crlf``: the repository's file with Windows line ends, inside sources too;
- ``bom``: a byte-order mark in front (Windows Notepad, some editors);
- ``no_ids``: ids removed, tags kept (a tool that writes 4.4);
- ``bare``: ids, tags and course metadata all removed.
"""

from __future__ import annotations

import copy
import hashlib
import json
import random

import nbformat
from ipykernel.ipkernel import IPythonKernel

# what the kernel itself reports (and JupyterLab then writes into the notebook)
KERNEL_LANGUAGE_INFO = dict(IPythonKernel.language_info)
WIDGET_STATE = {
    "application/vnd.jupyter.widget-state+json": {
        "state": {
            "0a1b2c": {
                "model_module": "@jupyter-widgets/controls",
                "model_module_version": "2.0.0",
                "model_name": "FloatProgressModel",
                "state": {"bar_style": "success", "max": 100, "value": 100},
            }
        },
        "version_major": 2,
        "version_minor": 0,
    }
}


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def _with_outputs(nb: dict) -> dict:
    """Outputs and execution counts as a run leaves them (text, an error, a widget view)."""
    count = 0
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        count += 1
        cell["execution_count"] = count
        cell["outputs"] = [
            {"name": "stdout", "output_type": "stream", "text": ["ran\n", "100%|██| 5/5"]},
            {
                "data": {
                    "application/vnd.jupyter.widget-view+json": {
                        "model_id": "0a1b2c",
                        "version_major": 2,
                        "version_minor": 0,
                    },
                    "text/plain": ["HBox(children=(FloatProgress(value=0.0),))"],
                },
                "metadata": {},
                "output_type": "display_data",
            },
        ]
    return nb


def _colab_id(rng: random.Random) -> str:
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_"
    return "".join(rng.choice(alphabet) for _ in range(12))


def jupyterlab(nb: dict) -> bytes:
    out = _with_outputs(copy.deepcopy(nb))
    out["metadata"]["language_info"] = KERNEL_LANGUAGE_INFO
    out["metadata"]["widgets"] = WIDGET_STATE
    return (nbformat.writes(nbformat.from_dict(out)) + "\n").encode()


def notebook7(nb: dict) -> bytes:
    out = _with_outputs(copy.deepcopy(nb))
    out["metadata"]["language_info"] = KERNEL_LANGUAGE_INFO
    for cell in out["cells"]:
        if cell["cell_type"] == "code":
            cell["metadata"]["trusted"] = True
    return (nbformat.writes(nbformat.from_dict(out)) + "\n").encode()


def vscode(nb: dict) -> bytes:
    out = _with_outputs(copy.deepcopy(nb))
    out["nbformat_minor"] = 2
    out["metadata"]["language_info"] = KERNEL_LANGUAGE_INFO
    out["metadata"]["orig_nbformat"] = 4
    digest = hashlib.sha256(b"/home/ada/.venv/bin/python").hexdigest()
    out["metadata"]["vscode"] = {"interpreter": {"hash": digest}}
    for cell in out["cells"]:
        cell.pop("id", None)
        cell["source"] = _lines(cell["source"])
        if cell["cell_type"] == "code":
            cell["metadata"].setdefault("vscode", {"languageId": "python"})
    text = json.dumps(out, indent=1, ensure_ascii=False) + "\n"
    return text.replace("\n", "\r\n").encode()


def colab(nb: dict, keep_tags: bool = True) -> bytes:
    rng = random.Random(7)
    out = _with_outputs(copy.deepcopy(nb))
    out["nbformat_minor"] = 0
    out["metadata"] = {
        "colab": {"provenance": [], "toc_visible": True},
        "kernelspec": {"display_name": "Python 3", "name": "python3"},
        "language_info": {"name": "python"},
        "widgets": WIDGET_STATE,
    }
    first_code = True
    for cell in out["cells"]:
        cell.pop("id", None)
        meta = cell["metadata"] if keep_tags else {}
        if not keep_tags and "cellView" in cell["metadata"]:
            meta["cellView"] = "form"
        meta["id"] = _colab_id(rng)
        cell["metadata"] = meta
        cell["source"] = _lines(cell["source"]) or [""]
        if cell["cell_type"] == "code":
            meta["colab"] = {"base_uri": "https://localhost:8080/"}
            meta["outputId"] = "f2b1c3d4-0000-4000-8000-000000000000"
            if first_code:  # a stray carriage return, as pasted from elsewhere
                cell["source"][0] = cell["source"][0].rstrip("\n") + "\r\n"
                first_code = False
    # an empty code cell a learner added at the end
    out["cells"].append(
        {"cell_type": "code", "execution_count": None, "outputs": [], "source": [""],
         "metadata": {"id": _colab_id(rng)}}
    )  # fmt: skip
    return json.dumps(out, ensure_ascii=False).encode()


def colab_untagged(nb: dict) -> bytes:
    return colab(nb, keep_tags=False)


def jupyterlite(nb: dict) -> bytes:
    out = _with_outputs(copy.deepcopy(nb))
    cells = []
    for cell in out["cells"]:
        source = cell["source"]
        written = {
            "id": cell["id"],
            "cell_type": cell["cell_type"],
            "source": "".join(source) if isinstance(source, list) else source,
            "metadata": cell["metadata"],
        }
        if cell["cell_type"] == "code":
            written["metadata"]["trusted"] = True
            written["outputs"] = cell["outputs"]
            written["execution_count"] = cell["execution_count"]
        cells.append(written)
    metadata = {
        **out["metadata"],
        "kernelspec": {"name": "python", "display_name": "Python (Pyodide)", "language": "python"},
        "language_info": {
            "codemirror_mode": {"name": "python", "version": 3},
            "file_extension": ".py",
            "mimetype": "text/x-python",
            "name": "python",
            "nbconvert_exporter": "python",
            "pygments_lexer": "ipython3",
            "version": "3.8",
        },
    }
    written_nb = {"metadata": metadata, "nbformat_minor": 5, "nbformat": 4, "cells": cells}
    return json.dumps(written_nb, indent=2, ensure_ascii=False).encode()


def crlf(nb: dict) -> bytes:
    out = copy.deepcopy(nb)
    for cell in out["cells"]:
        cell["source"] = [ln.replace("\n", "\r\n") for ln in _lines(cell["source"])]
    text = json.dumps(out, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    return text.replace("\n", "\r\n").encode()


def bom(nb: dict) -> bytes:
    return b"\xef\xbb\xbf" + jupyterlab(nb)


def no_ids(nb: dict) -> bytes:
    out = copy.deepcopy(nb)
    out["nbformat_minor"] = 4
    for cell in out["cells"]:
        cell.pop("id", None)
    return (nbformat.writes(nbformat.from_dict(out)) + "\n").encode()


def bare(nb: dict) -> bytes:
    out = copy.deepcopy(nb)
    out["nbformat_minor"] = 4
    for cell in out["cells"]:
        cell.pop("id", None)
        cell["metadata"] = {}
    return (nbformat.writes(nbformat.from_dict(out)) + "\n").encode()


FORMS = {
    "jupyterlab": jupyterlab,
    "notebook7": notebook7,
    "vscode": vscode,
    "colab": colab,
    "colab_untagged": colab_untagged,
    "jupyterlite": jupyterlite,
    "crlf": crlf,
    "bom": bom,
    "no_ids": no_ids,
    "bare": bare,
}
