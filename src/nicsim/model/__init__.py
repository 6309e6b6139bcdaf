"""The physiology: one file per module. ``build_network()`` assembles the default system."""

from __future__ import annotations

from nicsim.core import Network
from nicsim.model import autonomic, circadian_sleep, cytokines, hpa_axis, psyche, thermoregulation

MODULES = (circadian_sleep, psyche, hpa_axis, autonomic, cytokines, thermoregulation)


def build_network() -> Network:
    """A fresh network of every module (neuro-endocrine-immune core)."""
    return Network([mod.build() for mod in MODULES], name="nicsim")
