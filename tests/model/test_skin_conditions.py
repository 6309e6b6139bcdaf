"""Skin conditions, skin-related distress, mood and the stress-skin vicious cycle (issue 3:
eczema, psoriasis, vitiligo, distress, mood; M3, M5, M6, M7, M13, P3)."""

import json
from pathlib import Path

import numpy as np
import pytest

from nicsim.protocols import Scenario
from nicsim.solve.simulate import simulate

ROOT = Path(__file__).resolve().parents[2]
MODULES = ("eczema", "psoriasis", "vitiligo", "distress", "mood")


def person(**kw):
    p = {"sex": "female", "age": 35, "sleep": {"bedtime": "23:00", "wake": "07:00"}}
    p.update(kw)
    return p


def sc(protocol, duration, person_kw=None, interval="1 day", outputs=None):
    d = {"name": "t", "start": "07:00", "duration": duration, "output_interval": interval,
         "person": person(**(person_kw or {})), "protocol": protocol}
    if outputs:
        d["outputs"] = outputs
    return Scenario.from_dict(d)


def stressor(day=29, weeks=4, load=0.6):
    return {"type": "chronic_stressor", "start": f"day {day}", "period": f"{weeks} weeks",
            "load": load}


def at_week(ds, name, week):
    return float(ds[name].sel(time=week * 168.0, method="nearest"))


def window_max(ds, name, w0, w1):
    return float(ds[name].sel(time=slice(w0 * 168.0, w1 * 168.0)).max())


# ---------------------------------------------------------------- provenance ------------------
def test_skin_condition_modules_are_lint_clean_and_every_parameter_is_sourced():
    from nicsim.checks import lint
    from nicsim.core.sources import Source
    from nicsim.model import build_network

    net = build_network()
    for name in MODULES:
        assert name in net.modules, name
        for p in net.modules[name].parameters.values():
            assert isinstance(p.source, Source) and p.unit, p.id
    errors = [i for i in lint(net) if i.level == "error"]
    assert not errors, "\n".join(map(str, errors))


# ---------------------------------------------------------------- psoriasis / eczema -----------
@pytest.fixture(scope="module")
def prone_runs():
    """12 weeks, stressor in weeks 5-8; prone (both conditions) and non-prone persons."""
    out = {}
    susc = {"psoriasis": 1.0, "eczema": 1.0, "vitiligo": 1.0}
    for key, s in (("prone", susc), ("none", {})):
        for stress in (False, True):
            prot = [stressor()] if stress else []
            out[key, stress] = simulate(sc(prot, "12 weeks", {"susceptibility": s}))
    return out


@pytest.mark.mechanism("M3", "M6", "M13")
def test_stress_worsens_psoriasis_and_eczema_only_in_susceptible_persons(prone_runs):
    calm, stressed = prone_runs["prone", False], prone_runs["prone", True]
    for name in ("pasi", "easi"):
        assert window_max(stressed, name, 6, 12) > 1.3 * window_max(calm, name, 6, 12), name
    assert window_max(stressed, "eczema_itch", 6, 12) > window_max(calm, "eczema_itch", 6,
                                                                   12) + 0.5
    for stress in (False, True):
        ds = prone_runs["none", stress]
        for name in ("pasi", "easi", "eczema_itch", "vitiligo_bsa", "dlqi"):
            assert float(abs(ds[name]).max()) < 1e-6, name


def test_psoriasis_flare_peaks_weeks_after_the_stressor(prone_runs):
    ds = prone_runs["prone", True]
    w = ds.pasi.sel(time=slice(4 * 168, 12 * 168))
    t_peak = float(w.time[int(np.argmax(w.values))]) / 168.0
    assert 8.5 < t_peak <= 12  # after the stressor ends (week 8)


@pytest.mark.mechanism("M9")
def test_topical_corticosteroid_and_emollient_lower_easi():
    prone = {"susceptibility": {"eczema": 1.0}}
    prot = [stressor(day=15, weeks=6)]
    tcs = {"type": "topical_corticosteroid", "start": "day 36", "period": "2 weeks",
           "potency": "potent"}
    emo = {"type": "emollient", "start": "day 22", "period": "4 weeks"}
    base = simulate(sc(prot, "8 weeks", prone))
    with_tcs = simulate(sc(prot + [tcs], "8 weeks", prone))
    with_emo = simulate(sc(prot + [emo], "8 weeks", prone))
    assert at_week(with_tcs, "easi", 7) < 0.6 * at_week(base, "easi", 7)
    assert at_week(with_tcs, "eczema_itch", 7) < at_week(base, "eczema_itch", 7)
    assert at_week(with_emo, "easi", 7) < at_week(base, "easi", 7)


@pytest.mark.mechanism("M9")
def test_nb_uvb_lowers_pasi():
    lesional = {"susceptibility": {"psoriasis": 2.0}}
    uvb = {"type": "nb_uvb", "at": "day 57 10:00", "weeks": 8, "dose": "0.8 J/cm2"}
    a = simulate(sc([], "16 weeks", lesional))
    b = simulate(sc([uvb], "16 weeks", lesional))
    assert at_week(b, "pasi", 8) == pytest.approx(at_week(a, "pasi", 8), rel=1e-6)
    assert at_week(b, "pasi", 16) < 0.5 * at_week(a, "pasi", 16)


def test_psoriasis_topical_corticosteroid_lowers_pasi():
    lesional = {"susceptibility": {"psoriasis": 2.0}}
    tcs = {"type": "topical_corticosteroid", "start": "day 57", "period": "4 weeks",
           "potency": "very potent"}
    a = simulate(sc([], "12 weeks", lesional))
    b = simulate(sc([tcs], "12 weeks", lesional))
    assert at_week(b, "pasi", 12) < at_week(a, "pasi", 12)


# ---------------------------------------------------------------- vitiligo ---------------------
@pytest.mark.mechanism("M13")
def test_chronic_stress_spreads_vitiligo_in_susceptible_persons(prone_runs):
    calm, stressed = prone_runs["prone", False], prone_runs["prone", True]
    assert at_week(stressed, "vitiligo_bsa", 12) > 1.2 * at_week(calm, "vitiligo_bsa", 12)
    assert at_week(calm, "vitiligo_bsa", 12) > 0


# ---------------------------------------------------------------- distress and mood -----------
@pytest.mark.mechanism("M7")
def test_visible_severity_raises_dlqi_and_perceived_stress():
    lesional = {"susceptibility": {"psoriasis": 2.0}}
    runs = {s: simulate(sc([], "12 weeks", {**lesional, "distress_sensitivity": s,
                                            "lesion_visibility": 0.8}))
            for s in (0.0, 1.0, 2.0)}
    assert float(runs[0.0].dlqi.max()) == 0.0
    assert at_week(runs[2.0], "dlqi", 12) > at_week(runs[1.0], "dlqi", 12) > 2.0
    assert at_week(runs[2.0], "perceived_stress", 12) > \
        at_week(runs[0.0], "perceived_stress", 12) + 1.0
    hidden = simulate(sc([], "12 weeks", {**lesional, "lesion_visibility": 0.0}))
    shown = simulate(sc([], "12 weeks", {**lesional, "lesion_visibility": 1.0}))
    assert at_week(shown, "dlqi", 12) > at_week(hidden, "dlqi", 12)


@pytest.mark.mechanism("M5")
def test_chronic_stress_lowers_mood_and_mood_recovers(prone_runs):
    ds = prone_runs["none", True]
    calm = prone_runs["none", False]
    assert window_max(ds, "mood", 5, 10) > window_max(calm, "mood", 5, 10) + 1.0
    assert at_week(ds, "mood", 12) < window_max(ds, "mood", 5, 10)


# ---------------------------------------------------------------- the vicious cycle -----------
VC = ROOT / "examples" / "scenarios" / "vicious_cycle.yaml"
INSENSITIVE = {"distress_sensitivity": 0.5, "lesion_visibility": 0.3}


def vc_variant(person_update=None, stress=True, plan=True):
    d = Scenario.from_yaml(str(VC)).model_dump(mode="json", by_alias=True)
    d = json.loads(json.dumps(d))
    if person_update:
        d["person"].update(person_update)
    events = d["protocol"]
    d["protocol"] = [e for e in events
                     if (stress or e["type"] != "chronic_stressor")
                     and (plan or e["type"] == "chronic_stressor")]
    d["outputs"] = ["pasi", "dlqi", "perceived_stress"]
    d["output_interval"] = "1 day"
    return Scenario.from_dict(d)


@pytest.fixture(scope="module")
def vicious():
    return {
        "sens_calm": simulate(vc_variant(stress=False, plan=False)),
        "sens_stress": simulate(vc_variant(plan=False)),
        "sens_plan": simulate(vc_variant()),
        "insens_calm": simulate(vc_variant(INSENSITIVE, stress=False, plan=False)),
        "insens_stress": simulate(vc_variant(INSENSITIVE, plan=False)),
    }


@pytest.mark.mechanism("M7")
def test_vicious_cycle_flare_persists_for_the_sensitive_person(vicious):
    calm, stressed = vicious["sens_calm"], vicious["sens_stress"]
    base = at_week(calm, "pasi", 16)
    assert window_max(stressed, "pasi", 17, 24) > base + 5
    for week in (32, 52, 79):  # 3, 8 and 14 months after the stressor ended (week 20)
        assert at_week(stressed, "pasi", week) > at_week(calm, "pasi", week) + 6, week
        assert at_week(stressed, "dlqi", week) > at_week(calm, "dlqi", week) + 3, week


@pytest.mark.mechanism("M7")
def test_vicious_cycle_less_sensitive_person_returns_to_baseline(vicious):
    calm, stressed = vicious["insens_calm"], vicious["insens_stress"]
    assert window_max(stressed, "pasi", 17, 26) > at_week(calm, "pasi", 16) + 2
    for week in (40, 79):
        assert at_week(stressed, "pasi", week) == pytest.approx(at_week(calm, "pasi", week),
                                                                abs=0.5)


@pytest.mark.mechanism("M6", "M7", "M9")
def test_vicious_cycle_eight_week_plan_releases_the_sensitive_person(vicious):
    calm, stuck, plan = vicious["sens_calm"], vicious["sens_stress"], vicious["sens_plan"]
    assert at_week(plan, "pasi", 40) < 0.5 * at_week(stuck, "pasi", 40)  # end of the plan
    for week in (52, 65, 79):  # back in the low state: no higher than her no-stress course
        # (the practised mindfulness skill fades over months, so she starts below it)
        assert at_week(plan, "pasi", week) < at_week(calm, "pasi", week) + 1.0, week
        assert at_week(plan, "pasi", week) > at_week(calm, "pasi", week) - 2.5, week
        assert at_week(plan, "pasi", week) < at_week(stuck, "pasi", week) - 6, week
    assert at_week(plan, "pasi", 79) == pytest.approx(at_week(calm, "pasi", 79), abs=0.75)
    late = plan.pasi.sel(time=slice(60 * 168, None)).values
    assert late.max() - late.min() < 1.5  # settled, not drifting back into the flare
