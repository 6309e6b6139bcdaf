"""Herpes labialis stages (issue 12): a trigger becomes a lesion days later, not at once, and
acute stress reaches reactivation through its own, fast route."""

import numpy as np
import pytest

from nicsim.protocols import Scenario
from nicsim.solve.simulate import simulate

SERO = {"sex": "female", "age": 35, "sleep": {"bedtime": "23:00", "wake": "07:00"},
        "hsv1_seropositive": True}
OUT = ["herpes_lesion_onset_rate", "herpes_lesions", "herpes_prodrome",
       "hsv_reactivation_hazard"]
T0 = 9 * 24 + 14.0  # day 10 14:00


def run(protocol, person=SERO):
    return simulate(Scenario.from_dict({
        "name": "t", "start": "00:00", "duration": "20 days", "output_interval": "1 h",
        "person": person, "protocol": protocol}).replace(outputs=OUT))


@pytest.fixture(scope="module")
def acute():
    stressor = {"type": "acute_stressor", "start": "day 10 14:00", "duration": "2 h",
                "intensity": 2.0}
    return run([]), run([stressor])


@pytest.mark.mechanism("M14")
def test_acute_stressor_raises_reactivation_at_once_but_lesions_days_later(acute):
    calm, stressed = acute
    t = calm.time.values
    hz = stressed.hsv_reactivation_hazard.values - calm.hsv_reactivation_hazard.values
    assert hz[(t >= T0) & (t <= T0 + 2)].max() > 0.5 * calm.hsv_reactivation_hazard.values[0]
    extra = stressed.herpes_lesion_onset_rate.values - calm.herpes_lesion_onset_rate.values
    after = t >= T0
    lag_days = (t[after][int(np.argmax(extra[after]))] - T0) / 24
    assert 1.5 < lag_days < 4.5  # the extra lesions peak days after the stressor, not at lag 1 d
    first_day = extra[(t >= T0) & (t <= T0 + 24)].max()
    assert first_day < 0.15 * extra[after].max()  # gamma(8) delay: little mass in day 1
    # the prodrome (epidermal replication) comes before the lesion
    pro = stressed.herpes_prodrome.values - calm.herpes_prodrome.values
    assert t[after][int(np.argmax(pro[after]))] < t[after][int(np.argmax(extra[after]))]


def test_lip_uv_reactivates_only_seropositive_persons_and_lesions_heal_in_about_a_week():
    uv = [{"type": "lip_uv_exposure", "at": "day 3 12:00"}]
    pos = run(uv)
    neg = run(uv, person={**SERO, "hsv1_seropositive": False})
    assert float(np.abs(neg.herpes_lesions).max()) == 0.0
    t = pos.time.values
    les = pos.herpes_lesions.values
    peak = int(np.argmax(les))
    assert 0.4 < les[peak] < 0.71  # at most the 71 % reactivation probability
    later = les[(t > t[peak] + 6 * 24) & (t < t[peak] + 8 * 24)].mean()
    assert later < 0.6 * les[peak]
