"""Helpers shared by the CLI modules."""

from __future__ import annotations

from nicsim.errors import NicsimError


def parse_params(items: list[str] | None) -> dict[str, float]:
    """``["hpa.stress_gain=2.5", ...]`` -> ``{"hpa.stress_gain": 2.5}``; clear errors."""
    out: dict[str, float] = {}
    for item in items or []:
        if "=" not in item:
            raise NicsimError(f"--param {item!r}: expected ID=VALUE, e.g. hpa.stress_gain=2.5")
        k, v = item.split("=", 1)
        try:
            out[k.strip()] = float(v)
        except ValueError:
            raise NicsimError(f"--param {item!r}: {v!r} is not a number") from None
    return out
