"""Errors a user can act on. Every message names what was wrong and what is allowed."""

from __future__ import annotations


class NicsimError(Exception):
    """Base class: the CLI prints these without a traceback."""


class ScenarioError(NicsimError, ValueError):
    """A scenario, protocol or person description is invalid.

    ``field`` is a dotted path into the scenario (``protocol[2].dose``), ``value`` what was given
    and ``allowed`` what would be accepted.
    """

    def __init__(self, field: str, value: object, allowed: str, *, hint: str = ""):
        self.field, self.value, self.allowed, self.hint = field, value, allowed, hint
        msg = f"{_cut(str(field), 120)}: {_cut(repr(value))} is not allowed; {_cut(allowed, 2000)}"
        if hint:
            msg += f" ({hint})"
        super().__init__(msg)


def _cut(text: str, limit: int = 200) -> str:
    """``text`` cut to ``limit`` characters: an error message never echoes a huge value."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... ({len(text):,} characters)"


class ModelError(NicsimError):
    """The model declaration is inconsistent (unknown symbol, unit mismatch, unconnected port)."""


class UnitError(ModelError, ValueError):
    """A quantity has the wrong unit or dimension."""


class SolverError(NicsimError, RuntimeError):
    """The ODE solver failed; the message says at which time and what to try."""
