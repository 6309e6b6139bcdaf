"""SBML export: consistency, units, provenance, annotations, CLI, and an independent cross-check.

The cross-check loads the exported file into libroadrunner (and COPASI through basico when it is
installed) and compares every observable with nicsim's own ``simulate(scenario, rtol=1e-9)`` at
every output time: within 1e-4 relative, with an absolute floor of 1e-6 x the observable's
largest magnitude. It covers every example scenario (the 80-week vicious cycle at a 3-week
horizon by default, in full under ``-m slow``) and a wound-only scenario, and compares every
state too: within 3e-4 relative (see STATE_TOL) with a floor of 1e-4 x the state's largest magnitude
(the tails of fast boluses, e.g. injected substance P with a 4-min half-life, lie below both
solvers' absolute tolerances). libroadrunner runs with :func:`nicsim.io.sbml.configure_roadrunner`
(a vector absolute tolerance; see its docstring for why a scalar one fails on wounds).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import numpy as np
import pytest
import sympy as sp

libsbml = pytest.importorskip("libsbml")

from nicsim._default import default_model  # noqa: E402
from nicsim.errors import ScenarioError  # noqa: E402
from nicsim.io.sbml import (  # noqa: E402
    check_sbml,
    configure_roadrunner,
    sympy_to_l3,
    to_sbml,
    write_sbml,
)
from nicsim.protocols import Scenario  # noqa: E402
from nicsim.solve.problem import observable_names  # noqa: E402
from nicsim.solve.simulate import simulate  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "examples" / "scenarios"
RTOL = 1e-9
TOL = 1e-4
#: absolute floor of the state comparison, as a fraction of the state's largest magnitude
STATE_FLOOR = 1e-4
#: the absolute tolerance both solvers run with: differences below it are not compared
ABS_TOL = 1e-12
#: relative tolerance of the state comparison. wound.skin_proliferation, rising from zero in the
#: hour after a wound, was off by 5.9e-4 while its declared absolute tolerance (1e-7) did not
#: tighten with rtol; scipy's Radau on nicsim's own right-hand side agreed with libroadrunner to
#: 1e-9, and declared tolerances now scale with rtol below 1e-6 (CompiledModel.atol).
STATE_TOL = 3e-4
#: a state's differences below the absolute tolerance it declares (the size the model calls
#: indistinguishable from zero for it) are not compared: psyche.arousal (declared 1e-8) resting
#: at zero through a whole endotoxemia run is -8e-27 in nicsim and -1.9e-10 in libroadrunner,
#: where the exported max(x, x_floor) read leaves a negative rounding residue undamped during
#: sleep; against the run's own largest value (1e-26) that counted as 200 x relative
#: every example scenario; long ones at a short horizon by default (the full run is -m slow)
EXAMPLES = sorted(p.stem for p in SCENARIOS.glob("*.yaml"))
SHORT_HORIZON = {"vicious_cycle": 21}  # days
#: a wound and nothing else: the case that made libroadrunner fail with a scalar tolerance
WOUND_ONLY = {"name": "wound_only", "start": "07:00", "duration": "10 days",
              "output_interval": "1 h",
              "protocol": [{"type": "punch_biopsy", "at": "day 3 11:00", "diameter": "3.5 mm"}]}


def _scenario(name: str, full: bool = False) -> Scenario:
    """An example scenario; at its short horizon unless ``full`` (events that start after the
    horizon are left out)."""
    if name == "wound_only":
        return Scenario.from_dict(WOUND_ONLY)
    days = SHORT_HORIZON.get(name)
    if full or days is None:
        return Scenario.from_yaml(SCENARIOS / f"{name}.yaml")
    import yaml

    spec = yaml.safe_load((SCENARIOS / f"{name}.yaml").read_text())
    spec["duration"] = f"{days} days"

    def first_day(ev):
        text = str(ev.get("start", ev.get("at", "day 1")))
        m = re.match(r"day (\d+)", text)
        return int(m.group(1)) if m else 1

    spec["protocol"] = [ev for ev in spec.get("protocol") or [] if first_day(ev) <= days - 1]
    return Scenario.from_dict(spec)


@cache
def _case(name: str, full: bool = False):
    """(scenario, SBML text, nicsim result with states) for a scenario, computed once."""
    sc = _scenario(name, full)
    text = to_sbml(sc, rtol=RTOL)
    ds = simulate(sc, rtol=RTOL, include_states=True)
    return sc, text, ds


def _doc(text: str):
    doc = libsbml.readSBMLFromString(text)
    assert doc.getNumErrors(libsbml.LIBSBML_SEV_ERROR) == 0
    return doc


def _declared_atol() -> dict[str, float]:
    """simulate's state variable name -> the absolute tolerance the model declares for it."""
    return {f"state__{s.id.replace('.', '__')}": float(s.atol)
            for s in default_model().states if s.atol is not None}


def _max_rel_errors(ds, get, names=None, floor_fraction: float = 1e-6,
                    abs_tol: dict[str, float] | None = None) -> dict[str, float]:
    """Largest relative difference per variable. ``abs_tol``: per-variable absolute differences
    that do not count (default ABS_TOL for all)."""
    out = {}
    if names is None:  # the observables the scenario outputs
        names = [n for n in observable_names(default_model()) if n in ds.data_vars]
    for name in names:
        a = np.asarray(ds[name].values, dtype=float)
        b = np.asarray(get(name), dtype=float)
        floor = max(floor_fraction * float(np.max(np.abs(a))), 1e-12)
        # a difference within the solvers' absolute tolerance (1e-12) is numerical noise: a state
        # resting at zero (arousal without any stressor, about -4e-27 in nicsim, -4e-16 in
        # libroadrunner) would otherwise count as 4e-4 relative
        diff = np.maximum(np.abs(b - a) - max(ABS_TOL, (abs_tol or {}).get(name, 0.0)), 0.0)
        out[name] = float(np.max(diff / np.maximum(np.abs(a), floor)))
    return out


def _state_ids() -> dict[str, str]:
    """simulate's state variable name -> SBML id of every state of the model."""
    return {f"state__{s.id.replace('.', '__')}": s.id.replace(".", "__")
            for s in default_model().states}


# ------------------------------------------------------------------ checks and content
def test_consistency_checks_have_no_errors_and_no_unit_warnings():
    _, text, _ = _case("endotoxemia")
    doc = _doc(text)
    doc.setConsistencyChecks(libsbml.LIBSBML_CAT_UNITS_CONSISTENCY, True)
    doc.setConsistencyChecks(libsbml.LIBSBML_CAT_SBO_CONSISTENCY, True)
    doc.setConsistencyChecks(libsbml.LIBSBML_CAT_MODELING_PRACTICE, True)
    n = doc.checkConsistency()
    msgs = [doc.getError(i) for i in range(n)]
    errors = [e for e in msgs if e.getSeverity() >= libsbml.LIBSBML_SEV_ERROR]
    unit = [e for e in msgs if e.getCategory() == libsbml.LIBSBML_CAT_UNITS_CONSISTENCY]
    assert not errors, [e.getMessage() for e in errors[:5]]
    # libsbml reports unit inconsistencies in L3 as warnings: require none at all
    assert not unit, [e.getMessage() for e in unit[:5]]
    r = check_sbml(text)
    assert (r["errors"], r["unit_errors"], r["unit_warnings"]) == (0, 0, 0), r["messages"][:5]


def test_unit_check_is_live():
    """A deliberately wrong unit is reported, so a clean check means something."""
    _, text, _ = _case("tsst")
    bad = re.sub(r'(id="hpa__acth_gain"[^>]*units=")[^"]*', r"\1hour", text)
    assert bad != text
    assert check_sbml(bad)["unit_warnings"] > 0


def test_structure_species_parameters_rules_and_units():
    _, text, _ = _case("endotoxemia")
    m = _doc(text).getModel()
    assert (m.getLevel(), m.getVersion()) == (3, 2)
    assert m.getTimeUnits() == "hour"
    ud = m.getUnitDefinition("hour")
    assert ud.getUnit(0).getKind() == libsbml.UNIT_KIND_SECOND
    assert ud.getUnit(0).getMultiplier() == 3600
    # concentrations are species in plasma; indices are parameters with rate rules
    cort = m.getSpecies("hpa__cortisol")
    assert cort.getCompartment() == "plasma" and cort.getSubstanceUnits() == "nmol"
    assert not cort.getHasOnlySubstanceUnits()
    assert m.getSpecies("immune__tnf_p").getSubstanceUnits() == "ng"  # ng/L = pg/mL
    assert m.getParameter("hpa__crh") is not None and not m.getParameter("hpa__crh").getConstant()
    model = default_model()
    for s in model.states:
        sid = s.id.replace(".", "__")
        assert m.getRateRule(sid) is not None, sid
        el = m.getSpecies(sid) or m.getParameter(sid)
        assert el.isSetUnits() or el.isSetSubstanceUnits(), sid
    for p in m.getListOfParameters():
        assert p.isSetUnits(), p.getId()
    # every observable is an assignment rule under its nicsim name
    for name in observable_names(model):
        assert m.getAssignmentRule(name) is not None, name
    # RMSSD is in ms like simulate's output (canonical hours under ans__rmssd)
    assert m.getParameter("rmssd").getUnits() == "ms"
    # temperature: Celsius values with a kelvin-sized degree, documented
    degc = m.getUnitDefinition("degC")
    assert degc.getUnit(0).getKind() == libsbml.UNIT_KIND_KELVIN
    assert "Celsius" in degc.getNotesString()
    # the LPS bolus is an event assignment adding to the state
    bolus = [ev for ev in m.getListOfEvents()
             if any(ea.getVariable() == "immune__endotoxin"
                    for ea in ev.getListOfEventAssignments())]
    assert len(bolus) == 1
    ev = bolus[0]
    assert ev.getUseValuesFromTriggerTime() and ev.isSetPriority()
    f = libsbml.formulaToL3String(ev.getEventAssignment("immune__endotoxin").getMath())
    assert f.startswith("immune__endotoxin + 2")


def test_parameter_notes_carry_source_value_and_unit():
    _, text, _ = _case("tsst")
    m = _doc(text).getModel()
    p = m.getParameter("hpa__acth_half_life")
    assert p.getUnits() == "hour" and p.getValue() == pytest.approx(20 / 60)
    notes = p.getNotesString()
    assert "Value 20 min" in notes and "In this file: 0.333333 h" in notes
    assert "[keenan2004] ACTH half-life 20 +/- 1.3 min" in notes
    assert "Keenan" in notes  # the full citation from references.bib
    ann = p.getAnnotationString()
    assert 'nicsim:declaredUnit="min"' in ann and 'nicsim:sourceKind="literature"' in ann
    assert p.getSBOTermID() == "SBO:0000332"  # half-life of an exponential decay
    assert m.getParameter("immune__kE").getSBOTermID() == "SBO:0000009"  # 1/hour
    assert m.getParameter("hpa__acth_n").getSBOTermID() == "SBO:0000190"  # Hill exponent
    # a fitted parameter names its fit and keeps its prior's citation
    k6m = m.getParameter("immune__k6M").getNotesString()
    assert "fitted" in k6m and "windoloski2024" in k6m


def _resources(el, qualifier) -> set[str]:
    out = set()
    for i in range(el.getNumCVTerms()):
        cv = el.getCVTerm(i)
        if cv.getQualifierType() == libsbml.BIOLOGICAL_QUALIFIER \
                and cv.getBiologicalQualifierType() == qualifier:
            out |= {cv.getResourceURI(j) for j in range(cv.getNumResources())}
    return out


def test_miriam_annotations_and_sbo_terms():
    _, text, _ = _case("endotoxemia")
    m = _doc(text).getModel()
    expect = {"hpa__cortisol": "CHEBI:17650", "hpa__acth": "CHEBI:3892",
              "hpa__crh": "uniprot:P06850", "immune__tnf_p": "uniprot:P01375",
              "immune__il6_p": "uniprot:P05231", "immune__il10_p": "uniprot:P22301",
              "immune__il1b_p": "uniprot:P01584", "immune__endotoxin": "CHEBI:16412",
              "epinephrine": "CHEBI:28918", "cortisol_saliva": "CHEBI:17650"}
    for sid, ident in expect.items():
        el = m.getSpecies(sid) or m.getParameter(sid)
        assert f"https://identifiers.org/{ident}" in _resources(el, libsbml.BQB_IS), sid
    assert m.getSpecies("hpa__cortisol").getSBOTermID() == "SBO:0000247"
    assert m.getSpecies("immune__il6_p").getSBOTermID() == "SBO:0000252"
    assert m.getCompartment("plasma").getSBOTermID() == "SBO:0000290"
    described = set()
    for i in range(m.getNumCVTerms()):
        cv = m.getCVTerm(i)
        if cv.getQualifierType() == libsbml.MODEL_QUALIFIER \
                and cv.getModelQualifierType() == libsbml.BQM_IS_DESCRIBED_BY:
            described |= {cv.getResourceURI(j) for j in range(cv.getNumResources())}
    assert "https://identifiers.org/doi:10.1113/EP091552" in described  # windoloski2024


def test_model_without_scenario_exports_with_overrides():
    text = to_sbml(None, parameters={"hpa.acth_half_life": 25.0})
    m = _doc(text).getModel()
    assert m.getNumEvents() == 0
    assert m.getParameter("input_asleep").getValue() == 0.0
    assert m.getParameter("hpa__acth_half_life").getValue() == pytest.approx(25 / 60)
    assert "Value 25 min (module default 20 min" in \
        m.getParameter("hpa__acth_half_life").getNotesString()
    with pytest.raises(ScenarioError):
        to_sbml(None, parameters={"no.such_parameter": 1.0})
    assert check_sbml(text)["errors"] == 0


# ------------------------------------------------------------------ math printing
def test_printer_floor_mod_and_friends_evaluate_like_python():
    """Mod is floor-modulo (MathML rem truncates); check the printed formulas numerically."""
    roadrunner = pytest.importorskip("roadrunner")
    x, y = sp.symbols("x y", real=True)
    exprs = {"f_mod": sp.Mod(x - 30, 24), "f_mod2": sp.Mod(y + 1, 24),
             "f_max": sp.Max(x, y, 3), "f_pow": (x / y) ** sp.Rational(3, 2) / (1 + x) ** 2,
             "f_rat": sp.Rational(1, 20) * x - sp.sqrt(y**2 + 1) / 3,
             "f_pw": sp.Piecewise((x, x > y), (y, True)), "f_ln": sp.log(2) * sp.exp(-y / x)}
    vals = {x: 5.5, y: 2.25}
    doc = libsbml.SBMLDocument(3, 2)
    m = doc.createModel()
    for sym, v in vals.items():
        p = m.createParameter()
        p.setId(str(sym))
        p.setValue(v)
        p.setConstant(True)
    settings = libsbml.L3ParserSettings()
    settings.setParseUnits(True)
    for fid, e in exprs.items():
        p = m.createParameter()
        p.setId(fid)
        p.setConstant(False)
        r = m.createAssignmentRule()
        r.setVariable(fid)
        text = sympy_to_l3(e, {x: "x", y: "y"})
        r.setMath(libsbml.parseL3FormulaWithSettings(text, settings))
    rr = roadrunner.RoadRunner(libsbml.writeSBMLToString(doc))
    for fid, e in exprs.items():
        assert rr[fid] == pytest.approx(float(e.subs(vals)), rel=1e-14), fid
    assert rr["f_mod"] == pytest.approx(23.5)  # (5.5 - 30) mod 24


# ------------------------------------------------------------------ errors and CLI
def test_bad_scenario_path_is_a_scenario_error(tmp_path):
    missing = tmp_path / "nope.yaml"
    with pytest.raises(ScenarioError, match="no such file"):
        to_sbml(missing)
    with pytest.raises(ScenarioError, match="no such file"):
        write_sbml(tmp_path / "m.xml", str(missing))
    assert not (tmp_path / "m.xml").exists()


def test_cli_export_sbml_writes_a_file(tmp_path):
    from typer.testing import CliRunner

    from nicsim.cli.export import export_app

    out = tmp_path / "sub" / "model.xml"
    res = CliRunner().invoke(export_app, ["sbml", str(SCENARIOS / "tsst.yaml"), "-o", str(out),
                                          "--burn-in-days", "1"])
    assert res.exit_code == 0, res.output
    assert out.is_file() and "0 errors" in res.output
    m = _doc(out.read_text()).getModel()
    assert m.getId() == "nicsim_tsst" and m.getNumEvents() > 0

    res = CliRunner().invoke(export_app, ["sbml", str(tmp_path / "missing.yaml"), "-o",
                                          str(tmp_path / "x.xml")])
    assert res.exit_code != 0 and isinstance(res.exception, ScenarioError)
    assert "no such file" in str(res.exception)


# ------------------------------------------------------------------ independent cross-check
def _roadrunner_run(text, times, selections):
    roadrunner = pytest.importorskip("roadrunner")
    roadrunner.Logger.setLevel(roadrunner.Logger.LOG_ERROR)  # CVODE's tiny-step notices
    rr = configure_roadrunner(roadrunner.RoadRunner(text), rtol=1e-10, atol=1e-12)
    rr.integrator.variable_step_size = False  # output exactly at the requested times
    rr.resetAll()  # (reset() would keep parameters changed by events)
    species = set(rr.model.getFloatingSpeciesIds())
    # species by concentration (the rate rules act on concentrations)
    rr.timeCourseSelections = ["time"] + [f"[{n}]" if n in species else n for n in selections]
    res = np.asarray(rr.simulate(times=list(times)))
    np.testing.assert_allclose(res[:, 0], times, rtol=0, atol=1e-9)
    return {n: res[:, k + 1] for k, n in enumerate(selections)}


def _check_roadrunner(name: str, full: bool = False):
    sc, text, ds = _case(name, full)
    times = ds.time.values
    model = default_model()
    obs = observable_names(model)
    inputs = [f"input_{n}" for n in model.exogenous]
    states = _state_ids()
    got = _roadrunner_run(text, times, obs + inputs + list(states.values()))
    errs = _max_rel_errors(ds, got.__getitem__)
    bad = {k: v for k, v in errs.items() if not v <= TOL}
    assert not bad, f"{name}: observables beyond {TOL:g} relative: {bad}"
    serrs = _max_rel_errors(ds, lambda v: got[states[v]], list(states), STATE_FLOOR,
                            _declared_atol())
    bad = {k: v for k, v in serrs.items() if not v <= STATE_TOL}
    assert not bad, f"{name}: states beyond {STATE_TOL:g} relative: {bad}"
    # every protocol event fired at its time: the inputs agree at every output time (away from
    # breaks, where float rounding of the output grid decides the side)
    from nicsim.protocols import compile_schedule
    from nicsim.solve.problem import jump_targets

    breaks = compile_schedule(sc, model.exogenous, jump_targets(model)).breaks
    away = np.min(np.abs(times[:, None] - breaks[None, :]), axis=1) > 1e-6
    for n in model.exogenous:
        np.testing.assert_array_equal(got[f"input_{n}"][away], ds[f"input_{n}"].values[away],
                                      err_msg=n)


@pytest.mark.parametrize("name", [*EXAMPLES, "wound_only"])
def test_roadrunner_reproduces_simulate(name):
    _check_roadrunner(name)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(SHORT_HORIZON))
def test_roadrunner_reproduces_simulate_full_horizon(name):
    _check_roadrunner(name, full=True)


def test_configure_roadrunner_sets_an_unscaled_vector_tolerance():
    """A scalar absolute tolerance is multiplied by each state's value (1e-12 x 1e-71 for IL-17
    of a person without psoriasis); the vector that configure_roadrunner sets is used as is."""
    roadrunner = pytest.importorskip("roadrunner")
    _, text, _ = _case("interventions")
    rr = roadrunner.RoadRunner(text)
    rr.integrator.absolute_tolerance = 1e-12
    rr.resetAll()
    assert float(np.min(rr.integrator.getAbsoluteToleranceVector())) < 1e-60
    configure_roadrunner(rr, rtol=1e-8, atol=1e-12)
    rr.resetAll()
    tol = np.asarray(rr.integrator.getAbsoluteToleranceVector())
    assert len(tol) == len(default_model().states) and np.all(tol == 1e-12)
    assert rr.integrator.relative_tolerance == 1e-8


def test_wound_scenarios_contain_the_event_that_broke_roadrunner():
    """The cases above include the punch biopsy (interventions, day 22 11:00 = t 508 h) at
    which libroadrunner failed with a scalar absolute tolerance."""
    sc, _, _ = _case("interventions")
    assert any(ev.type == "punch_biopsy" for ev in sc.protocol)
    assert any(ev.type == "punch_biopsy" for ev in _case("wound_only")[0].protocol)


@pytest.mark.parametrize("name", [*EXAMPLES, "wound_only"])
def test_copasi_reproduces_simulate(name):
    basico = pytest.importorskip("basico")
    _, text, ds = _case(name)
    times = ds.time.values
    dm = basico.load_model_from_string(text)
    try:
        df = basico.run_time_course(model=dm, duration=float(times[-1]), values=list(times),
                                    method="deterministic", r_tol=1e-10, a_tol=1e-12,
                                    max_steps=1_000_000, use_sbml_id=True)
    finally:
        basico.remove_datamodel(dm)
    np.testing.assert_allclose(df.index.values, times, rtol=0, atol=1e-9)
    errs = _max_rel_errors(ds, lambda n: df[n].values)
    bad = {k: v for k, v in errs.items() if not v <= TOL}
    assert not bad, f"{name}: observables beyond {TOL:g} relative: {bad}"
    states = {k: v for k, v in _state_ids().items() if v in df.columns}
    assert len(states) == len(default_model().states), "COPASI lacks state columns"
    serrs = _max_rel_errors(ds, lambda v: df[states[v]].values, list(states), STATE_FLOOR,
                            _declared_atol())
    bad = {k: v for k, v in serrs.items() if not v <= STATE_TOL}
    assert not bad, f"{name}: states beyond {STATE_TOL:g} relative: {bad}"
