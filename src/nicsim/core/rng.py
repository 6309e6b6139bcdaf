"""Reproducible random streams: one seed, one independent stream per named quantity.

Every sampled quantity (a model parameter, a trait, a trial's allocation) draws from a generator
derived from the root seed and the quantity's name, so adding a parameter, a trait or a module
does not change the draws of the others (NumPy ``SeedSequence`` spawn keys).
"""

from __future__ import annotations

import hashlib

import numpy as np

from nicsim.errors import ScenarioError

__all__ = ["root_entropy", "stream"]


def _stable_key(name: str) -> int:
    return int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:8], "little")


def root_entropy(rng: np.random.Generator | int | None) -> int:
    """The integer every stream derives from: the seed itself for an int, one draw from a
    Generator, 0 for None."""
    if rng is None:
        return 0
    if isinstance(rng, np.random.Generator):
        return int(rng.integers(0, 2**63 - 1))
    if isinstance(rng, (int, np.integer)) and not isinstance(rng, bool) and rng >= 0:
        return int(rng)
    raise ScenarioError("seed", rng, "expected a whole number >= 0 or a numpy Generator")


def stream(entropy: int, name: str) -> np.random.Generator:
    """An independent generator for the quantity ``name`` (stable across model versions)."""
    return np.random.default_rng(np.random.SeedSequence(entropy, spawn_key=(_stable_key(name),)))
