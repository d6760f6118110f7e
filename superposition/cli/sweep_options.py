"""What the sweep commands (``phase-transition``, ``capacity``) share: execution options and running with progress.

``--scheduler ADDRESS`` runs the cells as Dask tasks on an existing cluster, ``--workers N`` starts a local
Dask cluster of N single-threaded worker processes; by default cells run in this process, each batching its
trials into one solver call. All three give identical numbers (:mod:`numerics.sweep`).
"""

import contextlib
import tempfile
import time
from pathlib import Path

from numerics.sweep import QUARANTINE_NAME, dask_executor, run_sweep
from superposition.cli.backend_option import add_backend_option, resolve_backend
from superposition.cli.emit import emit
from superposition.cli import arguments, output
from superposition.cli.memory_option import add_memory_option, check_memory
from superposition.cli.solver_options import add_solver_options
from theory.l1_phase_transition import SIGNALS


def add_recovery_options(parser):
    """``--solver``, ``--tol``, ``--max-iter`` (:mod:`superposition.cli.solver_options`) and ``--signal``; returns
    the group (for the command's own options)."""
    group = parser.add_argument_group("recovery")
    add_solver_options(group)
    group.add_argument("--signal", choices=SIGNALS, default="signed",
                       help="signed N(0,1) or nonnegative Uniform[0,1) nonzero values (default: signed)")
    return group


def add_execution_options(parser, default_out: str) -> None:
    """``--backend``, ``--seed``, ``--scheduler``, ``--workers`` and the output options."""
    group = parser.add_argument_group("execution")
    add_backend_option(group)
    group.add_argument("--seed", type=arguments.nonnegative_int, default=0,
                       help="master seed; each cell's seed derives from it and the cell's coordinates (default: 0)")
    where = group.add_mutually_exclusive_group()
    where.add_argument("--scheduler", metavar="ADDRESS", default=None,
                       help="run cells as Dask tasks on the cluster at ADDRESS (e.g. tcp://host:8786; needs the dask extra)")
    where.add_argument("--workers", type=arguments.positive_int, default=None, metavar="N",
                       help="start a local Dask cluster of N worker processes (needs the dask extra)")
    add_memory_option(group)
    arguments.add_output_options(parser, default_out=default_out)
    arguments.add_latex_options(parser)
    parser.epilog = ("Finished cells are stored in DIR/{experiment}-cells/ as they finish, each with a checksum: "
                     "rerunning the same command resumes, damaged or edited cells are moved to quarantine/ and "
                     "computed again, a second run on the same DIR waits for the first, and a different "
                     "configuration aimed at the same DIR is refused.")


@contextlib.contextmanager
def executor_for(args):
    """None (in this process) or a Dask executor, as ``--scheduler``/``--workers`` ask."""
    if args.scheduler is None and args.workers is None:
        yield None
        return
    with dask_executor(scheduler=args.scheduler, workers=args.workers) as executor:
        yield executor


def run_with_progress(args, spec, evaluate, backend, *, problems_of) -> list:
    """Run ``spec`` into ``--out``/{experiment}-cells with a progress bar; print cells and problems per second.

    Quarantined cell files are named on stderr as they are found and counted in the summary line."""
    from superposition.provenance import git_commit

    folder = Path(args.out) / f"{spec.experiment}-cells"
    quarantined, resumed = [], []

    def on_quarantine(path, reason):
        quarantined.append(path)
        output.notice(f"warning: {path} {reason}; it will be computed again")

    started = time.perf_counter()
    with executor_for(args) as executor:
        with output.progress_bar(len(spec.cells), f"{spec.experiment} cells", enabled=output.stderr.is_terminal) as advance:
            records = run_sweep(folder, spec, evaluate, executor=executor, on_progress=advance,
                                backend=backend.name, device=backend.device, metadata={"git_commit": git_commit()},
                                on_quarantine=on_quarantine, on_wait=output.notice, on_resume=resumed.append)
    seconds = time.perf_counter() - started
    done_before = resumed[0] if resumed else set()
    problems = sum(problems_of(record["result"]) for record in records if record["index"] not in done_before)
    notes = (f"; {len(done_before)} cells were already done (resumed)" if done_before else "") + (
        f"; {len(quarantined)} cell files quarantined into {folder / QUARANTINE_NAME}/" if quarantined else "")
    output.notice(f"{len(records) - len(done_before)} cells, {problems} problems in {seconds:.1f} s "
                  f"({problems / seconds if seconds > 0 else float('inf'):.3g} problems/s){notes}; cells in {folder}/")
    return records


def run_experiment(args, build_config, evaluate, analyse, report, *, problems_of, memory_peak) -> int:
    """The whole command: configuration from ``args``, the memory check, the sweep with progress, analysis, then
    the report's :class:`~superposition.reports.table_files.TableOutput` to the one writer
    (:func:`superposition.cli.emit.emit`). ``memory_peak(config, workers)`` is the command's
    :class:`numerics.memory.Estimate`."""
    from superposition.provenance import collect

    backend = resolve_backend(args.backend)
    config = build_config(args, backend)
    check_memory(args, memory_peak(config, args.workers or 1), backend=backend.name)
    records = run_with_progress(args, config.spec(), evaluate, backend,
                                problems_of=lambda result: problems_of(config, result))
    analysis = analyse(config, records)
    return emit(args, report.table_output(analysis),
                provenance=collect(seed=args.seed, backend=backend.name, device=backend.device))


def verify_sweep(context, make_config, evaluate, analyse, report):
    """A small sweep for ``superposition verify``: computed afresh in a scratch folder, artefacts into verify's."""
    backend = resolve_backend(context.backend)
    config = make_config(seed=context.seed, backend=backend.name)
    with tempfile.TemporaryDirectory() as folder:
        analysis = analyse(config, run_sweep(folder, config.spec(), evaluate, backend=backend.name,
                                             device=backend.device))
    report.table_output(analysis).write(context.artefacts)
    return analysis
