"""``superposition recover``: solve one batch of compressed-sensing problems and report how well and how fast.

Draws ``--batch`` problems y = A x (+ noise) from ``--seed`` (on the host, so every backend sees the same
numbers), solves them with ``--solver`` on ``--backend`` and prints the success rate (success: relative ℓ2 error
below ``--tol``), the support recovery rate, error quantiles, iterations and throughput in problems per second.
"""


import numpy as np

from numerics.backend import DTYPES
from numerics.memory import recover_peak
from numerics.problems import MATRICES, VALUES, generate_problems
from numerics.recovery import DEFAULT_TOL, SOLVERS, RecoveryResult, recover
from numerics.solvers.registry import check_options
from superposition.cli.backend_option import add_backend_option, resolve_backend
from superposition.cli import arguments, output
from superposition.cli.emit import emit
from superposition.cli.memory_option import add_memory_option, check_memory
from superposition.cli.solver_options import add_solver_options
from theory import validation

#: Problems per solver call: the progress bar advances once per chunk.
CHUNK = 500


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "recover",
        description=" ".join(__doc__.split("\n\n")[1].split()),
    )
    problem = parser.add_argument_group("problems")
    problem.add_argument("--m", type=arguments.positive_int, default=100, help="measurements (default: 100)")
    problem.add_argument("--n", type=arguments.positive_int, default=200, help="signal length, >= m (default: 200)")
    sparsity = problem.add_mutually_exclusive_group()
    sparsity.add_argument("--k", type=arguments.nonnegative_int, default=None,
                          help="nonzeros per signal, <= m, on a uniformly random support (default: 10)")
    sparsity.add_argument("--density", type=arguments.density, default=None, metavar="P",
                          help="each entry nonzero with probability P (Bernoulli support), instead of --k")
    problem.add_argument("--batch", type=arguments.positive_int, default=1000, help="problems (default: 1000)")
    problem.add_argument("--matrix", choices=MATRICES, default="gaussian",
                         help="sensing matrix entries: N(0, 1/m) or ±1/sqrt(m) (default: gaussian)")
    problem.add_argument("--values", choices=VALUES, default="gaussian",
                         help="nonzero values: N(0,1), ±1 or Uniform[0,1) (default: gaussian)")
    problem.add_argument("--shared-matrix", action="store_true",
                         help="one matrix A for every problem (GEMM) instead of one per problem")
    problem.add_argument("--noise", type=arguments.nonnegative_float, default=0.0,
                         help="standard deviation of Gaussian measurement noise (default: 0)")
    problem.add_argument("--seed", type=arguments.nonnegative_int, default=0, help="seed of the problems (default: 0)")
    solving = parser.add_argument_group("solver")
    add_solver_options(solving)
    solving.add_argument("--nonnegative", action="store_true",
                         help="use the solver's nonnegative variant (the prior x >= 0; natural with --values uniform)")
    add_backend_option(solving)
    solving.add_argument("--dtype", choices=DTYPES, default="float64", help="floating point type (default: float64)")
    add_memory_option(solving)
    arguments.add_output_options(parser)
    parser.set_defaults(run=run)


def solve_in_chunks(problems, args, options) -> RecoveryResult:
    """Solve ``CHUNK`` problems per call, advancing a progress bar on stderr."""
    starts = range(0, problems.batch, CHUNK)
    with output.progress_bar(problems.batch, f"{args.solver} problems", enabled=output.stderr.is_terminal) as advance:
        parts = []
        for start in starts:
            part = problems.subset(start, min(start + CHUNK, problems.batch))
            parts.append(recover(part, args.solver, tol=args.tol, nonnegative=args.nonnegative, **options))
            advance(part.batch)
    return RecoveryResult.concatenate(parts)


def run(args) -> int:
    from superposition.reports.table_files import JsonFile, TableOutput
    from superposition.provenance import collect
    from superposition.reports import recovery as report

    k = 10 if args.k is None and args.density is None else args.k
    if k is not None and k > args.m:
        raise validation.InvalidParameter("--k", f"must be <= --m = {args.m}, got {k}")
    if args.m > args.n:
        raise validation.InvalidParameter("--m", f"must be <= --n = {args.n} (an underdetermined system), got {args.m}")
    options = check_options(args.solver, {"max_iter": args.max_iter})
    backend = resolve_backend(args.backend)
    check_memory(args, recover_peak(m=args.m, n=args.n, batch=args.batch, shared_matrix=args.shared_matrix,
                                    dtype=args.dtype), backend=backend.name)
    if args.dtype == "float32":
        output.notice("computing in float32 (single precision): errors below ~1e-6 are not resolved")
    problems = generate_problems(np.random.SeedSequence(args.seed), batch=args.batch, m=args.m, n=args.n, k=k,
                                 density=args.density, matrix=args.matrix, values=args.values,
                                 shared_matrix=args.shared_matrix, noise=args.noise, backend=backend, dtype=args.dtype)
    result = solve_in_chunks(problems, args, options)
    payload = report.to_payload(problems, result, backend)
    return emit(args, TableOutput(JsonFile("recover.json"), payload, "", (report.to_rich_table(payload),)),
                provenance=collect(seed=args.seed, backend=backend.name, device=backend.device))


#: The verify stage's problems: δ = 1/2, ρ = 1/10, well inside every solver's recoverable region.
VERIFY_SIZES = dict(batch=20, m=100, n=200, k=10)


def verify_stage(context):
    """Every solver recovers a small easy batch and agrees with the LP reference to within ``DEFAULT_TOL``."""
    from numerics.backend import to_numpy
    from numerics.seeding import cell_seed_sequence
    from superposition.checks import Check

    backend = resolve_backend(context.backend)
    problems = generate_problems(cell_seed_sequence(context.seed, ("recover",)), backend=backend, **VERIFY_SIZES)
    results = {solver: recover(problems, solver) for solver in SOLVERS}
    reference = to_numpy(results["lp"].x_hat)
    norms = np.linalg.norm(to_numpy(problems.x), axis=1)
    checks, summaries = [], {}
    for solver, result in results.items():
        gap = float((np.linalg.norm(to_numpy(result.x_hat) - reference, axis=1) / norms).max())
        summaries[solver] = {**result.summary(), "max_relative_distance_to_lp": gap}
        checks.append(Check(
            f"recover.{solver}." + ("recovers" if solver == "lp" else "matches_lp"),
            bool(result.success.all() and gap < DEFAULT_TOL),
            f"{int(result.success.sum())}/{result.batch} recovered (relative l2 error < {DEFAULT_TOL:g}) at "
            f"m={problems.m}, n={problems.n}, k={problems.k} on {backend.name}; max distance to the LP solution "
            f"{gap:.1e} of |x|; median iterations {np.median(result.iterations):g}",
        ))
    context.artefacts.write_json("recover_check.json", {"problems": problems.describe(), "solvers": summaries})
    return checks
