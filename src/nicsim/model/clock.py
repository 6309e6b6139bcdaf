"""Clock, sleep and the cortisol awakening response (M2).

The HPA axis receives a circadian drive anchored to the person's habitual wake time, with the
shape fitted by Bangsgaard & Ottesen (2017) to 24-h ACTH/cortisol profiles (Carroll et al. 2007),
and a transient drive on every awakening (the cortisol awakening response, CAR; Pruessner et al.
1997, Wust et al. 2000). Sleep homeostasis is a simplified process S (Borbely 1982): need for sleep
accumulates while awake and is paid back while asleep; unpaid need (sleep loss) is a stressor.

Equations (hours)::

    clock = (t + start_clock) mod 24
    tm = (clock - delta - (habitual_wake - reference_wake)) mod 24
    circadian_drive = hill_up(tm, alpha, k) * hill_up(24 - tm, beta, l)
    d wake_trace/dt = ln2/car_half_life * (awake - wake_trace)
    car_drive = awake * (1 - wake_trace)
    d sleep_debt/dt = awake * debt_accumulation - asleep * ln2/debt_recovery_half_life * sleep_debt
    sleep_loss = smooth_max0((sleep_debt - debt_normal)/debt_normal)
"""

from __future__ import annotations

import sympy as sp

from nicsim.core import Assumption, Derived, Fitted, Literature, Module
from nicsim.core.domains import CLOCK_HOUR
from nicsim.core.model import T
from nicsim.core.motifs import LN2, hill_up, smooth_max0

#: Rows of the hpa group of `nicsim calibrate`, which fitted the circadian shape.
HPA_FIT = ("V01", "V02", "V03", "V04", "V10")

ORDER = 10


def build() -> Module:
    m = Module("clock", "Circadian clock, sleep and awakening", __doc__, mechanisms=("M2",))
    asleep = m.exogenous("asleep", "dimensionless", "1 while asleep, 0 while awake (protocol)")
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
    # (rows V01-V04, V10; parameter_sets/default.yaml); the module values are Bangsgaard's
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
    m.output("circadian_drive", hill_up(tm, alpha, k) * hill_up(period - tm, beta, ell),
             "dimensionless", "circadian drive of hypothalamic CRH (0..~1)", observable=False)

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

    acc = m.parameter("debt_accumulation", 0.5, "hour/hour",
                      Derived("16 h awake build the need for 8 h of sleep (Borbely 1982 process "
                              "S, linearised)", refs=("borbely1982",)),
                      "sleep need accumulated per hour awake")
    rec = m.parameter("debt_recovery_half_life", 2.91, "hour",
                      Literature("daan1984", "process S decays during sleep with time "
                                 "constant tau_d = 4.2 h (half-life 4.2 ln 2 = 2.91 h)"),
                      "half-life of the sleep need while asleep")
    normal = m.parameter("debt_normal", 9.4, "hour",
                         Derived("sleep need at the end of a 16-h day in the steady state of "
                                 "16 h awake / 8 h asleep: 8 h / (1 - 2^(-8/2.91)) = 9.4 h "
                                 "(8 h plus a morning residue of 1.4 h)",
                                 refs=("daan1984",)))
    debt = m.state("sleep_debt", 1.4, "hour", "unpaid sleep need (process S)")
    m.rate(debt, awake * acc - asleep * LN2 / rec * debt)
    m.output("sleep_loss", smooth_max0((debt - normal) / normal, sp.Rational(1, 20)),
             "dimensionless", "relative sleep need beyond a normal day's (0 when rested)",
             observable=False)
    return m
