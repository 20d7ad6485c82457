"""Build the course's JupyterLite site (``make lite``): JupyterLab and a Python kernel (Pyodide)
running in the browser, the course preloaded, the learner notebooks as the site's files, the
site opening on the index notebook.

    python lite/build_site.py OUTPUT --pyodide DIR [--release RELEASE]

DIR is a Pyodide distribution: Pyodide's core, the course's wheel and the wheels of its
dependencies, and a ``pyodide-lock.json`` that lists them (``lite/distribution.py`` makes one;
``make lite`` passes it). Nothing is downloaded: the build runs offline.

RELEASE, when given, is Pyodide's full release of the same version, unpacked (the folder
``pyodide/`` of ``pyodide-VERSION.tar.bz2``; the GitHub Pages workflow downloads it). The
packages of it the notebooks import (numpy and matplotlib, with what they depend on) are added
to the site, so that notebooks 05, 07 and 08 plot in the browser; without it, those imports
fail (npm's Pyodide has no packages). What the site is made of lives in ``lite/site/``:

- ``jupyter-lite.json``: the site's settings: the kernel's Pyodide (``./static/pyodide/``) and
  the packages it loads when it starts (the course);
- ``jupyter_lite_config.json``: the build's options (the JupyterLab app only, no source maps);
- ``overrides.json``: JupyterLab's defaults in the browser, on top of the course's own
  (``binder/overrides.json``, which ``make lab`` and Binder use too).

It prints the site's size, and what it would be gzipped (as a web server may send it).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITE_CONFIG = ROOT / "lite" / "site"
NOTEBOOKS = ROOT / "notebooks"
COURSE_SETTINGS = ROOT / "binder" / "overrides.json"
KERNEL_PLUGIN = "@jupyterlite/pyodide-kernel-extension:kernel"
# The compiled packages the notebooks import, taken from Pyodide's release (with their
# dependencies) when one is given: numpy (05, 07, 08) and matplotlib (the plots).
FROM_RELEASE = ("numpy", "matplotlib")
# What the site's root address opens: JupyterLab on the index notebook. (JupyterLite's own
# root page opens JupyterLab on no notebook.) Each app page reads the configuration script
# of every index.html above it: this page keeps an empty one, as JupyterLite's did.
START = "lab/index.html?path=index.ipynb"
START_PAGE = f"""\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Micrograd from zero</title>
<script id="jupyter-config-data" type="application/json" data-jupyter-lite-root=".">
{{}}
</script>
<script>window.location.replace("{START}");</script>
</head>
<body><p><a href="{START}">Open the course (JupyterLab in your browser)</a></p></body>
</html>
"""


class SiteError(Exception):
    """The site cannot be built as asked; the message says why and what to do."""


def preloaded_packages() -> list[str]:
    """The packages the kernel loads when it starts (``lite/site/jupyter-lite.json``)."""
    config = json.loads((SITE_CONFIG / "jupyter-lite.json").read_text(encoding="utf-8"))
    settings = config["jupyter-config-data"]["litePluginSettings"][KERNEL_PLUGIN]
    return settings["loadPyodideOptions"]["packages"]


def check_distribution(pyodide: Path) -> None:
    """``pyodide`` is a Pyodide distribution whose lock has every preloaded package."""
    if not pyodide.is_dir():
        raise SiteError(f"no Pyodide distribution at {pyodide}: run `make lite-deps` first")
    missing = [f for f in ("pyodide.mjs", "pyodide-lock.json") if not (pyodide / f).is_file()]
    if missing:
        raise SiteError(f"{pyodide} is not a Pyodide distribution: no {', '.join(missing)}")
    lock = json.loads((pyodide / "pyodide-lock.json").read_text(encoding="utf-8"))
    packages = lock.get("packages", {})
    for name in preloaded_packages():
        entry = packages.get(name)
        if entry is None:
            raise SiteError(
                f"{pyodide}/pyodide-lock.json has no package {name!r}, which "
                "lite/site/jupyter-lite.json preloads: rebuild the distribution (make lite-deps)"
            )
        wheel = pyodide / entry["file_name"]
        if not wheel.is_file():
            raise SiteError(f"{pyodide} lacks {entry['file_name']}, the lock's {name!r}")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def release_files(lock: dict, wanted: tuple[str, ...] = FROM_RELEASE) -> dict[str, str]:
    """{file name: sha256} of the packages ``wanted`` and all they depend on, in ``lock``."""
    packages = lock["packages"]
    found, todo = {}, list(wanted)
    while todo:
        name = todo.pop()
        if name in found:
            continue
        if name not in packages:
            raise SiteError(f"Pyodide's lock has no package {name!r}")
        found[name] = packages[name]
        todo.extend(packages[name].get("depends", []))
    return {entry["file_name"]: entry["sha256"] for entry in found.values()}


def add_release_packages(pyodide: Path, release: Path) -> list[str]:
    """Copy into the distribution ``pyodide`` the release's files of :data:`FROM_RELEASE`
    and their dependencies that it lacks, each checked against the distribution's lock."""
    if not (release / "pyodide-lock.json").is_file():
        raise SiteError(f"{release} is not Pyodide's release (no pyodide-lock.json)")
    lock = json.loads((pyodide / "pyodide-lock.json").read_text(encoding="utf-8"))
    theirs = json.loads((release / "pyodide-lock.json").read_text(encoding="utf-8"))
    for key in ("version", "python", "abi_version"):  # npm's lock has no version
        ours, version = lock["info"].get(key), theirs["info"].get(key)
        if ours and version and ours != version:
            raise SiteError(f"{release} is Pyodide's {key} {version}, the distribution's {ours}")
    added = []
    for name, sha256 in sorted(release_files(lock).items()):
        if (pyodide / name).exists():
            continue
        source = release / name
        if not source.is_file():
            raise SiteError(f"{release} lacks {name}, which the lock lists")
        if _sha256(source) != sha256:
            raise SiteError(f"{source} is not the file the lock lists (sha256 differs)")
        shutil.copy2(source, pyodide / name)
        added.append(name)
    return added


def _copy_tree(source: Path, dest: Path) -> None:
    """A copy of ``source`` at ``dest`` (hard links where the file system allows them)."""

    def link_or_copy(src: str, dst: str) -> None:
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)

    shutil.copytree(source, dest, copy_function=link_or_copy)


def stage(lite_dir: Path, pyodide: Path, release: Path | None = None) -> None:
    """Lay out the build's input folder: configuration, settings, notebooks, Pyodide."""
    for name in ("jupyter-lite.json", "jupyter_lite_config.json"):
        shutil.copy2(SITE_CONFIG / name, lite_dir / name)
    settings = json.loads(COURSE_SETTINGS.read_text(encoding="utf-8"))
    for plugin, values in json.loads((SITE_CONFIG / "overrides.json").read_text()).items():
        settings.setdefault(plugin, {}).update(values)
    (lite_dir / "overrides.json").write_text(json.dumps(settings, indent=2) + "\n")
    contents = lite_dir / "contents"  # jupyter_lite_config.json names this folder
    contents.mkdir()
    notebooks = sorted(NOTEBOOKS.glob("*.ipynb"))
    if not (NOTEBOOKS / "index.ipynb").is_file():
        raise SiteError(f"no {NOTEBOOKS / 'index.ipynb'}: run `make notebooks` first")
    for notebook in notebooks:
        shutil.copy2(notebook, contents / notebook.name)
    _copy_tree(pyodide, lite_dir / "static" / "pyodide")
    if release is not None:
        add_release_packages(lite_dir / "static" / "pyodide", release)


def build(output: Path, pyodide: Path, release: Path | None = None) -> None:
    """Build the site into ``output`` (replaced), with the Pyodide distribution ``pyodide``
    (and the packages the notebooks import from Pyodide's ``release``, if given)."""
    pyodide, output = pyodide.resolve(), output.resolve()
    release = release.resolve() if release else None
    check_distribution(pyodide)
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lite-", dir=output.parent) as scratch:
        lite_dir = Path(scratch) / "lite"
        lite_dir.mkdir()
        stage(lite_dir, pyodide, release)
        fresh = Path(scratch) / "site"
        command = [
            sys.executable, "-m", "jupyterlite_core", "build",
            "--lite-dir", str(lite_dir), "--output-dir", str(fresh),
        ]  # fmt: skip
        # cwd: the build's own database (.jupyterlite.doit.db) stays in the scratch folder
        run = subprocess.run(command, cwd=lite_dir, capture_output=True, text=True)
        if run.returncode != 0:
            raise SiteError(f"jupyter lite build failed:\n{run.stdout[-3000:]}{run.stderr[-3000:]}")
        maps = sorted(str(p.relative_to(fresh)) for p in fresh.rglob("*.map"))
        if maps:
            raise SiteError(f"source maps left in the site: {maps[:5]}")
        (fresh / "index.html").write_text(START_PAGE, encoding="utf-8")
        if output.exists():
            shutil.rmtree(output)
        fresh.rename(output)


def measure(site: Path) -> dict[str, int]:
    """The site's number of files, bytes, and bytes once each file is gzipped (level 6)."""
    files = [p for p in site.rglob("*") if p.is_file()]
    size = sum(p.stat().st_size for p in files)
    gzipped = sum(len(gzip.compress(p.read_bytes(), compresslevel=6)) for p in files)
    return {"files": len(files), "bytes": size, "gzip_bytes": gzipped}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("output", type=Path, help="the site's folder (replaced)")
    parser.add_argument("--pyodide", type=Path, required=True, help="a Pyodide distribution")
    parser.add_argument("--release", type=Path, help="Pyodide's full release, unpacked")
    args = parser.parse_args(argv)
    try:
        build(args.output, args.pyodide, args.release)
    except SiteError as error:
        print(f"lite: {error}", file=sys.stderr)
        return 1
    size = measure(args.output)
    print(
        f"lite: built {args.output}: {size['files']} files, {size['bytes'] / 1e6:.1f} MB "
        f"({size['gzip_bytes'] / 1e6:.1f} MB gzipped); it opens on {START}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
