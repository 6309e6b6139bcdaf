"""The instrument registry: the shipped declarations, role checks and licensee wording files.

>>> from nicsim.clinic.instruments import default_registry
>>> reg = default_registry()
>>> [i.id for i in reg.instruments(role="practitioner")][:3]
['dlqi', 'easi', 'gad7']
>>> reg.score("gad7", {"q1": 2, "q2": 1, "q3": 1, "q4": 0, "q5": 0, "q6": 1, "q7": 0},
...           role="practitioner").total
5

Every query takes the caller's ``role`` (``client``, ``practitioner`` or ``clinician``): the
PHQ-9 is offered to clinicians only, the depression and anxiety screens and clinician-scored
signs are not offered on the client's own check-in link.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from nicsim.clinic.instruments.declaration import ROLES, Instrument
from nicsim.clinic.instruments.scoring import (
    InstrumentAccessError,
    InstrumentError,
    ScoreResult,
    score_instrument,
)
from nicsim.errors import NicsimError


class WordingError(NicsimError, ValueError):
    """A licensee wording file is malformed; the message names the file, the field and why."""


class ItemWording(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    text: str = Field(min_length=1)
    help: str | None = None
    options: dict[str, str] = {}


class LicenseeWording(BaseModel):
    """The content of a licensee wording file (YAML or JSON; see docs/clinic.md)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    instrument: str
    licence: str = Field(min_length=1)
    language: str = "en"
    copyright: str | None = None
    instructions: str | None = None
    items: dict[str, ItemWording]


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise InstrumentError("registry", None, role, f"the role must be one of "
                              f"{', '.join(ROLES)}")


class InstrumentRegistry:
    """A set of instrument declarations, optionally with licensee wording merged in."""

    def __init__(self, instruments: dict[str, Instrument]):
        self._instruments = dict(sorted(instruments.items()))

    # ------------------------------------------------------------------ loading
    @classmethod
    def from_package(cls) -> InstrumentRegistry:
        """The instruments shipped in ``nicsim/clinic/instruments/definitions/*.yaml``."""
        folder = resources.files("nicsim.clinic.instruments") / "definitions"
        out: dict[str, Instrument] = {}
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if entry.name.endswith(".yaml"):
                inst = _load_declaration(entry.read_text("utf-8"), entry.name)
                out[inst.id] = inst
        return cls(out)

    def with_wording(self, *paths: str | os.PathLike[str]) -> InstrumentRegistry:
        """A copy of the registry with the wording from licensee files merged in."""
        out = dict(self._instruments)
        for p in paths:
            w = load_licensee_wording(p)
            if w.instrument not in out:
                raise WordingError(f"{p}: instrument: {w.instrument!r} is not in the registry; "
                                   f"known: {', '.join(out)}")
            out[w.instrument] = apply_wording(out[w.instrument], w, source=str(p))
        return InstrumentRegistry(out)

    # ------------------------------------------------------------------ queries
    def instruments(self, *, role: str) -> list[Instrument]:
        """The instruments this role may use, sorted by id."""
        _check_role(role)
        return [i for i in self._instruments.values() if i.allowed_for(role)]

    def all_instruments(self) -> list[Instrument]:
        """Every declaration regardless of role (for documentation and licence listings)."""
        return list(self._instruments.values())

    def get(self, instrument_id: str, *, role: str) -> Instrument:
        """One instrument; raises if unknown or not offered to this role."""
        _check_role(role)
        inst = self._instruments.get(instrument_id)
        if inst is None:
            raise InstrumentError(instrument_id, None, instrument_id,
                                  f"no such instrument; known: {', '.join(self._instruments)}")
        if not inst.allowed_for(role):
            raise InstrumentAccessError(
                f"{inst.short_name} is offered to {', '.join(inst.roles)} roles only, not to "
                f"role {role!r}")
        return inst

    def score(self, instrument_id: str, answers: dict[str, Any] | None, *, role: str,
              context: dict[str, Any] | None = None) -> ScoreResult:
        """Validate and score one completed instrument for a caller with ``role``."""
        return score_instrument(self.get(instrument_id, role=role), answers, context=context)

    def __contains__(self, instrument_id: str) -> bool:
        return instrument_id in self._instruments

    def __len__(self) -> int:
        return len(self._instruments)


def _load_declaration(text: str, name: str) -> Instrument:
    try:
        data = yaml.safe_load(text)
        return Instrument.model_validate(data)
    except (yaml.YAMLError, ValidationError) as e:
        raise NicsimError(f"instrument declaration {name}: {e}") from None


@lru_cache(maxsize=1)
def default_registry() -> InstrumentRegistry:
    """The shipped instruments (cached; the registry is immutable)."""
    return InstrumentRegistry.from_package()


# ============================================================================ files
def read_json_or_yaml(path: Path, what: str,
                      error: type[NicsimError] = NicsimError) -> Any:
    """The data of a ``.json`` file (JSON) or any other file (YAML); ``error`` naming the file
    and ``what`` it is when it cannot be read or parsed."""
    try:
        text = path.read_text("utf-8")
    except OSError as e:
        raise error(f"{path}: cannot read the {what} ({e.strerror})") from None
    as_json = path.suffix.lower() == ".json"
    try:
        return json.loads(text) if as_json else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as e:
        raise error(f"{path}: not valid {'JSON' if as_json else 'YAML'}: {e}") from None


# ============================================================================ licensee wording
def load_licensee_wording(path: str | os.PathLike[str]) -> LicenseeWording:
    """Read a licensee wording file (``.yaml``/``.yml`` or ``.json``)."""
    p = Path(path)
    data = read_json_or_yaml(p, "wording file", WordingError)
    if not isinstance(data, dict):
        raise WordingError(f"{p}: expected a mapping with keys instrument, licence, items")
    for key in ("copyright", "instructions"):
        if data.get(key) == "":
            data[key] = None
    if isinstance(data.get("items"), dict):
        for iw in data["items"].values():
            if isinstance(iw, dict) and isinstance(iw.get("options"), dict):
                iw["options"] = {k: v for k, v in iw["options"].items() if v not in ("", None)}
    try:
        return LicenseeWording.model_validate(data)
    except ValidationError as e:
        err = e.errors()[0]
        field = ".".join(str(x) for x in err["loc"])
        raise WordingError(f"{p}: field {field!r}: {err['msg']} (keys: instrument, licence, "
                           "language, copyright, instructions, items)") from None


def wording_template(inst: Instrument) -> dict[str, Any]:
    """A licensee wording file to fill in: every item id with an empty ``text`` and every option
    code with an empty label (the loader refuses empty texts, so an unfilled template cannot be
    used by mistake)."""
    return {"instrument": inst.id, "licence": "", "language": "en", "copyright": "",
            "instructions": "",
            "items": {i.id: {"text": "", **({"options": {o.code: "" for o in i.options}}
                                            if i.options else {})} for i in inst.items}}


def apply_wording(inst: Instrument, w: LicenseeWording, *, source: str = "") -> Instrument:
    """The instrument with the licensee's texts and option labels; every item must be worded
    and every option code must exist."""
    where = source or "licensee wording"
    ids = {i.id for i in inst.items}
    unknown = sorted(set(w.items) - ids)
    if unknown:
        raise WordingError(f"{where}: items {unknown} are not items of {inst.short_name}; its "
                           f"items are {', '.join(i.id for i in inst.items)}")
    lacking = [i.id for i in inst.items if i.id not in w.items]
    if lacking:
        raise WordingError(f"{where}: no wording for {inst.short_name} items {lacking}")
    items = []
    for item in inst.items:
        iw = w.items[item.id]
        codes = {o.code for o in item.options}
        bad = sorted(set(iw.options) - codes)
        if bad:
            raise WordingError(f"{where}: item {item.id}: option codes {bad} unknown; allowed "
                               f"{sorted(codes)}")
        opts = tuple(o.model_copy(update={"label": iw.options.get(o.code, o.label)})
                     for o in item.options)
        items.append(item.model_copy(update={"text": iw.text, "help": iw.help or item.help,
                                             "options": opts}))
    update: dict[str, Any] = {"items": tuple(items), "wording_source": f"{w.licence} ({where})"}
    if w.instructions:
        update["instructions"] = w.instructions
    if w.copyright and w.copyright not in inst.licence.copyright:
        update["licence"] = inst.licence.model_copy(
            update={"copyright": f"{inst.licence.copyright} {w.copyright}"})
    return inst.model_copy(update=update)
