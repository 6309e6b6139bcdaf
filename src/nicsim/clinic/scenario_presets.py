"""The explorer's presets: a named situation and plan items as protocol events.

Each situation or plan item of the explorer (``nicsim serve``) becomes events of
:mod:`nicsim.protocols`; the numbers (stressor loads, session lengths, doses) are the
explorer's stated assumptions, listed back to the page in words (:data:`SITUATIONS`,
:data:`PLANS`) and event by event. No model equations live here; the web app only calls
:func:`preset_scenarios`.
"""

from __future__ import annotations

from typing import Any

SITUATIONS = {
    "none": "no particular stress",
    "chronic_work_stress": "chronic work stress (workdays 09:00-17:00)",
    "exam_week": "exam week (week 2, with the exam on day 12)",
    "short_nights": "short nights (01:00-06:00 every night)",
    "conflict": "conflict at home (daily hassles)",
    "tsst": "a TSST-like public-speaking test (day 3, 14:00)",
}
PLANS = {
    "slow_breathing": "slow breathing, 20 min daily at 08:00",
    "mindfulness": "mindfulness, 30 min daily at 19:00",
    "sleep_schedule": "sleep schedule 23:00-07:00 (replaces short nights)",
    "social_support": "social support, 2 h each evening",
    "emollient": "emollient, whole horizon",
    "topical_steroid": "moderate topical steroid, first 2 weeks",
    "nb_uvb": "NB-UVB three times a week",
}


def situation_events(situation: str, days: int) -> list[dict]:
    """Events of the named situation over ``days`` days (one of :data:`SITUATIONS`)."""
    s = situation
    if s == "chronic_work_stress":
        return [{"type": "chronic_stressor", "start": "day 1", "period": f"{days} days",
                 "load": 0.5, "daily_window": {"from": "09:00", "to": "17:00"},
                 "weekdays_only": True}]
    if s == "exam_week":
        first = min(8, days)
        span = max(1, min(7, days - first + 1))
        ev = [{"type": "chronic_stressor", "start": f"day {first}", "period": f"{span} days",
               "load": 0.7, "daily_window": {"from": "08:00", "to": "22:00"}}]
        exam = min(12, days)
        ev.append({"type": "acute_stressor", "start": f"day {exam} 10:00", "duration": "2 h",
                   "intensity": 1.0})
        return ev
    if s == "short_nights":
        return [{"type": "sleep_schedule", "from_day": 1, "to_day": days, "bedtime": "01:00",
                 "wake": "06:00"}]
    if s == "conflict":
        return [{"type": "daily_hassles", "start": "day 1", "period": f"{days} days",
                 "per_day": 3, "intensity": 0.4, "seed": 1}]
    if s == "tsst":
        return [{"type": "acute_stressor", "start": f"day {min(3, days)} 14:00",
                 "duration": "20 min", "intensity": 1.0}]
    return []


def plan_events(plan: list[str], days: int) -> list[dict]:
    """Events of the plan items (keys of :data:`PLANS`) over ``days`` days."""
    weeks = max(1, days // 7)
    ev: list[dict] = []
    for p in plan:
        if p == "slow_breathing":
            ev.append({"type": "slow_breathing", "start": "day 1 08:00", "session": "20 min",
                       "days": days - 1})
        elif p == "mindfulness":
            ev.append({"type": "mindfulness_programme", "start": "day 1 19:00",
                       "weeks": weeks, "daily_practice": "30 min", "sessions_per_week": 7})
        elif p == "sleep_schedule":
            ev.append({"type": "sleep_schedule", "from_day": 1, "to_day": days,
                       "bedtime": "23:00", "wake": "07:00"})
        elif p == "social_support":
            ev.append({"type": "social_support", "start": "day 1 19:00", "duration": "2 h",
                       "days": days - 1, "level": 1.0})
        elif p == "emollient":
            ev.append({"type": "emollient", "start": "day 1", "period": f"{days} days",
                       "coverage": 0.8})
        elif p == "topical_steroid":
            ev.append({"type": "topical_corticosteroid", "start": "day 1",
                       "period": f"{min(14, days)} days", "potency": "moderate"})
        elif p == "nb_uvb":
            ev.append({"type": "nb_uvb", "at": "day 1 09:00", "sessions_per_week": 3,
                       "weeks": max(1, (days - 1) // 7), "dose": "0.3 J/cm2",
                       "increment": "0.05 J/cm2", "max_dose": "1.5 J/cm2"})
    return ev


def preset_scenarios(*, sex: str, age: float, stress_reactivity: float, condition: str,
                     susceptibility: float, situation: str, plan: list[str],
                     weeks: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """(no plan, with plan) scenario dicts for :meth:`nicsim.Scenario.from_dict`."""
    days = 7 * weeks
    person: dict[str, Any] = {"sex": sex, "age": age, "stress_reactivity": stress_reactivity}
    if condition != "none":
        person["susceptibility"] = {condition: susceptibility}
    base = {"start": "07:00", "start_weekday": "monday", "duration": f"{days} days",
            "output_interval": "1 h", "person": person}
    events = situation_events(situation, days)
    plan_ev = plan_events(plan, days)
    if "sleep_schedule" in plan:  # the plan's regular nights replace the short nights
        plan_situation = [e for e in events if e["type"] != "sleep_schedule"]
    else:
        plan_situation = events
    return ({**base, "name": "explorer_no_plan", "protocol": events},
            {**base, "name": "explorer_plan", "protocol": plan_situation + plan_ev})
