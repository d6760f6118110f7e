"""``superposition phase-transition``: success probability over a (δ, ρ) grid against the Donoho–Tanner curve.

For each cell (δ, ρ): ``--trials`` problems with n unknowns, m = round(δ n) measurements and k = round(ρ m)
nonzeros, a Wilson 95% interval of the success rate; per δ, the 50% point of a logistic fit beside the theory
ρ(δ) (Donoho, Maleki & Montanari 2009, eq. 5) and the largest deviation. Artefacts: heatmap with the theory
curve (PDF, PNG), the cells as CSV and JSON, a LaTeX table of the transition points vs theory.
"""

import functools

import numpy as np

from numerics.memory import phase_transition_peak
from numerics.phase_transition import PhaseTransitionConfig, analyse, default_batch, evaluate_cell
from superposition.checks import Check
from superposition.cli import arguments
from superposition.cli.sweep_options import add_execution_options, add_recovery_options, run_experiment, verify_sweep
from superposition.reports import phase_transition as report
from theory.l1_phase_transition import SIGNALS
from theory.validation import parse_float

DEFAULT_OUT = "phase-transition-output"
DEFAULT_DELTAS = "0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9"
DEFAULT_RHOS = ",".join(f"{value:.2f}" for value in np.arange(1, 20) / 20)
#: The small verify run: its size, and how far its fitted transitions may lie from ρ(δ) at that size.
VERIFY_SIZE = {"n": 100, "deltas": (0.25, 0.5, 0.75), "rhos": tuple(np.arange(1, 20) / 20), "trials": 16}
#: AMP at n = 100 lands up to 0.025 from rho(delta) over seeds 1-4 and the default (finite size); 0.05 is twice
#: that and still far below the gap between the signal models (rho(0.5) is 0.386 signed, 0.558 nonnegative).
VERIFY_TOLERANCE = 0.05
#: Where it comes from, in the check's words: not chosen before any run, so the detail also shows the measured
#: 10-90% widths of the transition at this n, the finite-size effect the tolerance stands for.
VERIFY_TOLERANCE_SOURCE = ("set after runs at n = 100 (seeds 1-4 and the default landed within 0.025; twice that), "
                           "not before them; compare the measured 10-90% widths")


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "phase-transition",
        description=__doc__.split("\n\n")[1].replace("\n", " ").replace("``", ""),
    )
    grid = parser.add_argument_group("grid")
    grid.add_argument("--n", type=arguments.positive_int, default=400, help="unknowns per problem (default: 400)")
    grid.add_argument("--deltas", type=arguments.comma_list(str), default=DEFAULT_DELTAS.split(","), metavar="D,D,...",
                      help=f"undersampling ratios delta = m/n in (0, 1] (default: {DEFAULT_DELTAS})")
    grid.add_argument("--rhos", type=arguments.comma_list(str), default=DEFAULT_RHOS.split(","), metavar="R,R,...",
                      help="sparsity ratios rho = k/m in (0, 1] (default: 0.05, 0.10, ..., 0.95)")
    grid.add_argument("--rho-window", type=arguments.probability_open, default=None, metavar="W",
                      help="at each delta keep only the rhos within W of the theory rho(delta) (default: all)")
    grid.add_argument("--trials", type=arguments.positive_int, default=20, help="problems per cell (default: 20)")
    solver = add_recovery_options(parser)
    solver.add_argument("--batch", type=arguments.positive_int, default=None,
                        help="problems per solver call (default: all trials of a cell, within 64 MiB of matrices)")
    add_execution_options(parser, DEFAULT_OUT)
    parser.set_defaults(run=run)


def build_config(args, backend) -> PhaseTransitionConfig:
    return PhaseTransitionConfig(
        n=args.n, deltas=tuple(parse_float("deltas", text) for text in args.deltas),
        rhos=tuple(parse_float("rhos", text) for text in args.rhos), trials=args.trials, solver=args.solver,
        signal=args.signal, tol=args.tol, backend=backend.name, seed=args.seed, batch=args.batch,
        max_iter=args.max_iter, rho_window=args.rho_window,
    )


def memory_peak(config: PhaseTransitionConfig, workers: int):
    """The peak of a cell at the largest delta (the largest m), with its trials per solver call."""
    m = config.sizes(max(config.deltas), 1.0)[0]
    return phase_transition_peak(n=config.n, m=m, batch=min(config.trials, config.batch or default_batch(config, m)),
                                 workers=workers)


def run(args) -> int:
    return run_experiment(args, build_config, evaluate_cell, analyse, report, memory_peak=memory_peak,
                          problems_of=lambda config, result: result["trials"])


def verify_checks(analysis) -> list[Check]:
    """The fitted transitions of a small run against ρ(δ), within :data:`VERIFY_TOLERANCE`."""
    signal = analysis.config.signal
    deviations = ", ".join(f"delta {t.delta:.2f}: {t.rho_fitted:.3f} vs {t.rho_theory:.3f}, width {t.width:.3f}"
                           for t in analysis.transitions)
    return [
        Check(f"phase_transition.{signal}.bracketed", all(t.bracketed for t in analysis.transitions),
              "the success rate crosses 50% inside the rho grid at every delta"),
        Check(f"phase_transition.{signal}.deviation_from_rho_delta",
              bool(analysis.max_abs_deviation <= VERIFY_TOLERANCE),
              f"max |fitted - rho(delta)| = {analysis.max_abs_deviation:.3f} <= {VERIFY_TOLERANCE} at n = "
              f"{analysis.config.n}, {analysis.config.trials} trials, {analysis.config.solver} ({deviations}; "
              f"tolerance: {VERIFY_TOLERANCE_SOURCE})"),
    ]


def verify_stage(context) -> list[Check]:
    """Signed and nonnegative transitions at n = 100 (AMP), artefacts into the verify folder."""
    checks = []
    for signal in SIGNALS:
        make_config = functools.partial(PhaseTransitionConfig, **VERIFY_SIZE, signal=signal)
        checks.extend(verify_checks(verify_sweep(context, make_config, evaluate_cell, analyse, report)))
    return checks
