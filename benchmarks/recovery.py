"""Benchmark: the batched recovery solvers against scikit-learn on the same instances, in one process.

For one problem ensemble (default m = 200, n = 400, k = 20: δ = 0.5, ρ = 0.1, well inside the ℓ1 region) it runs

- every solver of :mod:`numerics.recovery` on one shared matrix (GEMM) and on distinct matrices (batched);
- scikit-learn ``Lasso`` problem by problem (Gram precomputed on the shared matrix), with the largest
  penalty α = ratio·‖Aᵀy‖_∞/m from a ladder that reaches our AMP's success rate on the same problems
  ("at equal success rate"); scikit-learn ``orthogonal_mp`` on the shared matrix with the Gram precomputed;
- the backend's own GEMM of the inner-loop shapes, (batch, n) @ (n, m), timed in the same run,

and prints problems/s, the ratio to each peer, the achieved GFLOP/s (matrix-product flops over wall time) of
the whole solve and of the inner loop (one ``step`` on the full batch, best of 10), and the inner loop's as a
fraction of the GEMM's (best of 20). The whole solve runs below its inner loop: once most problems have
stopped, the stragglers run in small batches. Targets (issue 5): batched AMP on the shared matrix
≥ 20× scikit-learn ``Lasso`` problems/s at equal success rate on 2 CPU cores; inner loop ≥ 50% of GEMM.

BLAS threads are capped with :func:`numerics.host.blas_thread_limit` (``--threads``, default 2) for every
contestant alike, and every contestant (but the LP) is timed ``--repeats`` times (default 3), the fastest run
counting: on a machine shared with other work single timings are noisy; the ratios, measured back to back, are
what to read.

    python benchmarks/recovery.py [--m 200 --n 400 --k 20 --batch 2000 --threads 2 --backend numpy --json]
"""

import argparse
import json
import time
import warnings

import numpy as np

from numerics.backend import from_numpy, resolve, synchronize, to_numpy
from numerics.host import blas_thread_limit
from numerics.recovery import DEFAULT_TOL, SOLVERS, build_solver, generate_problems, recover
from numerics.recovery import score as score_estimates
from numerics.solvers.operator import SensingOperator

#: Solvers whose iteration is a fixed ``step`` over the whole batch (OMP's step grows, the LP has none).
STEPPED = ("amp", "fista", "iht")

#: Lasso penalties tried, as fractions of α_max = ‖Aᵀy‖_∞/m (the smallest α giving x̂ = 0), largest first.
LASSO_RATIOS = (1e-2, 1e-3, 1e-4, 3e-5)


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--m", type=int, default=200)
    parser.add_argument("--n", type=int, default=400)
    parser.add_argument("--k", type=int, default=20)
    parser.add_argument("--batch", type=int, default=2000, help="problems on the shared matrix (default: 2000)")
    parser.add_argument("--distinct-batch", type=int, default=250,
                        help="problems with distinct matrices (default: 250; memory 8·batch·m·n bytes)")
    parser.add_argument("--peer-problems", type=int, default=40,
                        help="problems scikit-learn Lasso solves one by one (default: 40)")
    parser.add_argument("--threads", type=int, default=2, help="BLAS threads for everyone (default: 2)")
    parser.add_argument("--repeats", type=int, default=3,
                        help="timed runs of every contestant; the fastest counts (default: 3)")
    parser.add_argument("--backend", default="numpy", help="numpy, cupy or auto (default: numpy)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    return parser.parse_args()


def gemm_gflops(backend, batch: int, m: int, n: int, repeats: int = 20) -> float:
    """GFLOP/s of the backend's (batch, n) @ (n, m) product in float64 (best of ``repeats``)."""
    rng = np.random.default_rng(0)
    left = from_numpy(backend, rng.standard_normal((batch, n)))
    right = from_numpy(backend, rng.standard_normal((n, m)))
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


def fastest(run, repeats: int):
    """The result of ``run()`` with the shortest ``seconds`` among ``repeats`` calls (timings on a shared machine)."""
    return min((run() for _ in range(repeats)), key=lambda result: result.seconds)


def ours(problems, solver: str, repeats: int) -> dict:
    """Solve with one of our solvers: success, problems/s, GFLOP/s of the whole solve and of its inner loop."""
    result = fastest(lambda: recover(problems, solver, nonnegative=False), repeats)
    return {
        "success_rate": result.success_rate, "problems_per_second": result.problems_per_second,
        "solve_gflops": result.matmul_flops / result.seconds / 1e9 if result.matmul_flops else None,
        "gflops": inner_loop_gflops(problems, solver),
        "median_iterations": float(np.median(result.iterations)), "success": result.success,
    }


class Timed:
    """Estimates from a peer and the seconds they took."""

    def __init__(self, solve):
        started = time.perf_counter()
        self.estimates = solve()
        self.seconds = time.perf_counter() - started


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


def lasso_peer(A: np.ndarray, Y: np.ndarray, X: np.ndarray, target_rate: float, repeats: int) -> dict:
    """scikit-learn Lasso at the largest penalty on the ladder reaching ``target_rate``, timed like ours."""
    for ratio in LASSO_RATIOS:
        _, success, _ = score_estimates(X, lasso_estimates(A, Y, ratio), DEFAULT_TOL)
        if success.mean() >= target_rate:
            break
    timed = fastest(lambda: Timed(lambda: lasso_estimates(A, Y, ratio)), repeats)
    return {"alpha_ratio": ratio, "success_rate": float(success.mean()), "problems_per_second": len(Y) / timed.seconds}


def omp_peer(A: np.ndarray, Y: np.ndarray, X: np.ndarray, k: int, repeats: int) -> dict:
    """scikit-learn orthogonal_mp on the shared matrix, all problems in one call, Gram precomputed."""
    from sklearn.linear_model import orthogonal_mp

    timed = fastest(lambda: Timed(lambda: orthogonal_mp(A, Y.T, n_nonzero_coefs=k, precompute=True).T), repeats)
    _, success, _ = score_estimates(X, timed.estimates, DEFAULT_TOL)
    return {"success_rate": float(success.mean()), "problems_per_second": len(Y) / timed.seconds}


def run(args) -> dict:
    backend = resolve(args.backend)
    seed = np.random.SeedSequence(args.seed)
    sizes = dict(m=args.m, n=args.n, k=args.k, backend=backend)
    shared = generate_problems(seed, batch=args.batch, shared_matrix=True, **sizes)
    distinct = generate_problems(seed, batch=args.distinct_batch, **sizes)
    gemm = gemm_gflops(backend, args.batch, args.m, args.n)
    rows = []
    for layout, problems in (("shared", shared), ("distinct", distinct)):
        for solver in SOLVERS:
            if solver == "lp":
                problems = problems.subset(0, args.peer_problems)
            rows.append({"solver": solver, "layout": layout, "batch": problems.batch,
                         **ours(problems, solver, 1 if solver == "lp" else args.repeats)})
    amp_shared = rows[0]
    peers_problems = shared.subset(0, args.peer_problems)
    A, Y, X = (to_numpy(a) for a in (peers_problems.A, peers_problems.y, peers_problems.x))
    target = float(amp_shared["success"][: args.peer_problems].mean())
    lasso = lasso_peer(A, Y, X, target, args.repeats)
    omp = omp_peer(to_numpy(shared.A), to_numpy(shared.y), to_numpy(shared.x), args.k, args.repeats)
    for row in rows:
        row["vs_lasso"] = row["problems_per_second"] / lasso["problems_per_second"]
        row["vs_sklearn_omp"] = row["problems_per_second"] / omp["problems_per_second"]
        row["fraction_of_gemm"] = row["gflops"] / gemm if row["gflops"] else None
        del row["success"]
    return {
        "ensemble": {"m": args.m, "n": args.n, "k": args.k, "delta": args.m / args.n, "rho": args.k / args.m,
                     "tol": DEFAULT_TOL, "dtype": "float64"},
        "backend": backend.name, "device": backend.device, "blas_threads": args.threads,
        "gemm_gflops": gemm, "sklearn_lasso": lasso, "sklearn_orthogonal_mp": omp, "solvers": rows,
        "targets": {
            "amp_shared_vs_lasso": {"value": amp_shared["vs_lasso"], "target": 20.0,
                                    "met": amp_shared["vs_lasso"] >= 20.0},
            "amp_shared_fraction_of_gemm": {"value": amp_shared["fraction_of_gemm"], "target": 0.5,
                                            "met": amp_shared["fraction_of_gemm"] >= 0.5},
        },
    }


def print_report(report: dict) -> None:
    ensemble = report["ensemble"]
    print(f"ensemble: m={ensemble['m']} n={ensemble['n']} k={ensemble['k']} (delta={ensemble['delta']:.2f}, "
          f"rho={ensemble['rho']:.2f}), success = relative l2 error < {ensemble['tol']:g}, float64")
    print(f"backend: {report['backend']} on {report['device']}, BLAS threads: {report['blas_threads']}; "
          f"GEMM ({ensemble['n']}x{ensemble['m']} right factor): {report['gemm_gflops']:.1f} GFLOP/s")
    lasso, omp = report["sklearn_lasso"], report["sklearn_orthogonal_mp"]
    print(f"sklearn Lasso (per problem, Gram precomputed, alpha = {lasso['alpha_ratio']:g} alpha_max): "
          f"success {lasso['success_rate']:.1%}, {lasso['problems_per_second']:.1f} problems/s")
    print(f"sklearn orthogonal_mp (shared A, Gram precomputed): success {omp['success_rate']:.1%}, "
          f"{omp['problems_per_second']:.1f} problems/s")
    header = f"{'solver':7}{'layout':10}{'batch':>7}{'success':>9}{'problems/s':>12}{'vs Lasso':>10}" \
             f"{'vs skOMP':>10}{'solve GF/s':>11}{'loop GF/s':>10}{'% GEMM':>8}{'iters':>7}"
    print(header)
    for row in report["solvers"]:
        gflops = f"{row['gflops']:.1f}" if row["gflops"] else "-"
        solve_gflops = f"{row['solve_gflops']:.1f}" if row["solve_gflops"] else "-"
        fraction = f"{100 * row['fraction_of_gemm']:.0f}%" if row["fraction_of_gemm"] else "-"
        print(f"{row['solver']:7}{row['layout']:10}{row['batch']:>7}{row['success_rate']:>9.1%}"
              f"{row['problems_per_second']:>12.1f}{row['vs_lasso']:>9.1f}x{row['vs_sklearn_omp']:>9.2f}x"
              f"{solve_gflops:>11}{gflops:>10}{fraction:>8}{row['median_iterations']:>7g}")
    for name, target in report["targets"].items():
        print(f"target {name}: {target['value']:.2f} (>= {target['target']:g}) {'met' if target['met'] else 'NOT met'}")


def main() -> None:
    args = parse_arguments()
    with blas_thread_limit(args.threads):
        report = run(args)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print_report(report)


if __name__ == "__main__":
    main()
