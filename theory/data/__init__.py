"""Data files shipped with :mod:`theory` (read through :mod:`importlib.resources`), e.g. ``published_shapes.csv``."""
