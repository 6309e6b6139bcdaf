"""The default model, compiled once per process.

It lives above the layers it joins (the model's modules and the solver): the run pipeline in
``nicsim.solve`` takes a compiled model from its caller and falls back to this one.
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=2)
def default_model():
    """The compiled default network (compiled once per process)."""
    from nicsim.model import build_network  # lazy: `import nicsim` stays light (sympy modules)

    return build_network().compile()
