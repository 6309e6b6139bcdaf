"""Clock times, time expressions and durations."""

from __future__ import annotations

import pytest

from nicsim.errors import ScenarioError
from nicsim.protocols.timeexpr import (
    day_of,
    day_start,
    format_clock,
    format_duration,
    format_time,
    normalize_clock,
    parse_clock,
    parse_duration,
    parse_time_expr,
    resolve_time,
)


@pytest.mark.parametrize("text, hours", [("00:00", 0.0), ("07:30", 7.5), ("7:30", 7.5),
                                         ("23:59", 23 + 59 / 60), (" 14:00 ", 14.0)])
def test_parse_clock(text, hours):
    assert parse_clock(text) == pytest.approx(hours)


@pytest.mark.parametrize("text", ["24:00", "12:60", "7", "7.30", "", "noon", "-1:00", "1:2"])
def test_parse_clock_rejects(text):
    with pytest.raises(ScenarioError) as exc:
        parse_clock(text, field="person.sleep.wake")
    assert exc.value.field == "person.sleep.wake"
    assert "HH:MM" in str(exc.value)


def test_clock_given_as_yaml_base60_number_gets_a_hint():
    with pytest.raises(ScenarioError, match="quote clock times"):
        parse_clock(1380, field="start")


def test_normalize_and_format_clock():
    assert normalize_clock("7:05") == "07:05"
    assert format_clock(23.999999) == "00:00"
    assert format_clock(13.25) == "13:15"


@pytest.mark.parametrize("text, hours", [
    ("20 min", 1 / 3), ("1.5 h", 1.5), ("3 days", 72.0), ("8 weeks", 8 * 168.0),
    ("90 s", 0.025), ("2 hours", 2.0), ("1 week", 168.0),
])
def test_parse_duration(text, hours):
    assert parse_duration(text) == pytest.approx(hours)


@pytest.mark.parametrize("value, fragment", [
    ("-5 min", "longer than 0"), ("0 h", "longer than 0"), ("2 mg", "dimension"),
    (5, "give a unit"), ("", "duration"), ("soon", "quantity"), ("nan h", "finite"),
    ("1e400 h", "finite"), (None, "duration"), (True, "duration"), ([1], "duration"),
])
def test_parse_duration_rejects(value, fragment):
    with pytest.raises(ScenarioError) as exc:
        parse_duration(value, field="protocol[0].duration")
    assert exc.value.field == "protocol[0].duration"
    assert fragment in str(exc.value)


def test_parse_duration_bounds():
    assert parse_duration("1 min", min_h=1 / 60, max_h=12) == pytest.approx(1 / 60)
    assert parse_duration("12 h", min_h=1 / 60, max_h=12) == 12.0
    with pytest.raises(ScenarioError, match="1 min to 12 h"):
        parse_duration("13 h", min_h=1 / 60, max_h=12)
    with pytest.raises(ScenarioError, match="1 min to 12 h"):
        parse_duration("30 s", min_h=1 / 60, max_h=12)
    assert parse_duration("0 h", positive=False) == 0.0


@pytest.mark.parametrize("text, start, hours", [
    ("day 1 14:00", 7.0, 7.0), ("day 2 07:00", 7.0, 24.0), ("14:00", 7.0, 7.0),
    ("+36 h", 7.0, 36.0), ("+2 days", 7.0, 48.0), ("+0 h", 7.0, 0.0),
    ("day 1", 7.0, 0.0), ("day 3", 7.0, 41.0), ("Day 2, 08:30", 0.0, 32.5),
    ("day 2 01:00", 23.0, 2.0),
])
def test_time_expressions(text, start, hours):
    assert parse_time_expr(text).hours(start) == pytest.approx(hours)
    assert resolve_time(text, field="f", start_clock_h=start, duration_h=100.0) == \
        pytest.approx(hours)


@pytest.mark.parametrize("text, fragment", [
    ("day 0 14:00", "days count from 1"), ("day -1 14:00", "days count from 1"),
    ("-2 h", "before the scenario start"), ("tomorrow", "day N HH:MM"),
    ("day 2 25:00", "HH:MM"), ("day 2 noon", "day N HH:MM"), ("+ soon", "+36 h"),
    ("+-3 h", "+36 h"), (840, "quote clock times"), (None, "day N HH:MM"),
])
def test_time_expression_errors(text, fragment):
    with pytest.raises(ScenarioError) as exc:
        parse_time_expr(text, field="protocol[0].start")
    assert exc.value.field == "protocol[0].start"
    assert fragment in str(exc.value)


def test_day_zero_message_names_field_and_value():
    with pytest.raises(ScenarioError) as exc:
        parse_time_expr("day 0 14:00", field="protocol[0].start")
    msg = str(exc.value)
    assert msg.startswith("protocol[0].start: 'day 0 14:00' is not allowed; days count from 1")


def test_resolve_time_outside_the_scenario():
    with pytest.raises(ScenarioError, match="before the scenario starts"):
        resolve_time("06:00", field="at", start_clock_h=7.0, duration_h=48.0)
    with pytest.raises(ScenarioError, match="after the scenario end"):
        resolve_time("day 4 08:00", field="at", start_clock_h=7.0, duration_h=48.0)
    with pytest.raises(ScenarioError, match="at the scenario end"):
        resolve_time("+48 h", field="at", start_clock_h=7.0, duration_h=48.0)
    assert resolve_time("+48 h", field="at", start_clock_h=7.0, duration_h=48.0,
                        allow_end=True) == 48.0


def test_calendar_helpers():
    assert day_start(1, 7.0) == -7.0
    assert day_start(3, 7.0) == 41.0
    assert day_of(0.0, 7.0) == 1
    assert day_of(16.99, 7.0) == 1
    assert day_of(17.0, 7.0) == 2
    assert format_time(31.0, 7.0) == "day 2 14:00"
    assert format_time(0.0, 3.0) == "day 1 03:00"
    assert format_duration(0.5) == "30 min"
    assert format_duration(72) == "3 days"
