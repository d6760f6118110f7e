"""What every ``derive`` topic does with its result: artefacts into ``--out``, then text, LaTeX or JSON on stdout."""

from superposition.cli import output


def emit(args, files, *, payload: dict, latex_table: str, renderables, warnings=()) -> int:
    """Write ``files`` (a :class:`~superposition.reports.table_files.TableFiles`) when ``--out`` is given, print
    the warnings on stderr, and print the result in the format asked for; returns the exit status 0."""
    from superposition.artefacts import Artefacts
    from superposition.provenance import collect

    provenance = collect()
    if args.out:
        for path in files.write(Artefacts(args.out, provenance), latex_table, payload):
            output.notice(f"wrote {path}")
    for warning in warnings:
        output.notice(f"warning: {warning}")
    if args.json or args.format == "json":
        output.print_json({**payload, "provenance": provenance})
    elif args.format == "latex":
        output.stdout.print(latex_table, markup=False, end="")
    else:
        for renderable in renderables:
            output.stdout.print(renderable)
    return 0
