"""In-silico trials: outcome definitions on known curves, effect sizes and bootstrap CIs, a small
trial end to end (results file, report, CLI), chunking invariance and spec errors."""

from __future__ import annotations

import copy
import math
from pathlib import Path

import numpy as np
import pytest
import typer
import xarray as xr
from typer.testing import CliRunner

from nicsim._default import default_model
from nicsim.analysis.outcomes import bootstrap_effect, effect, evaluate_outcomes
from nicsim.analysis.trial import (
    TrialSpec,
    effects_table,
    load_results,
    process_model,
    run_trial,
)
from nicsim.errors import ModelError, NicsimError, ScenarioError
from nicsim.experiments._two_arm import hedges_g
from nicsim.report.trial_report import save_trial

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "trials"
PNG = b"\x89PNG\r\n\x1a\n"

SMALL = {
    "name": "small breathing trial",
    "seed": 3,
    "subjects": 8,
    "design": "paired",
    "population": {"sex": {"male": 0.5},
                   "age": {"normal": {"mean": 40, "sd": 12, "min": 18, "max": 80}}},
    "scenario": {"start": "07:00", "protocol": [
        {"type": "chronic_stressor", "start": "day 1", "period": "14 days", "load": 0.3}]},
    "duration": "14 days",
    "trajectories": ["rmssd", "perceived_stress"],
    "arms": [{"name": "control"},
             {"name": "breathing", "protocol": [
                 {"type": "slow_breathing", "start": "day 1 07:30", "days": 13}]}],
    "outcomes": [
        {"name": "rmssd_change", "kind": "change", "output": "rmssd",
         "baseline": "day 1 10:00", "end": "day 14 10:00"},
        {"name": "rmssd_post", "kind": "value", "output": "rmssd", "at": "day 14 10:00"},
        {"name": "cortisol_day13", "kind": "mean", "output": "cortisol_saliva",
         "window": {"from": "day 13", "to": "day 14"}},
        {"name": "cortisol_slope", "kind": "diurnal_slope",
         "window": {"from": "day 10", "to": "day 14"}},
        {"name": "rmssd_up", "kind": "responder", "output": "rmssd",
         "baseline": "day 1 10:00", "end": "day 14 10:00", "threshold": 5,
         "direction": "increase"},
        {"name": "hr_peak", "kind": "peak", "output": "heart_rate",
         "window": {"from": "day 1", "to": "end"}},
        {"name": "pss_rise", "kind": "time_to_threshold", "output": "perceived_stress",
         "threshold": 1.1, "relative": True, "direction": "above", "unit": "h"},
    ],
    "bootstrap": {"resamples": 500},
    # exact model values: these tests check the outcome arithmetic against the mechanism;
    # observation models are tested in test_observation.py
    "observation_noise": False,
}


# ================================================================== outcomes on known curves
T = np.arange(0, 20 * 24 + 1, 1.0)  # hourly for 20 days


def test_time_to_threshold_on_exponential_decay():
    tau = np.array([30.0, 48.0, 72.0])[:, None]  # hours
    Y = 250.0 * np.exp(-T[None, :] / tau)
    out = evaluate_outcomes([
        {"name": "heal", "kind": "time_to_threshold", "output": "area", "threshold": 0.01,
         "relative": True},
        {"name": "heal_h", "kind": "time_to_threshold", "output": "area", "threshold": 2.5,
         "unit": "h"},
        {"name": "late", "kind": "time_to_threshold", "output": "area", "threshold": 0.5,
         "relative": True, "start": "day 3 07:00", "unit": "h"},
        {"name": "never", "kind": "time_to_threshold", "output": "area", "threshold": 1e-9,
         "relative": True}], T, {"area": Y})
    exact_days = (tau[:, 0] * math.log(100)) / 24
    assert out["heal"] == pytest.approx(exact_days, rel=2e-3)
    assert out["heal_h"] == pytest.approx(tau[:, 0] * math.log(100), rel=2e-3)
    assert out["late"] == pytest.approx(tau[:, 0] * math.log(2), rel=2e-3)  # memoryless
    assert np.all(np.isnan(out["never"]))  # censored
    rise = evaluate_outcomes([{"name": "up", "kind": "time_to_threshold", "output": "x",
                               "threshold": 2.0, "direction": "above", "unit": "h"}],
                             T, {"x": (T / 10.0)[None, :]})
    assert rise["up"] == pytest.approx([20.0])


def test_value_mean_peak_change_and_responders():
    a, b = np.array([10.0, 20.0]), np.array([0.5, -0.25])  # per-hour slopes
    Y = a[:, None] + b[:, None] * T[None, :]
    out = evaluate_outcomes([
        {"name": "v", "kind": "value", "output": "y", "at": "day 2 08:30"},       # t = 25.5 h
        {"name": "m", "kind": "mean", "output": "y", "window": {"from": "+10.25 h",
                                                                "to": "+30.75 h"}},
        {"name": "c", "kind": "change", "output": "y", "baseline": "+0 h", "end": "day 3"},
        {"name": "cr", "kind": "change", "output": "y", "baseline": "+0 h", "end": "+24 h",
         "relative": True},
        {"name": "cw", "kind": "change", "output": "y", "baseline": {"from": "+0 h",
                                                                     "to": "+4 h"},
         "end": {"from": "+20 h", "to": "+24 h"}},
        {"name": "pk", "kind": "peak", "output": "y", "window": {"from": "+0 h", "to": "end"}},
        {"name": "mn", "kind": "peak", "output": "y", "which": "min",
         "window": {"from": "+0 h", "to": "+10 h"}},
    ], T, {"y": Y})
    assert out["v"] == pytest.approx(a + b * 25.5)
    assert out["m"] == pytest.approx(a + b * (10.25 + 30.75) / 2)
    assert out["c"] == pytest.approx(b * 41.0)  # day 3 00:00 is t = 41 h (start 07:00)
    assert out["cr"] == pytest.approx(100 * b * 24 / a)
    assert out["cw"] == pytest.approx(b * 20)
    assert out["pk"] == pytest.approx([a[0] + b[0] * T[-1], a[1]])
    assert out["mn"] == pytest.approx([a[0], a[1] + b[1] * 10])
    # PASI75-style responders: reductions of 80 %, 75 %, 50 %, and a rise
    base = np.array([20.0, 20.0, 20.0, 20.0])
    end = np.array([4.0, 5.0, 10.0, 30.0])
    Yr = base[:, None] + (end - base)[:, None] * (T[None, :] >= 100)
    r = evaluate_outcomes([
        {"name": "pasi75", "kind": "responder", "output": "pasi", "baseline": "+0 h",
         "end": "end", "threshold": 75},
        {"name": "worse", "kind": "responder", "output": "pasi", "baseline": "+0 h",
         "end": "end", "threshold": 25, "direction": "increase"}], T, {"pasi": Yr})
    assert list(r["pasi75"]) == [1, 1, 0, 0] and list(r["worse"]) == [0, 0, 0, 1]


def test_diurnal_slope_recovers_the_log_slope():
    clock = (T + 7.0) % 24  # scenario starts at 07:00, wake 07:00, bedtime 23:00
    since = (clock - 7.0) % 24
    slopes = np.array([-0.1, -0.05])
    Y = np.exp(3.0 + slopes[:, None] * since[None, :])
    Y = np.where((since[None, :] <= 16), Y, 1.0)  # nights: anything
    out = evaluate_outcomes([
        {"name": "s", "kind": "diurnal_slope", "output": "c",
         "window": {"from": "day 2", "to": "day 5"}},
        {"name": "lin", "kind": "diurnal_slope", "output": "c", "log": False,
         "after_wake": "2 h", "window": {"from": "day 2", "to": "day 3"}}],
        T, {"c": Y}, start_clock_h=7.0, wake="07:00", bedtime="23:00")
    assert out["s"] == pytest.approx(slopes, rel=1e-9)
    assert np.all(out["lin"] < 0)


def test_outcome_errors_name_the_field():
    with pytest.raises(ScenarioError) as e:
        evaluate_outcomes([{"name": "v", "kind": "value", "output": "y", "at": "day 30"}],
                          T, {"y": T[None, :]})
    assert e.value.field == "outcomes[0].at"
    with pytest.raises(ScenarioError) as e:
        evaluate_outcomes([{"name": "v", "kind": "mean", "output": "y",
                            "window": {"from": "day 3", "to": "day 2"}}], T, {"y": T[None, :]})
    assert e.value.field == "outcomes[0].window.to"
    with pytest.raises(ScenarioError) as e:
        evaluate_outcomes([{"name": "v", "kind": "slope", "output": "y"}], T, {"y": T})
    assert e.value.field == "kind"


# ================================================================== effect sizes, bootstrap
def test_effect_measures_match_their_definitions():
    rng = np.random.default_rng(1)
    a, c = rng.normal(1.0, 2.0, 40), rng.normal(0.0, 1.5, 55)
    assert effect("mean_difference", a, c) == pytest.approx(a.mean() - c.mean())
    assert effect("hedges_g", a, c) == pytest.approx(hedges_g(a, c))
    n1, n2 = a.size, c.size
    sp = math.sqrt(((n1 - 1) * a.var(ddof=1) + (n2 - 1) * c.var(ddof=1)) / (n1 + n2 - 2))
    assert effect("cohens_d", a, c) == pytest.approx((a.mean() - c.mean()) / sp)
    assert effect("rate_difference", np.array([1, 1, 0, 0.0]), np.array([1, 0, 0, 0.0])) == 25
    t_a, t_c = np.array([2.0, 4.0, 6.0, np.nan, np.nan]), np.array([4.0, 8.0, 12.0, 16.0, 20.0])
    assert effect("median_ratio", t_a, t_c) == pytest.approx(6.0 / 12.0)
    assert np.isinf(effect("median_ratio", np.array([1.0, np.nan, np.nan]), t_c))


def test_bootstrap_ci_covers_a_known_difference():
    rng = np.random.default_rng(7)
    covered, paired_narrower = 0, 0
    reps = 150
    for _ in range(reps):
        base = rng.normal(10.0, 3.0, 60)
        c = base + rng.normal(0, 0.5, 60)
        a = base + 1.0 + rng.normal(0, 0.5, 60)  # the same persons, true difference 1
        a_ind = rng.normal(11.0, 3.0, 60)
        est, lo, hi = bootstrap_effect("mean_difference", a_ind, c, rng=rng, resamples=400)
        covered += lo <= 1.0 <= hi
        _, plo, phi = bootstrap_effect("mean_difference", a, c, rng=rng, resamples=400,
                                       paired=True)
        paired_narrower += (phi - plo) < (hi - lo)
        assert plo <= est or True
    assert 0.88 <= covered / reps <= 0.99
    assert paired_narrower / reps > 0.95
    r1 = bootstrap_effect("hedges_g", a, c, rng=np.random.default_rng(3), resamples=300)
    r2 = bootstrap_effect("hedges_g", a, c, rng=np.random.default_rng(3), resamples=300)
    assert r1 == r2


# ================================================================== a small trial end to end
@pytest.fixture(scope="module")
def small(tmp_path_factory):
    out = tmp_path_factory.mktemp("trial")
    calls = []
    res = run_trial(SMALL, chunk_size=5, progress=lambda d, n: calls.append((d, n)))
    paths = save_trial(res, out)
    return res, paths, calls, out


def test_small_trial_results(small):
    res, paths, calls, out = small
    ds = res.dataset
    assert calls[0] == (0, 4) and calls[-1] == (4, 4)
    assert ds.sizes["arm"] == 2 and ds.sizes["subject"] == 8 and ds.sizes["time"] == 15
    assert list(ds.arm.values) == ["control", "breathing"]
    assert ds.rmssd.dims == ("arm", "subject", "time") and ds.rmssd.attrs["units"] == "ms"
    # paired design: the same persons (traits, parameters) in both arms
    assert np.array_equal(ds.age.values[0], ds.age.values[1])
    assert np.array_equal(ds.parameters.values[0], ds.parameters.values[1])
    # everything finite except censored times; outcomes consistent with the trajectories
    for name in ("rmssd_change", "rmssd_post", "cortisol_day13", "cortisol_slope", "hr_peak"):
        assert np.all(np.isfinite(ds[name].values)), name
    assert ds.rmssd_up.attrs["units"] == "1" and set(np.unique(ds.rmssd_up)) <= {0.0, 1.0}
    assert ds.pss_rise.attrs["units"] == "h"
    assert np.all(ds.rmssd_change.sel(arm="control").values < 0.0)  # the stressor lowers it
    # breathing raises RMSSD against the same person's control (paired design); under the
    # stressor some persons still end a little below their own baseline
    assert np.all(ds.rmssd_change.sel(arm="breathing").values
                  > ds.rmssd_change.sel(arm="control").values + 1.0)
    assert np.all(ds.cortisol_slope.values < 0)  # cortisol falls over the waking day
    rows = effects_table(ds)
    g = {(r["outcome"], r["measure"]): r for r in rows}
    assert g[("rmssd_change", "mean_difference")]["estimate"] > 0
    r = g[("rmssd_post", "hedges_g")]
    assert r["ci_low"] <= r["estimate"] <= r["ci_high"]
    assert ("rmssd_up", "rate_difference") in g and ("pss_rise", "median_ratio") in g
    assert ("rmssd_up", "hedges_g") not in g


def test_small_trial_files_and_report(small):
    res, paths, _calls, out = small
    assert paths["results"] == out / "results.nc" and paths["results"].is_file()
    back = load_results(paths["results"])
    xr.testing.assert_allclose(back[["rmssd", "rmssd_change", "effect_estimate"]],
                               res.dataset[["rmssd", "rmssd_change", "effect_estimate"]])
    assert list(back.sex.values[0]) == list(res.dataset.sex.values[0])
    assert TrialSpec.from_yaml(out / "trial.yaml") == TrialSpec.from_dict(SMALL)
    html = (out / "report.html").read_text(encoding="utf-8")
    for text in ("Effect sizes", "Hedges", "rmssd_change", "breathing vs control",
                 "not a diagnostic tool", "figures/fan_rmssd.png", "figures/outcomes.png"):
        assert text in html, text
    assert "<script" not in html
    for f in ("fan_rmssd.png", "fan_perceived_stress.png", "outcomes.png", "effects.png"):
        assert (out / "figures" / f).read_bytes()[:8] == PNG


TINY = {**SMALL, "design": "independent", "subjects": 3, "duration": "3 days",
        "scenario": {"start": "07:00"},
        "outcomes": [SMALL["outcomes"][2] | {"window": {"from": "day 2", "to": "day 3"}},
                     SMALL["outcomes"][3] | {"window": {"from": "day 2", "to": "day 4"}},
                     {"name": "rm", "kind": "value", "output": "rmssd", "at": "end"}],
        "arms": [{"name": "control"}, {"name": "breathing", "protocol": [
            {"type": "slow_breathing", "start": "day 1 07:30", "days": 2}]}]}


def test_chunking_seed_and_independent_design(tmp_path):
    a = run_trial(TINY, chunk_size=1)
    b = run_trial(TINY, chunk_size=3)
    xr.testing.assert_identical(a.dataset, b.dataset)  # whatever the chunking
    ds = a.dataset
    assert not np.array_equal(ds.age.values[0], ds.age.values[1])
    assert list(ds.person_index.values[1]) == [3, 4, 5]
    other = run_trial(TINY, rng=4, subjects=2)
    assert not np.array_equal(other.dataset.age.values, ds.age.values[:, :2])
    page = save_trial(a, tmp_path)["report"]  # the report of an independent design
    assert "6 sampled persons" in page.read_text(encoding="utf-8")


def test_cli_trial(tmp_path):
    from nicsim.cli.trial import register

    app = typer.Typer()

    @app.callback()
    def _main():
        """nicsim (test app)"""

    register(app)
    out = tmp_path / "cli"
    r = CliRunner().invoke(app, ["trial", str(EXAMPLES / "vns_endotoxemia.yaml"), "--out",
                                 str(out), "--subjects", "3", "--chunk-size", "2"])
    assert r.exit_code == 0, r.output
    assert "tnf_peak" in r.output and "report:" in r.output
    ds = load_results(out / "results.nc")
    assert ds.sizes["subject"] == 3 and (out / "report.html").is_file()
    assert float(ds.tnf_peak.sel(arm="lps_vns").mean()) < float(ds.tnf_peak.sel(arm="lps").mean())
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nsubjects: 2\nduration: 1 day\narms: [{name: a}]\n"
                   "outcomes: [{name: o, kind: value, output: rmssd, at: day 9}]\n")
    r = CliRunner().invoke(app, ["trial", str(bad)])
    assert isinstance(r.exception, ScenarioError) and r.exception.field == "outcomes[0].at"


# ================================================================== spec errors
def _bad(change):
    spec = copy.deepcopy(SMALL)
    change(spec)
    return spec


@pytest.mark.parametrize("change, field", [
    (lambda s: s["arms"][1]["protocol"][0].update(start="day 40 07:30"),
     "arms[1].protocol[0].start"),
    (lambda s: s["arms"][1]["protocol"][0].update(rate="20 /min"), "arms[1].protocol[0].rate"),
    (lambda s: s["scenario"]["protocol"][0].update(period="30 days"),
     "scenario.protocol[0].period"),
    (lambda s: s["arms"][0].update(protocl=[]), "arms[0].protocl"),
    (lambda s: s["arms"][1].update(name="control"), "arms[1].name"),
    (lambda s: s.update(control="placebo"), "control"),
    (lambda s: s["scenario"].update(person={"age": 30}), "scenario.person"),
    (lambda s: s["outcomes"][1].update(at="day 15 10:00"), "outcomes[1].at"),
    (lambda s: s["outcomes"][0].update(kind="delta"), "outcomes[0].kind"),
    (lambda s: s["outcomes"][0].update(name="2x"), "outcomes[0].name"),
    (lambda s: s["outcomes"][1].update(name="rmssd_change"), "outcomes[1].name"),
    (lambda s: s["outcomes"][3].update(window={"from": "day 2 00:00", "to": "day 2 06:00"}),
     "outcomes[3].window"),
    (lambda s: s["outcomes"][0].update(effects=["hedges_g", "odds_ratio"]),
     "outcomes[0].effects[1]"),
    (lambda s: s["outcomes"][0].update(effects=["hedges_g", "rate_difference"]),
     "outcomes[0].effects[1]"),
    (lambda s: s["population"]["age"]["normal"].update(sd=0), "population.age.normal.sd"),
    (lambda s: s.update(subjects=0), "subjects"),
    (lambda s: s.update(design="crossover"), "design"),
    (lambda s: s.update(trajectory_interval="10 min"), "trajectory_interval"),
    (lambda s: s.update(burn_in="1.5 days"), "burn_in"),
    (lambda s: s.pop("duration"), "duration"),
    (lambda s: s.update(bootstrap={"resamples": 5}), "bootstrap.resamples"),
])
def test_invalid_trial_specs_name_the_field(change, field):
    with pytest.raises(ScenarioError) as e:
        TrialSpec.from_dict(_bad(change))
    assert e.value.field == field, str(e.value)


def test_scenario_file_relative_to_the_trial_file(tmp_path):
    (tmp_path / "base.yaml").write_text(
        "name: base\nstart: '08:00'\nduration: 2 days\nprotocol:\n"
        "  - {type: acute_stressor, start: 'day 1 14:00'}\n", encoding="utf-8")
    trial = tmp_path / "t.yaml"
    trial.write_text("name: t\nsubjects: 2\nscenario: base.yaml\narms: [{name: a}]\n"
                     "outcomes: [{name: o, kind: value, output: rmssd, at: end}]\n",
                     encoding="utf-8")
    spec = TrialSpec.from_yaml(trial)
    sc = spec.arm_scenario(0)
    assert sc.start == "08:00" and sc.duration_h == 48 and len(sc.protocol) == 1
    (tmp_path / "base.yaml").write_text("name: b\nduration: 1 day\nperson: {age: 40}\n",
                                        encoding="utf-8")
    with pytest.raises(ScenarioError) as e:
        TrialSpec.from_yaml(trial)
    assert e.value.field == "scenario.person"
    with pytest.raises(ScenarioError) as e:
        TrialSpec.from_dict({**SMALL, "scenario": str(tmp_path / "missing.yaml")})
    assert e.value.field.startswith("scenario")


def test_run_time_errors_name_the_field_or_module():
    with pytest.raises(ScenarioError) as e:
        run_trial(_bad(lambda s: s["outcomes"][0].update(output="cortisol")))
    assert e.value.field == "outcomes[0].output" and "rmssd" in e.value.allowed
    with pytest.raises(ScenarioError) as e:
        run_trial(_bad(lambda s: s.update(trajectories=["rmssd", "nope"])))
    assert e.value.field == "trajectories[1]"
    with pytest.raises(ModelError, match="'no_such_module'"):
        run_trial(_bad(lambda s: s.update(requires=["no_such_module"])))
    with pytest.raises(ScenarioError) as e:
        run_trial(SMALL, chunk_size=0)
    assert e.value.field == "chunk_size"
    with pytest.raises(NicsimError, match="same nicsim version"):
        process_model("0000000000")


def test_example_trials_parse_and_check():
    from nicsim.analysis.trial import _check_model

    model = default_model()
    files = sorted(EXAMPLES.glob("*.yaml"))
    assert {f.stem for f in files} >= {"mindfulness_eczema", "slow_breathing_hrv",
                                       "mindfulness_cortisol", "vns_endotoxemia"}
    for f in files:
        spec = TrialSpec.from_yaml(f)
        modules = {s.module for s in model.states}
        if set(spec.requires) <= modules:
            _check_model(spec, model)
        else:
            with pytest.raises(ModelError, match=repr(spec.requires[0])):
                _check_model(spec, model)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["slow_breathing_hrv", "mindfulness_cortisol",
                                  "vns_endotoxemia", "mindfulness_eczema"])
def test_example_trials_run_in_full(name, tmp_path):
    spec = TrialSpec.from_yaml(EXAMPLES / f"{name}.yaml")
    if not set(spec.requires) <= {s.module for s in default_model().states}:
        pytest.skip(f"needs modules {spec.requires}")
    res = run_trial(spec)
    paths = save_trial(res, tmp_path)
    assert paths["report"].is_file() and paths["results"].is_file()
