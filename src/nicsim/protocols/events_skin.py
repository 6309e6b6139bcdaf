"""Protocol events for the skin and systemic mechanisms (nicsim issue 3).

Challenges (intradermal substance P, tape stripping, wounds), drugs (H1 antihistamine, NK1 and
CRH receptor antagonists, intranasal oxytocin), skin regimens (emollient, topical
corticosteroid, retinoid/benzoyl peroxide, narrow-band UVB), exposures (rosacea triggers),
social support and group participation, hypnosis/relaxation sessions and random daily hassles.

Each event drives exactly one model input (a level added while active) or one jump target (an
amount added to a state at a time); see :data:`KNOWN_JUMP_TARGETS` and docs/scenarios.md.
Level inputs that are fractions or classes (blockade, coverage, potency, level) must not be
driven by two overlapping events of the same type (their values would add past the range).
"""

from __future__ import annotations

import math
from typing import Annotated, Any, ClassVar, Literal

import numpy as np
from pydantic import BeforeValidator, Field, model_validator

from nicsim.errors import ScenarioError
from nicsim.protocols.events import (
    Context,
    DailyWindow,
    Effect,
    EventBase,
    Jump,
    Pulse,
    TimeExpression,
    _daily,
    _hours,
    duration_type,
    number_type,
    quantity_type,
    quantity_value,
)
from nicsim.protocols.timeexpr import HOURS_PER_DAY, TIME_TOL, parse_clock

__all__ = [
    "JUMP_PROVIDERS", "KNOWN_JUMP_TARGETS", "SKIN_EVENT_CLASSES", "SKIN_INPUTS",
    "TAPE_STRIP_REMOVAL", "WEEKLY_PATTERNS", "BlisterWound", "CrhAntagonist", "DailyHassles",
    "DthChallenge",
    "Emollient", "H1Antihistamine", "HypnosisRelaxation", "IntradermalSubstanceP",
    "IntranasalOxytocin", "MucosalWound", "Nk1Antagonist", "NbUvb", "PunchBiopsy",
    "RetinoidBpo", "RosaceaTrigger", "SocialSupport", "SupportGroup", "TapeStripping",
    "TopicalCorticosteroid", "strips_to_fraction",
]

# ============================================================================ names
SP_TARGET = "neuro.sp_injected"
BARRIER_TARGET = "barrier.integrity"
SKIN_WOUND_TARGET = "wound.skin_area"
MUCOSAL_WOUND_TARGET = "wound.mucosal_area"
BLISTER_WOUND_TARGET = "wound.blister_area"
OXYTOCIN_TARGET = "social.oxytocin_nasal"
UVB_TARGET = "psoriasis.uvb_dose"
DTH_ANTIGEN_TARGET = "dth.challenge_antigen"
DTH_SENSITISER_TARGET = "dth.sensitiser"
DTH_MEMORY_TARGET = "dth.antigen_memory"

#: Every state a protocol event can jump (the simulator keeps those its model has).
KNOWN_JUMP_TARGETS: tuple[str, ...] = (
    "immune.endotoxin", SP_TARGET, BARRIER_TARGET, SKIN_WOUND_TARGET, MUCOSAL_WOUND_TARGET,
    BLISTER_WOUND_TARGET,
    OXYTOCIN_TARGET, UVB_TARGET, DTH_ANTIGEN_TARGET, DTH_SENSITISER_TARGET, DTH_MEMORY_TARGET,
)
#: jump target -> the module that provides it (named in compile errors)
JUMP_PROVIDERS: dict[str, str] = {
    "immune.endotoxin": "innate-immunity module 'immune'",
    SP_TARGET: "neurogenic-inflammation module 'neuro'",
    BARRIER_TARGET: "skin-barrier module 'barrier'",
    SKIN_WOUND_TARGET: "wound-healing module 'wound'",
    MUCOSAL_WOUND_TARGET: "wound-healing module 'wound'",
    BLISTER_WOUND_TARGET: "wound-healing module 'wound'",
    OXYTOCIN_TARGET: "social-support/oxytocin module 'social'",
    UVB_TARGET: "psoriasis module 'psoriasis'",
    DTH_ANTIGEN_TARGET: "leukocyte-trafficking/DTH module 'dth'",
    DTH_SENSITISER_TARGET: "leukocyte-trafficking/DTH module 'dth'",
    DTH_MEMORY_TARGET: "leukocyte-trafficking/DTH module 'dth'",
}
#: New model inputs filled by the events of this module (besides ``acute_stressor`` and
#: ``relaxation_practice``, which the core already reads).
SKIN_INPUTS: tuple[str, ...] = (
    "h1_antihistamine", "nk1_antagonist", "crh_antagonist", "social_support", "support_group",
    "emollient", "topical_corticosteroid", "retinoid_bpo", "rosacea_trigger",
)

#: Assumed fraction of the remaining stratum-corneum barrier removed by one tape strip.
TAPE_STRIP_REMOVAL = 0.05
#: Session days within each 7-day block for n sessions per week (day 0 = first session).
WEEKLY_PATTERNS: dict[int, tuple[int, ...]] = {
    1: (0,), 2: (0, 3), 3: (0, 2, 4), 4: (0, 1, 3, 4), 5: (0, 1, 2, 3, 4),
    6: (0, 1, 2, 3, 4, 5), 7: (0, 1, 2, 3, 4, 5, 6),
}
#: Largest NB-UVB dose per session (J/cm2).
MAX_UVB_J_PER_CM2 = 3.0


def strips_to_fraction(strips: int) -> float:
    """Fraction of the barrier removed by ``strips`` tape strips: 1 - 0.95**strips
    (assumption: each strip removes 5 % of what remains)."""
    return 1.0 - (1.0 - TAPE_STRIP_REMOVAL) ** strips


def _area_mm2(diameter_mm: float) -> float:
    return math.pi * (diameter_mm / 2.0) ** 2


def _with_unit(unit: str):
    """Before-validator: a bare number is read in ``unit``."""

    def conv(v: Any) -> Any:
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return f"{v} {unit}"
        return v

    return BeforeValidator(conv)


def _cm2(v: Any) -> Any:
    """'0.5 J/cm2' and '0.5 J/cm²' -> '0.5 J/cm^2' (pint reads cm2 as a unit name)."""
    if isinstance(v, str):
        return v.replace("cm2", "cm^2").replace("cm²", "cm^2").replace("mm2", "mm^2")
    return v


def _uvb_type(lo: float = 0.0, lo_open: bool = True):
    return Annotated[quantity_type("J/cm**2", hi=MAX_UVB_J_PER_CM2, lo=lo, lo_open=lo_open,
                                   label="J/cm^2"), BeforeValidator(_cm2)]


Diameter = Annotated[quantity_type("mm", hi=10.0, lo=1.0, lo_open=False, label="mm"),
                     _with_unit("mm")]
Fraction = number_type(0.0, 1.0)


# ============================================================================ timing helpers
def _periods(ctx: Context, prefix: str, start: str, duration: str | None, days: int | None,
             window: DailyWindow | None) -> tuple[np.ndarray, np.ndarray]:
    """(on, off) of one continuous period (``duration``), ``days`` daily periods of
    ``duration`` every 24 h from ``start``, or ``days`` daily windows (first opening at or after
    ``start``)."""
    t0 = ctx.time(start, f"{prefix}.start")
    n = days or 1
    if window is not None:
        a, b = parse_clock(window.from_), parse_clock(window.to)
        first = t0 + (a - (t0 + ctx.start_clock_h)) % HOURS_PER_DAY
        length = (b - a) % HOURS_PER_DAY
    else:
        first, length = t0, _hours(duration)  # type: ignore[arg-type]
    on, off = _daily(first, length, np.arange(n))
    field = "days" if n > 1 else ("daily_window" if window is not None else "duration")
    ctx.require_end(float(off[-1]), f"{prefix}.{field}",
                    days if n > 1 else (window.to if window is not None else duration))
    return on, off


def _check_daily(obj: Any, *, max_h: float = HOURS_PER_DAY) -> None:
    """Shared checks of duration/days/daily_window events."""
    window = getattr(obj, "daily_window", None)
    if window is not None and obj.duration is not None:
        raise ScenarioError("daily_window", f"{{from: {window.from_}, to: {window.to}}}",
                            "give either duration or daily_window, not both")
    if window is None and obj.duration is None:
        raise ScenarioError("duration", None, "give a duration (one period, or each daily "
                            "period with days) or a daily_window")
    if obj.days is not None and obj.days > 1 and obj.duration is not None \
            and _hours(obj.duration) > max_h + TIME_TOL:
        raise ScenarioError("duration", obj.duration, "with days > 1 each daily period lasts "
                            "at most 24 h")


def _level(name: str, on: np.ndarray, off: np.ndarray, value: float,
           exclusive: str | None = None) -> Effect:
    return Effect(pulses=[Pulse(name, on, off, float(value))], exclusive=exclusive or name,
                  sessions=(on, off))


# ============================================================================ challenges
class IntradermalSubstanceP(EventBase):
    """Intradermal injection of substance P (SP), the neuropeptide of neurogenic inflammation.

    Picomole doses (about 1 to 100 pmol in 10-50 uL) give a dose-dependent wheal and flare in
    human skin, largely through mast-cell histamine release (Foreman et al. 1983, J Physiol
    335:449). ``dose`` > 0 and at most 1000 pmol; default 25 pmol. Acts as a jump on state
    ``neuro.sp_injected`` (+= dose in pmol) at ``at``.
    """

    type: Literal["intradermal_substance_p"] = "intradermal_substance_p"
    jumps_state: ClassVar[str] = SP_TARGET
    at: TimeExpression = Field(description="time expression; when SP is injected")
    dose: quantity_type("pmol", hi=1000.0) = Field(  # type: ignore[valid-type]
        default="25 pmol", description="amount injected, pmol, > 0 and at most 1000 pmol")

    @property
    def dose_pmol(self) -> float:
        return quantity_value(self.dose, "pmol")

    def resolve(self, ctx: Context, prefix: str) -> Effect:
        t = ctx.time(self.at, f"{prefix}.at")
        return Effect(jumps=[Jump(SP_TARGET, np.array([t]), self.dose_pmol)])


class TapeStripping(EventBase):
    """Repeated tape stripping of the stratum corneum, the standard experimental barrier
    disruption (e.g. Altemus et al. 2001, J Invest Dermatol 117:309: barrier recovery after tape
    stripping is slower under psychological stress).

    Give ``strips`` (1 to 60) or ``fraction`` (> 0 and < 1), exactly one. Strips map to the
    fraction of barrier function removed by ``1 - 0.95**strips`` (an assumption: each strip
    removes 5 % of what remains; 20 strips remove 64 %, 40 strips 87 %). Acts as a jump on state
    ``barrier.integrity`` (dimensionless 0-1) of minus the fraction removed.
    """

    type: Literal["tape_stripping"] = "tape_stripping"
    jumps_state: ClassVar[str] = BARRIER_TARGET
    at: TimeExpression = Field(description="time expression; when the stripping is done")
    strips: number_type(1, 60, integer=True) | None = Field(  # type: ignore[valid-type]
        default=None, description="number of tape strips, 1 to 60")
    fraction: number_type(0.0, 1.0, lo_open=True) | None = Field(  # type: ignore[valid-type]
        default=None, description="fraction of barrier function removed, > 0 and < 1")

    @model_validator(mode="after")
    def _one_of(self) -> TapeStripping:
        if self.strips is None and self.fraction is None:
            raise ScenarioError("strips", None, "give strips (1 to 60) or fraction (> 0 and "
                                "< 1)")
        if self.strips is not None and self.fraction is not None:
            raise ScenarioError("fraction", self.fraction, "give either strips or fraction, "
                                "not both")
        if self.fraction is not None and self.fraction >= 1.0:
            raise ScenarioError("fraction", self.fraction, "expected a number greater than 0 "
                                "and less than 1 (1 would remove the whole barrier)")
        return self

    @property
    def fraction_removed(self) -> float:
        return self.fraction if self.fraction is not None else strips_to_fraction(self.strips)

    def resolve(self, ctx: Context, prefix: str) -> Effect:
        t = ctx.time(self.at, f"{prefix}.at")
        return Effect(jumps=[Jump(BARRIER_TARGET, np.array([t]), -self.fraction_removed)])


class _Wound(EventBase):
    at: TimeExpression = Field(description="time expression; when the wound is made")
    target: ClassVar[str] = SKIN_WOUND_TARGET

    @property
    def diameter_mm(self) -> float:
        return quantity_value(self.diameter, "mm")  # type: ignore[attr-defined]

    @property
    def area_mm2(self) -> float:
        return _area_mm2(self.diameter_mm)

    def resolve(self, ctx: Context, prefix: str) -> Effect:
        t = ctx.time(self.at, f"{prefix}.at")
        return Effect(jumps=[Jump(self.target, np.array([t]), self.area_mm2)])


class PunchBiopsy(_Wound):
    """Standardised punch-biopsy wound of the skin, e.g. a 3.5-mm punch biopsy on the forearm
    in dementia caregivers (Kiecolt-Glaser et al. 1995, Lancet 346:1194).

    ``diameter`` 1 to 10 mm ('3.5 mm' or a number of mm); default 3.5 mm. Acts as a jump on
    state ``wound.skin_area`` (+= pi (d/2)^2 mm2) at ``at``.
    """

    type: Literal["punch_biopsy"] = "punch_biopsy"
    jumps_state: ClassVar[str] = SKIN_WOUND_TARGET
    diameter: Diameter = Field(default="3.5 mm", description="mm, 1 to 10; default 3.5")


class BlisterWound(_Wound):
    """Suction-blister wound of the skin (roof removed), e.g. 8-mm blisters on the forearm to
    sample wound fluid (Glaser et al. 1999, Arch Gen Psychiatry 56:450).

    The blister heals as an epidermal wound (from its margin and from the retained hair
    follicles and sweat ducts), in days rather than weeks.

    ``diameter`` 1 to 10 mm; default 8 mm. Acts as a jump on state ``wound.blister_area``
    (+= pi (d/2)^2 mm2) at ``at``.
    """

    type: Literal["blister_wound"] = "blister_wound"
    jumps_state: ClassVar[str] = BLISTER_WOUND_TARGET
    target: ClassVar[str] = BLISTER_WOUND_TARGET
    diameter: Diameter = Field(default="8 mm", description="mm, 1 to 10; default 8")


class MucosalWound(_Wound):
    """Punch wound of the oral mucosa (hard palate), e.g. 3.5-mm wounds made during
    examinations and during summer vacation (Marucha, Kiecolt-Glaser & Favagehi 1998, Psychosom
    Med 60:362).

    ``diameter`` 1 to 10 mm; default 3.5 mm. Acts as a jump on state ``wound.mucosal_area``
    (+= pi (d/2)^2 mm2) at ``at``.
    """

    type: Literal["mucosal_wound"] = "mucosal_wound"
    jumps_state: ClassVar[str] = MUCOSAL_WOUND_TARGET
    target: ClassVar[str] = MUCOSAL_WOUND_TARGET
    diameter: Diameter = Field(default="3.5 mm", description="mm, 1 to 10; default 3.5")


class DthChallenge(EventBase):
    """Delayed-type hypersensitivity skin test: a contact sensitiser (e.g. DNCB, or DNFB in the
    rodent studies of Dhabhar & McEwen 1997) applied once to sensitise and again at a skin site
    to challenge, or a recall antigen (e.g. Candida, tuberculin PPD; Huebner et al. 1993) in a
    person already sensitised. The swelling (``dth_induration``, mm) peaks 48-72 h after the
    challenge.

    ``challenge`` (time expression) is when the antigen is applied to the test site.
    ``sensitisation`` (time expression, optional) is when the person is sensitised; it must come
    before the challenge (a full response needs about a week). Without it the antigen is a
    recall antigen. Acts as jumps on ``dth.sensitiser`` (+1 at sensitisation),
    ``dth.challenge_antigen`` (+1 at challenge) and, for a recall antigen,
    ``dth.antigen_memory`` (+1 at challenge).
    """

    type: Literal["dth_challenge"] = "dth_challenge"
    jumps_state: ClassVar[str] = DTH_ANTIGEN_TARGET
    challenge: TimeExpression = Field(description="time expression; when the antigen is applied "
                                      "to the test site")
    sensitisation: TimeExpression | None = Field(
        default=None, description="time expression before the challenge; absent = recall "
        "antigen in a sensitised person")

    def resolve(self, ctx: Context, prefix: str) -> Effect:
        tc = ctx.time(self.challenge, f"{prefix}.challenge")
        jumps = [Jump(DTH_ANTIGEN_TARGET, np.array([tc]), 1.0)]
        if self.sensitisation is None:
            jumps.append(Jump(DTH_MEMORY_TARGET, np.array([tc]), 1.0))
        else:
            ts = ctx.time(self.sensitisation, f"{prefix}.sensitisation")
            if ts >= tc - TIME_TOL:
                raise ScenarioError(f"{prefix}.sensitisation", self.sensitisation,
                                    f"a time before the challenge ({ctx.fmt(tc)})")
            jumps.append(Jump(DTH_SENSITISER_TARGET, np.array([ts]), 1.0))
        return Effect(jumps=jumps)


# ============================================================================ drugs
class _Blockade(EventBase):
    start: TimeExpression = Field(description="time expression; (first) dose")
    duration: duration_type() = Field(  # type: ignore[valid-type]
        default="24 h", description="how long one dose blocks, > 0 (at most 24 h with days > "
        "1); default 24 h (once-daily dosing)")
    days: number_type(1, None, integer=True) | None = Field(  # type: ignore[valid-type]
        default=None, description="number of daily doses, >= 1; absent = one dose")

    @model_validator(mode="after")
    def _check(self) -> _Blockade:
        _check_daily(self)
        return self

    def resolve(self, ctx: Context, prefix: str) -> Effect:
        on, off = _periods(ctx, prefix, self.start, self.duration, self.days, None)
        return _level(self.type, on, off, self.blockade)  # type: ignore[attr-defined]


class H1Antihistamine(_Blockade):
    """Oral H1 antihistamine, e.g. cetirizine 10 mg once daily, which suppresses the
    histamine wheal and flare almost completely for about a day.

    ``blockade`` is the fraction (0 to 1) of H1 receptors blocked while a dose acts; default
    0.9. One dose blocks for ``duration`` (default 24 h) from ``start``; with ``days: N`` N daily
    doses. Drives input ``h1_antihistamine`` (= blockade while a dose acts).
    """

    type: Literal["h1_antihistamine"] = "h1_antihistamine"
    drives: ClassVar[tuple[str, ...]] = ("h1_antihistamine",)
    blockade: Fraction = Field(  # type: ignore[valid-type]
        default=0.9, description="fraction of receptors blocked, 0 to 1; default 0.9")


class Nk1Antagonist(_Blockade):
    """NK1 (substance P) receptor antagonist, e.g. aprepitant (125 mg, then 80 mg daily),
    which occupies about 90 % or more of brain NK1 receptors at these doses (Bergström et al.
    2004, Biol Psychiatry 55:1007).

    ``blockade`` 0 to 1, default 0.9; ``duration`` per dose (default 24 h), ``days`` daily
    doses. Drives input ``nk1_antagonist``.
    """

    type: Literal["nk1_antagonist"] = "nk1_antagonist"
    drives: ClassVar[tuple[str, ...]] = ("nk1_antagonist",)
    blockade: Fraction = Field(  # type: ignore[valid-type]
        default=0.9, description="fraction of receptors blocked, 0 to 1; default 0.9")


class CrhAntagonist(_Blockade):
    """CRH (CRF1) receptor antagonist (experimental; e.g. antalarmin in animals, pexacerfont
    or verucerfont in human trials). No dose has an established receptor occupancy in human
    skin, so ``blockade`` (0 to 1) is required. ``duration`` per dose (default 24 h), ``days``
    daily doses. Drives input ``crh_antagonist``.
    """

    type: Literal["crh_antagonist"] = "crh_antagonist"
    drives: ClassVar[tuple[str, ...]] = ("crh_antagonist",)
    blockade: Fraction = Field(  # type: ignore[valid-type]
        description="fraction of receptors blocked, 0 to 1 (required)")


class IntranasalOxytocin(EventBase):
    """Intranasal oxytocin spray; 24 IU is the dose of most human studies, e.g. Heinrichs et al.
    2003 (Biol Psychiatry 54:1389): oxytocin plus social support gave the lowest cortisol
    response to the TSST.

    ``dose`` 1 to 80 IU ('24 IU' or a number of IU); default 24 IU. Acts as a jump on state
    ``social.oxytocin_nasal`` (+= dose in IU) at ``at``.
    """

    type: Literal["intranasal_oxytocin"] = "intranasal_oxytocin"
    jumps_state: ClassVar[str] = OXYTOCIN_TARGET
    at: TimeExpression = Field(description="time expression; when the spray is given")
    dose: Annotated[quantity_type("IU", hi=80.0, lo=1.0, lo_open=False),
                    _with_unit("IU")] = Field(
        default="24 IU", description="IU, 1 to 80; default 24")

    @property
    def dose_iu(self) -> float:
        return quantity_value(self.dose, "IU")

    def resolve(self, ctx: Context, prefix: str) -> Effect:
        t = ctx.time(self.at, f"{prefix}.at")
        return Effect(jumps=[Jump(OXYTOCIN_TARGET, np.array([t]), self.dose_iu)])


# ============================================================================ social / practice
class _Exposure(EventBase):
    start: TimeExpression = Field(description="time expression; (first) period")
    duration: duration_type() | None = Field(  # type: ignore[valid-type]
        default=None, description="one period (or each daily period with days), > 0")
    days: number_type(1, None, integer=True) | None = Field(  # type: ignore[valid-type]
        default=None, description="number of daily periods, >= 1")
    daily_window: DailyWindow | None = Field(
        default=None, description="{from, to}: daily periods in these clock hours instead of "
        "duration (first opening at or after start)")

    @model_validator(mode="after")
    def _check(self) -> _Exposure:
        _check_daily(self)
        return self

    def _on_off(self, ctx: Context, prefix: str) -> tuple[np.ndarray, np.ndarray]:
        return _periods(ctx, prefix, self.start, self.duration, self.days, self.daily_window)


class SocialSupport(_Exposure):
    """A supportive person present (partner, friend), e.g. support from a partner before the
    TSST (Heinrichs et al. 2003). ``level`` 0 to 1 (1 = fully supportive; default 1). One
    period of ``duration``, ``days`` daily periods of ``duration``, or ``days`` daily
    ``daily_window`` periods. Drives input ``social_support`` (= level while present).
    """

    type: Literal["social_support"] = "social_support"
    drives: ClassVar[tuple[str, ...]] = ("social_support",)
    level: Fraction = Field(  # type: ignore[valid-type]
        default=1.0, description="dimensionless 0 to 1; default 1")

    def resolve(self, ctx: Context, prefix: str) -> Effect:
        return _level("social_support", *self._on_off(ctx, prefix), self.level)


class RosaceaTrigger(_Exposure):
    """Exposure to a rosacea flushing trigger: heat, hot drinks, alcohol, spicy food, sun.
    ``intensity`` 0 to 1 (1 = strong trigger; default 1). One period of ``duration``, ``days``
    daily periods, or ``days`` daily ``daily_window`` periods (e.g. an evening glass of wine).
    Drives input ``rosacea_trigger`` (= intensity while exposed).
    """

    type: Literal["rosacea_trigger"] = "rosacea_trigger"
    drives: ClassVar[tuple[str, ...]] = ("rosacea_trigger",)
    intensity: Fraction = Field(  # type: ignore[valid-type]
        default=1.0, description="dimensionless 0 to 1; default 1")

    def resolve(self, ctx: Context, prefix: str) -> Effect:
        return _level("rosacea_trigger", *self._on_off(ctx, prefix), self.intensity)


class SupportGroup(EventBase):
    """Weekly group participation, e.g. 10-week group cognitive-behavioural stress management
    (CBSM; Antoni et al. 2001, Health Psychol 20:20). Modelled as a level: input
    ``support_group`` = 1 during the whole participation period of ``weeks`` weeks (1 to 52;
    default 10) from ``start``.
    """

    type: Literal["support_group"] = "support_group"
    drives: ClassVar[tuple[str, ...]] = ("support_group",)
    start: TimeExpression = Field(description="time expression; first session")
    weeks: number_type(1, 52, integer=True) = Field(  # type: ignore[valid-type]
        default=10, description="participation in weeks, 1 to 52; default 10 (CBSM)")

    def resolve(self, ctx: Context, prefix: str) -> Effect:
        t0 = ctx.time(self.start, f"{prefix}.start")
        t1 = t0 + 7 * HOURS_PER_DAY * self.weeks
        ctx.require_end(t1, f"{prefix}.weeks", self.weeks)
        return _level("support_group", np.array([t0]), np.array([t1]), 1.0)


def _weekly_days(n_days: int, per_week: int) -> np.ndarray:
    """Day offsets 0..n_days-1 that fall on the session days of WEEKLY_PATTERNS[per_week]."""
    k = np.arange(n_days)
    return k[np.isin(k % 7, WEEKLY_PATTERNS[per_week])]


class HypnosisRelaxation(EventBase):
    """Hypnosis or relaxation training sessions (e.g. hypnosis and relaxation in dermatology:
    Shenefelt 2000, Dermatol Ther 13:41; progressive muscle relaxation). Sessions of ``session``
    length at the clock time of ``start`` over ``days`` days: every day, or with
    ``sessions_per_week`` on fixed days of each week (pattern 1: day 0; 2: days 0, 3; 3: days 0,
    2, 4; 4: 0, 1, 3, 4; 5: 0-4; 6: 0-5; 7: every day, counted from the first session).
    Sessions require being awake and must not overlap other hypnosis_relaxation sessions.
    Drives input ``relaxation_practice`` (= 1 during sessions).
    """

    type: Literal["hypnosis_relaxation"] = "hypnosis_relaxation"
    drives: ClassVar[tuple[str, ...]] = ("relaxation_practice",)
    start: TimeExpression = Field(description="time expression; first session")
    session: duration_type(1 / 60, 2.0) = Field(  # type: ignore[valid-type]
        default="30 min", description="session length, 1 min to 2 h; default 30 min")
    days: number_type(1, None, integer=True) = Field(  # type: ignore[valid-type]
        default=1, description="length of the programme in days, >= 1; default 1")
    sessions_per_week: number_type(1, 7, integer=True) = Field(  # type: ignore[valid-type]
        default=7, description="sessions per week, 1 to 7; default 7 (daily)")

    def resolve(self, ctx: Context, prefix: str) -> Effect:
        t0 = ctx.time(self.start, f"{prefix}.start")
        offsets = _weekly_days(self.days, self.sessions_per_week)
        on, off = _daily(t0, _hours(self.session), offsets)
        field = "days" if offsets.size > 1 else "session"
        ctx.require_end(float(off[-1]), f"{prefix}.{field}",
                        self.days if offsets.size > 1 else self.session)
        return Effect(pulses=[Pulse("relaxation_practice", on, off, 1.0)],
                      awake_sessions=(on, off), exclusive="hypnosis_relaxation",
                      sessions=(on, off))


# ============================================================================ skin regimens
class _Regimen(EventBase):
    start: TimeExpression = Field(description="time expression; regimen begins")
    period: duration_type() = Field(  # type: ignore[valid-type]
        description="how long the regimen lasts (duration > 0), e.g. '4 weeks'")

    def _on_off(self, ctx: Context, prefix: str) -> tuple[np.ndarray, np.ndarray]:
        t0 = ctx.time(self.start, f"{prefix}.start")
        t1 = t0 + _hours(self.period)
        ctx.require_end(t1, f"{prefix}.period", self.period)
        return np.array([t0]), np.array([t1])


class Emollient(_Regimen):
    """Regular emollient (moisturiser) use, e.g. twice daily in atopic dermatitis, modelled as
    a level over the regimen ``period``. ``coverage`` 0 to 1 (fraction of the affected skin
    treated as prescribed; default 1). Drives input ``emollient`` (= coverage).
    """

    type: Literal["emollient"] = "emollient"
    drives: ClassVar[tuple[str, ...]] = ("emollient",)
    coverage: Fraction = Field(  # type: ignore[valid-type]
        default=1.0, description="dimensionless 0 to 1; default 1")

    def resolve(self, ctx: Context, prefix: str) -> Effect:
        return _level("emollient", *self._on_off(ctx, prefix), self.coverage)


POTENCY_NAMES = {"mild": 1, "moderate": 2, "potent": 3, "very potent": 4, "very_potent": 4}


def _potency(v: Any) -> Any:
    if isinstance(v, str) and v.strip().lower() in POTENCY_NAMES:
        return POTENCY_NAMES[v.strip().lower()]
    return v


class TopicalCorticosteroid(_Regimen):
    """Topical corticosteroid regimen over ``period``. ``potency`` is the class in the UK /
    European order, 1 to 4: 1 mild (hydrocortisone 1 %), 2 moderate (clobetasone butyrate
    0.05 %), 3 potent (betamethasone valerate 0.1 %), 4 very potent (clobetasol propionate
    0.05 %); a number or the name (mild, moderate, potent, very potent). Note the US scale runs
    the other way (class 1 = superpotent). Drives input ``topical_corticosteroid`` (= potency).
    """

    type: Literal["topical_corticosteroid"] = "topical_corticosteroid"
    drives: ClassVar[tuple[str, ...]] = ("topical_corticosteroid",)
    potency: Annotated[number_type(1, 4, integer=True),  # type: ignore[valid-type]
                       BeforeValidator(_potency)] = Field(
        description="class 1 to 4 (mild, moderate, potent, very potent)")

    def resolve(self, ctx: Context, prefix: str) -> Effect:
        return _level("topical_corticosteroid", *self._on_off(ctx, prefix), self.potency)


class RetinoidBpo(_Regimen):
    """Topical retinoid / benzoyl peroxide regimen for acne (e.g. adapalene 0.1 % / benzoyl
    peroxide 2.5 % gel once daily) over ``period``. Drives input ``retinoid_bpo`` (= 1)."""

    type: Literal["retinoid_bpo"] = "retinoid_bpo"
    drives: ClassVar[tuple[str, ...]] = ("retinoid_bpo",)

    def resolve(self, ctx: Context, prefix: str) -> Effect:
        return _level("retinoid_bpo", *self._on_off(ctx, prefix), 1.0)


class NbUvb(EventBase):
    """Narrow-band UVB (311 nm) phototherapy course for psoriasis: ``sessions_per_week`` (1 to
    5; default 3) sessions per week for ``weeks`` weeks from the first session ``at``, on fixed
    days of each week (3: days 0, 2, 4, e.g. Mon/Wed/Fri; patterns as hypnosis_relaxation).
    Each session delivers ``dose`` J/cm2 (> 0 and at most 3; default 0.5), raised by
    ``increment`` per session (default 0) up to ``max_dose`` (default 3 J/cm2); typical courses
    start near 0.2-0.5 J/cm2 (or 50-70 % of the minimal erythema dose) with 10-20 % increments.
    Acts as one jump on state ``psoriasis.uvb_dose`` (+= the session's dose in J/cm2) per
    session. Doses are written '0.5 J/cm2' (also 'J/cm^2', '500 mJ/cm2').
    """

    type: Literal["nb_uvb"] = "nb_uvb"
    jumps_state: ClassVar[str] = UVB_TARGET
    at: TimeExpression = Field(description="time expression; first session")
    sessions_per_week: number_type(1, 5, integer=True) = Field(  # type: ignore[valid-type]
        default=3, description="sessions per week, 1 to 5; default 3")
    weeks: number_type(1, 52, integer=True) = Field(  # type: ignore[valid-type]
        description="course length in weeks, 1 to 52")
    dose: _uvb_type() = Field(  # type: ignore[valid-type]
        default="0.5 J/cm^2", description="J/cm2 per session, > 0 and at most 3; default 0.5")
    increment: _uvb_type(lo_open=False) = Field(  # type: ignore[valid-type]
        default="0 J/cm^2", description="J/cm2 added per session, 0 to 3; default 0")
    max_dose: _uvb_type() = Field(  # type: ignore[valid-type]
        default="3 J/cm^2", description="J/cm2 cap per session, > 0 and at most 3; default 3")

    @model_validator(mode="after")
    def _check(self) -> NbUvb:
        if quantity_value(self.dose, "J/cm**2") > quantity_value(self.max_dose, "J/cm**2") \
                * (1 + 1e-12):
            raise ScenarioError("dose", self.dose, f"expected a first dose of at most max_dose "
                                f"({self.max_dose})")
        return self

    def session_doses(self) -> np.ndarray:
        """Dose of each session (J/cm2)."""
        n = self.weeks * self.sessions_per_week
        d = quantity_value(self.dose, "J/cm**2") + np.arange(n) * quantity_value(
            self.increment, "J/cm**2")
        return np.minimum(d, quantity_value(self.max_dose, "J/cm**2"))

    def resolve(self, ctx: Context, prefix: str) -> Effect:
        t0 = ctx.time(self.at, f"{prefix}.at")
        offsets = _weekly_days(7 * self.weeks, self.sessions_per_week)
        t = t0 + HOURS_PER_DAY * offsets
        if t[-1] >= ctx.duration_h - TIME_TOL:
            raise ScenarioError(
                f"{prefix}.weeks", self.weeks, f"the last session would be at {ctx.fmt(t[-1])}, "
                f"not before the scenario end at {ctx.fmt(ctx.duration_h)}; shorten the course "
                "or lengthen the scenario 'duration'")
        doses = self.session_doses()
        return Effect(jumps=[Jump(UVB_TARGET, t[k:k + 1], float(doses[k]))
                             for k in range(t.size)])


# ============================================================================ daily hassles
class DailyHassles(EventBase):
    """Random minor daily stressors (hassles): brief ``acute_stressor`` pulses in waking hours.

    For scale: in daily-diary studies adults report at least one stressor on about 40 % of days
    (Almeida 2005, Curr Dir Psychol Sci 14:64); checklists of minor hassles count more. Over
    ``period`` from ``start``, each 24-h block (from ``start``; a shorter last block in
    proportion) gets a Poisson number of hassles with mean ``per_day`` (0 to 20; default 2), each
    of ``duration`` (1 min to 2 h; default 10 min) and ``intensity`` (0 to 1 relative to a
    standard TSST; default 0.2), starting at a uniformly random time such that the whole hassle
    lies in waking hours of that block. The draw is deterministic for a ``seed`` (integer >= 0;
    default 0): the same scenario gives the same hassles, another seed other hassles. Pulses
    that overlap each other or other stressors add (up to intensity 3, see
    ``schedule.INTENSITY_CAPS``). Drives input ``acute_stressor``.
    """

    type: Literal["daily_hassles"] = "daily_hassles"
    drives: ClassVar[tuple[str, ...]] = ("acute_stressor",)
    start: TimeExpression = Field(description="time expression; the period begins")
    period: duration_type() = Field(  # type: ignore[valid-type]
        description="how long hassles occur (duration > 0), e.g. '4 weeks'")
    per_day: number_type(0.0, 20.0) = Field(  # type: ignore[valid-type]
        default=2.0, description="mean number of hassles per day, 0 to 20; default 2")
    intensity: Fraction = Field(  # type: ignore[valid-type]
        default=0.2, description="dimensionless 0 to 1 (TSST = 1); default 0.2")
    duration: duration_type(1 / 60, 2.0) = Field(  # type: ignore[valid-type]
        default="10 min", description="length of each hassle, 1 min to 2 h; default 10 min")
    seed: number_type(0, 2**63 - 1, integer=True) = Field(  # type: ignore[valid-type]
        default=0, description="random seed, integer >= 0; default 0")

    def times(self, ctx: Context, prefix: str = "") -> np.ndarray:
        """Start times (model hours) of the hassles."""
        t0 = ctx.time(self.start, f"{prefix}.start")
        t1 = t0 + _hours(self.period)
        ctx.require_end(t1, f"{prefix}.period", self.period)
        d = _hours(self.duration)
        rng = np.random.default_rng(self.seed)
        n_blocks = max(1, math.ceil((t1 - t0) / HOURS_PER_DAY - 1e-9))
        out = []
        for b in range(n_blocks):
            lo, hi = t0 + b * HOURS_PER_DAY, min(t0 + (b + 1) * HOURS_PER_DAY, t1)
            count = rng.poisson(self.per_day * (hi - lo) / HOURS_PER_DAY)
            a, e = ctx.awake_intervals(lo, hi)
            room = e - d - a  # a hassle starting in [a, e - d] ends while awake
            ok = room > TIME_TOL
            if count == 0 or not ok.any():
                continue
            a, room = a[ok], room[ok]
            cum = np.concatenate([[0.0], np.cumsum(room)])
            u = rng.uniform(0.0, cum[-1], count)
            k = np.clip(np.searchsorted(cum, u, side="right") - 1, 0, a.size - 1)
            out.append(a[k] + (u - cum[k]))
        return np.sort(np.concatenate(out)) if out else np.zeros(0)

    def resolve(self, ctx: Context, prefix: str) -> Effect:
        on = self.times(ctx, prefix)
        off = on + _hours(self.duration)
        return Effect(pulses=[Pulse("acute_stressor", on, off, self.intensity)],
                      awake_sessions=(on, off))


SKIN_EVENT_CLASSES: tuple[type[EventBase], ...] = (
    IntradermalSubstanceP, H1Antihistamine, Nk1Antagonist, CrhAntagonist, TapeStripping,
    PunchBiopsy, BlisterWound, MucosalWound, DthChallenge, SocialSupport, SupportGroup,
    IntranasalOxytocin,
    HypnosisRelaxation, Emollient, TopicalCorticosteroid, RetinoidBpo, RosaceaTrigger, NbUvb,
    DailyHassles,
)
