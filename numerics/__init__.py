"""Numerical experiments, written once against the array API: NumPy by default, CuPy on a GPU."""
