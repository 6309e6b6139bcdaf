"""Property tests: random valid scenarios compile consistently; garbage only raises
ScenarioError."""

from __future__ import annotations

import copy
import math
import os

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nicsim.errors import ScenarioError
from nicsim.protocols import KNOWN_INPUTS, KNOWN_JUMP_TARGETS, Scenario, compile_schedule
from nicsim.protocols.schedule import INTENSITY_CAPS
from nicsim.protocols.spec import WEEKLY_PATTERNS

# NICSIM_HYPOTHESIS_EXAMPLES=2000 for a longer search
EXAMPLES = int(os.environ.get("NICSIM_HYPOTHESIS_EXAMPLES", "60"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def clock(h: float) -> str:
    m = int(round(h * 60)) % 1440
    return f"{m // 60:02d}:{m % 60:02d}"


# ----------------------------------------------------------------------------- valid scenarios
@st.composite
def valid_scenarios(draw):
    """A random valid scenario and, computed independently, what each input should integrate
    to. Awake-only sessions lie between 10:30 and 21:30; habitual sleep is within 22:00-10:00."""
    n_days = draw(st.integers(3, 12))
    D = 24.0 * n_days
    s = draw(st.integers(0, 95)) * 0.25  # start clock, quarter hours
    bed = draw(st.sampled_from([22.0, 22.5, 23.0, 23.5, 0.0, 0.5, 1.0]))
    length = draw(st.sampled_from([6.0, 7.0, 7.5, 8.0, 9.0]))
    wake = (bed + length) % 24
    wd0 = draw(st.integers(0, 6))
    events: list[dict] = []
    expect = {name: 0.0 for name in KNOWN_INPUTS}
    boluses: list[tuple[float, float]] = []

    def t_of(day: int, clock_h: float) -> float:
        return (day - 1) * 24.0 - s + clock_h

    for _ in range(draw(st.integers(0, 3))):  # acute stressors
        day = draw(st.integers(2, n_days - 1))
        c = draw(st.integers(42, 76)) * 0.25  # 10:30 .. 19:00
        dur_min = draw(st.integers(1, 150))
        inten = draw(st.floats(0, 3, allow_nan=False))
        events.append({"type": "acute_stressor", "start": f"day {day} {clock(c)}",
                       "duration": f"{dur_min} min", "intensity": inten})
        expect["acute_stressor"] += inten * dur_min / 60
    for _ in range(draw(st.integers(0, 2 if n_days >= 4 else 0))):  # chronic stressors
        day = draw(st.integers(1, n_days - 3))
        period = draw(st.integers(3, n_days - day))
        load = draw(st.floats(0, 1, allow_nan=False))
        ev = {"type": "chronic_stressor", "start": f"day {day}", "period": f"{period} days",
              "load": load}
        window = None
        if draw(st.booleans()):
            a = draw(st.integers(0, 23))
            b = (a + draw(st.integers(1, 23))) % 24
            window = (float(a), float(b))
            ev["daily_window"] = {"from": clock(a), "to": clock(b)}
        weekdays = draw(st.booleans())
        ev["weekdays_only"] = weekdays
        events.append(ev)
        t0 = max(0.0, t_of(day, 0.0))
        t1 = t0 + 24.0 * period
        total = 0.0
        for j in range(-2, n_days + 2):  # 0-based calendar days, plain loop as an oracle
            if weekdays and (wd0 + j) % 7 >= 5:
                continue
            if window is None:
                lo, hi = j * 24.0 - s, (j + 1) * 24.0 - s
                if not weekdays:
                    lo, hi = -1e9, 1e9
            else:
                lo = j * 24.0 - s + window[0]
                hi = lo + (window[1] - window[0]) % 24
            total += max(0.0, min(hi, t1) - max(lo, t0))
            if window is None and not weekdays:
                break
        expect["chronic_stressor"] += load * total
    for _ in range(draw(st.integers(0, 3))):  # LPS boluses
        t = draw(st.floats(0, D - 0.01, allow_nan=False))
        dose = draw(st.floats(0.01, 4.0))
        events.append({"type": "lps_bolus", "at": f"+{t!r} h", "dose": f"{dose!r} ng/kg"})
        boluses.append((t, dose))
    if draw(st.booleans()):  # LPS infusion
        dur = draw(st.floats(0.1, 8.0))
        rate = draw(st.floats(0.01, 4.0 / dur))
        start = draw(st.floats(0, D - dur))
        events.append({"type": "lps_infusion", "start": f"+{start!r} h", "duration": f"{dur!r} h",
                       "rate": f"{rate!r} ng/kg/h"})
        expect["lps_infusion"] += rate * dur
    if draw(st.booleans()):  # hydrocortisone
        dur = draw(st.floats(0.1, 24.0))
        rate = draw(st.floats(0.01, 20.0))
        start = draw(st.floats(0, D - dur))
        events.append({"type": "hydrocortisone_infusion", "start": f"+{start!r} h",
                       "duration": f"{dur!r} h", "rate": f"{rate!r} mg/h"})
        expect["hydrocortisone_infusion"] += rate * dur
    for _ in range(draw(st.integers(0, 2))):  # VNS, any time of day
        day = draw(st.integers(2, n_days - 1))
        c = draw(st.integers(0, 95)) * 0.25
        ndays = draw(st.integers(1, n_days - day))
        dur = draw(st.floats(0.05, 20.0))
        inten = draw(st.floats(0, 1))
        ev = {"type": "vagus_nerve_stimulation", "start": f"day {day} {clock(c)}",
              "duration": f"{dur!r} h", "intensity": inten}
        if ndays > 1 or draw(st.booleans()):
            ev["days"] = ndays
        events.append(ev)
        expect["vns"] += inten * dur * ndays
    for c in draw(st.lists(st.sampled_from([11.0, 14.0, 17.0]), unique=True, max_size=2)):
        day = draw(st.integers(2, n_days - 1))
        ndays = draw(st.integers(1, n_days - day))
        sess = draw(st.integers(1, 120))
        events.append({"type": "slow_breathing", "start": f"day {day} {clock(c)}",
                       "session": f"{sess} min", "days": ndays, "rate": draw(st.floats(4, 10))})
        expect["slow_breathing"] += ndays * sess / 60
    if n_days >= 9 and draw(st.booleans()):
        spw = draw(st.integers(1, 7))
        practice = draw(st.integers(5, 180))
        events.append({"type": "mindfulness_programme", "start": "day 2 18:30", "weeks": 1,
                       "daily_practice": f"{practice} min", "sessions_per_week": spw})
        expect["mindfulness_practice"] += spw * practice / 60
    skin_jumps, hassle_unit = _skin_events(draw, events, expect, n_days, D, s)
    deprived: dict[int, tuple[float, float] | None] = {}
    for night in draw(st.lists(st.integers(1, n_days - 1), unique=True, max_size=3)):
        if draw(st.booleans()):
            events.append({"type": "sleep_deprivation", "night": night, "total": True})
            deprived[night] = None
        else:
            b = (wake - draw(st.sampled_from([1.0, 2.0, 3.5]))) % 24  # after midnight
            events.append({"type": "sleep_deprivation", "night": night, "bedtime": clock(b)})
            deprived[night] = (b, wake)
    order = draw(st.permutations(range(len(events))))
    events = [events[i] for i in order]
    asleep = scheduled = 0.0
    for n in range(0, n_days + 2):  # oracle for the asleep and sleep_scheduled integrals
        for b, w, key in ((bed, wake, "scheduled"), (*(deprived.get(n) or (bed, wake)), "")):
            if key == "" and n in deprived and deprived[n] is None:
                continue
            on = (n - 1) * 24.0 - s + b + (24.0 if b < 12 else 0.0)
            off = on + (w - b) % 24
            hours = max(0.0, min(off, D) - max(on, 0.0))
            if key:
                scheduled += hours
            else:
                asleep += hours
    expect["asleep"] = asleep
    expect["sleep_scheduled"] = scheduled  # deprivation does not change the schedule
    data = {"name": "random", "duration": f"{n_days} days", "start": clock(s),
            "start_weekday": ["monday", "tuesday", "wednesday", "thursday", "friday",
                              "saturday", "sunday"][wd0],
            "person": {"sleep": {"bedtime": clock(bed), "wake": clock(wake)}},
            "protocol": events}
    return data, expect, boluses, skin_jumps, hassle_unit


def _skin_events(draw, events, expect, n_days, D, s):
    """Draw skin/systemic events (at most one of each level type, so they never overlap);
    returns the expected jump sums per target and the size of one hassle (or None)."""
    jumps = {t: 0.0 for t in KNOWN_JUMP_TARGETS}
    for typ, target, lo, hi, unit in (
            ("intradermal_substance_p", "neuro.sp_injected", 0.01, 1000.0, "pmol"),
            ("intranasal_oxytocin", "social.oxytocin_nasal", 1.0, 80.0, "IU")):
        for _ in range(draw(st.integers(0, 2))):
            t = draw(st.floats(0, D - 0.01))
            dose = draw(st.floats(lo, hi))
            events.append({"type": typ, "at": f"+{t!r} h", "dose": f"{dose!r} {unit}"})
            jumps[target] += dose
    for typ, target in (("punch_biopsy", "wound.skin_area"),
                        ("blister_wound", "wound.blister_area"),
                        ("mucosal_wound", "wound.mucosal_area")):
        if draw(st.booleans()):
            d = draw(st.floats(1.0, 10.0))
            events.append({"type": typ, "at": f"+{draw(st.floats(0, D - 0.01))!r} h",
                           "diameter": d})
            jumps[target] += math.pi * d * d / 4
    for _ in range(draw(st.integers(0, 2))):  # tape stripping
        t = f"+{draw(st.floats(0, D - 0.01))!r} h"
        if draw(st.booleans()):
            n = draw(st.integers(1, 60))
            events.append({"type": "tape_stripping", "at": t, "strips": n})
            jumps["barrier.integrity"] -= 1 - 0.95 ** n
        else:
            f = draw(st.floats(0.001, 0.999))
            events.append({"type": "tape_stripping", "at": t, "fraction": f})
            jumps["barrier.integrity"] -= f
    if n_days >= 6 and draw(st.booleans()):  # one week of NB-UVB
        spw = draw(st.integers(1, 5))
        last = WEEKLY_PATTERNS[spw][-1] * 24.0
        t0 = draw(st.floats(0, D - last - 0.01))
        dose = draw(st.floats(0.01, 1.5))
        inc = draw(st.floats(0.0, 0.3))
        cap = draw(st.floats(dose, 3.0))
        events.append({"type": "nb_uvb", "at": f"+{t0!r} h", "weeks": 1, "sessions_per_week": spw,
                       "dose": f"{dose!r} J/cm2", "increment": f"{inc!r} J/cm^2",
                       "max_dose": f"{cap!r} J/cm2"})
        jumps["psoriasis.uvb_dose"] += sum(min(dose + k * inc, cap) for k in range(spw))
    for typ in ("h1_antihistamine", "nk1_antagonist", "crh_antagonist"):
        if draw(st.booleans()):
            ndays = draw(st.integers(1, n_days - 1))
            dur = draw(st.floats(0.1, 24.0))
            t0 = draw(st.floats(0, D - 24.0 * (ndays - 1) - dur))
            b = draw(st.floats(0, 1))
            events.append({"type": typ, "start": f"+{t0!r} h", "duration": f"{dur!r} h",
                           "days": ndays, "blockade": b})
            expect[typ] += b * dur * ndays
    for typ, key in (("social_support", "level"), ("rosacea_trigger", "intensity")):
        if draw(st.booleans()):
            ndays = draw(st.integers(1, n_days - 2))
            v = draw(st.floats(0, 1))
            ev = {"type": typ, "start": "day 1", "days": ndays, key: v}
            if draw(st.booleans()):
                a = draw(st.integers(0, 23))
                length = draw(st.integers(1, 23))
                ev["daily_window"] = {"from": clock(a), "to": clock((a + length) % 24)}
            else:
                length = draw(st.floats(0.05, 24.0))
                ev["duration"] = f"{length!r} h"
            events.append(ev)
            expect[typ] += v * length * ndays
    for typ, key in (("emollient", "coverage"), ("topical_corticosteroid", "potency"),
                     ("retinoid_bpo", None)):
        if draw(st.booleans()):
            period = draw(st.floats(0.1, D))
            t0 = draw(st.floats(0, D - period))
            ev = {"type": typ, "start": f"+{t0!r} h", "period": f"{period!r} h"}
            v = 1.0
            if key == "coverage":
                v = ev[key] = draw(st.floats(0, 1))
            elif key == "potency":
                v = ev[key] = draw(st.integers(1, 4))
            events.append(ev)
            expect[typ] += v * period
    if n_days >= 8 and draw(st.booleans()):
        t0 = draw(st.floats(0, D - 168.0))
        events.append({"type": "support_group", "start": f"+{t0!r} h", "weeks": 1})
        expect["support_group"] += 168.0
    if draw(st.booleans()):  # hypnosis in the evening, awake
        day = draw(st.integers(2, n_days - 1))
        ndays = draw(st.integers(1, n_days - day))
        spw = draw(st.integers(1, 7))
        sess = draw(st.integers(1, 120))
        events.append({"type": "hypnosis_relaxation", "start": f"day {day} 19:30",
                       "session": f"{sess} min", "days": ndays, "sessions_per_week": spw})
        n_sess = sum(1 for k in range(ndays) if k % 7 in WEEKLY_PATTERNS[spw])
        expect["relaxation_practice"] += n_sess * sess / 60
    hassle = None
    if draw(st.booleans()):
        period = draw(st.integers(1, int(D)))
        inten = draw(st.floats(0.01, 1))
        dur = draw(st.integers(1, 120))
        events.append({"type": "daily_hassles", "start": "day 1", "period": f"{period} h",
                       "per_day": draw(st.floats(0, 20)), "intensity": inten,
                       "duration": f"{dur} min", "seed": draw(st.integers(0, 2**32))})
        hassle = inten * dur / 60
    return jumps, hassle


@SETTINGS
@given(valid_scenarios())
def test_random_valid_scenarios_compile_consistently(case):
    data, expect, boluses, skin_jumps, hassle = case
    scenario = Scenario.from_dict(data)
    capped = compile_schedule(scenario, KNOWN_INPUTS, KNOWN_JUMP_TARGETS)
    # the plain sums hold the integrals; the default schedule caps overlapping intensities
    sched = compile_schedule(scenario, KNOWN_INPUTS, KNOWN_JUMP_TARGETS, intensity_caps={})
    np.testing.assert_array_equal(capped.breaks, sched.breaks)
    for col, name in enumerate(KNOWN_INPUTS):
        cap = INTENSITY_CAPS.get(name, np.inf)
        np.testing.assert_array_equal(capped.inputs[:, col],
                                      np.minimum(sched.inputs[:, col], cap), err_msg=name)
    b = sched.breaks
    assert b[0] == 0.0 and b[-1] == scenario.duration_h
    assert np.all(np.diff(b) > 1e-9)
    assert sched.inputs.shape == (b.size - 1, len(KNOWN_INPUTS))
    assert np.all(sched.inputs >= 0)
    assert set(np.unique(sched.input("asleep")[1])) <= {0.0, 1.0}
    for name, value in expect.items():
        if name == "acute_stressor" and hassle is not None:  # plus a whole number of hassles
            extra = (sched.integral(name) - value) / hassle
            assert extra == pytest.approx(round(extra), abs=1e-6) and round(extra) >= 0
            continue
        assert sched.integral(name) == pytest.approx(value, rel=1e-9, abs=1e-6), name
    awake_only = sched.input("acute_stressor")[1][sched.input("asleep")[1] > 0]
    assert np.all(awake_only == 0)
    assert np.all(sched.input("relaxation_practice")[1][sched.input("asleep")[1] > 0] == 0)
    for col, target in enumerate(KNOWN_JUMP_TARGETS[1:], start=1):
        assert sched.jumps[:, col].sum() == pytest.approx(skin_jumps[target], rel=1e-9,
                                                          abs=1e-9), target
    jumps = sched.jumps[:, 0]
    assert jumps.sum() == pytest.approx(sum(d for _, d in boluses), rel=1e-12)
    for t, _ in boluses:
        k = sched.segment_at(t)
        assert abs(b[k] - t) < 1e-8 or abs(b[min(k + 1, b.size - 1)] - t) < 1e-8
        assert jumps[np.argmin(np.abs(b[:-1] - t))] > 0
    # round trip keeps the schedule
    again = compile_schedule(Scenario.from_yaml(scenario.to_yaml()), KNOWN_INPUTS,
                             KNOWN_JUMP_TARGETS)
    np.testing.assert_array_equal(again.breaks, sched.breaks)
    np.testing.assert_array_equal(again.inputs, capped.inputs)


# ----------------------------------------------------------------------------- garbage
KEYS = ["name", "description", "start", "start_weekday", "duration", "output_interval",
        "outputs", "rtol", "person", "protocol", "type", "at", "dose", "rate", "intensity",
        "load", "period", "daily_window", "from", "to", "weekdays_only", "night", "total",
        "bedtime", "wake", "from_day", "to_day", "days", "session", "weeks", "daily_practice",
        "sessions_per_week", "mode", "sex", "age", "sleep", "stress_reactivity",
        "gr_sensitivity", "susceptibility", "acne", "eczema", "psoriasis", "rosacea", "vitiligo",
        "distress_sensitivity", "lesion_visibility", "social_support", "hsv1_seropositive",
        "blockade", "strips", "fraction", "diameter", "level", "coverage", "potency", "increment",
        "max_dose", "per_day", "seed", "duration"]
TEXT = st.one_of(
    st.text(max_size=20),
    st.sampled_from(["acute_stressor", "chronic_stressor", "sleep_schedule",
                     "sleep_deprivation", "lps_bolus", "lps_infusion", "hydrocortisone_infusion",
                     "vagus_nerve_stimulation", "slow_breathing", "mindfulness_programme",
                     "intradermal_substance_p", "h1_antihistamine", "nk1_antagonist",
                     "crh_antagonist", "tape_stripping", "punch_biopsy", "blister_wound",
                     "mucosal_wound", "social_support", "support_group", "intranasal_oxytocin",
                     "hypnosis_relaxation", "emollient", "topical_corticosteroid",
                     "retinoid_bpo", "rosacea_trigger", "nb_uvb", "daily_hassles", "25 pmol",
                     "24 IU", "0.5 J/cm2", "3.5 mm", "potent", "very potent", "8 mm",
                     "day 1 14:00", "day 0 14:00", "14:00", "25:00", "+36 h", "-3 h", "2 days",
                     "20 min", "0 min", "-1 h", "2 ng/kg", "2 mg", "1e400 h", "nan h",
                     "6 /min", "5 mg/h", "1 ng/kg/h", "female", "monday", "3 ** 2 h",
                     "1j h", "day 99999999999 10:00", "+1e308 days"]),
)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10**30, 10**30),
                    st.floats(allow_nan=True, allow_infinity=True), TEXT)
GARBAGE = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=5), st.integers()),
                        children, max_size=5),
    ),
    max_leaves=20,
)

BASE = {
    "name": "base", "duration": "9 days", "start": "07:00",
    "person": {"sex": "male", "age": 40, "sleep": {"bedtime": "23:00", "wake": "07:00"},
               "susceptibility": {"acne": 1, "psoriasis": 2.5}, "distress_sensitivity": 1.2,
               "lesion_visibility": 0.6, "social_support": 0.3, "hsv1_seropositive": True},
    "protocol": [
        {"type": "acute_stressor", "start": "day 2 14:00", "duration": "20 min",
         "intensity": 1.0},
        {"type": "chronic_stressor", "start": "day 1", "period": "5 days", "load": 0.5,
         "daily_window": {"from": "09:00", "to": "17:00"}, "weekdays_only": True},
        {"type": "sleep_schedule", "from_day": 3, "to_day": 4, "bedtime": "00:00",
         "wake": "08:00"},
        {"type": "sleep_deprivation", "night": 6, "bedtime": "03:00"},
        {"type": "lps_bolus", "at": "day 5 08:00", "dose": "2 ng/kg"},
        {"type": "lps_infusion", "start": "day 5 09:00", "duration": "1 h",
         "rate": "1 ng/kg/h"},
        {"type": "hydrocortisone_infusion", "start": "+100 h", "duration": "2 h",
         "rate": "5 mg/h"},
        {"type": "vagus_nerve_stimulation", "start": "day 1 12:00", "duration": "1 h",
         "days": 3, "intensity": 0.5},
        {"type": "slow_breathing", "start": "day 1 18:00", "days": 3, "rate": 6},
        {"type": "mindfulness_programme", "start": "day 1 19:00", "weeks": 1},
        {"type": "intradermal_substance_p", "at": "day 2 10:00", "dose": "25 pmol"},
        {"type": "h1_antihistamine", "start": "day 1 08:00", "days": 3, "blockade": 0.9},
        {"type": "nk1_antagonist", "start": "day 1 08:00", "duration": "12 h"},
        {"type": "crh_antagonist", "start": "day 2 08:00", "blockade": 0.5},
        {"type": "tape_stripping", "at": "day 2 09:00", "strips": 20},
        {"type": "tape_stripping", "at": "day 3 09:00", "fraction": 0.3},
        {"type": "punch_biopsy", "at": "day 2 11:00", "diameter": "3.5 mm"},
        {"type": "blister_wound", "at": "day 2 11:30", "diameter": 8},
        {"type": "mucosal_wound", "at": "day 2 12:00"},
        {"type": "social_support", "start": "day 1", "days": 3,
         "daily_window": {"from": "18:00", "to": "21:00"}, "level": 0.5},
        {"type": "support_group", "start": "day 1 18:00", "weeks": 1},
        {"type": "intranasal_oxytocin", "at": "day 2 13:10", "dose": "24 IU"},
        {"type": "hypnosis_relaxation", "start": "day 1 20:00", "session": "30 min", "days": 7,
         "sessions_per_week": 2},
        {"type": "emollient", "start": "day 1", "period": "1 week", "coverage": 0.8},
        {"type": "topical_corticosteroid", "start": "day 1", "period": "5 days",
         "potency": "potent"},
        {"type": "retinoid_bpo", "start": "day 1", "period": "1 week"},
        {"type": "rosacea_trigger", "start": "day 2 12:00", "duration": "1 h", "days": 2,
         "intensity": 0.7},
        {"type": "nb_uvb", "at": "day 1 09:00", "weeks": 1, "dose": "0.5 J/cm2",
         "increment": "0.1 J/cm2", "max_dose": "1 J/cm2"},
        {"type": "daily_hassles", "start": "day 1", "period": "1 week", "per_day": 3,
         "intensity": 0.2, "duration": "10 min", "seed": 1},
    ],
}


def _paths(obj, prefix=()):
    yield prefix
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _paths(v, prefix + (i,))


PATHS = [p for p in _paths(BASE) if p]


def _outcome(data):
    """Validate; if valid, it must also compile. Anything but ScenarioError fails the test."""
    try:
        scenario = Scenario.from_dict(data)
    except ScenarioError as exc:
        assert exc.field and isinstance(exc.allowed, str)
        assert "validation error" not in str(exc)
        return
    compile_schedule(scenario, KNOWN_INPUTS, KNOWN_JUMP_TARGETS)
    assert Scenario.from_yaml(scenario.to_yaml()) == scenario


def test_base_scenario_is_valid():
    Scenario.from_dict(BASE)


@SETTINGS
@given(GARBAGE)
def test_garbage_only_raises_scenario_error(data):
    _outcome(data)


@SETTINGS
@given(st.dictionaries(st.sampled_from(KEYS), GARBAGE, max_size=6))
def test_garbage_top_level_keys_only_raise_scenario_error(data):
    _outcome({"name": "x", "duration": "2 days", **data})


@settings(max_examples=EXAMPLES * 3, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(PATHS), GARBAGE), min_size=1, max_size=3),
       st.booleans())
def test_mutated_valid_scenarios_only_raise_scenario_error(mutations, delete):
    data = copy.deepcopy(BASE)
    for path, value in mutations:
        target = data
        try:
            for key in path[:-1]:
                target = target[key]
            if delete and isinstance(target, dict):
                target.pop(path[-1], None)
            else:
                target[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation changed the shape
    _outcome(data)


@SETTINGS
@given(st.text(max_size=200))
def test_garbage_yaml_text_only_raises_scenario_error(text):
    try:
        Scenario.from_yaml(text if "\n" in text or not text.endswith(".yaml") else text + "\n")
    except ScenarioError:
        pass


def test_nan_and_inf_are_rejected():
    for bad in (math.nan, math.inf, "nan", "inf"):
        with pytest.raises(ScenarioError):
            Scenario.from_dict({**BASE, "rtol": bad})
