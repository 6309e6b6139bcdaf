"""What an instrument is, as data: items, options, scoring, bands, referral rules and licence.

Every instrument is one YAML file in ``definitions/`` validated into :class:`Instrument`. The
models are plain pydantic (``model_dump()`` gives a JSON-ready form for the web app), frozen, and
reject unknown keys. Numbers that come from a publication carry a :class:`Cite` (BibTeX key in
``nicsim/model/references_clinic.bib`` plus where in the paper) or say why they are a choice.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from nicsim.core.sources import Assumption, Literature, Source

#: Who may see, administer and score an instrument. ``client``: the client herself (e.g. the
#: diary check-in link); ``practitioner``: a skincare practitioner; ``clinician``: a licensed
#: health professional (PHQ-9 is offered only to clinicians).
Role = Literal["client", "practitioner", "clinician"]
ROLES: tuple[str, ...] = ("client", "practitioner", "clinician")

#: Text shown where the wording is licensed and not shipped with nicsim.
LICENSEE_TEXT = "text supplied by licensee"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Cite(_Model):
    """A source for a number or rule: a reference key and locator, or an explicit choice."""

    key: str | None = None
    locator: str = ""
    assumption: str | None = None

    @model_validator(mode="after")
    def _one(self):
        if (self.key is None) == (self.assumption is None):
            raise ValueError("give either key (a BibTeX key) or assumption (why), not both")
        return self

    def source(self) -> Source:
        if self.key is not None:
            return Literature(self.key, self.locator)
        return Assumption(self.assumption or "")

    def describe(self) -> str:
        return self.source().describe()


class Option(_Model):
    """One response option: a stable ``code`` (what forms submit), its ``label`` (None where the
    wording is licensed) and its ``score``. ``score: null`` marks an option that hands the score
    to a follow-up item (DLQI question 7 'No' -> 7b)."""

    code: str
    label: str | None = None
    score: float | None
    loinc: str | None = None


class EnableWhen(_Model):
    """Show (and score) this item only when ``item`` was answered with option ``code``."""

    item: str
    code: str


class Item(_Model):
    """One question or clinician sign.

    ``kind``: ``choice`` (one of ``options``), ``integer``/``decimal`` (between ``min`` and
    ``max``, in steps of ``step`` when given; ``unit`` for display) or ``time`` (clock time
    ``HH:MM``). ``text`` is None where the wording is licensed (see :data:`LICENSEE_TEXT`).
    ``required: false`` items may be left out without counting as missing (PSQI 5j).
    """

    id: str
    text: str | None = None
    help: str | None = None
    kind: Literal["choice", "integer", "decimal", "time"] = "choice"
    options: tuple[Option, ...] = ()
    min: float | None = None
    max: float | None = None
    step: float | None = None
    unit: str | None = None
    required: bool = True
    reverse: bool = False
    group: str | None = None
    loinc: str | None = None
    enable_when: EnableWhen | None = None

    @model_validator(mode="after")
    def _check(self):
        if self.kind == "choice":
            if not self.options:
                raise ValueError(f"item {self.id!r}: a choice item needs options")
            codes = [o.code for o in self.options]
            if len(set(codes)) != len(codes):
                raise ValueError(f"item {self.id!r}: option codes repeat: {codes}")
        elif self.kind in ("integer", "decimal"):
            if self.min is None or self.max is None or self.min > self.max:
                raise ValueError(f"item {self.id!r}: a numeric item needs min <= max")
        return self

    @property
    def scores(self) -> tuple[float, ...]:
        """The numeric scores this item can take (choice items)."""
        return tuple(o.score for o in self.options if o.score is not None)

    def option(self, code: str) -> Option | None:
        for o in self.options:
            if o.code == code:
                return o
        return None

    def allowed(self) -> str:
        """What an answer may be, in words (used in error messages and form help)."""
        if self.kind == "choice":
            parts = [(o.code if o.label is None or o.label == o.code else f"{o.code} ({o.label})")
                     + ("" if o.score is None or o.code == f"{o.score:g}" else f" = {o.score:g}")
                     for o in self.options]
            return "one of " + ", ".join(parts)
        if self.kind == "time":
            return "a clock time HH:MM (00:00-23:59)"
        rng = f"{self.min:g} to {self.max:g}" + (f" {self.unit}" if self.unit else "")
        what = "a whole number" if self.kind == "integer" else "a number"
        return f"{what} from {rng}" + (f" in steps of {self.step:g}" if self.step else "")


class Referral(_Model):
    """A referral flag raised by a band or an item: ``level`` ``urgent`` (act today: ask about
    safety), ``refer`` (refer to a clinician) or ``follow_up`` (follow up with a fuller
    instrument); ``message`` is shown on every report and in the app."""

    level: Literal["urgent", "refer", "follow_up"]
    message: str


class Band(_Model):
    """A labelled score range, both ends inclusive (for scores with decimals the next band's
    ``min`` is the previous ``max`` plus the score's resolution, as the source prints it)."""

    min: float
    max: float
    label: str
    referral: Referral | None = None


class ItemRule(_Model):
    """A referral from one item: raised when its score is at least ``min_score``; ``if_missing``
    raises ``missing`` instead when the item was not answered."""

    item: str
    min_score: float
    referral: Referral
    if_missing: Referral | None = None
    source: Cite


class MissingRule(_Model):
    """What happens when items are unanswered.

    ``none``: every required item must be answered, else no score. ``zero``: up to ``max_missing``
    unanswered items count as 0 (DLQI, POEM). ``prorate``: up to ``max_missing`` unanswered items
    take the mean of the answered ones. ``scale_fraction``: a (sub)scale is computed from the
    answered items when at least ``min_fraction`` of them were answered (Skindex-29).
    """

    kind: Literal["none", "zero", "prorate", "scale_fraction"] = "none"
    max_missing: int = 0
    min_fraction: float | None = None
    source: Cite


class Term(_Model):
    """``coefficient`` x (sum of the ``items``' scores): one part of a weighted sum."""

    items: tuple[str, ...]
    coefficient: float = 1.0


class WeightedSum(_Model):
    """Total = sum over terms of coefficient x sum(item scores); reverse items are scored
    (min + max - score) first. Covers plain sums (PHQ, GAD-7, NRS), WHO-5 (x4) and SCORAD."""

    method: Literal["weighted_sum"] = "weighted_sum"
    terms: tuple[Term, ...]
    decimals: int = 0
    source: Cite


class AgeWeights(_Model):
    """Region multipliers used when the person's age is below ``below_age_years`` (None: any
    age); the first matching entry wins."""

    below_age_years: float | None = None
    weights: dict[str, float]


class RegionWeighted(_Model):
    """EASI / PASI: total = sum over regions of weight x (sum of sign scores) x area score.
    Items are named ``<region>.<sign>`` and ``<region>.area``."""

    method: Literal["region_weighted"] = "region_weighted"
    regions: tuple[str, ...]
    signs: tuple[str, ...]
    weights: tuple[AgeWeights, ...]
    decimals: int = 1
    source: Cite


class Subscale(_Model):
    id: str
    label: str
    items: tuple[str, ...]


class SubscaleMean(_Model):
    """Skindex-29: each subscale = mean of its answered items' scores (0-100)."""

    method: Literal["subscale_mean"] = "subscale_mean"
    subscales: tuple[Subscale, ...]
    decimals: int = 1
    source: Cite


class PSQIScoring(_Model):
    """The Pittsburgh Sleep Quality Index's seven components and global score (Buysse 1989,
    appendix); the component rules are code (``scoring.psqi``), the item ids are fixed."""

    method: Literal["psqi"] = "psqi"
    source: Cite


Scoring = Annotated[WeightedSum | RegionWeighted | SubscaleMean | PSQIScoring,
                    Field(discriminator="method")]


class Licence(_Model):
    """Who owns the instrument and what nicsim may do with it.

    ``copyright``: the line that must be printed with every copy/score. ``wording_may_ship``:
    whether nicsim ships the item wording; otherwise the clinic supplies it (licensee wording
    file). ``non_commercial_only``: the shipped wording is for non-commercial use only (PSS-10).
    """

    owner: str
    terms: str
    copyright: str
    wording_may_ship: bool
    non_commercial_only: bool = False
    source: str


class Instrument(_Model):
    """One instrument: everything a form, the scorer, a report and a FHIR export need."""

    id: str
    name: str
    short_name: str
    version: str = "1"
    description: str
    respondent: Literal["client", "assessor"]
    roles: tuple[Role, ...]
    recall_period: str
    instructions: str | None = None
    conditions: tuple[str, ...] = ()
    items: tuple[Item, ...]
    scoring: Scoring
    missing: MissingRule
    score_range: tuple[float, float] | None
    score_unit: str = "score"
    bands: tuple[Band, ...] = ()
    bands_source: Cite | None = None
    item_rules: tuple[ItemRule, ...] = ()
    loinc: str | None = None
    loinc_total: str | None = None
    references: tuple[Cite, ...] = ()
    licence: Licence
    context: tuple[Literal["age_years"], ...] = ()
    wording_source: str | None = None

    @model_validator(mode="after")
    def _check(self):
        ids = [i.id for i in self.items]
        if len(set(ids)) != len(ids):
            raise ValueError(f"{self.id}: item ids repeat")
        known = set(ids)
        for rule in self.item_rules:
            if rule.item not in known:
                raise ValueError(f"{self.id}: item rule names unknown item {rule.item!r}")
        for item in self.items:
            if item.enable_when and item.enable_when.item not in known:
                raise ValueError(f"{self.id}: {item.id} enable_when names unknown item")
        sc = self.scoring
        named: list[str] = []
        if isinstance(sc, WeightedSum):
            named = [i for t in sc.terms for i in t.items]
        elif isinstance(sc, SubscaleMean):
            named = [i for s in sc.subscales for i in s.items]
        elif isinstance(sc, RegionWeighted):
            named = [f"{r}.{s}" for r in sc.regions for s in (*sc.signs, "area")]
            for w in sc.weights:
                if set(w.weights) != set(sc.regions):
                    raise ValueError(f"{self.id}: weights must name exactly {sc.regions}")
        unknown = [i for i in named if i not in known]
        if unknown:
            raise ValueError(f"{self.id}: scoring names unknown items {unknown}")
        if not self.licence.wording_may_ship and any(
                i.text for i in self.items) and self.wording_source is None:
            raise ValueError(f"{self.id}: the licence does not allow shipping the wording, "
                             "but items carry text")
        for b in self.bands:
            if b.min > b.max:
                raise ValueError(f"{self.id}: band {b.label!r} has min > max")
        return self

    # ------------------------------------------------------------------ helpers
    def item(self, item_id: str) -> Item | None:
        for i in self.items:
            if i.id == item_id:
                return i
        return None

    def allowed_for(self, role: str) -> bool:
        return role in self.roles

    @property
    def has_wording(self) -> bool:
        """True when every item has its text (shipped, or from a licensee wording file)."""
        return all(i.text for i in self.items)

    def band_for(self, score: float | None) -> Band | None:
        if score is None:
            return None
        for b in self.bands:
            if b.min <= score <= b.max:
                return b
        # decimal scores between two printed bands (e.g. EASI 7.05): the band whose max is the
        # next printed value above the score
        above = [b for b in self.bands if b.max >= score]
        return min(above, key=lambda b: b.max) if above else None

    def form(self) -> dict:
        """A rendering-ready description for a form (web app, PDF): every item with its text
        (or "text supplied by licensee"), help, kind, required flag, options with labels (the
        code where no label is licensed), numeric limits, follow-up condition, region group and
        the allowed answers in words; plus instructions, recall period and copyright line."""
        items = []
        for i in self.items:
            items.append({
                "id": i.id, "text": i.text or LICENSEE_TEXT, "help": i.help, "kind": i.kind,
                "required": i.required, "group": i.group, "unit": i.unit,
                "min": i.min, "max": i.max, "step": i.step,
                "options": [{"code": o.code, "label": o.label or o.code, "score": o.score}
                            for o in i.options],
                "enable_when": i.enable_when.model_dump() if i.enable_when else None,
                "allowed": i.allowed()})
        return {"id": self.id, "name": self.name, "short_name": self.short_name,
                "respondent": self.respondent, "recall_period": self.recall_period,
                "instructions": self.instructions, "context": list(self.context),
                "wording_complete": self.has_wording,
                "non_commercial_only": self.licence.non_commercial_only,
                "copyright": self.licence.copyright, "items": items}

    def summary(self) -> dict:
        """A short description for listings (CLI, app menus)."""
        return {"id": self.id, "name": self.name, "short_name": self.short_name,
                "respondent": self.respondent, "roles": list(self.roles),
                "items": len(self.items), "recall_period": self.recall_period,
                "wording": "shipped" if self.licence.wording_may_ship else (
                    "licensee file loaded" if self.has_wording else LICENSEE_TEXT),
                "non_commercial_only": self.licence.non_commercial_only,
                "owner": self.licence.owner, "copyright": self.licence.copyright,
                "loinc": self.loinc}
