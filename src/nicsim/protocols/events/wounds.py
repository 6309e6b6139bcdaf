"""Experimental wounds: punch biopsy and suction blister of the skin, punch wound of the oral
mucosa. Each jumps the wound area of its site by the area of a circle of the diameter."""

from __future__ import annotations

import math
from typing import Annotated, ClassVar, Literal

import numpy as np
from pydantic import Field

from nicsim.protocols.spec import (
    Context,
    Effect,
    EventBase,
    Jump,
    TimeExpression,
    quantity_type,
    quantity_value,
    with_unit,
)

SKIN_WOUND_TARGET = "wound.skin_area"
MUCOSAL_WOUND_TARGET = "wound.mucosal_area"
BLISTER_WOUND_TARGET = "wound.blister_area"

Diameter = Annotated[quantity_type("mm", hi=10.0, lo=1.0, lo_open=False, label="mm"),
                     with_unit("mm")]


def _area_mm2(diameter_mm: float) -> float:
    return math.pi * (diameter_mm / 2.0) ** 2


class _Wound(EventBase):
    at: TimeExpression = Field(description="time expression; when the wound is made")

    @property
    def diameter_mm(self) -> float:
        return quantity_value(self.diameter, "mm")  # type: ignore[attr-defined]

    @property
    def area_mm2(self) -> float:
        return _area_mm2(self.diameter_mm)

    def resolve(self, ctx: Context, prefix: str) -> Effect:
        t = ctx.time(self.at, f"{prefix}.at")
        return Effect(jumps=[Jump(self.jump_targets[0], np.array([t]), self.area_mm2)])


class PunchBiopsy(_Wound):
    """Standardised punch-biopsy wound of the skin, e.g. a 3.5-mm punch biopsy on the forearm
    in dementia caregivers (Kiecolt-Glaser et al. 1995, Lancet 346:1194).

    ``diameter`` 1 to 10 mm ('3.5 mm' or a number of mm); default 3.5 mm. Acts as a jump on
    state ``wound.skin_area`` (+= pi (d/2)^2 mm2) at ``at``.
    """

    type: Literal["punch_biopsy"] = "punch_biopsy"
    jump_targets: ClassVar[tuple[str, ...]] = (SKIN_WOUND_TARGET,)
    effect: ClassVar[str] = "jump += pi (d/2)^2 (mm2)"
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
    jump_targets: ClassVar[tuple[str, ...]] = (BLISTER_WOUND_TARGET,)
    effect: ClassVar[str] = "jump += pi (d/2)^2 (mm2)"
    diameter: Diameter = Field(default="8 mm", description="mm, 1 to 10; default 8")


class MucosalWound(_Wound):
    """Punch wound of the oral mucosa (hard palate), e.g. 3.5-mm wounds made during
    examinations and during summer vacation (Marucha, Kiecolt-Glaser & Favagehi 1998, Psychosom
    Med 60:362).

    ``diameter`` 1 to 10 mm; default 3.5 mm. Acts as a jump on state ``wound.mucosal_area``
    (+= pi (d/2)^2 mm2) at ``at``.
    """

    type: Literal["mucosal_wound"] = "mucosal_wound"
    jump_targets: ClassVar[tuple[str, ...]] = (MUCOSAL_WOUND_TARGET,)
    effect: ClassVar[str] = "jump += pi (d/2)^2 (mm2)"
    diameter: Diameter = Field(default="3.5 mm", description="mm, 1 to 10; default 3.5")

