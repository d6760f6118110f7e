"""The one route of a command's result (every ``derive`` topic, ``shapes``, ``willshaw``, every ``toy`` experiment,
the sweeps, ``recover``, ``prove``, ``verify``): artefacts into ``--out``, then text, LaTeX or JSON on stdout, with
one provenance."""

from superposition.cli import output


def emit(args, result, *, provenance=None, artefacts=None, out_hint: str | None = None) -> int:
    """Write ``result`` (a :class:`~superposition.reports.table_files.TableOutput`) when ``--out`` is given, print
    its warnings on stderr, and print it in the format asked for (``--format``, or ``--json`` where a command has no
    ``--format``). ``provenance`` defaults to :func:`~superposition.provenance.collect` with no seed or backend;
    ``artefacts`` to an :class:`~superposition.artefacts.Artefacts` of ``--out`` made now (a command that trains
    first makes its own, so that a bad folder is refused before the work). Without ``--out``, ``out_hint`` (if any)
    goes to stderr last. Returns the exit status 0."""
    from superposition.artefacts import Artefacts
    from superposition.cli.arguments import table_layout
    from superposition.provenance import collect

    provenance = provenance or collect()
    layout = table_layout(args) if hasattr(args, "tabular") else None  # recover has no LaTeX options
    if args.out:
        for path in result.write(artefacts or Artefacts(args.out, provenance, layout)):
            output.notice(f"wrote {path}")
    for warning in result.warnings:
        output.notice(f"warning: {warning}")
    chosen = "json" if args.json else getattr(args, "format", "text")
    if chosen == "json":
        output.print_json({**result.payload, "provenance": provenance})
    elif chosen == "latex":
        output.stdout.print(layout.apply(result.latex_table), markup=False, end="")
    else:
        for renderable in result.renderables:
            output.stdout.print(renderable)
    if out_hint and not args.out:
        output.notice(out_hint)
    return 0
