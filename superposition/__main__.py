"""``python -m superposition``: the same command line as the ``superposition`` script."""

from superposition.cli.main import main

if __name__ == "__main__":
    raise SystemExit(main())
