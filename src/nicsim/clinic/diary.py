"""The client diary: what a client records each day, read and written as CSV or JSON.

A :class:`DiaryEntry` is one record: a date, an optional clock time (several records a day are
allowed), stress 0-10, sleep hours and quality 0-10, the condition's self-rated severity on the
diary's :class:`SeverityScale`, itch NRS 0-10, mood 0-10, menstrual-cycle day, a trigger
checklist, products applied, practices done and a free note. Every value may be left out.

A :class:`Diary` holds one client's entries over a period (``start`` .. ``end``). Days inside the
period without a record are **missing days**: they are kept explicit (:meth:`Diary.missing_days`,
and rows of NaN with ``recorded = False`` in :meth:`Diary.daily`), never silently dropped. An
optional :class:`Plan` lists the products and practices the client agreed to, so adherence can be
computed.

Bad files raise :class:`DiaryError`. It lists every problem found as a :class:`DiaryIssue`
naming the row (CSV line number, or ``entries[i]`` in JSON), the field, the value given and what
is allowed.

CSV layout (see ``docs/clinic.md``): optional leading ``# key: value`` lines for the diary's
metadata (``client_id``, ``condition``, ``severity_scale``, ``start``, ``end``,
``plan_products``, ``plan_practices``), then a header row and one row per record. List cells
(``triggers``, ``products``, ``practices``) separate items with ``;``. Empty cells are missing
values.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from nicsim.errors import NicsimError

# ============================================================================ vocabularies


@dataclass(frozen=True)
class SeverityScale:
    """A self-rated severity scale for one condition.

    ``low``..``high`` is the allowed range (``high = inf`` for counts); ``integer`` says whether
    only whole numbers are allowed; ``source`` says where the scale comes from.
    """

    id: str
    condition: str
    label: str
    low: float
    high: float
    integer: bool
    source: str

    def allowed(self) -> str:
        kind = "a whole number" if self.integer else "a number"
        hi = "or more" if math.isinf(self.high) else f"to {self.high:g}"
        return f"{kind} from {self.low:g} {hi} ({self.label})"

    def check(self, value: float) -> str | None:
        """``None`` if ``value`` is allowed on this scale, else what is allowed."""
        if not math.isfinite(value) or value < self.low or value > self.high:
            return self.allowed()
        if self.integer and value != int(value):
            return self.allowed()
        return None


#: Self-rated severity scales, one or more per condition.
SEVERITY_SCALES: dict[str, SeverityScale] = {s.id: s for s in (
    SeverityScale("po_scorad", "eczema", "PO-SCORAD, patient-oriented SCORAD 0-103", 0.0, 103.0,
                  False, "Stalder JF et al. 2011, Allergy 66:1114 (PO-SCORAD, range 0-103)"),
    SeverityScale("sapasi", "psoriasis", "self-administered PASI 0-72", 0.0, 72.0, False,
                  "Feldman SR et al. 1996, Dermatology 192:126 (SAPASI, range 0-72)"),
    SeverityScale("acne_lesion_count", "acne", "inflammatory lesions counted on the face", 0.0,
                  math.inf, True, "Assumption: self-count of papules+pustules, as in "
                  "lesion-count trials; no validated self-count instrument"),
    SeverityScale("skin_nrs", "any", "self-rated skin severity NRS 0-10", 0.0, 10.0, False,
                  "Assumption: 0-10 numeric rating, as the itch NRS (Phan NQ et al. 2012)"),
)}

#: Default severity scale per condition.
DEFAULT_SCALE: dict[str, str] = {
    "eczema": "po_scorad", "psoriasis": "sapasi", "acne": "acne_lesion_count",
    "rosacea": "skin_nrs", "vitiligo": "skin_nrs", "other": "skin_nrs",
}
CONDITIONS: tuple[str, ...] = tuple(DEFAULT_SCALE)

#: The standard trigger checklist. Also allowed: ``diet:<item>`` (e.g. ``diet:dairy``) and
#: ``custom:<name>`` for anything else.
STANDARD_TRIGGERS: dict[str, str] = {
    "sweat": "sweating (sport, heat)",
    "heat": "hot environment, hot shower",
    "cold_dry_air": "cold or dry air, heating season",
    "new_product": "a new skincare or cosmetic product",
    "alcohol": "alcohol",
    "menstruation": "menstrual period",
    "poor_sleep": "felt they slept badly",
    "conflict": "conflict, argument",
    "deadline": "exams, deadlines, work pressure",
    "sun": "strong sun exposure",
    "infection": "cold, flu or other infection",
    "pet_dust": "contact with pets, dust, pollen",
}
TRIGGER_PREFIXES: tuple[str, ...] = ("diet:", "custom:")

#: Practices a plan may contain (free names are allowed too; these are the common ones).
KNOWN_PRACTICES: dict[str, str] = {
    "slow_breathing": "slow-paced breathing (about 6 breaths/min)",
    "mindfulness": "mindfulness / meditation session",
    "sleep_schedule": "kept the planned sleep schedule",
    "social_support": "time with a supportive person or group",
    "exercise": "physical exercise",
    "relaxation": "relaxation or hypnosis recording",
}

#: Field order of the CSV layout.
CSV_FIELDS: tuple[str, ...] = (
    "date", "time", "stress", "sleep_hours", "sleep_quality", "severity", "itch", "mood",
    "cycle_day", "triggers", "products", "practices", "note",
)
LIST_FIELDS = ("triggers", "products", "practices")
NUMERIC_FIELDS = ("stress", "sleep_hours", "sleep_quality", "severity", "itch", "mood",
                  "cycle_day")
#: Allowed range per numeric field (severity depends on the diary's scale).
FIELD_RANGES: dict[str, tuple[float, float, str]] = {
    "stress": (0, 10, "a number from 0 (no stress) to 10 (worst imaginable)"),
    "sleep_hours": (0, 24, "hours slept, a number from 0 to 24"),
    "sleep_quality": (0, 10, "a number from 0 (very poor) to 10 (excellent)"),
    "itch": (0, 10, "itch NRS, a number from 0 (none) to 10 (worst imaginable)"),
    "mood": (0, 10, "a number from 0 (very low) to 10 (very good)"),
    "cycle_day": (1, 60, "menstrual-cycle day, a whole number from 1 to 60"),
}
META_KEYS = ("client_id", "condition", "severity_scale", "start", "end", "plan_products",
             "plan_practices")


# ============================================================================ errors


@dataclass(frozen=True)
class DiaryIssue:
    """One problem in a diary file: where (row, field), what was given, what is allowed."""

    row: str
    field: str
    value: Any
    allowed: str

    def __str__(self) -> str:
        where = f"{self.row}, {self.field}" if self.row else self.field
        return f"{where}: {self.value!r} is not allowed; {self.allowed}"


class DiaryError(NicsimError, ValueError):
    """A diary (file or object) is invalid. ``issues`` lists every problem found."""

    MAX_SHOWN = 20

    def __init__(self, issues: Sequence[DiaryIssue], *, source: str = ""):
        self.issues = list(issues)
        self.source = source
        head = f"{source}: " if source else ""
        n = len(self.issues)
        lines = [str(i) for i in self.issues[: self.MAX_SHOWN]]
        if n > self.MAX_SHOWN:
            lines.append(f"... and {n - self.MAX_SHOWN} more")
        plural = "problem" if n == 1 else "problems"
        super().__init__(f"{head}{n} {plural} in the diary:\n  " + "\n  ".join(lines))


def _suggest(value: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(value, list(options), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _trigger_allowed(value: str) -> str:
    return ("one of " + ", ".join(STANDARD_TRIGGERS) + ", or diet:<item> / custom:<name>"
            + _suggest(value, STANDARD_TRIGGERS))


def normalise_name(value: str) -> str:
    """Trigger/product/practice names: stripped, lower case, inner spaces as underscores."""
    return "_".join(value.strip().lower().split())


def check_trigger(name: str) -> str | None:
    """``None`` if ``name`` is an allowed trigger id, else what is allowed."""
    if name in STANDARD_TRIGGERS:
        return None
    for p in TRIGGER_PREFIXES:
        if name.startswith(p) and len(name) > len(p):
            return None
    return _trigger_allowed(name)


# ============================================================================ models


class DiaryEntry(BaseModel):
    """One diary record. Every value except ``date`` may be missing (``None`` / empty list)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    date: dt.date
    time: dt.time | None = None
    stress: float | None = Field(None, ge=0, le=10, description="stress NRS 0-10")
    sleep_hours: float | None = Field(None, ge=0, le=24, description="hours slept last night")
    sleep_quality: float | None = Field(None, ge=0, le=10, description="sleep quality 0-10")
    severity: float | None = Field(None, ge=0, description="on the diary's severity scale")
    itch: float | None = Field(None, ge=0, le=10, description="itch NRS 0-10")
    mood: float | None = Field(None, ge=0, le=10, description="mood 0-10")
    cycle_day: int | None = Field(None, ge=1, le=60, description="menstrual-cycle day")
    triggers: tuple[str, ...] = ()
    products: tuple[str, ...] = ()
    practices: tuple[str, ...] = ()
    note: str = ""

    @field_validator("stress", "sleep_hours", "sleep_quality", "severity", "itch", "mood")
    @classmethod
    def _finite(cls, v: float | None) -> float | None:
        if v is not None and not math.isfinite(v):
            raise ValueError("must be a finite number")
        return v

    @field_validator("triggers", "products", "practices", mode="before")
    @classmethod
    def _names(cls, v: Any) -> tuple[str, ...]:
        if v is None:
            return ()
        if isinstance(v, str):
            v = v.split(";")
        out: list[str] = []
        for item in v:
            if not isinstance(item, str):
                raise ValueError(f"items must be text, got {item!r}")
            name = normalise_name(item)
            if name and name not in out:
                out.append(name)
        return tuple(out)

    @field_validator("triggers")
    @classmethod
    def _trigger_ids(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        for name in v:
            msg = check_trigger(name)
            if msg:
                raise ValueError(f"unknown trigger {name!r}: {msg}")
        return v

    def is_empty(self) -> bool:
        """True if nothing but the date (and time) was recorded."""
        return all(getattr(self, f) is None for f in NUMERIC_FIELDS) and not (
            self.triggers or self.products or self.practices or self.note.strip())


class Plan(BaseModel):
    """What the client agreed to do every day: products to apply and practices to do."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    products: tuple[str, ...] = ()
    practices: tuple[str, ...] = ()

    @field_validator("products", "practices", mode="before")
    @classmethod
    def _names(cls, v: Any) -> tuple[str, ...]:
        return DiaryEntry._names(v)


def _read_diary_file(path: Path, encoding: str) -> str:
    """The text of a diary file; a :class:`DiaryError` naming the file if it cannot be read."""
    try:
        return path.read_text(encoding=encoding)
    except OSError as exc:
        raise DiaryError([DiaryIssue("", "file", str(path), f"a readable file ({exc})")],
                         source=path.name) from None


class Diary(BaseModel):
    """One client's diary over ``start`` .. ``end`` (inclusive; default: first to last entry)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    client_id: str = "client"
    condition: str = "other"
    severity_scale: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    plan: Plan = Plan()
    entries: tuple[DiaryEntry, ...] = ()

    def __init__(self, /, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as exc:
            raise DiaryError(_issues_from_validation(exc, entries_prefix="entries")) from None
        issues = self._cross_checks()
        if issues:
            raise DiaryError(issues)

    @classmethod
    def model_validate(cls, obj: Any, **kwargs: Any) -> Diary:  # type: ignore[override]
        """As ``Diary(**obj)``: the cross-field checks and DiaryError included."""
        if isinstance(obj, Diary):
            return obj
        if not isinstance(obj, dict):
            raise DiaryError([DiaryIssue("", "diary", type(obj).__name__,
                                         "an object with client_id, condition, entries ...")])
        return cls(**obj)

    # ------------------------------------------------------------------ validation across fields
    def model_post_init(self, __context: Any) -> None:
        if not self.severity_scale and self.condition in DEFAULT_SCALE:
            object.__setattr__(self, "severity_scale", DEFAULT_SCALE[self.condition])
        entries = tuple(sorted(self.entries, key=lambda e: (e.date, e.time or dt.time(0))))
        object.__setattr__(self, "entries", entries)

    def _cross_checks(self) -> list[DiaryIssue]:
        issues: list[DiaryIssue] = []
        if self.condition not in DEFAULT_SCALE:
            issues.append(DiaryIssue("", "condition", self.condition,
                                     "one of " + ", ".join(CONDITIONS)
                                     + _suggest(self.condition, CONDITIONS)))
            return issues
        scale = SEVERITY_SCALES.get(self.severity_scale)
        if scale is None:
            issues.append(DiaryIssue("", "severity_scale", self.severity_scale,
                                     "one of " + ", ".join(SEVERITY_SCALES)
                                     + _suggest(self.severity_scale, SEVERITY_SCALES)))
            return issues
        if scale.condition not in ("any", self.condition):
            ok = [s.id for s in SEVERITY_SCALES.values() if s.condition in ("any", self.condition)]
            issues.append(DiaryIssue("", "severity_scale", self.severity_scale,
                                     f"a scale for {self.condition}: one of {', '.join(ok)}"))
        if self.start and self.end and self.end < self.start:
            issues.append(DiaryIssue("", "end", self.end.isoformat(),
                                     f"a date on or after start ({self.start.isoformat()})"))
        for i, e in enumerate(self.entries):
            row = f"entries[{i}]"
            if e.severity is not None:
                msg = scale.check(e.severity)
                if msg:
                    issues.append(DiaryIssue(row, "severity", e.severity, msg))
            if self.start and e.date < self.start:
                issues.append(DiaryIssue(row, "date", e.date.isoformat(),
                                         f"a date on or after start ({self.start.isoformat()})"))
            if self.end and e.date > self.end:
                issues.append(DiaryIssue(row, "date", e.date.isoformat(),
                                         f"a date on or before end ({self.end.isoformat()})"))
        return issues

    # ------------------------------------------------------------------ derived views
    @property
    def scale(self) -> SeverityScale:
        return SEVERITY_SCALES[self.severity_scale]

    @property
    def first_day(self) -> dt.date | None:
        if self.start:
            return self.start
        return self.entries[0].date if self.entries else None

    @property
    def last_day(self) -> dt.date | None:
        if self.end:
            return self.end
        return self.entries[-1].date if self.entries else None

    def days(self) -> list[dt.date]:
        """Every calendar day of the diary's period."""
        a, b = self.first_day, self.last_day
        if a is None or b is None:
            return []
        return [a + dt.timedelta(days=i) for i in range((b - a).days + 1)]

    def recorded_days(self) -> list[dt.date]:
        """Days with at least one non-empty record."""
        return sorted({e.date for e in self.entries if not e.is_empty()})

    def missing_days(self) -> list[dt.date]:
        """Days of the period with no (non-empty) record."""
        have = set(self.recorded_days())
        return [d for d in self.days() if d not in have]

    def triggers_seen(self) -> list[str]:
        return sorted({t for e in self.entries for t in e.triggers})

    def practices_seen(self) -> list[str]:
        return sorted({p for e in self.entries for p in e.practices})

    def products_seen(self) -> list[str]:
        return sorted({p for e in self.entries for p in e.products})

    def daily(self):
        """One row per calendar day (a ``pandas.DataFrame`` indexed by date).

        Several records on one day are combined: numeric scales by their mean, lists by union,
        notes joined. Missing days are rows of NaN with ``recorded = False``. Columns:
        the numeric fields, ``recorded``, ``n_records``, one 0/1 column per trigger seen
        (``trigger:<id>``), practice (``practice:<id>``) and product (``product:<id>``), and
        plan adherence (``adherence``: share of the plan's items done; NaN without a plan or on
        missing days). Trigger/practice/product columns are NaN on missing days: not recorded is
        not the same as absent.
        """
        import numpy as np
        import pandas as pd

        days = self.days()
        by_day: dict[dt.date, list[DiaryEntry]] = {}
        for e in self.entries:
            if not e.is_empty():
                by_day.setdefault(e.date, []).append(e)
        trig, prac, prod = self.triggers_seen(), self.practices_seen(), self.products_seen()
        plan_items = [("practice", p) for p in self.plan.practices] + [
            ("product", p) for p in self.plan.products]
        rows = []
        for d in days:
            recs = by_day.get(d, [])
            row: dict[str, Any] = {"date": pd.Timestamp(d), "recorded": bool(recs),
                                   "n_records": len(recs)}
            for f in NUMERIC_FIELDS:
                vals = [getattr(r, f) for r in recs if getattr(r, f) is not None]
                row[f] = float(np.mean(vals)) if vals else np.nan
            tset = {t for r in recs for t in r.triggers}
            pset = {p for r in recs for p in r.practices}
            dset = {p for r in recs for p in r.products}
            for t in trig:
                row[f"trigger:{t}"] = float(t in tset) if recs else np.nan
            for p in prac:
                row[f"practice:{p}"] = float(p in pset) if recs else np.nan
            for p in prod:
                row[f"product:{p}"] = float(p in dset) if recs else np.nan
            if plan_items and recs:
                done = sum((p in pset) if k == "practice" else (p in dset) for k, p in plan_items)
                row["adherence"] = done / len(plan_items)
            else:
                row["adherence"] = np.nan
            row["note"] = " | ".join(r.note for r in recs if r.note.strip())
            rows.append(row)
        cols = (["date", "recorded", "n_records", *NUMERIC_FIELDS]
                + [f"trigger:{t}" for t in trig] + [f"practice:{p}" for p in prac]
                + [f"product:{p}" for p in prod] + ["adherence", "note"])
        return pd.DataFrame(rows, columns=cols).set_index("date")

    def summary(self) -> dict[str, Any]:
        """Counts for a quick check: period, days recorded and missing, fields filled."""
        days = self.days()
        rec = self.recorded_days()
        filled = {f: sum(getattr(e, f) is not None for e in self.entries) for f in NUMERIC_FIELDS}
        return {
            "client_id": self.client_id, "condition": self.condition,
            "severity_scale": self.severity_scale,
            "start": days[0].isoformat() if days else None,
            "end": days[-1].isoformat() if days else None,
            "n_days": len(days), "n_recorded_days": len(rec),
            "n_missing_days": len(days) - len(rec), "n_records": len(self.entries),
            "records_with": filled, "triggers": self.triggers_seen(),
            "practices": self.practices_seen(), "products": self.products_seen(),
        }

    # ------------------------------------------------------------------ JSON
    def to_json(self, path: str | Path | None = None) -> str:
        text = json.dumps(self.model_dump(mode="json"), indent=1)
        if path is not None:
            Path(path).write_text(text + "\n", encoding="utf-8")
        return text

    @classmethod
    def from_json(cls, source: str | Path) -> Diary:
        """Read a diary from a JSON file path or a JSON string."""
        label = "JSON"
        text = str(source)
        if isinstance(source, Path) or (not text.lstrip().startswith("{")):
            label = Path(source).name
            text = _read_diary_file(Path(source), "utf-8")
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise DiaryError([DiaryIssue(f"line {exc.lineno}", "json", exc.msg,
                                         "valid JSON")], source=label) from None
        if not isinstance(data, dict):
            raise DiaryError([DiaryIssue("", "json", type(data).__name__,
                                         "an object with client_id, condition, entries ...")],
                             source=label)
        try:
            return cls(**data)
        except DiaryError as exc:
            raise DiaryError(exc.issues, source=label) from None

    # ------------------------------------------------------------------ CSV
    def to_csv(self, path: str | Path | None = None) -> str:
        buf = io.StringIO()
        meta = {"client_id": self.client_id, "condition": self.condition,
                "severity_scale": self.severity_scale,
                "start": self.start.isoformat() if self.start else "",
                "end": self.end.isoformat() if self.end else "",
                "plan_products": ";".join(self.plan.products),
                "plan_practices": ";".join(self.plan.practices)}
        for k, v in meta.items():
            if v:
                buf.write(f"# {k}: {v}\n")
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(CSV_FIELDS)
        for e in self.entries:
            row = []
            for f in CSV_FIELDS:
                v = getattr(e, f)
                if v is None:
                    row.append("")
                elif f in LIST_FIELDS:
                    row.append(";".join(v))
                elif isinstance(v, dt.date | dt.time):
                    row.append(v.isoformat(timespec="minutes") if isinstance(v, dt.time)
                               else v.isoformat())
                elif isinstance(v, float):
                    row.append(f"{v:g}")
                else:
                    row.append(str(v))
            w.writerow(row)
        text = buf.getvalue()
        if path is not None:
            Path(path).write_text(text, encoding="utf-8")
        return text

    @classmethod
    def from_csv(cls, source: str | Path, **meta: Any) -> Diary:
        """Read a diary from a CSV file path or CSV text; ``meta`` overrides ``# key:`` lines."""
        label = "CSV"
        if isinstance(source, Path) or ("\n" not in str(source)):
            label = Path(source).name
            text = _read_diary_file(Path(source), "utf-8-sig")
        else:
            text = str(source)
        return _parse_csv(cls, text, label, meta)

    @classmethod
    def read(cls, path: str | Path, **meta: Any) -> Diary:
        """Read ``.csv`` or ``.json`` by the file's suffix."""
        p = Path(path)
        if p.suffix.lower() == ".json":
            return cls.from_json(p)
        if p.suffix.lower() in (".csv", ".txt"):
            return cls.from_csv(p, **meta)
        raise DiaryError([DiaryIssue("", "file", p.name, "a .csv or .json diary file")])

    def write(self, path: str | Path) -> Path:
        """Write ``.csv`` or ``.json`` by the file's suffix."""
        p = Path(path)
        p.parent.mkdir(parents=True, exist_ok=True)
        if p.suffix.lower() == ".json":
            self.to_json(p)
        elif p.suffix.lower() == ".csv":
            self.to_csv(p)
        else:
            raise DiaryError([DiaryIssue("", "file", p.name, "a .csv or .json diary file")])
        return p


# ============================================================================ helpers


def _issues_from_validation(exc: ValidationError, *, entries_prefix: str,
                            row_labels: Sequence[str] | None = None) -> list[DiaryIssue]:
    issues = []
    for err in exc.errors():
        loc = list(err.get("loc", ()))
        row = ""
        if loc and loc[0] == "entries" and len(loc) > 1 and isinstance(loc[1], int):
            i = loc[1]
            row = row_labels[i] if row_labels else f"{entries_prefix}[{i}]"
            loc = loc[2:]
        field = ".".join(str(x) for x in loc if not isinstance(x, int)) or "entry"
        value = err.get("input")
        if err.get("type") == "missing":
            value = "<missing>"
        allowed = _allowed_for(field, err)
        issues.append(DiaryIssue(row, field, value, allowed))
    return issues


def _allowed_for(field: str, err: dict) -> str:
    msg = err.get("msg", "")
    if field in FIELD_RANGES:
        return FIELD_RANGES[field][2]
    if field == "date":
        return "a calendar date written YYYY-MM-DD"
    if field == "time":
        return "a clock time written HH:MM (24 h)"
    if field == "severity":
        return "a number >= 0 on the diary's severity scale"
    if err.get("type") == "extra_forbidden":
        return ("a known field: " + ", ".join(CSV_FIELDS) + " (entries) or "
                + ", ".join(["client_id", "condition", "severity_scale", "start", "end", "plan",
                             "entries"]) + " (diary)")
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
    return msg


def _parse_csv(cls: type[Diary], text: str, label: str, overrides: dict[str, Any]) -> Diary:
    lines = text.splitlines()
    meta: dict[str, str] = {}
    issues: list[DiaryIssue] = []
    first = 0
    while first < len(lines) and (lines[first].startswith("#") or not lines[first].strip()):
        s = lines[first].lstrip("#").strip()
        if s:
            if ":" not in s:
                issues.append(DiaryIssue(f"line {first + 1}", "metadata", s,
                                         "a line '# key: value' with key one of "
                                         + ", ".join(META_KEYS)))
            else:
                k, v = (x.strip() for x in s.split(":", 1))
                if k not in META_KEYS:
                    issues.append(DiaryIssue(f"line {first + 1}", "metadata", k,
                                             "one of " + ", ".join(META_KEYS)
                                             + _suggest(k, META_KEYS)))
                else:
                    meta[k] = v
        first += 1
    if first >= len(lines):
        issues.append(DiaryIssue("", "header", "<missing>",
                                 "a header row naming the columns, e.g. " + ",".join(CSV_FIELDS)))
        raise DiaryError(issues, source=label)
    reader = csv.reader(lines[first:])
    header = [h.strip().lower() for h in next(reader)]
    for h in header:
        if h not in CSV_FIELDS:
            issues.append(DiaryIssue(f"line {first + 1}", "header", h,
                                     "column names from " + ", ".join(CSV_FIELDS)
                                     + _suggest(h, CSV_FIELDS)))
    if "date" not in header:
        issues.append(DiaryIssue(f"line {first + 1}", "header", ",".join(header),
                                 "a 'date' column (YYYY-MM-DD)"))
    if issues:
        raise DiaryError(issues, source=label)

    entries: list[DiaryEntry] = []
    labels: list[str] = []
    for k, cells in enumerate(reader):
        lineno = first + 2 + k
        if not any(c.strip() for c in cells):
            continue
        row = f"line {lineno}"
        if len(cells) != len(header):
            issues.append(DiaryIssue(row, "columns", len(cells),
                                     f"{len(header)} cells, as in the header (quote a note that "
                                     "contains commas)"))
            continue
        data: dict[str, Any] = {}
        for h, c in zip(header, cells, strict=True):
            c = c.strip()
            if c == "":
                continue
            if h in NUMERIC_FIELDS:
                try:
                    data[h] = float(c.replace(",", ".")) if h != "cycle_day" else int(c)
                except ValueError:
                    allowed = (FIELD_RANGES[h][2] if h in FIELD_RANGES
                               else "a number >= 0 on the diary's severity scale")
                    issues.append(DiaryIssue(row, h, c, allowed))
                    data[h] = None
            else:
                data[h] = c
        try:
            entries.append(DiaryEntry(**data))
            labels.append(row)
        except ValidationError as exc:
            for iss in _issues_from_validation(exc, entries_prefix="entries"):
                issues.append(DiaryIssue(row, iss.field, iss.value, iss.allowed))
    if issues:
        raise DiaryError(issues, source=label)

    fields: dict[str, Any] = {k: v for k, v in meta.items() if not k.startswith("plan_")}
    plan: Any = {"products": meta.get("plan_products", ""),
                 "practices": meta.get("plan_practices", "")}
    fields.update({k: v for k, v in overrides.items() if k != "plan"})
    if "plan" in overrides:
        plan = overrides["plan"]
    # the Diary sorts its entries by (date, time); sort the same way (stable) so that
    # entries[i] in its messages maps back to the CSV line of that entry
    order = sorted(range(len(entries)),
                   key=lambda i: (entries[i].date, entries[i].time or dt.time(0)))
    labels = [labels[i] for i in order]
    try:
        return cls(**fields, plan=plan, entries=[entries[i] for i in order])
    except DiaryError as exc:
        remapped = []
        for iss in exc.issues:
            row = iss.row
            if row.startswith("entries[") and row.endswith("]"):
                row = labels[int(row[len("entries["):-1])]
            elif not row and iss.field in META_KEYS:
                row = "metadata"
            remapped.append(DiaryIssue(row, iss.field, iss.value, iss.allowed))
        raise DiaryError(remapped, source=label) from None


def entries_from_rows(rows: Iterable[dict[str, Any]]) -> list[DiaryEntry]:
    """Build entries from dicts (e.g. a web form), raising one DiaryError for all bad rows."""
    out: list[DiaryEntry] = []
    issues: list[DiaryIssue] = []
    for i, r in enumerate(rows):
        try:
            out.append(DiaryEntry(**r))
        except ValidationError as exc:
            for iss in _issues_from_validation(exc, entries_prefix="entries"):
                issues.append(DiaryIssue(f"entries[{i}]", iss.field, iss.value, iss.allowed))
    if issues:
        raise DiaryError(issues)
    return out
