"""Calibrated parameter sets: versioned YAML files that record what they were fitted to."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import yaml

from nicsim.errors import ModelError


@lru_cache(maxsize=8)
def load_parameter_set(name: str = "default") -> dict:
    """``{"name", "fitted_to", "objective", "code_version", "values": {id: value}}``."""
    try:
        text = resources.files("nicsim.parameter_sets").joinpath(f"{name}.yaml").read_text()
    except FileNotFoundError:
        raise ModelError(f"no parameter set {name!r}") from None
    data = yaml.safe_load(text) or {}
    data.setdefault("values", {})
    return data


def parameter_set_values(name: str = "default") -> dict[str, float]:
    return {k: float(v) for k, v in load_parameter_set(name)["values"].items()}
