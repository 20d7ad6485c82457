"""The grader on a synthetic class: honest, blank, mistakes, broken files and hostile learners.

Every trick a hostile learner tried is here with its outcome: it earns no points (the judges
run in the grader's process, on data the kernel sends for inputs the grader draws; the kernel
runs in a sandbox), or it is flagged for review, or both. Tricks that would
need the grader's machine (its files, its processes, its environment, other learners'
notebooks) are written so that they earn full marks if they work: a failed check is the
proof that the sandbox stopped them.
"""

from __future__ import annotations

import copy
import csv
import fcntl
import hashlib
import json
import math
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psutil
import pytest
from mistakes import all_mistakes
from notebook_runner import RELEASED, SOLVED, added, load

from autograd_helpers.instructor import grading
from autograd_helpers.instructor.cli import parser
from autograd_helpers.instructor.grading import flags as flagging
from autograd_helpers.instructor.grading.report import COLUMNS
from autograd_helpers.instructor.grading.sandbox import SANDBOXES
from autograd_helpers.instructor.grading.submissions import holds_other_notebook

NB = "01_value"
TEST_IDS = ["01.init", "01.repr", "01.add", "01.mul", "01.expression"]
TOKEN = "grader-secret-token-4711"


def cheat(condition: str, prelude: str = "") -> dict:
    """A notebook whose every answer is written only when ``condition`` holds at run time.

    ``prelude`` runs first, in the first exercise cell.
    """
    nb = load(SOLVED / f"{NB}.ipynb")
    first = True
    for cell in nb["cells"]:
        if "exercise" in cell["metadata"].get("tags", []):
            body = "\n".join("    " + ln for ln in cell["source"].splitlines())
            code = f"if {condition}:\n{body}\n"
            cell["source"] = (prelude + "\n" + code) if first else code
            first = False
    return nb


def with_code(nb: dict, cell_id: str, code: str) -> dict:
    """``nb`` with ``code`` put in front of the exercise cell ``cell_id``."""
    nb = copy.deepcopy(nb)
    cell = next(c for c in nb["cells"] if c["id"] == cell_id)
    cell["source"] = code + "\n" + cell["source"]
    return nb


def tampered(blank: dict) -> dict:
    """A blank notebook whose check cells were deleted, edited or given fake outputs."""
    nb = copy.deepcopy(blank)
    nb["cells"] = [c for c in nb["cells"] if c["id"] != "check-init"]
    for cell in nb["cells"]:
        if cell["id"] == "check-add":
            cell["source"] = 'print("✔ 01.add — passed")'
        if cell["cell_type"] == "code":
            cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "✔ passed"}]
    return nb


def honest_without_ids(solved: dict) -> dict:
    """The solved answers typed into cells whose ids were lost (matched by order)."""
    nb = copy.deepcopy(solved)
    for k, cell in enumerate(nb["cells"]):
        cell["id"] = f"copied-{k}"
    return nb


def learner_added_cell(solved: dict) -> dict:
    """An honest notebook with a helper cell of the learner's own before the expression."""
    nb = added(solved, "TWO = 2.0", after="check-mul")
    ex = next(c for c in nb["cells"] if c["id"] == "ex-expression")
    ex["source"] = ex["source"].replace('Value(2.0, label="a")', 'Value(TWO, label="a")')
    return nb


def _detached_code(paths: dict) -> str:
    """A cell that leaves a grandchild in a session of its own, trying to overwrite the
    grades forever. The cell waits until the grandchild runs under ``paths["marker"]`` (its
    command line), so that a survivor of the grader is always found by that marker."""
    targets = [str(paths["out"] / "feedback" / "honest.md"), str(paths["out"] / "grades.csv")]
    survivor = (
        "import os, sys, time\n"
        "os.write(int(sys.argv[2]), b'x')\n"
        "while True:\n"
        f"    for p in {targets!r}:\n"
        "        try:\n"
        "            open(p, 'w').write('HACKED')\n"
        "        except OSError:\n"
        "            pass\n"
        "    time.sleep(0.2)\n"
    )
    return (
        "import os, sys\n"
        "r, w = os.pipe()\n"
        "if os.fork() == 0:\n"
        "    os.setsid()\n"
        "    if os.fork() == 0:\n"
        "        try:\n"
        "            os.set_inheritable(w, True)\n"
        f"            os.execv(sys.executable, [sys.executable, '-c', {survivor!r}, "
        f"{paths['marker']!r}, str(w)])\n"
        "        finally:\n"
        "            os._exit(1)\n"
        "    os._exit(0)\n"
        "os.close(w)\n"
        "os.read(r, 1)  # the grandchild runs (b'x'), or it died (b'')\n"
        "os.close(r)\n"
    )


def processes_with(marker: str) -> list[int]:
    """Live processes whose command line holds ``marker`` (a zombie's command line is empty)."""
    return [
        p.pid
        for p in psutil.process_iter(["cmdline"])
        if any(marker in part for part in p.info["cmdline"] or ())  # None: ended or not ours
    ]


def gone(marker: str, guard: float = 120.0) -> list[int]:
    """Wait until no process holds ``marker``; those still there after ``guard`` seconds (a
    hang guard: a killed tree is gone at once, whatever the machine's load)."""
    deadline = time.monotonic() + guard
    while (found := processes_with(marker)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return found


def replayed_answers() -> dict[str, dict]:
    """test_id -> the probe's answer for the notebook's inputs, from the solved notebook:
    what a forger can know without working code (the visible case's right data)."""
    from autograd_helpers import probes
    from autograd_helpers.instructor.grading.submissions import load_release

    namespace: dict = {}
    for cell in load(SOLVED / f"{NB}.ipynb")["cells"]:
        if "exercise" in cell["metadata"].get("tags", []):
            exec(cell["source"], namespace)  # noqa: S102  (our own solved notebook)
    release = load_release(RELEASED)[NB]
    out = {}
    for check in release.checks:
        from autograd_helpers.checks._core import judge_of

        spec = judge_of(check.call.split(".")[0], check.test_id)
        out[check.test_id] = probes.collect(check.test_id, spec.visible, namespace)
    return out


def hollow(blank: dict) -> dict:
    """A blank notebook whose exercises no longer say "not written": an empty Value class."""
    nb = copy.deepcopy(blank)
    for cell in nb["cells"]:
        if "exercise" in cell["metadata"].get("tags", []):
            cell["source"] = "class Value:\n    pass" if cell["id"] == "ex-init" else "pass"
    return nb


def _search(modules: list[str], markers: list[str]) -> str:
    """Code that sets ``found`` when one of ``modules`` can be imported, or a .py file on
    ``sys.path`` (a file under a ``solutions`` folder: any) holds one of ``markers``."""
    return (
        "import os, sys, importlib.util\n"
        "found = False\n"
        f"for m in {modules!r}:\n"
        "    try:\n"
        "        found = found or importlib.util.find_spec(m) is not None\n"
        "    except ImportError:\n"
        "        pass\n"
        "import autograd_helpers\n"
        "tops = sys.path + [os.path.dirname(os.path.dirname(autograd_helpers.__file__))]\n"
        "for top in tops:\n"
        "    for folder, dirs, files in os.walk(top or '.'):\n"
        "        for name in files:\n"
        "            if name.endswith('.py') and not found:\n"
        "                try:\n"
        "                    text = open(os.path.join(folder, name), errors='replace').read()\n"
        "                except OSError:\n"
        "                    continue\n"
        f"                found = any(m in text for m in {markers!r}) or (\n"
        "                    'solutions' in folder.split(os.sep) and 'def backward(' in text)\n"
    )


def hostile(blank: dict, solved: dict, paths: dict) -> dict[str, dict]:
    """Learners who try to get points without the work, or to reach beyond their notebook."""
    subs, out, home = paths["subs"], paths["out"], paths["home"]
    # a forger who read the grader's code: each request cell is replaced by one that answers
    # it (its nonce, as many answers as cases) with the right data for the notebook's inputs
    forge = f"""
import json as _json, re as _re
_RIGHT = _json.loads({json.dumps(json.dumps(replayed_answers()))})
def _forge(lines):
    text = "".join(lines)
    found = _re.search(r"answer\\(\\s*'(\\w+)', '([\\w.]+)', '(\\w+)', (\\[.*\\])", text, _re.S)
    if not found:
        return lines
    module, tid, nonce, cases = found.groups()
    n = len(eval(cases))
    payload = _json.dumps({{"nonce": nonce, "test_id": tid, "answers": [_RIGHT[tid]] * n}})
    return ["from IPython.display import display\\n",
            f"display({{{{'application/x-autograd-course-probe': {{payload!r}}}}}}, raw=True)\\n"]
get_ipython().input_transformers_cleanup.append(_forge)
"""
    patch_probe = f"""
import json as _json
import autograd_helpers.probes as _p
_RIGHT = _json.loads({json.dumps(json.dumps(replayed_answers()))})
_p.collect = lambda test_id, case=None, given=None: _RIGHT[test_id]
"""
    facade = (
        "from solutions.engine import Value as _Reference\n"
        "class _Meta(type):\n"
        "    def __instancecheck__(cls, obj):\n"
        "        return isinstance(obj, _Reference)\n"
        "    def __call__(cls, *args, **kwargs):\n"
        "        return _Reference(*args, **kwargs)\n"
        "class Value(metaclass=_Meta):\n"
        "    pass\n"
    )
    return {
        # hide failures or rewrite the check cells from inside the kernel
        "showtraceback": added(blank, "get_ipython().showtraceback = lambda *a, **k: None"),
        "custom_exc": added(
            blank, "get_ipython().set_custom_exc((BaseException,), lambda *a, **k: None)"
        ),
        "transformer": added(
            blank,
            "get_ipython().input_transformers_cleanup.append("
            "lambda lines: ['pass\\n'] if 'answer(' in ''.join(lines) else lines)",
        ),
        "forger": added(hollow(blank), forge),
        "patch_probe": added(hollow(blank), patch_probe),
        "facade": added(blank, facade, after="ex-init"),
        "judges_found": cheat(
            "found",
            _search(
                [
                    "solutions.engine",
                    "solutions.nn",
                    "autograd_helpers.checks.value",
                    "autograd_helpers.checks._core",
                    "autograd_helpers.instructor.grading",
                ],
                ["def judge_of(", "def probed(", "JUDGES: dict"],
            ),
        ),  # fmt: skip
        # the same search for what the kernel must hold (the probes): it finds it
        "search_control": cheat("found", _search([], ["def collect("])),
        "globals": added(
            blank,
            "class Anything:\n    def __getattr__(self, name):\n        return lambda: None\n"
            'globals()["chec" + "ks"] = Anything()',
        ),
        "sys_modules": added(
            blank,
            "import sys as s_\nimport types\nfake = types.ModuleType('fake')\n"
            "fake.run = lambda *a: print(f'✔ {a[1]} — ok')\n"
            "fake.arm = lambda *a: None\n"
            "s_.modules['autograd_helpers.checks._seal'] = fake\n"
            "s_.modules['autograd_helpers.checks.value'] = fake",
        ),
        "patch_check": added(
            blank,
            "import autograd_helpers.checks.value as v\n"
            "for name in ('init', 'repr', 'add', 'mul', 'expression'):\n"
            "    setattr(v, name, lambda: print('✔ 01.init — ok'))",
        ),
        "patch_math": added(blank, "import math\nmath.isclose = lambda *a, **k: True"),
        "patch_math_solved": added(
            solved, "import math\nmath.isclose = lambda *a, **k: True", after="check-mul"
        ),
        "tracer": added(blank, "import sys\nsys.settrace(lambda frame, event, arg: None)"),
        "tracer_clears": added(
            blank,
            "import sys\n"
            "def _tracer(frame, event, arg):\n"
            "    if event == 'exception':\n"
            "        frame.f_locals.clear()\n"
            "    return _tracer\n"
            "sys.settrace(_tracer)",
        ),
        # the answer key
        "pwd_then_key": with_code(blank, "ex-init", "_ = %pwd\nfrom solutions.engine import Value"),
        "time_key": with_code(blank, "ex-init", "%time from solutions.engine import Value"),
        "renamed_key": added(
            blank,
            "from solutions.engine import Value\nValue.__module__ = '__main__'\n"
            "a, b = Value(2.0, label='a'), Value(-3.0, label='b')\n"
            "c, f = Value(10.0, label='c'), Value(-2.0, label='f')\n"
            "e = a * b\ne.label = 'e'\nd = e + c\nd.label = 'd'\nL = d * f\nL.label = 'L'",
            after="ex-expression",
        ),
        "solved_files": added(
            blank,
            "import json, os, solutions\n"
            "p = os.path.join(os.path.dirname(solutions.__file__), 'notebooks', '01_value.ipynb')\n"
            "if os.path.exists(p):\n"
            "    nb = json.load(open(p))\n"
            "    exec('\\n'.join(''.join(c['source']) for c in nb['cells']\n"
            "         if 'exercise' in c['metadata'].get('tags', [])), globals())",
        ),
        # the grader's machine, other learners, the network
        "classmate": cheat(
            f"seen or os.path.exists({str(subs / 'honest' / (NB + '.ipynb'))!r}) "
            f"or os.path.exists({str(out / 'journal.jsonl')!r})",
            "import os\n"
            "seen = [p for p in os.listdir('/proc') if p.isdigit()\n"
            "        and b'.ipynb' in open(f'/proc/{p}/cmdline', 'rb').read()]\n",
        ),
        "startup_file": added(
            blank,
            "import os\n"
            "for home in (os.path.expanduser('~'), "
            f"{str(home)!r}):\n"
            "    d = os.path.join(home, '.ipython', 'profile_default', 'startup')\n"
            "    try:\n"
            "        os.makedirs(d, exist_ok=True)\n"
            "        open(os.path.join(d, '00-evil.py'), 'w').write('import sys; sys.exit(1)')\n"
            "    except OSError:\n"
            "        pass\n",
        ),
        "detached": added(blank, _detached_code(paths)),
        "killer": added(
            solved, "import os, signal\nos.kill(os.getppid(), 9)\nos.kill(-1, 9)", after="check-mul"
        ),
        "environment": cheat(f"__import__('os').environ.get('TOKEN') == {TOKEN!r}"),
        "network": cheat(
            "reached",
            "import socket\n"
            "try:\n"
            f"    socket.create_connection(('127.0.0.1', {paths['port']}), 2).close()\n"
            "    reached = True\n"
            "except OSError:\n"
            "    reached = False\n",
        ),
        "deep_folders": added(
            solved,
            "import os\n"
            "start = os.getcwd()\n"
            "for _ in range(3000):\n"
            "    os.mkdir('d')\n"
            "    os.chdir('d')\n"
            "os.chdir(start)\n"
            "os.symlink('/dev/null', 'report.xml')",
            after="check-mul",
        ),
    }


# Honest work gets a limit no loaded machine comes near (CPU seconds per cell: see
# grading.Limits); the tests about time limits grade apart, with small limits.
CLASS_TIMEOUT = "60"


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("class")
    release = root / "release"
    release.mkdir()
    shutil.copy(RELEASED / f"{NB}.ipynb", release)
    solved, blank = load(SOLVED / f"{NB}.ipynb"), load(RELEASED / f"{NB}.ipynb")
    listener = socket.create_server(("127.0.0.1", 0))  # what the "network" learner tries to reach
    paths = {"subs": root / "submissions", "out": root / "out", "home": root / "home"}
    paths["port"] = listener.getsockname()[1]
    paths["marker"] = f"detached-learner-{uuid.uuid4().hex}"  # the survivor's command line
    mistake = next(m for m in all_mistakes() if m.name == "mul_adds")
    notebooks = {
        "honest": solved,
        "blank": blank,
        "mistake": mistake.apply(solved),
        "exits": with_code(solved, "ex-add", "import os\nos._exit(3)"),
        "segfault": with_code(solved, "ex-add", "import ctypes\nctypes.string_at(0)"),
        "membomb": with_code(solved, "ex-add", "hog = [0] * (10**10)"),
        "tamperer": tampered(blank),
        "cheater": with_code(
            solved, "ex-init", "from solutions.engine import Value as V\nimport autograd_helpers"
        ),
        "lost_ids": honest_without_ids(solved),
        "added_cell": learner_added_cell(solved),
        "long_repr": added(
            solved, "Value.__repr__ = lambda self: '=HYPERLINK(' + 'x' * 20_000_000", "ex-init"
        ),
        **hostile(blank, solved, paths),
    }
    subs = paths["subs"]
    for learner, nb in notebooks.items():
        (subs / learner).mkdir(parents=True)
        (subs / learner / f"{NB}.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    broken = copy.deepcopy(solved)
    raw = {
        "badjson": '{"cells": [',
        "notanotebook": json.dumps({"hello": "world"}),
        "nbformat3": json.dumps({"nbformat": 3, "worksheets": []}),
    }
    for learner, change in {
        "id_is_a_list": lambda c: c.__setitem__("id", ["x"]),
        "int_in_source": lambda c: c.__setitem__("source", ["x = 1\n", 2]),
        "nested_tags": lambda c: c["metadata"].__setitem__("tags", [["exercise"]]),
    }.items():
        nb = copy.deepcopy(broken)
        change(nb["cells"][3])
        raw[learner] = json.dumps(nb)
    for learner, text in raw.items():
        (subs / learner).mkdir()
        (subs / learner / f"{NB}.ipynb").write_text(text, encoding="utf-8")
    (subs / "empty").mkdir()
    (subs / "wrongname").mkdir()
    (subs / "wrongname" / "99_mine.ipynb").write_text(json.dumps(solved), encoding="utf-8")
    for odd in [".hidden", "a" * 253, '=HYPERLINK("x")']:
        (subs / odd).mkdir()
        (subs / odd / f"{NB}.ipynb").write_text(json.dumps(solved), encoding="utf-8")
    os.symlink(SOLVED, subs / "linked_folder")
    (subs / "linked_file").mkdir()
    os.symlink(SOLVED / f"{NB}.ipynb", subs / "linked_file" / f"{NB}.ipynb")

    home, tmp, sentinel = paths["home"], root / "tmp", root / "sentinel"
    for folder in (home, tmp, sentinel):
        folder.mkdir()
        (folder / "keep.txt").write_text("untouched", encoding="utf-8")
    before = {"subs": tree_digest(subs), "home": listing(home), "tmp": listing(tmp)}
    before["sentinel"] = listing(sentinel)
    env = {**os.environ, "HOME": str(home), "TMPDIR": str(tmp), "TOKEN": TOKEN}
    env.pop("JUPYTER_RUNTIME_DIR", None)
    out = paths["out"]
    run = subprocess.run(
        [sys.executable, "-m", "autograd_helpers.instructor.cli", "grade", str(subs),
         "--out", str(out), "--release", str(release), "--jobs", "2", "--timeout", CLASS_TIMEOUT,
         "--no-progress", "--sandbox", "bwrap"],
        capture_output=True, text=True, env=env,
    )  # fmt: skip
    listener.close()
    # the detached learner's grandchild, if the grader left it alive, is found by its marker
    survivors = gone(paths["marker"])
    try:
        assert run.returncode == 0, run.stdout + run.stderr
        feedback_honest = (out / "feedback" / "honest.md").read_text(encoding="utf-8")
        with open(out / "grades.csv", encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        yield {
            "rows": rows, "out": out, "subs": subs, "release": release, "run": run, "env": env,
            "before": before, "root": root, "feedback_honest": feedback_honest,
            "survivors": survivors,
            "after": {"subs": tree_digest(subs), "home": listing(home), "tmp": listing(tmp),
                      "sentinel": listing(sentinel)},
        }  # fmt: skip
    finally:
        for pid in survivors:  # what the grader should have killed
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass


def tree_digest(folder: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        h.update(str(p.relative_to(folder)).encode())
        if p.is_file() and not p.is_symlink():
            h.update(p.read_bytes())
    return h.hexdigest()


def listing(folder: Path) -> list[tuple]:
    """Every path under ``folder`` with its size and modification time."""
    found = []
    for p in sorted(folder.rglob("*")):
        info = p.lstat()
        found.append((str(p.relative_to(folder)), info.st_size, info.st_mtime_ns))
    return found


def rows_of(graded: dict, learner: str) -> dict[str, dict]:
    return {r["test_id"]: r for r in graded["rows"] if r["learner"] == learner}


def statuses(graded: dict, learner: str) -> dict[str, str]:
    return {tid: r["status"] for tid, r in rows_of(graded, learner).items()}


def flags(graded: dict, learner: str) -> str:
    return " | ".join(r["flags"] for r in rows_of(graded, learner).values())


# --- honest work and ordinary mistakes ------------------------------------------------------


def test_columns_and_statuses(graded):
    assert list(graded["rows"][0]) == COLUMNS
    assert {r["status"] for r in graded["rows"]} <= set(grading.STATUSES)


@pytest.mark.parametrize("learner", ["honest", "lost_ids", "added_cell"])
def test_honest_work_gets_full_marks(graded, learner):
    assert statuses(graded, learner) == dict.fromkeys(TEST_IDS, "passed")
    assert all(r["flags"] == "" for r in rows_of(graded, learner).values())


def test_blank_notebook_fails_every_check_with_its_message(graded):
    rows = rows_of(graded, "blank")
    assert statuses(graded, "blank") == dict.fromkeys(TEST_IDS, "failed")
    assert "not written yet" in rows["01.init"]["message"]


def test_a_mistake_costs_its_check_and_says_why(graded):
    rows = rows_of(graded, "mistake")
    assert rows["01.mul"]["status"] == "failed"
    assert "that is the sum" in rows["01.mul"]["message"]
    assert rows["01.add"]["status"] == "passed"


def test_tampered_check_cells_are_restored(graded):
    assert statuses(graded, "tamperer") == dict.fromkeys(TEST_IDS, "failed")


@pytest.mark.parametrize("learner", ["exits", "segfault"])
def test_a_dead_kernel_costs_that_notebook_only(graded, learner):
    got = statuses(graded, learner)
    assert got["01.init"] == got["01.repr"] == "passed"  # before the bad cell
    assert got["01.add"] == "failed"
    message = rows_of(graded, learner)["01.add"]["message"]
    assert "kernel died" in message, message


def test_a_memory_bomb_fails_with_a_note(graded):
    rows = rows_of(graded, "membomb")
    assert rows["01.add"]["status"] == "failed"
    assert "MemoryError" in rows["01.add"]["message"]
    assert rows["01.init"]["status"] == "passed"


@pytest.mark.parametrize(
    "learner, says",
    [
        ("badjson", "not valid notebook JSON"),
        ("notanotebook", "not a Jupyter notebook"),
        ("nbformat3", "nbformat 3"),
        ("id_is_a_list", "cell 4: its id is not text"),
        ("int_in_source", "cell 4: its source is not text"),
        ("nested_tags", "cell 4: its tags are not a list"),
        ("linked_file", "symbolic link"),
    ],
)
def test_unreadable_submissions_are_invalid(graded, learner, says):
    rows = rows_of(graded, learner)
    assert {r["status"] for r in rows.values()} == {"invalid"}
    assert all(says in r["message"] for r in rows.values()), rows


@pytest.mark.parametrize(
    "learner, says",
    [
        (".hidden", "hidden folder"),
        ("a" * 99 + "…", "unusable folder name"),
        ("linked_folder", "symbolic link"),
    ],
)
def test_refused_folders_get_a_row_not_silence(graded, learner, says):
    rows = [r for r in graded["rows"] if r["learner"] == learner]
    assert len(rows) == 1 and rows[0]["status"] == "invalid"
    assert says in rows[0]["message"]


def test_missing_and_unknown_notebooks(graded):
    assert set(statuses(graded, "empty").values()) == {"missing"}
    assert "holds no notebooks" in rows_of(graded, "empty")["01.init"]["message"]
    wrong = [r for r in graded["rows"] if r["learner"] == "wrongname"]
    assert {r["status"] for r in wrong if r["notebook"] == NB} == {"missing"}
    unknown = [r for r in wrong if r["notebook"] == "99_mine"]
    assert len(unknown) == 1 and unknown[0]["status"] == "invalid"


def test_points_summary_and_feedback(graded):
    out = graded["out"]
    with open(out / "summary.csv", encoding="utf-8") as fh:
        summary = {r["learner"]: r for r in csv.DictReader(fh)}
    assert summary["honest"]["points"] == "5" and summary["honest"]["percent"] == "100.0"
    assert summary["mistake"]["points"] == "3"  # mul, and the expression built with it
    assert summary["blank"]["points"] == "0"
    feedback = (out / "feedback" / "mistake.md").read_text(encoding="utf-8")
    assert "✘ `01.mul` failed: " in feedback and "that is the sum" in feedback
    assert "✔ `01.add` passed" in feedback
    assert len(list((out / "feedback").glob("*.md"))) == len(summary)


def test_messages_are_capped_and_csv_is_safe(graded):
    rows = rows_of(graded, "long_repr")
    assert rows["01.repr"]["status"] == "failed"
    assert all(len(r["message"]) <= 500 for r in graded["rows"])
    assert (graded["out"] / "grades.csv").stat().st_size < 200_000
    shown = [r["learner"] for r in graded["rows"] if "HYPERLINK" in r["learner"]]
    assert shown and all(s.startswith("'=") for s in shown)
    assert not any(v.startswith(("=", "+", "@")) for r in graded["rows"] for v in r.values() if v)


# --- hostile learners ----------------------------------------------------------------------

EARN_NOTHING = [
    "showtraceback", "custom_exc", "transformer", "forger", "patch_probe", "facade", "globals",
    "sys_modules", "patch_check", "patch_math", "tracer", "tracer_clears", "pwd_then_key",
    "time_key", "solved_files", "classmate", "startup_file", "detached", "environment",
    "network", "judges_found",
]  # fmt: skip


@pytest.mark.parametrize("learner", EARN_NOTHING)
def test_tricks_earn_no_points(graded, learner):
    got = statuses(graded, learner)
    assert "passed" not in got.values(), (got, rows_of(graded, learner))


@pytest.mark.parametrize(
    "learner, flag",
    [
        ("showtraceback", "changes how errors are shown"),
        ("custom_exc", "hides errors"),
        ("transformer", "rewrites cells before they run"),
        ("forger", "rewrites cells before they run"),
        ("globals", "uses globals()"),
        ("sys_modules", "touches sys.modules"),
        ("patch_check", "touches autograd_helpers internals"),
        ("patch_math", "changes the module `math`"),
        ("tracer", "sets a tracer"),
        ("tracer_clears", "sets a tracer"),
        ("pwd_then_key", "imports solutions"),
        ("time_key", "imports solutions"),
        ("renamed_key", "assigns __module__"),
        ("solved_files", "opens files"),
        ("cheater", "imports solutions"),
        ("exits", "calls os._exit"),
    ],
)
def test_tricks_are_flagged_for_review(graded, learner, flag):
    assert flag in flags(graded, learner)


def test_a_request_cell_that_never_answers_is_flagged(graded):
    assert "without the check's answer" in flags(graded, "transformer")


@pytest.mark.parametrize("learner", ["forger", "patch_probe"])
def test_answers_replayed_from_the_notebooks_inputs_fail_the_graders_own(graded, learner):
    """The right data for the visible inputs is not enough: the grader draws more."""
    rows = rows_of(graded, learner)
    assert statuses(graded, learner) == dict.fromkeys(TEST_IDS, "failed")
    for test_id in ("01.init", "01.repr", "01.add", "01.mul"):
        assert "inputs the grader chose" in rows[test_id]["message"], rows[test_id]
    assert "data no probe writes" in rows["01.expression"]["flags"]


def test_judges_are_not_fooled_by_patching_the_kernel(graded):
    """What a judge relies on (math, its comparisons) is in the grader's process."""
    assert statuses(graded, "patch_math_solved") == dict.fromkeys(TEST_IDS, "passed")


def test_the_grading_kernel_holds_no_judge_and_no_answers(graded):
    """Neither importable nor readable on the kernel's path: the judges, the reference
    engine, the instructor's tooling (the learner's cell looks for them, and writes the
    answers only if it finds one)."""
    assert "passed" not in statuses(graded, "judges_found").values()
    assert statuses(graded, "search_control") == dict.fromkeys(TEST_IDS, "passed")


def test_the_answer_key_renamed_is_refused(graded):
    assert statuses(graded, "renamed_key")["01.expression"] == "failed"


def test_nothing_outside_out_changes(graded):
    before, after = graded["before"], graded["after"]
    assert after["subs"] == before["subs"], "the submissions changed"
    assert after["home"] == before["home"], "HOME changed"
    assert after["tmp"] == before["tmp"], "TMPDIR changed"
    assert after["sentinel"] == before["sentinel"]
    out = graded["out"]
    assert not (out / ".work").exists() and not (out / ".lock").exists()


def test_detached_processes_die_with_their_notebook(graded):
    assert graded["survivors"] == [], "a detached process outlived the grader"
    assert (graded["out"] / "feedback" / "honest.md").read_text(encoding="utf-8") == graded[
        "feedback_honest"
    ]
    assert "HACKED" not in (graded["out"] / "grades.csv").read_text(encoding="utf-8")


def test_a_kernel_cannot_kill_the_grader(graded):
    got = statuses(graded, "killer")
    assert got["01.init"] == "passed" and got["01.mul"] == "passed"


def test_deep_folders_left_behind_do_not_stop_the_run(graded):
    assert statuses(graded, "deep_folders") == dict.fromkeys(TEST_IDS, "passed")


def test_a_later_run_is_not_affected_by_an_earlier_class(graded, tmp_path):
    """What the startup_file learner planted (if anything) does not reach a later run."""
    subs = tmp_path / "subs"
    shutil.copytree(graded["subs"] / "honest", subs / "honest")
    rows = grading.grade(subs, tmp_path / "out", graded["release"], progress=False)
    assert {r.status for r in rows} == {"passed"}


# --- limits over the whole tree --------------------------------------------------------------


def _hog(kind: str) -> dict:
    """A notebook that earns full marks only when its children all got what they asked for.

    No child ends on its own and nothing waits for a while: each memory child says (through
    a pipe) once it holds its memory, or its pipe closes when it is killed; the process
    children live until the notebook closes their input. A loaded machine changes no answer.
    """
    if kind == "memory":
        prelude = (
            "import os\n"
            "go_r, go_w = os.pipe()\n"
            "kids = []\n"
            "for _ in range(4):\n"
            "    r, w = os.pipe()\n"
            "    pid = os.fork()\n"
            "    if pid == 0:\n"
            "        os.close(go_w)\n"
            "        block = bytearray(150 * 2**20)\n"
            "        block[::4096] = b'x' * len(block[::4096])\n"
            "        os.write(w, b'r')\n"
            "        os.read(go_r, 1)  # until the notebook lets go\n"
            "        os.write(w, b'd')\n"
            "        os._exit(0)\n"
            "    os.close(w)\n"
            "    kids.append((pid, r))\n"
            "held = [os.read(r, 1) for pid, r in kids]  # b'' from a child that was killed\n"
            "os.close(go_w)\n"
            "still = [os.read(r, 1) for pid, r in kids]\n"
            "for pid, r in kids:\n"
            "    os.waitpid(pid, 0)\n"
            "alive = held == [b'r'] * 4 and still == [b'd'] * 4\n"
        )
    else:
        prelude = (
            "import subprocess\n"
            "kids = []\n"
            "try:\n"
            "    for _ in range(40):\n"
            "        kids.append(subprocess.Popen(['cat'], stdin=subprocess.PIPE,\n"
            "                                     stdout=subprocess.DEVNULL))\n"
            "except OSError:\n"
            "    pass\n"
            "alive = len(kids) == 40\n"
            "for kid in kids:\n"
            "    kid.stdin.close()\n"
            "    kid.wait()\n"
        )
    return cheat("alive", prelude)


def release_of(folder: Path) -> Path:
    """A release folder holding the released 01 only."""
    release = folder / "release"
    release.mkdir()
    shutil.copy(RELEASED / f"{NB}.ipynb", release)
    return release


def grade_apart(folder: Path, learners: dict[str, dict], limits) -> dict[str, dict]:
    """Grade ``learners`` (name -> notebook) at once; each learner's rows by test id."""
    subs = folder / "subs"
    for learner, nb in learners.items():
        (subs / learner).mkdir(parents=True)
        (subs / learner / f"{NB}.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    rows = grading.grade(subs, folder / "out", release_of(folder), jobs=len(learners),
                         limits=limits, progress=False)  # fmt: skip
    return {who: {r.test_id: r for r in rows if r.learner == who} for who in learners}


@pytest.mark.slow
@pytest.mark.parametrize(
    "kind, mechanism",
    [("memory", "cgroup"), ("processes", "cgroup"), ("memory", "watchdog")],
)
def test_limits_hold_over_the_whole_process_tree(tmp_path, monkeypatch, kind, mechanism):
    """Forked children share one limit; the same notebook passes when the limit is lifted."""
    from autograd_helpers.instructor.grading.sandbox import TreeLimits

    if mechanism == "watchdog":  # as on a machine without control groups
        monkeypatch.setattr(TreeLimits, "_make_groups", lambda self, name: None)
    elif TreeLimits(grading.Limits()).kind != "cgroup":
        from conftest import skip_or_fail

        skip_or_fail("this machine offers no control groups to the grader")
    got = {}
    for name, limits in (
        ("tight", grading.Limits(memory_mb=400, processes=24)),
        ("loose", grading.Limits(memory_mb=4000, processes=200)),
    ):
        rows = grade_apart(tmp_path / name, {"hog": _hog(kind)}, limits)["hog"]
        got[name] = {tid: r.status for tid, r in rows.items()}
    assert got["loose"] == dict.fromkeys(TEST_IDS, "passed"), "the hog should work unlimited"
    assert "passed" not in got["tight"].values(), got["tight"]


def test_the_watchdog_sums_cpu_and_memory_over_the_whole_tree():
    """Without control groups, limits are sums over the tree below the kernel: a child that
    burned CPU and holds memory, and its own child, are counted."""
    from autograd_helpers.instructor.grading import sandbox

    grandchild = "import sys; sys.stdin.read()"
    child = (
        "import subprocess, sys, time\n"
        f"kid = subprocess.Popen([sys.executable, '-c', {grandchild!r}], stdin=subprocess.PIPE)\n"
        "held = bytearray(80 * 2**20)\n"
        "start = time.process_time()\n"
        "while time.process_time() - start < 0.3:\n"
        "    pass\n"
        "print(kid.pid, flush=True)\n"
        "sys.stdin.read()\n"
    )
    top = subprocess.Popen(
        [sys.executable, "-c", child], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        kid = int(top.stdout.readline())
        tree = sandbox._tree(top.pid)
        assert set(tree) == {top.pid, kid}
        assert sum(sandbox._cpu_seconds(p) for p in tree) >= 0.3
        assert sum(sandbox._rss(p) for p in tree) >= 80 * 2**20
    finally:
        top.kill()
        top.wait()
    assert sandbox._tree(top.pid) == [] and sandbox._cpu_seconds(top.pid) == 0.0
    assert sandbox._tree(None) == []


# --- time limits: CPU time, and a wall-clock backstop for code that only waits --------------
# Outcomes only (statuses, the words of the message), never how long anything took: a loaded
# machine slows every cell down but changes no CPU time. Where a test is about the CPU limit,
# its wall backstop is set far off (wall_factor), so that a kernel given little CPU still
# reaches the CPU limit first; where it is about the backstop, the cells only sleep.

BEFORE_ADDED = ["01.init", "01.repr", "01.add", "01.mul"]  # checks before cells added after mul


def burn(seconds: float) -> str:
    """A cell that uses ``seconds`` of CPU time (however long that takes on the wall)."""
    return (
        "import time\n"
        "start = time.process_time()\n"
        f"while time.process_time() - start < {seconds}:\n"
        "    pass"
    )


def released_code_cells() -> int:
    return sum(c["cell_type"] == "code" for c in load(RELEASED / f"{NB}.ipynb")["cells"])


@pytest.mark.slow
def test_an_endless_loop_is_stopped_by_the_cpu_limit(tmp_path):
    solved = load(SOLVED / f"{NB}.ipynb")
    endless = with_code(solved, "ex-add", "while True:\n    pass")
    limits = grading.Limits(cell_timeout=2, wall_factor=30)
    rows = grade_apart(tmp_path, {"endless": endless}, limits)["endless"]
    assert rows["01.init"].status == rows["01.repr"].status == "passed"  # before the loop
    assert rows["01.add"].status == "timeout", rows["01.add"]
    assert "CPU time" in rows["01.add"].message, rows["01.add"].message
    assert "wall time" not in rows["01.add"].message


@pytest.mark.slow
def test_a_cell_that_only_waits_is_stopped_by_the_wall_backstop(tmp_path):
    solved = load(SOLVED / f"{NB}.ipynb")
    waits = with_code(solved, "ex-add", "import time\ntime.sleep(3600)")
    limits = grading.Limits(cell_timeout=2, wall_factor=1)  # the shortest backstop
    rows = grade_apart(tmp_path, {"waits": waits}, limits)["waits"]
    assert rows["01.init"].status == rows["01.repr"].status == "passed"
    assert rows["01.add"].status == "timeout", rows["01.add"]
    assert "wall time" in rows["01.add"].message, rows["01.add"].message


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["cpu", "sleep"])
def test_time_is_capped_by_the_release_not_by_added_cells(tmp_path, kind):
    """Cells a learner adds buy no time, each well within the per-cell limit: the notebook's
    CPU budget is set by the released cells (Limits.notebook_timeout), and so is its wall
    backstop. The added cells ask for twice the budget; the checks before them pass."""
    budget_cpu = grading.Limits(cell_timeout=2, startup=10).notebook_timeout(released_code_cells())
    if kind == "cpu":  # cut by the CPU budget
        limits = grading.Limits(cell_timeout=2, startup=10, wall_factor=30)
        each, code, says = 0.5, burn(0.5), "CPU time"
        budget = budget_cpu
    else:  # they use no CPU: cut by the wall backstop
        limits = grading.Limits(cell_timeout=2, startup=10, wall_factor=1)
        each, code, says = 2.0, "import time\ntime.sleep(2)", "wall time"
        budget = limits.wall(budget_cpu)
    assert limits.notebook_timeout(released_code_cells()) == budget_cpu
    nb = load(SOLVED / f"{NB}.ipynb")
    for _ in range(math.ceil(2 * budget / each)):
        nb = added(nb, code, after="check-mul")
    rows = grade_apart(tmp_path, {"adds": nb}, limits)["adds"]
    assert {tid: rows[tid].status for tid in BEFORE_ADDED} == dict.fromkeys(BEFORE_ADDED, "passed")
    assert rows["01.expression"].status == "timeout", rows["01.expression"]
    assert says in rows["01.expression"].message, rows["01.expression"].message


# --- OUT: checked, locked, resumable ------------------------------------------------------------


def test_out_naming_a_file_is_refused_before_grading(graded, tmp_path):
    target = tmp_path / "grades"
    target.write_text("mine", encoding="utf-8")
    with pytest.raises(grading.GradingError, match="existing file"):
        grading.grade(graded["subs"], target, graded["release"], progress=False)
    assert target.read_text(encoding="utf-8") == "mine"


def test_out_with_foreign_files_is_refused(graded, tmp_path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(grading.GradingError, match="not an earlier grading run"):
        grading.grade(graded["subs"], tmp_path, graded["release"], progress=False)


def test_two_graders_cannot_share_an_out(graded, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    fd = os.open(out / ".lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        with pytest.raises(grading.GradingError, match="another grader"):
            grading.grade(graded["subs"], out, graded["release"], progress=False)
    finally:
        os.close(fd)


def test_a_new_run_leaves_no_stale_feedback(graded, tmp_path):
    out = tmp_path / "out"
    subs = tmp_path / "subs"
    for learner in ("honest", "badjson"):
        shutil.copytree(graded["subs"] / learner, subs / learner)
    grading.grade(subs, out, graded["release"], progress=False)
    shutil.rmtree(subs / "badjson")
    grading.grade(subs, out, graded["release"], progress=False)
    assert sorted(p.name for p in (out / "feedback").iterdir()) == ["honest.md"]


def test_out_inside_submissions_is_refused(graded):
    with pytest.raises(grading.GradingError, match="outside the submissions"):
        grading.grade(graded["subs"], graded["subs"] / "out", graded["release"], progress=False)


def wait_until(happened, proc: subprocess.Popen, what: str, guard: float = 600) -> None:
    """Until ``happened()``; fails if ``proc`` ends first, or after ``guard`` seconds (a hang
    guard, not a time limit under test)."""
    deadline = time.monotonic() + guard
    while not happened():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            out, err = proc.communicate()
            pytest.fail(f"never happened: {what} (grader exit {proc.returncode}):\n{out}{err}")
        time.sleep(0.1)


@pytest.mark.slow
def test_an_interrupted_run_resumes(tmp_path):
    """Ctrl-C while the third notebook runs: the first two are written, the rest graded by
    --resume. The interrupt is sent once the third notebook's cell is seen waiting (a process
    of its own, found by its command line), so it always finds the grader at that point."""
    subs = tmp_path / "subs"
    solved = load(SOLVED / f"{NB}.ipynb")
    marker = f"interrupt-me-{uuid.uuid4().hex}"
    waits = added(
        solved,
        "import subprocess, sys\n"
        f"subprocess.run([sys.executable, '-c', 'import time; time.sleep(3600)', {marker!r}])",
        after="check-init",
    )
    for k in range(5):
        (subs / f"learner{k}").mkdir(parents=True)
        nb = solved if k < 2 else waits  # graded in name order, one at a time (--jobs 1)
        (subs / f"learner{k}" / f"{NB}.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    out = tmp_path / "out"
    command = [
        sys.executable, "-m", "autograd_helpers.instructor.cli", "grade", str(subs),
        "--out", str(out), "--release", str(release_of(tmp_path)), "--no-progress",
        "--jobs", "1", "--timeout", "600",  # no limit comes near: learner2 waits for Ctrl-C
    ]  # fmt: skip
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_until(lambda: processes_with(marker), proc, "learner2's cell waiting")
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=600)  # a hang guard
    finally:
        left = gone(marker)
        for pid in left:
            os.kill(pid, signal.SIGKILL)
    assert proc.returncode == 130, stdout + stderr
    assert "--resume" in stderr
    assert left == [], "Ctrl-C left learner code running"
    journal = out / "journal.jsonl"
    assert len(journal.read_text(encoding="utf-8").splitlines()) == 2  # learner0 and learner1
    with open(out / "grades.csv", encoding="utf-8") as fh:
        assert len(list(csv.DictReader(fh))) == 5 * 2  # what was graded is written
    for k in range(2, 5):  # the rest, fixed: graded by the resumed run
        (subs / f"learner{k}" / f"{NB}.ipynb").write_text(json.dumps(solved), encoding="utf-8")
    run = subprocess.run([*command, "--resume"], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert len(journal.read_text(encoding="utf-8").splitlines()) == 5  # 0 and 1 not again
    with open(out / "grades.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 25 and {r["status"] for r in rows} == {"passed"}


def test_same_input_same_grades(graded, tmp_path):
    """Grading again (serially this time) gives the same grades for the quick learners."""
    quick = ["honest", "mistake", "tamperer", "badjson", "empty", "wrongname", "transformer"]
    subs = tmp_path / "subs"
    for learner in quick:
        shutil.copytree(graded["subs"] / learner, subs / learner)
    rows = grading.grade(subs, tmp_path / "out", graded["release"], progress=False)
    again = {(r.learner, r.notebook, r.test_id): (r.status, r.message) for r in rows}
    first = {
        (r["learner"], r["notebook"], r["test_id"]): (r["status"], r["message"])
        for r in graded["rows"]
        if r["learner"] in quick
    }
    assert again == first


def test_bad_arguments_give_a_message_not_a_traceback(tmp_path):
    run = subprocess.run(
        [sys.executable, "-m", "autograd_helpers.instructor.cli", "grade", str(tmp_path / "nope"),
         "--out", str(tmp_path / "out")],
        capture_output=True, text=True,
    )  # fmt: skip
    assert run.returncode == 2
    assert "submissions folder not found" in run.stdout
    assert "Traceback" not in run.stdout + run.stderr


def test_sandbox_none_says_what_is_missing(graded, tmp_path):
    subs = tmp_path / "subs"
    shutil.copytree(graded["subs"] / "honest", subs / "honest")
    run = subprocess.run(
        [sys.executable, "-m", "autograd_helpers.instructor.cli", "grade", str(subs),
         "--out", str(tmp_path / "out"), "--release", str(graded["release"]), "--no-progress",
         "--sandbox", "none"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    assert "WITHOUT a sandbox" in run.stderr and "other submissions" in run.stderr


# --- pieces ------------------------------------------------------------------------------------


def test_rebuild_keeps_only_exercise_code():
    release = load(RELEASED / f"{NB}.ipynb")
    sub = tampered(load(SOLVED / f"{NB}.ipynb"))
    built = grading.rebuild(release, sub)
    nb, learner = built.nb, built.learner_code
    by_id = {c["id"]: c for c in nb["cells"]}
    released = {c["id"]: c for c in release["cells"]}
    assert by_id["check-init"]["source"] == released["check-init"]["source"]
    assert by_id["check-add"]["source"] == released["check-add"]["source"]
    assert all(c.get("outputs", []) == [] for c in nb["cells"])
    assert any("self._prev = set(_children)" in s for s in learner)


def test_a_file_holding_another_notebook_is_named():
    releases = grading.load_release(RELEASED)
    four = load(SOLVED / "04_operations.ipynb")
    assert holds_other_notebook(four, "03_backward", releases) == "04_operations"
    assert holds_other_notebook(four, "04_operations", releases) == ""


def test_honest_solutions_of_every_notebook_raise_no_flag():
    releases = grading.load_release(RELEASED)
    for stem, release in releases.items():
        code = grading.rebuild(release.nb, load(SOLVED / f"{stem}.ipynb")).learner_code
        assert code, stem
        assert grading.review_flags(code) == [], stem


@pytest.mark.parametrize(
    "code, flag",
    [
        ("from autograd_helpers import checks", "touches autograd_helpers internals"),
        ("import autograd_helpers.checks._core as c", "touches autograd_helpers internals"),
        ("import ctypes", "imports ctypes"),
        ("import solutions.engine", "imports solutions"),
        ("checks.value.add = print", "uses the name `checks` (the check cells' module)"),
        ("_ = %pwd\nimport gc", "imports gc (reaches any object in memory)"),
        ("%%time\nimport inspect", "imports inspect (reads frames and closures)"),
        ("%%capture out\nf.__closure__", "reads closures"),
        ("!cat /etc/passwd", "runs shell commands"),
        ("%run other.py", "uses the magic %run"),
        ("getattr(f, 'f_' + 'back')", "getattr with a computed name"),
        ("getattr(f, 'f_back')", "walks stack frames"),
        ("import math as m\nm.isclose = 1", "changes the module `m`"),
    ],
)
def test_review_flags(code, flag):
    assert any(flag in found for found in flagging.review_flags([code]))


@pytest.mark.parametrize(
    "code",
    ["x = 1", "from autograd_helpers.graph import draw_dot", "%matplotlib inline", "this is (",
     "%time total = sum(range(10))", "Value.__radd__ = __radd__", "import random, math"],
)  # fmt: skip
def test_honest_code_is_not_flagged(code):
    assert flagging.review_flags([code]) == []


def test_gradebooks_import_into_canvas_and_moodle(graded):
    """Canvas's layout (its importer's rules: tests/test_collect.py) and Moodle's, from folders
    named by login: the login is Canvas's SIS Login ID and Moodle's username."""
    with open(graded["out"] / "gradebook_canvas.csv", encoding="utf-8", newline="") as fh:
        canvas = list(csv.reader(fh))
    assert canvas[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", NB]
    assert canvas[1] == ["    Points Possible", "", "", "", "", "5"]
    by_login = {row[3]: row[5:] for row in canvas[2:]}
    assert by_login["honest"] == ["5"] and by_login["mistake"] == ["3"]
    assert by_login["blank"] == ["0"]
    with open(graded["out"] / "gradebook_moodle.csv", encoding="utf-8", newline="") as fh:
        moodle = list(csv.reader(fh))
    assert moodle[0] == ["Username", "Full name", NB]
    assert {row[0]: row[2:] for row in moodle[1:]}["mistake"] == ["3"]
    with open(graded["out"] / "summary.csv", encoding="utf-8") as fh:
        assert len(canvas) - 2 == len(moodle) - 1 == len(list(csv.DictReader(fh)))


@pytest.mark.slow
def test_confine_drops_to_an_unprivileged_user(tmp_path):
    """As root, each kernel's tree runs as a user of its own, unable to gain privileges."""
    from autograd_helpers.instructor.grading.sandbox import Sandbox

    if os.geteuid() != 0:
        pytest.skip("only root can change user")
    uid = Sandbox("user").kernel_uid()
    assert uid is not None and uid != Sandbox("user").kernel_uid() or uid > 65535
    spec = tmp_path / "spec.json"
    spec.write_text(
        json.dumps({"uid": uid, "memory_bytes": 2**31, "file_bytes": 2**20, "env": {}}),
        encoding="utf-8",
    )
    run = subprocess.run(
        [sys.executable, "-m", "autograd_helpers.instructor.grading.confine", str(spec), "--",
         "/bin/sh", "-c", "id -u; grep NoNewPrivs /proc/self/status; cat /etc/shadow"],
        capture_output=True, text=True,
    )  # fmt: skip
    lines = run.stdout.split("\n")
    assert lines[0] == str(uid), run.stderr
    assert lines[1].split() == ["NoNewPrivs:", "1"]
    assert "Permission denied" in run.stderr and "root:" not in run.stdout


def test_hub_links_open_the_course_in_lab_and_notebook7():
    from urllib.parse import parse_qs, urlparse

    from autograd_helpers import course

    run = subprocess.run(
        [sys.executable, "-m", "autograd_helpers.instructor.cli", "hub-link",
         "https://hub.example.edu/", "--notebook", "03_backward"],
        capture_output=True, text=True,
    )  # fmt: skip
    lab, nb7 = (ln.split()[-1] for ln in run.stdout.splitlines())
    folder = course.REPOSITORY.split("/")[-1]
    for link, prefix in ((lab, "lab/tree"), (nb7, "notebooks")):
        url = urlparse(link)
        assert url.netloc == "hub.example.edu" and url.path == "/hub/user-redirect/git-pull"
        query = parse_qs(url.query)
        assert query["repo"] == [f"https://github.com/{course.REPOSITORY}"]
        assert query["branch"] == [course.REF]
        assert query["urlpath"] == [f"{prefix}/{folder}/notebooks/03_backward.ipynb"]


def test_a_missing_grading_package_is_named_before_anything_runs(tmp_path, monkeypatch):
    import importlib.util

    (tmp_path / "subs" / "ada").mkdir(parents=True)
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "nbclient" else real(name, *a)
    )
    with pytest.raises(grading.GradingError, match=r"nbclient.*\[grade\]"):
        grading.grade(tmp_path / "subs", tmp_path / "out", RELEASED, progress=False)
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_a_deep_out_folder_still_grades(tmp_path):
    """Kernel sockets live in a short folder of their own: a socket path may not pass 107 bytes."""
    subs = tmp_path / "subs"
    (subs / "ada").mkdir(parents=True)
    shutil.copy(SOLVED / f"{NB}.ipynb", subs / "ada")
    release = tmp_path / "release"
    release.mkdir()
    shutil.copy(RELEASED / f"{NB}.ipynb", release)
    out = tmp_path / ("a-rather-long-folder-name-for-the-grades-" * 4) / "out"
    assert len(str(out)) > 160
    rows = grading.grade(subs, out, release, progress=False)
    assert {r.status for r in rows} == {"passed"}, rows


@pytest.mark.parametrize("kind", SANDBOXES)
def test_the_command_offers_every_sandbox_there_is(kind):
    args = parser().parse_args(["grade", "subs", "--out", "out", "--sandbox", kind])
    assert args.sandbox == kind
