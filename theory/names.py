"""The keys and defaults of theory's registries, in the standard library only.

The command line lists these in ``superposition derive --help`` before any derivation runs, so this module
imports no SymPy or SciPy (``tests/test_cli_startup.py``). Each registry builds its records on these keys and
``tests/test_names.py`` checks that the keys and the records agree:

- :data:`CAPACITY_FUNCTIONS`: the records of :data:`theory.capacity_functions.REGISTRY`;
- :data:`ARCHITECTURE_SUMMARIES`: the families of :data:`theory.architectures.ARCHITECTURES`, one line each;
- :data:`CHINCHILLA_CONSTANTS`: the constant sets of :data:`theory.scaling_laws.CHINCHILLA_FITS`;
- :data:`NEURON_DEFINITIONS`: what :mod:`theory.shapes` counts as a layer's neurons.
"""

#: The width factor of the note's Model B (Katta 2024, the Model A/B table), re-exported by :mod:`theory.note`.
NOTE_K = 2

#: The densities and width factor of the package's p_A -> p_B table (:mod:`theory.density_shift`).
TABLE_DENSITIES = (0.3, 0.2, 0.1, 0.05, 0.01, 0.001)
TABLE_K = NOTE_K

#: The capacity functions n/m = f(p), in the order tables list them; the first is the reference.
CAPACITY_FUNCTIONS = ("note", "l1-signed", "l1-nonneg")

#: The parameter-count families (``--architecture``) and their one-line summaries.
ARCHITECTURE_SUMMARIES = {
    "kaplan": "multi-head attention, two-matrix MLP (d_attn = d_model, d_ff = 4 d_model)",
    "swiglu": "multi-head attention, SwiGLU MLP of three matrices (d_ff = 8/3 d_model)",
    "gqa": "grouped-query attention with n_kv_heads/n_heads = 1/8, two-matrix MLP (d_ff = 4 d_model)",
    "swiglu-gqa": "grouped-query attention (1/8) and SwiGLU MLP (d_ff = 7/2 d_model): Llama 2 70B",
    "gqa-fixed-kv": "SwiGLU (d_ff = 7/2 d_model) with 8 key/value heads of a fixed d_head = 128: "
                    "not homogeneous, refused by the table and the lemmas",
}

#: The named constant sets of the Chinchilla loss (``--constants``); the first is the default.
CHINCHILLA_CONSTANTS = ("hoffmann", "besiroglu")
#: Chinchilla's own training budget in FLOPs as printed (Hoffmann et al. 2022, Sec. 4), the default evaluation
#: point; :data:`theory.scaling_laws.CHINCHILLA_COMPUTE` is its exact value.
CHINCHILLA_COMPUTE_PRINTED = "5.76e23"

#: Definitions of "neurons per layer" the package supports.
NEURON_DEFINITIONS = ("residual", "mlp")
