"""``--solver``, ``--tol``, ``--max-iter``: the recovery options ``recover`` and the sweeps share, defined once.

``--tol`` is a float everywhere (:func:`superposition.cli.arguments.positive_float`): it is compared with float
relative errors and stored in the sweeps' configurations as a float, so parsing it as an exact rational would only
add a second type for the same number. ``--max-iter`` names the solvers that declare ``max_iter`` in ``accepts``
(:mod:`numerics.solvers.registry`); the others refuse it.
"""

from numerics.recovery import DEFAULT_TOL
from numerics.solvers.registry import CLASSES, SOLVERS
from superposition.cli import arguments


def iterative_solvers() -> str:
    """The solvers that take ``max_iter``, in words: ``"amp, fista and iht"``."""
    names = [name for name, cls in CLASSES.items() if "max_iter" in cls.accepts]
    return ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else "".join(names)


def add_solver_options(group) -> None:
    """Add ``--solver``, ``--tol`` and ``--max-iter`` to an argument group or parser."""
    group.add_argument("--solver", choices=SOLVERS, default="amp", help="recovery algorithm (default: amp)")
    group.add_argument("--tol", type=arguments.positive_float, default=DEFAULT_TOL,
                       help=f"success: relative l2 error < TOL (default: {DEFAULT_TOL:g})")
    group.add_argument("--max-iter", type=arguments.positive_int, default=None,
                       help=f"iteration cap of {iterative_solvers()} (default: each solver's own)")
