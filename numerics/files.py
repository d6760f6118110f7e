"""Files on the host: atomic replacement, and the installed package's version (one answer for every caller).

>>> import tempfile, pathlib
>>> with tempfile.TemporaryDirectory() as folder:
...     path = write_atomic(pathlib.Path(folder) / "a.txt", b"done")
...     path.read_bytes(), sorted(p.name for p in pathlib.Path(folder).iterdir())
(b'done', ['a.txt'])
"""

import contextlib
import os
import tempfile
from importlib import metadata
from pathlib import Path

#: The version recorded when the package runs from a source tree that was never installed (PEP 440 local label).
UNKNOWN_VERSION = "0+unknown"


@contextlib.contextmanager
def atomic_path(path, suffix: str = ".tmp"):
    """Yield a temporary path in ``path``'s folder; on success rename it over ``path``, on failure remove it.

    A reader never sees half a file: the rename (``os.replace``) is atomic on one file system.
    """
    path = Path(path)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=suffix)
    os.close(handle)
    try:
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


def package_version() -> str:
    """The installed version of scaling-superposition, or :data:`UNKNOWN_VERSION`."""
    try:
        return metadata.version("scaling-superposition")
    except metadata.PackageNotFoundError:
        return UNKNOWN_VERSION
