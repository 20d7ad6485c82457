"""Run one rebuilt notebook: kernel in the sandbox, executor (nbclient) outside it.

What comes back is read from the kernel's messages as they arrive, never from a file the
kernel could write: per code cell, the reply status, the error's name and message and the
text it printed. Cells run in order with a per-cell timeout and a deadline for the whole
notebook; a dead or stuck kernel ends the run and the rest of the cells are "not run".
"""

from __future__ import annotations

import asyncio
import atexit
import copy
import json
import logging
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from autograd_helpers.instructor.grading import confine
from autograd_helpers.instructor.grading.sandbox import (
    Limits,
    Sandbox,
    TreeLimits,
    confine_spec,
    course_covers,
    kernel_env,
)
from autograd_helpers.probes import MIME

_QUIET = logging.getLogger("autograd_course.grading.kernel")
_QUIET.setLevel(logging.CRITICAL)  # timeouts and dead kernels are reported as rows
MAX_TEXT = 20_000  # characters of output kept per cell (its end: where a check's line is)
MAX_ANSWER = 2_000_000  # characters of one probe answer; a longer one is not read
MAX_ANSWERS = 4  # answers kept per cell (a check cell shows one)
MAX_MESSAGE_BYTES = 64 * 2**20  # a larger kernel message is refused by the socket itself
MAX_CELL_OUTPUT = 8 * 2**20  # output kept per cell; what comes after is dropped as it arrives
ACTIVE: set[TreeLimits] = set()  # kernels running now, for stop_all()


def stop_all() -> None:
    """Kill every kernel that is running (Ctrl-C)."""
    for tree in list(ACTIVE):
        tree.close()


@dataclass
class CellResult:
    status: str  # "ok", "error", "timeout", "not run"
    ename: str = ""
    evalue: str = ""
    stdout: str = ""
    answers: list[str] = field(default_factory=list)  # probes' answers (see probes.answer)


@dataclass
class RunResult:
    cells: dict[str, CellResult] = field(default_factory=dict)  # by cell id
    stopped: str = ""  # why the run ended early ("" when every cell ran)
    stopped_cell: str = ""  # the id of the cell it ended in, if one (see score.where)
    seconds: float = 0.0


def _text(outputs: list) -> str:
    """What a cell printed (and displayed as text), its last ``MAX_TEXT`` characters."""
    parts = []
    for out in outputs:
        if out.get("output_type") == "stream" and out.get("name") == "stdout":
            parts.append(out.get("text", ""))
        elif out.get("output_type") in ("execute_result", "display_data"):
            parts.append(str(out.get("data", {}).get("text/plain", "")))
    text = "".join(parts)
    return text if len(text) <= MAX_TEXT else "…" + text[-MAX_TEXT:]


def _answers(outputs: list) -> list[str]:
    """The probe answers a cell displayed (``probes.MIME``), the last ``MAX_ANSWERS`` of them."""
    found = [
        out["data"][MIME]
        for out in outputs
        if out.get("output_type") == "display_data"
        and isinstance(out.get("data"), dict)
        and isinstance(out["data"].get(MIME), str)
        and len(out["data"][MIME]) <= MAX_ANSWER
    ]
    return found[-MAX_ANSWERS:]


def _size(content: object) -> int:
    """About how many bytes a message's content holds (its strings)."""
    if isinstance(content, str):
        return len(content)
    if isinstance(content, dict):
        return sum(_size(v) for v in content.values())
    if isinstance(content, list):
        return sum(_size(v) for v in content)
    return 8


def _capped_classes():
    """A kernel client whose sockets refuse messages over ``MAX_MESSAGE_BYTES`` (ZeroMQ drops
    them before they are read into memory), and an executor that keeps at most
    ``MAX_CELL_OUTPUT`` bytes of output per cell, dropping the rest as it arrives."""
    import zmq
    import zmq.asyncio
    from jupyter_client.asynchronous import AsyncKernelClient
    from nbclient import NotebookClient
    from traitlets import default

    class CappedKernelClient(AsyncKernelClient):
        @default("context")
        def _context_default(self):
            self._created_context = True
            context = zmq.asyncio.Context()
            context.setsockopt(zmq.MAXMSGSIZE, MAX_MESSAGE_BYTES)
            return context

    class CappedNotebookClient(NotebookClient):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.output_bytes: dict[int, int] = {}  # per cell index, its outputs so far

        def process_message(self, msg, cell, cell_index):
            if msg.get("msg_type") in ("stream", "display_data", "execute_result", "error"):
                sizes = self.output_bytes
                sizes[cell_index] = sizes.get(cell_index, 0) + _size(msg.get("content"))
                if sizes[cell_index] > MAX_CELL_OUTPUT:
                    return None  # dropped as it arrives
            return super().process_message(msg, cell, cell_index)

    return CappedKernelClient, CappedNotebookClient


@dataclass
class RunDirs:
    """The folders of one run. Their paths are kept here, never read back from the disk:
    everything the kernel can write is hostile (a link put in place of a folder must not
    point the grader elsewhere)."""

    root: Path  # shared with the sandbox: the kernel's spec, its connection file, scratch
    scratch: Path  # the kernel's HOME, TMPDIR and working folder
    sockets: Path  # the kernel's ipc sockets (its only writable place on the machine's disks)
    binds: Path  # root's: where confine binds what the kernel's user cannot reach
    bounded: bool = False  # ``sockets`` is a small tmpfs of its own (the grader is root)


def make_run_dir(work: Path) -> RunDirs:
    """Fresh folders for one run: see :class:`RunDirs`."""
    root = work / f"run-{secrets.token_hex(6)}"
    scratch = root / "scratch"
    (scratch / "tmp").mkdir(parents=True)
    # a socket's path may not exceed 107 bytes, and OUT can be deep: a short folder of its own
    short = Path("/tmp") if Path("/tmp").is_dir() else None
    sockets = Path(tempfile.mkdtemp(prefix="ag-", dir=short))
    binds = Path(tempfile.mkdtemp(prefix="ag-b-", dir=short))
    binds.chmod(0o755)
    return RunDirs(root, scratch, sockets, binds, _small_tmpfs(sockets))


SOCKETS_MB = 4  # the sockets folder's quota, when the grader may mount one


def _small_tmpfs(path: Path) -> bool:
    """Mount a small tmpfs (nosuid, nodev, noexec) on ``path`` when the grader is root, so
    that the one folder the kernel writes on the machine has a quota and runs nothing."""
    if not (hasattr(os, "geteuid") and os.geteuid() == 0 and sys.platform.startswith("linux")):
        return False
    flags = confine.MS_NOSUID | confine.MS_NODEV | confine.MS_NOEXEC
    try:
        confine.mount("tmpfs", str(path), flags, "tmpfs", f"size={SOCKETS_MB}m,mode=0700")
    except OSError:  # e.g. a container without the right to mount: a plain folder then
        return False
    return True


def execute(
    nb: dict,
    released_code_cells: int,
    sandbox: Sandbox,
    limits: Limits,
    dirs: RunDirs,
    given: list[str] | None = None,
) -> tuple[RunResult, str]:
    """Run ``nb`` in ``dirs``; (per-cell results, why a limit stopped it or "").

    ``given``: the reference modules the notebook imports itself, which its kernel may
    import too (see ``sandbox.course_covers``).

    The run's folders are removed afterwards, whatever the kernel left in them.
    """
    tree = TreeLimits(limits, notebook_cpu=limits.notebook_timeout(released_code_cells))
    ACTIVE.add(tree)
    try:
        result = asyncio.run(
            _execute(nb, released_code_cells, sandbox, limits, dirs, tree, given or [])
        )
        return result, tree.hit()
    finally:
        ACTIVE.discard(tree)
        tree.close()
        if dirs.bounded:
            confine.unmount(str(dirs.sockets))
        remove(dirs.sockets)
        remove(dirs.binds)
        remove(dirs.root)


def remove(path: Path) -> None:
    """Remove a folder the kernel wrote into, whatever it left (deep trees, odd modes, links).

    Never through a link: ``path`` itself must not be one (it is a path the grader made),
    and inside it shutil removes links, never what they point to (it works on file
    descriptors opened without following links, where the platform allows: Linux does).
    """
    if os.path.islink(path):
        os.unlink(path)
        return
    try:
        shutil.rmtree(path, ignore_errors=True)
    except RecursionError:
        pass
    if os.path.lexists(path):  # `rm -rf` never follows links either
        subprocess.run(["rm", "-rf", "--", str(path)], check=False, capture_output=True)


async def _execute(
    nb: dict,
    released_code_cells: int,
    sandbox: Sandbox,
    limits: Limits,
    dirs: RunDirs,
    tree: TreeLimits,
    given: list[str],
) -> RunResult:
    import nbformat
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    kernel_client, NotebookClient = _capped_classes()

    run_dir, scratch = dirs.root, dirs.scratch
    spec_dir = run_dir / "kernels" / "graded"
    spec_dir.mkdir(parents=True)
    uid = sandbox.kernel_uid()  # a user of its own for this kernel, when the grader is root
    connection = run_dir / "k.json"
    cover = course_covers(given) if sandbox.kind == "user" else None  # bwrap covers them
    spec = confine_spec(
        run_dir / "confine.json",
        limits,
        tree,
        kernel_env(scratch),
        uid,
        connection,
        dirs.binds,
        cover,
    )
    if uid is not None:  # the kernel's own user must write its scratch and sockets
        for path in [run_dir, *run_dir.rglob("*"), dirs.sockets, *dirs.sockets.iterdir()]:
            if path.name != "confine.json":
                os.chown(path, uid, uid, follow_symlinks=False)
        for path in (run_dir, dirs.sockets):
            path.chmod(0o700)
    kernel = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    argv = [sys.executable, "-m", "autograd_helpers.instructor.grading.confine", str(spec), "--"]
    argv += sandbox.wrap(kernel, run_dir, scratch, dirs.sockets, uid, given)
    (spec_dir / "kernel.json").write_text(
        json.dumps(
            {
                "argv": argv,
                "display_name": "graded",
                "language": "python",
                "interrupt_mode": "message",
            }
        ),
        encoding="utf-8",
    )
    km = AsyncKernelManager(
        kernel_name="graded",
        kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(spec_dir.parent)]),
        transport="ipc",
        ip=str(dirs.sockets / "k"),
        connection_file=str(connection),
        client_factory=kernel_client,
    )
    node = nbformat.from_dict(copy.deepcopy(nb))
    replies: dict[int, dict] = {}

    def on_executed(cell, cell_index, execute_reply):
        replies[cell_index] = execute_reply.get("content", {})

    client = NotebookClient(
        node,
        km=km,
        timeout=limits.wall(limits.cell_timeout),
        startup_timeout=limits.wall(limits.startup),
        allow_errors=True,
        kernel_name="graded",
        record_timing=False,
        store_widget_state=False,
        on_cell_executed=on_executed,
        resources={"metadata": {"path": str(scratch)}},
        log=_QUIET,
    )
    result = RunResult()
    total = limits.notebook_timeout(released_code_cells)  # CPU seconds (see TreeLimits)
    deadline = time.monotonic() + limits.wall(total)  # the backstop for waiting code
    past_backstop = (
        f"the notebook ran past its time limit: {limits.wall(total)} s of wall time "
        "(its cells waited, slept or blocked)"
    )
    start = time.monotonic()
    cells = node.cells
    try:
        quiet = {
            "stdout": subprocess.DEVNULL,
            "stderr": subprocess.DEVNULL,
            "stdin": subprocess.DEVNULL,
        }
        async with client.async_setup_kernel(cwd=str(scratch), cleanup_kc=False, **quiet):
            # LocalProvisioner's pid (typed as the base class's; pinned: test_pinned_apis)
            tree.watch(km.provisioner.pid)  # type: ignore[union-attr]
            for index, cell in enumerate(cells):
                if cell.cell_type != "code":
                    continue
                cid = cell.get("id", f"cell-{index}")
                if result.stopped:
                    result.cells[cid] = CellResult("not run")
                    continue
                left = deadline - time.monotonic()
                if left <= 1:
                    result.stopped = past_backstop
                    result.cells[cid] = CellResult("not run")
                    continue
                client.timeout = int(min(limits.wall(limits.cell_timeout), left))
                private = "grading-private" in cell.metadata.get("tags", [])
                tree.start_cell(limits.cell_timeout)
                try:
                    await client.async_execute_cell(cell, index, store_history=not private)
                except (CellTimeoutError, DeadKernelError) as exc:
                    result.stopped_cell = cid
                    if tree.cpu_exceeded:  # the watchdog stopped it: CPU time, not waiting
                        result.cells[cid] = CellResult(
                            "timeout", evalue=tree.exceeded, stdout=_text(cell.outputs)
                        )
                        result.stopped = tree.exceeded
                    elif isinstance(exc, CellTimeoutError):
                        waited = (
                            f"it was still running after {client.timeout} s of wall time "
                            "(waiting, sleeping or blocked)"
                        )
                        result.cells[cid] = CellResult(
                            "timeout", evalue=waited, stdout=_text(cell.outputs)
                        )
                        result.stopped = "never finished"
                        if left < limits.wall(limits.cell_timeout):
                            result.stopped = past_backstop
                    else:
                        result.cells[cid] = CellResult(
                            "error", "DeadKernelError", "the kernel died"
                        )
                        result.stopped = "the kernel died"
                    continue
                finally:
                    tree.end_cell()
                reply = replies.pop(index, {})
                status = "ok" if reply.get("status") == "ok" else "error"
                result.cells[cid] = CellResult(
                    status,
                    str(reply.get("ename", ""))[:200],
                    str(reply.get("evalue", ""))[:MAX_TEXT],
                    _text(cell.outputs),
                    _answers(cell.outputs),
                )
    except Exception as exc:  # the kernel never started, or died while starting
        if not result.stopped:
            result.stopped = f"the kernel could not run: {type(exc).__name__}: {exc}"[:500]
    finally:
        forget_exit_cleanup(client)
        await _shutdown(km)
    result.seconds = time.monotonic() - start
    return result


def forget_exit_cleanup(client) -> None:
    """Undo nbclient's ``atexit.register(client._cleanup_kernel)``: its setup registers it
    and unregisters it on the way out, except when the kernel failed to start; then a
    grader of hundreds of notebooks would keep every client alive until it exits. The one
    private name the grader uses (nbclient is pinned below 0.12; tests/test_pinned_apis.py
    fails when an upgrade renames it)."""
    atexit.unregister(client._cleanup_kernel)


async def _shutdown(km) -> None:
    try:
        if km.has_kernel:
            await km.shutdown_kernel(now=True)
    except Exception:  # already dead: what is left is killed with its tree
        pass
    try:
        await km.cleanup_resources()
    except Exception:
        pass
