"""Mutation harness: break the source on purpose, one small text substitution at a time, and see which tests notice.

Each :class:`Mutant` names a file, an exact text that must occur there once, its replacement, and the fast tests
that should fail. For every mutant the script writes the mutated file, runs those tests
(``python -m pytest -x -q -m "not slow"``, with a per-mutant timeout), restores the original text (in a
``finally``: also on Ctrl-C, SIGTERM or an error) and records *killed* (the tests failed, or timed out) or *survived*. It
prints the table and exits 1 if a mutant survived that is not listed in :data:`EXPECTED_SURVIVORS` with the
reason it is harmless. It is not part of the default test run (it takes minutes): run it by hand,

    PYTHONPATH=$PWD python benchmarks/mutants.py [--only NAME,NAME] [--timeout 300] [--json]

from the repository root, with a clean working tree (it refuses files with uncommitted changes, so that a
restore can never lose work). A mutant whose text is no longer found (the source moved on) is reported as
``stale``, not as survived: update its text.
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Mutant:
    name: str
    path: str
    original: str
    mutated: str
    tests: tuple


AMP_TESTS = ("tests/test_amp_state_evolution.py", "tests/test_solver_engine.py")
SOLVER_TESTS = ("tests/test_solvers.py",)
CAPACITY_TESTS = ("tests/test_capacity_scaling.py",)
STATISTICS_TESTS = ("tests/test_statistics.py", "numerics/statistics.py")
FIT_TESTS = ("tests/test_power_law_fit.py", "numerics/power_law_fit.py")
SE_TESTS = ("tests/test_state_evolution.py", "theory/state_evolution.py")

MUTANTS = (
    # AMP (numerics/solvers/amp.py): the Onsager term, the threshold's noise estimate, damping, the stall rule.
    Mutant("amp.onsager_over_n", "numerics/solvers/amp.py", "self.y.dtype) / operator.m",
           "self.y.dtype) / operator.n", AMP_TESTS),
    Mutant("amp.no_onsager", "numerics/solvers/amp.py", "z = self.z * onsager", "z = self.z * 0.0", AMP_TESTS),
    Mutant("amp.noise_estimate_over_n", "numerics/solvers/amp.py", "(self.alpha / operator.m**0.5)",
           "(self.alpha / operator.n**0.5)", AMP_TESTS),
    Mutant("amp.damping_ignored", "numerics/solvers/amp.py", "self.damping = float(damping)",
           "self.damping = 1.0", AMP_TESTS),
    Mutant("amp.stall_rule_inverted", "numerics/solvers/amp.py",
           "stalled = self.level[:, 0] > self.stall_ratio * self.checkpoint",
           "stalled = self.level[:, 0] < self.stall_ratio * self.checkpoint", AMP_TESTS),
    Mutant("amp.oscillation_counts_monotone_steps", "numerics/solvers/amp.py", "alternating = rising != self.rising",
           "alternating = rising == self.rising", AMP_TESTS),
    Mutant("amp.oscillation_never_damps", "numerics/solvers/amp.py",
           "self.damped | (self.oscillations >= self.oscillation_steps)",
           "self.damped | (self.oscillations > 10**9)", AMP_TESTS),
    Mutant("amp.tol_margin_ignored", "numerics/solvers/amp.py", "(self.tol_margin * self.tol) * size",
           "self.tol * size", AMP_TESTS),
    # Shared solver pieces (numerics/solvers/base.py): soft thresholding and the stopping rule.
    Mutant("solvers.soft_threshold_sign", "numerics/solvers/base.py", "return u - xp.clip(u, -threshold, threshold)",
           "return u + xp.clip(u, -threshold, threshold)", SOLVER_TESTS),
    Mutant("solvers.nonnegative_threshold_sign", "numerics/solvers/base.py", "xp.maximum(u - threshold, 0.0)",
           "xp.maximum(u + threshold, 0.0)", SOLVER_TESTS),
    Mutant("solvers.stopping_rtol_loose", "numerics/solvers/base.py", "rtol: float = 1e-7", "rtol: float = 1e-2",
           SOLVER_TESTS),
    # Theory behind AMP and the transition.
    Mutant("theory.kappa_swapped", "theory/soft_threshold_minimax.py", 'KAPPA = {"signed": 2, "nonneg": 1}',
           'KAPPA = {"signed": 1, "nonneg": 2}', ("tests/test_l1_phase_transition.py",
                                                   "tests/test_soft_threshold_minimax.py")),
    Mutant("theory.dmm_objective_delta", "theory/l1_phase_transition.py", "(1 - kappa / delta * g)",
           "(1 - kappa * delta * g)", ("tests/test_l1_phase_transition.py",)),
    Mutant("state_evolution.dead_zone", "theory/state_evolution.py",
           "dead_zone = special.ndtr(upper) - special.ndtr(lower)", "dead_zone = special.ndtr(upper)", SE_TESTS),
    Mutant("state_evolution.initial_variance", "theory/state_evolution.py",
           "self.epsilon * signal_power(self.signal) / self.delta", "self.epsilon * signal_power(self.signal)",
           SE_TESTS),
    # Seeding (numerics/seeding.py).
    Mutant("seeding.python_hash", "numerics/seeding.py",
           'return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")',
           "return hash(text) % 2**64", ("tests/test_seeding.py", "tests/test_sweep.py")),
    Mutant("seeding.coordinates_unordered", "numerics/seeding.py",
           "spawn_key=tuple(coordinate_key(c) for c in coordinates)",
           "spawn_key=tuple(sorted(coordinate_key(c) for c in coordinates))", ("tests/test_seeding.py",)),
    # Capacity (numerics/capacity_scaling.py): bisection, bracketing, refinement, the ratio at the largest m.
    Mutant("capacity.bisection_wrong_side", "numerics/capacity_scaling.py",
           "            if self.succeeds(middle):\n                low = middle",
           "            if self.succeeds(middle):\n                high = middle", CAPACITY_TESTS),
    Mutant("capacity.bracket_gives_up_early", "numerics/capacity_scaling.py", "if high > MAX_RATIO * m:",
           "if high > 4 * m:", CAPACITY_TESTS),
    Mutant("capacity.no_refinement", "numerics/capacity_scaling.py", "and refinements < REFINEMENTS:",
           "and refinements < 0:", CAPACITY_TESTS),
    Mutant("capacity.ratio_at_first_m", "numerics/capacity_scaling.py", "return self.n_max[-1] / self.m[-1]",
           "return self.n_max[0] / self.m[0]", CAPACITY_TESTS),
    Mutant("capacity.bootstrap_without_trial_noise", "numerics/capacity_scaling.py",
           "resampled = rng.binomial(trials.astype(np.int64), rate)", "resampled = successes.astype(np.int64)",
           CAPACITY_TESTS),
    # Statistics (numerics/statistics.py, numerics/power_law_fit.py).
    Mutant("statistics.wilson_z_one_sided", "numerics/statistics.py",
           "float(special.ndtri(0.5 + confidence / 2))", "float(special.ndtri(confidence))", STATISTICS_TESTS),
    Mutant("statistics.logistic_midpoint_sign", "numerics/statistics.py",
           "midpoint = centre - beta[0] / beta[1] * spread", "midpoint = centre + beta[0] / beta[1] * spread",
           STATISTICS_TESTS),
    Mutant("statistics.batched_midpoint_sign", "numerics/statistics.py",
           "midpoints = centre[:, 0] - beta[:, 0]", "midpoints = centre[:, 0] + beta[:, 0]", STATISTICS_TESTS),
    Mutant("statistics.significance_z_zero", "numerics/statistics.py", "z: float = 2.0) -> bool:",
           "z: float = 0.0) -> bool:", STATISTICS_TESTS),
    Mutant("power_law.bootstrap_level", "numerics/power_law_fit.py", "    tail = (1 - fit.confidence) / 2",
           "    tail = (1 - fit.confidence)", FIT_TESTS),
    Mutant("power_law.ols_degrees_of_freedom", "numerics/power_law_fit.py",
           "stats.t.ppf(0.5 + confidence / 2, log_x.size - 2)", "stats.norm.ppf(0.5 + confidence / 2)", FIT_TESTS),
    # Phase transition (numerics/phase_transition.py).
    Mutant("phase_transition.k_truncated", "numerics/phase_transition.py", "return m, round(rho * m)",
           "return m, int(rho * m)", ("tests/test_phase_transition.py",)),
    Mutant("phase_transition.m_truncated", "numerics/phase_transition.py", "m = max(1, round(delta * self.n))",
           "m = max(1, int(delta * self.n))", ("tests/test_phase_transition.py",)),
    Mutant("phase_transition.width_factor", "numerics/phase_transition.py", "WIDTH_FACTOR = 2 * math.log(9)",
           "WIDTH_FACTOR = math.log(9)", ("tests/test_phase_transition.py",)),
    # Reports and verify.
    Mutant("latex.percent_not_escaped", "superposition/latex.py", '"%": r"\\%", ', '"%": "%", ',
           ("tests/test_latex_escaping.py",)),
    Mutant("verify.skips_counted_as_passes", "superposition/checks.py",
           '"passed": sum(check.passed is not None and bool(check.passed) for check in checks)',
           '"passed": sum(check.passed is None or bool(check.passed) for check in checks)', ("tests/test_cli_verify.py",)),
)

#: Survivors that do not matter, each with the reason (empty: every mutant must be killed).
EXPECTED_SURVIVORS = {}


def check_clean(paths) -> None:
    """Refuse to touch files with uncommitted changes (a restore must never lose work)."""
    status = subprocess.run(["git", "status", "--porcelain", "--", *paths], cwd=ROOT, capture_output=True, text=True)
    if status.stdout.strip():
        sys.exit(f"mutants: uncommitted changes in {sorted(set(paths))}; commit or stash them first")


def run_mutant(mutant: Mutant, timeout: float) -> tuple[str, float, str]:
    """(outcome, seconds, last line of the test output) for one mutant; the file is always restored."""
    path = ROOT / mutant.path
    original = path.read_text()
    if original.count(mutant.original) != 1:
        return "stale", 0.0, f"text found {original.count(mutant.original)} times in {mutant.path}"
    started = time.perf_counter()
    try:
        path.write_text(original.replace(mutant.original, mutant.mutated))
        command = [sys.executable, "-m", "pytest", "-x", "-q", "-m", "not slow", "-p", "no:cacheprovider",
                   *mutant.tests]
        environment = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1"}
        try:
            process = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=timeout,
                                     env=environment)
        except subprocess.TimeoutExpired:
            return "killed (timeout)", time.perf_counter() - started, f"no result in {timeout:g} s"
        last = (process.stdout.strip().splitlines() or [""])[-1]
        return ("killed" if process.returncode != 0 else "survived"), time.perf_counter() - started, last
    finally:
        path.write_text(original)


def stop_on_sigterm(signum, frame):
    """SIGTERM as SystemExit, so that the ``finally`` restoring the file runs (as it does on Ctrl-C)."""
    raise SystemExit(f"mutants: stopped by signal {signum}; the mutated file was restored")


def main(argv=None) -> int:
    signal.signal(signal.SIGTERM, stop_on_sigterm)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default="", help="comma-separated mutant names (default: all)")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per mutant's tests (default: 300)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)
    chosen = [m for m in MUTANTS if not args.only or m.name in args.only.split(",")]
    check_clean([m.path for m in chosen])
    results = []
    for mutant in chosen:
        outcome, seconds, last = run_mutant(mutant, args.timeout)
        results.append({"name": mutant.name, "file": mutant.path, "outcome": outcome, "seconds": round(seconds, 1),
                        "tests": list(mutant.tests), "last_line": last,
                        "why_harmless": EXPECTED_SURVIVORS.get(mutant.name)})
        if not args.json:
            print(f"{outcome:17} {seconds:6.1f} s  {mutant.name:40} {last}", flush=True)
    unexpected = [r for r in results if r["outcome"] in ("survived", "stale") and not r["why_harmless"]]
    killed = sum(r["outcome"].startswith("killed") for r in results)
    if args.json:
        print(json.dumps({"results": results, "killed": killed, "total": len(results)}, indent=2))
    else:
        print(f"\n{killed} of {len(results)} mutants killed; unexpected survivors or stale: "
              f"{', '.join(r['name'] for r in unexpected) or 'none'}")
    return 1 if unexpected else 0


if __name__ == "__main__":
    sys.exit(main())
