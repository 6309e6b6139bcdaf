"""Structured provenance for every model number.

A parameter's ``source`` is one of:
``Literature(key, locator)`` (a BibTeX key in ``model/references.bib`` and where in the paper),
``Derived(how, inputs)`` (computed from other sourced numbers), ``Assumption(why)`` (an explicit
modelling choice with its reason) or ``Fitted(parameter_set, rows)`` (calibrated to validation
rows). A number without one of these is a lint error.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Source:
    def describe(self) -> str:  # pragma: no cover - overridden
        raise NotImplementedError

    @property
    def kind(self) -> str:
        return type(self).__name__.lower()

    def references(self) -> tuple[str, ...]:
        """BibTeX keys this source cites (checked by lint)."""
        return ()


@dataclass(frozen=True)
class Literature(Source):
    key: str
    locator: str = ""

    def describe(self) -> str:
        return f"[{self.key}]" + (f" {self.locator}" if self.locator else "")

    def references(self) -> tuple[str, ...]:
        return (self.key,)


@dataclass(frozen=True)
class Derived(Source):
    how: str
    refs: tuple[str, ...] = ()

    def describe(self) -> str:
        cites = "".join(f" [{k}]" for k in self.refs)
        return f"derived: {self.how}{cites}"

    def references(self) -> tuple[str, ...]:
        return tuple(self.refs)


@dataclass(frozen=True)
class Assumption(Source):
    why: str
    refs: tuple[str, ...] = ()

    def describe(self) -> str:
        cites = "".join(f" [{k}]" for k in self.refs)
        return f"assumption: {self.why}{cites}"

    def references(self) -> tuple[str, ...]:
        return tuple(self.refs)


@dataclass(frozen=True)
class Fitted(Source):
    parameter_set: str
    rows: tuple[str, ...]
    prior: Source | None = field(default=None)

    def describe(self) -> str:
        s = f"fitted to {', '.join(self.rows)} (parameter set '{self.parameter_set}')"
        if self.prior is not None:
            s += f"; prior: {self.prior.describe()}"
        return s

    def references(self) -> tuple[str, ...]:
        return self.prior.references() if self.prior is not None else ()
