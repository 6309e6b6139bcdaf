"""Scenario files: reading, validation errors, round trips, examples, docs."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from nicsim.errors import ScenarioError
from nicsim.protocols import (
    EVENT_TYPES,
    AcuteStressor,
    LpsBolus,
    Person,
    Scenario,
    SleepSchedule,
)

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "scenarios"
DOCS = ROOT / "docs" / "scenarios.md"


def scenario(*events, **top):
    d = {"name": "t", "duration": "3 days", "protocol": list(events), **top}
    return Scenario.from_dict(d)


def error_of(*events, **top) -> ScenarioError:
    with pytest.raises(ScenarioError) as exc:
        scenario(*events, **top)
    return exc.value


# ----------------------------------------------------------------------------- basics
def test_minimal_scenario_defaults():
    s = Scenario.from_dict({"name": "x", "duration": "2 days"})
    assert s.start == "07:00" and s.start_clock_h == 7.0
    assert s.duration_h == 48.0
    assert s.output_interval == "10 min"
    assert s.start_weekday == "monday" and s.start_weekday_index == 0
    assert s.person == Person()
    assert s.person.sleep == SleepSchedule(bedtime="23:00", wake="07:00")
    assert s.person.sleep.length_h == 8.0
    assert s.protocol == [] and s.outputs is None and s.rtol is None


def test_output_times_include_the_end():
    s = Scenario.from_dict({"name": "x", "duration": "1 h", "output_interval": "20 min"})
    np.testing.assert_allclose(s.output_times(), [0, 1 / 3, 2 / 3, 1.0])
    s = Scenario.from_dict({"name": "x", "duration": "1 h", "output_interval": "25 min"})
    np.testing.assert_allclose(s.output_times(), [0, 25 / 60, 50 / 60, 1.0])
    t = Scenario.from_dict({"name": "x", "duration": "2 days"}).output_times()
    assert t.size == 289 and t[-1] == 48.0 and np.all(np.diff(t) > 0)


def test_full_brief_example_parses():
    text = """
name: tsst
description: "a test"
start: "07:00"
duration: "2 days"
output_interval: "10 min"
outputs: [cortisol_serum, acth]
rtol: 1e-6
person:
  sex: female
  age: 30
  stress_reactivity: 1.0
  gr_sensitivity: 1.0
  sleep: {bedtime: "23:00", wake: "07:00"}
protocol:
  - {type: acute_stressor, start: "day 1 14:00", duration: "20 min", intensity: 1.0}
"""
    s = Scenario.from_yaml(text)
    assert s.rtol == pytest.approx(1e-6)
    assert s.outputs == ["cortisol_serum", "acth"]
    assert isinstance(s.protocol[0], AcuteStressor)
    assert s.protocol[0].intensity == 1.0


def test_unquoted_clock_times_in_yaml_stay_clock_times():
    s = Scenario.from_yaml("name: x\nstart: 06:30\nduration: 1 day\n"
                           "person: {sleep: {bedtime: 22:30, wake: 06:30}}\n")
    assert s.start == "06:30" and s.person.sleep.bedtime == "22:30"


def test_every_event_type_valid():
    s = scenario(
        {"type": "acute_stressor", "start": "day 1 14:00", "duration": "20 min", "intensity": 1},
        {"type": "chronic_stressor", "start": "day 1", "period": "2 days", "load": 0.4,
         "daily_window": {"from": "09:00", "to": "17:00"}, "weekdays_only": True},
        {"type": "sleep_schedule", "from_day": 2, "to_day": 3, "bedtime": "00:30",
         "wake": "08:00"},
        {"type": "sleep_deprivation", "night": 1, "total": True},
        {"type": "lps_bolus", "at": "day 2 09:00", "dose": "2 ng/kg"},
        {"type": "lps_infusion", "start": "day 2 09:00", "duration": "3 h",
         "rate": "1 ng/kg/h"},
        {"type": "hydrocortisone_infusion", "start": "+30 h", "duration": "6 h",
         "rate": "5 mg/h"},
        {"type": "vagus_nerve_stimulation", "start": "day 1 20:00", "duration": "30 min",
         "days": 2, "intensity": 0.5, "mode": "cervical"},
        {"type": "slow_breathing", "start": "day 1 18:00", "session": "15 min", "days": 2,
         "rate": "6 /min"},
        {"type": "mindfulness_programme", "start": "day 1 19:00", "weeks": 1,
         "daily_practice": "45 min", "sessions_per_week": 2},
        duration="7 days",
    )
    types = [e.type for e in s.protocol]  # the core events, each once
    assert len(set(types)) == 10 and set(types) <= set(EVENT_TYPES)
    assert s.protocol[4].dose_ng_per_kg == 2.0
    assert s.protocol[5].rate_ng_per_kg_h == 1.0
    assert s.protocol[6].rate_mg_per_h == 5.0
    assert s.protocol[8].rate_per_min == 6.0


def test_event_defaults():
    s = scenario({"type": "acute_stressor", "start": "14:00"},
                 {"type": "slow_breathing", "start": "day 2 10:00", "rate": 5},
                 {"type": "mindfulness_programme", "start": "day 1 19:00"},
                 duration="8 weeks")
    a, b, m = s.protocol
    assert (a.duration, a.intensity) == ("20 min", 1.0)
    assert (b.session, b.days, b.rate) == ("20 min", 1, "5 /min")
    assert (m.weeks, m.daily_practice, m.sessions_per_week) == (8, "45 min", 7)
    assert s.protocol[0].start == "14:00"


# ----------------------------------------------------------------------------- errors
STRESSOR = {"type": "acute_stressor", "start": "day 1 14:00"}


@pytest.mark.parametrize("events, top, field, fragments", [
    # unknown keys everywhere
    ([], {"colour": "red"}, "colour", ["unknown key", "allowed keys are: name, description"]),
    ([], {"person": {"extra": {}}}, "person.extra", ["unknown key", "sex, age"]),
    ([], {"person": {"sleep": {"bedtime": "23:00", "wake": "07:00", "nap": "1 h"}}},
     "person.sleep.nap", ["unknown key", "bedtime, wake"]),
    ([{**STRESSOR, "intensty": 1}], {}, "protocol[0].intensty",
     ["unknown key", "did you mean 'intensity'"]),
    ([{"type": "chronic_stressor", "start": "day 1", "period": "1 day", "load": 0.5,
       "daily_window": {"from": "09:00", "until": "17:00"}}], {},
     "protocol[0].daily_window.until", ["unknown key", "from, to"]),
    # types and required keys
    ([{"type": "acute_stresor", "start": "14:00"}], {}, "protocol[0].type",
     ["event type must be one of", "acute_stressor"]),
    ([{"start": "14:00"}], {}, "protocol[0].type", ["needs a 'type'"]),
    (["stress"], {}, "protocol[0]", ["mapping"]),
    ([{"type": "acute_stressor"}], {}, "protocol[0].start", ["required"]),
    ([], {"protocol": "none"}, "protocol", ["list"]),
    ([], {"name": ""}, "name", ["non-empty"]),
    ([], {"duration": None}, "duration", ["duration"]),
    ([], {"duration": "6 years"}, "duration", ["at most 5 years"]),
    ([], {"duration": "-1 day"}, "duration", ["longer than 0"]),
    ([], {"duration": 48}, "duration", ["give a unit"]),
    ([], {"output_interval": "4 days"}, "output_interval", ["at most the scenario duration"]),
    ([], {"output_interval": "0 min"}, "output_interval", ["longer than 0"]),
    ([], {"output_interval": "1 ms"}, "output_interval", ["output times"]),
    ([], {"outputs": ["acth", "acth"]}, "outputs[1]", ["unique"]),
    ([], {"outputs": ["acth", ""]}, "outputs[1]", ["non-empty"]),
    ([], {"outputs": "acth"}, "outputs", ["list"]),
    ([], {"rtol": 0.1}, "rtol", ["1e-10 to 0.01"]),
    ([], {"start": "7 am"}, "start", ["HH:MM"]),
    ([], {"start_weekday": "funday"}, "start_weekday", ["monday"]),
    # person
    ([], {"person": {"sex": "other"}}, "person.sex", ["female", "male"]),
    ([], {"person": {"age": 12}}, "person.age", ["18 to 100 years"]),
    ([], {"person": {"stress_reactivity": 0}}, "person.stress_reactivity", ["0.2 to 5"]),
    ([], {"person": {"gr_sensitivity": "high"}}, "person.gr_sensitivity", ["0.2 to 5"]),
    ([], {"person": {"sleep": {"bedtime": "23:00", "wake": "23:00"}}}, "person.sleep.wake",
     ["bedtime and wake must differ"]),
    ([], {"person": {"sleep": {"bedtime": "23:00", "wake": "01:00"}}}, "person.sleep.wake",
     ["3 h to 14 h"]),
    ([], {"person": "someone"}, "person", ["mapping", "sex, age"]),
    # acute stressor
    ([{**STRESSOR, "start": "day 0 14:00"}], {}, "protocol[0].start", ["days count from 1"]),
    ([{**STRESSOR, "duration": "-5 min"}], {}, "protocol[0].duration", ["1 min to 12 h"]),
    ([{**STRESSOR, "duration": "13 h"}], {}, "protocol[0].duration", ["1 min to 12 h"]),
    ([{**STRESSOR, "intensity": 4}], {}, "protocol[0].intensity", ["0 to 3"]),
    ([{**STRESSOR, "intensity": True}], {}, "protocol[0].intensity", ["0 to 3"]),
    ([{**STRESSOR, "start": "06:00"}], {}, "protocol[0].start", ["before the scenario starts"]),
    ([{**STRESSOR, "start": "day 4 14:00"}], {}, "protocol[0].start",
     ["after the scenario end"]),
    ([{**STRESSOR, "start": "day 4 06:50"}], {}, "protocol[0].duration",
     ["would end at day 4 07:10", "after the scenario end"]),
    ([{**STRESSOR, "start": "day 1 23:30"}], {}, "protocol[0].start",
     ["collides with night 1", "awake"]),
    ([{**STRESSOR, "start": "day 2 06:50"}], {}, "protocol[0].start",
     ["collides with night 1"]),
    # chronic stressor
    ([{"type": "chronic_stressor", "start": "day 1", "period": "4 days", "load": 0.5}], {},
     "protocol[0].period", ["after the scenario end"]),
    ([{"type": "chronic_stressor", "start": "day 1", "period": "1 day", "load": 1.5}], {},
     "protocol[0].load", ["0 to 1"]),
    ([{"type": "chronic_stressor", "start": "day 1", "period": "1 day", "load": 0.5,
       "daily_window": {"from": "09:00", "to": "09:00"}}], {}, "protocol[0].daily_window.to",
     ["must not be empty"]),
    ([{"type": "chronic_stressor", "start": "day 1", "period": "1 day", "load": 0.5,
       "weekdays_only": True}], {"start_weekday": "saturday"}, "protocol[0].period",
     ["never active"]),
    # sleep
    ([{"type": "sleep_schedule", "from_day": 1, "to_day": 2, "bedtime": "23:00",
       "wake": "23:00"}], {}, "protocol[0].wake", ["bedtime and wake must differ"]),
    ([{"type": "sleep_schedule", "from_day": 2, "to_day": 1, "bedtime": "23:00",
       "wake": "07:00"}], {}, "protocol[0].to_day", [">= from_day"]),
    ([{"type": "sleep_schedule", "from_day": 1, "to_day": 9, "bedtime": "23:00",
       "wake": "07:00"}], {}, "protocol[0].to_day", ["scenario ends on day 4"]),
    ([{"type": "sleep_schedule", "from_day": 1, "to_day": 2, "bedtime": "23:00",
       "wake": "06:00"},
      {"type": "sleep_schedule", "from_day": 2, "to_day": 3, "bedtime": "22:00",
       "wake": "06:00"}], {}, "protocol[1].from_day", ["night 2 is already changed",
                                                        "protocol[0]"]),
    ([{"type": "sleep_deprivation", "night": 1, "total": True},
      {"type": "sleep_deprivation", "night": 1, "bedtime": "02:00"}], {}, "protocol[1].night",
     ["night 1 already has a sleep_deprivation"]),
    ([{"type": "sleep_deprivation", "night": 1}], {}, "protocol[0].total",
     ["total: true", "bedtime"]),
    ([{"type": "sleep_deprivation", "night": 1, "total": True, "wake": "05:00"}], {},
     "protocol[0].total", ["not both"]),
    ([{"type": "sleep_deprivation", "night": 0, "total": True}], {}, "protocol[0].night",
     ["at least 1"]),
    ([{"type": "sleep_deprivation", "night": 5, "total": True}], {}, "protocol[0].night",
     ["after the scenario end"]),
    ([{"type": "sleep_deprivation", "night": 1, "bedtime": "08:00"}], {},
     "protocol[0].bedtime", ["would last 23 h"]),
    ([{"type": "sleep_deprivation", "night": 1, "bedtime": "11:00", "wake": "23:30"}], {},
     "protocol[0].wake", ["would overlap night 2"]),
    # LPS
    ([{"type": "lps_bolus", "at": "day 2 08:00", "dose": "2 mg"}], {}, "protocol[0].dose",
     ["dimension of ng/kg", "got mg"]),
    ([{"type": "lps_bolus", "at": "day 2 08:00", "dose": 2}], {}, "protocol[0].dose",
     ["give a unit"]),
    ([{"type": "lps_bolus", "at": "day 2 08:00", "dose": "2"}], {}, "protocol[0].dose",
     ["give a unit"]),
    ([{"type": "lps_bolus", "at": "day 2 08:00", "dose": "5 ng/kg"}], {}, "protocol[0].dose",
     ["at most 4 ng/kg"]),
    ([{"type": "lps_bolus", "at": "day 2 08:00", "dose": "0 ng/kg"}], {}, "protocol[0].dose",
     ["greater than 0"]),
    ([{"type": "lps_bolus", "at": "+72 h", "dose": "1 ng/kg"}], {}, "protocol[0].at",
     ["scenario end"]),
    ([{"type": "lps_infusion", "start": "day 2 08:00", "duration": "4 h",
       "rate": "1.5 ng/kg/h"}], {}, "protocol[0].rate", ["6 ng/kg exceeds 4 ng/kg"]),
    ([{"type": "lps_infusion", "start": "day 2 08:00", "duration": "4 h",
       "rate": "1 ng/kg"}], {}, "protocol[0].rate", ["dimension of ng/kg/h"]),
    ([{"type": "lps_infusion", "start": "day 2 08:00", "duration": "-4 h",
       "rate": "0.5 ng/kg/h"}], {}, "protocol[0].duration", ["longer than 0"]),
    # hydrocortisone
    ([{"type": "hydrocortisone_infusion", "start": "day 2 08:00", "duration": "4 h",
       "rate": "25 mg/h"}], {}, "protocol[0].rate", ["at most 20 mg/h"]),
    ([{"type": "hydrocortisone_infusion", "start": "day 2 08:00", "duration": "4 h",
       "rate": "5 mg"}], {}, "protocol[0].rate", ["dimension of mg/h"]),
    ([{"type": "hydrocortisone_infusion", "start": "day 3 08:00", "duration": "2 days",
       "rate": "5 mg/h"}], {}, "protocol[0].duration", ["after the scenario end"]),
    ([{"type": "hydrocortisone_bolus", "at": "day 2 08:00", "dose": "250 mg"}], {},
     "protocol[0].dose", ["at most 200 mg"]),
    # a huge day count is an error before any array of that many days is built (a hostile
    # spec found by test_hostile_specs asked numpy for 110 GiB)
    ([{"type": "social_support", "start": "day 1", "days": 14797858252,
       "daily_window": {"from": "18:00", "to": "22:00"}, "level": 0.5}], {},
     "protocol[0].days", ["after the scenario end"]),
    ([{"type": "hypnosis_relaxation", "start": "day 1 10:00", "days": 14797858252,
       "sessions_per_week": 3}], {}, "protocol[0].days", ["after the scenario end"]),
    ([{"type": "hydrocortisone_bolus", "at": "day 2 08:00", "dose": "100 mg/h"}], {},
     "protocol[0].dose", ["dimension of mg"]),
    # VNS
    ([{"type": "vagus_nerve_stimulation", "start": "day 1 08:00", "duration": "1 h",
       "intensity": 1.2}], {}, "protocol[0].intensity", ["0 to 1"]),
    ([{"type": "vagus_nerve_stimulation", "start": "day 1 08:00", "duration": "1 h",
       "intensity": 0.5, "mode": "nasal"}], {}, "protocol[0].mode", ["cervical"]),
    ([{"type": "vagus_nerve_stimulation", "start": "day 1 08:00", "duration": "1 day",
       "days": 2, "intensity": 0.5}], {}, "protocol[0].duration", ["less than 24 h"]),
    ([{"type": "vagus_nerve_stimulation", "start": "day 1 08:00", "duration": "1 h",
       "days": 5, "intensity": 0.5}], {}, "protocol[0].days", ["after the scenario end"]),
    ([{"type": "vagus_nerve_stimulation", "start": "day 1 08:00", "duration": "1 h",
       "days": 1.5, "intensity": 0.5}], {}, "protocol[0].days", ["whole number"]),
    # slow breathing
    ([{"type": "slow_breathing", "start": "day 1 18:00", "rate": "12 /min"}], {},
     "protocol[0].rate", ["4 to 10 /min"]),
    ([{"type": "slow_breathing", "start": "day 1 18:00", "rate": "6 mg"}], {},
     "protocol[0].rate", ["dimension"]),
    ([{"type": "slow_breathing", "start": "day 1 18:00", "session": "3 h"}], {},
     "protocol[0].session", ["1 min to 2 h"]),
    ([{"type": "slow_breathing", "start": "day 1 18:00", "days": 0}], {},
     "protocol[0].days", ["at least 1"]),
    ([{"type": "slow_breathing", "start": "day 1 22:50", "days": 2}], {}, "protocol[0].start",
     ["session 1", "collides with night 1"]),
    ([{"type": "slow_breathing", "start": "day 1 18:00"},
      {"type": "slow_breathing", "start": "day 1 18:10"}], {}, "protocol[1].start",
     ["overlaps a session of protocol[0]"]),
    # mindfulness
    ([{"type": "mindfulness_programme", "start": "day 1 19:00", "weeks": 53}],
     {"duration": "2 years"}, "protocol[0].weeks", ["1 to 52"]),
    ([{"type": "mindfulness_programme", "start": "day 1 19:00", "weeks": 2}], {},
     "protocol[0].weeks", ["after the scenario end"]),
    ([{"type": "mindfulness_programme", "start": "day 1 19:00", "weeks": 1,
       "daily_practice": "2 min"}], {"duration": "2 weeks"}, "protocol[0].daily_practice",
     ["5 min to 3 h"]),
    ([{"type": "mindfulness_programme", "start": "day 1 19:00", "weeks": 1,
       "sessions_per_week": 8}], {"duration": "2 weeks"}, "protocol[0].sessions_per_week",
     ["1 to 7"]),
    ([{"type": "mindfulness_programme", "start": "day 1 22:30", "weeks": 1}],
     {"duration": "2 weeks"}, "protocol[0].start", ["collides with night 1"]),
    ([{"type": "mindfulness_programme", "start": "day 1 19:00", "weeks": 1},
      {"type": "mindfulness_programme", "start": "day 3 19:30", "weeks": 1}],
     {"duration": "2 weeks"}, "protocol[1].start", ["overlaps a session of protocol[0]"]),
])
def test_invalid_scenarios(events, top, field, fragments):
    err = error_of(*events, **top)
    assert err.field == field, str(err)
    msg = str(err)
    assert msg.startswith(f"{field}: ")
    assert "is not allowed" in msg
    for fragment in fragments:
        assert fragment in msg, msg
    assert "pydantic" not in msg and "Traceback" not in msg and "validation error" not in msg


def test_error_reports_further_problems_in_hint():
    err = error_of({"type": "acute_stressor", "start": "14:00", "intensity": 9},
                   person={"age": 5})
    assert err.field == "person.age"
    assert "also check: protocol[0].intensity" in str(err)


def test_direct_model_construction_raises_scenario_error():
    with pytest.raises(ScenarioError) as exc:
        LpsBolus(at="day 1 09:00", dose="2 mg")
    assert exc.value.field == "dose"
    with pytest.raises(ScenarioError) as exc:
        Person(sex="female", hair="brown")
    assert exc.value.field == "hair"
    ok = LpsBolus(at="day 1 09:00", dose="2 ng/kg")
    assert ok.type == "lps_bolus"


def test_from_dict_rejects_non_mapping():
    for bad in (None, [], "name: x", 3):
        with pytest.raises(ScenarioError) as exc:
            Scenario.from_dict(bad)
        assert exc.value.field == "scenario"


def test_vns_is_allowed_during_sleep():
    s = scenario({"type": "vagus_nerve_stimulation", "start": "day 1 22:00", "duration": "4 h",
                  "intensity": 0.3})
    assert s.protocol[0].mode == "auricular"


def test_sleep_deprivation_overrides_a_schedule_change():
    s = scenario({"type": "sleep_schedule", "from_day": 1, "to_day": 3, "bedtime": "22:00",
                  "wake": "06:00"},
                 {"type": "sleep_deprivation", "night": 2, "bedtime": "02:00"})
    tl = s.timeline()
    nights = dict(zip(tl.sleep_night.tolist(), zip(tl.sleep_on, tl.sleep_off, strict=True),
                      strict=True))
    assert nights[2] == pytest.approx((43.0, 47.0))  # day 3 02:00 to 06:00 (scheduled wake)
    assert nights[1] == pytest.approx((15.0, 23.0))


def test_stressor_just_after_wake_is_fine():
    s = scenario({**STRESSOR, "start": "day 2 07:00"})
    assert s.protocol[0].start == "day 2 07:00"


# ----------------------------------------------------------------------------- YAML and files
def test_yaml_syntax_error():
    with pytest.raises(ScenarioError) as exc:
        Scenario.from_yaml("name: x\nduration: [2 days\n")
    assert exc.value.field == "yaml"
    assert "not valid YAML" in str(exc.value) and "line" in str(exc.value)


def test_yaml_duplicate_key():
    with pytest.raises(ScenarioError) as exc:
        Scenario.from_yaml("name: x\nduration: 1 day\nduration: 2 days\n")
    assert exc.value.field == "yaml" and "duplicate key" in str(exc.value)


@pytest.mark.parametrize("text", ["", "# only a comment\n", "- a\n- b\n", "just text"])
def test_yaml_that_is_not_a_mapping(text):
    with pytest.raises(ScenarioError) as exc:
        Scenario.from_yaml(text)
    assert exc.value.field in ("yaml", "scenario")


def test_missing_file(tmp_path):
    with pytest.raises(ScenarioError) as exc:
        Scenario.from_yaml(tmp_path / "nope.yaml")
    assert exc.value.field == "path" and "no such file" in str(exc.value)
    with pytest.raises(ScenarioError) as exc:
        Scenario.from_yaml(str(tmp_path / "nope.yml"))
    assert exc.value.field == "path"


def test_file_round_trip(tmp_path):
    s = Scenario.from_yaml(EXAMPLES / "demo.yaml")
    p = tmp_path / "copy.yaml"
    text = s.to_yaml(p)
    assert p.read_text() == text
    assert Scenario.from_yaml(p) == s
    assert Scenario.from_yaml(str(p)) == s


def test_round_trip_of_every_event_type():
    s = scenario(
        {"type": "acute_stressor", "start": "day 1 14:00", "duration": "20 min", "intensity": 1},
        {"type": "chronic_stressor", "start": "day 1 09:00", "period": "2 days", "load": 0.4,
         "daily_window": {"from": "22:00", "to": "06:00"}},
        {"type": "sleep_schedule", "from_day": 2, "to_day": 3, "bedtime": "07:30",
         "wake": "15:00"},
        {"type": "sleep_deprivation", "night": 1, "wake": "04:00"},
        {"type": "lps_bolus", "at": "+30 h", "dose": "2 ng/kg"},
        {"type": "lps_infusion", "start": "day 2 09:00", "duration": "3 h",
         "rate": "1 ng/kg/h"},
        {"type": "hydrocortisone_infusion", "start": "day 2 16:00", "duration": "6 h",
         "rate": "5 mg/h"},
        {"type": "vagus_nerve_stimulation", "start": "day 1 20:00", "duration": "30 min",
         "intensity": 0.5},
        {"type": "slow_breathing", "start": "day 1 18:00", "session": "15 min", "rate": 5.5},
        {"type": "mindfulness_programme", "start": "day 1 19:00", "weeks": 1,
         "sessions_per_week": 3},
        duration="10 days", description="all events", outputs=["a", "b"], rtol=1e-8,
        start="06:15", start_weekday="Friday",
        person={"sex": "male", "age": 61, "stress_reactivity": 1.7, "gr_sensitivity": 0.6,
                "sleep": {"bedtime": "00:30", "wake": "08:00"}},
    )
    text = s.to_yaml()
    back = Scenario.from_yaml(text)
    assert back == s
    assert back.to_yaml() == text
    assert Scenario.from_dict(s.to_dict()) == s
    assert back.start_weekday == "friday"


def test_replace_revalidates():
    s = Scenario.from_yaml(EXAMPLES / "tsst.yaml")
    longer = s.replace(duration="3 days")
    assert longer.duration_h == 72.0 and longer.protocol == s.protocol
    with pytest.raises(ScenarioError) as exc:
        s.replace(duration="1 day")  # the TSST on day 2 is now after the end
    assert exc.value.field == "protocol[0].start"


@pytest.mark.parametrize("name", ["tsst", "endotoxemia", "demo"])
def test_examples_parse_and_round_trip(name):
    s = Scenario.from_yaml(EXAMPLES / f"{name}.yaml")
    assert s.name == name
    assert Scenario.from_yaml(s.to_yaml()) == s


# ----------------------------------------------------------------------------- docs
def test_docs_cover_every_event_type_and_field():
    text = DOCS.read_text(encoding="utf-8")
    for type_name, cls in EVENT_TYPES.items():
        section = re.search(rf"### `{type_name}`(.*?)(?=\n### |\n## |\Z)", text, re.S)
        assert section, f"docs/scenarios.md has no section for {type_name}"
        for key in cls.allowed_keys():
            assert f"`{key}`" in section.group(1), f"{type_name}.{key} undocumented"
    for key in Scenario.allowed_keys() + Person.allowed_keys():
        assert f"`{key}`" in text, f"{key} undocumented"


def test_docs_yaml_examples_are_valid():
    import yaml

    blocks = re.findall(r"```yaml\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.S)
    assert len(blocks) >= 12
    for block in blocks:
        if block.lstrip().startswith("- "):  # event snippets: check inside a long scenario
            Scenario.from_dict({"name": "doc", "duration": "10 weeks",
                                "protocol": yaml.safe_load(block)})
        else:
            Scenario.from_yaml(block)


def test_models_are_frozen_and_replace_revalidates_nested():
    s = Scenario.from_yaml(EXAMPLES / "tsst.yaml")
    with pytest.raises(Exception):  # noqa: B017 - pydantic's frozen-instance error
        s.person.age = 50  # type: ignore[misc]
    older = s.replace(person={"age": 70})
    assert older.person.age == 70 and s.person.age == 30
    with pytest.raises(ScenarioError) as exc:
        s.replace(person={"age": 170})
    assert exc.value.field == "person.age"


def test_scenario_parameters_override_and_errors():
    from nicsim._default import default_model
    from nicsim.solve.problem import model_parameters

    model = default_model()
    sc = Scenario.from_dict({"name": "p", "duration": "1 day",
                             "parameters": {"competence.age_rate": 0.0}})
    assert Scenario.from_yaml(sc.to_yaml()).parameters == {"competence.age_rate": 0.0}
    j = model.parameter_index("competence.age_rate")
    assert model_parameters(model, sc)[j] == 0.0
    assert model_parameters(model)[j] > 0.0
    # an explicit override beats the scenario's
    assert model_parameters(model, sc, {"competence.age_rate": 0.05})[j] > 0.0
    with pytest.raises(ScenarioError) as exc:
        model_parameters(model, sc.replace(parameters={"competence.agerate": 1.0}))
    assert exc.value.field == "parameters.competence.agerate"
    assert "nicsim params" in str(exc.value)
    with pytest.raises(ScenarioError) as exc:
        Scenario.from_dict({"name": "p", "duration": "1 day",
                            "parameters": {"competence.age_rate": "fast"}})
    assert exc.value.field == "parameters.competence.age_rate"
    assert "number" in str(exc.value)
