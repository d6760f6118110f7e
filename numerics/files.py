"""Files on the host: atomic replacement, and the installed package's version (one answer for every caller).

>>> import tempfile, pathlib
>>> with tempfile.TemporaryDirectory() as folder:
...     path = write_atomic(pathlib.Path(folder) / "a.txt", b"done")
...     path.read_bytes(), sorted(p.name for p in pathlib.Path(folder).iterdir())
(b'done', ['a.txt'])
"""

import contextlib
import os
import re
import tempfile
from importlib import metadata
from pathlib import Path

from numerics.host import file_mode

#: The version recorded when the package runs from a source tree that was never installed (PEP 440 local label).
UNKNOWN_VERSION = "0+unknown"

#: A temporary file of :func:`atomic_path`: ``.NAME.PID.RANDOM.SUFFIX`` (older versions wrote no PID).
TEMPORARY = re.compile(r"^\..+?(?:\.(?P<pid>\d+))?\.[A-Za-z0-9_]+\.tmp$")


@contextlib.contextmanager
def atomic_path(path, suffix: str = ".tmp"):
    """Yield a temporary path in ``path``'s folder; on success rename it over ``path``, on failure remove it.

    A reader never sees half a file: the rename (``os.replace``) is atomic on one file system. The temporary name
    carries this process's PID (so :func:`remove_stale_temporary_files` can tell a dead writer's file from a live
    one) and gets the mode the umask gives a new file (``mkstemp`` alone would make it owner-only).
    """
    path = Path(path)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{os.getpid()}.", suffix=suffix)
    os.close(handle)
    try:
        os.chmod(temporary, file_mode())
        yield Path(temporary)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_atomic(path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file and ``os.replace``; returns ``path``."""
    path = Path(path)
    with atomic_path(path) as temporary:
        temporary.write_bytes(data)
    return path


def process_running(pid: int) -> bool:
    """Whether a process with this PID exists (one we may not signal counts as running)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_temporary_files(folder: Path) -> list[Path]:
    """Remove the temporary files in ``folder`` whose writer is no longer running (or unknown); returns them."""
    removed = []
    for path in Path(folder).glob(".*.tmp"):
        match = TEMPORARY.match(path.name)
        if match and (match["pid"] is None or not process_running(int(match["pid"]))):
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def package_version() -> str:
    """The installed version of scaling-superposition, or :data:`UNKNOWN_VERSION`."""
    try:
        return metadata.version("scaling-superposition")
    except metadata.PackageNotFoundError:
        return UNKNOWN_VERSION
