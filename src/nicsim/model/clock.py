"""Clock, sleep and the cortisol awakening response (M2).

The HPA axis receives a circadian drive anchored to the person's habitual wake time, with the
shape fitted by Bangsgaard & Ottesen (2017) to 24-h ACTH/cortisol profiles (Carroll et al. 2007),
and a transient drive on every awakening (the cortisol awakening response, CAR; Pruessner et al.
1997, Wust et al. 2000). Sleep homeostasis is process S of the two-process model (Borbely 1982;
Daan, Beersma & Borbely 1984): sleep pressure rises while awake as a saturating exponential
towards an upper asymptote and decays exponentially while asleep (time constants 18.2 h and
4.2 h; the same form fits individual EEG slow-wave data, Rusterholz et al. 2010). Unpaid pressure
(sleep loss, relative to the level at the end of a normal 16-h day) is a stressor. Because S
saturates, a lost night raises the pressure the next evening far less than a linear debt would
(about 0.4 vs 1.2 above a normal evening).

Sleep debt (hours) counts the scheduled night spent awake (a ``sleep_deprivation``; a
``sleep_schedule`` change moves the schedule itself and creates none) and is paid back while
asleep with process S's decay constant, so it stays exactly 0 on scheduled nights and, unlike the
momentary pressure, outlasts the short recovery sleep of a partial night into the next evening.
The HPA axis reads it as a larger circadian ACTH drive and a flattening of the adrenal clock
(hpa module; Guyon et al. 2014). The circadian mean is the drive averaged over about a day (a
running mean), the level the adrenal rhythm flattens towards.

Equations (hours)::

    clock = (t + start_clock) mod 24
    tm = (clock - delta - (habitual_wake - reference_wake)) mod 24
    circadian_drive = hill_up(tm, alpha, k) * hill_up(24 - tm, beta, l)
    d wake_trace/dt = ln2/car_half_life * (awake - wake_trace)
    car_drive = awake * (1 - wake_trace)
    d sleep_pressure/dt = awake * (1 - sleep_pressure)/pressure_rise_tc
                          - asleep * sleep_pressure/pressure_decay_tc
    sleep_loss = smooth_max0((sleep_pressure - pressure_normal)/pressure_normal)
    d sleep_debt/dt = sleep_scheduled * (1 - asleep) - asleep * sleep_debt/pressure_decay_tc
    d circadian_mean/dt = (circadian_drive - circadian_mean)/circ_mean_tc
"""

from __future__ import annotations

import sympy as sp

from nicsim.core import Assumption, Derived, Fitted, Literature, Module
from nicsim.core.domains import CLOCK_HOUR, Domain
from nicsim.core.model import T
from nicsim.core.motifs import LN2, hill_up, smooth_max0

#: Rows of the hpa group of `nicsim calibrate`, which fitted the circadian shape.
HPA_FIT = ("V01", "V02", "V03", "V04", "V05", "V10", "V10b")

ORDER = 10


def build() -> Module:
    m = Module("clock", "Circadian clock, sleep and awakening", __doc__, mechanisms=("M2",))
    asleep = m.exogenous("asleep", "dimensionless", "1 while asleep, 0 while awake (protocol)")
    scheduled = m.exogenous("sleep_scheduled", "dimensionless",
                            "1 during the scheduled nights (habitual sleep with sleep_schedule "
                            "changes, before any sleep_deprivation; protocol)")
    start = m.parameter("start_clock", 7.0, "hour", Assumption("set from the scenario's start"),
                        "clock time at t = 0", bounds=(0, 24), domain=CLOCK_HOUR)
    wake = m.parameter("habitual_wake", 7.0, "hour",
                       Assumption("set from the person's habitual sleep schedule"),
                       "habitual wake-up clock time (anchors the circadian phase)", bounds=(3, 12),
                       domain=CLOCK_HOUR)
    ref_wake = m.parameter("reference_wake", 7.0, "hour",
                           Assumption("Carroll 2007 control subjects slept about 23:00-07:00, so "
                                      "the fitted phase belongs to a 07:00 wake time",
                                      refs=("carroll2007",)),
                           "wake time the circadian shape was fitted for", domain=CLOCK_HOUR)
    # alpha, k and delta run with values fitted with the hpa group of `nicsim calibrate`
    # (rows V01-V05, V10, V10b; parameter_sets/default.yaml); the module values are Bangsgaard's
    alpha = m.parameter("circ_alpha", 300.0, "min",
                        Fitted("default", HPA_FIT, prior=Literature("bangsgaard2017",
                                                                    "c(t), alpha")),
                        "half-rise time of the morning circadian drive")
    beta = m.parameter("circ_beta", 950.0, "min", Literature("bangsgaard2017", "c(t), beta"),
                       "half-fall time (counted back from the period end)")
    k = m.parameter("circ_k", 5.0, "dimensionless",
                    Fitted("default", HPA_FIT, prior=Literature("bangsgaard2017", "c(t), k")))
    ell = m.parameter("circ_l", 6.0, "dimensionless", Literature("bangsgaard2017", "c(t), l"))
    delta = m.parameter("circ_delta", 83.8, "min",
                        Fitted("default", HPA_FIT, prior=Literature(
                            "bangsgaard2017", "c(t), delta of subject f")),
                        "phase shift of the circadian drive")
    period = m.parameter("circ_period", 24.0, "hour", Literature("bangsgaard2017", "T = 1440 min"))

    clock = m.output("clock_time", sp.Mod(T + start, period), "hour", "clock time of day",
                     observable=False)
    tm = sp.Mod(clock - delta - (wake - ref_wake), period)
    circ = m.output("circadian_drive", hill_up(tm, alpha, k) * hill_up(period - tm, beta, ell),
                    "dimensionless", "circadian drive of hypothalamic CRH (0..~1)",
                    observable=False)
    mean_tc = m.parameter("circ_mean_tc", 24.0, "hour",
                          Assumption("the level a flattened adrenal rhythm tends to is the "
                                     "circadian drive averaged over about one day (a running "
                                     "mean; its daily ripple is about a sixth of the rhythm's)"),
                          "time constant of the running mean of the circadian drive")
    circ_mean = m.state("circadian_mean", 0.13, "dimensionless",
                        "running mean (about one day) of the circadian drive")
    m.rate(circ_mean, (circ - circ_mean) / mean_tc)
    m.output("circadian_mean_drive", circ_mean, "dimensionless",
             "running daily mean of the circadian drive", observable=False)

    car_half = m.parameter("car_half_life", 20.0, "min",
                           Fitted("default", ("V03",), prior=Assumption(
                               "the awakening drive lasts about 30-45 min",
                               refs=("pruessner1997", "wust2000"))),
                           "half-life of the awakening drive", bounds=(5, 60))
    awake = 1 - asleep
    w = m.state("wake_trace", 1.0, "dimensionless",
                "short-memory trace of being awake; lags the wake-up by car_half_life")
    m.rate(w, LN2 / car_half * (awake - w))
    m.output("car_drive", awake * (1 - w), "dimensionless",
             "transient drive after waking (cortisol awakening response)", observable=False)

    rise_tc = m.parameter("pressure_rise_tc", 18.2, "hour",
                          Literature("daan1984", "process S rises while awake with time "
                                     "constant tau_r = 18.2 h towards its upper asymptote "
                                     "(two-process model; individual fits 14.1-26.4 h, "
                                     "Rusterholz 2010)", origin="model"),
                          "time constant of the saturating rise of sleep pressure while awake")
    decay_tc = m.parameter("pressure_decay_tc", 4.2, "hour",
                           Literature("daan1984", "process S decays during sleep with time "
                                      "constant tau_d = 4.2 h (two-process model)",
                                      origin="model"),
                           "time constant of the decay of sleep pressure while asleep")
    normal = m.parameter("pressure_normal", 0.6234, "dimensionless",
                         Derived("sleep pressure at the end of a 16-h day in the steady state "
                                 "of 16 h awake / 8 h asleep: (1 - e^(-16/18.2)) / (1 - "
                                 "e^(-16/18.2) e^(-8/4.2)) = 0.6234 (upper asymptote 1)",
                                 refs=("daan1984",)),
                         domain=Domain(0.01, 1.0, why="a level of process S, whose upper "
                                       "asymptote is 1; sleep loss is read relative to it, so it "
                                       "must be positive"))
    # morning steady-state level 0.6234 * e^(-8/4.2) = 0.0928
    pressure = m.state("sleep_pressure", 0.0928, "dimensionless",
                       "homeostatic sleep pressure, process S (0-1, upper asymptote 1)")
    m.rate(pressure, awake * (1 - pressure) / rise_tc - asleep * pressure / decay_tc)
    m.output("sleep_loss", smooth_max0((pressure - normal) / normal, sp.Rational(1, 20)),
             "dimensionless", "relative sleep pressure beyond a normal day's end (0 when rested)",
             observable=False)
    debt = m.state("sleep_debt", 0.0, "hour",
                   "hours of scheduled sleep spent awake, not yet paid back by sleep")
    # paid back while asleep with process S's decay constant (Daan 1984): one 8-h night pays
    # back 85 %, so debt lasts into the day after a lost or shortened night and fades after a
    # recovery night (morning cortisol back to baseline after one recovery night, Wu 2008)
    m.rate(debt, scheduled * (1 - asleep) - asleep * debt / decay_tc)
    m.output("sleep_debt_hours", debt, "hour",
             "sleep debt: scheduled sleep spent awake, not yet paid back")
    return m
