"""Issue 11 s3 (autonomic + sleep): the V32 quiescent read-out never returns NaN, process S
saturates with the published two-process constants, and the chronic routes are wired as
documented. Cheap checks: no simulation."""

import math

import numpy as np
import sympy as sp
import xarray as xr

from nicsim.experiments.leproult1997_sleep_loss_cortisol import (
    QUIESCENT_LEVEL,
    QUIESCENT_SEARCH,
    quiescent_onset,
)
from nicsim.model import ans, clock, herpes


def _curve(values):
    t = np.linspace(QUIESCENT_SEARCH[0] - 2, QUIESCENT_SEARCH[1] + 2, len(values))
    return xr.Dataset({"cortisol_serum": ("time", np.asarray(values, float))}, coords={"time": t})


def test_quiescent_onset_is_censored_not_nan_when_the_curve_never_falls():
    onset, censored = quiescent_onset(_curve([3 * QUIESCENT_LEVEL] * 200))
    assert censored and not math.isnan(onset)
    assert onset == QUIESCENT_SEARCH[1]


def test_quiescent_onset_finds_the_first_sample_below_the_level():
    ds = _curve(np.linspace(2 * QUIESCENT_LEVEL, 0.0, 200))
    onset, censored = quiescent_onset(ds)
    assert not censored
    first = ds.time.values[np.flatnonzero(ds.cortisol_serum.values < QUIESCENT_LEVEL)][0]
    assert onset == first and QUIESCENT_SEARCH[0] <= onset < QUIESCENT_SEARCH[1]


def test_process_s_normal_level_follows_from_the_two_process_time_constants():
    p = clock.build().parameters
    rise, decay = p["pressure_rise_tc"].value, p["pressure_decay_tc"].value
    e_wake, e_sleep = math.exp(-16 / rise), math.exp(-8 / decay)
    end_of_day = (1 - e_wake) / (1 - e_wake * e_sleep)
    assert abs(p["pressure_normal"].value - end_of_day) < 1e-3
    morning = clock.build().states["sleep_pressure"].initial
    assert abs(morning - end_of_day * e_sleep) < 1e-3


def test_process_s_saturates_a_lost_night_is_bounded():
    # a lost night (40 h awake from the morning level) cannot raise the pressure above its
    # asymptote 1: the relative excess stays below 1/normal - 1, unlike a linear debt
    p = clock.build().parameters
    s0 = clock.build().states["sleep_pressure"].initial
    s40 = 1 - (1 - s0) * math.exp(-40 / p["pressure_rise_tc"].value)
    excess = (s40 - p["pressure_normal"].value) / p["pressure_normal"].value
    assert 0 < excess < 1 / p["pressure_normal"].value - 1


def test_chronic_stress_load_withdraws_vagal_tone_and_nk_routes_are_separate():
    m = ans.build()
    assert "stress_load_signal" in m.inputs
    assert m.parameters["vagal_load_withdrawal"].value > 0
    load = m.inputs["stress_load_signal"].symbol
    # the vagal target falls as the load rises: d rate / d load < 0 at rest (all others 0/1)
    rate = m.states["vagal"].rate
    rest = {s: 0.0 for s in rate.free_symbols}
    rest.update({q.symbol: q.value for q in m.parameters.values()})
    rest[m.states["vagal"].symbol] = 1.0
    rest[load] = 0.3
    assert float(sp.diff(rate, load).subs(rest)) < 0
    h = herpes.build().parameters
    # the lumped NK route is no longer sized with V36's own paper
    assert "segerstrom2004" not in h["nk_stress_inhibition"].source.references()
