"""Virtual clients from the mechanistic model, and the trigger analysis checked on them."""

from __future__ import annotations

import numpy as np
import pytest

from nicsim.clinic.synthetic import (
    PlantedTrigger,
    VirtualClientSpec,
    first_days,
    simulate_clients,
    trigger_power,
)
from nicsim.errors import NicsimError

STRONG = VirtualClientSpec(
    n_days=60, planted=(PlantedTrigger("diet:dairy", 0.25, 12.0, (1,)),),
    nulls=(PlantedTrigger("alcohol", 0.2), PlantedTrigger("heat", 0.2)))


@pytest.fixture(scope="module")
def clients():
    return simulate_clients(STRONG, 6, rng=7)


def test_diaries_are_valid_with_missing_days_and_the_plan(clients):
    for c in clients:
        d = c.diary
        assert len(d.days()) == 60 and d.condition == "eczema"
        assert d.severity_scale == "po_scorad" and d.plan.products == ("emollient",)
        assert 0 < len(d.missing_days()) < 30
        assert set(c.truth) >= {"stress", "trigger:deadline", "trigger:diet:dairy",
                                "trigger:alcohol", "product:emollient"}
    assert len({c.diary.client_id for c in clients}) == 6


def test_model_route_exposures_show_in_the_reports(clients):
    stress_on, stress_off, sleep_on, sleep_off = [], [], [], []
    for c in clients:
        day = c.diary.daily()
        rec = day["recorded"].to_numpy()
        s, h = day["stress"].to_numpy(), day["sleep_hours"].to_numpy()
        sd, sn = c.exposures["stress_day"], c.exposures["short_night"]
        stress_on += list(s[rec & sd])
        stress_off += list(s[rec & ~sd])
        sleep_on += list(h[rec & sn])
        sleep_off += list(h[rec & ~sn])
        # the model's own severity is a smooth, positive EASI
        assert np.all(c.model_daily["severity"] > 0)
    assert np.mean(stress_on) - np.mean(stress_off) > 2.0
    assert np.mean(sleep_off) - np.mean(sleep_on) > 2.5


def test_strong_planted_trigger_is_found_and_nulls_are_not(clients):
    rows = trigger_power(clients, (30, 60))
    assert {(r["days"], r["method"]) for r in rows} == {
        (d, m) for d in (30, 60) for m in ("dlm", "naive", "naive_bh")}
    for r in rows:
        assert 0 <= r["fdr"] <= 1 and 0 <= r["power_planted"] <= 1
    dlm60 = next(r for r in rows if r["days"] == 60 and r["method"] == "dlm")
    assert dlm60["power_planted"] >= 4 / 6
    assert dlm60["claim_rate"]["trigger:alcohol"] <= 1 / 6
    assert dlm60["claim_rate"]["trigger:heat"] <= 1 / 6


def test_first_days_and_bad_specs(clients):
    d = first_days(clients[0].diary, 30)
    assert len(d.days()) == 30 and all(e.date <= d.end for e in d.entries)
    with pytest.raises(NicsimError, match="n_days: 3"):
        simulate_clients(VirtualClientSpec(n_days=3), 1)
    with pytest.raises(NicsimError, match="condition: 'other'"):
        simulate_clients(VirtualClientSpec(condition="other"), 1)
    with pytest.raises(NicsimError, match="tick_prob: 2"):
        simulate_clients(VirtualClientSpec(tick_prob=2), 1)


@pytest.fixture(scope="module")
def power_table(load_benchmark):
    return load_benchmark("clinic_triggers_power").run(100, 2026)


@pytest.mark.slow
def test_fdr_goal_at_60_days(power_table):
    dlm = next(r for r in power_table["rows"] if r["days"] == 60 and r["method"] == "dlm")
    # what Benjamini-Hochberg controls: the mean over clients of false / claims
    assert dlm["fdp_mean"] <= 0.10


@pytest.mark.slow
@pytest.mark.xfail(strict=True, reason="measured (docs/clinic.md): at 60 days the distributed-"
                   "lag analysis at FDR 10 % finds fewer planted triggers than the uncorrected "
                   "naive comparison (whose false-discovery rate is far above 10 %)")
def test_more_power_than_naive_at_60_days(power_table):
    r = {x["method"]: x for x in power_table["rows"] if x["days"] == 60}
    assert r["dlm"]["power_planted"] > r["naive"]["power_planted"]


def test_planted_sizes_follow_the_condition_scale():
    from nicsim.clinic.synthetic import truth_table

    assert truth_table(VirtualClientSpec())["trigger:diet:dairy"]["effect"] == 6.0
    pso = VirtualClientSpec(condition="psoriasis")
    assert truth_table(pso)["trigger:diet:dairy"]["effect"] == 2.4
    assert pso.severity_defaults() == (1.2, 0.4)
    assert VirtualClientSpec(condition="acne", process_sd=0.1).severity_defaults() == (0.1, 0.5)
    assert truth_table(VirtualClientSpec())["trigger:alcohol"] == {"kind": "null",
                                                                   "direction": 0}
