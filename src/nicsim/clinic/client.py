"""A client folder: everything the CLI and the report need about one client, as plain files.

Layout (all paths inside ``client.yaml`` are relative to the folder)::

    CLIENT_DIR/
      client.yaml          intake: id, condition, person, file names, when the plan began
      diary.csv            the diary (nicsim.clinic.diary CSV layout)
      plan.yaml            the care plan (nicsim.clinic.plan.CarePlan)
      consultations.yaml   questionnaires completed at consultations (optional)
      cortisol.csv         salivary cortisol samples: date,time,nmol_per_l (optional)

``client.yaml``::

    client_id: demo-eczema
    condition: eczema                # eczema | psoriasis | acne | rosacea
    severity_scale: po_scorad        # optional; default: the condition's diary scale
    person: {sex: female, age: 29, bedtime: "23:00", wake: "07:00",
             lesion_visibility: 0.6, social_support: 0.5}
    diary: diary.csv
    plan: plan.yaml
    plan_start: 2026-03-06           # first day of the plan; the fit uses the days before it
    consultations: consultations.yaml
    cortisol: cortisol.csv

``consultations.yaml`` is a list of consultations, each ``{date, role, instruments: {id:
{item id: answer}}}`` (answers as option codes or scores, see ``nicsim clinic score``).

Client data belongs to the clinic: the package never stores any (the examples are synthetic).
Every problem raises :class:`ClientError` naming the file, the field, the value and what is
allowed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from nicsim.clinic.diary import Diary
from nicsim.clinic.instruments import ROLES, default_registry
from nicsim.clinic.plan import CarePlan
from nicsim.clinic.projection import ClientProfile, CortisolSample, DailySeries, ProjectionError
from nicsim.errors import NicsimError

CLIENT_FILE = "client.yaml"
CLIENT_KEYS = ("client_id", "condition", "severity_scale", "person", "diary", "plan",
               "plan_start", "consultations", "cortisol", "description")
PERSON_KEYS = ("sex", "age", "bedtime", "wake", "lesion_visibility", "social_support")


class ClientError(NicsimError, ValueError):
    """A client folder is incomplete or a file in it is invalid."""

    def __init__(self, where: str, field: str, value: Any, allowed: str):
        self.where, self.field, self.value, self.allowed = where, field, value, allowed
        super().__init__(f"{where}: {field}: {value!r} is not allowed; {allowed}")


@dataclass
class Consultation:
    """One consultation: the date, the role of the person who administered it, and the scored
    instruments (:class:`nicsim.clinic.instruments.ScoreResult`)."""

    date: dt.date
    role: str
    results: list[Any] = field(default_factory=list)


@dataclass
class Client:
    """A loaded client folder."""

    folder: Path
    client_id: str
    profile: Any  # nicsim.clinic.projection.ClientProfile
    diary: Any  # nicsim.clinic.diary.Diary
    plan: Any  # nicsim.clinic.plan.CarePlan | None
    plan_start: dt.date | None
    consultations: list[Consultation]
    cortisol: list[Any]
    severity_scale: str = ""
    description: str = ""

    def series(self):
        return DailySeries.from_diary(self.diary)

    def split(self):
        """(diary days before the plan, diary days from the plan on); the second is empty
        without a plan start inside the diary."""
        s = self.series()
        if self.plan_start is None or self.plan_start > s.dates[-1]:
            return s, None
        k = (self.plan_start - s.dates[0]).days
        if k <= 0:
            raise ClientError(str(self.folder / CLIENT_FILE), "plan_start",
                              self.plan_start.isoformat(), "a date after the diary's first day "
                              f"({s.dates[0].isoformat()}): the fit needs days before the plan")
        return s.head(k), s.tail(len(s) - k)


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text("utf-8"))
    except FileNotFoundError:
        raise ClientError(str(path), "file", str(path), "no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ClientError(str(path), "file", str(path), f"cannot be read ({exc})") from None
    except yaml.YAMLError as exc:
        raise ClientError(str(path), "yaml", path.name, f"not valid YAML: {exc}") from None


def _date(where: str, key: str, v: Any) -> dt.date:
    if isinstance(v, dt.date):
        return v
    try:
        return dt.date.fromisoformat(str(v))
    except ValueError:
        raise ClientError(where, key, v, "a date YYYY-MM-DD") from None


def read_consultations(path: Path) -> list[Consultation]:
    """Score every instrument of every consultation with the default registry."""

    data = _read_yaml(path)
    where = str(path)
    if data is None:
        return []
    if not isinstance(data, list):
        raise ClientError(where, "document", type(data).__name__, "a list of consultations, "
                          "each {date, role, instruments}")
    reg = default_registry()
    out = []
    for i, c in enumerate(data):
        if not isinstance(c, dict):
            raise ClientError(where, f"[{i}]", c, "a mapping {date, role, instruments}")
        unknown = set(c) - {"date", "role", "instruments", "note"}
        if unknown:
            raise ClientError(where, f"[{i}].{sorted(unknown)[0]}", sorted(unknown)[0],
                              "allowed keys: date, role, instruments, note")
        d = _date(where, f"[{i}].date", c.get("date"))
        role = c.get("role", "practitioner")
        if role not in ROLES:
            raise ClientError(where, f"[{i}].role", role, f"one of {', '.join(ROLES)}")
        inst = c.get("instruments") or {}
        if not isinstance(inst, dict):
            raise ClientError(where, f"[{i}].instruments", inst, "a mapping instrument id -> "
                              "answers")
        cons = Consultation(d, role)
        for iid, answers in inst.items():
            try:
                cons.results.append(reg.score(iid, answers, role=role))
            except NicsimError as exc:
                raise ClientError(where, f"[{i}].instruments.{iid}", iid, str(exc)) from None
        out.append(cons)
    return sorted(out, key=lambda c: c.date)


def read_cortisol(path: Path) -> list[Any]:
    """Salivary cortisol samples from a CSV with columns date, time, nmol_per_l."""

    where = str(path)
    try:
        text = path.read_text("utf-8")
    except OSError as exc:
        raise ClientError(where, "file", str(path), f"cannot be read ({exc})") from None
    rows = list(csv.DictReader(io.StringIO(text)))
    out = []
    for i, r in enumerate(rows, start=2):
        if set(r) != {"date", "time", "nmol_per_l"}:
            raise ClientError(where, "header", ",".join(r), "columns date,time,nmol_per_l")
        d = _date(where, f"line {i}, date", r["date"])
        t = (r["time"] or "").strip()
        parts = t.split(":")
        if len(parts) != 2 or not all(p.isdigit() for p in parts) or int(parts[0]) > 23 \
                or int(parts[1]) > 59:
            raise ClientError(where, f"line {i}, time", t, "a clock time HH:MM")
        try:
            c = float(r["nmol_per_l"])
        except ValueError:
            c = -1.0
        if not 0.1 <= c <= 200:
            raise ClientError(where, f"line {i}, nmol_per_l", r["nmol_per_l"],
                              "salivary cortisol in nmol/L, 0.1 to 200")
        out.append(CortisolSample(d, t, c))
    return out


def load_client(folder: str | Path) -> Client:
    """Read and check a client folder."""

    folder = Path(folder)
    if not folder.is_dir():
        raise ClientError(str(folder), "folder", str(folder), "a client folder with "
                          f"{CLIENT_FILE} (see docs/clinic.md)")
    where = str(folder / CLIENT_FILE)
    data = _read_yaml(folder / CLIENT_FILE)
    if not isinstance(data, dict):
        raise ClientError(where, "document", data, "a mapping with the keys "
                          + ", ".join(CLIENT_KEYS))
    for k in data:
        if k not in CLIENT_KEYS:
            raise ClientError(where, k, k, "unknown key; allowed: " + ", ".join(CLIENT_KEYS))
    for k in ("client_id", "condition", "diary"):
        if k not in data:
            raise ClientError(where, k, None, "required")
    person = data.get("person") or {}
    if not isinstance(person, dict) or set(person) - set(PERSON_KEYS):
        bad = sorted(set(person) - set(PERSON_KEYS)) if isinstance(person, dict) else [person]
        raise ClientError(where, "person", bad[0], "a mapping with keys among "
                          + ", ".join(PERSON_KEYS))
    try:
        profile = ClientProfile(condition=data["condition"], **person)
    except ProjectionError as exc:
        raise ClientError(where, "condition", data["condition"], str(exc)) from None
    except TypeError as exc:
        raise ClientError(where, "person", person, str(exc)) from None
    diary = Diary.read(folder / data["diary"])
    if diary.condition != profile.condition:
        raise ClientError(where, "condition", profile.condition, f"the diary says "
                          f"{diary.condition!r}; give the same condition in both")
    plan = None
    if data.get("plan"):
        plan = CarePlan.from_yaml(folder / data["plan"])
    plan_start = _date(where, "plan_start", data["plan_start"]) if data.get("plan_start") \
        else None
    cons = read_consultations(folder / data["consultations"]) if data.get("consultations") \
        else []
    cort = read_cortisol(folder / data["cortisol"]) if data.get("cortisol") else []
    return Client(folder, str(data["client_id"]), profile, diary, plan, plan_start, cons, cort,
                  str(data.get("severity_scale") or ""), str(data.get("description") or ""))
