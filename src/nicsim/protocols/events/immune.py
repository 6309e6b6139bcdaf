"""Immune challenges: endotoxin (LPS) bolus and infusion, delayed-type hypersensitivity test."""

from __future__ import annotations

from typing import ClassVar, Literal

import numpy as np
from pydantic import Field, model_validator

from nicsim.errors import ScenarioError
from nicsim.protocols.spec import (
    Context,
    Effect,
    EventBase,
    Jump,
    ModelInput,
    Pulse,
    TimeExpression,
    duration_type,
    hours,
    quantity_type,
    quantity_value,
)
from nicsim.protocols.timeexpr import TIME_TOL

#: State that an LPS bolus jumps (dose added, ng/kg).
ENDOTOXIN_TARGET = "immune.endotoxin"
DTH_ANTIGEN_TARGET = "dth.challenge_antigen"
DTH_SENSITISER_TARGET = "dth.sensitiser"
DTH_MEMORY_TARGET = "dth.antigen_memory"
LPS_INFUSION = ModelInput("lps_infusion", readers=("immune",))
#: Largest LPS dose per event (ng/kg), as in published human endotoxemia studies.
MAX_LPS_DOSE_NG_PER_KG = 4.0


class LpsBolus(EventBase):
    """Intravenous bolus of bacterial endotoxin (LPS), human experimental endotoxemia.

    Reference E. coli O:113 endotoxin, 0.4 to 4 ng/kg body weight in published studies (e.g.
    2 ng/kg: Suffredini et al. 1989, NEJM 321:280; 0.4-0.8 ng/kg: Eisenberger et al. 2010;
    4 ng/kg: high-dose studies). Acts as a jump on state ``immune.endotoxin`` (+= dose in
    ng/kg) at ``at``.
    """

    type: Literal["lps_bolus"] = "lps_bolus"
    jump_targets: ClassVar[tuple[str, ...]] = (ENDOTOXIN_TARGET,)
    effect: ClassVar[str] = "jump += dose (ng/kg)"
    at: TimeExpression = Field(description="time expression; when the bolus is given")
    dose: quantity_type("ng/kg", hi=MAX_LPS_DOSE_NG_PER_KG) = Field(  # type: ignore[valid-type]
        description="dose per body weight, ng/kg, > 0 and at most 4 ng/kg")

    @property
    def dose_ng_per_kg(self) -> float:
        return quantity_value(self.dose, "ng/kg")

    def resolve(self, ctx: Context, prefix: str) -> Effect:
        t = ctx.time(self.at, f"{prefix}.at")
        return Effect(jumps=[Jump(ENDOTOXIN_TARGET, np.array([t]), self.dose_ng_per_kg)])


class LpsInfusion(EventBase):
    """Continuous intravenous LPS infusion (e.g. Kiers et al. 2017: 1 ng/kg/h for 3 h).

    The total dose (rate x duration) is at most 4 ng/kg, the highest dose used in published
    human endotoxemia. Drives input ``lps_infusion`` (ng/kg/h).
    """

    type: Literal["lps_infusion"] = "lps_infusion"
    inputs: ClassVar[tuple[ModelInput, ...]] = (LPS_INFUSION,)
    effect: ClassVar[str] = "rate in ng/kg/h"
    start: TimeExpression = Field(description="time expression; when the infusion begins")
    duration: duration_type() = Field(  # type: ignore[valid-type]
        description="infusion duration, > 0")
    rate: quantity_type("ng/kg/h") = Field(  # type: ignore[valid-type]
        description="ng/kg/h, > 0; rate x duration at most 4 ng/kg")

    @property
    def rate_ng_per_kg_h(self) -> float:
        return quantity_value(self.rate, "ng/kg/h")

    @model_validator(mode="after")
    def _total(self) -> LpsInfusion:
        total = self.rate_ng_per_kg_h * hours(self.duration)
        if total > MAX_LPS_DOSE_NG_PER_KG * (1 + 1e-9):
            raise ScenarioError(
                "rate", self.rate, f"the total dose rate x duration = {total:.4g} ng/kg exceeds "
                f"{MAX_LPS_DOSE_NG_PER_KG:g} ng/kg, the largest dose in published human "
                "endotoxemia; lower the rate or shorten the infusion")
        return self

    def resolve(self, ctx: Context, prefix: str) -> Effect:
        t0 = ctx.time(self.start, f"{prefix}.start")
        t1 = t0 + hours(self.duration)
        ctx.require_end(t1, f"{prefix}.duration", self.duration)
        return Effect(pulses=[Pulse(LPS_INFUSION.name, np.array([t0]), np.array([t1]),
                                    self.rate_ng_per_kg_h)])



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
    jump_targets: ClassVar[tuple[str, ...]] = (DTH_SENSITISER_TARGET, DTH_ANTIGEN_TARGET,
                                               DTH_MEMORY_TARGET)
    effect: ClassVar[str] = ("jump += 1 at sensitisation / challenge (memory only for a recall "
                             "antigen)")
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

