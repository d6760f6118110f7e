"""Verify's stages on several CPU cores: each stage in a worker process, results in the stages' own order.

The stages are independent (each draws from its own seed, derived from the master seed, and writes its own files),
so running them side by side changes their wall time only. Each worker limits host BLAS to its share of the cores
(``cores // jobs``, at least 1), so two workers on two cores do not oversubscribe them. With ``jobs = 1`` the stages
run in this process, one after another, as before. Workers are forked before any progress thread starts.

A stage gets a copy of the :class:`~superposition.cli.verify.StageContext`; the files it writes come back with its
checks (``artefacts.written`` of the copy), so the summary and the LaTeX compilation see every file.
"""

import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor, as_completed

from numerics.host import blas_thread_limit


def available_cores() -> int:
    """The CPU cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def run_stage(stage, context, threads=None):
    """One stage with ``threads`` BLAS threads (None: as set): (checks, files it wrote, seconds)."""
    before = len(context.artefacts.written)
    started = time.perf_counter()
    with blas_thread_limit(threads):
        checks = stage(context)
    return checks, context.artefacts.written[before:], time.perf_counter() - started


def run_stages(stages, context, jobs: int, on_done=lambda name, seconds, done: None) -> list:
    """``(name, checks, written, seconds)`` for each ``(name, stage)`` of ``stages``, in their order.

    ``on_done(name, seconds, done)`` is called as each stage finishes (``done`` stages so far).
    """
    if jobs <= 1:
        results = []
        for done, (name, stage) in enumerate(stages, start=1):
            results.append((name, *run_stage(stage, context)))
            on_done(name, results[-1][3], done)
        return results
    threads = max(1, available_cores() // jobs)
    with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork")) as pool:
        futures = {pool.submit(run_stage, stage, context, threads): name for name, stage in stages}
        for done, future in enumerate(as_completed(futures), start=1):
            on_done(futures[future], future.result()[2], done)
        by_name = {name: future.result() for future, name in futures.items()}
    results = [(name, *by_name[name]) for name, _ in stages]
    for _, _, written, _ in results:  # a worker wrote into its own copy of the list
        context.artefacts.written.extend(written)
    return results


def map_threads(function, items, jobs: int) -> list:
    """``function`` over ``items`` on ``jobs`` threads (for work that waits on subprocesses, e.g. pdflatex)."""
    if jobs <= 1:
        return [function(item) for item in items]
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(function, items))
