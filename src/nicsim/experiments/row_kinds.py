"""Which validation rows the model was fitted to and which it predicts.

A row is *fitted* when anything was tuned to it: a parameter's ``Fitted`` source (or the source
of its between-person spread) lists it, or a part of the parameter set lists it in
``fitted_to``. A tightened row (``V10b``) narrows the band of its parent row (``V10``) on the
same experiment, so it counts as fitted when its parent is. Every other row is *predicted*.

Prediction rows (:data:`PREDICTION_ROWS`, V31-V37 of the targets file) must never be fitted:
``nicsim lint`` refuses a ``Fitted`` source or a parameter-set part that names one.

For a predicted row the classification also lists the parameters whose source cites the
row's own paper (:attr:`RowKind.shared_refs`): such a value was not fitted to the row, but it
was chosen with the same publication in hand, which the report says next to the row.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from nicsim.core.sources import Fitted
from nicsim.model import build_network
from nicsim.parameter_sets import load_parameter_set

#: Rows added as predictions (validation-targets.md, "Prediction rows", and V49, V50, V51 and V54,
#: added as predictions in the repo's docs/validation.md): never fit to these.
PREDICTION_ROWS = frozenset({*(f"V{n}" for n in range(31, 38)), "V49", "V50", "V51", "V54"})

_ROW = re.compile(r"^(V\d+)([a-z]*)$")


def parent_row(row_id: str) -> str | None:
    """``"V10"`` for the tightened row ``"V10b"``; None for a plain row or another name."""
    m = _ROW.match(row_id)
    return m.group(1) if m and m.group(2) else None


def is_prediction_row(row_id: str) -> bool:
    m = _ROW.match(row_id)
    return bool(m) and m.group(1) in PREDICTION_ROWS


@dataclass(frozen=True)
class RowKind:
    row: str
    kind: str                                  # "fitted" | "predicted"
    fitted_by: tuple[str, ...] = ()            # what was tuned to the row
    shared_refs: tuple[str, ...] = field(default=())  # predicted: parameters citing its paper

    def describe(self) -> str:
        if self.kind == "fitted":
            return "fitted: " + ", ".join(self.fitted_by)
        text = "predicted (no parameter fitted to it)"
        if self.shared_refs:
            text += ("; these parameters cite the row's paper (not fitted to it): "
                     + ", ".join(self.shared_refs))
        return text


def parameter_sources(p):
    """(name, source) of a parameter and of its between-person spread, if any."""
    yield p.id, p.source
    dist = getattr(p, "distribution", None)
    if dist is not None and dist.source is not None:
        yield f"{p.id} (between-person spread)", dist.source


def fitting_record(network=None, parameter_set: str = "default") -> dict[str, list[str]]:
    """Row id -> what was fitted to it: parameter ids (from their ``Fitted`` sources) and the
    parameter-set parts whose ``fitted_to`` lists the row."""

    network = network or build_network()
    out: dict[str, list[str]] = {}
    for p in network.parameters():
        for name, src in parameter_sources(p):
            if isinstance(src, Fitted):
                for row in src.rows:
                    out.setdefault(row, []).append(name)
    for part in load_parameter_set(parameter_set)["parts"]:
        for row in part.get("fitted_to") or ():
            out.setdefault(str(row), []).append(f"parameter set {part['file']}")
    return out


def citing_parameters(network, keys: Iterable[str]) -> list[str]:
    """Parameters whose source (or spread source, or prior) cites any of ``keys``."""
    keys = set(keys)
    found = []
    for p in network.parameters():
        for name, src in parameter_sources(p):
            if keys & set(src.references()):
                found.append(name)
    return found


def classify_rows(rows: Mapping[str, Iterable[str]] | Iterable[str], network=None,
                  parameter_set: str = "default") -> dict[str, RowKind]:
    """Classify each row id as fitted or predicted.

    ``rows`` is either row ids or a mapping row id -> the BibTeX keys of the row's study (then
    predicted rows list the parameters citing those keys).
    """

    network = network or build_network()
    refs = dict(rows) if isinstance(rows, Mapping) else {r: () for r in rows}
    record = fitting_record(network, parameter_set)
    out = {}
    for row, keys in refs.items():
        by = list(record.get(row, []))
        parent = parent_row(row)
        if parent is not None:
            by += [f"{x} (via {parent})" for x in record.get(parent, [])]
        if by:
            out[row] = RowKind(row, "fitted", tuple(dict.fromkeys(by)))
        else:
            out[row] = RowKind(row, "predicted",
                               shared_refs=tuple(citing_parameters(network, keys or ())))
    return out


def classify_studies(studies, network=None, parameter_set: str = "default") -> dict[str, RowKind]:
    """:func:`classify_rows` for study objects or classes (their ``id`` and ``refs``)."""
    return classify_rows({s.id: tuple(s.refs) for s in studies}, network, parameter_set)


__all__ = ["PREDICTION_ROWS", "RowKind", "citing_parameters", "parameter_sources", "classify_rows",
           "classify_studies", "fitting_record", "is_prediction_row", "parent_row"]
