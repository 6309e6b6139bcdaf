"""Drugs and devices: hydrocortisone infusion and bolus, vagus nerve stimulation, receptor blockers
(H1 antihistamine, NK1 and CRH antagonists) and intranasal oxytocin.

Blockade inputs are fractions: two events of the same type must not be active at the same time.
"""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

import numpy as np
from pydantic import Field, model_validator

from nicsim.errors import ScenarioError
from nicsim.protocols.spec import (
    Context,
    Effect,
    EventBase,
    Fraction,
    Jump,
    ModelInput,
    Pulse,
    TimeExpression,
    check_daily,
    daily,
    duration_type,
    hours,
    level,
    number_type,
    periods,
    quantity_type,
    quantity_value,
    with_unit,
)
from nicsim.protocols.timeexpr import HOURS_PER_DAY

HYDROCORTISONE_INFUSION = ModelInput("hydrocortisone_infusion", readers=("hpa",))
VNS = ModelInput("vns", readers=("ans",), cap=1.0)
H1_ANTIHISTAMINE = ModelInput("h1_antihistamine", readers=("neuro", "rosacea"))
NK1_ANTAGONIST = ModelInput("nk1_antagonist", readers=("neuro",))
CRH_ANTAGONIST = ModelInput("crh_antagonist", readers=("neuro",))
OXYTOCIN_TARGET = "social.oxytocin_nasal"


class HydrocortisoneInfusion(EventBase):
    """Intravenous hydrocortisone (cortisol) infusion.

    For scale: daily cortisol production is about 10-20 mg (0.4-0.8 mg/h); a stress dose of
    200 mg/day is about 8 mg/h. Rate > 0 and at most 20 mg/h. Drives input
    ``hydrocortisone_infusion`` (mg/h).
    """

    type: Literal["hydrocortisone_infusion"] = "hydrocortisone_infusion"
    inputs: ClassVar[tuple[ModelInput, ...]] = (HYDROCORTISONE_INFUSION,)
    effect: ClassVar[str] = "rate in mg/h"
    start: TimeExpression = Field(description="time expression; when the infusion begins")
    duration: duration_type() = Field(  # type: ignore[valid-type]
        description="infusion duration, > 0")
    rate: quantity_type("mg/h", hi=20.0) = Field(  # type: ignore[valid-type]
        description="mg/h, > 0 and at most 20 mg/h")

    @property
    def rate_mg_per_h(self) -> float:
        return quantity_value(self.rate, "mg/h")

    def resolve(self, ctx: Context, prefix: str) -> Effect:
        t0 = ctx.time(self.start, f"{prefix}.start")
        t1 = t0 + hours(self.duration)
        ctx.require_end(t1, f"{prefix}.duration", self.duration)
        return Effect(pulses=[Pulse(HYDROCORTISONE_INFUSION.name, np.array([t0]), np.array([t1]),
                                    self.rate_mg_per_h)])


class HydrocortisoneBolus(EventBase):
    """Intravenous hydrocortisone (cortisol) bolus, e.g. the 100-mg "stress dose" (Dandona et
    al. 1999) or 50 mg (BMC Endocr Disord 2014, 14:91).

    Given as an i.v. push over ``BOLUS_MINUTES`` (5 min): the dose enters the same input as
    ``hydrocortisone_infusion``, at dose / 5 min. Dose > 0 and at most 200 mg. Drives input
    ``hydrocortisone_infusion`` (mg/h).
    """

    BOLUS_MINUTES: ClassVar[float] = 5.0

    type: Literal["hydrocortisone_bolus"] = "hydrocortisone_bolus"
    inputs: ClassVar[tuple[ModelInput, ...]] = (HYDROCORTISONE_INFUSION,)
    effect: ClassVar[str] = "dose / 5 min, in mg/h"
    at: TimeExpression = Field(description="time expression; when the bolus is given")
    dose: quantity_type("mg", hi=200.0) = Field(  # type: ignore[valid-type]
        description="mg, > 0 and at most 200 mg")

    @property
    def dose_mg(self) -> float:
        return quantity_value(self.dose, "mg")

    def resolve(self, ctx: Context, prefix: str) -> Effect:
        t0 = ctx.time(self.at, f"{prefix}.at")
        t1 = t0 + self.BOLUS_MINUTES / 60.0
        ctx.require_end(t1, f"{prefix}.at", self.at)
        return Effect(pulses=[Pulse(HYDROCORTISONE_INFUSION.name, np.array([t0]), np.array([t1]),
                                    self.dose_mg * 60.0 / self.BOLUS_MINUTES)])


class VagusNerveStimulation(EventBase):
    """Vagus nerve stimulation, cervical (implanted) or transcutaneous auricular (taVNS).

    Activates the cholinergic anti-inflammatory pathway (e.g. Koopman et al. 2016, PNAS
    113:8284). One continuous stimulation of ``duration``, or with ``days: N`` N daily sessions
    (every 24 h from ``start``; a session then lasts less than 24 h). ``intensity`` is the
    fraction (0 to 1) of maximal effective stimulation; ``mode`` is documentation only. Drives
    input ``vns`` (+= intensity). Allowed during sleep.
    """

    type: Literal["vagus_nerve_stimulation"] = "vagus_nerve_stimulation"
    inputs: ClassVar[tuple[ModelInput, ...]] = (VNS,)
    effect: ClassVar[str] = "+= intensity while active"
    start: TimeExpression = Field(description="time expression; (first) stimulation start")
    duration: duration_type() = Field(  # type: ignore[valid-type]
        description="length of the stimulation (or of each daily session), > 0")
    days: number_type(1, None, integer=True) | None = Field(  # type: ignore[valid-type]
        default=None, description="number of daily sessions, >= 1; absent = one stimulation")
    intensity: number_type(0.0, 1.0) = Field(  # type: ignore[valid-type]
        description="dimensionless, 0 to 1: fraction of maximal effective stimulation")
    mode: Literal["cervical", "auricular"] = Field(
        default="auricular", description="cervical | auricular (documentation only)")

    @model_validator(mode="after")
    def _check(self) -> VagusNerveStimulation:
        if self.days is not None and self.days > 1 and hours(self.duration) >= HOURS_PER_DAY:
            raise ScenarioError("duration", self.duration, "daily sessions must last less "
                                "than 24 h")
        return self

    def resolve(self, ctx: Context, prefix: str) -> Effect:
        t0 = ctx.time(self.start, f"{prefix}.start")
        n = self.days or 1
        dur = hours(self.duration)
        ctx.require_end(t0 + (n - 1) * HOURS_PER_DAY + dur,
                        f"{prefix}.{'days' if n > 1 else 'duration'}",
                        self.days if n > 1 else self.duration)
        on, off = daily(t0, dur, np.arange(n))
        return Effect(pulses=[Pulse(VNS.name, on, off, self.intensity)])



class _Blockade(EventBase):
    start: TimeExpression = Field(description="time expression; (first) dose")
    duration: duration_type() = Field(  # type: ignore[valid-type]
        default="24 h", description="how long one dose blocks, > 0 (at most 24 h with days > "
        "1); default 24 h (once-daily dosing)")
    days: number_type(1, None, integer=True) | None = Field(  # type: ignore[valid-type]
        default=None, description="number of daily doses, >= 1; absent = one dose")

    @model_validator(mode="after")
    def _check(self) -> _Blockade:
        check_daily(self)
        return self

    def resolve(self, ctx: Context, prefix: str) -> Effect:
        on, off = periods(ctx, prefix, self.start, self.duration, self.days, None)
        return level(self.inputs[0].name, on, off, self.blockade)  # type: ignore[attr-defined]


class H1Antihistamine(_Blockade):
    """Oral H1 antihistamine, e.g. cetirizine 10 mg once daily, which suppresses the
    histamine wheal and flare almost completely for about a day.

    ``blockade`` is the fraction (0 to 1) of H1 receptors blocked while a dose acts; default
    0.9. One dose blocks for ``duration`` (default 24 h) from ``start``; with ``days: N`` N daily
    doses. Drives input ``h1_antihistamine`` (= blockade while a dose acts).
    """

    type: Literal["h1_antihistamine"] = "h1_antihistamine"
    inputs: ClassVar[tuple[ModelInput, ...]] = (H1_ANTIHISTAMINE,)
    effect: ClassVar[str] = "= blockade (0-1) while a dose acts"
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
    inputs: ClassVar[tuple[ModelInput, ...]] = (NK1_ANTAGONIST,)
    effect: ClassVar[str] = "= blockade (0-1) while a dose acts"
    blockade: Fraction = Field(  # type: ignore[valid-type]
        default=0.9, description="fraction of receptors blocked, 0 to 1; default 0.9")


class CrhAntagonist(_Blockade):
    """CRH (CRF1) receptor antagonist (experimental; e.g. antalarmin in animals, pexacerfont
    or verucerfont in human trials). No dose has an established receptor occupancy in human
    skin, so ``blockade`` (0 to 1) is required. ``duration`` per dose (default 24 h), ``days``
    daily doses. Drives input ``crh_antagonist``.
    """

    type: Literal["crh_antagonist"] = "crh_antagonist"
    inputs: ClassVar[tuple[ModelInput, ...]] = (CRH_ANTAGONIST,)
    effect: ClassVar[str] = "= blockade (0-1) while a dose acts"
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
    jump_targets: ClassVar[tuple[str, ...]] = (OXYTOCIN_TARGET,)
    effect: ClassVar[str] = "jump += dose (IU)"
    at: TimeExpression = Field(description="time expression; when the spray is given")
    dose: Annotated[quantity_type("IU", hi=80.0, lo=1.0, lo_open=False),
                    with_unit("IU")] = Field(
        default="24 IU", description="IU, 1 to 80; default 24")

    @property
    def dose_iu(self) -> float:
        return quantity_value(self.dose, "IU")

    def resolve(self, ctx: Context, prefix: str) -> Effect:
        t = ctx.time(self.at, f"{prefix}.at")
        return Effect(jumps=[Jump(OXYTOCIN_TARGET, np.array([t]), self.dose_iu)])

