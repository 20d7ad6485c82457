"""``autograd-course gradescope``: a Gradescope autograder built on the course's own grader.

``build`` writes ``autograder.zip``: ``setup.sh`` (installs Python, Graphviz, bubblewrap and
the course itself, from a wheel inside the zip, so every submission is graded by exactly
this version), ``run_autograder``, the released notebooks to grade and ``autograder.json``
(limits, visibility). On Gradescope, ``run_autograder`` calls ``run``: it finds the
learner's notebooks in ``submission/``, grades them with the same rebuild, sandbox, probes, judges
and checks as ``autograd-course grade``, and writes ``results/results.json``: one test per
check (score, max_score, status, the check's message as output), and, hidden from the
learner, a test listing review flags.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import autograd_helpers
from autograd_helpers.instructor.grading.collect import pick, submission_in
from autograd_helpers.instructor.grading.report import plain
from autograd_helpers.instructor.grading.submissions import GradingError, load_release
from autograd_helpers.instructor.notebook_files import NotRegular, read_regular

VISIBILITIES = ("visible", "hidden", "after_due_date", "after_published")

SETUP_SH = """\
#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq python3 python3-venv python3-pip graphviz bubblewrap >/dev/null
python3 -m venv /autograder/venv
/autograder/venv/bin/python -m pip install -q --upgrade pip
/autograder/venv/bin/python -m pip install -q "/autograder/source/{wheel}[grade]"
"""

RUN_AUTOGRADER = """\
#!/usr/bin/env bash
# Gradescope runs this once per submission; results go to /autograder/results/results.json.
exec /autograder/venv/bin/python -m autograd_helpers.instructor.gradescope run --root /autograder
"""


def _project_root() -> Path:
    root = Path(autograd_helpers.__file__).resolve().parent.parent
    if not (root / "pyproject.toml").exists():
        raise GradingError("run `autograd-course gradescope` from a checkout of the course")
    return root


def _wheel(into: Path) -> Path:
    """A wheel of the course as it is now, built from a clean copy of its sources (so no
    stale build folder can add files; the solved notebooks are not in it)."""
    root = _project_root()
    src = into / "src"
    skip = shutil.ignore_patterns("__pycache__", "*.pyc", "notebooks", "*.egg-info")
    for name in ("autograd_helpers", "solutions"):
        shutil.copytree(root / name, src / name, ignore=skip)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(root / name, src / name)
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(into), str(src)],
        capture_output=True, text=True, env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )  # fmt: skip
    wheels = sorted(into.glob("*.whl"))
    if done.returncode != 0 or not wheels:
        raise GradingError(f"could not build the course's wheel: {done.stderr.strip()[-500:]}")
    return wheels[-1]


def build(
    out: Path,
    release_dir: Path,
    notebooks: list[str] | None = None,
    timeout: int = 30,
    memory: int = 2048,
    visibility: str = "visible",
) -> Path:
    """Write the autograder zip to ``out``; returns its path."""
    if visibility not in VISIBILITIES:
        raise GradingError(f"--visibility must be one of {', '.join(VISIBILITIES)}")
    releases = load_release(release_dir)
    chosen = list(releases)
    if notebooks:
        chosen = []
        for name in notebooks:
            found = [s for s in releases if s == name or s.startswith(f"{name}_")]
            if not found:
                raise GradingError(f"no released notebook {name!r} in {release_dir}")
            chosen += [s for s in found if s not in chosen]
    config = {"notebooks": chosen, "timeout": timeout, "memory": memory, "visibility": visibility}
    with tempfile.TemporaryDirectory() as tmp:
        wheel = _wheel(Path(tmp))
        out.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
            _add(zf, "setup.sh", SETUP_SH.format(wheel=wheel.name), executable=True)
            _add(zf, "run_autograder", RUN_AUTOGRADER, executable=True)
            _add(zf, "autograder.json", json.dumps(config, indent=1) + "\n")
            zf.write(wheel, wheel.name)
            for stem in chosen:
                zf.write(release_dir / f"{stem}.ipynb", f"release/{stem}.ipynb")
    return out


def _add(zf: zipfile.ZipFile, name: str, text: str, executable: bool = False) -> None:
    info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
    info.external_attr = (0o755 if executable else 0o644) << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    zf.writestr(info, text)


# --- on Gradescope ------------------------------------------------------------------------


def _collect(submission: Path, stems: list[str], into: Path) -> list[str]:
    """Copy the learner's notebooks to ``into`` under their released names; notes for them.

    Which file stands for which notebook is decided as ``autograd-course grade`` decides it
    (``collect.notebook_name``, ``collect.pick``): the exact name, else the newest renamed copy.
    """
    found = submission_in(submission)
    chosen, unknown, notes = pick(found.notebooks, stems)
    notes = found.notes + notes
    notes += [f"{f.shown}: not a notebook of this assignment ({', '.join(stems)})" for f in unknown]
    notes += [f"{f.shown}: not a notebook, not graded" for f in found.others]
    into.mkdir(parents=True)
    for stem, f in chosen.items():
        try:
            data, _ = read_regular(f.path)
        except (NotRegular, OSError) as exc:
            notes.append(f"{f.shown}: {getattr(exc, 'strerror', None) or exc}, not graded")
            continue
        (into / f"{stem}.ipynb").write_bytes(data)
    return notes


def results(rows: list, releases: dict, notes: list[str], visibility: str) -> dict:
    """Gradescope's results.json from the grader's rows."""
    titles = {c.test_id: c.title for r in releases.values() for c in r.checks}
    tests, flags = [], []
    for row in rows:
        if not row.test_id:
            notes.append(row.message)
            continue
        title = titles.get(row.test_id, "").removeprefix("Check: ")
        message = plain(row.message)  # Gradescope shows it as text: no escapes, no controls
        if row.status == "missing":  # the grader's wording names its own folder layout
            message = f"no {row.notebook}.ipynb in your submission"
        tests.append(
            {
                "name": f"{row.test_id} · {title}" if title else row.test_id,
                "number": row.test_id,
                "score": row.points,
                "max_score": row.max_points,
                "status": "passed" if row.status == "passed" else "failed",
                "output": "✔ passed" if row.status == "passed" else f"✘ {row.status}: {message}",
                "tags": [row.notebook],
                "visibility": visibility,
            }
        )
        if row.flags:
            flags.append(f"{row.test_id}: {row.flags}")
    if flags:
        tests.append(
            {
                "name": "review flags (instructors only)",
                "score": 0,
                "max_score": 0,
                "output": "\n".join(sorted(set(flags))),
                "visibility": "hidden",
            }
        )
    score = sum(t["score"] for t in tests)
    best = sum(t["max_score"] for t in tests)
    summary = [f"Autograder: {score:g} / {best:g} points."] + notes
    return {
        "score": score,
        "output": "\n".join(summary),
        "visibility": visibility,
        "stdout_visibility": "hidden",
        "tests": tests,
    }


def run(root: Path) -> int:
    """Grade ``root/submission`` with ``root/source``; write ``root/results/results.json``."""
    from autograd_helpers.instructor.grading import Limits, grade

    source, submission = root / "source", root / "submission"
    out_file = root / "results" / "results.json"
    out_file.parent.mkdir(parents=True, exist_ok=True)
    config = json.loads((source / "autograder.json").read_text(encoding="utf-8"))
    releases = load_release(source / "release")
    stems = [s for s in config["notebooks"] if s in releases]
    with tempfile.TemporaryDirectory() as tmp:
        subs = Path(tmp) / "subs"
        notes = _collect(submission, stems, subs / "learner")
        limits = Limits(cell_timeout=config["timeout"], memory_mb=config["memory"])
        rows = grade(subs, Path(tmp) / "out", source / "release", limits=limits, progress=False)
    report = results(rows, releases, notes, config["visibility"])
    out_file.write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograd_helpers.instructor.gradescope")
    sub = parser.add_subparsers(dest="command", required=True)
    go = sub.add_parser("run", help="grade one submission (what run_autograder calls)")
    go.add_argument("--root", type=Path, default=Path("/autograder"))
    args = parser.parse_args(argv)
    try:
        return run(args.root)
    except GradingError as exc:
        # no results.json: Gradescope shows a failed autograder, never zeros that look like grades
        print(f"gradescope: the autograder cannot grade here: {exc}", file=sys.stderr)
        (args.root / "results" / "results.json").unlink(missing_ok=True)
        return 2


if __name__ == "__main__":
    sys.exit(main())
