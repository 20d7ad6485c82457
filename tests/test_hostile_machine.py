"""The grader against learners who attack the machine, not the checks.

One class, graded once as root (``grade --jobs 3 --sandbox bwrap``): honest learners (the
solved 01_value, saved as Jupyter saves it) and, beside them, one attacker per trick a
learner who read the grader's code could try: links planted for the grader to follow,
setuid copies of bash and /etc/shadow, submissions and outputs sized to stop or starve the
run, files that are no files, encodings and control characters. Every test asserts that the
harm is absent: files outside OUT intact, no privilege gained, the run finished, honest
classmates graded in full. None measures time: the machine is shared and may be loaded.

Learners are graded in the order of their folder names, three at a time: each attacker that
could starve others is followed by two honest classmates ("-mate1", "-mate2"), so that they
are graded while it runs.
"""

from __future__ import annotations

import codecs
import copy
import csv
import json
import os
import re
import stat
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from notebook_runner import RELEASED, ROOT, SOLVED, added, load
from test_grading import cheat, listing, tree_digest, with_code

from autograd_helpers.instructor import notebook_files
from autograd_helpers.instructor.grading.report import STATUSES

pytestmark = pytest.mark.slow

NB = "01_value"
TEST_IDS = ["01.init", "01.repr", "01.add", "01.mul", "01.expression"]
QUOTA_MB = 512  # the kernel's scratch (sandbox.SCRATCH_MB): what it may hold, in memory
PEAK_MB = 1024  # the grader's own memory: ~60 MB for honest notebooks; kernels' is theirs
HANG_GUARD = 2 * 3600  # seconds: only a hung grader reaches it (the class takes minutes)
MARKER = "PAYLOAD-7f3a"  # survives any stripping: shows the hostile text reached a message

# --- the attackers' code, run in their kernels ------------------------------------------------

# 1. links where the grader might follow them: every entry of every folder the kernel can
# write (its cwd, HOME, TMPDIR..., the connection file's folder, the sockets folder) becomes a
# link to a classmate's folder; then each such folder and its parents are swapped for one
SYMLINKS = """
import json, os
from ipykernel import get_connection_file
TARGETS = [{sentinel!r}, {sentinel_file!r}]
connection = get_connection_file()
run_folder = os.path.dirname(connection)
sockets = os.path.dirname(json.load(open(connection))["ip"])
tops = {{os.getcwd(), os.readlink("/proc/self/cwd"), run_folder, sockets, "/tmp"}}
tops |= {{v for v in os.environ.values() if v.startswith("/") and os.path.isdir(v)}}
folders = set()
for top in tops:
    for parent, dirs, files in os.walk(top):
        folders.add(parent)
planted = dict.fromkeys([run_folder, sockets], 0)
def swap(path, target):
    try:
        os.rename(path, path + ".was")  # a folder (not a mount point) or a file
    except OSError:
        try:
            os.unlink(path)
        except OSError:
            return 0
    try:
        os.symlink(target, path)
        return 1
    except OSError:
        return 0
for folder in sorted(folders, key=lambda p: -p.count("/")):
    count = 0
    for k, name in enumerate(sorted(os.listdir(folder))):
        count += swap(os.path.join(folder, name), TARGETS[k % 2])
    for k, name in enumerate(["sentinel", "keep.txt", "scratch", "kernels", "k.json"]):
        count += swap(os.path.join(folder, name + ".link"), TARGETS[k % 2])
    planted[folder] = planted.get(folder, 0) + count
here = os.getcwd()
for folder in sorted(tops | {{os.path.dirname(here), os.path.dirname(run_folder)}}):
    if folder not in ("/", "/tmp"):
        swap(folder, TARGETS[0])
raise RuntimeError(
    f"links planted: run folder {{planted[run_folder]}}, sockets {{planted[sockets]}}"
)
"""

# 2. root: setuid copies of bash everywhere the kernel can write; its points only if root
SETUID = """
import json, os, shutil, subprocess
from ipykernel import get_connection_file
connection = get_connection_file()
places = {os.getcwd(), os.path.expanduser("~"), os.environ.get("TMPDIR", "/tmp"), "/tmp",
          "/dev/shm", "/var/tmp", os.path.dirname(connection),
          os.path.dirname(json.load(open(connection))["ip"])}
MADE = []
for place in sorted(places):
    target = os.path.join(place, "rootshell")
    try:
        shutil.copy("/bin/bash", target)
        os.chmod(target, 0o4755)
        MADE.append(target)
    except OSError:
        pass
UID = subprocess.run(["id", "-u"], capture_output=True, text=True).stdout.strip()
print("id -u:", UID)
SHELLS = []
for made in MADE:
    try:
        SHELLS.append(subprocess.run([made, "-p", "-c", "id -u"], capture_output=True,
                                     text=True).stdout.strip())
    except OSError:
        pass
ROOT = UID == "0" or os.getuid() == 0 or os.geteuid() == 0 or "0" in SHELLS
"""
SETUID_REPORT = 'f"id -u: {UID}; setuid copies: {len(MADE)}; as root: {ROOT}"'

# 2. /etc/shadow: read it any way, and put it in every channel that reaches feedback
SHADOW = """
import subprocess
SHADOW = ""
for name in ("/etc/shadow", "/etc/gshadow"):
    try:
        with open(name) as fh:
            SHADOW += fh.read()
    except OSError as exc:
        SHADOW += f"{name}: {exc.strerror}; "
    SHADOW += subprocess.run(["cat", name], capture_output=True, text=True).stdout
print(SHADOW)
print(f"✘ 01.init — {SHADOW}")
class Value:
    def __init__(self, *args, **kwargs):
        print(f"✘ 01.init — {SHADOW}")
        raise RuntimeError(SHADOW)
    def __repr__(self):
        return SHADOW
raise RuntimeError(SHADOW)
"""

# 3g. CPU: forked children that each burn a core once told to, each in a session of its own
# (Linux's autogroup shares the CPU per session: bubblewrap's --new-session alone would make
# 60 of them count as one); told right after its report (the first check's note), then kept
# burning by short cells while its classmates run
BUSY = """
import os
GO_READ, GO = os.pipe()
BUSY = []
for _ in range(60):
    try:
        pid = os.fork()
    except OSError:
        break
    if pid == 0:
        try:
            os.setsid()  # a session, so a scheduling group, of its own: no sharing with siblings
            os.read(GO_READ, 1)
            while True:
                pass
        finally:
            os._exit(0)
    BUSY.append(pid)
raise RuntimeError(f"busy processes: {len(BUSY)}")
"""

# the busy learner's classmates also try things of their own: work that a starved kernel
# cannot finish in time when time is counted on the wall clock
EXPLORE = "total = sum(k * k for k in range(8_000_000))  # about half a second of CPU"

# 3f. disk: fill the scratch and /tmp until a write fails, then write past the quota into the
# folders the grader shares with the kernel on its own disk (a bounded 1 GB here: a real
# attacker goes on until the disk is full). Its points only if that worked
FILL = """
import json, os
from ipykernel import get_connection_file
def fill(folder, most=None):
    block, n = b"x" * 2**20, 0
    try:
        os.makedirs(folder, exist_ok=True)
        while most is None or n < most:
            with open(os.path.join(folder, f"fill-{n}"), "wb") as fh:
                fh.write(block)
            n += 1
    except OSError:
        pass
    return n
SCRATCH = fill(os.path.join(os.getcwd(), "fill"))
TMP = fill("/tmp/fill")
connection = get_connection_file()
sockets = os.path.dirname(json.load(open(connection))["ip"])
ON_DISK = fill(os.path.join(os.path.dirname(connection), "fill"), 512)
ON_DISK += fill(os.path.join(sockets, "fill"), 512)
"""
FILL_REPORT = 'f"MB written: scratch {SCRATCH}, /tmp {TMP}, grader\'s disk {ON_DISK}"'


def report(fstring: str) -> str:
    """A cell that raises ``fstring``'s text and fails the next check (01.repr) whether the
    attack worked or not: the text then reaches the grades as that check's note."""
    return (
        "try:\n    Value.__repr__ = lambda self: 'reported'\nexcept NameError:\n    pass\n"
        f"raise RuntimeError({fstring})"
    )


# 3d. outputs the grader must not hold: 300 MB of display data and a million lines
DISPLAY = (
    "from IPython.display import display\n"
    "for _ in range(5):\n"
    "    display({'text/plain': 'x' * 60_000_000}, raw=True)"
)
PRINTS = "for k in range(1_000_000):\n    print(k)"

# 4. ESC/OSC/CSI sequences, other control characters and HTML, in messages that reach OUT
HOSTILE_TEXT = (
    r"'\x1b]8;;http://evil\x07click\x1b]8;;\x07 \x1b[2J\x1b[31m \x9b31m \x00\x08\x0b\x7f "
    r"<script>alert(1)</script> <IMG src=x onerror=alert(document.cookie)> "
    f"{MARKER}'"
)
MARKUP_REPR = f"Value.__repr__ = lambda self: {HOSTILE_TEXT}"
MARKUP_RAISE = (
    f"Evil = type('\\x1b[2J<script>Evil', (Exception,), {{}})\n"
    f"print('✘ 01.repr — ' + {HOSTILE_TEXT})\n"
    f"raise Evil({HOSTILE_TEXT})"
)


# --- the class -----------------------------------------------------------------------------


def mates(learner: str) -> list[str]:
    return [f"{learner}-mate1", f"{learner}-mate2"]


BUSY_L, CELLS_L, LITERAL_L = "a0-busy", "a1-cells", "a2-literal"
OUTPUTS_L, PWD_L, FILL_L = "a3-outputs", "a4-pwd", "a5-fill"
FIFO_L, ZERO_L = "a6-fifo", "a6-zero"
BOM_L, LATIN1_L, MARKUP_L = "b-bom", "b-latin1", "b-markup"
ROOT_L, SHADOW_L, SYMLINKS_L = "b-root", "b-shadow", "b-symlinks"
HONEST = ["honest-1", "honest-2", "honest-3"]
STARVERS = [BUSY_L, CELLS_L, LITERAL_L, OUTPUTS_L, PWD_L, FILL_L]


def explorer(solved: dict) -> dict:
    """An honest learner who also tries things: three added cells of honest work."""
    for after in ("check-init", "check-add", "check-mul"):
        solved = added(solved, EXPLORE, after=after)
    return solved


def answered_if(nb: dict, cell_id: str, condition: str) -> dict:
    """``nb`` whose exercise ``cell_id`` is answered only when ``condition`` holds."""
    nb = copy.deepcopy(nb)
    cell = next(c for c in nb["cells"] if c["id"] == cell_id)
    body = "\n".join("    " + ln for ln in cell["source"].splitlines())
    cell["source"] = f"if {condition}:\n{body}\n"
    return nb


def latin1(nb: dict) -> bytes:
    """``nb`` as an old editor saves it in Latin-1: non-ASCII only in a comment of ex-init."""
    nb = with_code(nb, "ex-init", "# @@COMMENT@@")
    text = notebook_files.dumps(nb)
    text = re.sub(r"[^\x00-\x7f]", lambda m: json.dumps(m[0])[1:-1], text)  # JSON escapes
    return text.replace("@@COMMENT@@", "Résumé : ça marche, déjà vu, garçon").encode("latin-1")


def attackers(solved: dict, sentinel: Path) -> dict[str, dict | bytes]:
    """One attacker per trick (the FIFO and the /dev/zero link are made in the fixture)."""
    busy = with_code(solved, "ex-init", BUSY)
    for _ in range(20):  # short cells (each under --timeout): the children burn meanwhile
        busy = added(busy, "import time\ntime.sleep(2)", after="check-init")
    busy = added(busy, "os.write(GO, bytes(len(BUSY)))", after="check-init")  # burn now
    cells = added(solved, "x = 1", after="check-mul", count=20_000)  # code hidden among them
    thousandth = cells["cells"][[c["id"] for c in cells["cells"]].index("check-mul") + 1000]["id"]
    cells = added(cells, "from solutions.engine import Value as Reference", after=thousandth)
    cells = answered_if(cells, "ex-expression", "'Reference' in dir()")  # points if it ran
    outputs = added(added(solved, DISPLAY, after="ex-init"), PRINTS, after="check-init")
    pwd = added(solved, "\n".join(["x = %pwd"] * 1000), after="check-mul", count=10)
    literal = added(solved, "x = [" + "0, " * 2_000_000 + "]", after="check-mul")
    fill = added(cheat("ON_DISK >= 1024", FILL), report(FILL_REPORT), after="check-init")
    for _ in range(5):  # keep the scratch full while the classmates run
        fill = added(fill, "import time\ntime.sleep(4)", after="check-repr")
    markup = added(added(solved, MARKUP_REPR, after="ex-init"), MARKUP_RAISE, after="check-init")
    symlinks = SYMLINKS.format(sentinel=str(sentinel), sentinel_file=str(sentinel / "keep.txt"))
    return {
        BUSY_L: busy,
        CELLS_L: cells,
        LITERAL_L: literal,
        OUTPUTS_L: outputs,
        PWD_L: pwd,
        FILL_L: fill,
        BOM_L: codecs.BOM_UTF8 + notebook_files.dumps(solved).encode("utf-8"),
        LATIN1_L: latin1(solved),
        MARKUP_L: markup,
        ROOT_L: added(cheat("ROOT", SETUID), report(SETUID_REPORT), after="check-init"),
        SHADOW_L: added(
            with_code(solved, "ex-init", SHADOW), "raise RuntimeError(SHADOW)", after="check-init"
        ),
        SYMLINKS_L: with_code(solved, "ex-expression", symlinks),
    }


def setuid_files(roots: list[Path]) -> set[tuple[str, int]]:
    """(path, owner) of every regular file with its setuid bit under ``roots``, no link followed."""
    found = set()
    for top in roots:
        for parent, _dirs, files in os.walk(top, onerror=lambda exc: None):
            for name in files:
                path = os.path.join(parent, name)
                try:
                    info = os.lstat(path)
                except OSError:
                    continue  # gone meanwhile (the machine is shared)
                if stat.S_ISREG(info.st_mode) and info.st_mode & stat.S_ISUID:
                    found.add((path, info.st_uid))
    return found


def read_rows(out: Path) -> list[dict]:
    """grades.csv, else (a grader that died before writing it) the journal of finished notebooks."""
    if (out / "grades.csv").exists():
        with open(out / "grades.csv", encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))
    rows = []
    if (out / "journal.jsonl").exists():
        for line in (out / "journal.jsonl").read_text(encoding="utf-8").splitlines():
            rows += [{k: str(v) for k, v in r.items()} for r in json.loads(line)["rows"]]
    return rows


RUNNER = """
import resource, sys
from autograd_helpers.instructor.cli import main
try:
    code = main(sys.argv[1:])
finally:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"grader peak memory: {peak} KiB", file=sys.stderr)
sys.exit(code)
"""


@pytest.fixture(scope="module")
def machine(tmp_path_factory) -> dict:
    from conftest import skip_or_fail

    if os.geteuid() != 0:
        skip_or_fail("these attacks are on a grader running as root")
    root = tmp_path_factory.mktemp("machine")
    release, subs, out = root / "release", root / "submissions", root / "out"
    release.mkdir()
    (release / f"{NB}.ipynb").write_bytes((RELEASED / f"{NB}.ipynb").read_bytes())
    home, tmp, sentinel = root / "home", root / "tmp", root / "classmate"
    for folder in (home, tmp, sentinel, sentinel / "work"):
        folder.mkdir()
        (folder / "keep.txt").write_text("untouched", encoding="utf-8")
    solved = load(SOLVED / f"{NB}.ipynb")
    honest = notebook_files.dumps(solved).encode("utf-8")
    notebooks: dict[str, dict | bytes] = dict.fromkeys(HONEST, honest)
    for learner in STARVERS:
        notebooks.update(dict.fromkeys(mates(learner), honest))
    explored = notebook_files.dumps(explorer(solved)).encode("utf-8")
    notebooks.update(dict.fromkeys(mates(BUSY_L), explored))
    notebooks.update(attackers(solved, sentinel))
    for learner, nb in notebooks.items():
        (subs / learner).mkdir(parents=True)
        data = nb if isinstance(nb, bytes) else notebook_files.dumps(nb).encode("utf-8")
        (subs / learner / f"{NB}.ipynb").write_bytes(data)
    for learner in (FIFO_L, ZERO_L):
        (subs / learner).mkdir()
    os.mkfifo(subs / FIFO_L / f"{NB}.ipynb")
    os.symlink("/dev/zero", subs / ZERO_L / f"{NB}.ipynb")

    roots = [Path("/tmp"), Path("/var/tmp"), Path("/dev/shm"), tmp_path_factory.getbasetemp()]
    roots = [r for r in roots if r.is_dir()]
    before = {
        "subs": tree_digest(subs), "sentinel": (tree_digest(sentinel), listing(sentinel)),
        "home": listing(home), "tmp": listing(tmp), "setuid": setuid_files(roots),
    }  # fmt: skip
    env = {**os.environ, "HOME": str(home), "TMPDIR": str(tmp)}
    env.pop("JUPYTER_RUNTIME_DIR", None)
    try:
        run = subprocess.run(
            [sys.executable, "-c", RUNNER, "grade", str(subs), "--out", str(out),
             "--release", str(release), "--jobs", "3", "--timeout", "5", "--no-progress",
             "--processes", "100", "--sandbox", "bwrap"],
            capture_output=True, text=True, env=env, cwd=ROOT, timeout=HANG_GUARD,
        )  # fmt: skip
        returncode, stdout, stderr = run.returncode, run.stdout, run.stderr
    except subprocess.TimeoutExpired as exc:
        returncode, stdout, stderr = None, str(exc.stdout), str(exc.stderr)
    peak = re.search(r"grader peak memory: (\d+) KiB", stderr)
    return {
        "returncode": returncode, "log": (stdout + stderr)[-5000:], "out": out, "subs": subs,
        "rows": read_rows(out), "roots": roots, "before": before,
        "peak_mb": int(peak[1]) / 1024 if peak else None,
        "after": {"subs": tree_digest(subs), "sentinel": (tree_digest(sentinel),
                  listing(sentinel)), "home": listing(home), "tmp": listing(tmp),
                  "setuid": setuid_files(roots)},
    }  # fmt: skip


def rows_of(machine: dict, learner: str) -> dict[str, dict]:
    return {r["test_id"]: r for r in machine["rows"] if r["learner"] == learner}


def graded_in_full(machine: dict, learner: str) -> dict[str, tuple]:
    """{test id: (status, points, message)} for each check not passed with all its points."""
    rows = rows_of(machine, learner)
    short = {
        tid: (r["status"], r["points"], r["message"])
        for tid, r in rows.items()
        if r["status"] != "passed" or float(r["points"]) != float(r["max_points"])
    }
    missing = {tid: ("no row", "", "") for tid in TEST_IDS if tid not in rows}
    return short | missing


def note(machine: dict, learner: str) -> str:
    """Every message of ``learner``'s rows, joined."""
    return " | ".join(r["message"] for r in rows_of(machine, learner).values())


def shown_files(out: Path) -> list[Path]:
    """What people and spreadsheets read: grades.csv, summary.csv and the feedback."""
    return [out / "grades.csv", out / "summary.csv", *sorted((out / "feedback").glob("*.md"))]


# --- the run -------------------------------------------------------------------------------


def test_the_run_finishes(machine):
    assert machine["returncode"] == 0, machine["log"]
    assert (machine["out"] / "grades.csv").exists(), machine["log"]


def test_every_submission_gets_its_rows(machine):
    learners = sorted(p.name for p in machine["subs"].iterdir())
    for learner in learners:
        rows = rows_of(machine, learner)
        assert sorted(rows) == sorted(TEST_IDS), (learner, rows)
        assert {r["status"] for r in rows.values()} <= set(STATUSES), (learner, rows)


def test_every_honest_learner_is_graded_in_full(machine):
    honest = HONEST + [m for learner in STARVERS for m in mates(learner)]
    short = {learner: graded_in_full(machine, learner) for learner in honest}
    assert {k: v for k, v in short.items() if v} == {}


# --- 1. links planted for the grader -------------------------------------------------------


def test_links_a_kernel_plants_lead_the_grader_nowhere(machine):
    """A classmate's folder, the submissions, HOME and TMPDIR are as they were, and the
    grader's run folders are gone, though the kernel swapped what it could for links."""
    found = re.search(r"links planted: run folder (\d+), sockets (\d+)", note(machine, SYMLINKS_L))
    # the attack ran, and left links where the grader cleans up (its sockets' folder at least)
    assert found and int(found[1]) + int(found[2]) > 0, note(machine, SYMLINKS_L)
    before, after = machine["before"], machine["after"]
    assert after["sentinel"] == before["sentinel"], "the classmate's folder changed"
    assert after["subs"] == before["subs"], "the submissions changed"
    assert after["home"] == before["home"], "HOME changed"
    assert after["tmp"] == before["tmp"], "TMPDIR changed (the grader's run folders are left)"


# --- 2. root -------------------------------------------------------------------------------


def test_no_setuid_root_file_appears(machine):
    before, after = machine["before"]["setuid"], machine["after"]["setuid"]
    new = sorted(after - before)
    assert [p for p, uid in new if uid == 0] == [], "setuid-root files appeared"
    base = str(machine["roots"][-1])
    assert [p for p, _ in new if p.startswith(base)] == [], "setuid files left behind"


def test_a_kernel_is_not_root(machine):
    """Its answers are written only when it is root (or a setuid copy made it root)."""
    said = note(machine, ROOT_L)
    found = re.search(r"id -u: (\d+); setuid copies: (\d+)", said)
    assert found, said
    assert found[1] != "0" and int(found[2]) > 0, said
    assert "passed" not in {r["status"] for r in rows_of(machine, ROOT_L).values()}, said


def test_shadow_text_reaches_nothing_in_out(machine):
    lines = []
    for name, shortest in (("/etc/shadow", 1), ("/etc/gshadow", 12)):
        text = Path(name).read_text(encoding="utf-8", errors="replace")
        lines += [ln.strip() for ln in text.splitlines() if len(ln.strip()) >= shortest]
    assert lines
    assert "Permission denied" in note(machine, SHADOW_L), note(machine, SHADOW_L)
    leaked = set()
    for path in machine["out"].rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            leaked |= {(path.name, k) for k, ln in enumerate(lines) if ln in text}
    assert not leaked, f"(file, line number) of /etc/shadow or /etc/gshadow in OUT: {leaked}"


# --- 3. stopping or starving the run -------------------------------------------------------


@pytest.mark.parametrize("attacker", STARVERS)
def test_classmates_beside_an_attacker_are_graded_in_full(machine, attacker):
    rows = rows_of(machine, attacker)
    assert sorted(rows) == sorted(TEST_IDS), rows
    assert {r["status"] for r in rows.values()} <= set(STATUSES), rows
    short = {m: graded_in_full(machine, m) for m in mates(attacker)}
    assert {k: v for k, v in short.items() if v} == {}


def test_the_busy_kernel_really_ran_its_processes(machine):
    """The busy learner's classmates passing means something only if it was busy."""
    found = re.search(r"busy processes: (\d+)", note(machine, BUSY_L))
    assert found and int(found[1]) >= 30, note(machine, BUSY_L)


def test_a_kernel_cannot_write_past_its_quota_onto_the_graders_disk(machine):
    """The filler earns its points only if 1 GB (twice its quota) landed on the grader's disk."""
    said = note(machine, FILL_L)
    found = re.search(r"MB written: scratch (\d+), /tmp (\d+), grader's disk (\d+)", said)
    assert found, said
    assert int(found[1]) > 0 and int(found[3]) < QUOTA_MB, said
    assert "passed" not in {r["status"] for r in rows_of(machine, FILL_L).values()}, said


def test_code_hidden_among_20000_cells_is_read_if_it_runs(machine):
    """Its last exercise is answered only if a cell after the first 1,000 of 20,000 padding
    cells ran: then the flags must have read that cell (it imports the answer key)."""
    rows = rows_of(machine, CELLS_L)
    flags = " | ".join(r["flags"] for r in rows.values())
    ran = rows["01.expression"]["status"] == "passed"
    assert not ran or "imports solutions" in flags, (rows["01.expression"], flags)


@pytest.mark.parametrize(
    "learner, says", [(FIFO_L, "not a regular file"), (ZERO_L, "symbolic link")]
)
def test_a_fifo_or_a_link_to_dev_zero_is_invalid_unread(machine, learner, says):
    rows = rows_of(machine, learner)
    assert sorted(rows) == sorted(TEST_IDS), rows
    assert {r["status"] for r in rows.values()} == {"invalid"}, rows
    assert all(says in r["message"] for r in rows.values()), rows


def test_the_graders_own_memory_stays_bounded(machine):
    """Kernels' memory is theirs (capped by --memory); the grader keeps capped text per cell
    and reads a few MB of submissions: huge outputs or sources must not grow it."""
    assert machine["peak_mb"] is not None, machine["log"]
    assert machine["peak_mb"] < PEAK_MB, f"the grader's peak memory: {machine['peak_mb']:.0f} MB"


# --- 4. bad input that costs honest learners -------------------------------------------------


@pytest.mark.parametrize("learner", [BOM_L, LATIN1_L])
def test_a_notebook_in_another_encoding_gets_full_marks(machine, learner):
    assert graded_in_full(machine, learner) == {}


@pytest.mark.parametrize("kind", ["grades.csv", "summary.csv", "feedback"])
def test_no_control_characters_reach_what_people_read(machine, kind):
    assert MARKER in note(machine, MARKUP_L), note(machine, MARKUP_L)
    files = [p for p in shown_files(machine["out"]) if kind in (p.name, p.parent.name)]
    assert files
    found = {}
    for path in files:
        text = path.read_text(encoding="utf-8").replace("\r\n", "\n")  # CSV's line ends
        bad = {f"U+{ord(c):04X}" for c in text if unicodedata.category(c) == "Cc" and c != "\n"}
        if bad:
            found[path.name] = sorted(bad)
    assert found == {}


def test_no_markup_reaches_the_feedback(machine):
    assert MARKER in note(machine, MARKUP_L), note(machine, MARKUP_L)
    found = {}
    for path in sorted((machine["out"] / "feedback").glob("*.md")):
        tags = re.findall(r"<\s*(?:script|img)\b", path.read_text(encoding="utf-8"), re.I)
        if tags:
            found[path.name] = tags
    assert found == {}
