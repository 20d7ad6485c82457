"""Start one graded kernel inside its limits: ``python -m ...confine SPEC.json -- COMMAND...``.

Runs as the first process of the kernel's tree, outside the sandbox: it moves itself into
the run's control groups (memory and process limits over the whole tree), sets per-process
limits (address space, file size, no core dumps), drops to an unprivileged user when SPEC
says so, replaces the environment with the minimal one in SPEC and then becomes COMMAND
(bubblewrap, or the kernel itself).
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
    uid = spec.get("uid")
    if uid is not None:  # last: joining control groups and setting limits needed root
        os.setgroups([])
        os.setgid(uid)
        os.setuid(uid)
    os.execvpe(command[0], command, spec["env"])


if __name__ == "__main__":
    main(sys.argv[1:])
