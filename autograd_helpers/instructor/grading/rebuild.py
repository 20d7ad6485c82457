"""Rebuild a submission on the released notebook, with sealed check cells.

The learner's code comes from the exercise cells (matched by cell id; when no id matches,
by order among cells tagged ``exercise``) and from code cells the learner added; every
other cell, check cells included, comes from the release, whatever the learner did to it.
Stored outputs never count.

Then, for the grader's run only: a private cell right after Setup arms the seal (see
``autograd_helpers.checks._seal``), and each check cell calls the check through the seal
with a fresh nonce.
"""

from __future__ import annotations

import copy
import json
import secrets
from dataclasses import dataclass

from autograd_helpers.instructor.grading.submissions import Release, source, tags

ARM_ID = "grading-arm"
SECRET_FILE = "seal.key"


@dataclass
class Sealed:
    nb: dict  # the notebook to run
    learner_code: list[str]  # what the learner wrote, for review flags
    key: str  # the run's secret
    nonces: dict[str, str]  # test_id -> nonce


def rebuild(release: dict, submission: dict) -> tuple[dict, list[str]]:
    """The release with the learner's exercise code (and added code cells) put in.

    Returns the notebook to run and the learner's code that went into it.
    """
    nb = copy.deepcopy(release)
    release_ids = {c.get("id") for c in nb["cells"]}
    learner_code = [c for c in submission["cells"] if c.get("cell_type") == "code"]
    by_id = {c.get("id"): c for c in learner_code if c.get("id")}
    exercises = [c for c in nb["cells"] if "exercise" in tags(c)]
    # learner cells that could stand for an exercise when ids were lost (e.g. copy-paste)
    unmatched = [c for c in learner_code if c.get("id") not in release_ids]
    tagged = [c for c in unmatched if "exercise" in tags(c)]
    any_id_matches = any(c.get("id") in by_id for c in exercises)
    used: set[int] = set()
    for k, cell in enumerate(exercises):
        mine = by_id.get(cell["id"])
        if mine is None and not any_id_matches:
            mine = tagged[k] if k < len(tagged) else None
        if mine is not None:
            cell["source"] = source(mine)
            used.add(id(mine))
    # code cells the learner added go after the released cell they followed
    released_sources = {source(c).strip() for c in nb["cells"]}
    insert_after: dict[str | None, list[dict]] = {}
    anchor = None
    added = 0
    for cell in submission["cells"]:
        if cell.get("id") in release_ids:
            anchor = cell.get("id")
        elif _is_added_code(cell, used, released_sources):
            added += 1
            insert_after.setdefault(anchor, []).append(
                {
                    "cell_type": "code",
                    "id": f"learner-{added}",
                    "metadata": {"tags": ["learner-added"]},
                    "execution_count": None,
                    "outputs": [],
                    "source": source(cell),
                }
            )
    cells = []
    for cell in nb["cells"]:
        cells.append(cell)
        cells.extend(insert_after.get(cell.get("id"), []))
    if None in insert_after:  # added before any released cell: run them after the setup
        setup = next((i for i, c in enumerate(cells) if "setup" in tags(c)), 0)
        cells[setup + 1 : setup + 1] = insert_after[None]
    nb["cells"] = cells
    for cell in cells:
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
    learner = [source(c) for c in cells if {"exercise", "learner-added"} & set(tags(c))]
    return nb, learner


def _is_added_code(cell: dict, used: set[int], released_sources: set[str]) -> bool:
    """A code cell of the learner's own: not an exercise, not a copy of a released cell."""
    if cell.get("cell_type") != "code" or id(cell) in used:
        return False
    src = source(cell).strip()
    fixed = {"hidden-test", "setup", "header", "footer", "exercise"} & set(tags(cell))
    return bool(src) and not fixed and src not in released_sources


def seal(release: Release, submission: dict, run_dir_secret: str) -> Sealed:
    """The notebook the grader runs: rebuilt, armed after Setup, checks through the seal.

    ``run_dir_secret`` is where the kernel will find the secret file.
    """
    nb, learner = rebuild(release.nb, submission)
    key = secrets.token_hex(32)
    nonces = {}
    modules = sorted({c.call.split(".")[0] for c in release.checks})
    calls = {c.test_id: c.call for c in release.checks}
    for cell in nb["cells"]:
        if "hidden-test" in tags(cell):
            test_id = cell["metadata"]["autograd_course"]["test_id"]
            nonces[test_id] = secrets.token_hex(16)
            cell["source"] = (
                "import autograd_helpers.checks._seal as _s\n"
                f"_s.run({calls[test_id]!r}, {test_id!r}, {nonces[test_id]!r})"
            )
    arm = {
        "cell_type": "code",
        "id": ARM_ID,
        "metadata": {"tags": ["grading-private"]},
        "execution_count": None,
        "outputs": [],
        "source": (
            "import autograd_helpers.checks._seal as _s\n"
            f"_s.arm({run_dir_secret!r}, {json.dumps(modules)})\n"
            "del _s"
        ),
    }
    setup = next((i for i, c in enumerate(nb["cells"]) if "setup" in tags(c)), -1)
    nb["cells"].insert(setup + 1, arm)
    return Sealed(nb, learner, key, nonces)
