"""Directions of the systemic PNI mechanisms: wound healing, oxytocin/social support, immune
competence (M3, M8, M15, M17), on the full model with the real protocol events."""

import numpy as np
import pytest

from nicsim.experiments._wounds import closure_time, wound_area_mm2
from nicsim.protocols import Scenario
from nicsim.solve.simulate import simulate


def person(**kw):
    return {"sex": "female", "age": 40, "sleep": {"bedtime": "23:00", "wake": "07:00"}, **kw}


def sc(protocol, duration, interval="2 h", start="08:00", **pkw):
    return Scenario.from_dict({"name": "t", "start": start, "duration": duration,
                               "output_interval": interval, "person": person(**pkw),
                               "protocol": protocol})


def chronic(days, load=0.6):
    return {"type": "chronic_stressor", "start": "day 1 08:00", "period": f"{days} days",
            "load": load, "daily_window": {"from": "08:00", "to": "22:00"}}


PUNCH = {"type": "punch_biopsy", "at": "day 29 09:00", "diameter": "3.5 mm"}
T_PUNCH = 28 * 24 + 1.0
A0 = wound_area_mm2(3.5)


def skin_days(ds, t=T_PUNCH, a0=A0):
    return closure_time(ds, "wound_area_skin", t, a0) / 24


@pytest.mark.mechanism("M3", "M8")
def test_chronic_stress_slows_skin_wound_closure():
    calm = simulate(sc([PUNCH], "90 days"))
    stressed = simulate(sc([PUNCH, chronic(89)], "90 days"))
    assert skin_days(stressed) > 1.05 * skin_days(calm)
    # the wound opens at the punch and is still open a week later
    assert float(calm.wound_area_skin.sel(time=T_PUNCH + 2, method="nearest")) == \
        pytest.approx(A0, rel=0.02)


def test_mucosal_wound_heals_several_fold_faster_than_skin():
    both = [PUNCH, {"type": "mucosal_wound", "at": "day 29 09:00", "diameter": "3.5 mm"}]
    ds = simulate(sc(both, "90 days"))
    mucosal = closure_time(ds, "wound_area_mucosal", T_PUNCH, A0) / 24
    assert 3 * mucosal < skin_days(ds)


def test_closure_time_follows_wound_size_and_tissue():
    """Margin-driven closure: a bigger punch takes longer, roughly in proportion to its radius
    after the inflammatory lag; a suction blister (epidermal, resurfaced from the margin and the
    retained follicles) closes in days, and its size matters far less than a punch's."""
    def days(protocol, name, mm):
        ds = simulate(sc(protocol, "120 days", interval="2 h"))
        return closure_time(ds, name, 1.0, wound_area_mm2(mm)) / 24

    def punch(mm):
        return days([{"type": "punch_biopsy", "at": "day 1 09:00", "diameter": f"{mm} mm"}],
                    "wound_area_skin", mm)

    def blister(mm):
        return days([{"type": "blister_wound", "at": "day 1 09:00", "diameter": f"{mm} mm"}],
                    "wound_area_blister", mm)

    small, standard, large = punch(2.0), punch(3.5), punch(8.0)
    assert small + 5 < standard < large - 20
    lag = standard - (large - standard) * 1.75 / (4.0 - 1.75)  # same margin speed
    assert 1 < lag < 8  # days before the margin moves: the inflammatory phase
    b4, b8 = blister(4.0), blister(8.0)
    assert b4 < b8 < 12 and b8 < 0.25 * large
    assert b8 - b4 < 0.2 * (large - standard)  # shallow wound, fast margin, follicle islands


@pytest.mark.mechanism("M15")
def test_more_oxytocin_speeds_closure_and_intranasal_oxytocin_raises_plasma_levels():
    blister = [{"type": "blister_wound", "at": "day 2 09:00", "diameter": "8 mm"}]
    a0, t = wound_area_mm2(8.0), 25.0
    low = simulate(sc(blister, "70 days", social_support=0.1))
    high = simulate(sc(blister, "70 days", social_support=0.9))
    assert float(high.oxytocin.mean()) > float(low.oxytocin.mean())
    assert closure_time(high, "wound_area_blister", t, a0) < \
        closure_time(low, "wound_area_blister", t, a0)
    spray = simulate(sc([{"type": "intranasal_oxytocin", "at": "day 1 10:00", "dose": "24 IU"}],
                        "8 h", interval="5 min"))
    base = float(spray.oxytocin.sel(time=1.9, method="nearest"))
    assert float(spray.oxytocin.sel(time=slice(2, 3)).max()) > 2 * base
    assert float(spray.oxytocin[-1]) < 1.2 * base  # absorbed and cleared within hours


TSST = {"type": "acute_stressor", "start": "day 1 14:00", "duration": "20 min", "intensity": 1}


def tsst_response(extra):
    ds = simulate(sc([TSST] + extra, "12 h", interval="5 min", start="06:00"))
    return float(ds.cortisol_saliva.sel(time=slice(8, 9.5)).max()
                 - ds.cortisol_saliva.sel(time=8, method="nearest"))


@pytest.mark.mechanism("M15")
def test_support_and_oxytocin_buffer_the_cortisol_response():
    none = tsst_response([])
    friend = tsst_response([{"type": "social_support", "start": "day 1 14:00",
                             "duration": "10 min"}])
    spray = tsst_response([{"type": "intranasal_oxytocin", "at": "day 1 13:10"}])
    assert friend < 0.95 * none
    assert spray < 0.95 * none


@pytest.mark.mechanism("M17")
def test_support_group_slows_the_decline_of_immune_competence():
    group = {"type": "support_group", "start": "day 8 08:00", "weeks": 10}
    kw = dict(duration="120 days", interval="1 day")
    calm = simulate(sc([], **kw))
    stressed = simulate(sc([chronic(119)], **kw))
    helped = simulate(sc([chronic(119), group], **kw))
    end = {k: float(d.immune_competence[-1]) for k, d in
           (("calm", calm), ("stressed", stressed), ("helped", helped))}
    assert end["calm"] > 0.99
    assert end["stressed"] < end["calm"] - 0.05
    assert end["stressed"] < end["helped"] < end["calm"]
    # chronic stress also accelerates inflammaging (the age-related IL-6 growth factor)
    assert float(stressed.il6_ageing_factor[-1]) > float(calm.il6_ageing_factor[-1]) > 1.0


def test_cortisol_lowers_wound_il1b_production():
    mucosal = {"type": "mucosal_wound", "at": "day 1 09:00", "diameter": "3.5 mm"}
    hc = {"type": "hydrocortisone_infusion", "start": "day 1 09:00", "duration": "12 h",
          "rate": "5 mg/h"}
    a = simulate(sc([mucosal], "3 days", interval="30 min"))
    b = simulate(sc([mucosal, hc], "3 days", interval="30 min"))
    win = slice(4, 13)
    assert float(b.wound_il1b_mucosal.sel(time=win).mean()) < \
        0.9 * float(a.wound_il1b_mucosal.sel(time=win).mean())


def test_average_person_keeps_the_calibrated_core():
    """Nominal trait support and no support present: buffers are neutral, so the core's
    calibrated responses do not change when the systemic modules are installed."""
    ds = simulate(sc([TSST], "12 h", interval="30 min", start="06:00"), include_states=True)
    assert np.allclose(ds["state__social__central_oxytocin"].values, 0.0, atol=1e-9)
    assert np.allclose(ds.oxytocin.values, 4.0)


def test_provenance_of_the_systemic_modules_is_lint_clean():
    from nicsim.checks import lint
    from nicsim.model import build_network

    issues = lint(build_network())
    mine = [i for i in issues if i.where.split(".")[0] in ("wound", "social", "competence")]
    assert not [i for i in issues if i.level == "error"], issues
    assert not mine, mine


@pytest.mark.mechanism("M17")
def test_stress_acceleration_of_inflammaging_outlasts_the_stress():
    """The acceleration follows the glucocorticoid resistance accumulated since the start: after
    60 days of caregiving-level stress the resistance has recovered within weeks, but the
    accumulated dose stays, so the ageing factor keeps growing faster than a calm person's; and
    it grows with the years of stress (a longer stress gives a larger dose)."""
    kw = dict(duration="180 days", interval="1 day")
    accel = {"competence.stress_acceleration": 1.0}  # per resistance-year (inside its range)
    calm = simulate(sc([], **kw), parameters=accel)
    short = simulate(sc([chronic(30)], **kw), parameters=accel)
    former = simulate(sc([chronic(60)], **kw), parameters=accel)
    dose_end = float(former.stress_ageing_dose[-1])  # resistance-hours
    assert float(calm.stress_ageing_dose[-1]) < 0.02 * dose_end  # everyday stress: a little
    assert dose_end > 1.8 * float(short.stress_ageing_dose[-1]) > 0
    # the resistance itself has recovered by day 180 (no further dose accrues) ...
    t = former.time.values / 24
    late = t >= 150
    assert np.ptp(former.stress_ageing_dose.values[late]) < 0.05 * dose_end
    # ... but the ageing factor still grows faster than the calm person's (by the acceleration
    # x the dose in years: 1.0 x about 550 h / 8766 h, about 6 %)
    rate = {k: float(np.log(d.il6_ageing_factor[-1] / d.il6_ageing_factor[late][0]))
            for k, d in (("calm", calm), ("former", former))}
    assert rate["former"] > 1.04 * rate["calm"] > 0
