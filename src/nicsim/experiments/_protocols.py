"""Scenario builders shared by the study classes."""

from __future__ import annotations

from nicsim.protocols import Scenario

PERSON = {"sex": "female", "age": 30, "sleep": {"bedtime": "23:00", "wake": "07:00"}}


def scenario(name: str, duration: str, protocol: list[dict], *, start: str = "07:00",
             interval: str = "2 min", person: dict | None = None) -> Scenario:
    return Scenario.from_dict({
        "name": name, "start": start, "duration": duration, "output_interval": interval,
        "person": person or PERSON, "protocol": protocol})


def tsst(intensity: float = 1.0, person: dict | None = None, extra: list | None = None):
    """TSST (10 min anticipation + 10 min speech/arithmetic) at 14:00 on day 1."""
    return scenario("tsst", "12 h", [{"type": "acute_stressor", "start": "day 1 14:00",
                                       "duration": "20 min", "intensity": intensity}]
                    + (extra or []), start="06:00", person=person)


def endotoxemia(extra: list | None = None):
    """E. coli LPS 2 ng/kg i.v. bolus at 09:00 on day 1 (scenario starts 06:00)."""
    return scenario("endotoxemia", "24 h",
                    [{"type": "lps_bolus", "at": "day 1 09:00", "dose": "2 ng/kg"}]
                    + (extra or []), start="06:00")
