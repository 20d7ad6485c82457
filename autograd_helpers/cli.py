"""The ``autograd-course`` command: release notebooks, grade a class, check the environment."""

import argparse
import sys
from pathlib import Path


def main(argv=None):
    parser = argparse.ArgumentParser(prog="autograd-course", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    rel = sub.add_parser("release", help="write notebooks/ from solutions/notebooks/")
    rel.add_argument("--check", action="store_true", help="only list stale files; exit 1 if any")
    sub.add_parser("check-env", help="print [OK]/[FAIL] per requirement; exit 1 if any item fails")
    grade = sub.add_parser(
        "grade",
        help="grade SUBMISSIONS/<learner>/<NN_name>.ipynb with the released check cells",
    )
    grade.add_argument("submissions", type=Path, help="folder of learner folders")
    grade.add_argument("--out", type=Path, required=True, help="where grades and feedback go")
    grade.add_argument(
        "--release", type=Path, default=Path("notebooks"), help="released notebooks (notebooks/)"
    )
    grade.add_argument("--jobs", type=int, default=1, help="notebooks graded at once")
    grade.add_argument("--timeout", type=int, default=30, help="seconds per cell (default 30)")
    grade.add_argument(
        "--memory", type=int, default=2048, help="memory limit per notebook in MB (default 2048)"
    )
    grade.add_argument("--no-progress", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    if args.command == "grade":
        return _grade(args)
    if args.command == "release":
        from autograd_helpers.release import main as release_main

        return release_main(check=args.check)
    if args.command == "check-env":
        from autograd_helpers.environment import report

        return 0 if report() else 1
    return 2


def _grade(args) -> int:
    from autograd_helpers.grading import GradingError, Limits, grade

    if args.jobs < 1 or args.timeout < 1 or args.memory < 256:
        print("grade: --jobs and --timeout must be at least 1, --memory at least 256 (MB)")
        return 2
    try:
        rows = grade(
            args.submissions,
            args.out,
            args.release,
            jobs=args.jobs,
            limits=Limits(cell_timeout=args.timeout, memory_mb=args.memory),
            progress=not args.no_progress,
        )
    except GradingError as exc:
        print(f"grade: {exc}")
        return 2
    learners = len({r.learner for r in rows})
    counts = {
        s: sum(r.status == s for r in rows)
        for s in ("passed", "failed", "timeout", "missing", "invalid")
    }
    summary = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
    print(f"graded {learners} learners: {summary}")
    print(f"wrote {args.out / 'grades.csv'}, {args.out / 'summary.csv'}, {args.out / 'feedback'}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
