"""Care plans: validation with errors naming the field, and the mapping onto protocol events."""

from __future__ import annotations

import pytest

from nicsim.clinic.plan import (
    ONE_CLICK_SETTINGS,
    PRESCRIBED_KINDS,
    STEP_EVENTS,
    STEP_KINDS,
    CarePlan,
)
from nicsim.errors import ScenarioError
from nicsim.protocols import Scenario

EVERY_STEP = [
    {"kind": "emollient", "coverage": 0.8},
    {"kind": "slow_breathing", "at": "07:30"},
    {"kind": "mindfulness", "days_per_week": 5, "from_week": 2},
    {"kind": "relaxation", "days_per_week": 3},
    {"kind": "sleep_schedule", "bedtime": "22:30", "wake": "06:30"},
    {"kind": "social_support", "from": "18:00", "to": "19:00"},
    {"kind": "support_group", "weeks": 4},
    {"kind": "topical_corticosteroid", "potency": "moderate", "weeks": 2},
    {"kind": "retinoid_bpo"},
    {"kind": "nb_uvb", "sessions_per_week": 2},
]


def test_every_step_kind_becomes_its_protocol_event_and_the_scenario_is_valid():
    plan = CarePlan.from_dict({"name": "all", "steps": EVERY_STEP})
    assert {s["kind"] for s in EVERY_STEP} == set(STEP_KINDS)
    events = plan.events(29, 56)
    assert [e["type"] for e in events] == [STEP_EVENTS[s["kind"]] for s in EVERY_STEP]
    sc = Scenario.from_dict({"name": "p", "start": "00:00", "duration": "85 days",
                             "protocol": events})
    tl = sc.timeline()
    for inp in ("emollient", "slow_breathing", "mindfulness_practice", "relaxation_practice",
                "social_support", "support_group", "topical_corticosteroid", "retinoid_bpo"):
        assert inp in tl.pulses, inp
    # the steroid runs two weeks from day 29, the mindfulness from week 2 (day 36)
    tcs = tl.pulses["topical_corticosteroid"]
    assert tcs.on[0] == pytest.approx(28 * 24) and tcs.off[0] == pytest.approx(42 * 24)
    assert tl.pulses["mindfulness_practice"].on.min() >= 35 * 24


def test_a_step_that_starts_after_the_period_is_left_out_and_weeks_are_clipped():
    plan = CarePlan.from_dict({"steps": [{"kind": "emollient", "from_week": 5},
                                         {"kind": "retinoid_bpo", "weeks": 10}]})
    ev = plan.events(1, 28)
    assert [e["type"] for e in ev] == ["retinoid_bpo"]
    assert ev[0]["period"] == "28 days"


def test_practices_and_products_for_diary_adherence_and_plain_descriptions():
    plan = CarePlan.from_dict({"steps": EVERY_STEP[:4]})
    assert plan.practices() == ("slow_breathing", "mindfulness", "relaxation")
    assert plan.products() == ("emollient",)
    lines = plan.describe()
    assert lines[2].startswith("Mindfulness: 20 min at 19:30, 5 days a week, from week 2")


def test_yaml_round_trip(tmp_path):
    plan = CarePlan.from_dict({"name": "x", "steps": EVERY_STEP})
    import yaml

    p = tmp_path / "plan.yaml"
    p.write_text(yaml.safe_dump(plan.to_dict()))
    assert CarePlan.from_yaml(p) == plan


@pytest.mark.parametrize("data, field, words", [
    ({"steps": [{"kind": "emolient"}]}, "steps[0].kind", "expected one of"),
    ({"steps": [{"coverage": 1}]}, "steps[0].kind", "needs a kind"),
    ({"steps": [{"kind": "mindfulness", "minutes": 2}]}, "minutes", "5 to 120"),
    ({"steps": [{"kind": "sleep_schedule", "bedtime": "23:00", "wake": "01:00"}]}, "wake",
     "3 to 14 h"),
    ({"steps": [{"kind": "slow_breathing", "days_per_week": 3}]}, "days_per_week", "daily"),
    ({"steps": [{"kind": "emollient"}, {"kind": "emollient"}]}, "steps[1].kind", "once"),
    ({"steps": [{"kind": "topical_corticosteroid", "potency": "strong"}]}, "potency",
     "1 to 4"),
    ({"steps": [{"kind": "emollient", "from_week": 0}]}, "from_week", "1 to 104"),
    ({"steps": "emollient"}, "steps", "list of steps"),
    ({"steps": [{"kind": "emollient", "colour": "red"}]}, "colour", "unknown key"),
])
def test_bad_plans_name_the_field_and_what_is_allowed(data, field, words):
    with pytest.raises(ScenarioError) as exc:
        CarePlan.from_dict(data)
    assert field in str(exc.value)
    assert words in str(exc.value)


def test_prescribed_kinds_are_the_steps_labelled_prescribed():
    labelled = {k for k, c in STEP_KINDS.items() if "(prescribed)" in c.label}
    assert PRESCRIBED_KINDS == labelled == {"topical_corticosteroid", "nb_uvb"}


@pytest.mark.parametrize("kind", sorted(STEP_KINDS))
def test_a_step_ticked_without_details_is_a_valid_plan(kind):
    plan = CarePlan.from_dict({"steps": [{"kind": kind, **ONE_CLICK_SETTINGS.get(kind, {})}]})
    assert [s.kind for s in plan.steps] == [kind]
