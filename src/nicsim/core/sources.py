"""Structured provenance for every model number.

A parameter's ``source`` is one of:
``Literature(key, locator, origin)`` (a BibTeX key in ``model/references.bib`` and where in the
paper; ``origin`` says whether the number is a measured human value, ``"measured"``, or a value
taken from another published mathematical model, ``"model"``; left out, it follows from the
cited key: :data:`PUBLISHED_MODEL_REFERENCES` lists the model papers),
``Derived(how, inputs)`` (computed from other sourced numbers), ``Assumption(why)`` (an explicit
modelling choice with its reason) or ``Fitted(parameter_set, rows)`` (calibrated to validation
rows). A number without one of these is a lint error.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: BibTeX keys of published mathematical models: a ``Literature`` number citing one of them is a
#: value taken from another model (origin "model"), not a measured human value.
PUBLISHED_MODEL_REFERENCES = frozenset({
    "andersen2013", "bangsgaard2017", "borbely1982", "cooper2015", "dobreva2021",
    "dominguez2017", "foteinou2011", "gupta2007", "hall2011", "miyano2022", "reynolds2006",
    "shmarov2022", "somvanshi2020", "windoloski2024", "yakimchuk2019",
})

#: Allowed values of ``Literature.origin``.
LITERATURE_ORIGINS = ("measured", "model")

#: Provenance categories of ``nicsim params --summary``, in report order.
PROVENANCE_CATEGORIES = {
    "measured": "measured human value (literature)",
    "model": "value from another published model (literature)",
    "derived": "derived from other sourced numbers",
    "assumption": "assumption (modelling choice with its reason)",
    "fitted": "fitted to validation rows",
}


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
    origin: str | None = None   # "measured" | "model"; None: from the cited key

    def __post_init__(self):
        if self.origin is not None and self.origin not in LITERATURE_ORIGINS:
            raise ValueError(f"Literature({self.key!r}).origin = {self.origin!r}: allowed "
                             f"{', '.join(map(repr, LITERATURE_ORIGINS))} or None (from the key)")

    @property
    def value_origin(self) -> str:
        """"model" for a value taken from a published model, else "measured"."""
        if self.origin is not None:
            return self.origin
        return "model" if self.key in PUBLISHED_MODEL_REFERENCES else "measured"

    def describe(self) -> str:
        text = f"[{self.key}]" + (f" {self.locator}" if self.locator else "")
        return text + (" (value from a published model)" if self.value_origin == "model" else "")

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


def provenance_category(source: Source) -> str:
    """One of :data:`PROVENANCE_CATEGORIES` for a parameter's source."""
    if isinstance(source, Literature):
        return source.value_origin
    if isinstance(source, (Derived, Assumption, Fitted)):
        return source.kind
    raise TypeError(f"not a structured source: {source!r}")
