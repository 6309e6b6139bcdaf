"""Optional dependencies: import them, or fail with one line that says how to install them;
and names a package imports only on first use (:func:`lazy_names`).

The SBML/PEtab exports need the ``sbml`` extra, global sensitivity analysis and Dask scale-out
the ``analysis`` extra. ``make run`` installs both; a plain ``pip install nicsim`` does not.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from types import ModuleType
from typing import Any

from nicsim.errors import NicsimError

#: top-level import name -> (pip distribution, nicsim extra)
OPTIONAL: dict[str, tuple[str, str]] = {
    "libsbml": ("python-libsbml", "sbml"),
    "roadrunner": ("libroadrunner", "sbml"),
    "basico": ("copasi-basico", "sbml"),
    "petab": ("petab", "sbml"),
    "SALib": ("SALib", "analysis"),
    "dask": ("dask[distributed]", "analysis"),
    "distributed": ("dask[distributed]", "analysis"),
    "pypesto": ("pypesto", "calibrate"),
}


class MissingDependencyError(NicsimError, ImportError):
    """An optional dependency is not installed; the message names the install command."""


def install_hint(extra: str) -> str:
    """The exact commands that install ``extra``."""
    return (f"pip install 'nicsim[{extra}]' (in a clone of the repository: "
            f"`make install-extras`, which `make run` also does)")


def missing_message(module: str, feature: str) -> str:
    top = module.split(".")[0]
    dist, extra = OPTIONAL.get(top, (top, "all"))
    return f"{feature} needs {dist}, which is not installed; install it with: {install_hint(extra)}"


def require(module: str, feature: str) -> ModuleType:
    """``importlib.import_module(module)``, or :class:`MissingDependencyError` with a hint."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        top = module.split(".")[0]
        if getattr(exc, "name", None) not in (None, top) and not str(
                getattr(exc, "name", "")).startswith(top):
            raise  # the package is there but something inside it is broken: show that
        raise MissingDependencyError(missing_message(module, feature)) from None


def hint_for(exc: ImportError) -> str | None:
    """A one-line hint for an ImportError of a known optional dependency, else None."""
    name = (getattr(exc, "name", None) or "").split(".")[0]
    if name in OPTIONAL:
        return missing_message(name, f"this command (it imports {name})")
    return None


def lazy_names(package: str, names: Mapping[str, str]
               ) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """PEP 562 ``__getattr__`` and ``__dir__`` for the module ``package``: each of ``names``
    (name -> the module that defines it) is imported on first use and then kept in the
    package's namespace; any other name is an AttributeError.

    ``__getattr__, __dir__ = lazy_names(__name__, {"run_trial": "nicsim.analysis.trial"})``
    """

    def __getattr__(name: str) -> Any:
        module = names.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        setattr(sys.modules[package], name, value)
        return value

    def __dir__() -> list[str]:
        return sorted(set(vars(sys.modules[package])) | set(names))

    return __getattr__, __dir__


__all__ = ["OPTIONAL", "MissingDependencyError", "hint_for", "install_hint", "lazy_names",
           "missing_message", "require"]
