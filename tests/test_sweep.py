"""The sweep engine: resume after a failure or kill -9 equals an uninterrupted run; Dask equals serial."""

import json
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from numerics import sweep
from numerics.seeding import cell_generator
from numerics.sweep import SweepSpec, run_in_batches, run_sweep
from theory.validation import InvalidParameter


def noisy_cell(config, coordinates):
    """A cell whose numbers depend only on the master seed and the coordinates (a string among them, so a seed
    taken from Python's per-process ``hash()`` would differ between processes)."""
    rng = cell_generator(config["seed"], ("noisy", coordinates["a"], coordinates["b"]))
    return {"draws": rng.normal(size=3).tolist(), "sum": coordinates["a"] + coordinates["b"]}


def grid(seed=11, size=4):
    return SweepSpec("test", {"seed": seed}, [{"a": a, "b": b / 10} for a in range(size) for b in range(size)])


def stored_cells(folder):
    return {path.name: json.loads(path.read_text()) for path in sorted(folder.glob("cell-*.json"))}


def test_resume_after_injected_failure_equals_uninterrupted_run(tmp_path):
    spec = grid()
    reference = run_sweep(tmp_path / "reference", spec, noisy_cell)
    calls = []

    def failing(config, coordinates):
        if len(calls) == 5:
            raise RuntimeError("injected failure")
        calls.append(coordinates)
        return noisy_cell(config, coordinates)

    with pytest.raises(RuntimeError, match="injected"):
        run_sweep(tmp_path / "resumed", spec, failing)
    assert len(stored_cells(tmp_path / "resumed")) == 5
    evaluated = []

    def counting(config, coordinates):
        evaluated.append(coordinates)
        return noisy_cell(config, coordinates)

    resumed = run_sweep(tmp_path / "resumed", spec, counting)
    assert len(evaluated) == len(spec.cells) - 5
    assert resumed == reference
    assert stored_cells(tmp_path / "resumed") == stored_cells(tmp_path / "reference")


def test_progress_counts_every_cell_once_including_finished_ones(tmp_path):
    spec = grid(size=3)
    run_sweep(tmp_path, spec, noisy_cell)
    (tmp_path / "cell-00004.json").unlink()
    ticks = []
    run_sweep(tmp_path, spec, noisy_cell, on_progress=ticks.append)
    assert sum(ticks) == len(spec.cells) and ticks[0] == len(spec.cells) - 1


KILLABLE_SCRIPT = textwrap.dedent("""
    import sys, time
    sys.path.insert(0, {tests!r})
    from test_sweep import grid, noisy_cell
    from numerics.sweep import run_sweep

    def slow(config, coordinates):
        time.sleep(0.1)
        return noisy_cell(config, coordinates)

    run_sweep(sys.argv[1], grid(size=4), slow)
""")


def environment_with_hash_seed(hash_seed: str) -> dict:
    """The environment of a child Python whose string ``hash()`` differs from this process's and the other child's."""
    return {**os.environ, "PYTHONHASHSEED": hash_seed}


def test_resume_after_kill_minus_9_equals_uninterrupted_run(tmp_path):
    """Fast tier: a sweep killed (SIGKILL) after a few cells and resumed in another process, each with its own
    PYTHONHASHSEED, stores exactly the cells of an uninterrupted in-process run."""
    script = tmp_path / "sweep_script.py"
    script.write_text(KILLABLE_SCRIPT.format(tests=os.path.dirname(__file__)))
    folder = tmp_path / "killed"
    process = subprocess.Popen([sys.executable, str(script), str(folder)], cwd=os.getcwd(),
                               env=environment_with_hash_seed("1"))
    deadline = time.monotonic() + 60
    while len(list(folder.glob("cell-*.json"))) < 4 and time.monotonic() < deadline:
        time.sleep(0.02)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    interrupted = len(list(folder.glob("cell-*.json")))
    assert 4 <= interrupted < 16
    assert subprocess.run([sys.executable, str(script), str(folder)], cwd=os.getcwd(),
                          env=environment_with_hash_seed("2")).returncode == 0
    reference = run_sweep(tmp_path / "reference", grid(size=4), noisy_cell)
    resumed = run_sweep(folder, grid(size=4), noisy_cell)
    assert [cell["result"] for cell in resumed] == [cell["result"] for cell in reference]
    assert stored_cells(folder) == stored_cells(tmp_path / "reference")
    assert not list(folder.glob(".*.tmp"))


def test_another_configuration_in_the_same_folder_is_refused(tmp_path):
    run_sweep(tmp_path, grid(seed=1, size=2), noisy_cell)
    with pytest.raises(InvalidParameter, match="--out .* holds a test sweep with another configuration"):
        run_sweep(tmp_path, grid(seed=2, size=2), noisy_cell)
    with pytest.raises(InvalidParameter, match="--out"):
        run_sweep(tmp_path, grid(seed=1, size=3), noisy_cell)
    assert len(stored_cells(tmp_path)) == 4


def test_manifest_records_configuration_hash_version_backend_device(tmp_path):
    spec = grid(size=2)
    run_sweep(tmp_path, spec, noisy_cell, backend="numpy", device="cpu")
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["config_hash"] == spec.config_hash
    assert manifest["config"] == spec.config and manifest["cells"] == spec.cells
    assert manifest["backend"] == "numpy" and manifest["device"] == "cpu"
    assert manifest["package_version"] == sweep.package_version()


def test_unwritable_folder_is_refused_naming_out(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(InvalidParameter, match="--out must be a writable folder"):
        run_sweep(blocker / "sub", grid(size=2), noisy_cell)


def test_dask_local_cluster_gives_the_serial_results(tmp_path):
    pytest.importorskip("distributed")
    spec = grid(size=3)
    serial = run_sweep(tmp_path / "serial", spec, noisy_cell)
    with sweep.dask_executor(workers=2, processes=False) as executor:
        distributed = run_sweep(tmp_path / "dask", spec, noisy_cell, executor=executor)
    assert distributed == serial
    assert stored_cells(tmp_path / "dask") == stored_cells(tmp_path / "serial")


def test_missing_dask_gives_the_install_hint(monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(InvalidParameter, match=r"--workers needs Dask.*pip install"):
        with sweep.dask_executor(workers=1):
            pass


class FakeOutOfMemoryError(Exception):
    """Named like CuPy's, which is what :func:`numerics.backend.is_out_of_memory` looks for."""


FakeOutOfMemoryError.__name__ = "OutOfMemoryError"


def test_out_of_memory_splits_the_batch_until_it_fits():
    calls = []

    def run_batch(start, size):
        calls.append((start, size))
        if size > 3:
            raise FakeOutOfMemoryError("out of memory allocating")
        return list(range(start, start + size))

    parts = run_in_batches(run_batch, total=10, batch=8)
    assert [item for part in parts for item in part] == list(range(10))
    assert [size for _, size in calls if size <= 3] == [2, 2, 2, 2, 2]


def test_other_errors_and_single_problems_that_do_not_fit_are_raised():
    with pytest.raises(ValueError):
        run_in_batches(lambda start, size: (_ for _ in ()).throw(ValueError("bad")), total=4, batch=4)
    with pytest.raises(FakeOutOfMemoryError):
        run_in_batches(lambda start, size: (_ for _ in ()).throw(FakeOutOfMemoryError()), total=2, batch=2)
    with pytest.raises(InvalidParameter, match="--batch"):
        run_in_batches(lambda start, size: None, total=4, batch=0)
