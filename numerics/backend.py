"""The one place that decides the array namespace: NumPy, CuPy or array-api-strict.

Modelled on PyLops' ``utils/backend.py``. Everything else in :mod:`numerics` receives an ``xp`` namespace
(from :func:`array_api_compat.array_namespace` on its inputs, or from :func:`resolve`) and never imports
NumPy or CuPy for array work itself. Host/device transfers happen only at the edges (:func:`to_numpy`).

>>> backend = resolve("numpy")
>>> backend.name, backend.device
('numpy', 'cpu')
"""

import importlib
import warnings
from dataclasses import dataclass

import numpy as np
from array_api_compat import array_namespace

from theory.validation import InvalidParameter

BACKENDS = ("numpy", "cupy", "auto", "array-api-strict")
CUPY_INSTALL_HINT = "pip install 'scaling-superposition[gpu]' (CuPy for CUDA 12) on a machine with an NVIDIA GPU"


@dataclass(frozen=True)
class Backend:
    """An array namespace and a description of where it computes."""

    name: str
    xp: object
    device: str


def _cupy_backend() -> Backend:
    """CuPy on the current device; raises RuntimeError with the reason when unusable."""
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
        import array_api_compat.numpy as xp

        return Backend("numpy", xp, "cpu")
    if name == "cupy":
        try:
            return _cupy_backend()
        except RuntimeError as error:
            raise InvalidParameter("--backend", f"cupy is not usable: {error}; install with: {CUPY_INSTALL_HINT}") from None
    if name == "auto":
        try:
            return _cupy_backend()
        except RuntimeError as error:
            warnings.warn(f"backend auto: using NumPy on the CPU, {error}", stacklevel=2)
            return resolve("numpy")
    if name == "array-api-strict":
        import array_api_strict as xp

        return Backend("array-api-strict", xp, "cpu")
    raise InvalidParameter("--backend", f"must be one of {', '.join(BACKENDS)}, got {name!r}")


def namespace_of(*arrays):
    """The array-API namespace of ``arrays`` (all must share one)."""
    return array_namespace(*arrays)


def to_numpy(array) -> np.ndarray:
    """Copy an array of any supported backend to a NumPy array on the host (the only device-to-host edge)."""
    if hasattr(array, "get"):  # CuPy
        return array.get()
    return np.asarray(array)
