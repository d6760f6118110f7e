"""The one place that decides the array namespace: NumPy, CuPy or array-api-strict.

Modelled on PyLops' ``utils/backend.py``. Everything else in :mod:`numerics` receives an ``xp`` namespace
(from :func:`array_api_compat.array_namespace` on its inputs, or from :func:`resolve`) and never imports
NumPy or CuPy for array work itself. Host/device transfers happen only at the edges (:func:`from_numpy`,
:func:`to_numpy`). Float64 is the default; float32 is allowed (:data:`DTYPES`) and is stated in every output
that uses it. TF32 is never enabled: CuPy is imported with ``CUPY_TF32=0``.

>>> backend = resolve("numpy")
>>> backend.name, backend.device
('numpy', 'cpu')
"""

import importlib
import os
import sys
import warnings
from dataclasses import dataclass

import array_api_compat.numpy as numpy_namespace
import numpy as np
from array_api_compat import array_namespace, is_cupy_array

from theory.validation import InvalidParameter, check_choice

BACKENDS = ("numpy", "cupy", "auto", "array-api-strict")
CUPY_INSTALL_HINT = "pip install 'scaling-superposition[gpu]' (CuPy for CUDA 12) on a machine with an NVIDIA GPU"
#: Floating-point types a computation may run in; the first is the default.
DTYPES = ("float64", "float32")


@dataclass(frozen=True)
class Backend:
    """An array namespace and a description of where it computes."""

    name: str
    xp: object
    device: str


def _cupy_backend() -> Backend:
    """CuPy on the current device; raises RuntimeError with the reason when unusable."""
    os.environ["CUPY_TF32"] = "0"  # never TF32: matmuls keep full float32/float64 precision
    try:
        cupy = importlib.import_module("cupy")
    except ImportError as error:
        raise RuntimeError(f"CuPy is not installed ({error})") from None
    try:
        count = cupy.cuda.runtime.getDeviceCount()
        if count < 1:
            raise RuntimeError("no CUDA device")
        properties = cupy.cuda.runtime.getDeviceProperties(cupy.cuda.Device().id)
        name = properties["name"].decode() if isinstance(properties["name"], bytes) else str(properties["name"])
    except Exception as error:  # CUDA raises its own types; any failure means "unusable"
        raise RuntimeError(f"CuPy cannot use a GPU ({error})") from None
    import array_api_compat.cupy as xp

    return Backend("cupy", xp, f"cuda:{cupy.cuda.Device().id} ({name})")


def resolve(name: str = "numpy") -> Backend:
    """The backend called ``name``: numpy, cupy (error if unusable), auto (CuPy if usable, else NumPy), array-api-strict."""
    if name == "numpy":
        return Backend("numpy", numpy_namespace, "cpu")
    if name == "cupy":
        try:
            return _cupy_backend()
        except RuntimeError as error:
            raise InvalidParameter("backend", f"cupy is not usable: {error}; install with: {CUPY_INSTALL_HINT}") from None
    if name == "auto":
        try:
            return _cupy_backend()
        except RuntimeError as error:
            warnings.warn(f"backend auto: using NumPy on the CPU, {error}", stacklevel=2)
            return resolve("numpy")
    if name == "array-api-strict":
        import array_api_strict as xp

        return Backend("array-api-strict", xp, "cpu")
    raise InvalidParameter("backend", f"must be one of {', '.join(BACKENDS)}, got {name!r}")


def as_backend(backend) -> Backend:
    """``backend`` itself if it is a :class:`Backend`, else the backend that name resolves to (:func:`resolve`)."""
    return backend if isinstance(backend, Backend) else resolve(backend)


def namespace_of(*arrays):
    """The array-API namespace of ``arrays`` (all must share one).

    One NumPy array is answered at once (what :func:`array_api_compat.array_namespace` returns for it): the
    solvers ask every iteration, and the general lookup costs microseconds a call.
    """
    if len(arrays) == 1 and type(arrays[0]) is np.ndarray:
        return numpy_namespace
    return array_namespace(*arrays)


def to_numpy(array) -> np.ndarray:
    """Copy an array of any supported backend to a NumPy array on the host (the only device-to-host edge)."""
    if is_cupy_array(array):
        return array.get()
    return np.asarray(array)


def floating_dtype(xp, name: str = "float64"):
    """The floating dtype called ``name`` (one of :data:`DTYPES`) in namespace ``xp``.

    >>> floating_dtype(resolve("numpy").xp, "float32").__name__
    'float32'
    """
    return getattr(xp, check_choice("dtype", name, DTYPES))


def from_numpy(backend: Backend, array, dtype: str | None = None):
    """Copy a host (NumPy) array onto ``backend`` (the only host-to-device edge), optionally casting to ``dtype``.

    >>> from_numpy(resolve("array-api-strict"), np.ones(2), "float32").dtype
    array_api_strict.float32
    """
    xp = backend.xp
    host = np.asarray(array)
    return xp.asarray(host, dtype=floating_dtype(xp, dtype) if dtype else None)


def synchronize(array) -> None:
    """Wait until the device has finished computing ``array`` (a no-op on the CPU); call before reading a clock."""
    if is_cupy_array(array):
        sys.modules["cupy"].cuda.get_current_stream().synchronize()


def is_out_of_memory(error: BaseException) -> bool:
    """Whether ``error`` says the device (CuPy's ``OutOfMemoryError``) or the host ran out of memory."""
    return isinstance(error, MemoryError) or type(error).__name__ == "OutOfMemoryError"


def release_device_memory() -> None:
    """Return CuPy's cached blocks to the device after an out-of-memory error (nothing to do without CuPy)."""
    cupy = sys.modules.get("cupy")
    if cupy is not None:
        cupy.get_default_memory_pool().free_all_blocks()


def device_batch_limit(backend: Backend, bytes_per_problem: int, fraction: float = 0.5) -> int | None:
    """How many problems fit in ``fraction`` of the free device memory (None on the host: no limit)."""
    cupy = sys.modules.get("cupy")
    if backend.name != "cupy" or cupy is None:
        return None
    free, _ = cupy.cuda.runtime.memGetInfo()
    return max(1, int(free * fraction // max(1, bytes_per_problem)))
