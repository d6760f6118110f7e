"""What ``toy scaling`` and ``toy ab`` share: the options after the training ones, the set-up and the output."""

from numerics.host import retain_freed_memory
from numerics.toy_metrics import DEFAULT_THRESHOLD
from superposition.cli import arguments, output
from superposition.cli.backend_option import add_backend_option, resolve_backend


def add_common_options(parser, group, run) -> None:
    """``--threshold``, ``--seed``, ``--backend`` in ``group``, then ``--json``/``--out``; ``run`` runs the command."""
    group.add_argument("--threshold", type=arguments.positive_float, default=DEFAULT_THRESHOLD,
                       help=f"feature i is represented when ||W_i|| > THRESHOLD (default: {DEFAULT_THRESHOLD})")
    group.add_argument("--seed", type=arguments.nonnegative_int, default=0, help="master seed (default: 0)")
    add_backend_option(group)
    arguments.add_latex_options(parser)
    arguments.add_output_options(parser)
    parser.set_defaults(run=run)


def start(args):
    """(backend, provenance, artefacts or None) for a run with ``args.seed``, ``args.backend`` and ``args.out``."""
    from superposition.artefacts import Artefacts
    from superposition.provenance import collect

    backend = resolve_backend(args.backend)
    provenance = collect(seed=args.seed, backend=backend.name, device=backend.device)
    retain_freed_memory()
    return backend, provenance, Artefacts(args.out, provenance, arguments.table_layout(args)) if args.out else None


def finish(args, paths, payload: dict, provenance: dict, table) -> int:
    """Report the files written, then the JSON payload (``--json``) or the terminal table."""
    for path in paths:
        output.notice(f"wrote {path}")
    if args.json:
        output.print_json({**payload, "provenance": provenance})
    else:
        output.stdout.print(table)
        if not args.out:
            output.notice("figure, LaTeX table and JSON: add --out DIR")
    return 0
