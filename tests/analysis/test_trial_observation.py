"""Observation models of trial outcomes (issue 9, item 13): measurement error and day-to-day
variability with published sizes; on by default in trials, off with observation_noise: false."""

from __future__ import annotations

import math

import numpy as np
import pytest

from nicsim.analysis.observation import OBSERVATION_MODELS, describe_models, observe
from nicsim.analysis.trial import TrialSpec, run_trial
from nicsim.core.bibliography import load_bibliography
from nicsim.report.trial_report import save_trial


def test_every_model_is_sourced_and_cites_known_references():
    bib = load_bibliography()
    for m in OBSERVATION_MODELS.values():
        assert 0 <= m.day_cv < 1 and 0 <= m.reading_cv < 1 and m.total_cv > 0
        for src in (m.day_source, m.reading_source):
            assert src.describe()
            assert all(k in bib for k in src.references()), src.references()


def test_readings_keep_the_mean_and_have_the_declared_spread():
    n, days = 4000, np.repeat(np.arange(3), 4)  # 3 days, 4 samples a day
    Y = np.full((n, days.size), 50.0)
    obs = observe(Y, "cortisol_saliva", entropy=1, arm="a", subjects=np.arange(n), days=days)
    m = OBSERVATION_MODELS["cortisol_saliva"]
    assert obs.mean() == pytest.approx(50.0, rel=0.02)
    assert obs[:, 0].std() / 50.0 == pytest.approx(m.total_cv, rel=0.06)
    # readings of one day share the day factor: same-day log readings correlate
    la = np.log(obs)
    same = np.corrcoef(la[:, 0], la[:, 1])[0, 1]
    other = np.corrcoef(la[:, 0], la[:, 4])[0, 1]
    sd, se = math.log1p(m.day_cv**2), math.log1p(m.reading_cv**2)
    assert same == pytest.approx(sd / (sd + se), abs=0.05) and abs(other) < 0.06


def test_noise_depends_on_subject_and_arm_not_on_chunking():
    Y = np.full((6, 4), 10.0)
    days = np.array([0, 0, 1, 1])
    whole = observe(Y, "rmssd", entropy=5, arm="a", subjects=np.arange(6), days=days)
    part = observe(Y[3:], "rmssd", entropy=5, arm="a", subjects=np.arange(3, 6), days=days)
    np.testing.assert_array_equal(whole[3:], part)
    other_arm = observe(Y, "rmssd", entropy=5, arm="b", subjects=np.arange(6), days=days)
    assert not np.allclose(whole, other_arm)
    np.testing.assert_array_equal(observe(Y, "tnf", entropy=5, arm="a", subjects=np.arange(6),
                                          days=days), Y)  # no model: exact
    assert describe_models(["rmssd", "tnf", "rmssd"])[0].startswith("rmssd")


SPEC = {
    "name": "observation", "seed": 11, "subjects": 6, "duration": "4 days",
    "population": {"sex": {"male": 0.5}},
    "scenario": {"start": "07:00", "protocol": []},
    "trajectories": ["rmssd"],
    "arms": [{"name": "control"},
             {"name": "breathing", "protocol": [
                 {"type": "slow_breathing", "start": "day 1 07:30", "days": 3}]}],
    "outcomes": [{"name": "rmssd_post", "kind": "value", "output": "rmssd",
                  "at": "day 4 10:00"},
                 {"name": "tnf_post", "kind": "value", "output": "tnf", "at": "day 4 10:00"}],
    "bootstrap": {"resamples": 200},
}


def test_trials_observe_outcomes_by_default_and_say_so(tmp_path):
    on = run_trial(TrialSpec.from_dict(SPEC), chunk_size=4)
    off = run_trial(TrialSpec.from_dict({**SPEC, "observation_noise": False}), chunk_size=4)
    a, b = on.dataset, off.dataset
    assert not np.allclose(a.rmssd_post.values, b.rmssd_post.values)
    ratio = a.rmssd_post.values / b.rmssd_post.values
    assert 0.4 < ratio.min() and ratio.max() < 2.5 and ratio.std() > 0.03
    # outputs without an observation model stay exact
    np.testing.assert_array_equal(a.tnf_post.values, b.tnf_post.values)
    assert int(a.attrs["observation_noise"]) == 1 and "alhaddad2011" in a.attrs[
        "observation_models"]
    assert int(b.attrs["observation_noise"]) == 0
    page = save_trial(on, tmp_path / "on")["report"].read_text()
    assert "observed readings" in page and "day-to-day CV 17%" in page
    page = save_trial(off, tmp_path / "off")["report"].read_text()
    assert "exact model values" in page
    # same results whatever the chunking
    again = run_trial(TrialSpec.from_dict(SPEC), chunk_size=1)
    np.testing.assert_array_equal(again.dataset.rmssd_post.values, a.rmssd_post.values)
