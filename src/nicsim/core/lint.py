"""Lint checks on a network, each a small class returning graded issues (PEtab-style).

The checks here read only the network and a context dict; :mod:`nicsim.checks` (a top layer)
assembles that context from the parameter set, the protocol vocabulary and the studies, adds the
checks that need the studies, and runs them all (``nicsim lint`` exits non-zero on any error).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nicsim.core.bibliography import load_bibliography
from nicsim.core.sources import Fitted, Source
from nicsim.core.units import parse_unit
from nicsim.errors import ModelError, UnitError


@dataclass(frozen=True)
class LintIssue:
    level: str  # "error" | "warning"
    check: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.level.upper():7s} {self.check}: {self.where}: {self.message}"


class Check:
    name = "check"

    def run(self, network, context: dict) -> list[LintIssue]:
        raise NotImplementedError

    def issue(self, level, where, message) -> LintIssue:
        return LintIssue(level, self.name, where, message)


class CheckParameterProvenance(Check):
    """Every parameter has a value, a unit and a structured source."""

    name = "provenance"

    def run(self, network, context):
        out = []
        for p in network.parameters():
            if not isinstance(p.source, Source):
                out.append(self.issue("error", p.id, "parameter has no structured source"))
            try:
                parse_unit(p.unit)
            except UnitError as e:
                out.append(self.issue("error", p.id, str(e)))
            if p.value != p.value:
                out.append(self.issue("error", p.id, "value is NaN"))
            if p.bounds and not (p.bounds[0] <= p.value <= p.bounds[1]):
                out.append(self.issue("warning", p.id,
                                      f"value {p.value} outside its bounds {p.bounds}"))
        return out


class CheckReferences(Check):
    """Every cited BibTeX key resolves in model/references.bib."""

    name = "references"

    def run(self, network, context):
        bib = context.get("bibliography") or load_bibliography()
        out = []
        for p in network.parameters():
            for key in p.source.references():
                if key not in bib:
                    out.append(self.issue("error", p.id, f"reference [{key}] is not in "
                                                         "references.bib"))
        for m in network.modules.values():
            for key in context.get("study_refs", {}).get(m.name, ()):
                if key not in bib:
                    out.append(self.issue("error", m.name, f"reference [{key}] unresolved"))
        for sid, keys in context.get("study_refs", {}).items():
            for key in keys:
                if key not in bib:
                    out.append(self.issue("error", f"study {sid}", f"reference [{key}] is not "
                                                                   "in references.bib"))
        return out


class CheckUnits(Check):
    """Rate laws and outputs are unit-consistent; connected ports agree."""

    name = "units"

    def run(self, network, context):
        return [self.issue("error", "network", msg) for msg in network.check_units()]


class CheckPorts(Check):
    """Every input port is connected; every exogenous input can be set by a protocol."""

    name = "ports"

    def run(self, network, context):
        out = [self.issue("error", i, "input port is not connected to any output")
               for i in network.unconnected_inputs()]
        out += [self.issue("warning", i.id, f"optional input has no producer in this network; "
                                            f"it uses its default {i.default:g} {i.unit}")
                for i in network.defaulted_inputs()]
        out += [self.issue("error", "network", msg) for msg in network.unknown_symbols()]
        known = context.get("known_inputs")
        if known is not None:
            for name in network.exogenous_inputs():
                if name not in known:
                    out.append(self.issue("warning", f"exogenous {name}",
                                          "no protocol event sets this input"))
        try:
            network.outputs_by_name()
        except ModelError as e:
            out.append(self.issue("error", "network", str(e)))
        return out


class CheckParameterSet(Check):
    """The calibrated parameter set names existing parameters; fitted parameters are in it."""

    name = "parameter-set"

    def run(self, network, context):
        values = context.get("parameter_set")
        if values is None:
            return []
        ids = {p.id for p in network.parameters()}
        out = [self.issue("error", k, "parameter set names a parameter the model does not have")
               for k in values if k not in ids]
        for p in network.parameters():
            if isinstance(p.source, Fitted) and p.id not in values:
                out.append(self.issue("warning", p.id, "declared as fitted but the parameter "
                                                       "set has no calibrated value"))
        return out


def _source_text(src: Source) -> str:
    parts = [str(v) for v in vars(src).values() if isinstance(v, str)]
    prior = getattr(src, "prior", None)
    return " ".join(parts + ([_source_text(prior)] if isinstance(prior, Source) else []))


_TUNED = re.compile(r"sized so|chosen so|checked[^.;]*against|tuned|calibrated", re.IGNORECASE)
_ROW_ID = re.compile(r"\bV\d{2}[a-z]?\b")


class CheckHandTuned(Check):
    """A value whose source says it was sized or checked against a validation row is a fitted
    value: it must be declared ``Fitted`` with that row."""

    name = "hand-tuned"

    def run(self, network, context):
        out = []
        for p in network.parameters():
            if isinstance(p.source, Fitted):
                continue
            text = _source_text(p.source)
            if _TUNED.search(text) and _ROW_ID.search(text):
                out.append(self.issue("warning", p.id, "the source says the value was sized or "
                                      "checked against a validation row: declare it Fitted "
                                      "with that row"))
        return out


#: the checks that need only the network and the context :func:`nicsim.checks.lint` assembles
CORE_CHECKS = (CheckParameterProvenance, CheckReferences, CheckUnits, CheckPorts,
               CheckParameterSet, CheckHandTuned)
