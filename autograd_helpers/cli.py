"""The ``autograd-course`` command: release notebooks, grade a class, check the environment."""

import argparse
import sys


def main(argv=None):
    parser = argparse.ArgumentParser(prog="autograd-course", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    rel = sub.add_parser("release", help="write notebooks/ from solutions/notebooks/")
    rel.add_argument("--check", action="store_true", help="only list stale files; exit 1 if any")
    args = parser.parse_args(argv)
    if args.command == "release":
        from autograd_helpers.release import main as release_main

        return release_main(check=args.check)
    return 2


if __name__ == "__main__":
    sys.exit(main())
