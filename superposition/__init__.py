"""Command line, artefacts and provenance for scaling-superposition (sits on top of theory, numerics, proofs)."""

from importlib import metadata

try:
    __version__ = metadata.version("scaling-superposition")
except metadata.PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"
