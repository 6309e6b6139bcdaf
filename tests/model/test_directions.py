"""Each mechanism's direction of effect, on the full model (M2, M6, M8, M9, M11, M12)."""

import numpy as np
import pytest

from nicsim.errors import ScenarioError, SolverError
from nicsim.protocols import Scenario
from nicsim.solve.simulate import simulate

PERSON = {"sex": "female", "age": 35, "sleep": {"bedtime": "23:00", "wake": "07:00"}}


def sc(protocol, duration="1 day", start="07:00", interval="10 min", person=None, **kw):
    return Scenario.from_dict({"name": "t", "start": start, "duration": duration,
                               "output_interval": interval, "person": person or PERSON,
                               "protocol": protocol, **kw})


TSST = {"type": "acute_stressor", "start": "day 1 14:00", "duration": "20 min", "intensity": 1}
LPS = {"type": "lps_bolus", "at": "day 1 09:00", "dose": "2 ng/kg"}


@pytest.fixture(scope="module")
def calm_day():
    return simulate(sc([], interval="5 min"))


@pytest.fixture(scope="module")
def tsst_day():
    return simulate(sc([TSST], interval="5 min"))


def _between(ds, name, h0, h1):
    return ds[name].sel(time=slice(h0, h1))


@pytest.mark.mechanism("M2")
def test_acute_stress_raises_cortisol_acth_heart_rate_and_il6(calm_day, tsst_day):
    for name in ("cortisol_saliva", "acth", "heart_rate"):
        assert float(_between(tsst_day, name, 7, 8.5).max()) > \
            1.1 * float(_between(calm_day, name, 7, 8.5).max()), name
    assert float(_between(tsst_day, "il6", 8, 10).max()) > \
        float(_between(calm_day, "il6", 8, 10).max())
    # outside the stress window the two days agree (same burn-in, deterministic)
    np.testing.assert_allclose(_between(tsst_day, "cortisol_serum", 0, 6.9),
                               _between(calm_day, "cortisol_serum", 0, 6.9), rtol=1e-6)


@pytest.mark.mechanism("M12")
def test_lps_causes_fever_tachycardia_cytokines_and_hpa_activation(calm_day):
    ds = simulate(sc([LPS], interval="5 min"))
    assert float(ds.temperature.max()) > float(calm_day.temperature.max()) + 1.0
    assert float(ds.tnf.max()) > 50 * float(calm_day.tnf.max())
    assert float(ds.heart_rate.max()) > float(calm_day.heart_rate.max()) + 10
    assert float(ds.acth.max()) > 3 * float(calm_day.acth.max())
    assert float(ds.rmssd.sel(time=slice(3, 8)).min()) < float(calm_day.rmssd.sel(
        time=slice(3, 8)).min())


@pytest.mark.mechanism("M6", "M11")
def test_vagus_stimulation_and_hydrocortisone_lower_the_tnf_peak():
    base = float(simulate(sc([LPS])).tnf.max())  # LPS at 09:00, t = 2 h
    vns = simulate(sc([LPS, {"type": "vagus_nerve_stimulation", "start": "day 1 08:30",
                             "duration": "3 h", "intensity": 1.0}]))
    hc = simulate(sc([LPS, {"type": "hydrocortisone_infusion", "start": "day 1 07:30",
                            "duration": "4 h", "rate": "10 mg/h"}]))
    assert float(vns.tnf.max()) < 0.7 * base
    assert float(hc.tnf.max()) < 0.8 * base
    lps_only = simulate(sc([LPS]))
    assert float(hc.cortisol_serum.sel(time=slice(0.5, 4.5)).mean()) > \
        1.2 * float(lps_only.cortisol_serum.sel(time=slice(0.5, 4.5)).mean())


@pytest.mark.mechanism("M9")
def test_slow_breathing_practice_raises_resting_rmssd():
    breathing = {"type": "slow_breathing", "start": "day 1 07:30", "session": "15 min",
                 "days": 28, "rate": "6 /min"}
    rest = lambda ds: float(ds.rmssd.sel(time=slice(27 * 24 + 5, 27 * 24 + 6)).mean())  # noqa
    a = simulate(sc([], duration="28 days", interval="1 h"))
    b = simulate(sc([breathing], duration="28 days", interval="1 h"))
    assert rest(b) > 1.05 * rest(a)


@pytest.mark.mechanism("M2", "M6")
def test_chronic_stress_raises_pss_flattens_rhythm_and_induces_gc_resistance():
    chronic = {"type": "chronic_stressor", "start": "day 1 09:00", "period": "55 days",
               "load": 0.6, "daily_window": {"from": "09:00", "to": "17:00"}}
    kw = dict(duration="8 weeks", interval="30 min")
    calm = simulate(sc([], **kw), include_states=True)
    stressed = simulate(sc([chronic], **kw), include_states=True)
    assert float(stressed.perceived_stress[-1]) > float(calm.perceived_stress[-1]) + 4
    assert float(stressed["state__hpa__gc_sensitivity"][-1]) < 0.95
    assert float(stressed.il6.sel(time=slice(40 * 24, None)).mean()) > \
        float(calm.il6.sel(time=slice(40 * 24, None)).mean())
    def evening(ds):  # 22:00 on the last week's days
        return float(ds.cortisol_serum.where(abs(ds.clock - 22) < 0.1).sel(
            time=slice(49 * 24, None)).mean())
    def morning(ds):
        return float(ds.cortisol_serum.where(abs(ds.clock - 8) < 0.1).sel(
            time=slice(49 * 24, None)).mean())
    assert evening(stressed) / morning(stressed) > evening(calm) / morning(calm)


@pytest.mark.mechanism("M9")
def test_mindfulness_programme_damps_the_stress_response():
    mbsr = {"type": "mindfulness_programme", "start": "day 1 19:00", "weeks": 8,
            "daily_practice": "45 min"}
    tsst = {"type": "acute_stressor", "start": "day 57 14:00", "duration": "20 min",
            "intensity": 1}
    kw = dict(duration="57 days", interval="10 min")
    a = simulate(sc([tsst], **kw))
    b = simulate(sc([mbsr, tsst], **kw))
    win = slice(56 * 24 + 7, 56 * 24 + 9)
    assert float(b.mindfulness[-1]) > 0.3
    assert float(b.cortisol_saliva.sel(time=win).max()) < \
        float(a.cortisol_saliva.sel(time=win).max())


@pytest.mark.mechanism("M2")
def test_sleep_deprivation_raises_next_evening_cortisol():
    short = {"type": "sleep_deprivation", "night": 1, "total": True}
    a = simulate(sc([], duration="2 days"))
    b = simulate(sc([short], duration="2 days"))
    t = 24 + 15  # 22:00 on day 2
    assert float(b.cortisol_serum.sel(time=t, method="nearest")) > \
        1.1 * float(a.cortisol_serum.sel(time=t, method="nearest"))


@pytest.mark.mechanism("M2")
def test_person_traits_act_in_the_expected_direction():
    def response(person):
        ds = simulate(sc([TSST], person=person, interval="5 min"))
        return float(ds.cortisol_saliva.sel(time=slice(7, 9)).max()
                     / ds.cortisol_saliva.sel(time=7, method="nearest"))
    base = response(PERSON)
    assert response({**PERSON, "stress_reactivity": 2.0}) > base
    assert response({**PERSON, "sex": "male"}) > base
    low = simulate(sc([], person={**PERSON, "gr_sensitivity": 2.0}))
    normal = simulate(sc([]))
    assert float(low.cortisol_serum.mean()) < float(normal.cortisol_serum.mean())


def test_solver_failure_is_an_error_with_advice():
    """A negative endotoxin clearance (outside its domain, so only reachable below the
    parameter checks) makes the solution blow up: a SolverError with advice."""
    from nicsim._default import default_model
    from nicsim.protocols import compile_schedule
    from nicsim.solve.problem import jump_targets
    from nicsim.solve.run import integrate_one

    model = default_model()
    scenario = sc([LPS])
    p = model.parameter_vector()
    p[model.parameter_index("immune.kE")] = -80.0
    schedule = compile_schedule(scenario, model.exogenous, jump_targets(model))
    with pytest.raises(SolverError, match="Try"):
        integrate_one(model, model.initial_state(), p, schedule, scenario.output_times(), 1e-6)
    with pytest.raises(ScenarioError, match="immune.kE"):  # the public API refuses it
        simulate(scenario, parameters={"immune.kE": -80.0}, burn_in_days=0)


def test_unknown_output_and_parameter_are_clear_errors():
    with pytest.raises(ScenarioError, match="outputs must be among"):
        simulate(sc([], outputs=["cortisol_serum", "happiness"]))
    with pytest.raises(ScenarioError, match="parameter id"):
        simulate(sc([]), parameters={"hpa.no_such": 1.0})
