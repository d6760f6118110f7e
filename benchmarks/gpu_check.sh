#!/usr/bin/env bash
# One-shot GPU check (issue 15): on a machine with CUDA and nothing else prepared, from the repository root,
#
#   bash benchmarks/gpu_check.sh            # everything, about 8 minutes at most on one H100/H200
#   bash benchmarks/gpu_check.sh --backend numpy --small   # the same steps on the CPU, seconds (what CI runs)
#
# 1. uses a preinstalled CuPy, or installs the package with the [gpu] extra (pip install -e '.[gpu,test]');
# 2. runs the gpu-marked tests (CuPy against NumPy, same numbers);
# 3. runs benchmarks/recovery.py on the backend in float64 and float32 (problems/s, % of cuBLAS GEMM);
# 4. runs a Donoho–Tanner grid of 20 δ × 20 ρ × 100 trials at n = 1000 with distinct matrices
#    (benchmarks/dt_grid.py --grid gpu): problems/s, generation share, fraction of GEMM, wall time.
# Each step has its own time limit; the whole script prints its wall time at the end and exits non-zero if a step
# failed. --small shrinks every size (for testing the script itself).
set -u -o pipefail

backend=cupy
small=0
while [ $# -gt 0 ]; do
  case "$1" in
    --backend) backend="$2"; shift 2 ;;
    --small) small=1; shift ;;
    *) echo "gpu_check.sh: error: unknown argument $1 (allowed: --backend NAME, --small)" >&2; exit 2 ;;
  esac
done

python=${PYTHON:-python}
started=$(date +%s)
failed=0
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"

step() {  # step NAME SECONDS COMMAND...: run with a time limit, report, remember failures
  local name=$1 limit=$2; shift 2
  echo "== $name (limit ${limit} s)"
  local clock=$(date +%s)
  timeout "$limit" "$@"
  local status=$?
  echo "== $name: exit $status after $(( $(date +%s) - clock )) s"
  [ $status -eq 0 ] || failed=1
}

echo "gpu_check: backend $backend, $(uname -n), load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader

if [ "$backend" = cupy ]; then
  if ! "$python" -c "import cupy" 2>/dev/null; then
    step "install [gpu,test]" 240 "$python" -m pip install --quiet -e ".[gpu,test]" || true
  fi
  step "gpu-marked tests" 180 "$python" -m pytest -q -m gpu tests/
else
  step "gpu-marked tests (skip without CuPy)" 120 "$python" -m pytest -q -m gpu tests/
fi

if [ $small -eq 1 ]; then
  sizes=(--batch 200 --distinct-batch 20 --peer-problems 5 --repeats 1 --solvers amp,omp)
  grid=small
else
  sizes=(--repeats 3 --no-peers)
  grid=gpu
fi
step "recovery benchmark, float64" 120 "$python" benchmarks/recovery.py --backend "$backend" "${sizes[@]}"
step "recovery benchmark, float32" 120 "$python" benchmarks/recovery.py --backend "$backend" --dtype float32 "${sizes[@]}"
step "Donoho-Tanner grid ($grid)" 240 "$python" benchmarks/dt_grid.py --grid "$grid" --backend "$backend"

echo "gpu_check: total wall time $(( $(date +%s) - started )) s (target: under 480 s; grid target on one H100/H200: under 60 s)"
exit $failed
