"""``autograd-course grade``: score a whole class with the released check cells.

Submissions come as ``SUBMISSIONS/<learner>/<NN_name>.ipynb`` folders or as an LMS's bulk
download (``collect``). Each notebook is rebuilt on the release with check cells that ask
the kernel for their probes' data (``rebuild``), run in a sandbox (``sandbox``, ``run``),
judged in this process (``score``) and written to OUT as soon as it is done
(``report``). One bad submission costs its own rows, never the run; the submissions folder
is only read; the same input gives the same grades.
"""

from __future__ import annotations

import hashlib
import shutil
import sys
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from autograd_helpers.instructor.grading.collect import plan
from autograd_helpers.instructor.grading.flags import review_flags
from autograd_helpers.instructor.grading.rebuild import MAX_ADDED_CELLS, probed, rebuild
from autograd_helpers.instructor.grading.report import (
    STATUSES,
    Output,
    Row,
    digest,
    write_outputs,
)
from autograd_helpers.instructor.grading.run import execute, make_run_dir, remove, stop_all
from autograd_helpers.instructor.grading.sandbox import Limits, Sandbox, SandboxUnavailable, choose
from autograd_helpers.instructor.grading.score import cap, score
from autograd_helpers.instructor.grading.submissions import (
    GradingError,
    Job,
    Release,
    given_answers,
    holds_other_notebook,
    load_release,
    read_submission,
)

__all__ = [
    "STATUSES", "GradingError", "Limits", "Row", "Sandbox", "grade", "grade_one",
    "load_release", "rebuild", "review_flags",
]  # fmt: skip

REQUIRED = ("nbclient", "jupyter_client", "ipykernel", "nbformat", "IPython", "zmq")


def missing_requirements() -> list[str]:
    """Modules grading needs that are not installed."""
    import importlib.util

    return [m for m in REQUIRED if importlib.util.find_spec(m) is None]


def _rows(job: Job, release: Release | None, status: str, message: str, flags=()) -> list[Row]:
    message, joined = cap(message), cap("; ".join(flags), 1000)
    if release is None:
        return [Row(job.learner, job.stem, "", 0, 0, status, message, joined)]
    return [
        Row(job.learner, job.stem, c.test_id, 0, c.points, status, message, joined)
        for c in release.checks
    ]


def grade_one(
    job: Job, releases: dict[str, Release], limits: Limits, sandbox: Sandbox, work: Path
) -> list[Row]:
    """Every row of one learner x notebook; never raises for a bad submission."""
    if not job.stem:  # a refused learner folder
        return _rows(job, None, "invalid", job.problem)
    release = releases.get(job.stem)
    if release is None:
        names = ", ".join(releases)
        return _rows(
            job, None, "invalid",
            f"{job.stem}.ipynb is not a notebook of this course (expected one of: {names})",
        )  # fmt: skip
    if job.path is None:
        return _rows(job, release, "missing", job.problem)
    loaded, problem = read_submission(job.path)
    if loaded is None:
        return _rows(job, release, "invalid", problem)
    submission = loaded.nb
    other = holds_other_notebook(submission, job.stem, releases, loaded.ids)
    if other:
        return _rows(
            job, release, "invalid",
            f"{job.stem}.ipynb holds the cells of {other}: save each notebook under its own name",
        )  # fmt: skip
    dirs = make_run_dir(work)
    built = probed(release, submission, loaded.ids)
    flags = review_flags(built.learner_code) + [f"file: {note}" for note in loaded.notes]
    if built.cut:
        flags.append(f"{built.cut} added code cells past the first {MAX_ADDED_CELLS} not run")
    given = given_answers(release.nb)
    result, limit_hit = execute(built.nb, release.code_cells, sandbox, limits, dirs, given)
    out = []
    for check, (status, message, extra) in zip(
        release.checks, score(release, built, result, limit_hit)
    ):
        points = check.points if status == "passed" else 0
        out.append(
            Row(job.learner, job.stem, check.test_id, points, check.points, status, message,
                cap("; ".join(flags + extra), 1000))
        )  # fmt: skip
    return out


def _fingerprint(releases: dict[str, Release]) -> str:
    h = hashlib.sha256()
    for stem, rel in sorted(releases.items()):
        h.update(stem.encode())
        h.update(repr([(c.test_id, c.points, c.call) for c in rel.checks]).encode())
    return h.hexdigest()[:16]


def grade(
    submissions: Path,
    out: Path,
    release_dir: Path,
    jobs: int = 1,
    limits: Limits | None = None,
    progress: bool = True,
    sandbox: str = "auto",
    resume: bool = False,
    id_column: str = "username",
) -> list[Row]:
    """Grade every submission; write OUT/grades.csv, summary.csv, the gradebooks, feedback/."""
    submissions, out = Path(submissions).absolute(), Path(out).absolute()
    if not submissions.is_dir():
        raise GradingError(f"submissions folder not found: {submissions}")
    real_subs, real_out = submissions.resolve(), out.resolve()
    if real_out == real_subs or real_subs in real_out.parents:
        raise GradingError("--out must be outside the submissions folder (it is only read)")
    if not Path(release_dir).is_dir():
        raise GradingError(f"release folder not found: {release_dir} (run `make notebooks`)")
    missing = missing_requirements()
    if missing:
        raise GradingError(
            f"grading needs {', '.join(missing)}: pip install 'micrograd-from-zero[grade]'"
        )
    releases = load_release(Path(release_dir))
    work = plan(submissions, releases)
    lms = {job.learner: job.lms for job in work if job.lms}  # for the gradebooks
    if not work:
        raise GradingError(
            f"no learner folders in {submissions} (expected <learner>/NN_name.ipynb)"
        )
    try:
        box = choose(sandbox, hidden=[real_subs, real_out, Path(release_dir).resolve()])
    except SandboxUnavailable as exc:
        raise GradingError(f"--sandbox {sandbox}: {exc}") from exc
    print(f"sandbox: {box.kind}", file=sys.stderr)
    if box.missing:
        weaker = "WITHOUT a sandbox" if box.kind == "none" else f"in the weaker {box.kind} sandbox"
        print(f"warning: grading {weaker}. Missing protection:", file=sys.stderr)
        for why in box.missing:
            print(f"  - {why}", file=sys.stderr)
    if shutil.which("dot") is None:
        print("note: graphviz `dot` is missing; graph cells will show text instead")
    limits = limits or Limits()
    info = {"release": _fingerprint(releases), "submissions": str(submissions)}
    output = Output(out, info, resume)
    work_root = output.work
    if box.own_users:  # the kernels' users must reach their run folders: a fresh one in TMPDIR
        work_root = Path(tempfile.mkdtemp(prefix="autograd-grade-"))
        work_root.chmod(0o711)
    results: dict[int, list[Row]] = {}
    stop = threading.Event()

    from tqdm.auto import tqdm

    bar = tqdm(total=len(work), desc="grading", unit="notebook", disable=not progress)

    def run(k: int) -> None:
        job = work[k]
        if stop.is_set():
            return
        fingerprint = digest(job.path)
        rows = output.finished(job.learner, job.stem, fingerprint)
        if rows is None:
            try:
                rows = grade_one(job, releases, limits, box, work_root)
            except Exception as exc:  # a grader bug: that notebook's rows say so
                release = releases.get(job.stem)
                rows = _rows(job, release, "failed", f"grader error: {type(exc).__name__}: {exc}")
            if stop.is_set():
                return  # interrupted mid-run: not recorded, graded again on --resume
            output.record(job.learner, job.stem, fingerprint, rows)
        results[k] = rows
        bar.update(1)

    pool = ThreadPoolExecutor(max_workers=max(1, jobs))
    try:
        for future in [pool.submit(run, k) for k in range(len(work))]:
            future.result()
    except KeyboardInterrupt:
        stop.set()
        stop_all()
        pool.shutdown(wait=True, cancel_futures=True)
        rows = [r for k in sorted(results) for r in results[k]]
        write_outputs(rows, out, id_column, lms)
        output.release()
        bar.close()
        print(
            f"\ninterrupted: {len(results)} of {len(work)} notebooks graded and written; "
            f"run the same command with --resume to grade the rest",
            file=sys.stderr,
        )
        raise
    finally:
        pool.shutdown(wait=True)
        if work_root != output.work:
            remove(work_root)
    bar.close()
    rows = [r for k in sorted(results) for r in results[k]]
    write_outputs(rows, out, id_column, lms)
    output.release()
    return rows
