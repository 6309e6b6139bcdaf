"""Observation model: links from daily model values to diary scales."""

from __future__ import annotations

import numpy as np
import pytest

from nicsim.clinic.observation import (
    EASI_TO_SCORAD,
    ObservationModel,
    ScaleLink,
    _piecewise,
    daily_model_values,
    default_links,
    model_outputs_for,
    sleep_hours_per_day,
)
from nicsim.errors import NicsimError


def values(n=400, **over):
    v = {"perceived_stress": np.full(n, 16.0), "stressor_load": np.zeros(n),
         "sleep_hours": np.full(n, 7.5), "severity": np.full(n, 10.0), "itch": np.full(n, 4.0),
         "mood": np.full(n, 3.0)}
    v.update({k: np.asarray(x, float) for k, x in over.items()})
    return v


@pytest.mark.parametrize("condition", ["eczema", "psoriasis", "acne", "rosacea", "vitiligo"])
def test_samples_are_on_the_diary_scales(condition):
    om = ObservationModel(condition, process_sd=2.0)
    rep = om.sample(values(), np.random.default_rng(0))
    for f in ("stress", "sleep_quality", "itch", "mood"):
        assert np.all((rep[f] >= 0) & (rep[f] <= 10)) and np.all(rep[f] == np.round(rep[f]))
    link = om.links["severity"]
    assert np.all(rep["severity"] >= link.low) and np.all(rep["severity"] <= link.high)
    if condition == "acne":
        assert np.all(rep["severity"] == np.round(rep["severity"]))


def test_easi_to_scorad_matches_the_severity_strata():
    xs, ys = EASI_TO_SCORAD
    assert list(_piecewise(np.array([7.1, 21.0]), xs, ys)) == [25.0, 50.0]
    grid = np.linspace(0, 72, 200)
    assert np.all(np.diff(_piecewise(grid, xs, ys)) > 0)


def test_ordinal_likelihood_is_a_distribution_and_peaks_at_the_mean():
    link = default_links("eczema")["itch"]
    ks = np.arange(0, 11, dtype=float)
    for mu in (0.2, 4.6, 9.9):
        p = np.exp(link.logpdf(ks, np.full(11, mu)))
        assert p.sum() == pytest.approx(1.0, abs=1e-9)
        assert ks[np.argmax(p)] == np.clip(np.round(mu), 0, 10)
    assert np.isnan(link.logpdf(np.array([np.nan]), np.array([3.0]))[0])


def test_log_likelihood_prefers_the_generating_values():
    om = ObservationModel("eczema")
    v = values(severity=np.linspace(5, 25, 400), itch=np.linspace(2, 7, 400))
    obs = om.sample(v, np.random.default_rng(3))
    ll_true = om.log_likelihood(obs, v)
    ll_shift = om.log_likelihood(obs, values(severity=np.linspace(5, 25, 400) + 5,
                                             itch=np.linspace(2, 7, 400) + 1))
    assert ll_true > ll_shift + 50


def test_stress_rating_rises_on_stress_days_and_mood_falls_with_phq():
    om = ObservationModel("psoriasis")
    mu = om.expected(values(n=2, stressor_load=[0.0, 0.8], mood=[3.0, 13.0]))
    assert mu["stress"][1] - mu["stress"][0] == pytest.approx(4.0)
    assert mu["mood"][0] - mu["mood"][1] == pytest.approx(4.0)


def test_sleep_hours_from_a_piecewise_schedule():
    # asleep 23:00-07:00 every night for 3 days (start at 00:00: day 0 counts 00:00-07:00)
    breaks = np.array([0, 7, 23, 31, 47, 55, 72], float)
    asleep = np.array([1, 0, 1, 0, 1, 0], float)
    assert list(sleep_hours_per_day(breaks, asleep, 3)) == [7.0, 8.0, 8.0]


def test_daily_values_from_hourly_outputs():
    t = np.arange(48, dtype=float)
    outs = {k: np.full(48, 2.0) for k in model_outputs_for("eczema")}
    asleep = ((t % 24 >= 23) | (t % 24 < 7)).astype(float)
    load = ((t >= 32) & (t < 40)).astype(float)  # 08:00-16:00 on day 1
    v = daily_model_values(t, outs, "eczema", n_days=2,
                           inputs={"asleep": asleep, "chronic_stressor": load})
    assert list(v["sleep_hours"]) == [7.0, 8.0]
    assert v["stressor_load"][0] == 0 and v["stressor_load"][1] == pytest.approx(0.5)


def test_clear_errors():
    with pytest.raises(NicsimError, match="condition: 'other'"):
        model_outputs_for("other")
    with pytest.raises(NicsimError, match="noise for 'colour'"):
        ObservationModel("eczema").with_noise(colour=1)
    with pytest.raises(NicsimError, match="'severity' is missing"):
        ScaleLink("x", "continuous", {"severity": 1.0}, 0, 1, 0, 10, "test").mean({})
    assert ObservationModel("eczema").with_noise(severity=6).links["severity"].noise_sd == 6
