"""Client diary: reading, writing, missing days, adherence and the errors for bad files."""

from __future__ import annotations

import datetime as dt
import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nicsim.clinic.diary import (
    SEVERITY_SCALES,
    Diary,
    DiaryEntry,
    DiaryError,
    entries_from_rows,
)

GOOD = """# client_id: anna
# condition: eczema
# start: 2026-01-01
# end: 2026-01-05
# plan_practices: slow_breathing; mindfulness
date,time,stress,sleep_hours,sleep_quality,severity,itch,mood,cycle_day,triggers,products,practices,note
2026-01-01,08:00,3,7.5,6,20,3,7,,sweat;diet:dairy,Emollient A,slow breathing,"ok, fine"
2026-01-01,20:00,5,,,22,4,6,,heat,,,
2026-01-03,,7,5,3,30,6,4,12,conflict;custom:new job,,mindfulness,
"""


def test_csv_reads_metadata_entries_and_missing_days():
    d = Diary.from_csv(GOOD)
    assert (d.client_id, d.condition, d.severity_scale) == ("anna", "eczema", "po_scorad")
    assert len(d.entries) == 3
    assert d.missing_days() == [dt.date(2026, 1, 2), dt.date(2026, 1, 4), dt.date(2026, 1, 5)]
    assert d.triggers_seen() == ["conflict", "custom:new_job", "diet:dairy", "heat", "sweat"]
    assert d.entries[0].products == ("emollient_a",)
    assert d.entries[0].note == "ok, fine"


def test_daily_combines_records_and_keeps_missing_days_explicit():
    day = Diary.from_csv(GOOD).daily()
    assert len(day) == 5
    assert list(day["recorded"]) == [True, False, True, False, False]
    assert day.loc["2026-01-01", "stress"] == pytest.approx(4.0)  # mean of 3 and 5
    assert day.loc["2026-01-01", "n_records"] == 2
    assert day.loc["2026-01-01", "trigger:heat"] == 1.0  # union of the day's records
    assert math.isnan(day.loc["2026-01-02", "trigger:heat"])  # not recorded != absent
    assert day.loc["2026-01-03", "trigger:heat"] == 0.0
    # plan: two practices; day 1 did slow_breathing, day 3 mindfulness
    assert day.loc["2026-01-01", "adherence"] == pytest.approx(0.5)
    assert math.isnan(day.loc["2026-01-04", "adherence"])


def test_csv_and_json_round_trip(tmp_path):
    d = Diary.from_csv(GOOD)
    assert Diary.from_csv(d.to_csv()) == d
    assert Diary.from_json(d.to_json()) == d
    for name in ("d.csv", "d.json"):
        assert Diary.read(d.write(tmp_path / name)) == d


def test_bad_csv_lists_every_problem_with_row_field_value_and_allowed():
    bad = (GOOD.replace("sweat;", "swaet;").replace(",3,7.5", ",11,7.5")
           .replace("2026-01-03", "2026-13-03"))
    with pytest.raises(DiaryError) as ei:
        Diary.from_csv(bad)
    issues = {(i.row, i.field): i for i in ei.value.issues}
    assert set(issues) == {("line 7", "stress"), ("line 7", "triggers"), ("line 9", "date")}
    assert "0 (no stress) to 10" in issues[("line 7", "stress")].allowed
    assert "did you mean 'sweat'" in issues[("line 7", "triggers")].allowed
    assert "YYYY-MM-DD" in issues[("line 9", "date")].allowed
    assert "line 7, stress: 11.0 is not allowed" in str(ei.value)


def test_severity_checked_against_the_diary_scale_and_named_by_line():
    with pytest.raises(DiaryError, match=r"line 8, severity: 122.0 .*0 to 103"):
        Diary.from_csv(GOOD.replace(",22,4", ",122,4"))
    acne = GOOD.replace("condition: eczema", "condition: acne").replace(",20,3", ",2.5,3")
    with pytest.raises(DiaryError, match=r"line 7, severity: 2.5 .*whole number"):
        Diary.from_csv(acne)


@pytest.mark.parametrize("text, where", [
    (GOOD.replace("# condition: eczema", "# condition: exzema"), "condition"),
    (GOOD.replace("# start:", "# begin:"), "metadata"),
    (GOOD.replace("itch,mood", "itchy,mood"), "header"),
    (GOOD.replace(",6,4,12,", ",6,4,twelve,"), "cycle_day"),
    (GOOD.replace("2026-01-03,,7", "2026-01-03,,7,1"), "columns"),
    (GOOD.replace("# end: 2026-01-05", "# end: 2026-01-02"), "date"),
    (GOOD.replace(",3,7.5,", ",three,7.5,"), "stress"),
    ("", "header"),
])
def test_each_kind_of_bad_input_names_its_field(text, where):
    with pytest.raises(DiaryError) as ei:
        Diary.from_csv(text if text else "\n\n")
    assert where in {i.field for i in ei.value.issues}, str(ei.value)


def test_wrong_scale_for_condition_and_bad_json():
    with pytest.raises(DiaryError, match="severity_scale.*a scale for eczema"):
        Diary(condition="eczema", severity_scale="sapasi")
    with pytest.raises(DiaryError, match=r"entries\[1\], itch: 12"):
        Diary.from_json(json.dumps({"condition": "psoriasis", "entries": [
            {"date": "2026-02-01", "itch": 2}, {"date": "2026-02-02", "itch": 12}]}))
    with pytest.raises(DiaryError, match="valid JSON"):
        Diary.from_json("{not json")
    with pytest.raises(DiaryError, match="entries\\[0\\], colour"):
        entries_from_rows([{"date": "2026-02-01", "colour": "red"}])


def test_empty_record_counts_as_missing_day():
    d = Diary(entries=[DiaryEntry(date=dt.date(2026, 3, 1), stress=2),
                       DiaryEntry(date=dt.date(2026, 3, 2)),
                       DiaryEntry(date=dt.date(2026, 3, 3), itch=1)])
    assert d.missing_days() == [dt.date(2026, 3, 2)]


_num = st.one_of(st.none(), st.floats(0, 10, allow_nan=False).map(lambda x: round(x, 1)))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 40), _num, _num, _num,
                          st.sampled_from(["", "sweat", "heat;diet:sugar", "custom:x y"])),
                max_size=25),
       st.sampled_from(sorted(SEVERITY_SCALES)))
def test_round_trip_property(rows, scale):
    cond = {"po_scorad": "eczema", "sapasi": "psoriasis", "acne_lesion_count": "acne",
            "skin_nrs": "rosacea"}[scale]
    day0 = dt.date(2026, 1, 1)
    entries = [DiaryEntry(date=day0 + dt.timedelta(days=k), stress=s, itch=i,
                          severity=None if v is None else float(round(v)), triggers=t)
               for k, s, i, v, t in rows]
    d = Diary(condition=cond, severity_scale=scale, entries=entries)
    assert Diary.from_csv(d.to_csv()) == d
    assert Diary.from_json(d.to_json()) == d
    n = len(d.days())
    assert len(d.missing_days()) + len(d.recorded_days()) == n
