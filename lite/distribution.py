"""An offline Pyodide distribution with the course in it: the runtime of the course in a browser.

Usage (from anywhere; paths are the checkout's)::

    python lite/distribution.py --download     # fetch what the build needs (npm ci comes first)
    python lite/distribution.py DIR            # write DIR, with no network
    python lite/distribution.py DIR --packages-url URL

``make lite-deps`` runs ``npm ci`` in lite/ and then ``--download``, which fetches into
``.cache/lite/`` the wheels pinned (with their sha256) in ``lite/requirements.txt`` for
Pyodide's Python and platform, the build backend pinned in ``lite/build-requirements.txt``, and
the JupyterLite kernel of ``lite/kernel-requirements.txt`` (for lite/run_notebook.mjs, which runs
cells with its Python side: ``.cache/lite/kernel/*.whl``).

``DIR`` is then written from those files alone (it is created, or refreshed in place):

* the core of the npm ``pyodide`` package pinned in ``lite/package.json`` (the version the
  JupyterLite Pyodide kernel loads by default): ``pyodide.mjs``, ``pyodide.js``,
  ``pyodide.asm.mjs``, ``pyodide.asm.wasm``, ``python_stdlib.zip``;
* the course's wheel, built from this checkout, with Graphviz compiled to WebAssembly
  (``@viz-js/viz``'s ``dist/viz-global.js``, MIT; Graphviz itself is EPL-1.0) added as
  ``autograd_helpers/viz/viz-global.js``: ``draw_dot`` draws with it where ``dot`` cannot run;
* the pure-Python wheels of ``lite/requirements.txt`` (graphviz, tqdm, ipywidgets, IPython and
  its dependencies, jedi, micropip); not widgetsnbextension and jupyterlab_widgets, whose only
  content is the front end's JavaScript (JupyterLite's own build serves it);
* ``pyodide-lock.json``: Pyodide's lock with an entry (name, version, file_name, sha256,
  depends, imports, package_type, install_dir) for each of these wheels, replacing Pyodide's
  own entry of the same name. The course is the entry ``micrograd-from-zero``.

So, in Node or a page: ``loadPyodide({indexURL: DIR})`` then
``await pyodide.loadPackage("micrograd-from-zero")`` installs the course and its dependencies
from DIR alone. matplotlib (and numpy) are not in DIR: their Pyodide builds are served only by
Pyodide's own package server, not by a package registry. The course's entry does not depend on
them; a cell that imports them loads them through the lock, which finds them only with
``--packages-url URL`` (every lock entry whose file is not in DIR then points to URL + its
file name, e.g. Pyodide's package server for this version).

Prints one line per file written; exits with a message naming the missing step (e.g. "run
make lite-deps") when something it needs is not there.
"""

from __future__ import annotations

import argparse
import base64
import csv
import email.parser
import hashlib
import io
import json
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from pip._vendor.packaging.markers import Marker  # pip is the one dependency besides stdlib
from pip._vendor.packaging.requirements import Requirement
from pip._vendor.packaging.utils import canonicalize_name

LITE = Path(__file__).resolve().parent
ROOT = LITE.parent
PYODIDE = LITE / "node_modules" / "pyodide"
VIZ_JS = LITE / "node_modules" / "@viz-js" / "viz" / "dist" / "viz-global.js"
CACHE = ROOT / ".cache" / "lite"
WHEELS = CACHE / "wheels"  # the wheels of requirements.txt, for Pyodide's platform
BUILD = CACHE / "build"  # the build backend of the course's wheel
REQUIREMENTS = LITE / "requirements.txt"
BUILD_REQUIREMENTS = LITE / "build-requirements.txt"
KERNEL_REQUIREMENTS = LITE / "kernel-requirements.txt"
KERNEL = CACHE / "kernel"  # the JupyterLite kernel's own wheels, for lite/run_notebook.mjs
# ipywidgets' dependencies that hold only the front end's JavaScript (JupyterLite's build puts
# it in the page): nothing Python imports, so not shipped (2.4 MB less to download).
FRONT_END_ONLY = {"widgetsnbextension", "jupyterlab-widgets"}
CORE = ["pyodide.mjs", "pyodide.js", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip"]
COURSE = "micrograd-from-zero"
VIZ_IN_WHEEL = "autograd_helpers/viz/viz-global.js"  # graph.py reads it from there
FETCH_HINT = "run `make lite-deps` (it needs the npm and Python package registries)"


class Missing(SystemExit):
    """Something the build needs is not there: the message says which step makes it."""


def _pinned_pyodide() -> str:
    return json.loads((LITE / "package.json").read_text())["dependencies"]["pyodide"]


def _lock_source() -> dict:
    """npm pyodide's lock, after checking that node_modules holds the pinned version."""
    package = PYODIDE / "package.json"
    if not package.is_file():
        raise Missing(f"lite/node_modules/pyodide is missing: {FETCH_HINT}")
    found, pinned = json.loads(package.read_text())["version"], _pinned_pyodide()
    if found != pinned:
        raise Missing(f"lite/node_modules has pyodide {found}, lite/package.json pins {pinned}: "
                      f"{FETCH_HINT}")  # fmt: skip
    return json.loads((PYODIDE / "pyodide-lock.json").read_text())


def _target(lock: dict) -> tuple[str, str]:
    """Pyodide's Python ("3.14") and wheel platform tag ("pyemscripten_2026_0_wasm32")."""
    info = lock["info"]
    python = ".".join(info["python"].split(".")[:2])
    return python, f"pyemscripten_{info['abi_version']}_{info['arch']}"


def _pins(path: Path) -> dict[str, tuple[str, str]]:
    """{canonical name: (version, sha256)} of a file of ``name==version --hash=sha256:...``."""
    pins = {}
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, version = line.split()[0].partition("==")
            digest = re.search(r"--hash=sha256:([0-9a-f]{64})", line)
            if not version or digest is None:
                raise SystemExit(f"{path.name}: {line!r} is not `name==version --hash=sha256:...`")
            pins[canonicalize_name(name)] = (version, digest.group(1))
    return pins


def download() -> None:
    """Fetch the pinned wheels into .cache/lite (the one step that needs a package registry)."""
    python, platform = _target(_lock_source())
    pip = [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary", ":all:",
           "--require-hashes"]  # fmt: skip
    subprocess.run(
        [*pip, "-r", str(REQUIREMENTS), "-d", str(WHEELS), "--python-version", python,
         "--platform", platform, "--implementation", "py", "--abi", "none"],
        check=True,
    )  # fmt: skip
    subprocess.run([*pip, "-r", str(BUILD_REQUIREMENTS), "-d", str(BUILD)], check=True)
    subprocess.run([*pip, "-r", str(KERNEL_REQUIREMENTS), "-d", str(KERNEL)], check=True)
    name, (version, _) = next(iter(_pins(KERNEL_REQUIREMENTS).items()))
    for stale in KERNEL.glob("*.whl"):  # another kernel's, from before a change of the pin
        if not stale.name.startswith(f"{name.replace('-', '_')}-{version}-"):
            stale.unlink()
    with zipfile.ZipFile(_wheel_of(KERNEL, name, version)) as zf:  # its pypi/ folder's wheels
        for inner in zf.namelist():
            if re.search(r"/static/pypi/(pyodide_kernel|ipykernel)-[^/]+\.whl$", inner):
                (KERNEL / inner.rsplit("/", 1)[1]).write_bytes(zf.read(inner))
    print(f"wheels for Pyodide (Python {python}, {platform}) in {WHEELS.relative_to(ROOT)}")


def _wheel_of(directory: Path, name: str, version: str, sha256: str | None = None) -> Path:
    """The wheel of ``name==version`` in ``directory`` (checked against ``sha256`` if given)."""
    stem = f"{canonicalize_name(name).replace('-', '_')}-{version}-"
    found = [w for w in directory.glob("*.whl") if w.name.lower().startswith(stem)]
    if not found:
        raise Missing(f"{name}=={version} is not in {directory.relative_to(ROOT)}: {FETCH_HINT}")
    if sha256 is not None and hashlib.sha256(found[0].read_bytes()).hexdigest() != sha256:
        raise Missing(
            f"{found[0].name} does not have the pinned sha256: delete it, then {FETCH_HINT}"
        )
    return found[0]


def _record_line(path: str, data: bytes) -> list[str]:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return [path, f"sha256={digest}", str(len(data))]


def add_to_wheel(wheel: Path, files: dict[str, bytes]) -> None:
    """Add ``files`` (path in the wheel: content) to ``wheel``, its RECORD updated."""
    with zipfile.ZipFile(wheel) as old:
        entries = [(info, old.read(info)) for info in old.infolist()]
    record = next(i.filename for i, _ in entries if i.filename.endswith(".dist-info/RECORD"))
    rows = [
        row
        for row in csv.reader(
            io.StringIO(dict((i.filename, d) for i, d in entries)[record].decode())
        )
        if row and row[0] not in files and row[0] != record
    ]
    rows += [_record_line(path, data) for path, data in files.items()]
    rows.append([record, "", ""])  # RECORD lists itself, without a hash
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    tmp = wheel.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as new:
        for info, data in entries:
            if info.filename != record and info.filename not in files:
                new.writestr(info, data)
        for path, data in files.items():
            new.writestr(path, data)
        new.writestr(record, out.getvalue())
    tmp.replace(wheel)


def build_course_wheel(out: Path) -> Path:
    """The course's wheel from this checkout, with the Graphviz WebAssembly build inside."""
    if not VIZ_JS.is_file():
        raise Missing(f"lite/node_modules/@viz-js/viz is missing: {FETCH_HINT}")
    if not any(BUILD.glob("setuptools-*.whl")):
        raise Missing(f"the build backend is not in {BUILD.relative_to(ROOT)}: {FETCH_HINT}")
    with tempfile.TemporaryDirectory() as tmp:
        # built from a copy: setuptools writes build/ and *.egg-info into the tree it builds
        source = Path(tmp) / "source"
        source.mkdir()
        for name in ("pyproject.toml", "README.md"):
            shutil.copyfile(ROOT / name, source / name)
        for package in ("autograd_helpers", "solutions"):
            shutil.copytree(
                ROOT / package, source / package,
                ignore=shutil.ignore_patterns("__pycache__", "*.ipynb", ".ipynb_checkpoints"),
            )  # fmt: skip
        subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-index",
             "--find-links", str(BUILD), "-w", tmp, str(source)],
            check=True,
        )  # fmt: skip
        (built,) = Path(tmp).glob("*.whl")
        add_to_wheel(built, {VIZ_IN_WHEEL: VIZ_JS.read_bytes()})
        target = out / built.name
        shutil.copyfile(built, target)
    return target


def _metadata(wheel: Path) -> tuple[str, str, list[str], list[str]]:
    """Name, version, requirements (Requires-Dist) and top-level import names of a wheel."""
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        info = next(n.split("/")[0] for n in names if re.match(r"[^/]+\.dist-info/METADATA$", n))
        meta = zf.read(f"{info}/METADATA").decode()
        top = f"{info}/top_level.txt"
        imports = zf.read(top).decode().split() if top in names else []
    if not imports:  # no top_level.txt: the wheel's top-level packages and modules
        firsts = {n.split("/")[0] for n in names if "/" in n} | {n for n in names if "/" not in n}
        imports = sorted(
            f.removesuffix(".py")
            for f in firsts
            if f.removesuffix(".py").isidentifier()  # not *.dist-info, *.data, *.pth
        )
    fields = email.parser.HeaderParser().parsestr(meta)
    requires = [r.strip() for r in fields.get_all("Requires-Dist") or []]
    return fields["Name"].strip(), fields["Version"].strip(), requires, sorted(set(imports))


def _runtime_depends(requires: list[str], environment: dict[str, str]) -> list[str]:
    """The names a wheel needs at run time under Pyodide (markers evaluated for it, no extras)."""
    names = []
    for text in requires:
        req = Requirement(text)
        if req.marker is None or Marker(str(req.marker)).evaluate({**environment, "extra": ""}):
            names.append(canonicalize_name(req.name))
    return names


def _environment(lock: dict) -> dict[str, str]:
    python = lock["info"]["python"]
    return {
        "python_version": ".".join(python.split(".")[:2]),
        "python_full_version": python,
        "sys_platform": "emscripten",
        "platform_system": "Emscripten",
        "platform_machine": "wasm32",
        "os_name": "posix",
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
        "platform_release": "",
        "platform_version": "",
        "implementation_version": python,
    }


def write(target: Path, packages_url: str | None = None) -> dict:
    """Write the distribution into ``target``; returns the lock written."""
    lock = _lock_source()
    target.mkdir(parents=True, exist_ok=True)
    for name in CORE:
        shutil.copyfile(PYODIDE / name, target / name)
    wheels = [_wheel_of(WHEELS, name, *pin) for name, pin in _pins(REQUIREMENTS).items()]
    for wheel in wheels:
        shutil.copyfile(wheel, target / wheel.name)
    wheels = [target / w.name for w in wheels] + [build_course_wheel(target)]
    shipped = {w.name for w in wheels}
    for stale in target.glob("*.whl"):  # from an earlier run: a version no longer pinned
        if stale.name not in shipped:
            stale.unlink()

    environment = _environment(lock)
    entries = {}
    for wheel in wheels:
        name, version, requires, imports = _metadata(wheel)
        entries[canonicalize_name(name)] = {
            "name": canonicalize_name(name),
            "version": version,
            "file_name": wheel.name,
            "install_dir": "site",
            "sha256": hashlib.sha256(wheel.read_bytes()).hexdigest(),
            "package_type": "package",
            "imports": imports,
            "depends": _runtime_depends(requires, environment),
            "unvendored_tests": False,
        }
    packages = lock["packages"]
    for key, entry in entries.items():
        kept = []
        for dep in entry["depends"]:
            if dep in FRONT_END_ONLY:
                continue
            if dep in entries:
                kept.append(dep)
            elif dep in packages:  # matplotlib: loaded when a cell imports it, not with the course
                print(f"{key}: {dep} is left out of its depends (not in this distribution)")
            else:
                raise Missing(f"{key} needs {dep}, which neither lite/requirements.txt nor "
                              "Pyodide's lock has: add it to lite/requirements.txt")  # fmt: skip
        entry["depends"] = kept
        packages.pop(key, None)
    packages.update(entries)
    if packages_url:
        base = packages_url.rstrip("/") + "/"
        for entry in packages.values():
            if entry["file_name"] not in shipped and "://" not in entry["file_name"]:
                entry["file_name"] = base + entry["file_name"]
    lock["packages"] = dict(sorted(packages.items()))
    (target / "pyodide-lock.json").write_text(json.dumps(lock, indent=1, sort_keys=True) + "\n")
    for name in [*CORE, *sorted(shipped), "pyodide-lock.json"]:
        print(f"{target / name}  {(target / name).stat().st_size:,} bytes")
    return lock


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dir", nargs="?", type=Path, help="the folder to write")
    parser.add_argument("--download", action="store_true", help="fetch what DIR is made of")
    parser.add_argument("--packages-url", help="where the lock's packages not in DIR are found")
    args = parser.parse_args(argv)
    if args.download:
        download()
    if args.dir is not None:
        write(args.dir, args.packages_url)
    elif not args.download:
        parser.error("give DIR, or --download")
    return 0


if __name__ == "__main__":
    sys.exit(main())
