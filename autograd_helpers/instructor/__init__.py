"""Course tooling behind the ``autograd-course`` command: release, grading, the CLI.

Notebooks never import this package; it is for maintainers and instructors.
"""

import sys

# A faster start for every command. nbformat validates notebooks with jsonschema, which
# registers, as it is imported, a checker for each string format it can check. Where
# JupyterLab is installed, that includes IRIs through rfc3987-syntax, which builds a
# parser as it is imported: about a second for every process that reads a notebook (a
# grading run, `autograd-course check`, each Gradescope run). No notebook schema uses
# that format, so it is left out, unless something imported it already.
if "jsonschema" not in sys.modules:
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]  # None: import fails
