"""Run the ``superposition`` CLI inside the test process: no interpreter start-up, SymPy caches shared."""

from superposition.cli.main import main


def in_process(capsys, *arguments):
    """The CLI's ``main`` on ``arguments``; returns (exit status, stdout, stderr) captured by ``capsys``."""
    try:
        status = main(list(arguments))
    except SystemExit as exit_:
        status = exit_.code
    captured = capsys.readouterr()
    return status, captured.out, captured.err
