"""Gut events: a probiotic course (the gut-skin axis, module ``gut_skin``)."""

from __future__ import annotations

from typing import ClassVar, Literal

import numpy as np
from pydantic import Field

from nicsim.protocols.spec import (
    Context,
    Effect,
    EventBase,
    Fraction,
    ModelInput,
    TimeExpression,
    duration_type,
    hours,
    level,
)

PROBIOTIC_COURSE = ModelInput("probiotic_course", readers=("gut_skin",))


class ProbioticCourse(EventBase):
    """A course of a multi-strain probiotic taken daily for ``period`` (trials: 4-12 weeks).

    ``adherence`` 0 to 1 is the fraction of days it is taken (default 1). Drives input
    ``probiotic_course`` (= adherence over the course): the gut endotoxin supply falls by about
    20 % at full adherence (plasma LPS, standardised mean difference about -0.5, very low
    certainty; Zheng et al. 2023, Ghorbani et al. 2025), so the gut endotoxin factor on basal
    cytokine release falls by about 5 %. A person who takes a probiotic habitually
    (``gut_skin.probiotic_use`` 1) gains nothing more from a course.
    """

    type: Literal["probiotic_course"] = "probiotic_course"
    inputs: ClassVar[tuple[ModelInput, ...]] = (PROBIOTIC_COURSE,)
    effect: ClassVar[str] = "= adherence (0-1) over the course"
    start: TimeExpression = Field(description="time expression; first day of the course")
    period: duration_type() = Field(  # type: ignore[valid-type]
        description="how long the course lasts (duration > 0), e.g. '8 weeks'")
    adherence: Fraction = Field(  # type: ignore[valid-type]
        default=1.0, description="fraction of days the probiotic is taken, 0 to 1; default 1")

    def resolve(self, ctx: Context, prefix: str) -> Effect:
        t0 = ctx.time(self.start, f"{prefix}.start")
        t1 = t0 + hours(self.period)
        ctx.require_end(t1, f"{prefix}.period", self.period)
        return level(PROBIOTIC_COURSE.name, np.array([t0]), np.array([t1]), self.adherence)
