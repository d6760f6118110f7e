"""``--backend numpy|cupy|auto``: the option every numerical command shares, and its resolution.

The choice itself is made by :func:`numerics.backend.resolve` (the one place that decides); here an ``auto``
that falls back to NumPy becomes a one-line notice on stderr instead of a Python warning.
"""

import warnings

from numerics.backend import resolve
from superposition.cli import output

#: What a user may ask for (array-api-strict is for tests only).
BACKEND_CHOICES = ("numpy", "cupy", "auto")


def add_backend_option(group, what: str = "array backend") -> None:
    """Add ``--backend`` to an argument group or parser."""
    group.add_argument("--backend", choices=BACKEND_CHOICES, default="numpy",
                       help=f"{what}: numpy, cupy (needs a CUDA GPU and the [gpu] extra) or auto "
                            "(CuPy when usable, else NumPy) (default: numpy)")


def resolve_backend(name: str):
    """The backend called ``name``; an unusable ``cupy`` raises InvalidParameter (exit 2), ``auto`` may notice."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        backend = resolve(name)
    for warning in caught:
        output.notice(f"notice: {warning.message}")
    return backend
