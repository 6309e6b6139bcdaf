"""Compiling scenarios into piecewise-constant inputs and jumps."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

from nicsim.errors import ScenarioError
from nicsim.protocols import KNOWN_INPUTS, Scenario, compile_schedule
from nicsim.protocols.schedule import merge_breaks

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "scenarios"


def make(*events, **top):
    return Scenario.from_dict({"name": "t", "duration": "3 days", "protocol": list(events),
                               **top})


def compiled(*events, inputs=KNOWN_INPUTS, **top):
    return compile_schedule(make(*events, **top), inputs)


def windows(schedule, name):
    """[(on, off, value)] of the non-zero stretches of an input."""
    b, v = schedule.input(name)
    out = []
    for k in np.nonzero(v)[0]:
        if out and out[-1][1] == b[k] and out[-1][2] == v[k]:
            out[-1] = (out[-1][0], b[k + 1], v[k])
        else:
            out.append((b[k], b[k + 1], v[k]))
    return out


def check_structure(s):
    assert s.breaks[0] == 0.0
    assert np.all(np.diff(s.breaks) > 1e-9)
    assert s.inputs.shape == (s.n_segments, len(s.input_names))
    assert s.jumps.shape == (s.n_segments, len(s.jump_targets))


# ----------------------------------------------------------------------------- sleep
def test_asleep_windows_default_schedule():
    s = compiled()
    check_structure(s)
    assert s.breaks[-1] == 72.0
    assert windows(s, "asleep") == [(16.0, 24.0, 1.0), (40.0, 48.0, 1.0), (64.0, 72.0, 1.0)]


def test_night_in_progress_at_start():
    s = compiled(start="03:00", duration="2 days")
    # t = 0 is 03:00: asleep until 07:00, then 23:00-07:00 nights
    assert windows(s, "asleep") == [(0.0, 4.0, 1.0), (20.0, 28.0, 1.0), (44.0, 48.0, 1.0)]
    assert s.value_at("asleep", 0.0) == 1.0
    assert s.value_at("asleep", 4.0) == 0.0


def test_bedtime_after_midnight_and_start_in_the_evening():
    s = compiled(start="23:30", duration="1 day",
                 person={"sleep": {"bedtime": "00:30", "wake": "08:30"}})
    assert windows(s, "asleep") == [(1.0, 9.0, 1.0)]
    s = compiled(start="23:30", duration="1 day")  # bedtime 23:00 already passed
    assert windows(s, "asleep") == [(0.0, 7.5, 1.0), (23.5, 24.0, 1.0)]


def test_sleep_events_change_the_asleep_input_and_only_schedules_the_scheduled_nights():
    s = compiled({"type": "sleep_deprivation", "night": 1, "total": True},
                 {"type": "sleep_deprivation", "night": 2, "bedtime": "03:00"},
                 {"type": "sleep_schedule", "from_day": 3, "to_day": 3, "bedtime": "21:00",
                  "wake": "09:00"},
                 duration="4 days")
    # night 1 skipped, night 2 from day 3 03:00 (t=44) to 07:00, night 3 21:00-09:00
    assert windows(s, "asleep") == [(44.0, 48.0, 1.0), (62.0, 74.0, 1.0), (88.0, 96.0, 1.0)]
    # as scheduled: night 1 (day 1 23:00 = t 16) and night 2 (t 40) in full, night 3 changed
    assert windows(s, "sleep_scheduled") == [(16.0, 24.0, 1.0), (40.0, 48.0, 1.0),
                                             (62.0, 74.0, 1.0), (88.0, 96.0, 1.0)]


def test_without_sleep_events_the_scheduled_nights_are_the_nights_slept():
    s = compiled(duration="3 days")
    assert windows(s, "sleep_scheduled") == windows(s, "asleep")


def test_habitual_sleep_needs_no_asleep_input_but_sleep_events_do():
    s = compiled(inputs=("acute_stressor",))
    assert s.input_names == ("acute_stressor",)
    with pytest.raises(ScenarioError) as exc:
        compiled({"type": "sleep_deprivation", "night": 1, "total": True},
                 inputs=("acute_stressor",))
    assert exc.value.field == "protocol[0].type"
    assert "no input 'asleep'" in str(exc.value)


# ----------------------------------------------------------------------------- stressors
def test_tsst_segments():
    s = compile_schedule(Scenario.from_yaml(EXAMPLES / "tsst.yaml"), KNOWN_INPUTS)
    check_structure(s)
    # TSST day 2 14:00 = t 31 h, 20 min
    assert windows(s, "acute_stressor") == [(31.0, pytest.approx(31 + 1 / 3), 1.0)]
    k = s.segment_at(31.0)
    assert s.breaks[k] == 31.0
    assert s.inputs[k, s.input_names.index("acute_stressor")] == 1.0
    assert s.value_at("acute_stressor", 30.999) == 0.0
    assert s.value_at("acute_stressor", 31.34) == 0.0
    assert s.integral("acute_stressor") == pytest.approx(1 / 3)


def test_overlapping_stressors_add():
    s = compiled({"type": "acute_stressor", "start": "day 1 14:00", "duration": "1 h",
                  "intensity": 1.0},
                 {"type": "acute_stressor", "start": "day 1 14:30", "duration": "1 h",
                  "intensity": 0.5},
                 {"type": "chronic_stressor", "start": "day 1 14:15", "period": "10 min",
                  "load": 0.2})
    b, v = s.input("acute_stressor")
    assert v[np.searchsorted(b, 7.0)] == 1.0
    assert s.value_at("acute_stressor", 7.6) == 1.5
    assert s.value_at("acute_stressor", 8.2) == 0.5
    assert s.value_at("acute_stressor", 8.6) == 0.0
    assert s.value_at("chronic_stressor", 7.3) == pytest.approx(0.2)


def test_chronic_weekday_window_over_two_weeks():
    s = compiled({"type": "chronic_stressor", "start": "day 1", "period": "14 days",
                  "load": 0.6, "daily_window": {"from": "09:00", "to": "17:00"},
                  "weekdays_only": True},
                 duration="14 days", start="00:00", start_weekday="monday")
    w = windows(s, "chronic_stressor")
    days = [int(on // 24) for on, _, _ in w]
    assert days == [0, 1, 2, 3, 4, 7, 8, 9, 10, 11]  # Monday-Friday of both weeks
    for on, off, val in w:
        assert on % 24 == 9.0 and off % 24 == 17.0 and val == pytest.approx(0.6)
    assert s.integral("chronic_stressor") == pytest.approx(10 * 8 * 0.6)


def test_chronic_weekdays_follow_start_weekday_and_overnight_window():
    s = compiled({"type": "chronic_stressor", "start": "day 1", "period": "7 days",
                  "load": 1.0, "daily_window": {"from": "22:00", "to": "06:00"},
                  "weekdays_only": True},
                 duration="7 days", start="00:00", start_weekday="saturday")
    w = windows(s, "chronic_stressor")
    # day 1 = Saturday: the Friday shift before the start runs into day 1 (cut at t = 0), then
    # shifts begin Monday (day 3) to Friday (day 7, cut at the end); none on Saturday/Sunday
    assert [on for on, _, _ in w] == [0.0, 70.0, 94.0, 118.0, 142.0, 166.0]
    assert w[0][1] == 6.0 and w[-1][1] == 168.0
    assert s.integral("chronic_stressor") == pytest.approx(6 + 4 * 8 + 2)


def test_chronic_all_day_load():
    s = compiled({"type": "chronic_stressor", "start": "+12 h", "period": "1 day",
                  "load": 0.3})
    assert windows(s, "chronic_stressor") == [(12.0, 36.0, pytest.approx(0.3))]


# ----------------------------------------------------------------------------- LPS & drugs
def test_bolus_jump_at_the_right_segment():
    s = compile_schedule(Scenario.from_yaml(EXAMPLES / "endotoxemia.yaml"), KNOWN_INPUTS)
    check_structure(s)
    assert s.jump_targets == ("immune.endotoxin",)
    t, size = s.jump("immune.endotoxin")
    np.testing.assert_allclose(t, [25.0])
    np.testing.assert_allclose(size, [2.0])
    k = s.segment_at(25.0)
    assert s.breaks[k] == 25.0 and s.jumps[k, 0] == 2.0
    assert s.jumps.sum() == 2.0


def test_bolus_at_time_zero_and_two_boluses():
    s = compiled({"type": "lps_bolus", "at": "+0 h", "dose": "1 ng/kg"},
                 {"type": "lps_bolus", "at": "+5 h", "dose": "0.5 ng/kg"},
                 {"type": "lps_bolus", "at": "+5 h", "dose": "500 pg/kg"})
    assert s.jumps[0, 0] == 1.0
    k = s.segment_at(5.0)
    assert s.jumps[k, 0] == pytest.approx(1.0)
    assert np.count_nonzero(s.jumps) == 2


def test_missing_jump_target_is_an_error():
    sc = make({"type": "lps_bolus", "at": "+1 h", "dose": "1 ng/kg"})
    with pytest.raises(ScenarioError) as exc:
        compile_schedule(sc, KNOWN_INPUTS, jump_targets=())
    assert exc.value.field == "protocol[0].type"
    assert "immune.endotoxin" in str(exc.value)
    assert compile_schedule(make(), KNOWN_INPUTS, jump_targets=()).jumps.shape[1] == 0


def test_infusion_values():
    s = compiled({"type": "lps_infusion", "start": "day 2 08:00", "duration": "3 h",
                  "rate": "1 ng/kg/h"},
                 {"type": "hydrocortisone_infusion", "start": "day 2 09:00", "duration": "2 h",
                  "rate": "0.25 mg/min"})
    assert windows(s, "lps_infusion") == [(25.0, 28.0, 1.0)]
    assert windows(s, "hydrocortisone_infusion") == [(26.0, 28.0, pytest.approx(15.0))]
    assert s.integral("lps_infusion") == pytest.approx(3.0)


def test_hydrocortisone_bolus_is_the_dose_over_five_minutes():
    s = compiled({"type": "hydrocortisone_bolus", "at": "day 2 08:30", "dose": "100 mg"})
    ((on, off, rate),) = windows(s, "hydrocortisone_infusion")
    assert (on, off) == (pytest.approx(25.5), pytest.approx(25.5 + 5 / 60))
    assert rate == pytest.approx(1200.0)
    assert s.integral("hydrocortisone_infusion") == pytest.approx(100.0)


def test_daily_sessions():
    s = compiled({"type": "vagus_nerve_stimulation", "start": "day 1 08:00",
                  "duration": "1 h", "days": 3, "intensity": 0.25},
                 {"type": "slow_breathing", "start": "day 1 18:00", "session": "30 min",
                  "days": 2},
                 {"type": "mindfulness_programme", "start": "day 1 19:00", "weeks": 2,
                  "sessions_per_week": 2, "daily_practice": "1 h"},
                 duration="14 days")
    assert windows(s, "vns") == [(1.0, 2.0, 0.25), (25.0, 26.0, 0.25), (49.0, 50.0, 0.25)]
    assert windows(s, "slow_breathing") == [(11.0, 11.5, 1.0), (35.0, 35.5, 1.0)]
    ons = [on for on, _, _ in windows(s, "mindfulness_practice")]
    assert ons == [12.0, 36.0, 12.0 + 7 * 24, 36.0 + 7 * 24]


# ----------------------------------------------------------------------------- model inputs
def test_unknown_model_inputs_stay_zero_and_order_is_kept():
    names = ("tape_stripping", "acute_stressor", "oxytocin_intranasal")
    s = compiled({"type": "acute_stressor", "start": "14:00"}, inputs=names)
    assert s.input_names == names
    assert np.all(s.inputs[:, 0] == 0) and np.all(s.inputs[:, 2] == 0)
    assert s.inputs[:, 1].max() == 1.0


def test_event_input_missing_from_model():
    with pytest.raises(ScenarioError) as exc:
        compiled({"type": "acute_stressor", "start": "14:00"},
                 {"type": "vagus_nerve_stimulation", "start": "+1 h", "duration": "1 h",
                  "intensity": 0.5}, inputs=("acute_stressor", "asleep"))
    assert exc.value.field == "protocol[1].type"
    assert "the model has no input 'vns'" in str(exc.value)
    assert "acute_stressor, asleep" in str(exc.value)


def test_duplicate_model_input_names_rejected():
    with pytest.raises(ValueError):
        compile_schedule(make(), ("asleep", "asleep"))


def test_schedule_arrays_are_read_only():
    s = compiled()
    with pytest.raises(ValueError):
        s.inputs[0, 0] = 1.0


# ----------------------------------------------------------------------------- breaks
def test_merge_breaks():
    b = merge_breaks(np.array([1.0, 1.0 + 1e-12, 2.0, 5.0 - 1e-11, -1.0, 7.0]), 5.0)
    np.testing.assert_array_equal(b, [0.0, 1.0, 2.0, 5.0])


def test_nearly_equal_event_edges_are_merged():
    s = compiled({"type": "acute_stressor", "start": "+8 h", "duration": "1 h"},
                 {"type": "acute_stressor", "start": "+9 h", "duration": "1 h"},
                 {"type": "acute_stressor", "start": "+32400.000000001 s", "duration": "1 h"})
    check_structure(s)
    assert np.min(np.diff(s.breaks)) > 1e-9
    assert s.integral("acute_stressor") == pytest.approx(3.0, abs=1e-8)
    assert s.value_at("acute_stressor", 9.5) == 2.0


def test_five_years_of_daily_events_compile_fast():
    sc = Scenario.from_dict({
        "name": "long", "duration": "5 years", "output_interval": "1 day",
        "protocol": [
            {"type": "chronic_stressor", "start": "day 1", "period": "5 years", "load": 0.4,
             "daily_window": {"from": "09:00", "to": "17:00"}, "weekdays_only": True},
            {"type": "slow_breathing", "start": "day 1 20:00", "days": 1800},
            {"type": "vagus_nerve_stimulation", "start": "day 1 12:00", "duration": "1 h",
             "days": 1800, "intensity": 0.5},
            {"type": "mindfulness_programme", "start": "day 10 18:30", "weeks": 52},
            {"type": "sleep_schedule", "from_day": 100, "to_day": 400, "bedtime": "00:30",
             "wake": "08:00"},
        ]})
    t0 = time.perf_counter()
    s = compile_schedule(sc, KNOWN_INPUTS)
    elapsed = time.perf_counter() - t0
    check_structure(s)
    assert s.n_segments > 10_000
    assert elapsed < 2.0, f"compile took {elapsed:.2f} s"
    assert s.integral("slow_breathing") == pytest.approx(1800 / 3)
    assert s.integral("vns") == pytest.approx(1800 * 0.5)
    assert s.integral("mindfulness_practice") == pytest.approx(52 * 7 * 0.75)
    assert set(np.unique(s.input("asleep")[1])) == {0.0, 1.0}
