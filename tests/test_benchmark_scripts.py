"""The benchmark scripts run end to end on the CPU (their numbers are measurements, never asserted here)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_script(*words):
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(list(words), cwd=ROOT, env=environment, capture_output=True, text=True, timeout=600)


def test_dt_grid_small_reports_throughput_generation_share_and_gemm_fraction():
    result = run_script(sys.executable, "benchmarks/dt_grid.py", "--grid", "small", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["problems"] == report["cells"] * report["trials"] == 36
    assert 0 <= report["generation_share"] <= 1 and report["fraction_of_gemm"] > 0 and report["wall_seconds"] > 0


@pytest.mark.slow
def test_gpu_check_runs_every_step_on_numpy_in_its_small_mode():
    result = run_script("bash", "benchmarks/gpu_check.sh", "--backend", "numpy", "--small")
    assert result.returncode == 0, result.stdout + result.stderr
    for words in ("gpu-marked tests", "recovery benchmark, float64: exit 0", "recovery benchmark, float32: exit 0",
                  "Donoho-Tanner grid (small): exit 0", "plain-amp", "total wall time"):
        assert words in result.stdout, words


def test_gpu_check_refuses_an_unknown_argument_in_one_line():
    result = run_script("bash", "benchmarks/gpu_check.sh", "--fast")
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "--fast" in result.stderr
