"""Rebuild a submission on the released notebook, with check cells that only ask.

The learner's code comes from the exercise cells and from code cells the learner added;
every other cell, check cells included, comes from the release, whatever the learner did to
it. Stored outputs never count.

Matching a submission's cells to the release does not trust cell ids alone, since tools
lose them (Colab writes nbformat 4.0 without ids; copy-paste makes new ones):

1. *anchors*: released code cells found in the submission, by cell id, else (for the cells
   a learner does not write: Setup, checks) by their exact source, in order;
2. each exercise not found by id is looked for between its neighbouring anchors: the cell
   tagged ``exercise`` there, else the one cell there, else the cell holding most of the
   exercise's given code;
3. an exercise still not found keeps the release's blank cell, and the learner's cells in
   its place run right after it (so their definitions count); it is reported as unmatched,
   for review and for the learner ("was the cell deleted or split?").

Then, for the grader's run only (``probed``): each check cell becomes a request for the
probe's plain data (``autograd_helpers.probes.answer``) for the notebook's inputs and for
inputs the grader draws for this run. The judge runs in the grader's process (``score``).
"""

from __future__ import annotations

import copy
import random
import secrets
from dataclasses import dataclass, field

from nbformat import v4

from autograd_helpers.checks._core import Check, judge_of
from autograd_helpers.instructor.grading.submissions import Release, source, tags

FIXED_TAGS = {"hidden-test", "setup", "header", "footer"}  # cells a learner never writes
MIN_GIVEN = 0.5  # share of an exercise's given lines a cell must hold to stand for it
MAX_ADDED_CELLS = 300  # code cells of the learner's own that run; more are cut, and flagged


@dataclass
class Rebuilt:
    nb: dict  # the notebook to run
    learner_code: list[str]  # what the learner wrote, for review flags
    unmatched: list[str] = field(default_factory=list)  # exercise ids not found
    positions: dict[str, int] = field(default_factory=dict)  # cell id -> learner's code cell
    cut: int = 0  # added code cells not run (past MAX_ADDED_CELLS)


@dataclass(frozen=True)
class Request:
    """What the grader asked one check cell for: the probe of ``check`` on ``cases``."""

    check: Check  # the judge, in the grader's process
    nonce: str  # marks this request's answer among the cell's outputs
    cases: list[dict]  # the notebook's case first, then the grader's draws


@dataclass
class Probed:
    nb: dict  # the notebook to run
    learner_code: list[str]  # what the learner wrote, for review flags
    requests: dict[str, Request]  # test_id -> what its check cell asks
    unmatched: list[str] = field(default_factory=list)
    positions: dict[str, int] = field(default_factory=dict)
    cut: int = 0


def _key(src: str) -> str:
    """A source compared without trailing blanks (editors strip them)."""
    return "\n".join(line.rstrip() for line in src.strip().splitlines())


def _given(src: str) -> set[str]:
    """The lines an exercise hands the learner (its blank form, without the raise lines)."""
    lines = {line.strip() for line in src.splitlines()}
    return {ln for ln in lines if ln and not ln.startswith(("raise NotImplementedError", "#"))}


def _share(given: set[str], src: str) -> float:
    if not given:
        return 0.0
    mine = {line.strip() for line in src.splitlines()}
    return len(given & mine) / len(given)


def match(release: dict, submission: dict, ids: set[str] | None = None) -> dict[int, int]:
    """Released code cell index -> submission code cell index, for the cells found.

    ``ids`` are the submission's cell ids that were in its file (made-up ones do not count);
    ``None`` trusts every id.
    """
    rel = [c for c in release["cells"] if c["cell_type"] == "code"]
    sub = [c for c in submission["cells"] if c.get("cell_type") == "code"]
    trusted = {c.get("id") for c in sub} if ids is None else ids
    by_id = {c.get("id"): j for j, c in enumerate(sub) if c.get("id") in trusted}
    exercise = [("exercise" in tags(c)) for c in rel]
    keys = [_key(source(c)) for c in sub]  # each compared many times: read once
    found: dict[int, int] = {}
    used: set[int] = set()
    last = -1
    for i, cell in enumerate(rel):  # 1. anchors by id, kept in order
        j = by_id.get(cell["id"])
        if j is not None and (j > last or exercise[i]):
            found[i] = j
            used.add(j)
            last = max(last, j) if not exercise[i] else last
    fixed_sources = _fixed_sources(rel)
    for i, cell in enumerate(rel):  # 1. anchors by source, for the cells learners never write
        if i in found or exercise[i]:
            continue
        lo, hi = _window(found, i, len(sub))
        want = _key(source(cell))
        j = next((j for j in range(lo + 1, hi) if j not in used and keys[j] == want), None)
        if j is not None:
            found[i] = j
            used.add(j)
    i = 0
    while i < len(rel):  # 2. exercises between their anchors
        if not exercise[i] or i in found:
            i += 1
            continue
        group = [i]
        while group[-1] + 1 < len(rel) and exercise[group[-1] + 1] and group[-1] + 1 not in found:
            group.append(group[-1] + 1)
        lo, hi = _window(found, i, len(sub))
        candidates = [
            j for j in range(lo + 1, hi)
            if j not in used and keys[j] and not FIXED_TAGS & set(tags(sub[j]))
            and keys[j] not in fixed_sources
        ]  # fmt: skip
        for k, j in _assign([rel[g] for g in group], [sub[j] for j in candidates]).items():
            found[group[k]] = candidates[j]
            used.add(candidates[j])
        i = group[-1] + 1
    return found


def _fixed_sources(released_code: list[dict]) -> set[str]:
    """The sources of the released code cells a learner never writes (Setup, checks)."""
    return {_key(source(c)) for c in released_code if "exercise" not in tags(c)}


def _window(found: dict[int, int], i: int, n_sub: int) -> tuple[int, int]:
    """The submission positions (exclusive) between which released cell ``i`` must lie."""
    before = [found[k] for k in found if k < i]
    after = [found[k] for k in found if k > i]
    return (max(before) if before else -1), (min(after) if after else n_sub)


def _assign(exercises: list[dict], cells: list[dict]) -> dict[int, int]:
    """Exercise k -> cell j among the candidates between two anchors."""
    if not cells:
        return {}
    tagged = [j for j, c in enumerate(cells) if "exercise" in tags(c)]
    if len(tagged) == len(exercises):
        return dict(enumerate(tagged))
    if len(cells) == len(exercises):
        return dict(enumerate(range(len(cells))))
    out: dict[int, int] = {}
    taken: set[int] = set()
    for k, ex in enumerate(exercises):  # by the given code each exercise hands out
        given = _given(source(ex))
        scores = [(_share(given, source(c)), -j) for j, c in enumerate(cells) if j not in taken]
        best = max(scores, default=(0.0, 0))
        if best[0] >= MIN_GIVEN and sum(s[0] == best[0] for s in scores) == 1:
            out[k] = -best[1]
            taken.add(-best[1])
    if not out and len(exercises) == 1 and len(tagged) == 1:
        out[0] = tagged[0]
    return out


def rebuild(release: dict, submission: dict, ids: set[str] | None = None) -> Rebuilt:
    """The release with the learner's exercise code (and added code cells) put in.

    ``ids``: the submission's cell ids that were in its file (see :func:`match`).
    """
    nb = copy.deepcopy(release)
    rel = [c for c in nb["cells"] if c["cell_type"] == "code"]
    sub = [c for c in submission["cells"] if c.get("cell_type") == "code"]
    found = match(nb, submission, ids)
    used = set(found.values())
    fixed_sources = _fixed_sources(rel)
    positions: dict[str, int] = {}
    unmatched = []
    for i, cell in enumerate(rel):
        if i in found:
            positions[cell["id"]] = found[i] + 1
            if "exercise" in tags(cell):
                cell["source"] = source(sub[found[i]])
        elif "exercise" in tags(cell):
            unmatched.append(cell["id"])
    # the learner's other code cells go after the released cell found just before them
    after: dict[int, list[dict]] = {}
    anchor = -1
    owner = {j: i for i, j in found.items()}
    added = 0
    for j, cell in enumerate(sub):
        if j in owner:
            anchor = max(anchor, owner[j])
            continue
        src = source(cell)
        if j in used or not src.strip() or FIXED_TAGS & set(tags(cell)):
            continue
        if _key(src) in fixed_sources:
            continue  # a copy of a check or Setup cell: the release's own runs
        added += 1
        if added > MAX_ADDED_CELLS:
            continue
        new = dict(
            v4.new_code_cell(src, id=f"learner-{added}", metadata={"tags": ["learner-added"]})
        )
        positions[new["id"]] = j + 1
        after.setdefault(anchor, []).append(new)
    # an unmatched exercise's blank cell runs first, then the learner's cells in its place
    for anchor in sorted(after, reverse=True):
        nxt = min((i for i in found if i > anchor), default=len(rel))
        blanks = [i for i in range(anchor + 1, nxt) if rel[i]["id"] in unmatched]
        if blanks:
            after.setdefault(blanks[-1], []).extend(after.pop(anchor))
    index = {id(c): i for i, c in enumerate(rel)}
    cells = []
    for cell in nb["cells"]:
        cells.append(cell)
        cells.extend(after.get(index.get(id(cell), -2), []))
    if -1 in after:  # added before any released cell: run them after the setup
        setup = next((i for i, c in enumerate(cells) if "setup" in tags(c)), 0)
        cells[setup + 1 : setup + 1] = after[-1]
    nb["cells"] = cells
    for cell in cells:
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
    learner = [
        source(c)
        for c in cells
        if ("exercise" in tags(c) and c["id"] not in unmatched) or "learner-added" in tags(c)
    ]
    return Rebuilt(nb, learner, unmatched, positions, max(0, added - MAX_ADDED_CELLS))


def probed(
    release: Release, submission: dict, ids=None, rng: random.Random | None = None
) -> Probed:
    """The notebook the grader runs: rebuilt, each check cell asking for its probe's data.

    ``rng`` draws the hidden cases (a fresh one per run when not given); the request names
    the probe module and the cases, nothing a judge needs: judges stay in this process.
    """
    built = rebuild(release.nb, submission, ids)
    rng = rng or random.Random(secrets.randbits(64))
    requests = {}
    modules = {c.test_id: c.call.split(".")[0] for c in release.checks}
    for cell in built.nb["cells"]:
        if "hidden-test" in tags(cell):
            test_id = cell["metadata"]["autograd_course"]["test_id"]
            check = judge_of(modules[test_id], test_id)
            request = Request(check, secrets.token_hex(8), check.cases(rng))
            requests[test_id] = request
            cell["source"] = (
                f"# the grader asks for the data of check {test_id}\n"
                "__import__('autograd_helpers.probes', fromlist=['answer']).answer(\n"
                f"    {modules[test_id]!r}, {test_id!r}, {request.nonce!r}, {request.cases!r}\n"
                ")"
            )
    return Probed(
        built.nb, built.learner_code, requests, built.unmatched, built.positions, built.cut
    )
