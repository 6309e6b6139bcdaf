"""V49 (emollient after a steroid-cleared eczema flare): the flare read-outs count what they
say, and in the same virtual patients the emollient keeps EASI lower and delays relapse."""

import numpy as np
import pytest

from nicsim.experiments.tiplica2018_emollient_flares import (
    LAST,
    RANDOMISED,
    eczema_trial,
    enrolled_and_randomised,
    first_flare_day,
    flare_free_share,
)


def _course(e0: float, at_randomisation: float, after: float) -> np.ndarray:
    easi = np.full(LAST + 1, after)
    easi[0], easi[RANDOMISED] = e0, at_randomisation
    return easi


def test_flare_read_outs_count_the_randomised_only():
    easi = np.array([
        _course(10.0, 3.0, 4.0),      # randomised, never back to 5: flare-free
        _course(10.0, 3.0, 6.0),      # randomised, flares on day 1
        _course(30.0, 3.0, 4.0),      # severe at enrolment: not enrolled
        _course(10.0, 6.0, 4.0),      # flare not resolved by the steroid: not randomised
    ])
    easi[1, RANDOMISED + 1:RANDOMISED + 5] = 4.0    # ... so flares on day 5 instead
    rand = enrolled_and_randomised(easi)
    assert rand.tolist() == [True, True, False, False]
    days = first_flare_day(easi)
    assert np.isinf(days[0]) and days[1] == 5
    assert flare_free_share(easi, rand) == pytest.approx(50.0)
    assert np.isnan(flare_free_share(easi, np.zeros(4, bool)))


def test_emollient_keeps_easi_lower_and_delays_relapse_in_the_same_patients():
    with_e = eczema_trial(True, n=4)
    without = eczema_trial(False, n=4)
    # the same patients: identical until the emollient starts at randomisation
    np.testing.assert_allclose(with_e[:, :RANDOMISED + 1], without[:, :RANDOMISED + 1],
                               rtol=1e-6)
    rand = enrolled_and_randomised(without)
    assert rand.any()
    assert np.all(with_e[rand, LAST] < 0.95 * without[rand, LAST])
    assert np.all(first_flare_day(with_e[rand]) >= first_flare_day(without[rand]))
    assert flare_free_share(with_e, rand) >= flare_free_share(without, rand)
