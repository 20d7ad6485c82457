"""The notebooks as a learner and the grader meet them: solved passes, blank fails, hygiene."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from mistakes import all_mistakes
from notebook_runner import (
    RELEASED,
    ROOT,
    SOLVED,
    SOLVED_RUN_GROUP,
    batched_runs,
    check_cells,
    check_id,
    errors_outside_checks,
    execute,
    grader_verdicts,
    load,
    outcomes,
    stems,
    with_requests,
)

from autograd_helpers import course
from autograd_helpers.instructor import release

STEMS = stems()
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"


def source(cell: dict) -> str:
    src = cell["source"]
    return src if isinstance(src, str) else "".join(src)


@pytest.fixture(scope="session")
def executed_blank() -> dict[str, dict]:
    """Every blank notebook, run top to bottom in its own kernel (two at a time)."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = pool.map(lambda s: execute(load(RELEASED / f"{s}.ipynb")), STEMS)
        return dict(zip(STEMS, runs))


# --- the single source ----------------------------------------------------------------


def test_every_planned_notebook_exists_or_is_planned():
    planned = [stem for stem, _ in course.NOTEBOOKS]
    assert STEMS, "no solved notebooks in solutions/notebooks/"
    assert set(STEMS) <= set(planned)
    assert sorted(p.stem for p in RELEASED.glob("*.ipynb")) == sorted([*STEMS, "index"])


def test_release_is_up_to_date():
    stale = release.release(check=True)
    assert not stale, f"run `make notebooks`: stale {[str(p.relative_to(ROOT)) for p in stale]}"


def test_release_twice_changes_nothing():
    first = release.planned_outputs()
    for path, text in first.items():
        if path.suffix == ".ipynb" and path.parent == SOLVED and path.stem != "index":
            nb = release.normalise(
                __import__("json").loads(text), path.stem, STEMS
            )  # normalising a normalised notebook
            assert release.dumps(nb) == text, path.name
    assert release.planned_outputs() == first


def test_blank_source_keeps_indentation_and_hint():
    src = f"def f(x):\n    {BEGIN}: return twice x\n    return 2 * x\n    {END}\n"
    assert release.blank_source(src) == (
        'def f(x):\n    raise NotImplementedError("return twice x")'
    )
    assert "write your code here" in release.blank_source(f"{BEGIN}\nx = 1\n{END}")


@pytest.mark.parametrize(
    "bad",
    [f"{BEGIN}\nx = 1", f"x = 1\n{END}", f"{BEGIN}\n{BEGIN}\n{END}\n{END}"],
)
def test_blank_source_refuses_broken_blocks(bad):
    with pytest.raises(release.ReleaseError):
        release.blank_source(bad, "nb")


# --- hygiene ---------------------------------------------------------------------------


@pytest.mark.parametrize("stem", STEMS)
@pytest.mark.parametrize("folder", [SOLVED, RELEASED], ids=["solved", "released"])
def test_hygiene(stem, folder):
    nb = load(folder / f"{stem}.ipynb")
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    ids = [c.get("id") for c in nb["cells"]]
    assert all(ids) and len(set(ids)) == len(ids), "cell ids must be unique"
    assert nb["cells"][1]["source"].startswith(f"# {stem[:2]} · "), "title cell"
    checks = check_cells(nb)
    assert 4 <= len(checks) <= 12 or stem == "00_setup", f"{len(checks)} check cells"
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None
        tags = cell["metadata"].get("tags", [])
        first = source(cell).splitlines()[0] if source(cell) else ""
        is_check = first.startswith("# @title Check:")
        assert ("hidden-test" in tags) == is_check, f"cell {cell['id']}: tag vs title"
        if is_check:
            meta = cell["metadata"]
            assert meta["jupyter"]["source_hidden"] is True
            assert meta["cellView"] == "form"
            assert meta["autograd_course"]["test_id"].startswith(stem[:2] + ".")
            assert meta["autograd_course"]["points"] > 0
            test_id = meta["autograd_course"]["test_id"]
            # a learner reads it at a glance: the title, then one short line
            one_line = f'from autograd_helpers import check; check("{test_id}")'
            assert source(cell).splitlines()[1:] == [one_line], source(cell)
            assert source(cell) == release.check_source(first, test_id), "run make notebooks"
        if cell["cell_type"] == "code" and (
            BEGIN in source(cell) or "raise NotImplementedError(" in source(cell)
        ):
            assert "exercise" in tags, f"cell {cell['id']} should be tagged exercise"


def test_test_ids_are_unique_across_the_course():
    ids = [check_id(c) for s in STEMS for c in check_cells(load(SOLVED / f"{s}.ipynb"))]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


def solution_blocks(nb: dict) -> list[list[str]]:
    """The significant lines (stripped, no comments) of every solution block."""
    blocks, current = [], None
    for cell in nb["cells"]:
        for line in source(cell).splitlines():
            if BEGIN in line:
                current = []
            elif END in line and current is not None:
                blocks.append(current)
                current = None
            elif current is not None:
                answer = line.split("  #")[0].strip()
                if len(answer) >= 8 and not answer.startswith("#"):
                    current.append(answer)
    return blocks


@pytest.mark.parametrize("stem", STEMS)
def test_no_answer_text_in_released_notebook(stem):
    """No solution block shows in the learner's notebook: not a one-line answer, and not
    two consecutive lines of a longer one (a lone `L.grad = 1.0` elsewhere is fine)."""
    blank = load(RELEASED / f"{stem}.ipynb")
    blank_text = "\n".join(source(c) for c in blank["cells"])
    assert BEGIN not in blank_text and END not in blank_text
    lines = [ln.split("  #")[0].strip() for ln in blank_text.splitlines()]
    lines = [ln for ln in lines if len(ln) >= 8 and not ln.startswith("#")]
    pairs = set(zip(lines, lines[1:]))
    for block in solution_blocks(load(SOLVED / f"{stem}.ipynb")):
        if len(block) == 1:
            assert block[0] not in blank_text, f"answer visible: {block[0]!r}"
        for pair in zip(block, block[1:]):
            assert pair not in pairs, f"answer lines visible: {pair!r}"


@pytest.mark.parametrize("stem", STEMS)
def test_released_links_resolve(stem):
    nb = load(RELEASED / f"{stem}.ipynb")
    for cell in nb["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        for target in re.findall(r"\]\(([^)#\s]+\.ipynb)\)", source(cell)):
            if "://" not in target:
                assert (RELEASED / target).exists(), f"{stem}: broken link {target}"


# --- running them ------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.xdist_group(SOLVED_RUN_GROUP)
def test_solved_notebooks_pass_nbval(solved_run):
    """The contract with learners and the grader: pytest --nbval-lax passes every cell."""
    assert solved_run.returncode == 0, solved_run.stdout[-4000:] + solved_run.stderr[-2000:]
    last = solved_run.stdout.splitlines()[-1]
    assert " passed" in last and "failed" not in last, last
    assert sorted(solved_run.executed) == STEMS, "nbval did not run every solved notebook"


@pytest.mark.slow
@pytest.mark.parametrize("stem", STEMS)
def test_every_check_of_the_blank_notebook_fails_clearly(stem, executed_blank):
    results = outcomes(executed_blank[stem])
    assert results, "no check cells"
    for tid, (passed, message) in results.items():
        assert not passed, f"{tid} passes on the blank notebook"
        assert message.startswith(f"CheckFailed: ✘ {tid} — "), message


@pytest.mark.slow
@pytest.mark.parametrize("stem", STEMS)
def test_blank_notebook_fails_only_where_expected(stem, executed_blank):
    """Outside check cells, a blank notebook raises only NotImplementedError (exercises)."""
    for problem in errors_outside_checks(executed_blank[stem]):
        assert "NotImplementedError" in problem or "CheckFailed" in problem, problem


# --- the mistake catalog -----------------------------------------------------------------

MISTAKES = all_mistakes()


def test_mistake_catalog_is_large_enough():
    assert len(MISTAKES) >= 20, len(MISTAKES)
    assert len({m.name for m in MISTAKES}) == len(MISTAKES), "mistake names must be unique"


def mistake_notebook(mistake) -> dict:
    """The solved notebook with the mistake, up to and including the check that must catch it."""
    nb = mistake.apply(load(SOLVED / f"{mistake.notebook}.ipynb"))
    ids = [check_id(c) for c in check_cells(nb)]
    assert mistake.test_id in ids, f"no check {mistake.test_id} in {mistake.notebook}"
    last = next(
        i
        for i, c in enumerate(nb["cells"])
        if c in check_cells(nb) and check_id(c) == mistake.test_id
    )
    nb["cells"] = nb["cells"][: last + 1]
    return nb


def mistake_run(mistake) -> tuple[dict, dict]:
    """The mistake's notebook with each check cell also answering the grader's request."""
    return with_requests(mistake_notebook(mistake), seed=len(mistake.name))


@pytest.fixture(scope="session")
def executed_mistakes(request):
    """``get(mistake)``: its notebook executed (all of a notebook's mistakes in one go, on one
    xdist worker: notebook_runner.batched_runs)."""
    return batched_runs(
        request,
        "test_check_cell_names_the_mistake",
        "mistake",
        notebook=lambda mistake: mistake.notebook,
        run=lambda mistake: mistake_run(mistake)[0],
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    "mistake",
    [pytest.param(m, marks=pytest.mark.xdist_group(f"mistakes-{m.notebook}")) for m in MISTAKES],
    ids=[m.name for m in MISTAKES],
)
def test_check_cell_names_the_mistake(mistake, executed_mistakes):
    _, requests = mistake_run(mistake)  # a broken catalog entry fails here, by name
    executed = executed_mistakes(mistake)
    passed, message = outcomes(executed)[mistake.test_id]
    assert not passed, f"{mistake.test_id} does not catch {mistake.name}"
    assert mistake.says.lower() in message.lower(), message
    wrong = [piece for piece in mistake.never if piece.lower() in message.lower()]
    assert not wrong, f"blames {wrong}: {message}"
    # the grader, judging in its own process (on a second run of the probe: its answer may
    # name other objects), gives the same verdict for the same mistake
    graded, said = grader_verdicts(executed, requests)[mistake.test_id]
    assert not graded and mistake.says.lower() in said.lower(), (said, message)


def test_lecture_links_in_the_tables_follow_the_lecture():
    """README's and the index's tables list each notebook's lecture moments in video order."""
    readme = (SOLVED.parent.parent / "README.md").read_text(encoding="utf-8")
    index = "".join(load(RELEASED / "index.ipynb")["cells"][1]["source"])
    for table in (readme, index):
        rows = [ln for ln in table.splitlines() if ln.startswith("| 0")]
        assert rows
        for row in rows:
            seconds = [int(t) for t in re.findall(r"\?t=(\d+)\)", row)]
            assert seconds == sorted(seconds), row[:60]


@pytest.mark.slow
def test_check_cells_work_without_the_setup_cell():
    """A check cell imports what it calls: run after a kernel restart, without Setup, it
    still checks (here: the solved 01 with its Setup cell left out)."""
    nb = load(SOLVED / "01_value.ipynb")
    nb["cells"] = [c for c in nb["cells"] if "setup" not in c["metadata"].get("tags", [])]
    found = outcomes(execute(nb))
    assert found and all(passed for passed, _ in found.values()), found
