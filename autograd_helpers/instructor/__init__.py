"""Course tooling behind the ``autograd-course`` command: release, grading, the CLI.

Notebooks never import this package; it is for maintainers and instructors.
"""
