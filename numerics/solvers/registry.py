"""The solvers by name, built from the classes' own ``name``; the one place that maps and refuses solver options.

Adding a solver: its module (a class satisfying :class:`numerics.solvers.base.Solver`), one entry in
:data:`CLASSES`, and its tests.

>>> SOLVERS
('amp', 'fista', 'omp', 'iht', 'lp')
>>> check_options("lp", {"max_iter": 10})
Traceback (most recent call last):
...
theory.validation.InvalidParameter: max_iter is not an option of solver 'lp' (it accepts none)
>>> check_options("omp", {"max_iter": None, "rtol": 1e-9})
{'rtol': 1e-09}
"""

from numerics.solvers.amp import AMP
from numerics.solvers.fista import FISTA
from numerics.solvers.iht import IHT
from numerics.solvers.lp import LinearProgram
from numerics.solvers.omp import OMP
from theory.validation import InvalidParameter, check_choice

#: Every solver class, in the order outputs list them.
CLASSES = {cls.name: cls for cls in (AMP, FISTA, OMP, IHT, LinearProgram)}
#: Solver names, derived from the classes.
SOLVERS = tuple(CLASSES)


def solver_class(solver: str):
    """The class called ``solver``; InvalidParameter naming ``solver`` otherwise."""
    return CLASSES[check_choice("solver", solver, SOLVERS)]


def check_options(solver: str, options: dict) -> dict:
    """The options that were given (value not None), refusing any that ``solver`` does not declare in ``accepts``."""
    accepts = solver_class(solver).accepts
    given = {name: value for name, value in options.items() if value is not None}
    for name in given:
        if name not in accepts:
            raise InvalidParameter(name, f"is not an option of solver {solver!r} "
                                         f"(it accepts {', '.join(accepts) if accepts else 'none'})")
    return given


def build_solver(solver: str, *, m: int, n: int, sparsity: int, nonnegative: bool = False, **options):
    """(instance, options used): the solver with the given options checked and completed from the problem."""
    cls = solver_class(solver)
    completed = cls.complete_options(check_options(solver, options), m=m, n=n, sparsity=int(sparsity),
                                     nonnegative=nonnegative)
    return cls(nonnegative=nonnegative, **completed), completed
