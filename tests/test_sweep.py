"""The sweep engine: resume after a failure or kill -9 equals an uninterrupted run; Dask equals serial."""

import json
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from numerics import files, sweep
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
    with pytest.raises(InvalidParameter, match="^folder .* holds a test sweep with another configuration"):
        run_sweep(tmp_path, grid(seed=2, size=2), noisy_cell)
    with pytest.raises(InvalidParameter, match="^folder "):
        run_sweep(tmp_path, grid(seed=1, size=3), noisy_cell)
    assert len(stored_cells(tmp_path)) == 4


def test_manifest_records_configuration_hash_version_backend_device(tmp_path):
    spec = grid(size=2)
    run_sweep(tmp_path, spec, noisy_cell, backend="numpy", device="cpu")
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["config_hash"] == spec.config_hash
    assert manifest["config"] == spec.config and manifest["cells"] == spec.cells
    assert manifest["backend"] == "numpy" and manifest["device"] == "cpu"
    assert manifest["package_version"] == files.package_version()


def test_unwritable_folder_is_refused_naming_out(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(InvalidParameter, match="^folder must be a writable folder"):
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
    with pytest.raises(InvalidParameter, match=r"^workers needs Dask.*pip install"):
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
    with pytest.raises(InvalidParameter, match="^batch "):
        run_in_batches(lambda start, size: None, total=4, batch=0)


def corrupt(path, how):
    """Damage a stored cell file the way a crash, a disk error or a person might."""
    record = json.loads(path.read_text())
    damage = {
        "truncated": lambda: path.write_text(path.read_text()[:40]),
        "empty": lambda: path.write_text(""),
        "binary": lambda: path.write_bytes(b"\xff\xfe\x00\x01binary"),
        "wrong shape": lambda: path.write_text("[1, 2, 3]"),
        "missing field": lambda: path.write_text(json.dumps({k: v for k, v in record.items() if k != "result"})),
        "directory": lambda: (path.unlink(), path.mkdir()),
        "edited result": lambda: path.write_text(json.dumps({**record, "result": {**record["result"], "sum": 20}})),
        "edited coordinates": lambda: path.write_text(json.dumps({**record, "coordinates": {"a": 0, "b": 3.0}})),
        "another configuration": lambda: path.write_text(json.dumps(sweep.cell_record(grid(seed=99), 3, {"sum": 0}))),
    }
    damage[how]()


@pytest.mark.parametrize("how", ["truncated", "empty", "binary", "wrong shape", "missing field", "directory",
                                 "edited result", "edited coordinates", "another configuration"])
def test_a_damaged_cell_is_quarantined_by_path_and_recomputed_to_the_clean_numbers(tmp_path, how):
    spec = grid(size=3)
    reference = run_sweep(tmp_path / "reference", spec, noisy_cell)
    folder = tmp_path / "damaged"
    run_sweep(folder, spec, noisy_cell)
    corrupt(folder / "cell-00003.json", how)
    reported, evaluated = [], []

    def counting(config, coordinates):
        evaluated.append(coordinates)
        return noisy_cell(config, coordinates)

    resumed = run_sweep(folder, spec, counting, on_quarantine=lambda path, reason: reported.append((path, reason)))
    assert [path.name for path, _ in reported] == ["cell-00003.json"]
    assert evaluated == [spec.cells[3]]
    assert resumed == reference and stored_cells(folder) == stored_cells(tmp_path / "reference")
    assert [path.name.split(".")[0] for path in (folder / "quarantine").iterdir()] == ["cell-00003"]


def test_every_cell_carries_its_configuration_and_a_checksum_of_its_content(tmp_path):
    spec = grid(size=2)
    record = run_sweep(tmp_path, spec, noisy_cell)[1]
    assert record["config"] == spec.config and record["config_hash"] == spec.config_hash
    assert record["checksum"] == sweep.cell_checksum(record)
    assert sweep.cell_checksum({**record, "result": {**record["result"], "sum": 7}}) != record["checksum"]


def test_a_deleted_manifest_is_rebuilt_by_the_same_spec_and_another_spec_is_refused_writing_nothing(tmp_path):
    spec = grid(seed=1, size=2)
    reference = run_sweep(tmp_path, spec, noisy_cell)
    (tmp_path / "manifest.json").unlink()
    with pytest.raises(InvalidParameter, match="no manifest; its cells carry hash"):
        run_sweep(tmp_path, grid(seed=2, size=2), noisy_cell)
    assert not (tmp_path / "manifest.json").exists() and len(stored_cells(tmp_path)) == 4
    evaluated = []
    assert run_sweep(tmp_path, spec, lambda config, coordinates: evaluated.append(1)) == reference
    assert not evaluated
    assert json.loads((tmp_path / "manifest.json").read_text())["config_hash"] == spec.config_hash


def test_an_unreadable_manifest_is_quarantined_and_rebuilt(tmp_path):
    spec = grid(size=2)
    reference = run_sweep(tmp_path, spec, noisy_cell)
    (tmp_path / "manifest.json").write_text("{not json")
    reported = []
    assert run_sweep(tmp_path, spec, noisy_cell, on_quarantine=lambda path, reason: reported.append(path.name)) == reference
    assert reported == ["manifest.json"]
    assert json.loads((tmp_path / "manifest.json").read_text())["config_hash"] == spec.config_hash


CONCURRENT_SCRIPT = textwrap.dedent("""
    import os, sys, time
    sys.path.insert(0, {tests!r})
    from test_sweep import grid, noisy_cell
    from numerics.sweep import run_sweep

    def logged(config, coordinates):
        while not os.path.exists(sys.argv[3]):  # the test releases the first run once the second one waits
            time.sleep(0.01)
        with open(sys.argv[2], "a") as log:
            log.write("cell\\n")
        return noisy_cell(config, coordinates)

    run_sweep(sys.argv[1], grid(size=3), logged, on_wait=lambda message: print(message, flush=True))
""")


def test_two_runs_on_one_folder_do_the_work_once_and_the_second_names_the_holder(tmp_path):
    script = tmp_path / "two_runs.py"  # not concurrent.py: it would shadow the standard library's concurrent
    script.write_text(CONCURRENT_SCRIPT.format(tests=os.path.dirname(__file__)))
    folder, log, release, said = tmp_path / "cells", tmp_path / "log", tmp_path / "release", tmp_path / "said"
    command = [sys.executable, str(script), str(folder), str(log), str(release)]
    first = subprocess.Popen(command, cwd=os.getcwd())
    deadline = time.monotonic() + 60
    while not (folder / "sweep.lock.owner").exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    with open(said, "w") as stdout:
        second = subprocess.Popen(command, cwd=os.getcwd(), stdout=stdout)
        while "waiting" not in said.read_text() and time.monotonic() < deadline:
            time.sleep(0.01)
        release.touch()
        assert first.wait(timeout=120) == 0 and second.wait(timeout=120) == 0
    assert f"in use by process {first.pid}" in said.read_text()
    assert log.read_text().count("cell") == 9
    assert [cell["result"] for cell in run_sweep(folder, grid(size=3), noisy_cell)] == \
        [cell["result"] for cell in run_sweep(tmp_path / "reference", grid(size=3), noisy_cell)]


def test_analysis_only_options_are_outside_the_configuration_hash():
    from numerics.capacity_scaling import CapacityConfig

    configs = [CapacityConfig(densities=(0.1,), m_grid=(10, 20), trials=4, n_bootstrap=size) for size in (100, 2000)]
    assert configs[0].spec() == configs[1].spec()
    assert CapacityConfig(densities=(0.1,), m_grid=(10, 20), trials=5).spec().config_hash != configs[0].spec().config_hash
