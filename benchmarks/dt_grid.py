"""Benchmark: a Donoho–Tanner grid end to end, problem generation and solving timed apart.

Runs the cells of a ``phase-transition`` sweep through the functions the sweep itself uses
(:func:`numerics.phase_transition.trial_problems`, then :func:`~numerics.phase_transition.recover_trials`), in
this process, and prints problems/s of the whole grid, the share of the wall time spent drawing problems (on the
host, so that every backend solves the same numbers), the solver's matrix-product GFLOP/s and that rate as a
fraction of the backend's GEMM rate measured in the same run, and the grid's wall time.

Grids: ``--grid default`` is ``superposition phase-transition``'s default (n = 400, δ = 0.1…0.9, ρ = 0.05…0.95,
20 trials per cell); ``--grid gpu`` is 20 δ × 20 ρ × 100 trials at n = 1000 (issue 15's GPU check); ``--grid small``
a seconds-long smoke run. Cells use distinct matrices, as every phase-transition trial does.

    python benchmarks/dt_grid.py [--grid default|gpu|small] [--backend numpy|cupy] [--dtype float64|float32]
"""

import argparse
import json
import os
import time

import numpy as np

from numerics.backend import resolve, synchronize
from numerics.host import blas_thread_limit
from numerics.phase_transition import PhaseTransitionConfig, default_batch, recover_trials, trial_problems

GRIDS = {
    "default": {"n": 400, "deltas": tuple(np.arange(1, 10) / 10), "rhos": tuple(np.arange(1, 20) / 20), "trials": 20},
    "gpu": {"n": 1000, "deltas": tuple(np.arange(1, 21) / 21), "rhos": tuple(np.arange(1, 21) / 21), "trials": 100},
    "small": {"n": 100, "deltas": (0.25, 0.5, 0.75), "rhos": (0.1, 0.3, 0.5), "trials": 4},
}


def parse_arguments(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--grid", choices=tuple(GRIDS), default="default")
    parser.add_argument("--backend", default="numpy", help="numpy, cupy or auto (default: numpy)")
    parser.add_argument("--dtype", choices=("float64", "float32"), default="float64",
                        help="dtype the solver computes in (default: float64)")
    parser.add_argument("--trials", type=int, default=None, help="trials per cell (default: the grid's)")
    parser.add_argument("--solver", default="amp")
    parser.add_argument("--threads", type=int, default=None, help="host BLAS threads (default: the library's)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    return parser.parse_args(argv)


def gemm_gflops(backend, m: int, n: int, dtype: str, batch: int = 2000, repeats: int = 10) -> float:
    """GFLOP/s of the backend's (batch, n) @ (n, m) product in ``dtype`` (best of ``repeats``)."""
    rng = np.random.default_rng(0)
    xp = backend.xp
    left = xp.asarray(rng.standard_normal((batch, n)), dtype=getattr(xp, dtype))
    right = xp.asarray(rng.standard_normal((n, m)), dtype=getattr(xp, dtype))
    best = float("inf")
    for _ in range(repeats):
        synchronize(left)
        started = time.perf_counter()
        synchronize(left @ right)
        best = min(best, time.perf_counter() - started)
    return 2 * batch * m * n / best / 1e9


def cast(problems, dtype: str):
    """The problems with A, x, y in ``dtype`` (generation is float64 on the host; the solver may run in float32)."""
    if dtype == "float64":
        return problems
    import dataclasses

    xp = problems.backend.xp
    return dataclasses.replace(problems, dtype=dtype, **{name: xp.astype(getattr(problems, name), getattr(xp, dtype))
                                                         for name in ("A", "x", "y")})


def run(args) -> dict:
    backend = resolve(args.backend)
    grid = {**GRIDS[args.grid], **({"trials": args.trials} if args.trials else {})}
    config = PhaseTransitionConfig(**grid, solver=args.solver, backend=backend.name)
    cells = config.spec().cells
    generation = solving = 0.0
    problems_solved = successes = flops = 0
    started = time.perf_counter()
    for coordinates in cells:
        m, _ = config.sizes(coordinates["delta"], coordinates["rho"])
        batch = default_batch(config, m)
        for start in range(0, config.trials, batch):
            size = min(batch, config.trials - start)
            clock = time.perf_counter()
            problems = cast(trial_problems(config, coordinates, start, size), args.dtype)
            synchronize(problems.y)
            generation += time.perf_counter() - clock
            clock = time.perf_counter()
            result = recover_trials(config, problems)
            solving += time.perf_counter() - clock
            problems_solved += size
            successes += int(result.success.sum())
            flops += result.matmul_flops
    wall = time.perf_counter() - started
    gemm = gemm_gflops(backend, config.n // 2, config.n, args.dtype)
    return {
        "grid": args.grid, "n": config.n, "cells": len(cells), "trials": config.trials, "solver": args.solver,
        "backend": backend.name, "device": backend.device, "dtype": args.dtype,
        "problems": problems_solved, "success_rate": successes / problems_solved, "wall_seconds": wall,
        "problems_per_second": problems_solved / wall, "generation_share": generation / wall,
        "solve_problems_per_second": problems_solved / solving, "solve_gflops": flops / solving / 1e9,
        "gemm_gflops": gemm, "fraction_of_gemm": flops / solving / 1e9 / gemm,
        "load_average": " ".join(f"{value:.2f}" for value in os.getloadavg()),
    }


def main(argv=None) -> None:
    args = parse_arguments(argv)
    with blas_thread_limit(args.threads):
        report = run(args)
    if args.json:
        print(json.dumps(report, indent=2, allow_nan=False))
        return
    print(f"grid {report['grid']}: {report['cells']} cells x {report['trials']} trials at n = {report['n']}, "
          f"{report['solver']} on {report['backend']} ({report['device']}), {report['dtype']}")
    print(f"wall time {report['wall_seconds']:.1f} s, {report['problems_per_second']:.1f} problems/s end to end, "
          f"success {report['success_rate']:.1%}")
    print(f"generation (host) {report['generation_share']:.0%} of the wall time; solving alone "
          f"{report['solve_problems_per_second']:.1f} problems/s, {report['solve_gflops']:.1f} GFLOP/s = "
          f"{report['fraction_of_gemm']:.1%} of the GEMM rate ({report['gemm_gflops']:.1f} GFLOP/s)")
    print(f"load average: {report['load_average']}")


if __name__ == "__main__":
    main()
