"""The memory budget: each command's peak memory, estimated before anything is allocated, against one limit.

Every command that allocates arrays whose size a user chooses asks this module first: an :class:`Estimate` of
its peak (the large arrays only, float64 = 8 bytes per entry unless stated, times the temporaries the code
really makes) is checked by :func:`check_fits` against a :class:`MemoryLimit`, and a peak above the limit is
refused in one line naming the parameter that sets the size, the estimate and the limit, with the largest
``batch`` that would fit where one would. The limit is ``max_memory`` or :data:`DEFAULT_FRACTION` of the
memory available now: host memory (``MemAvailable`` of ``/proc/meminfo``, capped by ``ulimit -v``), and on CuPy
also the device's free memory.

The estimates are upper-side approximations (a few temporaries more than the code keeps alive at once), not
measurements: they exist to refuse requests off by orders of magnitude (a TiB sensing matrix), not to pack
memory to the last byte. Counts of repetitions (``trials``, ``steps``) never enter: long jobs are legitimate.

>>> limit = MemoryLimit(2**30, "set by `max_memory`")
>>> check_fits(recover_peak(m=100, n=200, batch=1000, shared_matrix=False), limit).bytes < 2**30
True
>>> check_fits(recover_peak(m=1000, n=2000, batch=1000, shared_matrix=False), limit)
Traceback (most recent call last):
...
theory.validation.InvalidParameter: batch needs about 29.9 GiB for 1000 sensing matrices of 1000 x 2000 ...
"""

import math
import os
import resource
import stat
import sys
from dataclasses import dataclass
from pathlib import Path

from theory.validation import InvalidParameter

#: Share of the memory available now that a command may plan to use by default.
DEFAULT_FRACTION = 0.5
#: Bytes per float64 entry.
FLOAT = 8
#: Bytes of Python objects per byte of a shapes CSV (rows become dataclasses, checks, payload dicts; measured
#: about 20 on the shipped file, doubled).
CSV_OBJECT_FACTOR = 40


def format_bytes(count: float) -> str:
    """``count`` bytes in the largest binary unit that keeps a number >= 1.

    >>> format_bytes(512), format_bytes(3 * 2**30), format_bytes(1.5 * 2**50)
    ('512 B', '3.0 GiB', '1.5 PiB')
    """
    for unit in ("PiB", "TiB", "GiB", "MiB", "KiB"):
        scale = 2 ** (10 * ("KMGTP".index(unit[0]) + 1))
        if count >= scale:
            return f"{count / scale:.1f} {unit}"
    return f"{int(count)} B"


@dataclass(frozen=True)
class MemoryLimit:
    """How many bytes a command may plan to use, and where that number comes from (for the error message)."""

    bytes: int
    source: str


def host_available_bytes() -> int:
    """Host memory available now: ``MemAvailable`` from /proc/meminfo (else physical memory), capped by ``ulimit -v``."""
    available = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                available = int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    if available is None:
        try:
            available = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        except (OSError, ValueError, AttributeError):
            available = 2**63
    address_space, _ = resource.getrlimit(resource.RLIMIT_AS)
    if address_space != resource.RLIM_INFINITY:
        available = min(available, address_space)
    return int(available)


def device_free_bytes() -> int | None:
    """Free memory of the current CuPy device, or None where CuPy is not in use."""
    cupy = sys.modules.get("cupy")
    if cupy is None:
        return None
    free, _ = cupy.cuda.runtime.memGetInfo()
    return int(free)


def memory_limit(max_memory: int | None = None, backend: str = "numpy") -> MemoryLimit:
    """``max_memory`` bytes, or :data:`DEFAULT_FRACTION` of the host memory available (and of the device's on CuPy)."""
    if max_memory is not None:
        return MemoryLimit(int(max_memory), "set by `max_memory`")
    host = host_available_bytes()
    limit = MemoryLimit(int(DEFAULT_FRACTION * host),
                        f"{DEFAULT_FRACTION:.0%} of the {format_bytes(host)} of host memory available; "
                        "`max_memory` sets another")
    device = device_free_bytes() if backend == "cupy" else None
    if device is not None and DEFAULT_FRACTION * device < limit.bytes:
        limit = MemoryLimit(int(DEFAULT_FRACTION * device),
                            f"{DEFAULT_FRACTION:.0%} of the {format_bytes(device)} free on the GPU; `max_memory` sets another")
    return limit


@dataclass(frozen=True)
class Estimate:
    """A peak of ``copies * (fixed + per_item * items)`` bytes, set by ``parameter``, for ``what``.

    ``items`` is the batch (problems or samples held at once) and ``batch_parameter`` the parameter that sets it: a
    refusal names the batch parameter and the largest batch that fits when one does, else ``parameter``;
    ``copies`` counts workers holding a cell each.
    """

    parameter: str
    what: str
    fixed: int
    per_item: int = 0
    items: int = 1
    batch_parameter: str | None = None
    copies: int = 1

    @property
    def bytes(self) -> int:
        return self.copies * (self.fixed + self.per_item * self.items)

    def largest_batch(self, limit: int) -> int | None:
        """The largest batch below ``items`` within ``limit``, or None when none (or no batch parameter) would do."""
        if self.batch_parameter is None or self.per_item == 0:
            return None
        batch = (limit // self.copies - self.fixed) // self.per_item
        return int(batch) if 1 <= batch < self.items else None


def check_fits(estimate: Estimate, limit: MemoryLimit) -> Estimate:
    """Return ``estimate`` if it fits in ``limit``; otherwise raise InvalidParameter (one line, see module docstring)."""
    if estimate.bytes <= limit.bytes:
        return estimate
    batch = estimate.largest_batch(limit.bytes)
    hint = f"; `{estimate.batch_parameter}` {batch} would fit" if batch else ""
    workers = f" ({estimate.copies} workers at once)" if estimate.copies > 1 else ""
    raise InvalidParameter(estimate.batch_parameter if batch else estimate.parameter,
                           f"needs about {format_bytes(estimate.bytes)} for {estimate.what}{workers}, above the memory "
                           f"limit of {format_bytes(limit.bytes)} ({limit.source}){hint}")


def recover_peak(*, m: int, n: int, batch: int, shared_matrix: bool, dtype: str = "float64") -> Estimate:
    """``recover``: every problem is drawn at once, then solved in chunks.

    Matrices: m n entries, one or ``batch``; drawing divides a fresh array by √m, so twice that at the peak.
    Per problem besides its matrix: the signal (drawing keeps about 4 arrays of n: uniforms, order, values,
    result), its estimate and the estimate's concatenation (2 n), measurements and the solver's residual (2 m).
    float32 adds a cast copy of half the size.
    """
    cast = 1.5 if dtype == "float32" else 1.0
    matrix = 2 * FLOAT * m * n
    per_signal = int(cast * FLOAT * (6 * n + 2 * m))
    if shared_matrix:
        return Estimate("n", f"{batch} signals of length {n} beside one {m} x {n} sensing matrix",
                        fixed=int(cast * matrix), per_item=per_signal, items=batch, batch_parameter="batch")
    return Estimate("batch", f"{batch} sensing matrices of {m} x {n} and their signals", fixed=0,
                    per_item=int(cast * matrix) + per_signal, items=batch, batch_parameter="batch")


def solver_workspace(m: int, n: int, batch: int) -> int:
    """Bytes of an iterative solver's state for ``batch`` problems: about 8 vectors of length n + m each."""
    return 8 * FLOAT * (n + m) * batch


def phase_transition_peak(*, n: int, m: int, batch: int, workers: int = 1) -> Estimate:
    """``phase-transition``: one cell per worker, its trials ``batch`` at a time, at the largest m = round(δ n).

    Each trial's problem is drawn alone (its matrix twice, while divided by √m) and the batch is then
    concatenated: two copies of the batch's matrices, plus the solver's state.
    """
    return Estimate("n", f"sensing matrices of {m} x {n}, {batch} per solver call", fixed=2 * FLOAT * m * n,
                    per_item=2 * FLOAT * m * n + solver_workspace(m, n, 1), items=batch, batch_parameter="batch",
                    copies=workers)


def capacity_peak(*, m: int, n: int, batch: int, workers: int = 1) -> Estimate:
    """``capacity``: one shared m x n matrix (twice while divided by √m) and ``batch`` Bernoulli signals per call.

    A signal takes about 4 arrays of n while drawn (uniforms, support, values, result) and the solver's state.
    ``n`` is the largest n the bracket is expected to try (see :func:`capacity_largest_n`).
    """
    return Estimate("m_grid", f"a {m} x {n} sensing matrix (n up to 4 m f_l1(p)) and {batch} signals per call",
                    fixed=2 * FLOAT * m * n, per_item=4 * FLOAT * n + solver_workspace(m, n, 1), items=batch,
                    batch_parameter="batch", copies=workers)


def capacity_largest_n(m: int, ratio: float, max_ratio: int) -> int:
    """The largest n a capacity cell is expected to try: 4 m f_l1(p), at most ``max_ratio`` m.

    The bracket doubles n from 2m while recovery succeeds, so it stops below 2 m f_l1(p) when ℓ1 theory holds;
    a factor 2 more allows for finite-size scatter. ``ratio`` is f_l1(p) (infinite or NaN: use ``max_ratio``).

    >>> capacity_largest_n(100, 5.2, 4096)
    2080
    """
    if not math.isfinite(ratio):
        return max_ratio * m
    return int(min(max_ratio * m, math.ceil(4 * ratio * m)))


def toy_peak(*, instances: int, n: int, m: int, batch_size: int, chunk_entries: int, parameter: str = "n") -> Estimate:
    """Toy training: ``instances`` models of W (m x n) and b (n) trained at once on batches of ``batch_size``.

    Per sample and instance: the data stream's chunk and the batch copied out of it (2 n), and the step's
    temporaries (pre-activation, output, residual, weighted residual, mask, gradient: about 9 n; hidden and its
    gradient: about 3 m). Parameters: W, b, their gradients, AdamW's two moments and the updated copies (about
    8 of each). The stream holds at least ``chunk_entries`` entries per instance.
    """
    per_sample = FLOAT * instances * (11 * n + 3 * m)
    parameters = FLOAT * instances * 8 * (m * n + n)
    chunk = FLOAT * instances * chunk_entries
    return Estimate(parameter, f"{instances} toy models of {m} x {n} trained on batches of {batch_size}",
                    fixed=parameters + chunk, per_item=per_sample, items=batch_size, batch_parameter="batch_size")


def willshaw_peak(*, m: int, trials: int, probes: int, capacity: float) -> Estimate:
    """``willshaw`` at its largest m: ``trials`` m x m float32 weight matrices and the stored pairs.

    Storing keeps the old and new memory, the coincidence counts and their 0/1 cast (4 matrices of 4 bytes per
    entry); the pairs of one store (inputs and outputs, up to the bracket's 2 x ``capacity`` pairs of m units,
    4 bytes each, on the host and the backend) and retrieval of ``probes`` cues (cues, sums, outputs).
    """
    weights = 4 * 4 * trials * m * m
    pairs = 2 * 2 * 4 * trials * int(2 * capacity) * m
    retrieval = 3 * 4 * trials * probes * m
    return Estimate("m_max", f"{trials} Willshaw memories of {m} x {m} and their stored pairs",
                    fixed=weights + pairs + retrieval)


#: The peak resident memory of one process running every ``verify`` stage, rounded up: measured 353 MiB (GNU time's
#: maximum resident set of ``superposition verify --jobs 1``, NumPy backend, this version). The stages run at fixed
#: sizes, so only the number of processes moves it.
VERIFY_PROCESS_BYTES = 400 * 2**20


def verify_peak(*, workers: int) -> Estimate:
    """``verify``: this process and ``workers`` forked workers (0 when the stages run here), each counted at one
    process's peak :data:`VERIFY_PROCESS_BYTES` (an upper side: forked pages are shared until written).

    >>> format_bytes(verify_peak(workers=2).bytes)
    '1.2 GiB'
    """
    return Estimate("jobs", f"{workers} verify worker processes beside this one", fixed=VERIFY_PROCESS_BYTES,
                    per_item=VERIFY_PROCESS_BYTES, items=workers, batch_parameter="jobs")


def csv_peak(path, parameter: str = "data") -> Estimate:
    """Reading a CSV of shapes: :data:`CSV_OBJECT_FACTOR` bytes of objects per byte of file.

    Only a regular file has a size to check: a device or pipe (``/dev/zero``) is refused here.
    """
    try:
        status = os.stat(path)
    except OSError as error:
        raise InvalidParameter(parameter, f"must be a readable UTF-8 CSV file, got {str(path)!r} ({error.strerror})") from None
    if not stat.S_ISREG(status.st_mode):
        raise InvalidParameter(parameter, f"must be a regular CSV file, got {str(path)!r} (not a regular file)")
    return Estimate(parameter, f"the {format_bytes(status.st_size)} CSV file {str(path)!r}",
                    fixed=CSV_OBJECT_FACTOR * status.st_size)
