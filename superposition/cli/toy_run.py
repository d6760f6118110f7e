"""What every ``toy`` experiment shares: the options after its own training ones, the set-up and the output."""

from numerics.host import retain_freed_memory
from numerics.toy_metrics import DEFAULT_THRESHOLD
from superposition.cli import arguments
from superposition.cli.backend_option import add_backend_option, resolve_backend
from superposition.cli.emit import emit
from superposition.cli.memory_option import add_memory_option, check_memory

#: Said on stderr after a run without ``--out``.
OUT_HINT = "figure, LaTeX table and JSON: add --out DIR"


def add_common_options(parser, group, run, *, threshold: bool = True) -> None:
    """``--threshold`` (unless ``threshold`` is False), ``--seed``, ``--backend``, ``--max-memory`` in ``group``, then
    the LaTeX and output options; ``run`` is the experiment's entry point."""
    if threshold:
        group.add_argument("--threshold", type=arguments.positive_float, default=DEFAULT_THRESHOLD,
                           help=f"feature i is represented when ||W_i|| > THRESHOLD (default: {DEFAULT_THRESHOLD})")
    group.add_argument("--seed", type=arguments.nonnegative_int, default=0, help="master seed (default: 0)")
    add_backend_option(group)
    add_memory_option(group)
    arguments.add_latex_options(parser)
    arguments.add_output_options(parser)
    parser.set_defaults(run=run)


def start(args, estimate):
    """(backend, provenance, artefacts or None) for a run with ``args.seed``, ``args.backend`` and ``args.out``.

    Refuses first (one line, exit 2) when ``estimate`` (a :class:`numerics.memory.Estimate` of the training's peak)
    exceeds the memory budget, or when ``--out`` is not a writable folder: before anything trains.
    """
    from superposition.artefacts import Artefacts
    from superposition.provenance import collect

    backend = resolve_backend(args.backend)
    check_memory(args, estimate, backend=backend.name)
    provenance = collect(seed=args.seed, backend=backend.name, device=backend.device)
    retain_freed_memory()
    return backend, provenance, Artefacts(args.out, provenance, arguments.table_layout(args)) if args.out else None


def finish(args, result, provenance: dict, artefacts) -> int:
    """Hand ``result`` (a :class:`~superposition.reports.table_files.TableOutput`) to the one writer
    (:func:`superposition.cli.emit.emit`)."""
    return emit(args, result, provenance=provenance, artefacts=artefacts, out_hint=OUT_HINT)
