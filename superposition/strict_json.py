"""Strict JSON for every output: no bare ``NaN`` or ``Infinity`` (which JSON does not allow).

A non-finite number becomes ``null``, and the document gets a ``null_reasons`` object mapping the path of each
such value to what it was, so a reader can tell a missing value from an undefined one.

>>> print(dumps_strict({"a": 1.0, "b": [float("nan"), float("inf")]}))
{"a": 1.0, "b": [null, null], "null_reasons": {"b[0]": "NaN (undefined)", "b[1]": "inf (overflowed or unbounded)"}}
"""

import json
import math

import numpy as np


def _reason(value: float) -> str:
    return "NaN (undefined)" if math.isnan(value) else f"{'-' if value < 0 else ''}inf (overflowed or unbounded)"


def finite_or_null(value, path: str = "", reasons: dict | None = None):
    """``value`` with every non-finite float (Python or NumPy, at any depth) replaced by None, noted in ``reasons``."""
    reasons = {} if reasons is None else reasons
    if isinstance(value, dict):
        return {key: finite_or_null(item, f"{path}.{key}" if path else str(key), reasons) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [finite_or_null(item, f"{path}[{index}]", reasons) for index, item in enumerate(value)]
    if isinstance(value, (float, np.floating)) and not math.isfinite(float(value)):
        reasons[path] = _reason(float(value))
        return None
    return value


def dumps_strict(payload, indent: int | None = None) -> str:
    """``payload`` as strict JSON (``allow_nan=False``); non-finite numbers as null with a ``null_reasons`` entry."""
    reasons = {}
    clean = finite_or_null(payload, "", reasons)
    if reasons and isinstance(clean, dict):
        clean = {**clean, "null_reasons": {**clean.get("null_reasons", {}), **reasons}}
    return json.dumps(clean, indent=indent, default=str, allow_nan=False)
