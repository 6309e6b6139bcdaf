"""Calibrated parameter sets: versioned YAML files that record what they were fitted to."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import yaml

from nicsim.errors import ModelError


@lru_cache(maxsize=8)
def load_parameter_set(name: str = "default") -> dict:
    """``{"name", "fitted_to", "objective", "code_version", "values": {id: value}, "parts"}``.

    A set is ``<name>.yaml`` plus any ``<name>.d/*.yaml`` parts (one per calibrated area, so
    that areas are calibrated and reviewed independently); parts must not repeat an id.
    """
    root = resources.files("nicsim.parameter_sets")
    try:
        text = root.joinpath(f"{name}.yaml").read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ModelError(f"no parameter set {name!r}") from None
    data = yaml.safe_load(text) or {}
    data.setdefault("values", {})
    data["parts"] = [{k: v for k, v in data.items() if k != "values"} | {"file": f"{name}.yaml"}]
    fitted = list(data.get("fitted_to", []))
    part_dir = root.joinpath(f"{name}.d")
    if part_dir.is_dir():
        for entry in sorted(part_dir.iterdir(), key=lambda e: e.name):
            if not entry.name.endswith(".yaml"):
                continue
            part = yaml.safe_load(entry.read_text(encoding="utf-8")) or {}
            for k, v in (part.get("values") or {}).items():
                if k in data["values"]:
                    raise ModelError(f"parameter {k} is calibrated twice ({entry.name})")
                data["values"][k] = v
            fitted += [r for r in part.get("fitted_to", []) if r not in fitted]
            data["parts"].append({k: v for k, v in part.items() if k != "values"}
                                 | {"file": f"{name}.d/{entry.name}"})
    data["fitted_to"] = sorted(set(fitted))
    return data


def parameter_set_values(name: str = "default") -> dict[str, float]:
    return {k: float(v) for k, v in load_parameter_set(name)["values"].items()}
