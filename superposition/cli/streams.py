"""The standard streams at the edges of a run: narrow terminal encodings and a closed or full stdout.

Kept apart from :mod:`superposition.cli.output` (which imports rich) so the entry point can use them without
slowing ``--help``.
"""

import os
import sys


def tolerate_narrow_encodings() -> None:
    """Print characters the terminal's encoding lacks (PYTHONIOENCODING=ascii) as '?' instead of failing."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")


def discard_stdout() -> None:
    """Point stdout at the null device, so that the interpreter's final flush cannot fail again (closed pipe, full disk)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
