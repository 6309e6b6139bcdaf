"""Direction of every mechanism in the skin modules neuro, barrier, acne, rosacea, collagen."""

import pytest

from nicsim.parameter_sets import parameter_set_values
from nicsim.protocols import Scenario
from nicsim.solve.simulate import simulate

PERSON = {"sex": "female", "age": 30, "sleep": {"bedtime": "23:00", "wake": "07:00"}}


def sc(protocol, duration="1 day", start="09:00", interval="10 min", person=None, outputs=None):
    return Scenario.from_dict({"name": "t", "start": start, "duration": duration,
                               "output_interval": interval, "person": person or PERSON,
                               "protocol": protocol, **({"outputs": outputs} if outputs else {})})


def chronic(start="day 1 09:00", period="27 days", load=0.7):
    return {"type": "chronic_stressor", "start": start, "period": period, "load": load,
            "daily_window": {"from": "08:00", "to": "22:00"}}


# --- neuro: substance P, mast cells, histamine, flare, itch ---------------------------------
def _sp(dose, extra=()):
    return simulate(sc([{"type": "intradermal_substance_p", "at": "day 1 10:00",
                         "dose": f"{dose} pmol"}, *extra], duration="3 h", interval="1 min",
                       outputs=["histamine_dermal", "erythema", "wheal", "itch"]))


@pytest.mark.mechanism("M4")
def test_substance_p_dose_raises_histamine_flare_wheal_and_itch():
    low, high = _sp(25), _sp(75)
    assert float(low.histamine_dermal[0]) == pytest.approx(8.0, abs=0.5)  # baseline ~8 nM
    for name in ("histamine_dermal", "erythema", "wheal", "itch"):
        assert float(high[name].max()) > 1.5 * float(low[name].max()), name
    assert float(low.histamine_dermal[-1]) < 10  # cleared within two hours


@pytest.mark.mechanism("M4")
def test_h1_antihistamine_cuts_flare_and_itch_but_not_histamine_release():
    h1 = {"type": "h1_antihistamine", "start": "day 1 09:00", "duration": "3 h"}
    base, blocked = _sp(50), _sp(50, [h1])
    assert float(blocked.erythema.max()) < 0.5 * float(base.erythema.max())
    assert float(blocked.itch.max()) < 0.5 * float(base.itch.max())
    assert float(blocked.histamine_dermal.max()) == pytest.approx(
        float(base.histamine_dermal.max()), rel=1e-3)
    assert float(blocked.wheal.max()) < float(base.wheal.max())


@pytest.mark.mechanism("M4")
def test_nk1_antagonist_blocks_substance_p_induced_histamine_release():
    nk1 = {"type": "nk1_antagonist", "start": "day 1 09:00", "duration": "3 h", "blockade": 0.9}
    base, blocked = _sp(50), _sp(50, [nk1])
    assert float(blocked.histamine_dermal.max()) < 0.2 * float(base.histamine_dermal.max())


@pytest.mark.mechanism("M4")
def test_acute_stress_raises_dermal_histamine_and_crh_antagonist_damps_it():
    tsst = {"type": "acute_stressor", "start": "day 1 14:00", "duration": "20 min",
            "intensity": 1}
    crh = {"type": "crh_antagonist", "start": "day 1 12:00", "duration": "4 h", "blockade": 0.9}
    kw = dict(duration="8 h", interval="2 min", outputs=["histamine_dermal", "itch"])
    calm = simulate(sc([], **kw))
    stressed = simulate(sc([tsst], **kw))
    blocked = simulate(sc([tsst, crh], **kw))
    win = slice(5, 6.5)
    rise = float(stressed.histamine_dermal.sel(time=win).max()) - float(
        calm.histamine_dermal.sel(time=win).max())
    rise_blocked = float(blocked.histamine_dermal.sel(time=win).max()) - float(
        calm.histamine_dermal.sel(time=win).max())
    assert rise > 0.2
    assert rise_blocked < rise


def _mast(protocol, parameters=None):
    ds = simulate(sc(protocol, duration="8 h", interval="2 min",
                     outputs=["mast_cell_activation", "mast_cell_degranulated_fraction"]),
                  parameters=parameters)
    return float(ds.mast_cell_activation.sel(time=slice(5, 6.5)).max()), ds


TSST = {"type": "acute_stressor", "start": "day 1 14:00", "duration": "20 min", "intensity": 1}


def _blocker(kind, blockade=1.0, duration="8 h"):
    return {"type": kind, "start": "day 1 09:00", "duration": duration, "blockade": blockade}


def test_mast_cell_observables_are_reachable_from_scenarios():
    peak, ds = _mast([TSST])
    calm = float(ds.mast_cell_activation[0])
    assert calm == pytest.approx(1.0, abs=0.02)  # 1 = rest
    assert peak > 1.2 * calm  # acute stress degranulates skin mast cells
    frac = ds.mast_cell_degranulated_fraction
    assert 0 < float(frac.min()) and float(frac.max()) < 1


@pytest.mark.mechanism("M4")
def test_substance_p_injection_degranulation_is_removed_by_nk1_not_crh_antagonist():
    def peak(extra):
        ds = simulate(sc([{"type": "intradermal_substance_p", "at": "day 1 10:00",
                           "dose": "50 pmol"}, *extra], duration="3 h", interval="1 min",
                         outputs=["mast_cell_degranulated_fraction"]))
        return float(ds.mast_cell_degranulated_fraction.max())
    base = peak([])
    assert peak([_blocker("nk1_antagonist", duration="3 h")]) < 0.05 * base
    assert peak([_blocker("crh_antagonist", duration="3 h")]) == pytest.approx(base, rel=0.05)


@pytest.mark.parametrize("route_off, antagonist, other", [
    ({"neuro.crh_to_sp_ratio": 0.0}, "crh_antagonist", "nk1_antagonist"),
    ({"neuro.sp_acute_gain": 0.0, "neuro.sp_load_gain": 0.0}, "nk1_antagonist",
     "crh_antagonist")])
@pytest.mark.mechanism("M4")
def test_each_antagonist_removes_only_its_own_routes_share(route_off, antagonist, other):
    """With one route's stress share switched off, its antagonist leaves the stress-driven
    rise of the mast-cell drive as it is (nothing of the other route is removed), while the other
    route's antagonist removes it (99 % blockade: no drive at all is singular). The drive
    s = s_sp + s_crh is additive; it is read back from the degranulated fraction
    A = s^n/(1+s^n)."""
    n = parameter_set_values()["neuro.mast_hill"]

    def drive_rise(extra):
        def peak_drive(protocol):
            a = float(_mast(protocol, route_off)[1].mast_cell_degranulated_fraction.max())
            return (a / (1 - a)) ** (1 / n)
        return peak_drive([TSST, *extra]) - peak_drive(list(extra))
    rise = drive_rise([])
    assert rise > 0
    assert drive_rise([_blocker(antagonist)]) == pytest.approx(rise, rel=1e-3)
    assert drive_rise([_blocker(other, 0.99)]) < 0.02 * rise


@pytest.mark.mechanism("M4")
def test_both_routes_share_the_acute_stress_response():
    calm = _mast([])[0]
    rise = _mast([TSST])[0] - calm
    no_sp = _mast([TSST, _blocker("nk1_antagonist")])[0] - _mast([_blocker("nk1_antagonist")])[0]
    no_crh = _mast([TSST, _blocker("crh_antagonist")])[0] - _mast([_blocker("crh_antagonist")])[0]
    assert 0 < no_sp < rise and 0 < no_crh < rise


# --- barrier: TEWL and recovery after tape stripping ----------------------------------------
STRIP = {"type": "tape_stripping", "at": "day 22 10:00", "fraction": 0.75}
T_STRIP = 21 * 24 + 1.0


def _recovery_24h(extra):
    ds = simulate(sc([STRIP, *extra], duration="23 days", interval="2 min", outputs=["tewl"]))
    pre = float(ds.tewl.sel(time=T_STRIP - 1 / 30, method="nearest"))
    post = float(ds.tewl.sel(time=T_STRIP + 1 / 30, method="nearest"))
    return (post - float(ds.tewl.sel(time=T_STRIP + 24, method="nearest"))) / (post - pre), pre


@pytest.mark.mechanism("M3", "M8", "M9")
def test_barrier_recovery_is_slowed_by_stress_and_sleep_loss_and_sped_by_emollient():
    calm, tewl0 = _recovery_24h([])
    assert 5 < tewl0 < 15
    stressed, _ = _recovery_24h([chronic(period="22 days")])
    emollient, _ = _recovery_24h([{"type": "emollient", "start": "day 22 10:05",
                                   "period": "1 day", "coverage": 1.0}])
    no_sleep, _ = _recovery_24h([{"type": "sleep_deprivation", "night": 22, "total": True}])
    assert stressed < calm - 0.01
    assert emollient > calm + 0.01
    assert no_sleep < calm


# --- acne -------------------------------------------------------------------------------------
# the acne mechanism alone (no distress loop; the loop is tested in test_skin_conditions)
ACNE = {**PERSON, "age": 20, "susceptibility": {"acne": 1.0}, "distress_sensitivity": 0.0}


def _acne(protocol, person=ACNE, weeks=12):
    return simulate(sc(protocol, duration=f"{weeks * 7} days", interval="1 day", person=person,
                       outputs=["acne_lesions", "acne_iga", "acne_visible", "sebum"]))


@pytest.mark.mechanism("M3", "M9", "M13")
def test_stress_raises_acne_lesions_with_sebum_nearly_unchanged_and_retinoid_lowers_them():
    calm = _acne([])
    exams = _acne([chronic(period="56 days", load=0.8)], weeks=8)
    assert float(calm.acne_lesions[-1]) == pytest.approx(float(calm.acne_lesions[0]), rel=0.02)
    assert float(exams.acne_lesions[-1]) > 1.2 * float(calm.acne_lesions[0])
    assert abs(float(exams.sebum[-1]) / float(calm.sebum[-1]) - 1) < 0.15
    treated = _acne([{"type": "retinoid_bpo", "start": "day 1 21:00", "period": "83 days"}])
    assert float(treated.acne_lesions[-1]) < 0.6 * float(calm.acne_lesions[-1])
    assert 0 < float(calm.acne_iga[-1]) < 4
    assert float(calm.acne_visible[-1]) == pytest.approx(float(calm.acne_iga[-1]) / 4)


def test_no_acne_without_susceptibility():
    ds = _acne([chronic(period="27 days", load=1.0)], person=PERSON, weeks=4)
    assert float(ds.acne_lesions.max()) == 0.0


# --- rosacea ----------------------------------------------------------------------------------
ROSACEA = {**PERSON, "age": 40, "susceptibility": {"rosacea": 1.0}}


@pytest.mark.mechanism("M3")
def test_rosacea_triggers_and_stress_worsen_erythema():
    kw = dict(duration="28 days", interval="10 min", person=ROSACEA,
              outputs=["rosacea_erythema", "rosacea_visible", "rosacea_papules"])
    calm = simulate(sc([], **kw))
    trig = simulate(sc([{"type": "rosacea_trigger", "start": "day 2 12:00", "duration": "30 min",
                         "intensity": 1.0}], **kw))
    stressed = simulate(sc([chronic()], **kw))
    t = 24 + 3.4  # 12:25 on day 2
    assert 1 < float(calm.rosacea_erythema[0]) < 3
    assert float(trig.rosacea_erythema.sel(time=t, method="nearest")) > \
        float(calm.rosacea_erythema.sel(time=t, method="nearest")) + 0.2
    assert float(stressed.rosacea_erythema[-1]) > float(calm.rosacea_erythema[-1]) + 0.1
    assert float(stressed.rosacea_papules[-1]) > float(calm.rosacea_papules[-1])
    h1 = simulate(sc([{"type": "rosacea_trigger", "start": "day 2 12:00", "duration": "30 min"},
                      {"type": "h1_antihistamine", "start": "day 2 08:00", "duration": "12 h"}],
                     **kw))
    peak = lambda ds: float(ds.rosacea_erythema.sel(time=slice(24, 30)).max())  # noqa: E731
    assert peak(calm) < peak(h1) < peak(trig)  # antihistamine: a modest effect only
    not_prone = simulate(sc([chronic(period="2 days")], duration="3 days",
                            outputs=["rosacea_erythema"]))
    assert float(not_prone.rosacea_erythema.max()) == 0.0


# --- collagen ---------------------------------------------------------------------------------
@pytest.mark.mechanism("M3", "M8")
def test_chronic_cortisol_and_topical_steroid_lower_collagen_synthesis_and_content():
    kw = dict(duration="60 days", interval="1 h",
              outputs=["collagen_synthesis", "collagen_index", "cortisol_free"])
    calm = simulate(sc([], **kw))
    hc = simulate(sc([{"type": "hydrocortisone_infusion", "start": "day 1 09:00",
                       "duration": "59 days", "rate": "2 mg/h"}], **kw))
    stressed = simulate(sc([chronic(period="59 days")], **kw))
    tcs = simulate(sc([{"type": "topical_corticosteroid", "start": "day 1 09:00",
                        "period": "14 days", "potency": 4}], **kw))
    assert float(calm.collagen_synthesis[-1]) == pytest.approx(1.0, abs=0.05)
    assert float(hc.cortisol_free.mean()) > 1.3 * float(calm.cortisol_free.mean())
    assert float(hc.collagen_synthesis[-1]) < 0.8 * float(calm.collagen_synthesis[-1])
    assert float(hc.collagen_index[-1]) < float(calm.collagen_index[-1]) - 0.01
    assert float(stressed.collagen_synthesis.sel(time=slice(7 * 24, None)).mean()) < \
        float(calm.collagen_synthesis.sel(time=slice(7 * 24, None)).mean())
    assert float(tcs.collagen_synthesis.sel(time=13 * 24)) < 0.3


# --- provenance -------------------------------------------------------------------------------
def test_skin_modules_are_lint_clean_and_every_parameter_has_a_source():
    from nicsim.checks import lint
    from nicsim.model import build_network

    net = build_network()
    mine = {"neuro", "barrier", "acne", "rosacea", "collagen"}
    assert mine <= set(net.modules)
    errors = [i for i in lint(net) if i.level == "error"]
    assert not errors, errors
    for name in mine:
        for p in net.modules[name].parameters.values():
            assert p.source is not None and p.unit, p.id


def _tewl_after_strip(extra, hours):
    ds = simulate(sc([STRIP, *extra], duration="23 days", interval="2 min", outputs=["tewl"]))
    return float(ds.tewl.sel(time=T_STRIP + hours, method="nearest"))


@pytest.mark.mechanism("M8")
def test_sympathetic_arousal_during_recovery_slows_the_fast_phase_at_once():
    """The fast route: an acute stressor in the first hour after stripping holds back
    lamellar-body secretion (Denda 2003), so TEWL stays higher within the hour."""
    stress = [{"type": "acute_stressor", "start": "day 22 10:02", "duration": "40 min",
               "intensity": 1.0}]
    assert _tewl_after_strip(stress, 0.7) > _tewl_after_strip([], 0.7) + 0.05


@pytest.mark.mechanism("M3")
def test_eczema_lesions_raise_tewl_and_healthy_skin_is_unchanged():
    prone = {**PERSON, "susceptibility": {"eczema": 1.65}}
    ds = simulate(sc([], duration="200 days", interval="1 day", person=prone,
                     outputs=["easi", "tewl", "tewl_lesional"]))
    healthy = simulate(sc([], duration="200 days", interval="1 day",
                          outputs=["easi", "tewl", "tewl_lesional"]))
    assert float(ds.easi[-1]) > 15
    assert float(ds.tewl_lesional[-1]) > 2 * float(healthy.tewl[-1])
    assert float(healthy.tewl[-1]) < float(ds.tewl[-1]) < float(ds.tewl_lesional[-1])
    assert float(healthy.tewl[-1]) < 1.1 * 9.17  # a healthy forearm keeps its TEWL (V17)


# --- barrier: acute glucocorticoid route (epidermal GR signal, hours) --------------------------
NO_GR = {"barrier.gr_secretion_gain": 0.0}
HYDROCORTISONE = {"type": "hydrocortisone_infusion", "start": "day 22 09:00", "duration": "1 h",
                  "rate": "10 mg/h"}


def _tewl_course(extra, parameters=None, hours=(1, 3)):
    ds = simulate(sc([STRIP, *extra], duration="23 days", interval="2 min", outputs=["tewl"]),
                  parameters=parameters)
    return [float(ds.tewl.sel(time=T_STRIP + h, method="nearest")) for h in hours]


@pytest.mark.mechanism("M8")
def test_cortisol_above_the_calm_peak_slows_recovery_for_hours_and_calm_days_are_neutral():
    """The acute glucocorticoid route: cortisol raised above the calm morning peak before
    stripping holds back lamellar-body secretion after the infusion has ended (TEWL higher at
    1 h and still at 3 h than with the route switched off); a calm person stripped at 10:00,
    just after the morning cortisol peak, recovers the same with and without the route."""
    calm_on, calm_off = _tewl_course([]), _tewl_course([], NO_GR)
    assert calm_on == pytest.approx(calm_off, abs=0.01)
    (hc_1h, hc_3h), (off_1h, off_3h) = (_tewl_course([HYDROCORTISONE]),
                                         _tewl_course([HYDROCORTISONE], NO_GR))
    assert hc_1h > off_1h + 0.5
    assert hc_3h > off_3h + 0.05


def test_gr_calm_peak_is_the_calm_days_highest_epidermal_gr_signal():
    """barrier.gr_calm_peak is derived from the HPA core (scripts/derive_calm_cortisol_reference
    .py): it must follow the core, or the calm morning would slow barrier repair."""
    ds = simulate(Scenario.from_dict({"name": "calm", "start": "00:00", "duration": "3 days",
                                      "output_interval": "10 min", "protocol": [],
                                      "initial_state": "settled", "outputs": ["cortisol_free"]}),
                  include_states=True)
    peak = float(ds["state__barrier__gr_signal"].sel(time=slice(48.0, 72.0)).max())
    from nicsim.model import build_network

    value = build_network().modules["barrier"].parameters["gr_calm_peak"].value
    assert value == pytest.approx(peak, rel=0.02)
