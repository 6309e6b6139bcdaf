"""Person traits -> parameter values. The only place where a scenario's person meets the model."""

from __future__ import annotations


def _clock_hours(text: str) -> float:
    hh, mm = str(text).split(":")
    return int(hh) + int(mm) / 60.0


def person_overrides(person, start_clock_h: float) -> dict[str, float]:
    """Parameter overrides (declared units) for a :class:`~nicsim.protocols.Person`."""
    out = {
        "clock.start_clock": float(start_clock_h),
        "psyche.f_stress_reactivity": float(person.stress_reactivity),
        "hpa.f_gr_sensitivity": float(person.gr_sensitivity),
        "hpa.male": 1.0 if person.sex == "male" else 0.0,
        "ans.age": float(person.age),
    }
    sleep = getattr(person, "sleep", None)
    if sleep is not None:
        wake = getattr(sleep, "wake", "07:00")
        out["clock.habitual_wake"] = wake if isinstance(wake, float) else _clock_hours(wake)
    return out
