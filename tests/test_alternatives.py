"""Every correct answer passes: the alternatives catalog spliced into the solved notebooks.

To stay fast, a notebook runs once per batch (``alternatives.variants``): batch k puts the
k-th alternative of every exercise cell in at once, and the batches of a notebook share
kernels (notebook_runner.SharedKernel). A failure names the alternatives of the batch, the
one most likely at fault (the answer of the exercise the check follows) and the check's
message.
"""

from __future__ import annotations

import ast

import pytest
from alternatives import Alternative, all_alternatives, variants
from notebook_runner import (
    SOLVED,
    batched_runs,
    check_id,
    errors_outside_checks,
    grader_verdicts,
    load,
    outcomes,
    stems,
    with_requests,
)

STEMS = stems()
ALTERNATIVES = all_alternatives()
MINIMUM = 3  # alternatives per checked exercise cell (issue 11)
BATCHES = [(stem, k) for stem in STEMS for k in range(len(variants(ALTERNATIVES, stem)))]


def _source(cell: dict) -> str:
    src = cell["source"]
    return src if isinstance(src, str) else "".join(src)


def _tags(cell: dict) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def checked_exercises(nb: dict) -> dict[str, list[str]]:
    """Each exercise cell's id -> the test ids of the check cells between it and the next."""
    found: dict[str, list[str]] = {}
    current = None
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        if "exercise" in _tags(cell):
            current = cell["id"]
            found[current] = []
        elif "hidden-test" in _tags(cell) and current is not None:
            found[current].append(check_id(cell))
    return {cell: ids for cell, ids in found.items() if ids}


def _batch_notebook(stem: str, k: int) -> tuple[dict, list[Alternative]]:
    batch = variants(ALTERNATIVES, stem)[k]
    nb = load(SOLVED / f"{stem}.ipynb")
    for alt in batch:
        nb = alt.apply(nb)
    return nb, batch


def _batch_run(stem: str, k: int) -> tuple[dict, dict]:
    """Batch k with each check cell also answering the grader's request (its own draws)."""
    return with_requests(_batch_notebook(stem, k)[0], seed=k)


@pytest.fixture(scope="session")
def executed_batches(request):
    """``get((stem, k))``: batch k of the notebook, executed (all of a notebook's batches in
    one go, on one xdist worker: notebook_runner.batched_runs)."""
    return batched_runs(
        request,
        "test_every_check_accepts_the_alternatives",
        "batch",
        notebook=lambda batch: batch[0],
        run=lambda batch: _batch_run(*batch)[0],
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    "batch",
    [pytest.param(b, marks=pytest.mark.xdist_group(f"alternatives-{b[0]}")) for b in BATCHES],
    ids=[f"{stem}-batch{k}" for stem, k in BATCHES],
)
def test_every_check_accepts_the_alternatives(batch, executed_batches):
    stem, k = batch
    nb, alts = _batch_notebook(stem, k)
    executed = executed_batches((stem, k))
    by_cell = {alt.cell: alt for alt in alts}
    answer_of = {
        test_id: cell for cell, ids in checked_exercises(nb).items() for test_id in ids
    }  # test id -> the exercise cell it checks
    problems = []
    for test_id, (passed, message) in outcomes(executed).items():
        if not passed:
            culprit = by_cell.get(answer_of.get(test_id, ""))
            who = (
                f"{culprit.name} ({culprit.style})"
                if culprit
                else "its exercise's reference answer (an earlier alternative may be at fault)"
            )
            problems.append(f"{test_id} rejects {who}: {message}")
    # the grader, on its own draws, accepts them too
    for test_id, (passed, message) in grader_verdicts(executed, _batch_run(stem, k)[1]).items():
        if not passed:
            problems.append(f"{test_id} graded: {message}")
    problems += [f"outside the checks: {error}" for error in errors_outside_checks(executed)]
    names = ", ".join(f"{a.name} [{a.cell}]" for a in alts)
    assert not problems, f"{stem} with {names}:\n" + "\n".join(problems)


# --- the catalog itself ----------------------------------------------------------------------


def test_alternative_names_are_unique():
    names = [alt.name for alt in ALTERNATIVES]
    assert len(set(names)) == len(names), sorted({n for n in names if names.count(n) > 1})


def _code(src: str) -> str:
    """The code without comments or layout, when it parses (cells may hold magics)."""
    try:
        return ast.dump(ast.parse(src))
    except SyntaxError:
        return " ".join(src.split())


@pytest.mark.parametrize("alt", ALTERNATIVES, ids=[alt.name for alt in ALTERNATIVES])
def test_each_alternative_changes_an_exercise_cell(alt):
    assert alt.notebook in STEMS, f"{alt.name}: no solved notebook {alt.notebook}"
    nb = load(SOLVED / f"{alt.notebook}.ipynb")
    cells = {c.get("id"): c for c in nb["cells"]}
    assert alt.cell in cells, f"{alt.name}: no cell {alt.cell!r} in {alt.notebook}"
    assert "exercise" in _tags(cells[alt.cell]), f"{alt.name}: {alt.cell} is not an exercise"
    assert alt.style.strip(), f"{alt.name}: say what style of answer it is"
    before = _source(cells[alt.cell])
    after = alt.new_source(before)  # asserts that find occurs exactly once
    assert _code(after) != _code(before), f"{alt.name} changes only comments or layout"
    assert "### BEGIN SOLUTION" not in after or "### END SOLUTION" in after, alt.name


def test_every_checked_exercise_has_enough_alternatives():
    counts = {(alt.notebook, alt.cell): 0 for alt in ALTERNATIVES}
    for alt in ALTERNATIVES:
        counts[alt.notebook, alt.cell] += 1
    short, total = [], 0
    for stem in STEMS:
        for cell, ids in checked_exercises(load(SOLVED / f"{stem}.ipynb")).items():
            total += 1
            have = counts.get((stem, cell), 0)
            if have < MINIMUM:
                short.append(f"{stem} {cell} ({', '.join(ids)}): {have}")
    assert not short, (
        f"{len(short)} of {total} checked exercise cells have fewer than {MINIMUM} "
        f"alternatives ({len(ALTERNATIVES)} in the catalog):\n" + "\n".join(short)
    )


def test_variants_batch_each_cell_once_per_run():
    alt = lambda name, cell: Alternative(name, "nb", cell, "", "x = 1", "style")  # noqa: E731
    a1, a2, a3, b1 = alt("a1", "a"), alt("a2", "a"), alt("a3", "a"), alt("b1", "b")
    assert variants([a1, a2, b1, a3], "nb") == [[a1, b1], [a2], [a3]]
    assert variants([a1], "other") == []
    assert a1.new_source("anything") == "x = 1"  # an empty find replaces the whole cell
    assert Alternative("c", "nb", "c", "y", "z", "s").new_source("x = y") == "x = z"
