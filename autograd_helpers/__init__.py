"""Everything a learner imports that is not an answer: checks, graphs, gradcheck, plots."""

from importlib.metadata import PackageNotFoundError, version

try:  # one version, pyproject.toml's, as the installed distribution says it
    __version__ = version("micrograd-from-zero")
except PackageNotFoundError:  # imported from a source folder that was never installed
    __version__ = "0+unknown"
