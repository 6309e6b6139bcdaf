"""Social events: a supportive person present, weekly group participation (levels)."""

from __future__ import annotations

from typing import ClassVar, Literal

import numpy as np
from pydantic import Field

from nicsim.protocols.spec import (
    Context,
    Effect,
    EventBase,
    ExposureEvent,
    Fraction,
    ModelInput,
    TimeExpression,
    level,
    number_type,
)
from nicsim.protocols.timeexpr import HOURS_PER_DAY

SOCIAL_SUPPORT = ModelInput("social_support", readers=("social",))
SUPPORT_GROUP = ModelInput("support_group", readers=("competence",))


class SocialSupport(ExposureEvent):
    """A supportive person present (partner, friend), e.g. support from a partner before the
    TSST (Heinrichs et al. 2003). ``level`` 0 to 1 (1 = fully supportive; default 1). One
    period of ``duration``, ``days`` daily periods of ``duration``, or ``days`` daily
    ``daily_window`` periods. Drives input ``social_support`` (= level while present).
    """

    type: Literal["social_support"] = "social_support"
    inputs: ClassVar[tuple[ModelInput, ...]] = (SOCIAL_SUPPORT,)
    effect: ClassVar[str] = "= level (0-1) while present"
    level: Fraction = Field(  # type: ignore[valid-type]
        default=1.0, description="dimensionless 0 to 1; default 1")

    def resolve(self, ctx: Context, prefix: str) -> Effect:
        return level(SOCIAL_SUPPORT.name, *self._on_off(ctx, prefix), self.level)



class SupportGroup(EventBase):
    """Weekly group participation, e.g. 10-week group cognitive-behavioural stress management
    (CBSM; Antoni et al. 2001, Health Psychol 20:20). Modelled as a level: input
    ``support_group`` = 1 during the whole participation period of ``weeks`` weeks (1 to 52;
    default 10) from ``start``.
    """

    type: Literal["support_group"] = "support_group"
    inputs: ClassVar[tuple[ModelInput, ...]] = (SUPPORT_GROUP,)
    effect: ClassVar[str] = "1 during participation"
    start: TimeExpression = Field(description="time expression; first session")
    weeks: number_type(1, 52, integer=True) = Field(  # type: ignore[valid-type]
        default=10, description="participation in weeks, 1 to 52; default 10 (CBSM)")

    def resolve(self, ctx: Context, prefix: str) -> Effect:
        t0 = ctx.time(self.start, f"{prefix}.start")
        t1 = t0 + 7 * HOURS_PER_DAY * self.weeks
        ctx.require_end(t1, f"{prefix}.weeks", self.weeks)
        return level(SUPPORT_GROUP.name, np.array([t0]), np.array([t1]), 1.0)

