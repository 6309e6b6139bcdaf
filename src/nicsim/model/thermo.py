"""Thermoregulation: cytokines move the hypothalamic set point (M12).

Dobreva et al. (2021) fitted to human endotoxemia (Copeland et al. 2005): TNF and IL-6 above
their baselines raise the set point, IL-10 lowers it; body temperature follows the set point with
time constant tau.

Equations (hours)::

    F = T_0 + kt*(T_max - T_0)*(kt_tnf*up(tnf_ex) + kt_6*up(il6_ex) - kt_10*(1 - down(il10_ex)))
    F += circadian_amplitude * cos(2 pi (clock - acrophase) / 24)   (Refinetti & Menaker 1992)
    dT/dt = (F - T)/tau
"""

from __future__ import annotations

import sympy as sp

from nicsim.core import Assumption, Literature, Module
from nicsim.core.domains import CLOCK_HOUR
from nicsim.core.motifs import hill_down, hill_up

ORDER = 60


def build() -> Module:
    m = Module("thermo", "Thermoregulation (fever)", __doc__, mechanisms=("M12",))
    clock = m.input("clock_time", "hour")
    tnf = m.input("tnf_excess", "pg/mL")
    il6 = m.input("il6_excess", "pg/mL")
    il10 = m.input("il10_excess", "pg/mL")
    src = "Copeland fit, Table/parameters"
    t0 = m.parameter("set_point_0", 36.8, "degC", Literature("dobreva2021", "Tm baseline"))
    tmax = m.parameter("t_max", 39.5, "degC", Literature("dobreva2021", "TM = 39.5 degC"))
    kt = m.parameter("kt", 0.5, "dimensionless", Literature("dobreva2021", src))
    tau = m.parameter("tau", 1.6932, "hour", Literature("dobreva2021", "tau1 = 1.6932 h"))
    k_t = m.parameter("kt_tnf", 1.5, "dimensionless", Literature("dobreva2021", src))
    x_t = m.parameter("xt_tnf", 185.0, "pg/mL", Literature("dobreva2021", src))
    h_t = m.parameter("ht_tnf", 0.75, "dimensionless", Literature("dobreva2021", src))
    k_6 = m.parameter("kt_6", 1.8821, "dimensionless", Literature("dobreva2021", src))
    x_6 = m.parameter("xt_6", 560.0, "pg/mL", Literature("dobreva2021", src))
    h_6 = m.parameter("ht_6", 0.75, "dimensionless", Literature("dobreva2021", src))
    k_10 = m.parameter("kt_10", 0.0625, "dimensionless", Literature("dobreva2021", src))
    x_10 = m.parameter("xt_10", 34.772, "pg/mL", Literature("dobreva2021", src))
    h_10 = m.parameter("ht_10", 1.0, "dimensionless", Literature("dobreva2021", src))
    drive = (k_t * hill_up(tnf, x_t, h_t) + k_6 * hill_up(il6, x_6, h_6)
             - k_10 * (1 - hill_down(il10, x_10, h_10)))
    amp = m.parameter("circadian_amplitude", 0.35, "delta_degC",
                      Literature("refinetti1992", "core temperature rhythm, range about 0.5-1 "
                                 "degC in humans"))
    acro = m.parameter("circadian_acrophase", 17.0, "hour",
                       Literature("refinetti1992", "maximum in the late afternoon, minimum "
                                  "about 04:00-05:00"), domain=CLOCK_HOUR)
    period = m.parameter("circadian_period", 24.0, "hour", Assumption("solar day"))
    rhythm = amp * sp.cos(2 * sp.pi * (clock - acro) / period)
    setpoint = m.output("set_point", t0 + rhythm + kt * (tmax - t0) * drive, "degC",
                        "hypothalamic temperature set point", observable=False)
    temp = m.state("body_temperature", 36.8, "degC", "core body temperature", nonnegative=True,
                   atol=1e-6)
    m.rate(temp, (setpoint - temp) / tau)
    m.output("temperature", temp, "degC", "core body temperature")
    return m
