"""The ``autograd-course`` command: release notebooks, grade a class, check the environment."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

TIMEOUT_HELP = (
    "CPU seconds per cell, over the kernel's whole process tree (default 30): a loaded machine "
    "does not change it; a cell that only waits is stopped after 4x that in wall time, + 30 s"
)


def _positive(minimum: int):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}")
        return value

    return parse


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="autograd-course", description=__doc__)
    sub = top.add_subparsers(dest="command", required=True)
    rel = sub.add_parser("release", help="write notebooks/ from solutions/notebooks/")
    rel.add_argument("--check", action="store_true", help="only list stale files; exit 1 if any")
    sub.add_parser("check-env", help="print [OK]/[FAIL] per requirement; exit 1 if any item fails")
    chk = sub.add_parser(
        "check",
        help="run your notebooks the way the grader does: one line per check, your progress",
    )
    chk.add_argument(
        "notebooks", nargs="*", type=Path, help="notebooks to check (default: all in notebooks/)"
    )
    chk.add_argument("--timeout", type=_positive(1), default=30, help=TIMEOUT_HELP)
    col = sub.add_parser(
        "collect",
        help="copy an LMS's download (Canvas, Moodle, Gradescope) or learner folders into "
        "DEST/<learner>/<NN_name>.ipynb, to look at before grading",
        description="Copy submissions, in any layout `grade` reads, into one folder per learner "
        "with the released notebooks' names. Files are copied, never moved; DEST must be new "
        "or empty. One line per learner and per file not taken says what was done and why.",
    )
    col.add_argument(
        "source", metavar="SRC", type=Path, help="the unzipped download, or learner folders"
    )
    col.add_argument(
        "--out", metavar="DEST", type=Path, required=True, help="a new or empty folder"
    )
    col.add_argument(
        "--release", type=Path, default=Path("notebooks"), help="released notebooks (notebooks/)"
    )
    grade = sub.add_parser(
        "grade",
        help="grade a class: <learner>/<NN_name>.ipynb folders or an LMS's bulk download",
        description="Grade a class. Each notebook runs in a sandbox (bubblewrap on Linux); "
        "results go to OUT/grades.csv, OUT/summary.csv, OUT/feedback/ and the gradebooks "
        "Canvas and Moodle import.",
    )
    grade.add_argument(
        "submissions",
        type=Path,
        help="folder of learner folders, or an unzipped Canvas, Moodle or Gradescope download",
    )
    grade.add_argument("--out", type=Path, required=True, help="where grades and feedback go")
    grade.add_argument(
        "--release", type=Path, default=Path("notebooks"), help="released notebooks (notebooks/)"
    )
    grade.add_argument("--jobs", type=_positive(1), default=1, help="notebooks graded at once")
    grade.add_argument("--timeout", type=_positive(1), default=30, help=TIMEOUT_HELP)
    grade.add_argument(
        "--memory",
        type=_positive(256),
        default=2048,
        help="memory limit per notebook, whole process tree, in MB (default 2048)",
    )
    grade.add_argument(
        "--processes",
        type=_positive(32),
        default=64,
        help="process limit per notebook, whole tree (default 64)",
    )
    grade.add_argument(
        "--sandbox",
        choices=["auto", "bwrap", "user", "none"],
        default="auto",
        help="auto (default): bubblewrap when it works, else (as root) `user`: each kernel as "
        "an unprivileged user of its own; when neither can start, grading stops with the reason. "
        "`none` runs learner code as you",
    )
    grade.add_argument(
        "--resume", action="store_true", help="continue an interrupted run in the same OUT"
    )
    grade.add_argument(
        "--id-column",
        choices=["username", "email"],
        default="username",
        help="what identifies a learner in gradebook_moodle.csv: their username (the learner "
        "folder's name; the default) or their email (Gradescope's, or a folder named by it)",
    )
    grade.add_argument("--no-progress", action="store_true", help="no progress bar")
    gs = sub.add_parser(
        "gradescope",
        help="write a Gradescope autograder (setup.sh, run_autograder, this course's grader)",
    )
    gs.add_argument("--out", type=Path, default=Path("autograder.zip"), help="the zip to write")
    gs.add_argument(
        "--notebooks", nargs="+", metavar="NN", help="notebooks of the assignment (e.g. 01 02)"
    )
    gs.add_argument(
        "--release", type=Path, default=Path("notebooks"), help="released notebooks (notebooks/)"
    )
    gs.add_argument("--timeout", type=_positive(1), default=30, help=TIMEOUT_HELP)
    gs.add_argument("--memory", type=_positive(256), default=2048, help="MB per notebook")
    gs.add_argument(
        "--visibility",
        default="visible",
        choices=["visible", "hidden", "after_due_date", "after_published"],
        help="when learners see the results (Gradescope's setting)",
    )
    hub = sub.add_parser("hub-link", help="print the nbgitpuller links that open the course")
    hub.add_argument("hub", help="your JupyterHub's address, e.g. https://hub.example.edu")
    hub.add_argument(
        "--notebook", default="00_setup", help="the notebook to open (default 00_setup)"
    )
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command == "grade":
        return _grade(args)
    if args.command == "collect":
        return _collect(args)
    if args.command == "gradescope":
        return _gradescope(args)
    if args.command == "hub-link":
        from autograd_helpers import course

        path = f"notebooks/{args.notebook.removesuffix('.ipynb')}.ipynb"
        print("JupyterLab: ", course.nbgitpuller_url(args.hub, path, "lab"))
        print("Notebook 7: ", course.nbgitpuller_url(args.hub, path, "notebook"))
        return 0
    if args.command == "check":
        from autograd_helpers.instructor.selfcheck import main as check_main

        return check_main(args.notebooks, timeout=args.timeout)
    if args.command == "release":
        from autograd_helpers.instructor.release import main as release_main

        return release_main(check=args.check)
    if args.command == "check-env":
        from autograd_helpers.environment import report

        return 0 if report() else 1
    return 2


def _gradescope(args: argparse.Namespace) -> int:
    from autograd_helpers.instructor.gradescope import build
    from autograd_helpers.instructor.grading.submissions import GradingError

    try:
        out = build(
            args.out, args.release, args.notebooks, args.timeout, args.memory, args.visibility
        )
    except GradingError as exc:
        print(f"gradescope: {exc}")
        return 2
    print(f"wrote {out}: upload it as the assignment's autograder (Configure Autograder → Zip)")
    return 0


def _grade(args: argparse.Namespace) -> int:
    try:
        from autograd_helpers.instructor.grading import STATUSES, GradingError, Limits, grade
    except ImportError as exc:
        print(f"grade: {exc.name} is missing: pip install 'micrograd-from-zero[grade]'")
        return 2
    limits = Limits(cell_timeout=args.timeout, memory_mb=args.memory, processes=args.processes)
    try:
        rows = grade(
            args.submissions,
            args.out,
            args.release,
            jobs=args.jobs,
            limits=limits,
            progress=not args.no_progress,
            sandbox=args.sandbox,
            resume=args.resume,
            id_column=args.id_column,
        )
    except GradingError as exc:
        print(f"grade: {exc}")
        return 2
    except KeyboardInterrupt:
        return 130
    learners = len({r.learner for r in rows})
    counts = {s: sum(r.status == s for r in rows) for s in STATUSES}
    summary = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
    print(f"graded {learners} learners: {summary}")
    names = ("grades.csv", "summary.csv", "gradebook_canvas.csv", "gradebook_moodle.csv")
    files = ", ".join(str(args.out / f) for f in names)
    print(f"wrote {files}, {args.out / 'feedback'}/")
    return 0


def _collect(args: argparse.Namespace) -> int:
    try:
        from autograd_helpers.instructor.grading.collect import collect
        from autograd_helpers.instructor.grading.submissions import GradingError, load_release
    except ImportError as exc:
        print(f"collect: {exc.name} is missing: pip install 'micrograd-from-zero[grade]'")
        return 2
    try:
        if not args.release.is_dir():
            raise GradingError(f"release folder not found: {args.release} (run `make notebooks`)")
        learners, copied = collect(args.source, args.out, load_release(args.release))
    except GradingError as exc:
        print(f"collect: {exc}")
        return 2
    print(f"collected {copied} notebooks of {learners} learners into {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
