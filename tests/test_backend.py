"""The backend module: names resolve to namespaces, CuPy is refused with the install hint where unusable."""

import importlib.util
import warnings

import numpy as np
import pytest

from numerics.backend import BACKENDS, CUPY_INSTALL_HINT, floating_dtype, from_numpy, resolve, to_numpy
from theory.validation import InvalidParameter


def cupy_usable() -> bool:
    try:
        resolve("cupy")
        return True
    except InvalidParameter:
        return False


@pytest.mark.parametrize("name", ["numpy", "array-api-strict"])
def test_host_backends_round_trip_arrays(name):
    backend = resolve(name)
    array = from_numpy(backend, np.arange(3.0))
    np.testing.assert_array_equal(to_numpy(array), np.arange(3.0))
    assert backend.device == "cpu"


def test_float32_is_allowed_and_float16_is_not():
    xp = resolve("numpy").xp
    assert from_numpy(resolve("numpy"), np.ones(2), "float32").dtype == np.float32
    assert floating_dtype(xp) == xp.float64
    with pytest.raises(InvalidParameter, match="must be one of float64, float32"):
        floating_dtype(xp, "float16")


def test_unknown_backend_names_the_choices():
    with pytest.raises(InvalidParameter, match="must be one of " + ", ".join(BACKENDS)):
        resolve("jax")


@pytest.mark.skipif(importlib.util.find_spec("cupy") is not None and cupy_usable(), reason="CuPy works here")
def test_cupy_when_unusable_is_one_error_with_the_install_hint_and_auto_falls_back_with_a_notice():
    with pytest.raises(InvalidParameter) as raised:
        resolve("cupy")
    assert CUPY_INSTALL_HINT in str(raised.value) and "\n" not in str(raised.value)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        backend = resolve("auto")
    assert backend.name == "numpy"
    assert any("using NumPy" in str(warning.message) for warning in caught)


@pytest.mark.gpu
def test_cupy_resolves_with_tf32_disabled():
    import os

    backend = resolve("cupy")
    assert backend.name == "cupy" and backend.device.startswith("cuda:")
    assert os.environ["CUPY_TF32"] == "0"
    assert to_numpy(from_numpy(backend, np.arange(3.0))).tolist() == [0.0, 1.0, 2.0]
