"""A resumable grid sweep: configuration, simulation and analysis apart, one small JSON file per finished cell.

Modelled on Magni's ``cs/phase_transition`` (config, simulation, analysis kept apart, results stored per grid
point). A :class:`SweepSpec` is everything that determines the numbers: the experiment's name, its
configuration (solver, tolerance, trials, backend, master seed, ...) and the list of cells (each a dict of
coordinates). Its SHA-256 over canonical JSON is the sweep's identity.

The output folder holds ``manifest.json`` (the spec, its hash, the package version, backend, device and any
metadata the caller adds, such as the git commit) and ``cell-NNNNN.json`` per finished cell: its index,
coordinates, the experiment and configuration, the spec's hash, the result, and a SHA-256 ``checksum`` of the
canonical JSON of all of that. Every file is written to a temporary name and renamed, so a sweep killed at any
moment (``kill -9`` included) leaves only whole files; rerunning the same spec skips the finished cells and
computes the rest. Each cell's random numbers derive from the master seed and the cell's coordinates
(:mod:`numerics.seeding`), never from the order in which cells run, so interrupted-and-resumed, serial and Dask
runs give identical results. Results are JSON, never pickles.

Integrity. A run holds an exclusive lock on the folder (``sweep.lock``, with the holder's PID in
``sweep.lock.owner``); a second run on the same folder waits for it and then finds the cells done. Only the
holder removes stale temporary files. On resume, a cell file that cannot be read or parsed, lacks a field, holds
another cell's coordinates, belongs to another configuration, or fails its checksum (edited after it was
written) is moved into ``quarantine/``, reported, and computed again. A different spec aimed at the same folder
is refused; so is a folder without a manifest whose cells belong to another spec (and nothing is written). A
missing or unreadable manifest is rebuilt when the cells there are this spec's: each cell carries its
configuration and hash.

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
import itertools
import json
import logging
import os
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock, Timeout

from numerics.backend import is_out_of_memory, release_device_memory
from numerics.files import package_version, write_atomic
from numerics.host import blas_thread_limit
from theory.validation import InvalidParameter

MANIFEST_NAME = "manifest.json"
LOCK_NAME = "sweep.lock"
QUARANTINE_NAME = "quarantine"
#: 2: cells carry the experiment, configuration and a checksum.
FORMAT_VERSION = 2
#: The fields of a cell file besides its checksum.
CELL_FIELDS = ("index", "coordinates", "experiment", "config", "config_hash", "result")
DASK_INSTALL_HINT = "pip install 'scaling-superposition[dask]'"
#: Run in each local Dask worker process as it starts (a preload script): Ctrl-C stops the command's own process,
#: which closes the cluster, instead of printing a KeyboardInterrupt traceback from every worker; the warnings of
#: tasks cancelled by that closing are not printed either.
IGNORE_INTERRUPTS = ("import logging, signal; signal.signal(signal.SIGINT, signal.SIG_IGN); "
                     "logging.getLogger('distributed.worker.state_machine').setLevel(logging.ERROR)")


def canonical_json(payload) -> str:
    """JSON with sorted keys and no whitespace: equal payloads give equal text (and hash)."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), allow_nan=True)


def cell_checksum(record: dict) -> str:
    """SHA-256 of the canonical JSON of a cell's fields (:data:`CELL_FIELDS`), the checksum stored beside them."""
    return hashlib.sha256(canonical_json({name: record[name] for name in CELL_FIELDS}).encode()).hexdigest()


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
    """Write ``payload`` as strict JSON (no bare NaN) through a temporary file renamed over ``path``."""
    write_atomic(path, (json.dumps(payload, indent=1, allow_nan=False) + "\n").encode())


def cell_path(folder: Path, index: int) -> Path:
    return folder / f"cell-{index:05d}.json"


@contextlib.contextmanager
def folder_lock(folder: Path, on_wait: Callable | None = None):
    """Hold the exclusive lock of a sweep folder; when another process holds it, say so (``on_wait``) and wait.

    The holder's PID and start time are written to ``sweep.lock.owner`` for the waiting run's message. The lock
    (``filelock``, an OS lock) dies with its process, so a killed run never leaves the folder locked.
    """
    lock = FileLock(str(folder / LOCK_NAME))
    owner = folder / f"{LOCK_NAME}.owner"
    try:
        lock.acquire(timeout=0)
    except Timeout:
        try:
            holder = json.loads(owner.read_text())
            who = f"process {holder['pid']} (started {holder['started']})"
        except (OSError, ValueError, KeyError, TypeError):
            who = "another process"
        if on_wait is not None:
            on_wait(f"{folder} is in use by {who}: waiting for it to finish (Ctrl-C to stop)")
        lock.acquire()
    try:
        owner.write_text(json.dumps({"pid": os.getpid(), "started": time.strftime("%Y-%m-%d %H:%M:%S")}) + "\n")
        yield
    finally:
        owner.unlink(missing_ok=True)
        lock.release()


def quarantine(folder: Path, path: Path) -> Path:
    """Move ``path`` (file or directory) into ``folder/quarantine/`` under a name not used yet; returns the new path."""
    target_folder = folder / QUARANTINE_NAME
    target_folder.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S")
    for attempt in itertools.count():
        target = target_folder / f"{path.name}.{stamp}.{attempt}"
        if not target.exists():
            shutil.move(str(path), str(target))
            return target
    raise AssertionError("unreachable")


def read_cell(path: Path) -> tuple[dict | None, str | None]:
    """(record, None) for a cell file that parses, has every field and matches its checksum; else (None, why)."""
    try:
        record = json.loads(path.read_text("utf-8"))
    except IsADirectoryError:
        return None, "is a directory"
    except UnicodeDecodeError:
        return None, "is not UTF-8 text"
    except OSError as error:
        return None, f"cannot be read ({error.strerror})"
    except json.JSONDecodeError as error:
        return None, f"is not valid JSON ({error.msg} at character {error.pos})"
    if not isinstance(record, dict) or any(name not in record for name in (*CELL_FIELDS, "checksum")):
        return None, "lacks the fields of a cell (" + ", ".join((*CELL_FIELDS, "checksum")) + ")"
    if record["checksum"] != cell_checksum(record):
        return None, "fails its checksum (its content changed after it was written)"
    return record, None


def cell_problem(record: dict, index: int, spec: SweepSpec) -> str | None:
    """Why a well-formed cell read at ``index`` is not this spec's cell there, or None."""
    if record["config_hash"] != spec.config_hash:
        return f"belongs to another configuration (hash {str(record['config_hash'])[:12]}, this one {spec.config_hash[:12]})"
    if record["index"] != index or record["coordinates"] != spec.cells[index]:
        return f"holds the coordinates {record['coordinates']} of cell {record['index']}, not {spec.cells[index]}"
    return None


def stored_cell_paths(folder: Path) -> list[Path]:
    return sorted(folder.glob("cell-*.json"))


def foreign_sweep(folder: Path, spec: SweepSpec) -> dict | None:
    """A well-formed cell in ``folder`` that belongs to another spec (the folder is another sweep's), or None."""
    for path in stored_cell_paths(folder):
        record, _ = read_cell(path)
        if record is not None and record["config_hash"] != spec.config_hash:
            return record
    return None


def manifest_payload(spec: SweepSpec, backend: str, device: str, metadata: dict | None) -> dict:
    return {"format_version": FORMAT_VERSION, **spec.to_dict(), "config_hash": spec.config_hash,
            "package_version": package_version(), "backend": backend, "device": device, **(metadata or {})}


def refuse_other_sweep(folder: Path, experiment: str, config_hash, spec: SweepSpec, where: str):
    raise InvalidParameter(
        "folder",
        f"{str(folder)!r} holds a {experiment} sweep with another configuration ({where}hash "
        f"{str(config_hash)[:12]}, this one {spec.config_hash[:12]}): use another folder or delete that one",
    )


def check_manifest(folder: Path, spec: SweepSpec, *, backend: str, device: str, metadata: dict | None,
                   on_quarantine: Callable | None = None) -> None:
    """Refuse a folder of another spec; write (or rebuild) the manifest of this one. Call with the lock held.

    An unreadable manifest is quarantined and rebuilt like a missing one: from this spec, when no cell in the
    folder belongs to another (a refused run writes nothing).
    """
    manifest_path = folder / MANIFEST_NAME
    if manifest_path.exists():
        try:
            existing = json.loads(manifest_path.read_text("utf-8"))
            if not isinstance(existing, dict):
                raise ValueError("not an object")
        except (OSError, ValueError) as error:
            moved = quarantine(folder, manifest_path)
            if on_quarantine is not None:
                on_quarantine(manifest_path, f"is unreadable ({error}); moved to {moved}, rebuilt from the cells")
        else:
            if existing.get("config_hash") != spec.config_hash:
                refuse_other_sweep(folder, existing.get("experiment", "different"), existing.get("config_hash"), spec,
                                   "")
            return
    other = foreign_sweep(folder, spec)
    if other is not None:
        refuse_other_sweep(folder, other.get("experiment", "different"), other["config_hash"], spec,
                           "no manifest; its cells carry ")
    write_json_atomic(manifest_path, manifest_payload(spec, backend, device, metadata))


def open_sweep_folder(folder, spec: SweepSpec, *, backend: str = "numpy", device: str = "cpu",
                      metadata: dict | None = None, on_quarantine: Callable | None = None) -> Path:
    """Check or write the folder's manifest (:func:`check_manifest`), removing stale temporary files.

    Call with the folder's lock held (:func:`folder_lock`): only the holder may remove temporary files.
    Raises :class:`InvalidParameter` naming ``folder`` when the folder is not writable or holds another sweep.
    """
    folder = Path(folder)
    try:
        for stale in folder.glob(".*.tmp"):  # left by a process killed mid-write; no other writer holds the lock
            stale.unlink(missing_ok=True)
        check_manifest(folder, spec, backend=backend, device=device, metadata=metadata, on_quarantine=on_quarantine)
    except OSError as error:
        raise InvalidParameter("folder", f"must be a writable folder, got {str(folder)!r} ({error.strerror})") from None
    return folder


def make_folder(folder) -> Path:
    """Create the sweep folder (and its parents); a path that cannot be one is refused naming ``folder``."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / LOCK_NAME).touch()
    except OSError as error:
        raise InvalidParameter("folder", f"must be a writable folder, got {str(folder)!r} ({error.strerror})") from None
    return folder


def finished_cells(folder: Path, spec: SweepSpec, on_quarantine: Callable | None = None) -> dict[int, dict]:
    """The valid cells of ``spec`` stored in ``folder``, by index; every other cell file is quarantined.

    ``on_quarantine(path, reason)`` is called for each file moved into ``quarantine/``. Call with the lock held.
    """
    finished = {}
    for path in stored_cell_paths(folder):
        index = index_of(path)
        record, reason = read_cell(path)
        if record is not None:
            reason = ("is not a cell of this sweep" if index is None or index >= len(spec.cells)
                      else cell_problem(record, index, spec))
        if reason is None:
            finished[index] = record
            continue
        moved = quarantine(folder, path)
        if on_quarantine is not None:
            on_quarantine(path, f"{reason}; moved to {moved}")
    return finished


def index_of(path: Path) -> int | None:
    """The index in a cell file's name ``cell-NNNNN.json``, or None when the name has no number."""
    digits = path.name[len("cell-"):-len(".json")]
    return int(digits) if digits.isdigit() else None


def cell_record(spec: SweepSpec, index: int, result: dict) -> dict:
    """The stored form of a cell: its fields (:data:`CELL_FIELDS`) and their checksum."""
    record = {"index": index, "coordinates": spec.cells[index], "experiment": spec.experiment, "config": spec.config,
              "config_hash": spec.config_hash, "result": result}
    return {**record, "checksum": cell_checksum(record)}


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
    parameter = "scheduler" if scheduler else "workers"
    distributed = import_distributed(parameter)
    with contextlib.ExitStack() as stack:
        if scheduler:
            try:
                client = stack.enter_context(distributed.Client(scheduler, timeout="5s"))
            except (OSError, TimeoutError, ValueError) as error:  # ValueError: not an address (no port, bad scheme)
                raise InvalidParameter("scheduler", f"cannot reach a Dask scheduler at {scheduler!r} ({error})") from None
        else:
            cluster = stack.enter_context(distributed.LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=processes, dashboard_address=None,
                preload=[IGNORE_INTERRUPTS] if processes else None,
            ))
            client = stack.enter_context(distributed.Client(cluster))
        try:
            yield DaskExecutor(client)
        except KeyboardInterrupt:
            logging.getLogger("distributed").setLevel(logging.CRITICAL)  # closing mid-task is expected: no log noise
            raise


def run_sweep(folder, spec: SweepSpec, evaluate: Callable, *, executor=None, on_progress: Callable | None = None,
              backend: str = "numpy", device: str = "cpu", metadata: dict | None = None,
              on_quarantine: Callable | None = None, on_wait: Callable | None = None,
              on_resume: Callable | None = None) -> list[dict]:
    """Run every cell of ``spec`` not yet in ``folder``, store each as it finishes, and return all cells in order.

    ``evaluate(config, coordinates) -> dict`` computes one cell (a module-level function, so Dask can ship it);
    ``executor`` is None (in this process) or a :class:`DaskExecutor`. Callbacks: ``on_wait(message)`` before
    waiting for another run's lock, ``on_quarantine(path, reason)`` per file moved aside, ``on_resume(indices)``
    with the set of valid cells found, ``on_progress(n)`` as cells finish (already finished cells first).
    """
    folder = make_folder(folder)
    with folder_lock(folder, on_wait):
        open_sweep_folder(folder, spec, backend=backend, device=device, metadata=metadata, on_quarantine=on_quarantine)
        finished = finished_cells(folder, spec, on_quarantine)
        if on_resume:
            on_resume(set(finished))
        if on_progress and finished:
            on_progress(len(finished))
        pending = [(index, coordinates) for index, coordinates in enumerate(spec.cells) if index not in finished]
        results = serial_results if executor is None else executor.results
        for index, result in results(evaluate, spec.config, pending):
            record = cell_record(spec, index, result)
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
        raise InvalidParameter("batch", f"must be >= 1 with >= 1 problem, got batch {batch} for {total}")

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
