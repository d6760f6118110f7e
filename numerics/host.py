"""Host (CPU) settings: BLAS threads and malloc retention (fast small batched products), and the file mode umask gives.

The first two are process-wide and applied by entry points (the CLI, benchmarks), never on import.
"""

import contextlib
import ctypes
import ctypes.util
import os

from threadpoolctl import threadpool_limits


def blas_thread_limit(threads: int | None):
    """A context limiting host BLAS to ``threads`` threads (threadpoolctl); a null context for None."""
    if threads is None:
        return contextlib.nullcontext()
    return threadpool_limits(limits=threads, user_api="blas")


def retain_freed_memory(threshold_bytes: int = 1 << 25) -> bool:
    """Ask glibc's malloc to keep freed memory instead of returning it to the OS; True if applied.

    Every training step allocates a dozen temporaries of (instances x batch x n) floats; with glibc's defaults,
    freed blocks of that size go back to the OS and the next step page-faults them in again, which triples the
    CPU time of a step. A process-wide setting: entry points (the CLI, benchmarks) call it, importing does not.
    No effect (False) where the C library is not glibc.
    """
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    trim_threshold, mmap_threshold = -1, -3  # M_TRIM_THRESHOLD, M_MMAP_THRESHOLD from <malloc.h>
    return bool(mallopt(trim_threshold, 8 * threshold_bytes)) and bool(mallopt(mmap_threshold, threshold_bytes))


def file_mode() -> int:
    """The mode a new file gets from the umask (0o666 & ~umask): what temporary files are set to before renaming.

    ``tempfile.mkstemp`` creates files readable by their owner only; artefacts should be as readable as any file
    the user creates.
    """
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask
