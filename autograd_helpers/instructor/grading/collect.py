"""Collecting a class: learner folders or an LMS's bulk download, read the way the grader needs.

``plan`` takes SUBMISSIONS as it comes and reads each entry at its top on its own:

- ``<learner>/`` folders of ``NN_name.ipynb`` files: the course's own layout;
- Canvas's "Download Submissions": flat files ``<name>[_LATE]_<user id>_<file id>_<file name>``
  (``[LATE_]anon_<id>_<file id>_<file name>`` when grading is anonymous);
- Moodle's "Download all submissions": ``<Full Name>_<participant id>_assignsubmission_file_/``
  folders (or, without folders, that prefix in front of each file name);
- Gradescope's "Export Submissions": ``submission_<id>/`` folders named in
  ``submission_metadata.yml`` (inside ``assignment_<id>_export/`` as the zip has it).

A file counts for a released notebook under its exact name or as a renamed copy
(``notebook_name``: ``01_value-Copy1``, ``01_value (1)``, ``Copy of 01_value``, ``01_value-1``).
The junk tools leave (``.ipynb_checkpoints``, ``__MACOSX``, ``._*``, ``.DS_Store``) is passed
over; every other file that is not graded gets a row or a printed line. Nothing here follows
a symbolic link, and no file is opened before ``lstat`` says it is a regular file.
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from autograd_helpers.instructor.grading.submissions import (
    MAX_NAME,
    NAME_OK,
    GradingError,
    Job,
    Release,
    printable,
)
from autograd_helpers.instructor.notebook_files import NotRegular, read_regular

MANIFEST = "collected.json"  # what `collect` writes beside the learner folders: the LMS's ids
METADATA = "submission_metadata.yml"  # Gradescope's list of who submitted what
MAX_METADATA = 20 * 2**20
MAX_DEPTH = 8  # folders inside a submission
MAX_ENTRIES = 2000  # files and folders read per submission
JUNK_DIRS = {".ipynb_checkpoints", "__MACOSX"}
JUNK_FILES = {".DS_Store"}

# Canvas: "<sortable name, lower case, no punctuation>[_LATE]_<user id>_<file id>_<file name>"
CANVAS = re.compile(
    r"(?P<login>.*?)(?P<late>_LATE)?_(?P<user>\d+)_(?P<file>\d+)_(?P<name>.+)", re.S
)
CANVAS_ANON = re.compile(r"(?P<late>LATE_)?anon_(?P<anon>[A-Za-z0-9]+)_(?P<file>\d+)_(?P<name>.+)")
CANVAS_TEXT = re.compile(r"(?P<login>.*?)(?P<late>_LATE)?_(?P<user>\d+)_(?:text|link)\.html")
# Moodle: "<Full Name>_<participant id>_assignsubmission_<plugin>_[<file name>]"
MOODLE = re.compile(
    r"(?P<name>.+?)_(?P<id>\d+)_assignsubmission_(?P<plugin>[a-z]+)_(?P<rest>.*)", re.S
)
GRADESCOPE = re.compile(r"submission_(?P<id>\d+)")
GRADESCOPE_KEY = re.compile(r":?submission_(?P<id>\d+)(?:\.\w+)?:?")

# A renamed copy, outermost first: what is left must be a released notebook's name
COPY_OF = re.compile(r"copy of (?P<base>.+)", re.I)  # Colab and Google Drive
COPY_SUFFIXES = (
    re.compile(r"(?P<base>.+?)-Copy(?P<n>\d*)", re.I),  # Jupyter's Duplicate: 01_value-Copy1
    re.compile(r"(?P<base>.+?) - Copy(?: \((?P<n>\d+)\))?", re.I),  # Windows Explorer
    re.compile(r"(?P<base>.+?) ?\((?P<n>\d+)\)"),  # a browser's download: 01_value (1)
    re.compile(r"(?P<base>.+?) copy(?: (?P<n>\d+))?", re.I),  # macOS Finder
    re.compile(r"(?P<base>.+?)-(?P<n>\d+)"),  # Canvas's resubmission: 01_value-1
)


# --- names ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Named:
    """What a file name says: the notebook, and how far the name is from the released one."""

    stem: str
    exact: bool  # NN_name.ipynb itself
    resubmitted: bool  # NN_name-N.ipynb: Canvas's name for a file handed in again
    number: int  # a copy's number (1 for "Copy of", "- Copy"), 0 for the exact name


def _match(file_name: str, stems: Iterable[str]) -> Named | None:
    """What ``file_name`` says about the released notebooks ``stems``, or None."""
    if not file_name.lower().endswith(".ipynb"):
        return None
    base = file_name[: -len(".ipynb")]
    stems = list(stems)
    if base in stems:
        return Named(base, True, False, 0)
    folded = {s.casefold(): s for s in stems}
    base, number = base.strip(), None
    patterns: list[re.Pattern[str]] = []
    for _ in range(8):  # a copy of a copy of ...
        if base.casefold() in folded:
            resubmitted = patterns == [COPY_SUFFIXES[-1]]
            return Named(folded[base.casefold()], False, resubmitted, number or 0)
        found, pattern = COPY_OF.fullmatch(base), COPY_OF
        for candidate in COPY_SUFFIXES if found is None else ():
            if found := candidate.fullmatch(base):
                pattern = candidate
                break
        if found is None:
            return None
        patterns.append(pattern)
        n = found.groupdict().get("n")
        number = number if number is not None else int(n) if n else 1
        base = found["base"].strip()
    return None


def notebook_name(file_name: str, stems: Iterable[str]) -> str | None:
    """The released notebook ``file_name`` stands for, or None.

    The exact ``NN_name.ipynb`` and the copies tools make of it count: Jupyter's Duplicate
    (``01_value-Copy1``), a browser's download (``01_value (1)``, ``01_value(1)``), Colab and
    Google Drive (``Copy of 01_value``), Windows and macOS (``01_value - Copy``, ``01_value
    copy 2``) and Canvas's resubmission (``01_value-1``); case aside. ``grade``, ``collect``
    and the Gradescope autograder all decide by this rule (through ``pick``).
    """
    found = _match(file_name, stems)
    return found.stem if found else None


def _usable(name: str) -> bool:
    """Whether ``name`` can be a learner's folder name and a CSV cell as it is."""
    return (
        bool(NAME_OK.fullmatch(name))
        and len(name) <= MAX_NAME
        and not name.startswith(".")
        and "/" not in name
        and "\\" not in name
    )


def _junk(name: str, is_dir: bool) -> bool:
    """What tools leave beside the work: never graded, never mentioned."""
    return name in (JUNK_DIRS if is_dir else JUNK_FILES) or name.startswith("._")


# --- files -------------------------------------------------------------------------------------


@dataclass
class Found:
    """One file of a learner's submission."""

    path: Path
    name: str  # its own name, an LMS's prefix taken off
    shown: str  # where it is, in the lines the instructor reads
    depth: int = 0
    order: int = 0  # Canvas's upload order (its file id), 0 when there is none
    mtime: int = 0


@dataclass
class Submission:
    """What one learner handed in, read from any layout."""

    learner: str
    key: str  # the order learners are listed in
    lms: dict[str, str] = field(default_factory=dict)
    notebooks: list[Found] = field(default_factory=list)  # .ipynb files, by any name
    others: list[Found] = field(default_factory=list)  # every other file, not graded
    notes: list[str] = field(default_factory=list)  # what was said while reading it
    problem: str = ""  # the whole submission is refused: one row says why
    lms_id: str = ""  # tells two learners of one name apart
    entries: int = 0  # files and folders read so far


def _mtime(entry: os.DirEntry) -> int:
    try:
        return entry.stat(follow_symlinks=False).st_mtime_ns
    except OSError:
        return 0


def _add_file(sub: Submission, path: Path, name: str, shown: str, depth: int, order: int, mtime):
    found = Found(path, name, shown, depth, order, mtime)
    is_notebook = name.lower().endswith(".ipynb") and not name.startswith(".")
    (sub.notebooks if is_notebook else sub.others).append(found)


def _read_tree(root: Path, sub: Submission, shown: str = "", depth: int = 0) -> None:
    """Every file under ``root`` into ``sub``, without following a link."""
    try:
        with os.scandir(root) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        sub.notes.append(f"{shown or './'}: cannot read the folder ({exc.strerror}): not graded")
        return
    for entry in entries:
        where = f"{shown}{entry.name}"
        sub.entries += 1
        if sub.entries > MAX_ENTRIES:
            sub.notes.append(f"{shown or './'}: over {MAX_ENTRIES} entries; the rest is unread")
            return
        if entry.is_symlink():
            if entry.name.lower().endswith(".ipynb"):  # graded as refused: a row says why
                _add_file(sub, Path(entry.path), entry.name, where, depth, 0, 0)
            else:
                sub.notes.append(f"{where}: a symbolic link, not followed: not graded")
        elif entry.is_dir(follow_symlinks=False):
            if _junk(entry.name, is_dir=True):
                continue
            if entry.name.startswith("."):
                sub.notes.append(f"{where}/: a hidden folder: not graded")
            elif depth >= MAX_DEPTH:
                sub.notes.append(f"{where}/: more than {MAX_DEPTH} folders deep: not graded")
            else:
                _read_tree(Path(entry.path), sub, f"{where}/", depth + 1)
        elif not _junk(entry.name, is_dir=False):
            _add_file(sub, Path(entry.path), entry.name, where, depth, 0, _mtime(entry))


def submission_in(folder: Path, learner: str = "learner") -> Submission:
    """Every file under ``folder`` as one learner's submission (Gradescope hands one in)."""
    sub = Submission(learner, learner)
    _read_tree(folder, sub)
    return sub


def _refused_folder(entry: os.DirEntry) -> str:
    if entry.is_symlink():
        return "the learner folder is a symbolic link: refused (copy the files instead)"
    if entry.name.startswith("."):
        return "hidden folder (its name starts with a dot): not graded; rename it to grade it"
    if not NAME_OK.fullmatch(entry.name) or len(entry.name) > MAX_NAME:
        return (
            f"unusable folder name (control characters or more than {MAX_NAME} characters): "
            "rename it to grade it"
        )
    return ""


# --- Gradescope's metadata --------------------------------------------------------------------


def _yaml_loader():
    """PyYAML's safe loader, also reading the Ruby-tagged values Gradescope may write."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    def untagged(loader, _suffix, node):
        if isinstance(node, yaml.MappingNode):
            return loader.construct_mapping(node, deep=True)
        if isinstance(node, yaml.SequenceNode):
            return loader.construct_sequence(node, deep=True)
        return loader.construct_scalar(node)

    for prefix in ("!", "tag:yaml.org,2002:ruby"):
        Loader.add_multi_constructor(prefix, untagged)
    return yaml, Loader


def _field(record: object, name: str) -> object:
    """``record[":name"]`` (Gradescope writes Ruby symbols) or ``record["name"]``."""
    if not isinstance(record, dict):
        return None
    return record.get(f":{name}", record.get(name))


def gradescope_metadata(path: Path, say: Callable[[str], None]) -> dict[str, list[dict]]:
    """Submitters by Gradescope submission id, from ``submission_metadata.yml``."""
    fallback = "learners are named by their submission folders"
    try:
        import yaml  # noqa: F401
    except ImportError:
        say(f"{METADATA}: PyYAML is missing (pip install 'micrograd-from-zero[grade]'): {fallback}")
        return {}
    try:
        raw, _ = read_regular(path, MAX_METADATA)
    except (NotRegular, OSError) as exc:
        say(f"{METADATA}: {getattr(exc, 'strerror', None) or exc}: {fallback}")
        return {}
    yaml, loader = _yaml_loader()
    try:
        data = yaml.load(raw.decode("utf-8", errors="replace"), Loader=loader)
    except yaml.YAMLError as exc:
        say(f"{METADATA}: not readable YAML ({str(exc).splitlines()[0][:120]}): {fallback}")
        return {}
    found: dict[str, list[dict]] = {}
    for key, record in (data if isinstance(data, dict) else {}).items():
        sub = GRADESCOPE_KEY.fullmatch(str(key))
        people = _field(record, "submitters")
        if sub and isinstance(people, list):
            found[sub["id"]] = [
                {k: str(_field(p, k)).strip() for k in ("name", "sid", "email") if _field(p, k)}
                for p in people
                if isinstance(p, dict)
            ]
    return found


def _gradescope(
    entry: os.DirEntry, sub_id: str, people: list[dict] | None, say
) -> list[Submission]:
    """One submission per submitter of the folder ``submission_<sub_id>/`` (groups share
    files)."""
    files = Submission(entry.name, entry.name, {"gradescope_submission": sub_id})
    _read_tree(Path(entry.path), files, f"{entry.name}/")
    if not people:
        say(f"{entry.name}: not named in {METADATA}: the learner is called {entry.name}")
        return [replace(files, lms_id=sub_id)]
    out = []
    for person in people:
        learner = next((person[k] for k in ("email", "sid") if _usable(person.get(k, ""))), "")
        if not learner:
            learner = entry.name
            say(f"{entry.name}: no usable email or SID in {METADATA}: called {learner}")
        lms = {"gradescope_submission": sub_id, **person}
        out.append(replace(files, learner=learner, key=learner, lms=lms, lms_id=sub_id))
    if len(people) > 1:
        names = ", ".join(s.learner for s in out)
        say(f"{entry.name}: a group submission ({names}): each of them gets its grades")
    return out


# --- the whole class ---------------------------------------------------------------------------


def _scan(folder: Path) -> list[os.DirEntry]:
    try:
        with os.scandir(folder) as it:
            return sorted(it, key=lambda e: e.name)
    except OSError as exc:
        raise GradingError(f"cannot read the submissions folder {folder}: {exc.strerror}") from exc


def _gradescope_wrapper(entries: list[os.DirEntry]) -> Path | None:
    """The one folder Gradescope's export zip puts everything in, when that is all there is."""
    real = [e for e in entries if not _junk(e.name, e.is_dir(follow_symlinks=False))]
    if len(real) != 1 or real[0].is_symlink() or not real[0].is_dir(follow_symlinks=False):
        return None
    inner = Path(real[0].path)
    try:
        return inner if stat.S_ISREG(os.lstat(inner / METADATA).st_mode) else None
    except OSError:
        return None


def _manifest(path: Path, say) -> dict[str, dict[str, str]]:
    """The LMS ids ``collect`` wrote beside the learner folders it made."""
    try:
        raw, _ = read_regular(path, MAX_METADATA)
        learners = json.loads(raw.decode("utf-8"))["learners"]
        return {
            str(k): {str(a): str(b) for a, b in v.items()}
            for k, v in learners.items()
            if isinstance(v, dict)
        }
    except (NotRegular, OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        say(f"{MANIFEST}: not readable ({exc}): learners get no LMS ids")
        return {}


def gather(folder: Path, say: Callable[[str], None] = print) -> list[Submission]:
    """Every learner's submission in ``folder``, whatever layout each entry is in.

    Lines about entries that are no learner's, or about how an entry was read, go to ``say``.
    """
    entries = _scan(folder)
    inner = _gradescope_wrapper(entries)
    if inner is not None:
        say(f"reading Gradescope's export in {inner.name}/")
        folder, entries = inner, _scan(inner)
    names = {e.name for e in entries}
    people = gradescope_metadata(folder / METADATA, say) if METADATA in names else {}
    ids = _manifest(folder / MANIFEST, say) if MANIFEST in names else {}
    by_key: dict[tuple[str, str], Submission] = {}
    subs: list[Submission] = []

    def lms_learner(kind: str, lms_id: str, learner: str, lms: dict) -> Submission:
        if (kind, lms_id) not in by_key:
            by_key[kind, lms_id] = Submission(printable(learner), learner, lms, lms_id=lms_id)
            subs.append(by_key[kind, lms_id])
        return by_key[kind, lms_id]

    for entry in entries:
        name, is_dir = entry.name, entry.is_dir(follow_symlinks=False)
        if _junk(name, is_dir) or name in (METADATA, MANIFEST):
            continue
        moodle, gs = MOODLE.fullmatch(name), GRADESCOPE.fullmatch(name)
        # Canvas's download is flat: a folder is a learner's, whatever its name
        canvas = None if moodle or is_dir else CANVAS_ANON.fullmatch(name) or CANVAS.fullmatch(name)
        if entry.is_symlink() and not canvas:
            subs.append(Submission(printable(name), name, problem=_refused_folder(entry)))
        elif moodle and (is_dir or moodle["rest"]):
            full, pid = moodle["name"].strip(), moodle["id"]
            sub = lms_learner(
                "moodle", pid, f"{full}_{pid}", {"moodle_participant": pid, "name": full}
            )
            if is_dir:
                _read_tree(Path(entry.path), sub, f"{name}/")
            else:
                _add_file(sub, Path(entry.path), moodle["rest"], name, 0, 0, _mtime(entry))
        elif gs and is_dir:
            subs += _gradescope(entry, gs["id"], people.get(gs["id"]), say)
        elif canvas:
            anon = canvas.groupdict().get("anon")
            if anon:
                sub = lms_learner("canvas", f"anon {anon}", f"anon_{anon}", {})
                sub.lms["canvas_anonymous_id"] = anon
            else:
                login, user = canvas["login"], canvas["user"]
                sub = lms_learner("canvas", user, login or f"canvas_{user}", {})
                sub.lms["canvas_user_id"] = user
            if canvas["late"]:
                sub.lms["canvas_late"] = "yes"
            order = int(canvas["file"])
            _add_file(sub, Path(entry.path), canvas["name"], name, 0, order, _mtime(entry))
        elif is_dir:
            refused = _refused_folder(entry)
            sub = Submission(printable(name) if refused else name, name, problem=refused)
            sub.lms = dict(ids.get(name, {}))
            if not refused:
                _read_tree(Path(entry.path), sub)
            subs.append(sub)
        elif text := CANVAS_TEXT.fullmatch(name):
            say(f"{name}: a Canvas text or link entry of user {text['user']}: not graded")
        elif name.startswith("."):
            say(f"{name}: a hidden file beside the submissions: not graded")
        else:
            say(f"{name}: a file in no learner's folder and in no LMS's naming: not graded")
    _tell_apart(subs, say)
    return sorted(subs, key=lambda s: s.key)


def _tell_apart(subs: list[Submission], say) -> None:
    """Two learners of one name (two Canvas users with one sortable name): add the LMS's id."""
    counts = Counter(s.learner for s in subs)
    for sub in subs:
        if counts[sub.learner] > 1 and sub.lms_id:
            renamed = printable(f"{sub.learner}_{sub.lms_id.replace(' ', '_')}")
            say(f"{sub.learner}: two learners of this name; this one is called {renamed}")
            sub.learner = sub.key = renamed


# --- which file is graded ----------------------------------------------------------------------


def pick(
    notebooks: list[Found], stems: Iterable[str]
) -> tuple[dict[str, Found], list[Found], list[str]]:
    """The file graded for each released notebook, the notebooks of no released name, and a
    line for each choice made.

    The exact name wins over renamed copies (in a Canvas download, Canvas's ``-N`` renaming
    of a file handed in again counts as the exact name, and the newest upload wins); among
    copies only, the newest: by the LMS's upload order, then the copy's number, then the
    modification time.
    """
    stems = list(stems)
    candidates: dict[str, list[tuple[Found, Named]]] = {}
    unknown = []
    for found in notebooks:
        named = _match(found.name, stems)
        if named is None:
            unknown.append(found)
        else:
            candidates.setdefault(named.stem, []).append((found, named))
    chosen, notes = {}, []
    for stem in stems:
        options = candidates.get(stem, [])
        if not options:
            continue
        exact = [(f, n) for f, n in options if n.exact or (n.resubmitted and f.order)]
        if exact:
            best = max(exact, key=lambda o: (o[0].order, -o[0].depth, o[0].mtime, o[0].shown))
            why = _why(best, exact, "its exact name", "uploads")
        else:
            best = max(options, key=lambda o: (o[0].order, o[1].number, o[0].mtime, o[0].shown))
            why = _why(best, options, "a renamed copy", "copies")
        chosen[stem] = best[0]
        rest = [f.shown for f, _ in options if f is not best[0]]
        if best[0].name != f"{stem}.ipynb" or rest:
            note = f"{stem}: graded {best[0].shown} ({why})"
            notes.append(note + (f"; not graded: {', '.join(rest)}" if rest else ""))
    return chosen, unknown, notes


def _why(best: tuple[Found, Named], among: list[tuple[Found, Named]], alone: str, kind: str) -> str:
    """Why ``best`` was taken, in a few words."""
    others = [o for o in among if o[0] is not best[0]]
    if not others:
        return alone
    newest = f"the newest of {len(among)} {kind}"
    if any(f.order != best[0].order for f, _ in others):
        return f"{newest} by Canvas's upload order"
    if kind == "uploads" and any(f.depth != best[0].depth for f, _ in others):
        return f"{alone}, the least deep in its folders"
    if kind == "copies" and any(n.number != best[1].number for _, n in others):
        return f"{newest} by its number"
    return f"{newest} by modification time"


def _near_miss(others: list[Found], stem: str) -> str:
    """A file that looks like ``stem`` saved in another format, for the learner's message."""
    for found in others:
        base = found.name.rsplit(".", 1)[0] if "." in found.name else found.name
        base = base[: -len(".ipynb")] if base.lower().endswith(".ipynb") else base
        if _match(base + ".ipynb", [stem]) is not None:
            return f" (there is {found.name}: hand in the .ipynb notebook itself)"
    return ""


def plan(
    submissions: Path, releases: dict[str, Release], say: Callable[[str], None] = print
) -> list[Job]:
    """One job per learner x released notebook, plus one per refused folder or unknown notebook.

    SUBMISSIONS is read in any layout ``gather`` knows; each file not graded, and each choice
    between copies, gets a line through ``say`` when it gets no row.
    """
    stems = list(releases)
    jobs = []
    for sub in gather(Path(submissions), say):
        if sub.problem:
            jobs.append(Job(sub.learner, "", None, sub.problem, dict(sub.lms)))
            continue
        chosen, unknown, notes = pick(sub.notebooks, stems)
        for line in sub.notes + notes:
            say(f"{sub.learner}: {line}")
        for other in sub.others:
            say(f"{sub.learner}: {other.shown}: not a notebook: not graded")
        for stem in stems:
            found = chosen.get(stem)
            problem = ""
            if not sub.notebooks:
                problem = "your submission holds no notebooks" + _near_miss(sub.others, stem)
            elif found is None:
                problem = f"no {stem}.ipynb in your submission" + _near_miss(sub.others, stem)
            jobs.append(Job(sub.learner, stem, found.path if found else None, problem, sub.lms))
        seen = set()
        for found in unknown:
            stem = printable(found.name[: -len(".ipynb")])
            if stem in seen:
                say(f"{sub.learner}: {found.shown}: a second notebook named {stem}: not graded")
                continue
            seen.add(stem)
            jobs.append(Job(sub.learner, stem, found.path, "unknown notebook name", sub.lms))
    return jobs


# --- `autograd-course collect` -----------------------------------------------------------------


def _describe(lms: dict[str, str]) -> str:
    parts = []
    if "canvas_user_id" in lms:
        parts.append(f"Canvas user {lms['canvas_user_id']}")
    if "canvas_anonymous_id" in lms:
        parts.append(f"Canvas anonymous {lms['canvas_anonymous_id']}")
    if lms.get("canvas_late"):
        parts.append("late")
    if "moodle_participant" in lms:
        parts.append(f"Moodle participant {lms['moodle_participant']}")
    if "gradescope_submission" in lms:
        parts.append(f"Gradescope submission {lms['gradescope_submission']}")
    return f" ({', '.join(parts)})" if parts else ""


def collect(
    src: Path, dest: Path, releases: dict[str, Release], say: Callable[[str], None] = print
) -> tuple[int, int]:
    """Copy SRC, in any layout ``plan`` reads, to ``DEST/<learner>/<NN_name>.ipynb``.

    Files are copied, never moved; DEST must be new or empty. One line per learner and per
    file not taken goes to ``say``; ``DEST/collected.json`` keeps the LMS's ids for the
    gradebooks. Returns (learners, notebooks copied).
    """
    src, dest = Path(src).absolute(), Path(dest).absolute()
    if not src.is_dir():
        raise GradingError(f"submissions folder not found: {src}")
    if dest.is_symlink() or (dest.exists() and not dest.is_dir()):
        raise GradingError(f"--out {dest} is not a folder: name a new or empty folder")
    if dest.exists() and any(dest.iterdir()):
        raise GradingError(f"--out {dest} is not empty: name a new or empty folder")
    real_src, real_dest = src.resolve(), dest.resolve()
    if real_dest == real_src or real_src in real_dest.parents or real_dest in real_src.parents:
        raise GradingError("--out must be outside the submissions folder, and not hold it")
    jobs = plan(src, releases, say)
    if not jobs:
        raise GradingError(f"no submissions in {src} (learner folders or an LMS's download)")
    try:
        dest.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise GradingError(f"cannot create --out {dest}: {exc.strerror}") from exc
    by_learner: dict[str, list[Job]] = {}
    for job in jobs:
        by_learner.setdefault(job.learner, []).append(job)
    manifest, copied = {}, 0
    for learner, mine in by_learner.items():
        lms = mine[0].lms
        if not mine[0].stem:
            say(f"{learner}: not collected: {mine[0].problem}")
            continue
        folder = dest / learner
        try:
            folder.mkdir()
        except OSError as exc:
            say(f"{learner}: not collected: cannot create {learner}/ ({exc.strerror})")
            continue
        taken, missing = [], []
        for job in mine:
            if job.path is None:
                missing.append(job.stem)
                continue
            where = job.path.relative_to(src) if src in job.path.parents else job.path.name
            try:
                data, info = read_regular(job.path)
                with open(folder / f"{job.stem}.ipynb", "xb") as fh:
                    fh.write(data)
                os.utime(folder / f"{job.stem}.ipynb", ns=(info.st_atime_ns, info.st_mtime_ns))
            except (NotRegular, OSError) as exc:
                say(f"{learner}: {where} not copied: {getattr(exc, 'strerror', None) or exc}")
                continue
            copied += 1  # a renamed file already has its line, from pick
            unknown = "" if job.stem in releases else " (not a notebook of this course)"
            taken.append(f"{job.stem}.ipynb{unknown}")
        if lms:
            manifest[learner] = lms
        line = f"{learner}{_describe(lms)}: " + (", ".join(taken) or "no notebook")
        say(line + (f"; missing: {', '.join(missing)}" if missing else ""))
    text = json.dumps({"learners": manifest}, indent=1, ensure_ascii=False, sort_keys=True)
    (dest / MANIFEST).write_text(text + "\n", encoding="utf-8")
    return sum(1 for mine in by_learner.values() if mine[0].stem), copied
