"""Provenance recorded on every artefact: command, package version, git commit, seed, backend, device.

>>> record = collect(seed=7, backend="numpy", device="cpu")
>>> sorted(record) == sorted(PROVENANCE_KEYS)
True
"""

import datetime
import functools
import os
import platform
import shlex
import subprocess
import sys
from pathlib import Path

from superposition import __version__

PROVENANCE_KEYS = (
    "command", "package", "version", "git_commit", "timestamp", "python", "platform", "seed", "backend", "device",
)


@functools.cache
def git_commit() -> str:
    """The commit of the source tree the package runs from (``-dirty`` if modified), else of the CWD's checkout.

    ``SUPERPOSITION_GIT_COMMIT`` overrides both, for installs that carry no ``.git``.
    """
    if os.environ.get("SUPERPOSITION_GIT_COMMIT"):
        return os.environ["SUPERPOSITION_GIT_COMMIT"]
    for folder in (Path(__file__).resolve().parent.parent, Path.cwd()):
        if not (folder / "theory" / "model_table.py").exists():
            continue
        try:
            head = subprocess.run(
                ["git", "-C", str(folder), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=5
            )
            if head.returncode != 0:
                continue
            dirty = subprocess.run(
                ["git", "-C", str(folder), "status", "--porcelain", "--untracked-files=no"],
                capture_output=True, text=True, timeout=5,
            ).stdout.strip()
            return head.stdout.strip() + ("-dirty" if dirty else "")
        except (OSError, subprocess.SubprocessError):
            continue
    return "unknown"


def collect(seed=None, backend=None, device=None) -> dict:
    """A provenance record for an artefact made now by this process."""
    return {
        "command": shlex.join([Path(sys.argv[0]).name, *sys.argv[1:]]) if sys.argv and sys.argv[0] else "python",
        "package": "scaling-superposition",
        "version": __version__,
        "git_commit": git_commit(),
        "timestamp": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "seed": seed,
        "backend": backend,
        "device": device,
    }
