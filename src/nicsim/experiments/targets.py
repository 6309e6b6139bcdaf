"""Study targets as data: every validation check's published band, read from ``targets.tsv``.

``targets.tsv`` (beside the studies, tab-separated, one line per check, PEtab-like) is the one
place a band is written down. The studies read their bands from it (:meth:`Study.check`), the
validation report shows them and the PEtab export turns them into measurements. Columns:

==========  ==========================================================================
``row``     validation row id of the study (``V04``, ``V10b``)
``metric``  the check's name, unique within the row (the study measures it by this name)
``low``     lower edge of the band (a number, or ``-inf`` for an upper bound only)
``high``    upper edge of the band (a number, or ``inf`` for a lower bound only)
``unit``    unit of the check value (``x`` for a ratio, ``%``, ``min``, ``pg/mL``; may be empty)
``kind``    ``size`` (the published size) or ``direction`` (only a direction or an ordering)
``source``  citation keys of ``nicsim/model/references.bib``, separated by spaces
==========  ==========================================================================

The lines of a row are in the order the study reports its checks. The table is checked when it
is loaded; an error names the file, line, column, value and what is allowed.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from nicsim.errors import NicsimError

TARGETS_FILE = Path(__file__).with_name("targets.tsv")
COLUMNS = ("row", "metric", "low", "high", "unit", "kind", "source")
KINDS = ("size", "direction")
_ROW_RE = re.compile(r"^[A-Z][A-Za-z0-9]*$")
_KEY_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_:-]*$")


def band_text(low: float, high: float, unit: str = "") -> str:
    """``[2, 4] x``, ``[-inf, 1.25] x``: a band as the report and the PEtab README print it."""
    def f(x):
        return "-inf" if x == -math.inf else "inf" if x == math.inf else f"{x:g}"
    return f"[{f(low)}, {f(high)}]" + (f" {unit}" if unit else "")


class TargetsError(NicsimError, ValueError):
    """The study targets table is malformed (the message names file, line, column and value)."""


@dataclass(frozen=True)
class StudyTarget:
    """One check's published band (a line of ``targets.tsv``)."""

    row: str
    metric: str
    low: float
    high: float
    unit: str
    kind: str
    source: tuple[str, ...]

    def band_text(self) -> str:
        return band_text(self.low, self.high, self.unit)


def _number(text: str, where: str, column: str) -> float:
    try:
        x = float(text)
    except ValueError:
        raise TargetsError(f"{where}, column {column!r}: {text!r} is not a number; expected a "
                           "number such as 2.5, or -inf / inf for an open side") from None
    if math.isnan(x):
        raise TargetsError(f"{where}, column {column!r}: nan is not a band edge; expected a "
                           "number, or -inf / inf for an open side")
    return x


def parse_targets(text: str, name: str = "targets.tsv") -> dict[str, tuple[StudyTarget, ...]]:
    """Parse and check a targets table; returns ``{row: (StudyTarget, ...)}`` in file order."""
    lines = text.splitlines()
    if not lines:
        raise TargetsError(f"{name}: the file is empty; expected a header line "
                           f"{chr(9).join(COLUMNS)!r}")
    header = tuple(lines[0].split("\t"))
    if header != COLUMNS:
        raise TargetsError(f"{name}, line 1: header {lines[0]!r} is not allowed; expected the "
                           f"tab-separated columns {', '.join(COLUMNS)}")
    out: dict[str, list[StudyTarget]] = {}
    reader = csv.reader(lines[1:], delimiter="\t", quoting=csv.QUOTE_NONE)
    for lineno, cells in enumerate(reader, start=2):
        where = f"{name}, line {lineno}"
        if not cells or all(not c.strip() for c in cells):
            continue
        if len(cells) != len(COLUMNS):
            raise TargetsError(f"{where}: {len(cells)} columns; expected {len(COLUMNS)} "
                               f"({', '.join(COLUMNS)}), separated by tabs")
        rec = dict(zip(COLUMNS, (c.strip() for c in cells), strict=True))
        if not _ROW_RE.match(rec["row"]):
            raise TargetsError(f"{where}, column 'row': {rec['row']!r} is not a row id; "
                               "expected e.g. V04 or V10b")
        if not rec["metric"]:
            raise TargetsError(f"{where}, column 'metric': an empty name is not allowed; "
                               "expected the check's name, e.g. 'peak / baseline'")
        low = _number(rec["low"], where, "low")
        high = _number(rec["high"], where, "high")
        if not low < high:
            raise TargetsError(f"{where}, column 'high': {rec['high']!r} is not above low "
                               f"{rec['low']!r}; a band needs low < high")
        if rec["kind"] not in KINDS:
            raise TargetsError(f"{where}, column 'kind': {rec['kind']!r} is not allowed; "
                               f"expected one of: {', '.join(KINDS)}")
        keys = tuple(rec["source"].split())
        bad = [k for k in keys if not _KEY_RE.match(k)]
        if not keys or bad:
            raise TargetsError(f"{where}, column 'source': {rec['source']!r} is not allowed; "
                               "expected one or more citation keys of references.bib, "
                               "separated by spaces")
        row = out.setdefault(rec["row"], [])
        if any(t.metric == rec["metric"] for t in row):
            raise TargetsError(f"{where}, column 'metric': {rec['metric']!r} appears twice in "
                               f"row {rec['row']}; each check of a row needs its own name")
        row.append(StudyTarget(rec["row"], rec["metric"], low, high, rec["unit"], rec["kind"],
                               keys))
    return {r: tuple(ts) for r, ts in out.items()}


@cache
def study_targets() -> dict[str, tuple[StudyTarget, ...]]:
    """The packaged targets table (``nicsim/experiments/targets.tsv``), checked, by row."""
    return parse_targets(TARGETS_FILE.read_text(encoding="utf-8"), TARGETS_FILE.name)


def target(row: str, metric: str) -> StudyTarget:
    """The band of check ``metric`` of row ``row``; the error lists what the table has."""
    table = study_targets()
    if row not in table:
        raise TargetsError(f"row {row!r} has no lines in {TARGETS_FILE.name}; rows: "
                           f"{', '.join(table)}")
    for t in table[row]:
        if t.metric == metric:
            return t
    raise TargetsError(f"row {row}: no check {metric!r} in {TARGETS_FILE.name}; its checks: "
                       + "; ".join(repr(t.metric) for t in table[row]))


__all__ = ["COLUMNS", "KINDS", "TARGETS_FILE", "StudyTarget", "TargetsError", "band_text",
           "parse_targets",
           "study_targets", "target"]
