"""Issue 11, section 3: the receptor lag of glucocorticoid suppression, the lag of gut-derived
endotoxin and the slow leptin induction, checked on the module equations (no simulation)."""

import math

import pytest

from nicsim.model import appetite, gut_skin, immune


def _subs(m, **values):
    """Every parameter at its module value, every state at its initial value, every input at
    its default or 0, then ``values`` (by parameter, input or state name)."""
    subs = {p.symbol: p.value for p in m.parameters.values()}
    subs.update({s.symbol: s.initial for s in m.states.values()})
    subs.update({i.symbol: (i.default if i.default is not None else 0.0)
                 for i in m.inputs.values()})
    for name, v in values.items():
        for table in (m.parameters, m.inputs, m.states):
            if name in table:
                subs[table[name].symbol] = v
    return subs


def _rate(m, state, **values):
    return float(m.states[state].rate.subs(_subs(m, **values)))


def test_gc_suppression_lags_free_cortisol_with_the_receptor_half_life():
    m = immune.build()
    ic50, ref = m.parameters["gc_ic50"].value, m.parameters["gc_reference"].value
    # module-level equations keep declared units (minutes here); the compiler converts them
    k = math.log(2) / m.parameters["gr_half_life"].value
    # at the reference cortisol the target is 1: nothing moves
    assert _rate(m, "gc_suppression", cortisol_free=ref, gc_sensitivity_signal=1.0,
                 gc_suppression=1.0) == pytest.approx(0.0, abs=1e-12)
    # a cortisol rise lowers the target at once, the suppression only at the receptor's pace
    target = (1 + ref / ic50) / (1 + 4 * ref / ic50)
    r = _rate(m, "gc_suppression", cortisol_free=4 * ref, gc_sensitivity_signal=1.0,
              gc_suppression=1.0)
    assert r == pytest.approx(k * (target - 1.0))
    assert r < 0
    # resistance (gc_sensitivity < 1) weakens the suppression it moves towards
    r_res = _rate(m, "gc_suppression", cortisol_free=4 * ref, gc_sensitivity_signal=0.5,
                  gc_suppression=1.0)
    assert r < r_res < 0
    # the factor the cytokine equations use is the lagged state, not free cortisol
    assert m.outputs["gc_factor"].expr == m.states["gc_suppression"].symbol


def test_gut_endotoxin_reaches_plasma_with_a_lag():
    m = gut_skin.build()
    k = math.log(2) / m.parameters["plasma_lag_half_life"].value
    load = float(m.outputs["gut_endotoxin_load"].expr.subs(_subs(m, stress_signal=0.5)))
    assert load > 1.5
    r = _rate(m, "gut_endotoxin_plasma", stress_signal=0.5, gut_endotoxin_plasma=1.0)
    assert r == pytest.approx(k * (load - 1.0))
    # the cytokine factor reads the plasma state: unchanged at the moment the barrier opens
    factor = m.outputs["gut_endotoxin_factor"].expr.subs(
        _subs(m, stress_signal=0.5, gut_endotoxin_plasma=1.0))
    assert float(factor) == pytest.approx(1.0)


def test_leptin_is_induced_through_three_transit_stages():
    m = appetite.build()
    high = {"tnf_excess": 400.0, "il1b": 0.5}
    # the cytokine drive enters the first stage only
    assert _rate(m, "leptin_induction_1", **high) > 0
    assert _rate(m, "leptin_induction_2", **high) == 0
    assert _rate(m, "leptin_induction_3", **high) == 0
    # leptin itself does not move until the last stage has filled
    assert _rate(m, "leptin_serum", **high) == pytest.approx(0.0, abs=1e-12)
    assert _rate(m, "leptin_serum", leptin_induction_3=0.5, **high) > 0


def _bolus_day(bolus=True, **params):
    from nicsim.protocols import Scenario
    from nicsim.solve.simulate import simulate

    protocol = [{"type": "hydrocortisone_bolus", "at": "day 1 08:30", "dose": "100 mg"}]
    return simulate(Scenario.from_dict({
        "name": "hc", "start": "07:00", "duration": "16 h", "output_interval": "10 min",
        "protocol": protocol if bolus else [],
        "outputs": ["il10", "tnf", "temperature", "cortisol_free"]}),
        parameters=params or None)


def test_cortisol_induces_basal_il10_with_a_delay_of_hours_and_no_fever():
    """Glucocorticoid induction of IL-10 (Dandona 1999): after a 100-mg bolus plasma IL-10
    rises while free cortisol falls back, peaks hours after the cortisol peak, and returns;
    it is basal IL-10, not inflammation, so body temperature does not move."""
    ds = _bolus_day()
    t = ds.time.values
    il10, free = ds.il10.values, ds.cortisol_free.values
    before = float(ds.il10.sel(time=1.5, method="nearest"))
    t_il10, t_free = t[il10.argmax()], t[free.argmax()]
    assert il10.max() > 3 * before
    assert t_il10 - t_free > 2.0
    assert float(ds.il10.sel(time=12.5, method="nearest")) < 0.6 * il10.max()
    calm = _bolus_day(bolus=False)
    assert float(abs(ds.temperature - calm.temperature).max()) < 0.05
    # with the induction switched off the same bolus leaves IL-10 at its set point
    off = _bolus_day(**{"immune.il10_gc_gain": 1e-6})
    assert float(off.il10.max()) == pytest.approx(float(off.il10.min()), rel=1e-3)


def test_il10_set_point_is_the_baseline_at_the_reference_cortisol():
    """At the morning reference free cortisol (gc_reference), fully induced, the IL-10 set point
    is il10_baseline: the induction does not move the fitted endotoxin responses' baseline."""
    m = immune.build()
    ref = m.parameters["gc_reference"].value
    occupancy = ref / (m.parameters["il10_gc_ec50"].value + ref)
    steady = {"cortisol_free": ref, "gc_sensitivity_signal": 1.0, "monocytes_active": 0.0,
              "il10_gc_transit1": occupancy, "il10_gc_transit2": occupancy,
              "il10_gc_induction": occupancy}
    w10 = m.parameters["il10_baseline"].value
    assert _rate(m, "il10_p", il10_p=w10, **steady) == pytest.approx(0.0, abs=1e-12)
