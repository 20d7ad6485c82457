"""Timings of the course's code, printed section by section (``make bench``).

    python bench/run.py                    # every section
    python bench/run.py --only training    # one section (repeat --only for more)
    python bench/run.py --list             # the section names

Every figure is measured in this run, on this machine; nothing here passes or
fails on a timing. bench/README.md says what each section measures, and how the
reference engine's design follows from the ``training`` section. To add a section,
write a function that takes the parsed arguments and prints its own figures, and
decorate it with ``@section(...)``.
"""

import argparse
import gc
import math
import os
import platform
import random
import statistics
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run from a checkout without `pip install -e .`
    sys.path.insert(0, str(ROOT))


@dataclass(frozen=True)
class Section:
    name: str
    title: str
    run: Callable[[argparse.Namespace], None]


SECTIONS: list[Section] = []


def section(name: str, title: str):
    """Register a function as a section of the benchmark, run in the order defined."""

    def register(run):
        SECTIONS.append(Section(name, title, run))
        return run

    return register


@dataclass(frozen=True)
class Timing:
    """Medians in seconds: wall time, and this process's CPU time (which other
    programs running on the machine disturb less)."""

    wall: float
    cpu: float

    def __str__(self):
        return f"{self.wall * 1000:8.1f} ms wall, {self.cpu * 1000:8.1f} ms CPU"


def measure(step: Callable[[], object], repeats: int, warmup: int = 1) -> Timing:
    """Median times of ``step()`` over ``repeats`` calls, after ``warmup`` untimed."""
    for _ in range(warmup):
        step()
    walls, cpus = [], []
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        step()
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - wall)
    return Timing(statistics.median(walls), statistics.median(cpus))


# --- training step: reference engine vs micrograd 0.1.0 ---------------------------


def training_step(model, value, points, labels, learning_rate=0.05):
    """One step of micrograd's moons demo; returns the loss before the update.

    Forward over every point, max-margin loss (mean of relu(1 - y * score)) plus
    1e-4 L2, zero_grad, backward, SGD update. ``value`` is the engine's Value class.
    """
    inputs = [[value(a), value(b)] for a, b in points]
    scores = [model(x) for x in inputs]
    losses = [(1 + -y * score).relu() for y, score in zip(labels, scores, strict=True)]
    data_loss = sum(losses) * (1.0 / len(losses))
    reg_loss = 1e-4 * sum(p * p for p in model.parameters())
    total = data_loss + reg_loss
    model.zero_grad()
    total.backward()
    for p in model.parameters():
        p.data -= learning_rate * p.grad
    return total.data


def import_micrograd():
    """micrograd 0.1.0's (Value, MLP), or None with a line saying how to install it."""
    try:
        from micrograd.engine import Value
        from micrograd.nn import MLP
    except ImportError:
        print(
            "  micrograd is not installed, so there is nothing to compare with: "
            f"`{sys.executable} -m pip install micrograd==0.1.0` "
            "(or run `make bench`, which installs it)."
        )
        return None
    version = metadata.version("micrograd")
    if version != "0.1.0":
        print(f"  note: micrograd {version} is installed; these figures are meant for 0.1.0.")
    return Value, MLP


def time_training(value, model, points, labels, repeats, collector=True) -> Timing:
    """Median time of one training step with the garbage collector on (Python's
    default) or off. A collection first, so that each engine pays for its own garbage
    only, as it would in a training loop of its own. With the collector off, what a
    step leaves behind (micrograd's cycles) is collected after it, outside the timing."""

    def step():
        if not collector:
            gc.disable()
        try:
            training_step(model, value, points, labels)
        finally:
            gc.enable()

    gc.collect()
    if collector:
        return measure(step, repeats, warmup=2)
    timings = []
    for _ in range(repeats):
        timings.append(measure(step, repeats=1, warmup=0))
        gc.collect()
    step()  # a warm-up step's worth of state, as with the collector on
    gc.collect()
    return Timing(
        statistics.median(t.wall for t in timings), statistics.median(t.cpu for t in timings)
    )


def collector_per_step(value, model, points, labels, steps=3) -> tuple[float, float]:
    """CPU seconds spent in the garbage collector during one step, and the number of
    collections, averaged over ``steps`` steps (timed apart from the figures above)."""
    spent, started = [0.0, 0], []

    def callback(phase, info):
        if phase == "start":
            started.append(time.process_time())
        else:
            spent[0] += time.process_time() - started.pop()
            spent[1] += 1

    gc.collect()
    gc.callbacks.append(callback)
    try:
        for _ in range(steps):
            training_step(model, value, points, labels)
    finally:
        gc.callbacks.remove(callback)
    return spent[0] / steps, spent[1] / steps


@section("training", "one training step of MLP(2,[16,16,1]), ReLU, 100 points")
def bench_training(args):
    from autograd_helpers.data import make_moons  # the data of notebook 08
    from solutions.engine import Value
    from solutions.nn import MLP

    points, labels = make_moons(100, seed=0)
    random.seed(1337)
    reference = MLP(2, [16, 16, 1], activation="relu", last_activation="linear")
    print(
        f"  data: 100 two-moons points (seed 0); {len(reference.parameters())} parameters; "
        f"median of {args.repeats} steps after 2 warm-up steps"
    )
    micrograd = import_micrograd()
    if micrograd is not None:
        mg_value, mg_mlp = micrograd
        theirs = mg_mlp(2, [16, 16, 1])  # ReLU hidden layers, linear output
        for ours, its in zip(reference.parameters(), theirs.parameters(), strict=True):
            its.data = ours.data  # the same initial weights
        loss_ref = training_step(reference, Value, points, labels)
        loss_mg = training_step(theirs, mg_value, points, labels)
        same = math.isclose(loss_ref, loss_mg, rel_tol=1e-9)
        print(
            f"  first step's loss: reference {loss_ref:.6f}, micrograd {loss_mg:.6f} "
            f"({'the same computation' if same else 'DIFFERENT: check the setup'})"
        )

    engines = [("reference (solutions/engine.py)", Value, reference)]
    if micrograd is not None:
        engines.append(("micrograd 0.1.0", mg_value, theirs))
    times = {}
    for collector in (True, False):
        for name, value, model in engines:
            t = time_training(value, model, points, labels, args.repeats, collector)
            times[name, collector] = t
            state = "on: " if collector else "off:"
            print(f"  {name:31} collector {state} {t} per step")
    if micrograd is not None:
        for collector in (True, False):
            ref, mg = times[engines[0][0], collector], times[engines[1][0], collector]
            target = " (target >= 12x)" if collector else ""
            print(
                f"  collector {'on: ' if collector else 'off:'} reference is "
                f"{mg.wall / ref.wall:.1f}x faster than micrograd 0.1.0{target}; "
                f"{mg.cpu / ref.cpu:.1f}x in CPU time"
            )
    spent = ", ".join(
        f"{name.split(' (')[0]} {seconds * 1000:.1f} ms ({count:.0f} collections)"
        for name, value, model in engines
        for seconds, count in [collector_per_step(value, model, points, labels)]
    )
    print(f"  in the collector, per step (CPU, collector on): {spent}")


@section("deep_chain", "backward() through a chain 100,000 nodes deep, reference engine")
def bench_deep_chain(args):
    from solutions.engine import Value

    def chain(depth=100_000):
        x = Value(0.5)
        for _ in range(depth):
            x = x + 1.0
        return x

    gc.collect()
    graphs = []
    build = measure(lambda: graphs.append(chain()), repeats=1, warmup=0)
    y = graphs.pop()
    repeats = max(1, args.repeats // 3)
    backward = measure(y.backward, repeats, warmup=0)
    graphs.append(y)
    del y
    free = measure(graphs.clear, repeats=1, warmup=0)  # drops the last reference
    print(f"  at recursion limit {sys.getrecursionlimit()}")
    print(f"  build (forward): {build}")
    print(f"  backward():      {backward} (median of {repeats})")
    print(f"  free the graph:  {free}")


# --- notebooks and grading --------------------------------------------------------


def _solved_notebooks() -> list[Path]:
    return sorted((ROOT / "solutions" / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def _plain_in_process(nb: dict, cwd: Path, cells: list | None = None) -> float:
    """Seconds to execute ``nb`` with nbclient from this process in a fresh kernel: what a
    learner waits for after "Restart kernel and run all" (start, every cell, shutdown).
    ``cells`` gets (seconds, index, first line) of each code cell."""
    import subprocess
    from datetime import datetime

    import nbformat
    from nbclient import NotebookClient

    node = nbformat.from_dict(nb)
    client = NotebookClient(node, timeout=120, allow_errors=True, kernel_name="python3")
    start = time.perf_counter()
    client.execute(cwd=str(cwd), stderr=subprocess.DEVNULL)  # the kernel's start-up warnings
    seconds = time.perf_counter() - start
    for k, cell in enumerate(node.cells):
        stamps = cell.get("metadata", {}).get("execution", {})
        if cells is not None and "iopub.execute_input" in stamps:
            began, ended = (
                datetime.fromisoformat(stamps[key].replace("Z", "+00:00"))
                for key in ("iopub.execute_input", "shell.execute_reply")
            )
            first = cell.source.splitlines()[0][:50] if cell.source else ""
            cells.append(((ended - began).total_seconds(), k, first))
    return seconds


@section("notebooks", "each solved notebook, top to bottom (targets: 08 under 10 s, others 5 s)")
def bench_notebooks(args):
    import json

    import nbformat

    print("  a fresh kernel per run (its start, every cell, its shutdown); median of 3")
    slowest = []
    for path in _solved_notebooks():
        nb = json.loads(json.dumps(nbformat.read(path, as_version=4)))
        cells: list = []
        seconds = statistics.median(_plain_in_process(nb, path.parent, cells) for _ in range(3))
        target = 10 if path.stem.startswith("08") else 5
        mark = "" if seconds < target else f"   <-- over the {target} s target"
        print(f"  {path.stem:22} {seconds:6.2f} s{mark}")
        by_cell: dict = {}
        for took, k, first in cells:
            by_cell.setdefault((k, first), []).append(took)
        slowest += [
            (statistics.median(t), path.stem, k, first) for (k, first), t in by_cell.items()
        ]
    print("  the slowest cells (a learner waits at each; target: 2 s, 08's training apart):")
    for took, stem, k, first in sorted(slowest, reverse=True)[:6]:
        print(f"    {took:5.2f} s  {stem} cell {k}: {first}")


@section("grading", "grading one honest submission vs plain execution (target: <= 1.2x)")
def bench_grading(args):
    import tempfile

    import nbformat

    from autograd_helpers.instructor import grading
    from autograd_helpers.instructor.grading.sandbox import choose
    from autograd_helpers.instructor.grading.submissions import Job

    release_dir = ROOT / "notebooks"
    releases = grading.load_release(release_dir)
    box = choose("auto", hidden=[])
    print("  per notebook, both in this process: plain = execute the rebuilt notebook with")
    print("  nbclient; grading = rebuild, probe requests with the grader's own inputs,")
    print(f"  run in the sandbox ({box.kind}), judging;")
    print("  median of 3")
    ratios, totals = [], [0.0, 0.0]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / "work"
        work.mkdir()
        for path in _solved_notebooks():
            if path.stem not in releases:
                continue
            submission = Path(tmp) / "learner" / path.name
            submission.parent.mkdir(exist_ok=True)
            submission.write_bytes(path.read_bytes())
            solved = nbformat.read(path, as_version=4)
            rebuilt = grading.rebuild(releases[path.stem].nb, solved).nb
            job = Job("learner", path.stem, submission)
            plain = statistics.median(_plain_in_process(rebuilt, path.parent) for _ in range(3))

            def graded(job=job):
                start = time.perf_counter()
                rows = grading.grade_one(job, releases, grading.Limits(), box, work)
                assert all(r.status == "passed" for r in rows), rows
                return time.perf_counter() - start

            grade = statistics.median(graded() for _ in range(3))
            ratios.append(grade / plain)
            totals[0] += plain
            totals[1] += grade
            print(
                f"  {path.stem:22} plain {plain:5.2f} s, grading {grade:5.2f} s, "
                f"{grade / plain:4.2f}x"
            )
    if ratios:
        print(
            f"  whole course: plain {totals[0]:.1f} s, grading {totals[1]:.1f} s, "
            f"{totals[1] / totals[0]:.2f}x (target <= 1.2x); per notebook median "
            f"{statistics.median(ratios):.2f}x, worst {max(ratios):.2f}x"
        )


# --- grading a class: idle and under load; a class with attackers ---------------------------


def _hogs(count: int = 4) -> list:
    """``count`` CPU hogs, each in a session of its own (the scheduler shares the CPU between
    sessions, so they slow the grader as other users' jobs would). ``timeout`` ends them
    if this process dies without stopping them."""
    import subprocess

    return [
        subprocess.Popen(
            ["timeout", "1500", sys.executable, "-c", "while 1: pass"],
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(count)
    ]


def _stop(hogs: list) -> None:
    import signal

    for hog in hogs:
        try:
            os.killpg(hog.pid, signal.SIGKILL)  # its session: timeout and its python
        except OSError:
            pass
        hog.wait()


def _class(folder: Path, stems: list[str], learners: dict[str, dict[str, dict]]) -> Path:
    """A release of ``stems`` and a submissions folder: learner -> {stem: notebook}."""
    import json
    import shutil

    release = folder / "release"
    release.mkdir(parents=True)
    for stem in stems:
        shutil.copy(ROOT / "notebooks" / f"{stem}.ipynb", release)
    for learner, notebooks in learners.items():
        (folder / "subs" / learner).mkdir(parents=True)
        for stem, nb in notebooks.items():
            path = folder / "subs" / learner / f"{stem}.ipynb"
            path.write_text(json.dumps(nb), encoding="utf-8")
    return release


def _grade_cli(folder: Path, out: str, release: Path, jobs: int) -> tuple[float, Path]:
    """Grade ``folder/subs`` with the command line, as an instructor would: wall seconds and
    the OUT folder. (No CPU figure: the kernels' trees are killed, not all waited for, so
    this process's count of its children's CPU would miss most of it.)"""
    import subprocess

    target = folder / out
    command = [sys.executable, "-m", "autograd_helpers.instructor.cli", "grade",
               str(folder / "subs"), "--out", str(target), "--release", str(release),
               "--jobs", str(jobs), "--no-progress"]  # fmt: skip
    start = time.perf_counter()
    run = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    wall = time.perf_counter() - start
    if run.returncode:
        raise RuntimeError(f"grading failed ({run.returncode}): {run.stdout}{run.stderr}")
    return wall, target


def _load_solved(stem: str) -> dict:
    import json

    import nbformat

    path = ROOT / "solutions" / "notebooks" / f"{stem}.ipynb"
    return json.loads(json.dumps(nbformat.read(path, as_version=4)))


def _statuses(out: Path) -> dict[str, dict[str, int]]:
    """learner -> {status: how many rows} from OUT/grades.csv."""
    import collections
    import csv

    with open(out / "grades.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    counts: dict[str, dict[str, int]] = {}
    for row in rows:
        counts.setdefault(row["learner"], collections.Counter())[row["status"]] += 1
    return {k: dict(v) for k, v in counts.items()}


@section("grading_load", "a class graded idle, then with 4 CPU hogs: the same grades.csv?")
def bench_grading_load(args):
    import tempfile

    stems = ["01_value", "07_training"]
    notebooks = {stem: _load_solved(stem) for stem in stems}
    learners = {f"learner{k}": notebooks for k in range(6)}
    print(f"  6 honest learners x {', '.join(stems)}; `autograd-course grade --jobs 2`; one run")
    print("  each; load: 4 processes `while 1: pass`, each in a session of its own, on this")
    print(f"  machine's {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        release = _class(folder, stems, learners)
        idle_wall, idle_out = _grade_cli(folder, "idle", release, jobs=2)
        print(f"  idle:        {idle_wall:6.1f} s")
        hogs = _hogs(4)
        try:
            load_wall, load_out = _grade_cli(folder, "loaded", release, jobs=2)
        finally:
            _stop(hogs)
        print(f"  with 4 hogs: {load_wall:6.1f} s")
        print(f"  under load:  {load_wall / idle_wall:6.2f}x the time")
        same = (idle_out / "grades.csv").read_bytes() == (load_out / "grades.csv").read_bytes()
        if same:
            print("  grades.csv: identical idle and under load (as it must be)")
        else:
            print("  grades.csv: DIFFERENT under load: a grade depends on the machine's speed")
            print(f"    idle:   {_statuses(idle_out)}")
            print(f"    loaded: {_statuses(load_out)}")


@section("hostile_class", "30 honest learners of 01, alone and with 3 attackers added")
def bench_hostile_class(args):
    import copy
    import tempfile

    stem = "01_value"
    solved = _load_solved(stem)

    def added(nb: dict, cells: list[str]) -> dict:
        nb = copy.deepcopy(nb)
        at = next(i for i, c in enumerate(nb["cells"]) if c["id"] == "check-mul") + 1
        nb["cells"][at:at] = [
            {"cell_type": "code", "id": f"mine-{k}", "metadata": {}, "outputs": [],
             "execution_count": None, "source": source}
            for k, source in enumerate(cells)
        ]  # fmt: skip
        return nb

    attackers = {
        "attacker_endless": added(solved, ["while True:\n    pass"]),
        "attacker_printer": added(solved, ["for i in range(1_000_000):\n    print(i)"]),
        "attacker_cells": added(solved, ["x = 1"] * 20_000),
    }
    honest = {f"learner{k:02}": {stem: solved} for k in range(30)}
    print("  `autograd-course grade --jobs 2`, default limits; attackers: an endless loop in a")
    print("  cell, a cell printing 1,000,000 lines, 20,000 added cells `x = 1`; one run each")
    with tempfile.TemporaryDirectory() as tmp:
        alone_dir, mixed_dir = Path(tmp) / "alone", Path(tmp) / "mixed"
        release = _class(alone_dir, [stem], honest)
        alone_wall, _ = _grade_cli(alone_dir, "out", release, jobs=2)
        print(f"  30 honest:               {alone_wall:6.1f} s")
        everyone = {**honest, **{name: {stem: nb} for name, nb in attackers.items()}}
        release = _class(mixed_dir, [stem], everyone)
        mixed_wall, mixed_out = _grade_cli(mixed_dir, "out", release, jobs=2)
        print(f"  30 honest + 3 attackers: {mixed_wall:6.1f} s")
        print(f"  with the attackers:      {mixed_wall / alone_wall:6.2f}x the time")
        got = _statuses(mixed_out)
        for name in attackers:
            print(f"  {name:17} {got.get(name)} (rows by status)")
        honest_same = all(got.get(k) == {"passed": 5} for k in honest)
        print(f"  the 30 honest learners: {'all full marks' if honest_same else 'NOT all passed'}")


@section("suite", "the whole test suite, exactly as `make test` runs it (target: under 3 min)")
def bench_suite(args):
    import resource
    import subprocess

    print("  `make test` (ruff, then pytest on every core: see the Makefile); one run")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    run = subprocess.run(
        ["make", "--no-print-directory", "test"], cwd=ROOT, capture_output=True, text=True
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    lines = [ln for ln in run.stdout.splitlines() if ln.strip()]
    command = next((ln for ln in lines if " -m pytest" in ln), "pytest")
    summary = next((ln.strip("= ") for ln in reversed(lines) if " in " in ln), "no summary")
    print(f"  {command}")
    print(f"  {summary}")
    print(f"  {wall:6.1f} s wall, {cpu:6.1f} s CPU (all its processes; {os.cpu_count()} CPUs)")
    if run.returncode:
        print(f"  make test exited with {run.returncode}: the figure is of a failing run")


# --- main ------------------------------------------------------------------------


def main(argv=None) -> int:
    names = [s.name for s in SECTIONS]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--only",
        action="append",
        choices=names,
        metavar="NAME",
        help=f"run only this section (repeatable); one of: {', '.join(names)}",
    )
    parser.add_argument(
        "--repeats", type=int, default=9, help="timed repeats per figure (default 9)"
    )
    parser.add_argument("--list", action="store_true", help="list the sections")
    args = parser.parse_args(argv)
    if args.list:
        width = max(len(s.name) for s in SECTIONS)
        for s in SECTIONS:
            print(f"{s.name:{width}} {s.title}")
        return 0

    print(
        f"Python {platform.python_version()} ({platform.python_implementation()}), "
        f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.system()}"
    )
    failed = []
    for s in SECTIONS:
        if args.only and s.name not in args.only:
            continue
        print(f"\n== {s.name}: {s.title}")
        try:
            s.run(args)
        except Exception:  # one broken section must not hide the others' figures
            traceback.print_exc()
            failed.append(s.name)
    if failed:
        print(f"\nsections that crashed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
