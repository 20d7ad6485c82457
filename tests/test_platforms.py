"""Where the course runs: conda/Binder files, Colab's setup cell, and every link and badge."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
import types
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from notebook_runner import RELEASED, ROOT, SOLVED, load, stems

from autograd_helpers import course
from autograd_helpers.instructor import release

STEMS = stems()
REAL_FIND_SPEC = importlib.util.find_spec
# a link, or a badge: an image link inside a link ([![alt](image)](target) gives both)
LINK = re.compile(r"\[(?P<text>(?:!\[[^\]]*\]\([^)\s]*\)|[^\]])*)\]\((?P<target>[^)\s]+)\)")
IMAGE_IN_LINK = re.compile(r"!\[[^\]]*\]\((?P<target>[^)\s]+)\)")


def _dependencies(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    start = lines.index("dependencies:")
    return [ln for ln in lines[start + 1 :] if ln.startswith("  - ")]


# --- conda and Binder -------------------------------------------------------------------


@pytest.mark.parametrize("path", ["environment.yml", "binder/environment.yml"])
def test_conda_environment_has_what_the_course_needs(path):
    deps = _dependencies(ROOT / path)
    names = {re.split(r"[<>=\s]", d[4:].strip())[0] for d in deps}
    assert {"python", "python-graphviz", "matplotlib", "ipywidgets", "jupyterlab", "nbval",
            "tqdm", "pip"} <= names  # fmt: skip
    for line in deps:
        assert " # " in line, f"{path}: say why this line is there: {line!r}"


def test_binder_environment_matches_the_conda_one():
    root = [d for d in _dependencies(ROOT / "environment.yml") if not d.startswith("  - pip:")]
    binder = _dependencies(ROOT / "binder/environment.yml")
    assert [d.split("#")[0].strip() for d in binder] == [d.split("#")[0].strip() for d in root]
    post = (ROOT / "binder/postBuild").read_text(encoding="utf-8")
    assert "pip install" in post and "-e ." in post
    assert (ROOT / "binder/postBuild").stat().st_mode & 0o111, "postBuild must be executable"


def test_conda_environment_installs_the_course_from_the_repository():
    text = (ROOT / "environment.yml").read_text(encoding="utf-8")
    assert re.search(r"^\s+- pip:.*\n\s+- -e \.", text, re.M)


# --- Colab -------------------------------------------------------------------------------


def _setup_source(stem: str, folder: Path = RELEASED) -> str:
    nb = load(folder / f"{stem}.ipynb")
    cell = next(c for c in nb["cells"] if "setup" in c["metadata"].get("tags", []))
    return cell["source"]


@pytest.mark.parametrize("stem", STEMS)
def test_setup_cell_installs_the_pinned_course_on_colab_only(stem):
    src = _setup_source(stem)
    assert '"google.colab" in sys.modules' in src
    assert f'COURSE = "{course.pip_requirement()}"' in src
    assert course.REPOSITORY in src and f"@{course.REF}" in src
    nb = load(RELEASED / f"{stem}.ipynb")
    cell = next(c for c in nb["cells"] if "setup" in c["metadata"].get("tags", []))
    assert cell["metadata"]["cellView"] == "form" and src.startswith("# @title Setup")


def _run_setup(src: str, monkeypatch, *, on_colab: bool, installed: bool) -> list:
    """Run a setup cell's code as Colab would, recording any pip call."""
    calls = []
    if on_colab:
        monkeypatch.setitem(sys.modules, "google", types.ModuleType("google"))
        monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    else:
        monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    real = REAL_FIND_SPEC
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: (
            (real(name, *a) if installed else None)
            if name == "autograd_helpers"
            else real(name, *a)
        ),
    )
    monkeypatch.setattr(subprocess, "run", lambda cmd, **kw: calls.append(cmd))
    exec(compile(src, "<setup cell>", "exec"), {"__name__": "__main__"})
    return calls


def test_setup_cell_on_colab_installs_once_and_runs_twice(monkeypatch, capsys):
    src = _setup_source(STEMS[0])
    first = _run_setup(src, monkeypatch, on_colab=True, installed=False)
    assert len(first) == 1 and first[0][-1] == course.pip_requirement()
    assert first[0][1:5] == ["-m", "pip", "install", "-q"]
    # run again once installed: nothing to install, the cell still works
    assert _run_setup(src, monkeypatch, on_colab=True, installed=True) == []
    assert capsys.readouterr().out.count("Ready for") == 2


def test_setup_cell_elsewhere_installs_nothing(monkeypatch):
    src = _setup_source(STEMS[0])
    assert _run_setup(src, monkeypatch, on_colab=False, installed=False) == []


# --- links and badges ----------------------------------------------------------------------


def _markdown_sources() -> list[tuple[str, Path, str]]:
    """(name, folder links are relative to, markdown text) for README and every notebook."""
    found = [("README.md", ROOT, (ROOT / "README.md").read_text(encoding="utf-8"))]
    for folder in (SOLVED, RELEASED):
        for stem in [*STEMS, "index"]:
            nb = load(folder / f"{stem}.ipynb")
            text = "\n".join(c["source"] for c in nb["cells"] if c["cell_type"] == "markdown")
            found.append((f"{folder.relative_to(ROOT)}/{stem}", folder, text))
    return found


def _headings(markdown: str) -> set[str]:
    return {
        re.sub(r"[^\w\- ]", "", ln.lstrip("#").strip().lower()).replace(" ", "-")
        for ln in markdown.splitlines()
        if ln.startswith("#")
    }


def _repo_path_exists(path: str) -> bool:
    return (ROOT / path).exists()


@pytest.mark.parametrize("name, base, text", _markdown_sources(), ids=lambda v: str(v)[:40])
def test_every_link_is_well_formed_and_resolves(name, base, text):
    found = list(LINK.finditer(text))
    links = [m["target"] for m in found]
    links += [image["target"] for m in found for image in IMAGE_IN_LINK.finditer(m["text"])]
    assert links or name != "README.md"
    for target in links:
        url = urlparse(target)
        if url.scheme in ("http", "https"):
            assert url.netloc and " " not in target, f"{name}: malformed {target}"
            if url.netloc == "colab.research.google.com" and "/github/" in url.path:
                prefix = f"/github/{course.REPOSITORY}/blob/{course.REF}/"
                assert url.path.startswith(prefix), f"{name}: Colab link off the course: {target}"
                assert _repo_path_exists(url.path[len(prefix) :]), f"{name}: {target}"
            if url.netloc == "mybinder.org" and url.path.startswith("/v2/"):
                assert url.path == f"/v2/gh/{course.REPOSITORY}/{course.REF}", target
                lab = parse_qs(url.query)["urlpath"][0]
                assert lab.startswith("lab/tree/") and _repo_path_exists(lab[9:]), target
            if url.netloc.endswith(".github.io"):  # the JupyterLite site (make lite)
                assert target.startswith(course.pages_url()), f"{name}: off the course {target}"
                if url.path.endswith("/lab/index.html"):
                    opened = parse_qs(url.query)["path"][0]
                    assert (RELEASED / opened).exists(), f"{name}: not on the site {target}"
            if url.netloc == "youtu.be":
                assert url.path == f"/{course.LECTURE_VIDEO}", f"{name}: not the lecture {target}"
                seconds = int(parse_qs(url.query)["t"][0])
                starts = {course.lecture_url(t) for t in course.CHAPTERS} | {
                    course.lecture_url("00:00:00")
                }
                assert target in starts, f"{name}: {seconds} s is not a chapter's start"
            if url.netloc == "github.com" and "/blob/" in url.path:
                prefix = f"/{course.REPOSITORY}/blob/{course.REF}/"
                if url.path.startswith(prefix):
                    assert _repo_path_exists(url.path[len(prefix) :]), target
        else:
            assert not url.scheme, f"{name}: unexpected link scheme {target}"
            path, _, anchor = target.partition("#")
            dest = (base / path).resolve() if path else None
            if dest is not None:
                assert dest.exists(), f"{name}: broken link {target}"
                assert ROOT in dest.parents or dest == ROOT, f"{name}: {target} leaves the repo"
            if anchor:
                page = dest.read_text(encoding="utf-8") if dest else text
                assert anchor in _headings(page), f"{name}: no heading #{anchor} in {path}"


def test_readme_badges_cover_every_released_notebook():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    index = "\n".join(c["source"] for c in load(RELEASED / "index.ipynb")["cells"])
    for stem in STEMS:
        for where, text in (("README", readme), ("index", index)):
            assert course.colab_url(f"notebooks/{stem}.ipynb") in text, (where, stem)
            assert course.binder_url(f"notebooks/{stem}.ipynb") in text, (where, stem)
            lite = f"[![Run in your browser]({release.LITE_BADGE})]"
            assert f"{lite}({course.lite_url(f'notebooks/{stem}.ipynb')})" in text, (where, stem)


def test_the_browser_links_open_the_pages_site_of_the_repository(monkeypatch):
    """GitHub Pages serves OWNER/NAME at https://owner.github.io/NAME/ (an OWNER.github.io
    repository at the root); JupyterLab there opens a notebook given as ``?path=``."""
    monkeypatch.setattr(course, "REPOSITORY", "Some-Teacher/micrograd-course")
    assert course.pages_url() == "https://some-teacher.github.io/micrograd-course/"
    assert course.lite_url("notebooks/03_backward.ipynb") == (
        "https://some-teacher.github.io/micrograd-course/lab/index.html?path=03_backward.ipynb"
    )
    monkeypatch.setattr(course, "REPOSITORY", "Some-Teacher/some-teacher.github.io")
    assert course.pages_url() == "https://some-teacher.github.io/"
    with pytest.raises(ValueError, match="learner notebooks"):  # the site has no solutions
        course.lite_url("solutions/notebooks/03_backward.ipynb")
    # the solved notebooks' headers offer Colab and Binder only
    header = load(SOLVED / "03_backward.ipynb")["cells"][0]["source"]
    assert "colab" in header and "Run in your browser" not in header


def test_the_index_says_where_browser_work_is_kept_and_how_to_hand_it_in():
    index = "\n".join(c["source"] for c in load(RELEASED / "index.ipynb")["cells"])
    assert "browser's storage" in index and "Clearing the site's data" in index
    assert "*File → Download*" in index


# --- the lecture and the index --------------------------------------------------------------


def test_lecture_chapters_and_their_addresses():
    times = list(course.CHAPTERS)
    assert times == sorted(times) and len(times) == 19
    assert course.lecture_url("01:09:02") == f"https://youtu.be/{course.LECTURE_VIDEO}?t=4142"
    assert {t for _, _, t in course.LECTURE_LINKS} <= set(course.CHAPTERS)
    assert {s for s, _, _ in course.LECTURE_LINKS} == set(STEMS), "a notebook without a link"


@pytest.mark.parametrize("folder", [SOLVED, RELEASED], ids=["solved", "released"])
def test_lecture_links_sit_under_their_sections(folder):
    for stem, cell_id, time in course.LECTURE_LINKS:
        cell = next(c for c in load(folder / f"{stem}.ipynb")["cells"] if c["id"] == cell_id)
        lines = cell["source"].split("\n")
        heading = next(i for i, ln in enumerate(lines) if ln.startswith("#"))
        assert lines[heading + 1 : heading + 3] == ["", course.lecture_link(time)], (stem, cell_id)
        assert cell["source"].count("▶ Lecture:") == 1, (stem, cell_id)


def test_readme_table_has_a_lecture_column():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "| # | notebook | you build | lecture | open |" in readme
    for _, _, time in course.LECTURE_LINKS:
        assert course.lecture_url(time) in readme


@pytest.mark.parametrize("folder", [SOLVED, RELEASED], ids=["solved", "released"])
def test_every_notebook_opens_the_index_and_the_index_lists_them(folder):
    index = load(folder / "index.ipynb")
    text = "\n".join(c["source"] for c in index["cells"])
    for stem in STEMS:
        assert f"]({stem}.ipynb)" in text, stem
        cells = load(folder / f"{stem}.ipynb")["cells"]
        for tag in ("header", "footer"):
            nav = next(c for c in cells if tag in c["metadata"].get("tags", []))
            assert "[index](index.ipynb)" in nav["source"], (stem, tag)
    assert "autograd_helpers.progress import show" in text
