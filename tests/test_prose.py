"""The prose keeps its promises: every "You should see X" is shown by the cell it is about.

Rules, for each "you should see" in a markdown cell of a solved notebook:

- the promise runs to the end of its sentence, or to a colon once it has named something
  (``You should see `0.5`: the untrained ...``); periods and colons inside backticks count
  as text;
- each backticked piece of it must appear in the cell's output, whitespace collapsed; an
  ellipsis (``...`` or ``…``) in a piece stands for more digits (``0.3819...``);
- the cell is the code cell just above when the sentence is in the markdown cell's first
  paragraph (a comment on what just ran), otherwise the code cell just below (the
  instructions of the cell that follows); never a check cell;
- the output is what a learner sees: printed text, a result's text, and the text drawn in
  an SVG picture (graphviz writes the node labels as text); a promise with nothing in
  backticks ("about **14**", a plot) needs the cell to show some text or a picture.

The outputs are those of the nbval run of the solved notebooks (conftest.py's ``solved_run``),
so no notebook runs twice.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import nbformat
import pytest
from notebook_runner import SOLVED, SOLVED_RUN_GROUP, load, stems

STEMS = stems()
PHRASE = re.compile(r"you\s+should\s+see", re.IGNORECASE)


@dataclass(frozen=True)
class Promise:
    markdown: str  # id of the markdown cell
    cell: str  # id of the code cell that must show it
    sentence: str  # the promise, as written
    pieces: tuple[str, ...]  # the backticked texts


def _source(cell: dict) -> str:
    src = cell["source"]
    return src if isinstance(src, str) else "".join(src)


def _is_check(cell: dict) -> bool:
    return "hidden-test" in cell.get("metadata", {}).get("tags", [])


def promise_text(text: str) -> tuple[str, tuple[str, ...]]:
    """The promise that starts ``text`` (just after "you should see") and its pieces."""
    parts = text.split("`")
    kept, pieces = [], []
    for i, part in enumerate(parts):
        if i % 2:  # inside backticks
            if i + 1 == len(parts):
                break  # an unclosed backtick: not a piece
            kept.append(f"`{part}`")
            pieces.append(part)
            continue
        end = re.search(r"\.(\s|$)", part)
        colon = re.search(r":\s", part) if pieces else None
        stops = [m.start() for m in (end, colon) if m]
        if stops:
            kept.append(part[: min(stops)])
            break
        kept.append(part)
    return " ".join("".join(kept).split()), tuple(pieces)


def promises(nb: dict) -> list[Promise]:
    """Every "you should see" of ``nb`` with the code cell it is about."""
    cells = nb["cells"]
    found = []
    for i, cell in enumerate(cells):
        if cell["cell_type"] != "markdown":
            continue
        text = _source(cell)
        first_paragraph_end = text.find("\n\n") if "\n\n" in text else len(text)
        for match in PHRASE.finditer(text):
            above = cells[i - 1] if i > 0 else None
            below = cells[i + 1] if i + 1 < len(cells) else None
            commenting = (
                match.start() < first_paragraph_end
                and above is not None
                and above["cell_type"] == "code"
                and not _is_check(above)
            )
            target = above if commenting else below
            said, pieces = promise_text(text[match.end() :])
            ok = target is not None and target["cell_type"] == "code" and not _is_check(target)
            found.append(
                Promise(
                    cell["id"], target["id"] if ok else "", f"you should see {said}".strip(), pieces
                )
            )
    return found


def shown(cell: dict) -> tuple[str, bool]:
    """(the text a learner sees in the cell's outputs, whether there is a picture)."""
    texts, picture = [], False
    for out in cell.get("outputs", []):
        if out["output_type"] == "stream":
            texts.append("".join(out["text"]))
        elif out["output_type"] in ("execute_result", "display_data"):
            data = out.get("data", {})
            texts.append("".join(data.get("text/plain", "")))
            svg = "".join(data.get("image/svg+xml", ""))
            if svg:
                texts.append(html.unescape(re.sub(r"<[^>]+>", " ", svg)))
            picture = picture or any(k.startswith("image/") for k in data)
        elif out["output_type"] == "error":
            texts.append(f"{out['ename']}: {out['evalue']}")
    return " ".join(" ".join(texts).split()), picture


def _pattern(piece: str) -> re.Pattern:
    """A piece as a pattern: whitespace collapsed, an ellipsis stands for more digits."""
    words = " ".join(piece.split())
    parts = re.split(r"\.\.\.|…", words)
    return re.compile(r"\d*".join(re.escape(p) for p in parts))


def broken(promise: Promise, cell: dict | None) -> str | None:
    """Why the cell does not keep the promise, or None."""
    if cell is None:
        return f"{promise.markdown}: no code cell to show {promise.sentence!r}"
    text, picture = shown(cell)
    if not promise.pieces:
        if text or picture:
            return None
        return f"{promise.markdown} promises {promise.sentence!r}, but {cell['id']} shows nothing"
    missing = [p for p in promise.pieces if not _pattern(p).search(text)]
    if not missing:
        return None
    return (
        f"{promise.markdown} promises {promise.sentence!r}: {cell['id']} does not show "
        f"{missing}; it shows {text[:300]!r}"
    )


@pytest.mark.slow
@pytest.mark.xdist_group(SOLVED_RUN_GROUP)
@pytest.mark.parametrize("stem", STEMS)
def test_every_promise_is_shown(stem, solved_run):
    """Read from nbval's run of the solved notebooks (conftest.py's ``solved_run``)."""
    assert stem in solved_run.executed, f"nbval did not run {stem}: {solved_run.stdout[-2000:]}"
    executed = solved_run.executed[stem]
    cells = {c["id"]: c for c in executed["cells"]}
    problems = [broken(p, cells.get(p.cell)) for p in promises(executed)]
    problems = [p for p in problems if p]
    assert not problems, "\n".join(problems)


def test_the_course_makes_promises():
    found = [p for s in STEMS for p in promises(load(SOLVED / f"{s}.ipynb"))]
    assert len(found) >= 50, len(found)
    assert all(p.cell for p in found), [p for p in found if not p.cell]


def test_promise_rules():
    said, pieces = promise_text(" `(Value(data=-4.0), -2.0, 2.0)`: `a.grad` is b + 1. More.")
    assert pieces == ("(Value(data=-4.0), -2.0, 2.0)",)
    assert said == "`(Value(data=-4.0), -2.0, 2.0)`"
    _, pieces = promise_text(" the gradients:\n`a.grad = 6.0`, `b.grad = -4.0`.\nNext")
    assert pieces == ("a.grad = 6.0", "b.grad = -4.0")  # a colon before any piece goes on
    _, pieces = promise_text(" `X[0] = [1.39...]; y: 1` and 50 of each. `later`")
    assert pieces == ("X[0] = [1.39...]; y: 1",)
    assert promise_text(" about **14** at x = 3 (14.0003 with h = 0.0001), 0 at x = 2/3.")[1] == ()
    assert _pattern("Value(data=0.3819...)").search("Value(data=0.3819165660454811)")
    assert _pattern("[0.333…, 0.333…]").search("[0.3333333333333333, 0.3333333333333333]")
    assert not _pattern("Value(data=0.38...)").search("Value(data=0.48)")

    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell("print(1)", id="run"),
            # in the first paragraph: the cell above; in a later one: the cell below
            nbformat.v4.new_markdown_cell("You should see `1`.", id="m"),
            nbformat.v4.new_markdown_cell("Write it.\n\nYou\nshould see `2`.", id="n"),
            nbformat.v4.new_code_cell("print(2)", id="next"),
        ]
    )
    assert [(p.markdown, p.cell) for p in promises(nb)] == [("m", "run"), ("n", "next")]
