"""Personal trigger analysis on diaries with known effects (no model needed: fast)."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pytest

from nicsim.clinic.diary import Diary, DiaryEntry
from nicsim.clinic.triggers import MinimumData, find_triggers, naive_comparison
from nicsim.errors import NicsimError

DAY0 = dt.date(2026, 2, 2)


def make_diary(n_days: int, *, seed: int, effects: dict[str, tuple[float, int]],
               probs: dict[str, float], missing: float = 0.1, noise: float = 3.0,
               phi: float = 0.6, condition: str = "eczema") -> Diary:
    """Severity = 30 + AR(1) noise + planted effects (size, lag) of the named triggers."""
    rng = np.random.default_rng(seed)
    x = {k: rng.random(n_days) < p for k, p in probs.items()}
    e = np.zeros(n_days)
    for t in range(1, n_days):
        e[t] = phi * e[t - 1] + noise * np.sqrt(1 - phi**2) * rng.standard_normal()
    y = 30 + e + 2.0 * rng.standard_normal(n_days)
    for k, (size, lag) in effects.items():
        y[lag:] += size * x[k][: n_days - lag]
    stress = np.clip(np.round(4 + 2 * rng.standard_normal(n_days)), 0, 10)
    entries = []
    for d in range(n_days):
        if rng.random() < missing:
            continue
        entries.append(DiaryEntry(date=DAY0 + dt.timedelta(days=d), severity=round(y[d], 1),
                                  stress=stress[d], sleep_hours=7.5,
                                  triggers=[k for k in x if x[k][d]]))
    return Diary(client_id="test", condition=condition, start=DAY0,
                 end=DAY0 + dt.timedelta(days=n_days - 1), entries=entries)


PROBS = {"sweat": 0.25, "alcohol": 0.2, "heat": 0.2, "pet_dust": 0.2}


def test_planted_trigger_found_at_its_lag_with_interval_covering_the_truth():
    found = covered = 0
    for seed in range(3, 8):
        d = make_diary(90, seed=seed, effects={"sweat": (8.0, 2)}, probs=PROBS)
        rep = find_triggers(d)
        r = rep.result("trigger:sweat")
        if r.claimed and r.direction == 1 and r.best.lags == (2, 3):
            found += 1
            assert "sweating" in r.sentence and "2-3 days later" in r.sentence
            assert "higher" in r.sentence
        # the 2-3 bin averages lag 2 (effect 8) and lag 3 (no effect): 4
        e = r.effects[2]
        covered += e.ci_low < 4.0 < e.ci_high
    assert found >= 4
    assert covered >= 4


def test_protective_exposure_is_reported_as_better():
    d = make_diary(90, seed=5, effects={"heat": (-6.0, 0)}, probs=PROBS)
    r = find_triggers(d).result("trigger:heat")
    assert r.claimed and r.direction == -1
    assert "lower" in r.sentence and "same day" in r.sentence


def test_null_diaries_rarely_claim_anything():
    # 40 clients x 6 exposures x 4 lag bins, nothing planted: under this complete null BH at
    # 10 % bounds the share of clients with any claim by 10 %; measured on 150 such diaries:
    # 15 % (the smooth 4-7 day bin is somewhat anti-conservative, see docs/clinic.md)
    with_claims = sum(bool(find_triggers(make_diary(60, seed=s, effects={}, probs=PROBS))
                           .claimed()) for s in range(40))
    assert with_claims <= 8


def test_minimum_data_rule_refuses_short_and_rare_exposures():
    short = make_diary(20, seed=1, effects={"sweat": (10.0, 0)}, probs=PROBS)
    rep = find_triggers(short)
    assert not rep.claimed()
    assert all(r.status.startswith("not enough data") for r in rep.results)
    assert "the rule needs 21" in rep.result("trigger:sweat").status
    rare = make_diary(90, seed=2, effects={}, probs={"sweat": 0.25, "alcohol": 0.03})
    r = find_triggers(rare).result("trigger:alcohol")
    assert r.status.startswith("not enough data: present on")
    assert "no trigger claimed" in r.sentence
    strict = find_triggers(rare, rule=MinimumData(min_days=200))
    assert all(r.status.startswith("not enough data") for r in strict.results)


def test_missing_days_are_not_imputed():
    d = make_diary(90, seed=3, effects={"sweat": (6.0, 2)}, probs=PROBS, missing=0.3)
    rep = find_triggers(d)
    recorded = set(d.recorded_days())
    # a day counts only with itself and the day before recorded
    possible = sum(1 for k in range(1, 90) if DAY0 + dt.timedelta(days=k) in recorded
                   and DAY0 + dt.timedelta(days=k - 1) in recorded)
    assert rep.result("trigger:sweat").n_days <= possible


def test_naive_comparison_and_its_bh_version():
    d = make_diary(60, seed=4, effects={"sweat": (6.0, 0)}, probs=PROBS)
    nv = naive_comparison(d)
    assert nv["trigger:sweat"].claimed and nv["trigger:sweat"].direction == 1
    assert nv["trigger:sweat"].lag == 0
    bh = naive_comparison(d, fdr=0.10)
    assert sum(r.claimed for r in bh.values()) <= sum(r.claimed for r in nv.values())


def test_report_json_plot_and_errors(tmp_path):
    d = make_diary(90, seed=3, effects={"sweat": (6.0, 2)}, probs=PROBS)
    rep = find_triggers(d, errors="hac")
    assert "HAC" in rep.method
    data = json.loads(json.dumps(rep.to_dict()))
    assert data["minimum_data_rule"].startswith("at least 21")
    png = rep.plot(tmp_path / "lag.png")
    assert png.stat().st_size > 10_000
    with pytest.raises(NicsimError, match="outcome: 'colour'"):
        find_triggers(d, outcome="colour")
    with pytest.raises(NicsimError, match="fdr: 1.5"):
        find_triggers(d, fdr=1.5)
    with pytest.raises(NicsimError, match="exposures: 'trigger:sun'"):
        find_triggers(d, exposures=["trigger:sun"])
    with pytest.raises(NicsimError, match="errors: 'robust'"):
        find_triggers(d, errors="robust")
