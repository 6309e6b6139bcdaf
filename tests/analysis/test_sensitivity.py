"""Sensitivity analysis: indices against analytic values, Morris ranking, spec errors, a real
model run end to end, and a real dask LocalCluster giving the same numbers as a serial run."""

import json
import math

import numpy as np
import pytest
from toys import toy_model

from nicsim.analysis.sensitivity import (
    ParameterRange,
    SensitivitySpec,
    morris_analysis,
    run_sensitivity,
    sobol_analysis,
)
from nicsim.errors import ScenarioError
from nicsim.report.sensitivity_report import write_sensitivity_report

TOY_SCENARIO = {"name": "toy", "duration": "12 h", "output_interval": "1 h"}
TOY_OUTPUTS = [{"output": "y_out", "stat": "value", "at": "+12 h", "name": "y"},
               {"output": "z_out", "stat": "value", "at": "+12 h", "name": "z"}]


def toy_spec(**kw):
    spec = {"name": "toy", "scenario": TOY_SCENARIO, "burn_in_days": 0, "seed": 7,
            "parameters": [{"id": "toy.a", "range": [0.5, 2.0], "scale": "log"},
                           {"id": "toy.b", "range": [0.5, 2.0], "scale": "log"}, "toy.c"],
            "outputs": TOY_OUTPUTS}
    spec.update(kw)
    return spec


def _loguniform_moments(lo, hi):
    r = math.log(hi / lo)
    return (hi - lo) / r, (hi * hi - lo * lo) / (2 * r)


def analytic_ratio_indices(lo=0.5, hi=2.0):
    """S1 and ST of a * (1/b) with a, b independent log-uniform on [lo, hi]."""
    ea, ea2 = _loguniform_moments(lo, hi)
    eg, eg2 = _loguniform_moments(1 / hi, 1 / lo)
    va, vg = ea2 - ea**2, eg2 - eg**2
    v = ea2 * eg2 - (ea * eg) ** 2
    s1 = np.array([va * eg**2 / v, vg * ea**2 / v])
    st = np.array([(v - vg * ea**2) / v, (v - va * eg**2) / v])
    return s1, st


def test_sobol_on_the_toy_network_matches_analytic_indices():
    res = run_sensitivity(toy_spec(sobol={"n": 512, "convergence": [64, 512]}),
                          model=toy_model())
    s = res.sobol
    assert s.sizes == [64, 512]
    # y = a + 2 b (log-uniform a, b on the same range): S1 = ST = 1/5, 4/5, 0
    np.testing.assert_allclose(s.S1[-1, 0], [0.2, 0.8, 0.0], atol=0.05)
    np.testing.assert_allclose(s.ST[-1, 0], [0.2, 0.8, 0.0], atol=0.05)
    # z = a / b: symmetric, with an interaction (ST > S1)
    s1, st = analytic_ratio_indices()
    np.testing.assert_allclose(s.S1[-1, 1, :2], s1, atol=0.05)
    np.testing.assert_allclose(s.ST[-1, 1, :2], st, atol=0.05)
    assert abs(s.ST[-1, 1, 2]) < 1e-9
    # the ranges and their origin are reported per parameter
    origins = {p.id: p.origin for p in res.parameters}
    assert origins["toy.a"] == "range given in the spec"
    assert origins["toy.c"] == "declared bounds"
    assert res.important("y") == ["toy.b", "toy.a"]


def ishigami(X, a=7.0, b=0.1):
    return (np.sin(X[:, 0]) + a * np.sin(X[:, 1]) ** 2
            + b * X[:, 2] ** 4 * np.sin(X[:, 0]))[:, None]


def test_sobol_and_morris_on_ishigami_through_the_pluggable_evaluator():
    rng = [ParameterRange(f"x{i}", "1", 0.0, -math.pi, math.pi, "linear", "test")
           for i in range(3)]
    s = sobol_analysis(rng, ishigami, n=2048, rng=1)
    # analytic (a = 7, b = 0.1): Homma & Saltelli 1996
    np.testing.assert_allclose(s.S1[-1, 0], [0.3139, 0.4424, 0.0], atol=0.05)
    np.testing.assert_allclose(s.ST[-1, 0], [0.5576, 0.4424, 0.2437], atol=0.05)
    # same seed, same numbers; another seed, another sample
    s2 = sobol_analysis(rng, ishigami, n=2048, rng=1)
    np.testing.assert_array_equal(s.ST, s2.ST)
    assert not np.array_equal(sobol_analysis(rng, ishigami, n=256, rng=2).X, s.X[:len(s.X) // 8])
    m = morris_analysis(rng, ishigami, trajectories=40, levels=4, rng=np.random.default_rng(3))
    assert m.mu_star.shape == (1, 3) and np.all(m.mu_star > 0)


def test_morris_ranks_the_irrelevant_parameter_last():
    res = run_sensitivity(toy_spec(morris={"trajectories": 10}), model=toy_model())
    for label in ("y", "z"):
        ranking = res.ranking(label)
        assert ranking[-1]["id"] == "toy.c"
        assert ranking[-1]["mu_star"] == 0.0 and not ranking[-1]["matters"]
    assert res.ranking("y")[0]["id"] == "toy.b"


@pytest.mark.parametrize("change, field", [
    ({"sobol": {"n": 100}}, "sobol.n"),
    ({"sobol": {"n": 64, "convergence": [128]}}, "sobol.convergence"),
    ({"morris": {"levels": 3}}, "morris.levels"),
    ({"morris": {"trajectories": 1}}, "morris.trajectories"),
    ({"outputs": [{"output": "y_out", "stat": "median"}]}, "outputs[0].stat"),
    ({"outputs": []}, "outputs"),
    ({"seeds": 1}, "seeds"),
    ({"scenario": {"name": "x", "duration": "-1 h"}}, "scenario.duration"),
    ({"parameters": [{"id": "toy.a", "range": [2, 1]}]}, "parameters[0].range"),
    ({"parameters": [{"id": "toy.a", "factor": 1.0}]}, "parameters[0].factor"),
    ({"parameters": [{"id": "toy.a", "factor": 2, "range": [1, 2]}]}, "parameters[0].factor"),
    ({"default_factor": 1.0}, "default_factor"),
])
def test_spec_errors_name_the_field(change, field):
    data = toy_spec(morris={"trajectories": 4})
    data.update(change)
    with pytest.raises(ScenarioError) as e:
        SensitivitySpec.from_dict(data)
    assert e.value.field == field, str(e.value)


def test_a_factor_varies_the_shipped_value_and_overrides_a_module_entry():
    """``{id, factor}`` gives nominal x/÷ factor on a log scale, whatever the declared bounds."""
    from nicsim.analysis.sensitivity import resolve_parameters

    spec = SensitivitySpec.from_dict(toy_spec(
        parameters=["toy.c", {"id": "toy.c", "factor": 2}], morris={"trajectories": 4}))
    (r,) = resolve_parameters(spec, toy_model(), nominal=lambda pid: 3.0)
    assert (r.id, r.lower, r.upper, r.scale) == ("toy.c", 1.5, 6.0, "log")
    assert r.origin == "nominal x/÷ 2 (given in the spec)"
    with pytest.raises(ScenarioError, match="nominal value is 0"):
        resolve_parameters(spec, toy_model(), nominal=lambda pid: 0.0)


def test_spec_needs_a_method_and_model_checks_name_the_field():
    with pytest.raises(ScenarioError) as e:
        SensitivitySpec.from_dict(toy_spec())
    assert e.value.field == "morris"
    cases = [
        (["toy.a", "nope"], {}, "parameters[1]"),
        (["toy.k"], {}, "parameters[0]"),  # no bounds, no distribution, no default_factor
        (["toy.a"], {"exclude": ["toy.zz"]}, "exclude[0]"),
        (["toy.a"], {"outputs": [{"output": "nope", "stat": "peak"}]}, "outputs[0].output"),
    ]
    for params, extra, field in cases:
        spec = SensitivitySpec.from_dict(toy_spec(parameters=params, morris={"trajectories": 2},
                                                  **extra))
        with pytest.raises(ScenarioError) as e:
            run_sensitivity(spec, model=toy_model())
        assert e.value.field == field, str(e.value)
    # with a default factor the unbounded parameter is varied x/÷ factor, and says so
    spec = SensitivitySpec.from_dict(toy_spec(parameters=["toy.k"], default_factor=2,
                                              morris={"trajectories": 2}))
    res = run_sensitivity(spec, model=toy_model())
    p = res.parameters[0]
    assert (p.lower, p.upper, p.scale) == (1.0, 4.0, "log") and "x/÷ 2" in p.origin


def test_real_model_end_to_end_writes_the_files(tmp_path):
    import xarray as xr

    from nicsim.protocols import Scenario
    from nicsim.solve.simulate import simulate

    spec = SensitivitySpec.from_dict({
        "name": "tsst-small", "scenario": "examples/scenarios/tsst.yaml",
        "parameters": ["psyche.f_stress_reactivity", "hpa.saliva_ratio"],
        "outputs": [{"name": "peak", "output": "cortisol_saliva", "stat": "peak",
                     "window": {"from": "day 2 14:00", "to": "day 2 16:00"}},
                    {"name": "rise", "output": "cortisol_saliva", "stat": "rise",
                     "window": {"from": "day 2 14:00", "to": "day 2 16:00"}}],
        "morris": {"trajectories": 2}, "sobol": {"n": 8, "convergence": [8]}, "seed": 3})
    seen = []
    res = run_sensitivity(spec, progress=lambda d, t: seen.append((d, t)))
    assert res.runs == 1 + 2 * 3 + 8 * 4 and seen[-1] == (res.runs, res.runs)
    origins = {p.id: p.origin for p in res.parameters}
    assert origins["psyche.f_stress_reactivity"] == "declared bounds"
    assert origins["hpa.saliva_ratio"].startswith("between-person distribution")
    # the nominal read-out equals what `simulate` gives for the scenario
    ds = simulate(Scenario.from_yaml("examples/scenarios/tsst.yaml"))
    w = ds.cortisol_saliva.sel(time=slice(31.0, 33.0))
    assert res.readouts[0].nominal == pytest.approx(float(w.max()), rel=1e-6)
    paths = write_sensitivity_report(res, tmp_path / "out")
    for key in ("netcdf", "json", "markdown", "html", "spec", "sobol_convergence",
                "sobol_indices", "morris_mu_star", "morris_mu_sigma"):
        assert paths[key].exists() and paths[key].stat().st_size > 0, key
    out = xr.open_dataset(paths["netcdf"], engine="h5netcdf")
    assert out.sobol_ST.dims == ("n_base", "readout", "parameter")
    assert list(out.readout.values) == ["peak", "rise"]
    assert out.readout_unit.values[0] == "nmol/L"
    js = json.loads(paths["json"].read_text("utf-8"))
    assert set(js["rankings"]) == {"peak", "rise"}
    assert "| rank | parameter |" in paths["markdown"].read_text("utf-8")
    # a re-run from the written spec gives identical numbers
    again = run_sensitivity(SensitivitySpec.from_yaml(paths["spec"]))
    np.testing.assert_array_equal(again.sobol.Y, res.sobol.Y)


def test_dask_local_cluster_gives_the_serial_numbers():
    import cloudpickle
    import toys
    from distributed import Client, LocalCluster

    cloudpickle.register_pickle_by_value(toys)
    spec = toy_spec(sobol={"n": 16}, morris={"trajectories": 4})
    serial = run_sensitivity(spec, model=toy_model(), chunk_size=16)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        dist = run_sensitivity(spec, model_factory=toys.toy_model, client=client,
                               chunk_size=16)
    np.testing.assert_array_equal(dist.sobol.Y, serial.sobol.Y)
    np.testing.assert_array_equal(dist.morris.Y, serial.morris.Y)
    np.testing.assert_array_equal(dist.sobol.ST, serial.sobol.ST)


def test_every_example_spec_parses():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    specs = sorted((root / "examples" / "sensitivity").glob("*.yaml"))
    assert len(specs) >= 3
    for path in specs:
        s = SensitivitySpec.from_yaml(path)
        assert s.morris is not None or s.sobol is not None
