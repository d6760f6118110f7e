"""What the sweeps share per trial: the signal model's nonzero values, and recovering a block of trial problems.

Both the phase-transition sweep (:mod:`numerics.phase_transition`) and the capacity sweep
(:mod:`numerics.capacity_scaling`) draw problems with :data:`SIGNAL_VALUES` and score them with
:func:`recover_trials`; neither imports the other.
"""

import numpy as np

from numerics.recovery import recover

#: Nonzero values of each signal model (theory.l1_phase_transition.SIGNALS): N(0, 1) signed, Uniform[0, 1) nonneg.
SIGNAL_VALUES = {"signed": "gaussian", "nonneg": "uniform"}


def recover_trials(settings, problems):
    """Recover ``problems`` with the sweep's solver, tolerance, signal model and iteration cap (none: the solver's).

    ``settings`` is a sweep configuration with ``solver``, ``tol``, ``signal`` and ``max_iter``
    (:class:`numerics.phase_transition.PhaseTransitionConfig` or :class:`numerics.capacity_scaling.CapacityConfig`).
    """
    with np.errstate(over="ignore", invalid="ignore"):  # iterates beyond the transition may diverge: failures
        return recover(problems, settings.solver, tol=settings.tol, nonnegative=settings.signal == "nonneg",
                       max_iter=settings.max_iter)
