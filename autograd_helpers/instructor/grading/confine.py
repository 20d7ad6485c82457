"""Start one graded kernel inside its limits: ``python -m ...confine SPEC.json -- COMMAND...``.

Runs as the first process of the kernel's tree, outside the sandbox: it moves itself into
the run's control groups (memory and process limits over the whole tree), sets per-process
limits (address space, file size, no core dumps), drops to an unprivileged user when SPEC
says so (a user of the kernel's own, when the grader is root: then bubblewrap, too, starts
unprivileged), forbids gaining privileges again (no_new_privs), replaces the environment
with the minimal one in SPEC and then becomes COMMAND (bubblewrap, or the kernel itself).
"""

from __future__ import annotations

import json
import os
import resource
import sys


def main(argv: list[str]) -> None:
    spec_path, sep, *command = argv
    if sep != "--" or not command:
        raise SystemExit("usage: confine SPEC.json -- COMMAND...")
    with open(spec_path, encoding="utf-8") as fh:
        spec = json.load(fh)
    for procs in spec.get("cgroup_procs", []):
        with open(procs, "w", encoding="ascii") as fh:
            fh.write(str(os.getpid()))
    limit = spec["memory_bytes"]
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_FSIZE, (spec["file_bytes"], spec["file_bytes"]))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    _no_new_privileges()  # before the drop: the import below must read Python as root may
    if spec.get("cover"):  # no bubblewrap: hide the judges and the answers here
        _cover(spec["cover"], spec.get("expose") or [])
    uid = spec.get("uid")
    if uid is not None:  # last: joining control groups and setting limits needed root
        connection = spec.get("connection_file")
        if connection:  # written by the grader (root) just now: the kernel must read it
            os.chown(connection, uid, uid, follow_symlinks=False)
        command = _reachable_binds(command, spec.get("aliases") or "")
        os.setgroups([])
        os.setgid(uid)
        os.setuid(uid)
    os.execvpe(command[0], command, spec["env"])


def _cover(folders: list[str], keep: list[str]) -> None:
    """Cover ``folders`` with empty ones in a mount namespace of this tree's own, putting back
    a copy of each file in ``keep`` (the engine a notebook imports). Without the right to make
    mounts (a container that forbids them) the folders stay: the judges run outside the
    kernel anyway, and the grader said so when it chose the sandbox."""
    try:
        _private_mounts()
    except OSError:
        return
    kept = {}
    for path in keep:
        with open(path, "rb") as fh:
            kept[path] = fh.read()
    for folder in folders:
        mount("tmpfs", folder, MS_NOSUID | MS_NODEV, "tmpfs", "size=4m,mode=755")
    for path, content in kept.items():
        with open(path, "wb") as fh:
            fh.write(content)
        os.chmod(path, 0o644)


def _reachable_by_anyone(path: str) -> bool:
    """True when a user who owns nothing can reach ``path`` (every folder on the way o+x,
    a file at its end o+r)."""
    p = os.path.abspath(path)
    if os.path.isfile(p):
        try:
            if not os.stat(p).st_mode & 0o004:
                return False
        except OSError:
            return False
        p = os.path.dirname(p)
    while True:
        try:
            if not os.stat(p).st_mode & 0o001:
                return False
        except OSError:
            return False
        if p == "/":
            return True
        p = os.path.dirname(p)


def _reachable_binds(command: list[str], aliases: str) -> list[str]:
    """Bubblewrap's command with each bound folder the kernel's user cannot reach (e.g. a
    Python installed under /root) bound first, as root, at a reachable alias in ``aliases``.

    The aliases are bind mounts in a mount namespace of this process tree's own (private:
    nothing shows on the machine); bubblewrap, started as the kernel's user, binds them.
    """
    if not command or os.path.basename(command[0]) != "bwrap":
        return command
    out, k, made = [command[0]], 1, 0
    while k < len(command):
        arg = command[k]
        if arg == "--":
            return out + command[k:]
        if arg in ("--ro-bind", "--bind") and k + 2 < len(command):
            source = command[k + 1]
            if not _reachable_by_anyone(source):
                if made == 0:
                    _private_mounts()
                made += 1
                alias = os.path.join(aliases, str(made))
                if os.path.isfile(source):
                    os.close(os.open(alias, os.O_CREAT | os.O_WRONLY, 0o644))
                else:
                    os.mkdir(alias, 0o755)
                mount(source, alias, _MS_BIND | _MS_REC)
                source = alias
            out += [arg, source, command[k + 2]]
            k += 3
            continue
        out.append(arg)
        k += 1
    return out


_CLONE_NEWNS, _MS_BIND, _MS_REC, _MS_PRIVATE = 0x00020000, 4096, 16384, 1 << 18
MS_NOSUID, MS_NODEV, MS_NOEXEC = 2, 4, 8


def _libc():
    import ctypes

    return ctypes.CDLL(None, use_errno=True)


def _private_mounts() -> None:
    if _libc().unshare(_CLONE_NEWNS) != 0:
        raise _os_error("unshare(CLONE_NEWNS)")
    mount(None, "/", _MS_REC | _MS_PRIVATE)


def mount(
    source: str | None, target: str, flags: int, fstype: str | None = None, options: str = ""
) -> None:
    """mount(2); raises OSError."""
    encoded = [x.encode() if x else None for x in (source, target, fstype, options)]
    if _libc().mount(encoded[0], encoded[1], encoded[2], flags, encoded[3]) != 0:
        raise _os_error(f"mount {source} on {target}")


def unmount(target: str) -> None:
    """Detach the mount on ``target`` (even while a process still holds it)."""
    _libc().umount2(target.encode(), 2)  # MNT_DETACH


def _os_error(what: str) -> OSError:
    import ctypes

    code = ctypes.get_errno()
    return OSError(code, f"{what}: {os.strerror(code)}")


def _no_new_privileges() -> None:
    """No process of the tree can gain privileges (setuid files, file capabilities)."""
    try:
        _libc().prctl(38, 1, 0, 0, 0)  # PR_SET_NO_NEW_PRIVS
    except (OSError, AttributeError):
        pass  # not Linux: the uid drop above is what there is


if __name__ == "__main__":
    main(sys.argv[1:])
