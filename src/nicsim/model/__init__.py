"""The physiology: one file per module. ``build_network()`` assembles the default system.

Every submodule with a ``build()`` function is a model module; ``ORDER`` (default 100) sets
its place in the state vector and the docs, so new modules need no registration here.
"""

from __future__ import annotations

import importlib
import pkgutil

from nicsim.core import Network

_SKIP = {"traits"}


def _discover():
    mods = []
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_") or info.name in _SKIP:
            continue
        mod = importlib.import_module(f"{__name__}.{info.name}")
        if callable(getattr(mod, "build", None)):
            mods.append(mod)
    return tuple(sorted(mods, key=lambda m: (getattr(m, "ORDER", 100), m.__name__)))


MODULES = _discover()


def build_network() -> Network:
    """A fresh network of every module."""
    return Network([mod.build() for mod in MODULES], name="nicsim")
