"""Command line, artefacts and provenance for scaling-superposition (sits on top of theory, numerics, proofs)."""

from numerics.files import package_version

__version__ = package_version()
