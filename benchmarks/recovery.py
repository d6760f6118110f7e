"""Benchmark: the batched recovery solvers against a plain NumPy AMP and scikit-learn on the same instances.

For one problem ensemble (default m = 200, n = 400, k = 20: δ = 0.5, ρ = 0.1, well inside the ℓ1 region) it runs,
in one process and on the same problems,

- every solver of :mod:`numerics.recovery` on one shared matrix (GEMM) and on distinct matrices (batched), AMP also
  in float32 (``amp-f32``: matrix and measurements cast to float32, scored against the float64 signal);
- ``plain-amp``: the 20-line NumPy AMP anyone would write first (:func:`plain_amp`: undamped, a fixed 30
  iterations, no per-problem stopping), the yardstick for the engine's overhead;
- scikit-learn ``Lasso`` problem by problem (Gram precomputed on the shared matrix), with the largest penalty
  α = ratio·‖Aᵀy‖_∞/m from a ladder that reaches our AMP's success rate on the same problems ("at equal success
  rate"); scikit-learn ``orthogonal_mp`` on the shared matrix with the Gram precomputed;
- the backend's own GEMM of the inner-loop shapes, (batch, n) @ (n, m), timed in the same run,

and prints problems/s, the ratio to each peer, the achieved GFLOP/s (matrix-product flops over wall time) of the
whole solve and of the inner loop (one ``step`` on the full batch, best of 10), and the inner loop's as a fraction
of the GEMM's (best of 20). Targets (issue 15): AMP ≥ 1.2× the plain loop, ≥ 150× ``Lasso``, ≥ 2× ``orthogonal_mp``;
AMP with distinct matrices ≥ 25× ``Lasso``; OMP ≥ 2× ``orthogonal_mp``.

Timing on a machine shared with other work: BLAS threads are capped with :func:`numerics.host.blas_thread_limit`
(``--threads``, default 1) for every contestant alike, and the contestants run in ``--repeats`` rounds (default 7),
each round timing every contestant once, back to back, in the order of the table on even rounds and in the reverse
order on odd ones (a drift of the machine's speed over a round hits both sides of a ratio alike; each peer sits
next to the contestant compared with it most). A contestant's problems/s is the median over rounds. Each ratio
is the median of the per-round ratios of CPU seconds (``time.process_time``; on a GPU backend, wall seconds): on
a loaded machine the wall time also counts the time other processes held the CPU, which differs from one
contestant's turn to the next, while the CPU time of a one-thread process does not. The report prints beside it
the median per-round ratio of wall seconds, its range over the rounds, and the ratio of the median wall rates:
where they disagree, the rounds were uneven and the CPU ratio is the one to quote. The LP runs once (it is the
slowest and only a reference). The load average is printed beside the numbers.

    python benchmarks/recovery.py [--m 200 --n 400 --k 20 --batch 2000 --threads 1 --backend numpy --json]
"""

import argparse
import json
import os
import statistics
import time
import warnings

import numpy as np

from numerics.backend import from_numpy, resolve, synchronize, to_numpy
from numerics.host import blas_thread_limit
from numerics.recovery import DEFAULT_TOL, SOLVERS, build_solver, generate_problems, recover
from numerics.recovery import score as score_estimates
from numerics.solvers.operator import SensingOperator
from theory.soft_threshold_minimax import amp_threshold_alpha

#: Solvers whose iteration is a fixed ``step`` over the whole batch (OMP's step grows, the LP has none).
STEPPED = ("amp", "fista", "iht")

#: Lasso penalties tried, as fractions of α_max = ‖Aᵀy‖_∞/m (the smallest α giving x̂ = 0), largest first.
LASSO_RATIOS = (1e-2, 1e-3, 1e-4, 3e-5)

#: Iterations of the plain AMP loop: enough for 100% success on the default ensemble (issue 15).
PLAIN_ITERATIONS = 30


def parse_arguments(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--m", type=int, default=200)
    parser.add_argument("--n", type=int, default=400)
    parser.add_argument("--k", type=int, default=20)
    parser.add_argument("--batch", type=int, default=2000, help="problems on the shared matrix (default: 2000)")
    parser.add_argument("--distinct-batch", type=int, default=250,
                        help="problems with distinct matrices (default: 250; memory 8·batch·m·n bytes)")
    parser.add_argument("--peer-problems", type=int, default=40,
                        help="problems scikit-learn Lasso and the LP solve one by one (default: 40)")
    parser.add_argument("--threads", type=int, default=1, help="BLAS threads for everyone (default: 1)")
    parser.add_argument("--repeats", type=int, default=7,
                        help="rounds, each timing every contestant once; medians count (default: 7)")
    parser.add_argument("--solvers", default=",".join(SOLVERS),
                        help=f"our solvers to run, comma-separated (default: {','.join(SOLVERS)})")
    parser.add_argument("--backend", default="numpy", help="numpy, cupy or auto (default: numpy)")
    parser.add_argument("--dtype", default="float64", choices=("float64", "float32"),
                        help="dtype of our solvers' problems (default: float64; amp-f32 always runs too)")
    parser.add_argument("--no-peers", action="store_true", help="skip scikit-learn (e.g. on a GPU machine)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    return parser.parse_args(argv)


def gemm_gflops(backend, batch: int, m: int, n: int, dtype: str = "float64", repeats: int = 20) -> float:
    """GFLOP/s of the backend's (batch, n) @ (n, m) product in ``dtype`` (best of ``repeats``)."""
    rng = np.random.default_rng(0)
    left = from_numpy(backend, rng.standard_normal((batch, n)), dtype)
    right = from_numpy(backend, rng.standard_normal((n, m)), dtype)
    best = float("inf")
    for _ in range(repeats):
        synchronize(left)
        started = time.perf_counter()
        product = left @ right
        synchronize(product)
        best = min(best, time.perf_counter() - started)
    return 2 * batch * m * n / best / 1e9


def inner_loop_gflops(problems, solver: str, repeats: int = 10) -> float | None:
    """GFLOP/s of one ``step`` on the full batch (matrix-product flops over wall time, best of ``repeats``)."""
    if solver not in STEPPED:
        return None
    instance, _ = build_solver(solver, m=problems.m, n=problems.n, sparsity=problems.sparsity_level)
    instance.setup(SensingOperator(problems.A), problems.y)
    best = 0.0
    for _ in range(repeats + 1):  # the first step warms up
        before = instance.matmul_flops
        synchronize(problems.y)
        started = time.perf_counter()
        synchronize(instance.step())
        best = max(best, (instance.matmul_flops - before) / (time.perf_counter() - started) / 1e9)
    return best


def plain_amp(A: np.ndarray, Y: np.ndarray, alpha: float, iterations: int = PLAIN_ITERATIONS) -> np.ndarray:
    """The straightforward NumPy AMP (DMM 2009, eq. 1-2) on a shared A: undamped, fixed iterations, no stopping."""
    m = A.shape[0]
    X, Z = np.zeros((Y.shape[0], A.shape[1])), Y
    for _ in range(iterations):
        sigma = np.linalg.norm(Z, axis=1, keepdims=True) / np.sqrt(m)
        U = X + Z @ A
        X = np.sign(U) * np.maximum(np.abs(U) - alpha * sigma, 0.0)
        Z = Y - X @ A.T + (np.count_nonzero(X, axis=1)[:, None] / m) * Z
    return X


class Run:
    """One timed run of a contestant: its estimates (host, float64), wall and CPU seconds; optional extras."""

    def __init__(self, solve):
        started, cpu = time.perf_counter(), time.process_time()
        self.estimates, self.extras = solve()
        self.seconds, self.cpu_seconds = time.perf_counter() - started, time.process_time() - cpu


def our_run(problems, solver: str):
    """A contestant running one of our solvers through :func:`numerics.recovery.recover` (wall: its own clock)."""
    def solve():
        result = recover(problems, solver, nonnegative=False)
        return to_numpy(result.x_hat).astype(np.float64), {"result": result}

    def run():
        timed = Run(solve)
        timed.seconds = timed.extras["result"].seconds
        return timed
    return run


def peer_run(solve):
    """A contestant whose ``solve()`` returns host estimates, timed around the call."""
    return lambda: Run(lambda: (solve(), {}))


def lasso_estimates(A: np.ndarray, Y: np.ndarray, ratio: float) -> np.ndarray:
    """scikit-learn Lasso, problem by problem, α = ratio·‖Aᵀy‖_∞/m (its objective is ‖y − Ax‖²/(2m) + α‖x‖₁)."""
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import Lasso

    fortran, gram, estimates = np.asfortranarray(A), A.T @ A, []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for y in Y:
            alpha = ratio * np.abs(A.T @ y).max() / A.shape[0]
            model = Lasso(alpha=alpha, fit_intercept=False, precompute=gram, tol=1e-4, max_iter=100_000)
            estimates.append(model.fit(fortran, y).coef_)
    return np.array(estimates)


def lasso_ratio(A: np.ndarray, Y: np.ndarray, X: np.ndarray, target_rate: float) -> float:
    """The largest penalty ratio on :data:`LASSO_RATIOS` at which Lasso reaches ``target_rate`` (or the smallest)."""
    for ratio in LASSO_RATIOS:
        _, success, _ = score_estimates(X, lasso_estimates(A, Y, ratio), DEFAULT_TOL)
        if success.mean() >= target_rate:
            break
    return ratio


def sklearn_omp(A: np.ndarray, Y: np.ndarray, k: int) -> np.ndarray:
    """scikit-learn orthogonal_mp on the shared matrix, all problems in one call, Gram precomputed."""
    from sklearn.linear_model import orthogonal_mp

    return orthogonal_mp(A, Y.T, n_nonzero_coefs=k, precompute=True).T


def contestants(args, backend, shared, distinct, host):
    """Name -> (problems solved, x_true on the host, run function, runs wanted)."""
    solvers = [s for s in args.solvers.split(",") if s]
    lp_rows = args.peer_problems
    table = {}
    for layout, problems in (("shared", shared), ("distinct", distinct)):
        x_true = to_numpy(problems.x).astype(np.float64)
        for solver in solvers:
            part = problems.subset(0, lp_rows) if solver == "lp" else problems
            table[f"{solver} {layout}"] = (part, x_true[: part.batch], our_run(part, solver),
                                           1 if solver == "lp" else args.repeats)
        if "amp" in solvers and backend.name != "array-api-strict":
            single = generate_problems(np.random.SeedSequence(args.seed), batch=problems.batch, m=args.m, n=args.n,
                                       k=args.k, shared_matrix=layout == "shared", backend=backend, dtype="float32")
            table[f"amp-f32 {layout}"] = (single, x_true, our_run(single, "amp"), args.repeats)
    A, Y, X = host
    alpha = amp_threshold_alpha(args.m / args.n, args.k / args.m, "signed")
    table["plain-amp shared"] = (shared, X, peer_run(lambda: plain_amp(A, Y, alpha)), args.repeats)
    return table


#: The peers every contestant is compared with.
PEERS = ("plain-amp shared", "sklearn-lasso shared", "sklearn-omp shared")
#: Contestants in the order a round runs them (the rest follow in the table's order): each peer next to the
#: contestant compared with it most; odd rounds run the order backwards.
ORDER = ("amp shared", "plain-amp shared", "amp-f32 shared", "omp shared", "sklearn-omp shared", "sklearn-lasso shared",
         "amp distinct", "amp-f32 distinct", "omp distinct")


def round_order(table: dict) -> list:
    """The names of ``table`` in the order of :data:`ORDER`, then the others."""
    return [name for name in ORDER if name in table] + [name for name in table if name not in ORDER]


def per_round_ratio(row: dict, peer: dict, clock: str) -> tuple:
    """(median, least, largest) over the rounds of the peer's seconds per problem over the contestant's, by
    ``clock`` (``seconds`` or ``cpu_seconds``): how many times faster the contestant is, round by round."""
    ratios = [(b / peer["batch"]) / (a / row["batch"]) for a, b in zip(row["seconds"][clock], peer["seconds"][clock])]
    return statistics.median(ratios), min(ratios), max(ratios)


def ratio_checks(row: dict, peer: dict) -> dict:
    """The ratio three ways: per-round CPU seconds, per-round wall seconds (with their range), median wall rates."""
    cpu, wall = per_round_ratio(row, peer, "cpu_seconds"), per_round_ratio(row, peer, "seconds")
    return {"cpu_per_round": cpu[0], "cpu_range": cpu[1:], "wall_per_round": wall[0], "wall_range": wall[1:],
            "median_wall_rates": row["problems_per_second"] / peer["problems_per_second"]}


def load_average() -> str:
    try:
        return " ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:  # pragma: no cover - not on Linux/macOS
        return "unknown"


def run(args) -> dict:
    backend = resolve(args.backend)
    seed = np.random.SeedSequence(args.seed)
    sizes = dict(m=args.m, n=args.n, k=args.k, backend=backend, dtype=args.dtype)
    shared = generate_problems(seed, batch=args.batch, shared_matrix=True, **sizes)
    distinct = generate_problems(seed, batch=args.distinct_batch, **sizes)
    host = tuple(to_numpy(a).astype(np.float64) for a in (shared.A, shared.y, shared.x))
    load_before = load_average()
    gemm = gemm_gflops(backend, args.batch, args.m, args.n, args.dtype)
    table = contestants(args, backend, shared, distinct, host)
    A, Y, X = host
    peers = {}
    if not args.no_peers:
        rows = args.peer_problems
        amp_success = recover(shared.subset(0, rows), "amp").success_rate
        ratio = lasso_ratio(A, Y[:rows], X[:rows], amp_success)
        table["sklearn-lasso shared"] = (shared.subset(0, rows), X[:rows],
                                         peer_run(lambda: lasso_estimates(A, Y[:rows], ratio)), args.repeats)
        table["sklearn-omp shared"] = (shared, X, peer_run(lambda: sklearn_omp(A, Y, args.k)), args.repeats)
        peers["lasso_alpha_ratio"] = ratio
    runs = {name: [] for name in table}
    order = round_order(table)
    for round_ in range(args.repeats):
        for name in (order if round_ % 2 == 0 else order[::-1]):
            _, _, contestant, wanted = table[name]
            if len(runs[name]) < wanted:
                runs[name].append(contestant())
    clock = "cpu_seconds" if backend.name == "numpy" else "seconds"  # a GPU works while the CPU waits
    rows = []
    for name, (problems, x_true, _, _) in table.items():
        last = runs[name][-1]
        _, success, _ = score_estimates(x_true, last.estimates, DEFAULT_TOL)
        rates = [problems.batch / r.seconds for r in runs[name]]
        solver, layout = name.split(" ")
        result = last.extras.get("result")
        row = {"contestant": solver, "layout": layout, "batch": problems.batch,
               "success_rate": float(success.mean()), "problems_per_second": statistics.median(rates),
               "rates": rates, "seconds": {kind: [getattr(r, kind) for r in runs[name]]
                                           for kind in ("seconds", "cpu_seconds")}}
        if result is not None:
            row["median_iterations"] = float(np.median(result.iterations))
            row["solve_gflops"] = (statistics.median(result.matmul_flops / r.seconds for r in runs[name]) / 1e9
                                   if result.matmul_flops else None)
            row["gflops"] = inner_loop_gflops(problems, solver) if solver in STEPPED else None
            row["fraction_of_gemm"] = row["gflops"] / gemm if row["gflops"] and problems.dtype == args.dtype \
                else None
        rows.append(row)
    by_name = {f"{row['contestant']} {row['layout']}": row for row in rows}
    for row in rows:
        row["ratios"], row["ratio_checks"] = {}, {}
        for peer in PEERS:
            other = by_name.get(peer)
            if other is not None and other is not row and len(other["rates"]) == len(row["rates"]):
                row["ratios"][peer.split(" ")[0]] = per_round_ratio(row, other, clock)[0]
                row["ratio_checks"][peer.split(" ")[0]] = ratio_checks(row, other)
    return {
        "ensemble": {"m": args.m, "n": args.n, "k": args.k, "delta": args.m / args.n, "rho": args.k / args.m,
                     "tol": DEFAULT_TOL, "dtype": args.dtype},
        "backend": backend.name, "device": backend.device, "blas_threads": args.threads, "rounds": args.repeats,
        "ratio_clock": clock,
        "load_average": {"before": load_before, "after": load_average()},
        "gemm_gflops": gemm, "peers": peers, "contestants": rows, "targets": targets(by_name),
    }


#: (name, contestant, peer, least ratio) of issue 15.
TARGETS = (
    ("amp_shared_vs_plain_amp", "amp shared", "plain-amp", 1.2),
    ("amp_shared_vs_lasso", "amp shared", "sklearn-lasso", 150.0),
    ("amp_shared_vs_sklearn_omp", "amp shared", "sklearn-omp", 2.0),
    ("amp_distinct_vs_lasso", "amp distinct", "sklearn-lasso", 25.0),
    ("omp_shared_vs_sklearn_omp", "omp shared", "sklearn-omp", 2.0),
)


def targets(by_name: dict) -> dict:
    found = {}
    for name, contestant, peer, least in TARGETS:
        value = by_name.get(contestant, {}).get("ratios", {}).get(peer)
        if value is not None:
            found[name] = {"value": value, "target": least, "met": value >= least}
    return found


def print_report(report: dict) -> None:
    ensemble = report["ensemble"]
    print(f"ensemble: m={ensemble['m']} n={ensemble['n']} k={ensemble['k']} (delta={ensemble['delta']:.2f}, "
          f"rho={ensemble['rho']:.2f}), success = relative l2 error < {ensemble['tol']:g}, {ensemble['dtype']}")
    print(f"backend: {report['backend']} on {report['device']}, BLAS threads: {report['blas_threads']}; "
          f"GEMM ({ensemble['n']}x{ensemble['m']} right factor): {report['gemm_gflops']:.1f} GFLOP/s")
    print(f"load average (1, 5, 15 min): {report['load_average']['before']} before, "
          f"{report['load_average']['after']} after; medians of {report['rounds']} interleaved rounds; ratios: "
          f"median per-round ratio of {'CPU' if report['ratio_clock'] == 'cpu_seconds' else 'wall'} seconds")
    if report["peers"]:
        print(f"sklearn Lasso: per problem, Gram precomputed, alpha = {report['peers']['lasso_alpha_ratio']:g} "
              f"alpha_max; sklearn orthogonal_mp: shared A, Gram precomputed")
    header = (f"{'contestant':14}{'layout':10}{'batch':>7}{'success':>9}{'problems/s':>12}{'vs plain':>10}"
              f"{'vs Lasso':>10}{'vs skOMP':>10}{'solve GF/s':>11}{'loop GF/s':>10}{'% GEMM':>8}{'iters':>7}")
    print(header)

    def cell(value, form):
        return "-" if value is None else format(value, form)

    for row in report["contestants"]:
        ratios = row["ratios"]
        print(f"{row['contestant']:14}{row['layout']:10}{row['batch']:>7}{row['success_rate']:>9.1%}"
              f"{row['problems_per_second']:>12.1f}"
              f"{cell(ratios.get('plain-amp'), '.2f'):>9}x{cell(ratios.get('sklearn-lasso'), '.1f'):>9}x"
              f"{cell(ratios.get('sklearn-omp'), '.2f'):>9}x{cell(row.get('solve_gflops'), '.1f'):>11}"
              f"{cell(row.get('gflops'), '.1f'):>10}"
              f"{cell(row['fraction_of_gemm'] and 100 * row['fraction_of_gemm'] if 'fraction_of_gemm' in row else None, '.0f'):>8}"
              f"{cell(row.get('median_iterations'), 'g'):>7}")
    by_name = {f"{row['contestant']} {row['layout']}": row for row in report["contestants"]}
    for name, contestant, peer, _ in TARGETS:
        target = report["targets"].get(name)
        if target is None:
            continue
        check = by_name[contestant]["ratio_checks"][peer]
        print(f"target {name}: {target['value']:.2f} (>= {target['target']:g}) {'met' if target['met'] else 'NOT met'}"
              f"; per-round CPU {check['cpu_per_round']:.2f} ({check['cpu_range'][0]:.2f}-{check['cpu_range'][1]:.2f}),"
              f" per-round wall {check['wall_per_round']:.2f} ({check['wall_range'][0]:.2f}-{check['wall_range'][1]:.2f}),"
              f" median wall rates {check['median_wall_rates']:.2f}")


def main(argv=None) -> None:
    args = parse_arguments(argv)
    with blas_thread_limit(args.threads):
        report = run(args)
    if args.json:
        for row in report["contestants"]:
            del row["rates"]
        print(json.dumps(report, indent=2, allow_nan=False))
    else:
        print_report(report)


if __name__ == "__main__":
    main()
