"""Leukocyte trafficking and delayed-type hypersensitivity (dth module): directions of effect."""

import pytest

from nicsim.errors import ScenarioError
from nicsim.protocols import Scenario
from nicsim.solve.simulate import simulate

PERSON = {"sex": "female", "age": 30, "sleep": {"bedtime": "23:00", "wake": "07:00"}}
OUTPUTS = ["dth_induration", "dth_infiltrate", "blood_lymphocytes", "skin_leukocytes_relative"]
T_CHALLENGE = 28 * 24 + 2.0  # day 29 10:00 (scenario starts 08:00)
ACUTE = {"type": "acute_stressor", "start": "day 29 08:00", "duration": "2 h", "intensity": 2}
CHRONIC = {"type": "chronic_stressor", "start": "day 1 09:00", "period": "32 days", "load": 0.7,
           "daily_window": {"from": "08:00", "to": "22:00"}}


def run(extra=(), challenge=None):
    challenge = challenge or {"type": "dth_challenge", "sensitisation": "day 22 10:00",
                              "challenge": "day 29 10:00"}
    sc = Scenario.from_dict({"name": "dth", "start": "08:00", "duration": "33 days",
                             "output_interval": "1 h", "person": PERSON,
                             "protocol": [challenge, *extra], "outputs": OUTPUTS})
    return simulate(sc)


def peak(ds):
    return float(ds.dth_induration.sel(time=slice(T_CHALLENGE, None)).max())


@pytest.fixture(scope="module")
def calm():
    return run()


def test_dth_swelling_peaks_48_to_72_h_after_challenge_only_in_a_sensitised_person(calm):
    ind = calm.dth_induration.sel(time=slice(T_CHALLENGE, None))
    t_peak = float(ind.idxmax()) - T_CHALLENGE
    assert 40 <= t_peak <= 72
    assert 5 < peak(calm) < 25  # mm, a positive skin test
    assert float(calm.dth_induration.sel(time=slice(0, T_CHALLENGE - 1)).max()) < 0.01
    naive = Scenario.from_dict({"name": "naive", "start": "08:00", "duration": "33 days",
                                "output_interval": "1 h", "person": PERSON,
                                "protocol": [], "outputs": OUTPUTS})
    assert float(simulate(naive).dth_induration.max()) < 0.01
    recall = run(challenge={"type": "dth_challenge", "challenge": "day 29 10:00"})
    assert peak(recall) > 5  # a recall antigen needs no sensitisation in the scenario


@pytest.mark.mechanism("M6")
def test_blood_lymphocytes_follow_cortisol_and_acute_stress_sends_leukocytes_to_skin(calm):
    night = float(calm.blood_lymphocytes.sel(time=24 + 18, method="nearest"))  # 02:00
    morning = float(calm.blood_lymphocytes.sel(time=24 + 2, method="nearest"))  # 10:00
    assert 1.2 < night / morning < 1.5  # Dimitrov 2009: about 30 % higher at night
    day = calm.blood_lymphocytes.sel(time=slice(24, 48))
    assert 1.0 < float(day.min()) and float(day.max()) < 3.0  # 10^9/L, normal range
    stressed = run([ACUTE])
    during = T_CHALLENGE - 0.5
    # catecholamines add cells to the blood during the stressor (Benschop 1996) while the
    # glucocorticoid route sends cells to the skin, where they stay for hours
    assert (float(stressed.blood_lymphocytes.sel(time=during, method="nearest"))
            > float(calm.blood_lymphocytes.sel(time=during, method="nearest")))
    for t in (T_CHALLENGE, T_CHALLENGE + 6):
        assert (float(stressed.skin_leukocytes_relative.sel(time=t, method="nearest"))
                > 1.1 * float(calm.skin_leukocytes_relative.sel(time=t, method="nearest")))


@pytest.mark.mechanism("M6")
def test_acute_stress_before_challenge_enhances_and_chronic_stress_suppresses_dth(calm):
    """Dhabhar & McEwen 1997: acute stress just before challenge enhances, weeks of chronic
    stress suppress the skin DTH response (directions; sizes are not fitted)."""
    assert peak(run([ACUTE])) > 1.01 * peak(calm)
    assert peak(run([CHRONIC])) < 0.95 * peak(calm)


def test_sensitisation_after_challenge_is_a_clear_error():
    with pytest.raises(ScenarioError, match="sensitisation"):
        run(challenge={"type": "dth_challenge", "sensitisation": "day 29 12:00",
                       "challenge": "day 29 10:00"})
