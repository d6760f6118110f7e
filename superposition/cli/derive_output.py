"""What a table command (every ``derive`` topic, ``shapes``, ``willshaw``) does with its result: artefacts into
``--out``, then text, LaTeX or JSON on stdout."""

from superposition.cli import output


def emit(args, files, *, payload: dict, latex_table: str, renderables, warnings=(), figures=(),
         provenance=None) -> int:
    """Write ``files`` (a :class:`~superposition.reports.table_files.TableFiles`) and ``figures`` ((stem,
    make_figure) pairs, drawn only then) when ``--out`` is given, print the warnings on stderr, and print the
    result in the format asked for; ``provenance`` defaults to :func:`~superposition.provenance.collect` with no
    seed or backend. Returns the exit status 0."""
    from superposition.artefacts import Artefacts
    from superposition.cli.arguments import table_layout
    from superposition.provenance import collect

    provenance = provenance or collect()
    layout = table_layout(args)
    if args.out:
        artefacts = Artefacts(args.out, provenance, layout)
        paths = files.write(artefacts, latex_table, payload)
        for stem, make_figure in figures:
            paths += artefacts.save_figure(make_figure(), stem)
        for path in paths:
            output.notice(f"wrote {path}")
    for warning in warnings:
        output.notice(f"warning: {warning}")
    if args.json or args.format == "json":
        output.print_json({**payload, "provenance": provenance})
    elif args.format == "latex":
        output.stdout.print(layout.apply(latex_table), markup=False, end="")
    else:
        for renderable in renderables:
            output.stdout.print(renderable)
    return 0
