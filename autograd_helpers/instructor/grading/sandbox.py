"""Where a submission runs: a bubblewrap sandbox with limits over its whole process tree.

Only the kernel runs inside. The executor (nbclient) stays outside and talks to it over
ZeroMQ ``ipc`` sockets in a short folder of the run, shared with the sandbox. Inside:

- the system, the Python installation and the course's own packages, read-only; the
  solved notebooks, the submissions folder and the grader's output are not there at all;
- a private scratch folder (HOME, TMPDIR, IPython and matplotlib settings) as the only
  writable place besides a small /tmp;
- no network, its own PID namespace (it sees no other process, and nothing it starts
  outlives it), a minimal environment (no tokens or paths of the grader's);
- limits over the whole tree: memory and number of processes (control groups when the
  machine offers them, else a watchdog that sums the tree), plus per-process address
  space and file size limits.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

import autograd_helpers
import solutions

SANDBOXES = ("auto", "bwrap", "user", "none")
# When the grader runs as root, each kernel runs as a user id of its own, drawn from a range
# no system gives out (no name, no files, no groups): it owns nothing but its run folder,
# cannot signal or read another kernel's files, and a setuid file it makes gives only itself.
KERNEL_UIDS = (2_000_000_000, 2_100_000_000)  # below 2**31: bubblewrap maps no higher
# how the probes run a command: as a user that owns nothing, as a kernel will
_AS_KERNEL: dict[str, Any] = {"user": KERNEL_UIDS[0], "group": KERNEL_UIDS[0], "extra_groups": []}
SCRATCH_MB = 512  # the kernel's private scratch (a tmpfs in the sandbox: in memory, bounded)


def _root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


class SandboxUnavailable(Exception):
    """``--sandbox bwrap`` was asked for and cannot work here."""


@dataclass
class Limits:
    """Time is CPU time of the kernel's whole process tree, so that a loaded machine never
    changes a grade; a wall-clock backstop ``wall_factor`` times larger stops code that only
    sleeps or waits."""

    cell_timeout: int = 30  # CPU seconds per cell
    memory_mb: int = 2048  # the whole kernel tree
    processes: int = 64  # the whole kernel tree
    file_mb: int = 256  # largest file the kernel may write
    startup: int = 60  # CPU seconds for the kernel to start and the setup cells to run
    wall_factor: int = 4  # the wall-clock backstop, as a multiple of the CPU limits

    def notebook_timeout(self, released_code_cells: int) -> int:
        """CPU seconds for the whole notebook: set by the release, not by cells a learner adds."""
        return self.startup + self.cell_timeout * released_code_cells

    def wall(self, cpu_seconds: float) -> int:
        """The wall-clock backstop for a CPU limit of ``cpu_seconds``."""
        return int(self.wall_factor * cpu_seconds + 30)


# --- the sandbox ------------------------------------------------------------------------


def _course_dirs() -> list[Path]:
    """The course's packages, as the kernel must import them."""
    return [Path(autograd_helpers.__file__).parent, Path(solutions.__file__).parent]


def course_covers(given: list[str]) -> tuple[list[Path], list[Path]]:
    """(folders, files): what a grading kernel must not import, the judges, the instructor's
    tooling and the reference answers; and the files of the reference modules put back
    because the notebook itself imports them (``given``: "engine" from 05 on, "nn" from 07
    on, where they are given, not asked)."""
    package, answers = _course_dirs()
    covered = [package / "checks", package / "instructor", answers]
    kept = [answers / f"{name}.py" for name in given if (answers / f"{name}.py").is_file()]
    return covered, ([answers / "__init__.py", *kept] if kept else [])


def _python_dirs() -> list[Path]:
    dirs = {Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve()}
    for entry in sys.path:  # site-packages outside the prefixes (e.g. --user installs)
        p = Path(entry or ".").resolve()
        if p.is_dir() and ("site-packages" in p.parts or "dist-packages" in p.parts):
            dirs.add(p)
    return sorted(dirs)


# /bin, /lib are symlinks into /usr on current systems; fontconfig's cache keeps `dot` fast
_SYSTEM = ["/usr", "/etc", "/opt/conda", "/var/cache/fontconfig"]


@dataclass
class Sandbox:
    """How kernels are confined; ``missing`` says plainly what protection is not there."""

    kind: str  # "bwrap", "user" or "none"
    missing: list[str] = field(default_factory=list)
    hidden: list[Path] = field(default_factory=list)  # folders the kernel must not see

    @property
    def own_users(self) -> bool:
        """True when each kernel runs as a user of its own (the grader is root)."""
        return self.kind in ("user", "bwrap") and _root()

    def kernel_uid(self) -> int | None:
        """A fresh user id for one kernel, or None when the kernel runs as the grader's user
        (bubblewrap started by a normal user: it holds no privilege to drop)."""
        if not self.own_users:
            return None
        return KERNEL_UIDS[0] + secrets.randbelow(KERNEL_UIDS[1] - KERNEL_UIDS[0])

    def wrap(
        self,
        kernel: list[str],
        run_dir: Path,
        scratch: Path,
        sockets: Path,
        uid: int | None,
        given: list[str] | None = None,
    ) -> list[str]:
        """The command that starts ``kernel`` confined, with ``scratch`` as its cwd.

        Bubblewrap always starts unprivileged, in a user namespace of its own: as the grader's
        user, or, when the grader is root, as the kernel's own user ``uid`` (``confine`` drops
        to it, first binding where that user can reach them the folders it could not, such as
        a Python installed under /root). Mapped to root outside, a kernel could read root's
        files and leave setuid-root files behind; mapped to ``uid``, it cannot.
        """
        if self.kind in ("none", "user"):
            return kernel
        args = [_bwrap(), "--die-with-parent", "--unshare-all", "--new-session"]
        args += ["--unshare-user", "--disable-userns", "--cap-drop", "ALL"]
        # every mount bubblewrap makes is nosuid: a setuid file does nothing inside
        args += ["--dev", "/dev", "--proc", "/proc"]
        args += ["--perms", "1777", "--size", str(64 * 2**20), "--tmpfs", "/tmp"]
        for top in ("bin", "lib", "lib64", "sbin"):
            target = Path("/" + top)
            if target.is_symlink():
                args += ["--symlink", os.readlink(target), str(target)]
            elif target.is_dir():
                args += ["--ro-bind", str(target), str(target)]
        binds = [Path(p) for p in _SYSTEM if Path(p).is_dir()] + _python_dirs() + _course_dirs()
        for path in _outermost(binds):
            args += ["--ro-bind", str(path), str(path)]
        bound = _outermost(binds)
        for secret in self.hidden + [d / "notebooks" for d in _course_dirs()]:
            if secret.is_dir() and any(b == secret or b in secret.parents for b in bound):
                args += ["--tmpfs", str(secret)]  # inside a bound folder: cover it
        covered, kept = course_covers(given or [])
        for folder in covered:
            args += ["--tmpfs", str(folder)]
        for path in kept:
            args += ["--ro-bind", str(path), str(path)]
        # the run folder read-only (its spec, connection file); the sockets' folder writable
        args += ["--ro-bind", str(run_dir), str(run_dir), "--bind", str(sockets), str(sockets)]
        # the scratch is a tmpfs of its own: a quota, charged to the kernel's memory, and
        # nothing of it on the grader's disk
        args += ["--perms", "1777", "--size", str(SCRATCH_MB * 2**20), "--tmpfs", str(scratch)]
        args += ["--perms", "1777", "--dir", str(scratch / "tmp"), "--chdir", str(scratch)]
        return args + ["--"] + kernel


def _outermost(paths: list[Path]) -> list[Path]:
    """``paths`` without those inside another one of them (binding the parent is enough)."""
    resolved = sorted({p.resolve() for p in paths})
    return [p for p in resolved if not any(q != p and q in p.parents for q in resolved)]


def _bwrap() -> str:
    """The bubblewrap the grader probed and runs (one path, found once on the grader's PATH)."""
    return shutil.which("bwrap") or "bwrap"


def _bwrap_works() -> str:
    """ "" when bubblewrap can start a sandbox here, else why not."""
    if shutil.which("bwrap") is None:
        return "bubblewrap (bwrap) is not installed (Debian/Ubuntu: apt-get install bubblewrap)"
    import subprocess

    probe = [_bwrap(), "--unshare-all", "--die-with-parent", "--ro-bind", "/", "/", "true"]
    try:  # as root, kernels start bubblewrap as a user of their own: probe it the same way
        done = subprocess.run(
            probe, capture_output=True, text=True, timeout=60, **(_AS_KERNEL if _root() else {})
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"bwrap could not start: {exc}"
    if done.returncode != 0:
        return f"bwrap cannot create namespaces here: {done.stderr.strip()[:200]}"
    return ""


AS_NOBODY = [
    "no namespaces: each kernel runs as an unprivileged user of its own, so it cannot change "
    "your files or the grades, but it can read world-readable files and reach the network",
]
NO_SANDBOX = [
    "learner code runs as you: it can read and change your files (other submissions, the "
    "grades being written, your shell and IPython settings) and reach the network",
    "processes a learner starts can outlive their notebook",
]


def _user_works() -> str:
    """ "" when a kernel's own user can run this Python and start a kernel, else why not."""
    import subprocess

    probe = [sys.executable, "-c", "import ipykernel, autograd_helpers"]
    try:
        done = subprocess.run(
            probe, capture_output=True, text=True, timeout=120, cwd="/", env={}, **_AS_KERNEL
        )
    except (OSError, subprocess.SubprocessError) as exc:
        return f"a kernel's own user cannot start Python: {exc}"
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1][:200]
        return (
            f"a kernel's own (unprivileged) user cannot run {sys.executable} ({last}): install "
            "Python and the course where every user may read them"
        )
    return ""


NO_SANDBOX_HINT = (
    "grading runs learner code in a sandbox; pass --sandbox none to grade without one "
    "(learner code then runs as you)"
)


def choose(kind: str, hidden: list[Path]) -> Sandbox:
    """The sandbox asked for; ``auto`` takes bubblewrap when it works, else (as root) a user of
    each kernel's own. When none can start, it says why: it never falls back to no sandbox
    unless asked (``none``)."""
    if kind not in SANDBOXES:
        raise SandboxUnavailable(f"--sandbox must be one of {', '.join(SANDBOXES)}")
    if kind == "none":
        return Sandbox("none", list(NO_SANDBOX), hidden)
    root = _root()
    if kind == "user":
        if not root:
            raise SandboxUnavailable("--sandbox user needs the grader to run as root")
        why = _user_works()
        if why:
            raise SandboxUnavailable(why)
        return Sandbox("user", list(AS_NOBODY), hidden)
    why = _bwrap_works() if sys.platform.startswith("linux") else "bubblewrap needs Linux"
    if not why:
        return Sandbox("bwrap", [], hidden)
    if kind == "bwrap":
        raise SandboxUnavailable(why)
    if root:  # e.g. a container that forbids namespaces: at least not as root
        user_why = _user_works()
        if not user_why:
            return Sandbox("user", [why] + AS_NOBODY, hidden)
        raise SandboxUnavailable(f"{why}; and {user_why}. {NO_SANDBOX_HINT}")
    raise SandboxUnavailable(f"{why}. {NO_SANDBOX_HINT}")


# --- limits over the whole tree ------------------------------------------------------------


def _own_cgroup(controller: str) -> Path | None:
    """This process's folder in the v1 hierarchy of ``controller``, if writable."""
    root = Path("/sys/fs/cgroup") / controller
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        _, names, path = line.split(":", 2)
        if controller in names.split(","):
            for base in (root / path.lstrip("/"), root):
                if base.is_dir() and os.access(base, os.W_OK):
                    return base
    return None


def _unified() -> Path | None:
    """This process's cgroup v2 folder, when it offers memory and pids to children."""
    root = Path("/sys/fs/cgroup")
    try:
        path = next(
            ln.split("::", 1)[1]
            for ln in Path("/proc/self/cgroup").read_text().splitlines()
            if ln.startswith("0::")
        )
    except (OSError, StopIteration):
        return None
    here = root / path.lstrip("/")
    try:
        controllers = (here / "cgroup.subtree_control").read_text().split()
    except OSError:
        return None
    if {"memory", "pids"} <= set(controllers) and os.access(here, os.W_OK):
        return here
    return None


class TreeLimits:
    """Memory, process and CPU-time limits over one kernel's whole tree; ``close()`` kills
    what is left.

    Memory and processes: control groups (v2, else v1 memory + pids) when this process may
    create them, else the watchdog sums the tree. CPU time: the control group's own count
    when there is one (v2 cpu.stat, v1 cpuacct), else the tree's summed usage (its live
    processes, and the children they reaped); the watchdog checks it every 100 ms against
    the running cell's and the notebook's budgets and kills the tree past either.
    """

    def __init__(self, limits: Limits, notebook_cpu: float | None = None):
        self.limits = limits
        self.memory = limits.memory_mb * 2**20
        self.groups: list[Path] = []
        self.procs_files: list[str] = []
        self.cpu_file: Path | None = None  # the control group's CPU count, when there is one
        self.exceeded = ""
        self.cpu_exceeded = False
        self.notebook_cpu = notebook_cpu
        self._cell: tuple[float, float] | None = None  # (CPU at the cell's start, its budget)
        self._root_pid: int | None = None
        self._stop = threading.Event()
        name = f"autograd-grade-{uuid.uuid4().hex[:12]}"
        try:
            self._make_groups(name)
        except OSError:
            self._remove_groups()
        self.kind = "cgroup" if self.groups else "watchdog"

    def _make_groups(self, name: str) -> None:
        unified = _unified()
        if unified is not None:
            group = unified / name
            group.mkdir()
            self.groups.append(group)
            (group / "memory.max").write_text(str(self.memory))
            (group / "memory.swap.max").write_text("0")
            (group / "pids.max").write_text(str(self.limits.processes))
            self.procs_files.append(str(group / "cgroup.procs"))
            if (group / "cpu.stat").exists():
                self.cpu_file = group / "cpu.stat"
            return
        memory, pids = _own_cgroup("memory"), _own_cgroup("pids")
        if memory is None or pids is None:
            return
        for base in (memory, pids):
            group = base / name
            group.mkdir()
            self.groups.append(group)
            self.procs_files.append(str(group / "cgroup.procs"))
        mem = self.groups[0]
        (mem / "memory.limit_in_bytes").write_text(str(self.memory))
        swap = mem / "memory.memsw.limit_in_bytes"
        if swap.exists():
            try:
                swap.write_text(str(self.memory))
            except OSError:
                pass
        (self.groups[1] / "pids.max").write_text(str(self.limits.processes))
        cpuacct = _own_cgroup("cpuacct")
        if cpuacct is not None:
            try:
                (cpuacct / name).mkdir()
            except OSError:
                return
            self.groups.append(cpuacct / name)
            self.procs_files.append(str(cpuacct / name / "cgroup.procs"))
            self.cpu_file = cpuacct / name / "cpuacct.usage"

    def watch(self, root_pid: int) -> None:
        """Start the watchdog on the tree under ``root_pid``."""
        self._root_pid = root_pid
        threading.Thread(target=self._watch, daemon=True).start()

    def start_cell(self, cpu_budget: float) -> None:
        """A cell starts: it may use ``cpu_budget`` CPU seconds from now."""
        self._cell = (self.cpu_seconds(), cpu_budget)

    def end_cell(self) -> None:
        self._cell = None

    def members(self) -> list[int]:
        """The tree's processes: the control group's members, else the tree under the root."""
        if self.procs_files:
            try:
                return [int(p) for p in Path(self.procs_files[0]).read_text().split()]
            except (OSError, ValueError):
                pass
        return _tree(self._root_pid)

    def cpu_seconds(self) -> float:
        """CPU time (user + system) the kernel's tree has used so far."""
        if self.cpu_file is not None:
            try:
                text = self.cpu_file.read_text()
                if self.cpu_file.name == "cpu.stat":
                    usec = next(ln.split()[1] for ln in text.splitlines() if ln.startswith("usage"))
                    return int(usec) / 1e6
                return int(text) / 1e9
            except (OSError, ValueError, StopIteration, IndexError):
                pass
        return sum(_cpu_seconds(p) for p in self.members())

    def _over_cpu(self) -> str:
        used = self.cpu_seconds()
        if self.notebook_cpu is not None and used > self.notebook_cpu:
            return f"the notebook used more than its {self.notebook_cpu:g} s of CPU time"
        cell = self._cell
        if cell is not None and used - cell[0] > cell[1]:
            return f"used more than {cell[1]:g} s of CPU time"
        return ""

    def _watch(self) -> None:
        while not self._stop.wait(0.1):
            if self.kind == "watchdog":
                tree = _tree(self._root_pid)
                rss = sum(_rss(p) for p in tree)
                if rss > self.memory:
                    self.exceeded = f"used more than {self.limits.memory_mb} MB of memory"
                elif len(tree) > self.limits.processes:
                    self.exceeded = f"started more than {self.limits.processes} processes"
            if not self.exceeded:
                self.exceeded = self._over_cpu()
                self.cpu_exceeded = bool(self.exceeded)
            if self.exceeded:
                for pid in self.members() + _tree(self._root_pid):
                    _kill(pid)
                return

    def hit(self) -> str:
        """Why the tree was stopped by a limit, or ""."""
        if self.exceeded:
            return self.exceeded
        for group in self.groups:
            for name, why in (
                ("memory.events", f"used more than {self.limits.memory_mb} MB of memory"),
                ("memory.failcnt", f"used more than {self.limits.memory_mb} MB of memory"),
                ("pids.events", f"started more than {self.limits.processes} processes"),
            ):
                try:
                    text = (group / name).read_text()
                except OSError:
                    continue
                counts = [int(w) for w in text.split() if w.isdigit()]
                if name == "memory.events":
                    counts = [int(ln.split()[1]) for ln in text.splitlines() if "oom" in ln]
                if any(counts):
                    return why
        return ""

    def close(self) -> None:
        """Kill every process left in the tree and remove the control groups."""
        self._stop.set()
        if self._root_pid is not None:
            for pid in _tree(self._root_pid):
                _kill(pid)
        self._remove_groups()

    def _remove_groups(self) -> None:
        for group in self.groups:
            for _ in range(50):
                try:
                    pids = [int(p) for p in (group / "cgroup.procs").read_text().split()]
                except OSError:
                    pids = []
                for pid in pids:
                    _kill(pid)
                try:
                    group.rmdir()
                    break
                except OSError:
                    time.sleep(0.02)
        self.groups = []


def _tree(root: int | None) -> list[int]:
    """``root`` and every process below it."""
    if root is None:
        return []
    try:
        top = psutil.Process(root)
        return [root] + [p.pid for p in top.children(recursive=True)]
    except psutil.Error:  # the root has ended (or ended meanwhile)
        return []


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of ``pid`` and of the children it has reaped."""
    try:
        t = psutil.Process(pid).cpu_times()
    except psutil.Error:
        return 0.0
    return t.user + t.system + t.children_user + t.children_system


def _rss(pid: int) -> int:
    """Resident memory of ``pid`` in bytes."""
    try:
        return psutil.Process(pid).memory_info().rss
    except psutil.Error:
        return 0


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


# --- the kernel's environment ------------------------------------------------------------


def kernel_env(scratch: Path) -> dict[str, str]:
    """The whole environment a graded kernel gets: nothing of the grader's."""
    venv_bin = str(Path(sys.executable).parent)
    return {
        "PATH": f"{venv_bin}:/usr/local/bin:/usr/bin:/bin",
        "HOME": str(scratch),
        "TMPDIR": str(scratch / "tmp"),
        "IPYTHONDIR": str(scratch / ".ipython"),
        "MPLCONFIGDIR": str(scratch / ".matplotlib"),
        "XDG_CACHE_HOME": str(scratch / ".cache"),
        "JUPYTER_RUNTIME_DIR": str(scratch / ".jupyter-runtime"),
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONHASHSEED": "0",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    }


def confine_spec(
    path: Path,
    limits: Limits,
    tree: TreeLimits,
    env: dict[str, str],
    uid: int | None = None,
    connection_file: Path | None = None,
    aliases: Path | None = None,
    cover: tuple[list[Path], list[Path]] | None = None,
) -> Path:
    """Write what ``confine`` needs to start the kernel; returns its path.

    ``cover``: folders to hide and files to keep (``course_covers``), when no bubblewrap
    does it.
    """
    spec = {
        "cover": [str(p) for p in cover[0]] if cover else [],
        "expose": [str(p) for p in cover[1]] if cover else [],
        "uid": uid,
        "connection_file": str(connection_file) if connection_file else None,
        "aliases": str(aliases) if aliases else None,  # see confine._reachable_binds
        "cgroup_procs": tree.procs_files,
        # per process, a backstop: one huge allocation fails at once with MemoryError, while
        # the tree's limit (control group or watchdog) counts what is really used
        "memory_bytes": (limits.memory_mb * 2 + 1024) * 2**20,
        "file_bytes": limits.file_mb * 2**20,
        "env": env,
    }
    path.write_text(json.dumps(spec), encoding="utf-8")
    return path
