"""Batched sparse-recovery solvers, one module each, all with the same interface (:mod:`numerics.solvers.base`).

Each solves many problems y_b = A_b x_b at once: over distinct matrices ``A`` of shape (batch, m, n) with
batched matrix products, or over one shared ``A`` of shape (m, n) with matrix-matrix products (GEMM).
:mod:`numerics.recovery` is the entry point that picks one by name.
"""
