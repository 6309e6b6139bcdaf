"""The scoring engine: answers -> validated responses -> total, subscores, band, referral flags.

Answers are a mapping ``item id -> answer``. A choice answer is the option's ``code`` or, when
unambiguous, its numeric score (``2`` for PHQ-9 "More than half the days"); numeric items take
numbers; PSQI clock times take ``"HH:MM"``. ``None`` or a missing key means unanswered. Anything
else raises :class:`InstrumentError` naming the instrument, the item, the value and what is
allowed. Missing items follow the instrument's published rule; when the rule does not allow a
score, the result says why (``total is None``, ``not_scored_reason``) instead of guessing.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from nicsim.clinic.instruments.declaration import (
    Instrument,
    Item,
    PSQIScoring,
    RegionWeighted,
    SubscaleMean,
    WeightedSum,
)
from nicsim.errors import NicsimError


class InstrumentError(NicsimError, ValueError):
    """Bad questionnaire input: names the instrument, the item, the value and what is allowed."""

    def __init__(self, instrument: str, item: str | None, value: Any, allowed: str):
        self.instrument, self.item, self.value, self.allowed = instrument, item, value, allowed
        where = f"{instrument}" + (f", item {item!r}" if item is not None else "")
        if value is None:
            super().__init__(f"{where}: missing; {allowed}")
        else:
            super().__init__(f"{where}: {value!r} is not allowed; {allowed}")


class InstrumentAccessError(NicsimError, PermissionError):
    """The role may not use this instrument (PHQ-9 is offered to clinicians only)."""


@dataclass(frozen=True)
class ReferralFlag:
    """A flag every report and the app must show (structured, with the message to print)."""

    instrument: str
    level: str
    reason: str
    message: str
    items: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {**asdict(self), "items": list(self.items)}


@dataclass(frozen=True)
class ScoreResult:
    """The outcome of scoring one completed instrument."""

    instrument: str
    total: float | None
    score_range: tuple[float, float] | None
    band: str | None
    subscores: dict[str, float | None]
    responses: dict[str, Any]
    item_scores: dict[str, float | None]
    missing: tuple[str, ...]
    missing_rule: str
    not_scored_reason: str | None
    flags: tuple[ReferralFlag, ...]
    copyright: str
    context: dict[str, Any] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return self.not_scored_reason is None

    def to_dict(self) -> dict:
        d = asdict(self)
        d["flags"] = [f.to_dict() for f in self.flags]
        d["missing"] = list(self.missing)
        d["score_range"] = list(self.score_range) if self.score_range else None
        d["complete"] = self.complete
        return d


# ============================================================================ answers
def _is_number(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def _parse_answer(inst: Instrument, item: Item, value: Any) -> Any:
    """Validate one answer; return the canonical form (option code, number or 'HH:MM')."""
    given = value
    if item.kind == "choice":
        if isinstance(value, str):
            if item.option(value.strip()) is not None:
                return value.strip()
            try:
                value = float(value)
            except ValueError:
                raise InstrumentError(inst.id, item.id, given, item.allowed()) from None
        if _is_number(value):
            hits = [o for o in item.options if o.score is not None and o.score == float(value)]
            if len(hits) == 1:
                return hits[0].code
            if len(hits) > 1:
                raise InstrumentError(
                    inst.id, item.id, given, f"the score {value:g} is shared by options "
                    f"{', '.join(o.code for o in hits)}: give the option code; {item.allowed()}")
        raise InstrumentError(inst.id, item.id, given, item.allowed())
    if item.kind == "time":
        if isinstance(value, str):
            parts = value.strip().split(":")
            if len(parts) == 2 and all(p.isdigit() for p in parts):
                h, m = int(parts[0]), int(parts[1])
                if 0 <= h <= 23 and 0 <= m <= 59:
                    return f"{h:02d}:{m:02d}"
        raise InstrumentError(inst.id, item.id, given, item.allowed())
    # integer / decimal
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            raise InstrumentError(inst.id, item.id, given, item.allowed()) from None
    if not _is_number(value):
        raise InstrumentError(inst.id, item.id, given, item.allowed())
    v = float(value)
    if not (item.min <= v <= item.max):
        raise InstrumentError(inst.id, item.id, given, item.allowed())
    if item.kind == "integer" and v != int(v):
        raise InstrumentError(inst.id, item.id, given, item.allowed())
    if item.step and abs(round((v - item.min) / item.step) * item.step - (v - item.min)) > 1e-9:
        raise InstrumentError(inst.id, item.id, given, item.allowed())
    return int(v) if item.kind == "integer" else v


def validate_answers(inst: Instrument, answers: dict[str, Any] | None) -> dict[str, Any]:
    """Validated answers (unknown item ids and bad values raise :class:`InstrumentError`)."""
    if answers is None:
        answers = {}
    if not isinstance(answers, dict):
        raise InstrumentError(inst.id, None, answers, "answers must be a mapping item id -> "
                              "answer")
    out: dict[str, Any] = {}
    ids = [i.id for i in inst.items]
    for key, value in answers.items():
        item = inst.item(str(key))
        if item is None:
            raise InstrumentError(inst.id, str(key), value,
                                  f"no such item; the items are {', '.join(ids)}")
        if value is None or (isinstance(value, str) and value.strip() == ""):
            continue
        out[item.id] = _parse_answer(inst, item, value)
    for item in inst.items:
        ew = item.enable_when
        if ew and item.id in out and out.get(ew.item) != ew.code:
            raise InstrumentError(inst.id, item.id, out[item.id],
                                  f"answer this item only when {ew.item} is {ew.code!r}")
    return out


def _item_score(item: Item, answer: Any) -> float | None:
    if item.kind == "choice":
        return item.option(answer).score
    if item.kind == "time":
        return None
    return float(answer)


def _reverse(item: Item, s: float) -> float:
    lo, hi = (min(item.scores), max(item.scores)) if item.kind == "choice" else (item.min,
                                                                                   item.max)
    return lo + hi - s


def _round(x: float, decimals: int) -> float:
    q = Decimal(1).scaleb(-decimals)
    r = float(Decimal(repr(x)).quantize(q, rounding=ROUND_HALF_UP))
    return int(r) if decimals == 0 else r


# ============================================================================ scoring
def score_instrument(inst: Instrument, answers: dict[str, Any] | None, *,
                     context: dict[str, Any] | None = None) -> ScoreResult:
    """Score one completed instrument (no role check here: see the registry)."""
    context = dict(context or {})
    for key in inst.context:
        if key not in context or context[key] is None:
            raise InstrumentError(inst.id, key, None, f"{inst.short_name} needs the person's "
                                  f"{key} (its region weights depend on age): pass it in the "
                                  "context (CLI: --age)")
        v = context[key]
        if not _is_number(v) or not 0 <= float(v) <= 130:
            raise InstrumentError(inst.id, key, v, "an age in years from 0 to 130")
    resp = validate_answers(inst, answers)

    # per-item scores; follow-ups (DLQI 7b) fold into their parent question
    item_scores: dict[str, float | None] = {}
    for item in inst.items:
        if item.id in resp:
            s = _item_score(item, resp[item.id])
            item_scores[item.id] = _reverse(item, s) if (s is not None and item.reverse) else s
    questions: dict[str, float | None] = {}
    missing: list[str] = []
    for item in inst.items:
        if item.enable_when is not None:
            continue
        if item.id not in resp:
            if item.required:
                missing.append(item.id)
            continue
        s = item_scores.get(item.id)
        if item.kind == "choice" and s is None:  # score handed to a follow-up item
            follow = [f for f in inst.items if f.enable_when and f.enable_when.item == item.id
                      and f.enable_when.code == resp[item.id]]
            answered = [f for f in follow if f.id in resp]
            if not answered:
                missing.append(follow[0].id if follow else item.id)
                continue
            s = item_scores[answered[0].id]
        questions[item.id] = s

    sc = inst.scoring
    rule = inst.missing
    total: float | None = None
    subscores: dict[str, float | None] = {}
    reason: str | None = None
    if isinstance(sc, SubscaleMean):
        total, subscores, reason = _subscales(inst, sc, questions)
    elif isinstance(sc, PSQIScoring):
        if missing:
            reason = _missing_reason(inst, missing)
        else:
            total, subscores = _psqi(resp, questions)
    else:
        filled = dict(questions)
        if missing:
            scored_ids = _scored_ids(inst)
            miss_scored = [m for m in missing if _question_of(inst, m) in scored_ids]
            if miss_scored and (rule.kind in ("none", "scale_fraction")
                                or len(miss_scored) > rule.max_missing):
                reason = _missing_reason(inst, missing)
            elif miss_scored and rule.kind == "zero":
                for m in miss_scored:
                    filled[_question_of(inst, m)] = 0.0
            elif miss_scored and rule.kind == "prorate":
                answered = [v for k, v in questions.items() if k in scored_ids]
                mean = sum(answered) / len(answered)
                for m in miss_scored:
                    filled[_question_of(inst, m)] = mean
        if reason is None:
            if isinstance(sc, WeightedSum):
                total = sum(t.coefficient * sum(filled.get(i, 0.0) or 0.0 for i in t.items)
                            for t in sc.terms)
                total = _round(total, sc.decimals)
            elif isinstance(sc, RegionWeighted):
                total, subscores = _regions(inst, sc, filled, context)

    band = inst.band_for(total)
    flags = _flags(inst, band, item_scores, resp, missing)
    return ScoreResult(
        instrument=inst.id, total=total, score_range=inst.score_range,
        band=band.label if band else None, subscores=subscores, responses=resp,
        item_scores=item_scores, missing=tuple(missing), missing_rule=_rule_text(inst),
        not_scored_reason=reason, flags=tuple(flags), copyright=inst.licence.copyright,
        context=context)


def _scored_ids(inst: Instrument) -> set[str]:
    sc = inst.scoring
    if isinstance(sc, WeightedSum):
        return {i for t in sc.terms for i in t.items}
    if isinstance(sc, RegionWeighted):
        return {f"{r}.{s}" for r in sc.regions for s in (*sc.signs, "area")}
    if isinstance(sc, SubscaleMean):
        return {i for s in sc.subscales for i in s.items}
    return {i.id for i in inst.items}


def _question_of(inst: Instrument, item_id: str) -> str:
    item = inst.item(item_id)
    return item.enable_when.item if item and item.enable_when else item_id


def _rule_text(inst: Instrument) -> str:
    r = inst.missing
    text = {"none": "every item must be answered",
            "zero": f"up to {r.max_missing} unanswered item(s) count as 0; more: not scored",
            "prorate": f"up to {r.max_missing} unanswered item(s) take the mean of the answered "
                       "items; more: not scored",
            "scale_fraction": f"a scale is scored from its answered items when at least "
                              f"{(r.min_fraction or 0):.0%} of them were answered"}[r.kind]
    return f"{text} ({r.source.describe()})"


def _missing_reason(inst: Instrument, missing: list[str]) -> str:
    return (f"{inst.short_name} not scored: {len(missing)} item(s) unanswered "
            f"({', '.join(missing)}); rule: {_rule_text(inst)}")


def _subscales(inst: Instrument, sc: SubscaleMean, questions: dict[str, float | None]):
    frac = inst.missing.min_fraction or 1.0
    subs: dict[str, float | None] = {}
    reasons = []
    for s in sc.subscales:
        vals = [questions[i] for i in s.items if questions.get(i) is not None]
        if len(vals) >= frac * len(s.items) - 1e-9 and vals:
            subs[s.id] = _round(sum(vals) / len(vals), sc.decimals)
        else:
            subs[s.id] = None
            reasons.append(f"{s.id}: {len(vals)} of {len(s.items)} items answered")
    reason = None
    if reasons:
        reason = (f"{inst.short_name}: scale(s) not scored ({'; '.join(reasons)}); rule: "
                  f"{_rule_text(inst)}")
    return None, subs, reason


def _regions(inst: Instrument, sc: RegionWeighted, filled: dict, context: dict):
    age = context.get("age_years")
    weights = None
    for w in sc.weights:
        if w.below_age_years is None or (age is not None and float(age) < w.below_age_years):
            weights = w.weights
            break
    subs = {}
    for r in sc.regions:
        signs = sum(filled[f"{r}.{s}"] for s in sc.signs)
        subs[r] = _round(weights[r] * signs * filled[f"{r}.area"], sc.decimals)
    total = _round(sum(weights[r] * sum(filled[f"{r}.{s}"] for s in sc.signs)
                       * filled[f"{r}.area"] for r in sc.regions), sc.decimals)
    return total, subs


def _band3(x: float, cuts: tuple[float, float, float]) -> int:
    """0 for x == 0, then 1/2/3 for x up to cuts[0]/cuts[1]/cuts[2]."""
    if x <= 0:
        return 0
    for k, c in enumerate(cuts, start=1):
        if x <= c:
            return k
    return 3


def _clock_h(hhmm: str) -> float:
    h, m = hhmm.split(":")
    return int(h) + int(m) / 60.0


def _psqi(resp: dict[str, Any], q: dict[str, float | None]):
    """Buysse et al. 1989, appendix: seven components 0-3, global 0-21."""
    latency_min = q["q2"]
    lat = 0 if latency_min <= 15 else 1 if latency_min <= 30 else 2 if latency_min <= 60 else 3
    c2 = _band3(lat + q["q5a"], (2, 4, 6))
    hours = q["q4"]
    c3 = 0 if hours > 7 else 1 if hours >= 6 else 2 if hours >= 5 else 3
    in_bed = (_clock_h(resp["q3"]) - _clock_h(resp["q1"])) % 24.0
    eff = 100.0 * hours / in_bed if in_bed > 0 else 0.0
    c4 = 0 if eff >= 85 else 1 if eff >= 75 else 2 if eff >= 65 else 3
    disturb = sum(q.get(k) or 0.0 for k in ("q5b", "q5c", "q5d", "q5e", "q5f", "q5g", "q5h",
                                             "q5i", "q5j"))
    c5 = _band3(disturb, (9, 18, 27))
    c7 = _band3(q["q7"] + q["q8"], (2, 4, 6))
    comps = {"c1_quality": q["q9"], "c2_latency": c2, "c3_duration": c3, "c4_efficiency": c4,
             "c5_disturbances": c5, "c6_medication": q["q6"], "c7_daytime": c7}
    comps = {k: int(v) for k, v in comps.items()}
    return int(sum(comps.values())), {**comps, "sleep_efficiency_pct": _round(eff, 1)}


def _flags(inst: Instrument, band, item_scores, resp, missing) -> list[ReferralFlag]:
    flags: list[ReferralFlag] = []
    for rule in inst.item_rules:
        s = item_scores.get(rule.item)
        if s is not None and s >= rule.min_score:
            flags.append(ReferralFlag(inst.id, rule.referral.level,
                                      f"item {rule.item} = {resp[rule.item]} (score {s:g})",
                                      rule.referral.message, (rule.item,)))
        elif rule.item in missing and rule.if_missing is not None:
            flags.append(ReferralFlag(inst.id, rule.if_missing.level,
                                      f"item {rule.item} not answered", rule.if_missing.message,
                                      (rule.item,)))
    if band is not None and band.referral is not None:
        flags.append(ReferralFlag(inst.id, band.referral.level, f"band: {band.label}",
                                  band.referral.message))
    return flags
