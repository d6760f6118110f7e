"""A resumable grid sweep: configuration, simulation and analysis apart, one small JSON file per finished cell.

Modelled on Magni's ``cs/phase_transition`` (config, simulation, analysis kept apart, results stored per grid
point). A :class:`SweepSpec` is everything that determines the numbers: the experiment's name, its
configuration (solver, tolerance, trials, backend, master seed, ...) and the list of cells (each a dict of
coordinates). Its SHA-256 over canonical JSON is the sweep's identity.

The output folder holds ``manifest.json`` (the spec, its hash, the package version, backend, device and any
metadata the caller adds, such as the git commit) and
``cell-NNNNN.json`` per finished cell (its index, coordinates, the spec's hash and the result). Every file is
written to a temporary name and renamed, so a sweep killed at any moment (``kill -9`` included) leaves only
whole files; rerunning the same spec skips the finished cells and computes the rest. Each cell's random
numbers derive from the master seed and the cell's coordinates (:mod:`numerics.seeding`), never from the order
in which cells run, so interrupted-and-resumed, serial and Dask runs give identical results. A different spec
aimed at the same folder is refused. Results are JSON, never pickles.

>>> import tempfile
>>> spec = SweepSpec("demo", {"seed": 1}, [{"x": 1}, {"x": 2}])
>>> def square(config, coordinates):
...     return {"square": coordinates["x"] ** 2}
>>> with tempfile.TemporaryDirectory() as folder:
...     [cell["result"] for cell in run_sweep(folder, spec, square)]
[{'square': 1}, {'square': 4}]
"""

import contextlib
import hashlib
import importlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from numerics.backend import is_out_of_memory, release_device_memory
from numerics.files import package_version, write_atomic
from numerics.host import blas_thread_limit
from theory.validation import InvalidParameter

MANIFEST_NAME = "manifest.json"
FORMAT_VERSION = 1
DASK_INSTALL_HINT = "pip install 'scaling-superposition[dask]'"


def canonical_json(payload) -> str:
    """JSON with sorted keys and no whitespace: equal payloads give equal text (and hash)."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), allow_nan=True)


@dataclass(frozen=True)
class SweepSpec:
    """What determines a sweep's numbers: experiment name, configuration, and the cells' coordinates in order."""

    experiment: str
    config: dict
    cells: list

    def to_dict(self) -> dict:
        return {"experiment": self.experiment, "config": self.config, "cells": self.cells}

    @property
    def config_hash(self) -> str:
        return hashlib.sha256(canonical_json(self.to_dict()).encode()).hexdigest()


def write_json_atomic(path: Path, payload: dict) -> None:
    """Write ``payload`` as JSON to a temporary file in the same folder, then rename it over ``path``."""
    write_atomic(path, (json.dumps(payload, indent=1) + "\n").encode())


def cell_path(folder: Path, index: int) -> Path:
    return folder / f"cell-{index:05d}.json"


def open_sweep_folder(folder, spec: SweepSpec, *, backend: str = "numpy", device: str = "cpu",
                      metadata: dict | None = None) -> Path:
    """Create ``folder`` with the spec's manifest, or check that the manifest there is this spec's.

    ``metadata`` (e.g. the git commit of the code) is recorded in a new manifest but is not part of the hash.
    Raises :class:`InvalidParameter` naming ``--out`` when the folder is not writable or holds another sweep.
    """
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob(".*.tmp"):  # left by a process killed mid-write
            stale.unlink(missing_ok=True)
        manifest_path = folder / MANIFEST_NAME
        if manifest_path.exists():
            existing = json.loads(manifest_path.read_text())
            if existing.get("config_hash") != spec.config_hash:
                raise InvalidParameter(
                    "--out",
                    f"{str(folder)!r} holds a {existing.get('experiment', 'different')} sweep with another configuration "
                    f"(hash {str(existing.get('config_hash'))[:12]}, this one {spec.config_hash[:12]}): "
                    "use another folder or delete that one",
                )
            return folder
        write_json_atomic(manifest_path, {
            "format_version": FORMAT_VERSION, **spec.to_dict(), "config_hash": spec.config_hash,
            "package_version": package_version(), "backend": backend, "device": device, **(metadata or {}),
        })
    except OSError as error:
        raise InvalidParameter("--out", f"must be a writable folder, got {str(folder)!r} ({error.strerror})") from None
    except json.JSONDecodeError:
        raise InvalidParameter("--out", f"{str(folder)!r} holds an unreadable {MANIFEST_NAME}: use another folder") from None
    return folder


def finished_cells(folder: Path, spec: SweepSpec) -> dict[int, dict]:
    """The cells of ``spec`` already stored in ``folder``, by index (files of other specs are refused)."""
    finished = {}
    for index, coordinates in enumerate(spec.cells):
        path = cell_path(folder, index)
        if not path.exists():
            continue
        record = json.loads(path.read_text())
        if record["config_hash"] != spec.config_hash or record["coordinates"] != coordinates:
            raise InvalidParameter("--out", f"{str(path)!r} belongs to another sweep: use another folder")
        finished[index] = record
    return finished


def run_cell(evaluate: Callable, config: dict, coordinates: dict) -> dict:
    """Evaluate one cell with host BLAS on a single thread.

    Cells are the unit of parallelism (``--workers``); inside a cell the matrix products are small, and a
    multi-threaded BLAS competing for busy cores makes them tens of times slower (measured: a capacity cell at
    m = 100 took 12.6 s with two OpenBLAS threads on a loaded 2-core machine, 0.29 s with one).
    """
    with blas_thread_limit(1):
        return evaluate(config, coordinates)


def serial_results(evaluate: Callable, config: dict, pending: list) -> Iterator[tuple[int, dict]]:
    """Evaluate the pending (index, coordinates) cells one after another in this process."""
    for index, coordinates in pending:
        yield index, run_cell(evaluate, config, coordinates)


def task_key(evaluate: Callable, config: dict, coordinates: dict) -> str:
    """A Dask key naming what determines a cell's result (function, configuration, coordinates), nothing else."""
    identity = canonical_json({"function": f"{evaluate.__module__}.{evaluate.__qualname__}", "config": config,
                               "coordinates": coordinates})
    return f"sweep-cell-{hashlib.sha256(identity.encode()).hexdigest()[:24]}"


class DaskExecutor:
    """Runs cells as Dask tasks on a client's cluster; results come back (as JSON-able dicts) as they finish."""

    def __init__(self, client):
        self.client = client

    def results(self, evaluate: Callable, config: dict, pending: list) -> Iterator[tuple[int, dict]]:
        from distributed import as_completed

        futures = {
            self.client.submit(run_cell, evaluate, config, coordinates, key=task_key(evaluate, config, coordinates)): index
            for index, coordinates in pending
        }
        for future in as_completed(futures):
            yield futures[future], future.result()


def import_distributed(parameter: str):
    """The ``distributed`` module, or a one-line error naming ``parameter`` with the install hint."""
    try:
        return importlib.import_module("distributed")
    except ImportError:
        raise InvalidParameter(parameter, f"needs Dask, which is not installed: {DASK_INSTALL_HINT}") from None


@contextlib.contextmanager
def dask_executor(*, scheduler: str | None = None, workers: int | None = None, processes: bool = True):
    """A :class:`DaskExecutor` on the cluster at ``scheduler``, or on a local cluster of ``workers`` workers."""
    parameter = "--scheduler" if scheduler else "--workers"
    distributed = import_distributed(parameter)
    with contextlib.ExitStack() as stack:
        if scheduler:
            try:
                client = stack.enter_context(distributed.Client(scheduler, timeout="5s"))
            except (OSError, TimeoutError) as error:
                raise InvalidParameter("--scheduler", f"cannot reach a Dask scheduler at {scheduler!r} ({error})") from None
        else:
            cluster = stack.enter_context(distributed.LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=processes, dashboard_address=None,
            ))
            client = stack.enter_context(distributed.Client(cluster))
        yield DaskExecutor(client)


def run_sweep(folder, spec: SweepSpec, evaluate: Callable, *, executor=None, on_progress: Callable | None = None,
              backend: str = "numpy", device: str = "cpu", metadata: dict | None = None) -> list[dict]:
    """Run every cell of ``spec`` not yet in ``folder``, store each as it finishes, and return all cells in order.

    ``evaluate(config, coordinates) -> dict`` computes one cell (a module-level function, so Dask can ship it);
    ``executor`` is None (in this process) or a :class:`DaskExecutor`; ``on_progress(n)`` is called as cells finish
    (already finished cells first).
    """
    folder = open_sweep_folder(folder, spec, backend=backend, device=device, metadata=metadata)
    finished = finished_cells(folder, spec)
    if on_progress and finished:
        on_progress(len(finished))
    pending = [(index, coordinates) for index, coordinates in enumerate(spec.cells) if index not in finished]
    results = serial_results if executor is None else executor.results
    for index, result in results(evaluate, spec.config, pending):
        record = {"index": index, "coordinates": spec.cells[index], "config_hash": spec.config_hash, "result": result}
        write_json_atomic(cell_path(folder, index), record)
        finished[index] = json.loads(json.dumps(record))  # exactly what a resumed run reads back
        if on_progress:
            on_progress(1)
    return [finished[index] for index in range(len(spec.cells))]


def run_in_batches(run_batch: Callable, total: int, batch: int) -> list:
    """``[run_batch(start, size), ...]`` over consecutive blocks of at most ``batch`` of ``total`` problems.

    A block that runs out of memory is split in two halves, recursively, down to single problems (a single
    problem that does not fit re-raises). ``run_batch`` seeds its problems from ``(start, size)``, so an
    unsplit run is reproducible; a split draws other problems from the same distribution (the cell records
    its block sizes).
    """
    if total < 1 or batch < 1:
        raise InvalidParameter("--batch", f"must be >= 1 with >= 1 problem, got batch {batch} for {total}")

    def attempt(start: int, size: int) -> list:
        try:
            return [run_batch(start, size)]
        except Exception as error:
            if size == 1 or not is_out_of_memory(error):
                raise
        release_device_memory()
        half = size // 2
        return attempt(start, half) + attempt(start + half, size - half)

    return [part for start in range(0, total, batch) for part in attempt(start, min(batch, total - start))]
