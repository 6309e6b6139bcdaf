"""PEtab export: the problem passes petablint, holds every included row, and its model at the
nominal parameters reproduces nicsim's own simulation of each condition.

Tests that need the SBML model skip while ``nicsim.io.sbml`` (the SBML exporter) is missing; the
specification tests (bands, protocol shift, event switching) run regardless.
"""

from __future__ import annotations

import csv
import importlib
import math
import subprocess
import sys

import numpy as np
import pytest

from nicsim.io import petab as nic_petab

SHIFT = 24.0 * 6  # default burn-in, inside the PEtab model


def _have_sbml_exporter() -> str | None:
    try:
        mod = importlib.import_module("nicsim.io.sbml")
    except ImportError as exc:
        return f"the SBML exporter nicsim.io.sbml is not available yet ({exc})"
    if not hasattr(mod, "to_sbml"):
        return "nicsim.io.sbml has no to_sbml yet"
    return None


def _read(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


@pytest.fixture(scope="module")
def problem(tmp_path_factory):
    reason = _have_sbml_exporter()
    if reason:
        pytest.skip(reason)
    out = tmp_path_factory.mktemp("petab")
    yaml_path = nic_petab.write_petab_problem(out)
    return yaml_path


# ------------------------------------------------------------------ without the exporter
def test_targets_place_every_check_of_the_targets_table():
    """Each check of an exported row is a measurement, places one (a peak time) or is left out
    with a reason; every name refers to a line of targets.tsv (where the band is)."""
    from nicsim.experiments.targets import study_targets

    checks = {r: {t.metric: t for t in ts} for r, ts in study_targets().items()}
    assert {"V04", "V08", "V09", "V10"} <= set(nic_petab.supported_rows())
    used: dict[str, set[str]] = {r: set() for r in nic_petab.supported_rows()}
    for t in nic_petab.TARGETS:
        assert t.metric in checks[t.row], (t.row, t.metric)
        used[t.row].add(t.metric)
        if isinstance(t.at, tuple):
            assert t.at[1] in checks[t.at[0]], t.at
            used.setdefault(t.at[0], set()).add(t.at[1])
        assert t.condition in nic_petab.CONDITIONS
        band = checks[t.row][t.metric]
        lo, hi = nic_petab._band(t, band.low, band.high)
        assert hi > lo
        if t.kind == "fold":
            assert lo > 0
    for row, omitted in nic_petab.OMITTED.items():
        for metric, _ in omitted:
            assert metric in checks[row], (row, metric)
            used[row].add(metric)
    for row in nic_petab.supported_rows():
        assert used[row] == set(checks[row]), f"{row}: checks neither exported nor left out: " \
            f"{sorted(set(checks[row]) - used[row])}"


def test_challenges_come_from_the_studies_own_scenarios():
    from nicsim.experiments import study

    vns = study("V25").scenarios()
    assert nic_petab.CHALLENGES["vns"].events() == [
        e.model_dump(mode="json", by_alias=True, exclude_none=True)
        for e in vns["vns"].protocol if e not in vns["lps"].protocol]
    assert nic_petab.CHALLENGES["tsst"].events() == [
        e.model_dump(mode="json", by_alias=True, exclude_none=True)
        for e in study("V04").scenarios()["tsst"].protocol]


def test_centre_and_noise_from_band():
    assert nic_petab._centre_sigma(1.3, 2.3, "lin") == pytest.approx((1.8, 0.5))
    c, s = nic_petab._centre_sigma(150, 400, "log")
    assert c == pytest.approx(math.sqrt(150 * 400))
    assert math.log(c) - s == pytest.approx(math.log(150))
    assert math.log(c) + s == pytest.approx(math.log(400))
    with pytest.raises(ValueError):
        nic_petab._centre_sigma(0.0, 1.25, "log")


def test_base_scenario_shifts_challenges_by_the_burn_in():
    base, index = nic_petab.base_scenario(["lps", "tsst", "vns"], burn_in_days=6)
    tl = base.timeline()
    assert base.start == "06:00"
    assert base.duration_h == pytest.approx(SHIFT + 24)
    assert tl.jumps["immune.endotoxin"].t.tolist() == pytest.approx([SHIFT + 3.0])
    assert tl.pulses["acute_stressor"].on.tolist() == pytest.approx([SHIFT + 8.0])
    assert tl.pulses["vns"].on.tolist() == pytest.approx([SHIFT + 2.5])
    assert sorted(i for v in index.values() for i in v) == [0, 1, 2]


def test_switching_rewrites_set_and_bolus_assignments():
    libsbml = pytest.importorskip("libsbml")
    doc = libsbml.SBMLDocument(3, 2)
    m = doc.createModel()
    for pid, const in (("u", False), ("x", False), ("s", True)):
        p = m.createParameter()
        p.setId(pid)
        p.setValue(0.0)
        p.setConstant(const)
    for k, (var, formula) in enumerate((("u", "2"), ("x", "x + 3"), ("x", "2 * x"))):
        ev = m.createEvent()
        ev.setId(f"e{k}")
        ev.setUseValuesFromTriggerTime(True)
        tr = ev.createTrigger()
        tr.setMath(libsbml.parseL3Formula("time >= 1"))
        tr.setInitialValue(False)
        tr.setPersistent(True)
        ea = ev.createEventAssignment()
        ea.setVariable(var)
        ea.setMath(libsbml.parseL3Formula(formula))
    counts = nic_petab._switch_events(m, {"s": {"u", "x"}})
    assert counts == {"s": 3}
    texts = [libsbml.formulaToL3String(m.getEvent(k).getEventAssignment(0).getMath())
             for k in range(3)]
    assert [t.replace(" ", "") for t in texts] == ["s*2", "x+s*3", "x+s*(2*x-x)"]


def test_rows_that_cannot_be_exported_are_refused(tmp_path):
    with pytest.raises(ValueError, match="V02"):
        nic_petab.write_petab_problem(tmp_path, rows=["V02"])


# ------------------------------------------------------------------ with the exporter
def test_petablint_accepts_the_problem(problem):
    pytest.importorskip("petab.v1", reason="petab is not installed (pip install petab)")
    # petablint: the command users run (the same checks as petab.v1.lint.lint_problem)
    cli = subprocess.run([sys.executable, "-m", "petab.petablint", str(problem)],
                         capture_output=True, text=True, timeout=120)
    assert cli.returncode == 0, cli.stdout + cli.stderr


def test_measurements_hold_every_included_row(problem):
    rows = _read(problem.parent / "measurements.tsv")
    assert {r["datasetId"] for r in rows} == set(nic_petab.supported_rows())
    for row in ("V04", "V08", "V09", "V10"):
        assert any(r["datasetId"] == row for r in rows)
    obs = {r["observableId"]: r for r in _read(problem.parent / "observables.tsv")}
    for r in rows:
        assert float(r["time"]) >= SHIFT
        assert float(r["noiseParameters"]) > 0
        if obs[r["observableId"]]["observableTransformation"] == "log":
            assert float(r["measurement"]) > 0
    v08 = {r["observableId"]: float(r["measurement"]) for r in rows if r["datasetId"] == "V08"}
    assert v08["obs_tnf"] == pytest.approx(math.sqrt(150 * 400))  # centre of 150-400 pg/mL
    readme = (problem.parent / "README.md").read_text()
    assert "summary targets, not data" in readme


def test_measurements_are_the_bands_of_the_targets_table(problem):
    from nicsim.experiments.targets import target

    obs = {r["observableId"]: r for r in _read(problem.parent / "observables.tsv")}
    got = [(r["datasetId"], r["observableId"], r["simulationConditionId"], float(r["time"]),
            float(r["measurement"]), float(r["noiseParameters"]))
           for r in _read(problem.parent / "measurements.tsv")]
    prefix = {"absolute": "obs_", "fold": "fold_", "difference": "diff_"}
    for t in nic_petab.TARGETS:
        band = target(t.row, t.metric)
        if isinstance(t.at, tuple):
            t_study = t.at[2] + nic_petab._check_hours(target(t.at[0], t.at[1]))
        else:
            t_study = t.at
        oid = prefix[t.kind] + t.observable
        lo, hi = nic_petab._band(t, band.low, band.high)
        centre, sigma = nic_petab._centre_sigma(lo, hi, obs[oid]["observableTransformation"])
        hits = [g for g in got if g[:3] == (t.row, oid, t.condition)
                and g[3] == pytest.approx(SHIFT + t_study, abs=1e-9)]
        assert len(hits) == 1, (t.row, t.metric, hits)
        assert hits[0][4:] == pytest.approx((centre, sigma), rel=1e-12), (t.row, t.metric)


def test_parameters_estimate_the_fitted_ones_in_canonical_units(problem):
    from nicsim._default import default_model
    from nicsim.core.sources import Fitted

    model = default_model()
    rows = {r["parameterName"]: r for r in _read(problem.parent / "parameters.tsv")}
    fitted = {p.id for p in model.parameters if isinstance(p.source, Fitted)}
    estimated = {k for k, r in rows.items()
                 if r["estimate"] == "1" and not r["parameterId"].startswith("ref_")}
    assert estimated == fitted
    for k in fitted:
        r = rows[k]
        # log scale unless the declared lower bound is 0 (e.g. psyche.mindfulness_effect)
        assert r["parameterScale"] == ("log10" if float(r["lowerBound"]) > 0 else "lin"), k
        assert float(r["lowerBound"]) <= float(r["nominalValue"]) <= float(r["upperBound"])
    assert sum(rows[k]["parameterScale"] == "log10" for k in fitted) > len(fitted) // 2
    # a half-life declared in minutes is in hours in the SBML
    p = next(p for p in model.parameters if p.id == "hpa.acth_half_life")
    assert float(rows[p.id]["nominalValue"]) == pytest.approx(p.value / 60.0)


_RR: dict = {}


def _simulate_condition(problem, condition: str, times, names):
    """roadrunner on the exported model with the condition's switches and the parameter table's
    nominal values (one compiled model per problem; resetAll() between conditions)."""
    roadrunner = pytest.importorskip("roadrunner")
    rr = _RR.get(problem)
    if rr is None:
        rr = _RR[problem] = roadrunner.RoadRunner(str(problem.parent / "model.xml"))
        rr.integrator.relative_tolerance = 1e-9
        rr.integrator.absolute_tolerance = 1e-12
        rr.integrator.setValue("maximum_num_steps", 200000)
    rr.resetAll()
    ids = set(rr.model.getGlobalParameterIds())
    for r in _read(problem.parent / "parameters.tsv"):
        if r["parameterId"] in ids:
            rr[r["parameterId"]] = float(r["nominalValue"])
    cond = next(r for r in _read(problem.parent / "conditions.tsv")
                if r["conditionId"] == condition)
    for k, v in cond.items():
        if k.startswith("switch_"):
            rr[k] = float(v)
    times = np.concatenate([[0.0], np.asarray(times, float)])
    res = rr.simulate(times=times.tolist(), selections=["time", *names])
    return {n: np.asarray(res[n])[1:] for n in names}


def test_nominal_petab_model_matches_nicsim_for_each_condition(problem):
    """roadrunner on the exported model (conditions set from the condition table, parameters
    from the parameter table) against the very datasets the studies compute."""
    from nicsim.experiments import study

    cases = [("V04", "tsst", "tsst", ["cortisol_saliva", "heart_rate", "il6"]),
             ("V08", "lps", "endotoxemia", ["tnf", "il6", "il10"]),
             ("V10", "lps", "endotoxemia", ["cortisol_serum", "acth"]),
             ("V25", "vns", "endotoxemia_vns", ["tnf"])]
    for row, key, condition, names in cases:
        ds = study(row).run().data[key].isel(time=slice(None, None, 5))
        got = _simulate_condition(problem, condition, ds.time.values + SHIFT, names)
        for n in names:  # the exporter names observables' assignment rules like nicsim
            want = ds[n].values
            err = np.max(np.abs(got[n] - want) / np.abs(want))
            assert err < 1e-3, f"{condition} {n}: max relative difference {err:.2e}"
    # V09's read-out is a difference from the control day
    diff = study("V09").run().data["diff"].isel(time=slice(None, None, 5))
    t = diff.time.values + SHIFT
    lps = _simulate_condition(problem, "endotoxemia", t, ["temperature", "heart_rate"])
    ctrl = _simulate_condition(problem, "control", t, ["temperature", "heart_rate"])
    for n in ("temperature", "heart_rate"):
        d = lps[n] - ctrl[n]
        scale = np.max(np.abs(diff[n].values))
        assert np.max(np.abs(d - diff[n].values)) < 1e-3 * scale, n


def test_nominal_measurement_simulation_and_likelihood(problem):
    """Simulate every measurement through the observable table at the nominal parameters: the
    reference points come out at fold 1 / difference 0 and the likelihood is finite."""
    petab = pytest.importorskip("petab.v1", reason="petab is not installed (pip install petab)")
    from petab.v1.math import sympify_petab

    pb = petab.Problem.from_yaml(str(problem))
    nominal = pb.parameter_df["nominalValue"].astype(float).to_dict()
    sim = pb.measurement_df.copy()
    values = []
    for cond, grp in pb.measurement_df.groupby("simulationConditionId"):
        formulas = {o: sympify_petab(pb.observable_df.loc[o, "observableFormula"])
                    for o in grp.observableId.unique()}
        symbols = sorted({str(x) for f in formulas.values() for x in f.free_symbols
                          if not str(x).startswith("observableParameter")})
        times = sorted(set(grp.time.astype(float)))
        traj = _simulate_condition(problem, cond, times, symbols)
        for i, r in grp.iterrows():
            k = times.index(float(r.time))
            subs = {x: traj[str(x)][k] for f in formulas.values() for x in f.free_symbols
                    if str(x) in traj}
            f = formulas[r.observableId]
            for x in f.free_symbols:
                if str(x).startswith("observableParameter"):
                    subs[x] = nominal[r.observableParameters]
            values.append((i, float(f.subs(subs))))
    for i, v in values:
        sim.loc[i, "simulation"] = v
    # reference rows: ref_<row>_<observable>_<condition>_<study minute> at that very point
    is_ref = [isinstance(r.observableParameters, str)
              and r.observableParameters.endswith(
                  f"_{r.simulationConditionId}_{round((float(r.time) - SHIFT) * 60)}")
              for r in sim.itertuples()]
    refs = sim[is_ref]
    assert len(refs) >= 5
    assert np.allclose(refs.simulation.astype(float), refs.measurement.astype(float), atol=1e-3)
    sim = sim.drop(columns=["measurement"]).assign(simulation=sim.simulation.astype(float))
    llh = petab.calculate_llh(pb.measurement_df, sim, pb.observable_df, pb.parameter_df)
    assert np.isfinite(llh)


def test_sbml_values_are_the_nominal_values(problem):
    """PEtab's nominal values override the SBML's: they must be the same numbers."""
    libsbml = pytest.importorskip("libsbml")
    m = libsbml.readSBMLFromFile(str(problem.parent / "model.xml")).getModel()
    rows = _read(problem.parent / "parameters.tsv")
    model_rows = [r for r in rows if not r["parameterId"].startswith("ref_")]
    assert len(model_rows) > 100
    for r in model_rows:
        p = m.getParameter(r["parameterId"])
        assert p is not None and p.getConstant(), r["parameterId"]
        assert p.getValue() == pytest.approx(float(r["nominalValue"]), rel=1e-12, abs=1e-300)


def test_row_subset_and_estimate_override(tmp_path):
    reason = _have_sbml_exporter()
    if reason:
        pytest.skip(reason)
    path = nic_petab.write_petab_problem(tmp_path, rows=["V04"],
                                         estimate=["hpa.stress_gain"])
    conds = _read(path.parent / "conditions.tsv")
    assert [c["conditionId"] for c in conds] == ["tsst"]
    assert [k for k in conds[0] if k.startswith("switch_")] == ["switch_tsst"]
    params = _read(path.parent / "parameters.tsv")
    est = [r["parameterName"] for r in params if r["estimate"] == "1"
           and not r["parameterId"].startswith("ref_")]
    assert est == ["hpa.stress_gain"]
    with pytest.raises(ValueError, match="not parameter ids"):
        nic_petab.write_petab_problem(tmp_path / "x", rows=["V04"], estimate=["no.such"])
