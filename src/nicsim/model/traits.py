"""Person traits -> parameter values. The only place where a scenario's person meets the model.

A trait whose target parameter is not in the model (a module not installed) is skipped.
"""

from __future__ import annotations

CONDITIONS = ("acne", "eczema", "psoriasis", "rosacea", "vitiligo")


def _clock_hours(text) -> float:
    if isinstance(text, (int, float)):
        return float(text)
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
        out["clock.habitual_wake"] = _clock_hours(getattr(sleep, "wake", "07:00"))
    susc = getattr(person, "susceptibility", None)
    if susc is not None:
        for cond in CONDITIONS:
            value = getattr(susc, cond, None) if not isinstance(susc, dict) else susc.get(cond)
            if value is not None:
                out[f"{cond}.f_susceptibility"] = float(value)
    for attr, pid in (("distress_sensitivity", "distress.f_distress_sensitivity"),
                      ("lesion_visibility", "distress.visibility"),
                      ("social_support", "social.support_0")):
        if getattr(person, attr, None) is not None:
            out[pid] = float(getattr(person, attr))
    if getattr(person, "hsv1_seropositive", None) is not None:
        out["herpes.seropositive"] = 1.0 if person.hsv1_seropositive else 0.0
    return out
