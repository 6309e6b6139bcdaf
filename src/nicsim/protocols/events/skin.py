"""Skin events: challenges (intradermal substance P, tape stripping), exposures (rosacea
triggers) and treatments (emollient, topical corticosteroid, retinoid/benzoyl peroxide,
narrow-band UVB).

Level inputs that are fractions or classes (coverage, potency, intensity) must not be driven by
two overlapping events of the same type (their values would add past the range).
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

import numpy as np
from pydantic import BeforeValidator, Field, model_validator

from nicsim.errors import ScenarioError
from nicsim.protocols.spec import (
    Context,
    Effect,
    EventBase,
    ExposureEvent,
    Fraction,
    Jump,
    ModelInput,
    TimeExpression,
    duration_type,
    hours,
    level,
    number_type,
    quantity_type,
    quantity_value,
    weekly_days,
)
from nicsim.protocols.timeexpr import HOURS_PER_DAY, TIME_TOL

SP_TARGET = "neuro.sp_injected"
BARRIER_TARGET = "barrier.integrity"
UVB_TARGET = "psoriasis.uvb_dose"
HSV_UV_TARGET = "herpes.uv_trigger"
ROSACEA_TRIGGER = ModelInput("rosacea_trigger", readers=("rosacea",))
EMOLLIENT = ModelInput("emollient", readers=("barrier", "eczema"))
TOPICAL_CORTICOSTEROID = ModelInput("topical_corticosteroid",
                                    readers=("barrier", "collagen", "eczema", "psoriasis"))
RETINOID_BPO = ModelInput("retinoid_bpo", readers=("acne",))

#: Assumed fraction of the remaining stratum-corneum barrier removed by one tape strip.
TAPE_STRIP_REMOVAL = 0.05
#: Largest NB-UVB dose per session (J/cm2).
MAX_UVB_J_PER_CM2 = 3.0


def strips_to_fraction(strips: int) -> float:
    """Fraction of the barrier removed by ``strips`` tape strips: 1 - 0.95**strips
    (assumption: each strip removes 5 % of what remains)."""
    return 1.0 - (1.0 - TAPE_STRIP_REMOVAL) ** strips


def _cm2(v: Any) -> Any:
    """'0.5 J/cm2' and '0.5 J/cm²' -> '0.5 J/cm^2' (pint reads cm2 as a unit name)."""
    if isinstance(v, str):
        return v.replace("cm2", "cm^2").replace("cm²", "cm^2").replace("mm2", "mm^2")
    return v


def _uvb_type(lo: float = 0.0, lo_open: bool = True):
    return Annotated[quantity_type("J/cm**2", hi=MAX_UVB_J_PER_CM2, lo=lo, lo_open=lo_open,
                                   label="J/cm^2"), BeforeValidator(_cm2)]


class IntradermalSubstanceP(EventBase):
    """Intradermal injection of substance P (SP), the neuropeptide of neurogenic inflammation.

    Picomole doses (about 1 to 100 pmol in 10-50 uL) give a dose-dependent wheal and flare in
    human skin, largely through mast-cell histamine release (Foreman et al. 1983, J Physiol
    335:449). ``dose`` > 0 and at most 1000 pmol; default 25 pmol. Acts as a jump on state
    ``neuro.sp_injected`` (+= dose in pmol) at ``at``.
    """

    type: Literal["intradermal_substance_p"] = "intradermal_substance_p"
    jump_targets: ClassVar[tuple[str, ...]] = (SP_TARGET,)
    effect: ClassVar[str] = "jump += dose (pmol)"
    at: TimeExpression = Field(description="time expression; when SP is injected")
    dose: quantity_type("pmol", hi=1000.0) = Field(  # type: ignore[valid-type]
        default="25 pmol", description="amount injected, pmol, > 0 and at most 1000 pmol")

    @property
    def dose_pmol(self) -> float:
        return quantity_value(self.dose, "pmol")

    def resolve(self, ctx: Context, prefix: str) -> Effect:
        t = ctx.time(self.at, f"{prefix}.at")
        return Effect(jumps=[Jump(SP_TARGET, np.array([t]), self.dose_pmol)])


class LipUvExposure(EventBase):
    """Ultraviolet exposure of the lip at the usual site of herpes labialis, as in UV provocation
    studies (4 minimal erythema doses from a sunlamp: Rooney et al. 1991, Lancet 338:1419;
    Spruance et al. 1995, Antiviral Res 28:57). Acts as a jump on state ``herpes.uv_trigger``
    (+= 1) at ``at``; the herpes module turns it into a reactivation with the probability seen
    in those studies (seropositive persons only), and the lesion follows days later.
    """

    type: Literal["lip_uv_exposure"] = "lip_uv_exposure"
    jump_targets: ClassVar[tuple[str, ...]] = (HSV_UV_TARGET,)
    effect: ClassVar[str] = "jump += 1 pending UV trigger"
    at: TimeExpression = Field(description="time expression; when the lip is exposed")

    def resolve(self, ctx: Context, prefix: str) -> Effect:
        t = ctx.time(self.at, f"{prefix}.at")
        return Effect(jumps=[Jump(HSV_UV_TARGET, np.array([t]), 1.0)])


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
    jump_targets: ClassVar[tuple[str, ...]] = (BARRIER_TARGET,)
    effect: ClassVar[str] = "jump -= fraction removed"
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



class RosaceaTrigger(ExposureEvent):
    """Exposure to a rosacea flushing trigger: heat, hot drinks, alcohol, spicy food, sun.
    ``intensity`` 0 to 1 (1 = strong trigger; default 1). One period of ``duration``, ``days``
    daily periods, or ``days`` daily ``daily_window`` periods (e.g. an evening glass of wine).
    Drives input ``rosacea_trigger`` (= intensity while exposed).
    """

    type: Literal["rosacea_trigger"] = "rosacea_trigger"
    inputs: ClassVar[tuple[ModelInput, ...]] = (ROSACEA_TRIGGER,)
    effect: ClassVar[str] = "= intensity (0-1) while exposed"
    intensity: Fraction = Field(  # type: ignore[valid-type]
        default=1.0, description="dimensionless 0 to 1; default 1")

    def resolve(self, ctx: Context, prefix: str) -> Effect:
        return level(ROSACEA_TRIGGER.name, *self._on_off(ctx, prefix), self.intensity)



class _Regimen(EventBase):
    start: TimeExpression = Field(description="time expression; regimen begins")
    period: duration_type() = Field(  # type: ignore[valid-type]
        description="how long the regimen lasts (duration > 0), e.g. '4 weeks'")

    def _on_off(self, ctx: Context, prefix: str) -> tuple[np.ndarray, np.ndarray]:
        t0 = ctx.time(self.start, f"{prefix}.start")
        t1 = t0 + hours(self.period)
        ctx.require_end(t1, f"{prefix}.period", self.period)
        return np.array([t0]), np.array([t1])


class Emollient(_Regimen):
    """Regular emollient (moisturiser) use, e.g. twice daily in atopic dermatitis, modelled as
    a level over the regimen ``period``. ``coverage`` 0 to 1 (fraction of the affected skin
    treated as prescribed; default 1). Drives input ``emollient`` (= coverage).
    """

    type: Literal["emollient"] = "emollient"
    inputs: ClassVar[tuple[ModelInput, ...]] = (EMOLLIENT,)
    effect: ClassVar[str] = "= coverage (0-1) over the regimen"
    coverage: Fraction = Field(  # type: ignore[valid-type]
        default=1.0, description="dimensionless 0 to 1; default 1")

    def resolve(self, ctx: Context, prefix: str) -> Effect:
        return level(EMOLLIENT.name, *self._on_off(ctx, prefix), self.coverage)


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
    inputs: ClassVar[tuple[ModelInput, ...]] = (TOPICAL_CORTICOSTEROID,)
    effect: ClassVar[str] = "= potency class (1-4) over the regimen"
    potency: Annotated[number_type(1, 4, integer=True),  # type: ignore[valid-type]
                       BeforeValidator(_potency)] = Field(
        description="class 1 to 4 (mild, moderate, potent, very potent)")

    def resolve(self, ctx: Context, prefix: str) -> Effect:
        return level(TOPICAL_CORTICOSTEROID.name, *self._on_off(ctx, prefix), self.potency)


class RetinoidBpo(_Regimen):
    """Topical retinoid / benzoyl peroxide regimen for acne (e.g. adapalene 0.1 % / benzoyl
    peroxide 2.5 % gel once daily) over ``period``. Drives input ``retinoid_bpo`` (= 1)."""

    type: Literal["retinoid_bpo"] = "retinoid_bpo"
    inputs: ClassVar[tuple[ModelInput, ...]] = (RETINOID_BPO,)
    effect: ClassVar[str] = "1 over the regimen"

    def resolve(self, ctx: Context, prefix: str) -> Effect:
        return level(RETINOID_BPO.name, *self._on_off(ctx, prefix), 1.0)


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
    jump_targets: ClassVar[tuple[str, ...]] = (UVB_TARGET,)
    effect: ClassVar[str] = "one jump += dose (J/cm2) per session"
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
        offsets = weekly_days(7 * self.weeks, self.sessions_per_week)
        t = t0 + HOURS_PER_DAY * offsets
        if t[-1] >= ctx.duration_h - TIME_TOL:
            raise ScenarioError(
                f"{prefix}.weeks", self.weeks, f"the last session would be at {ctx.fmt(t[-1])}, "
                f"not before the scenario end at {ctx.fmt(ctx.duration_h)}; shorten the course "
                "or lengthen the scenario 'duration'")
        doses = self.session_doses()
        return Effect(jumps=[Jump(UVB_TARGET, t[k:k + 1], float(doses[k]))
                             for k in range(t.size)])

