"""Benchmark: the batched toy-model trainer against training the same instances one by one, in one process.

For two settings, the intro (n = 5, m = 2, 7 densities) and a capacity batch (n = 80, m = 8, 5 densities), it
trains every instance at once (:class:`numerics.toy_model.ToyTrainer`) and then each instance alone (the peer:
same code, one instance per trainer; identical trajectories), and prints steps/s, instance-steps/s and the ratio.
A third line times the batched trainer with the BLAS library's default thread count instead of one thread
(``TrainingSettings.blas_threads``), since small matrix products on a busy CPU suffer from thread hand-offs.
A fourth times the batched trainer in float32 (``TrainingSettings.dtype``) against float64, back to back.

glibc's malloc is told to keep freed memory first (:func:`numerics.host.retain_freed_memory`, as the CLI does).
Timings on a machine shared with other work are noisy; the ratios, measured back to back, are what to read.

    python benchmarks/toy.py [--steps 1000] [--backend numpy|cupy|auto] [--json]
"""

import argparse
import json
import time

import numpy as np

from numerics.backend import resolve
from numerics.seeding import cell_generator
from numerics.toy_data import importance_profile
from numerics.host import retain_freed_memory
from numerics.toy_experiments import density_spec
from numerics.toy_model import ToyTrainer, TrainingSettings

#: (name, n, m, densities, importance decay)
SETTINGS = (
    ("intro", 5, 2, (1.0, 0.3, 0.1, 0.03, 0.01, 0.003, 0.001), 0.9),
    ("capacity", 80, 8, (0.3, 0.1, 0.03, 0.01, 0.003), 1.0),
)


def trainer(n, m, densities, decay, steps, backend, blas_threads=1, dtype="float64"):
    spec = density_spec(densities, n=n, m=m, importance=importance_profile(n, decay))
    generators = [cell_generator(0, ("benchmark", n, m, float(p))) for p in densities]
    return ToyTrainer(spec, generators, TrainingSettings(steps=steps, blas_threads=blas_threads, dtype=dtype), backend)


def timed(make):
    """Seconds to run the trainer ``make()`` returns (construction excluded), and its result."""
    instance = make()
    started = time.perf_counter()
    result = instance.run()
    return time.perf_counter() - started, result


def measure(name, n, m, densities, decay, steps, backend) -> dict:
    timed(lambda: trainer(n, m, densities, decay, min(steps, 100), backend))  # warm-up: allocator, caches, libraries
    batched_seconds, batched = timed(lambda: trainer(n, m, densities, decay, steps, backend))
    alone_seconds, alone_W = 0.0, []
    for density in densities:
        seconds, result = timed(lambda: trainer(n, m, (density,), decay, steps, backend))
        alone_seconds += seconds
        alone_W.append(result.W[0])
    default_threads_seconds, _ = timed(lambda: trainer(n, m, densities, decay, steps, backend, blas_threads=None))
    single_seconds, single = timed(lambda: trainer(n, m, densities, decay, steps, backend, dtype="float32"))
    instances = len(densities)
    return {
        "setting": name, "n": n, "m": m, "instances": instances, "steps": steps,
        "batched_steps_per_s": steps / batched_seconds,
        "batched_instance_steps_per_s": steps * instances / batched_seconds,
        "one_by_one_instance_steps_per_s": steps * instances / alone_seconds,
        "speedup_batched_over_one_by_one": alone_seconds / batched_seconds,
        "speedup_one_blas_thread_over_default": default_threads_seconds / batched_seconds,
        "speedup_float32_over_float64": batched_seconds / single_seconds,
        "float32_max_weight_difference": float(np.abs(single.W - batched.W).max()),
        "same_weights_batched_and_alone": bool(np.allclose(batched.W, np.stack(alone_W), rtol=1e-10, atol=1e-12)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=1000, help="training steps per run (default: 1000)")
    parser.add_argument("--backend", default="numpy", help="numpy, cupy or auto (default: numpy)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args()
    retain_freed_memory()
    backend = resolve(args.backend)
    rows = [measure(*setting, args.steps, backend) for setting in SETTINGS]
    if args.json:
        print(json.dumps({"backend": backend.name, "device": backend.device, "results": rows}, indent=2))
        return
    print(f"backend {backend.name} on {backend.device}, {args.steps} steps of batch 1024")
    for row in rows:
        print(f"{row['setting']:>8} (n = {row['n']}, m = {row['m']}, {row['instances']} instances): "
              f"{row['batched_steps_per_s']:.0f} steps/s, {row['batched_instance_steps_per_s']:.0f} instance-steps/s "
              f"batched; {row['one_by_one_instance_steps_per_s']:.0f} one by one "
              f"(batched {row['speedup_batched_over_one_by_one']:.2f}x, same weights: "
              f"{row['same_weights_batched_and_alone']}); 1 BLAS thread vs default: "
              f"{row['speedup_one_blas_thread_over_default']:.2f}x; float32 vs float64: "
              f"{row['speedup_float32_over_float64']:.2f}x (max |ΔW| {row['float32_max_weight_difference']:.1e})")


if __name__ == "__main__":
    main()
