"""Rosacea: neurovascular flushing, persistent erythema and papules (M3).

No mechanistic rosacea model exists (model-anchors.md section 3.3). The structure follows the
pathophysiology reviews (Steinhoff et al. 2013; van Zuuren 2017): trigger factors (heat, hot
drinks, alcohol, spicy food; ``rosacea_trigger``), a rise in body temperature and acute emotional
stress activate TRPV1-bearing sensory nerves and cause transient flushing within minutes (Wilkin
1981). Repeated flushing, neurogenic mast-cell activation (read from the cutaneous module) and
sustained stress keep a slow neurovascular-inflammatory state going that sets persistent
erythema and papules over weeks (Muto et al. 2014: mast cells in rosacea; stress is the most
reported trigger in the National Rosacea Society survey). Antihistamines help little: a small part
of the flush is histamine-mediated. All gains are assumptions (no validation row).

``f_susceptibility`` (0 = not prone, 1 = typical patient) scales the disease; the clinician
erythema assessment (CEA 0-4) is a saturating function of persistent inflammation plus flushing:
a typical patient sits at CEA 2 (mild-moderate) when calm.

Equations (hours)::

    d flush/dt = ln2/flush_half_life * ((trigger_gain*rosacea_trigger
                 + heat_gain*smooth_max0(temperature - heat_threshold)/heat_scale
                 + stress_flush_gain*stress_signal) * (1 - h1_share*h1_antihistamine) - flush)
    d inflammation/dt = ln2/inflammation_half_life * (1 + load_gain*stress_load_signal
                        + mast_gain*smooth_max0(mast_cell_activation - 1) + flush_gain*flush
                        - inflammation)
    x = f_susceptibility * (inflammation + flush_weight*flush)
    rosacea_erythema = 4 * x/(1 + x);   rosacea_visible = rosacea_erythema/4
    rosacea_papules = f_susceptibility * papules_typical * inflammation^papule_exponent
"""

from __future__ import annotations

from nicsim.core import Assumption, Literature, Module
from nicsim.core.motifs import LN2, smooth_max0

ORDER = 73


def build() -> Module:
    m = Module("rosacea", "Rosacea", __doc__, mechanisms=("M3",))
    trig = m.exogenous("rosacea_trigger", "dimensionless",
                       "heat / alcohol / spicy food exposure (0-1)")
    h1 = m.exogenous("h1_antihistamine", "dimensionless",
                     "H1-receptor blockade by an antihistamine (0-1)")
    stress = m.input("stress_signal", "dimensionless")
    load = m.input("stress_load_signal", "dimensionless")
    temp = m.input("temperature", "degC")
    mast = m.input("mast_cell_activation", "dimensionless", default=1.0,
                   doc="stress-driven mast-cell degranulation relative to rest (neuro module)")

    susc = m.parameter("f_susceptibility", 0.0, "dimensionless",
                       Assumption("person trait (susceptibility.rosacea): 0 = not prone, "
                                  "1 = a typical patient; set from the scenario's person"),
                       "rosacea-proneness multiplier", bounds=(0, 5))

    # --- flushing ----------------------------------------------------------------------------
    g_trig = m.parameter("trigger_gain", 1.5, "dimensionless",
                         Assumption("a full trigger exposure (hot drink, alcohol, heat) gives a "
                                    "visible flush of about one CEA grade in a typical patient",
                                    refs=("wilkin1981", "vanzuuren2017")))
    t_thr = m.parameter("heat_threshold", 37.2, "degC",
                        Assumption("above the daily maximum of core temperature, so only heat, "
                                   "exercise or fever trigger flushing", refs=("wilkin1981",)))
    t_scale = m.parameter("heat_scale", 0.5, "delta_degC",
                          Assumption("a core-temperature rise of about 0.5 degC flushes like a "
                                     "full trigger (oral heat-induced flushing)",
                                     refs=("wilkin1981",)))
    g_heat = m.parameter("heat_gain", 1.5, "dimensionless", Assumption("see heat_scale"))
    g_sf = m.parameter("stress_flush_gain", 0.5, "dimensionless",
                       Assumption("emotional stress is the most reported flushing trigger; an "
                                  "acute stressor flushes about a third as much as heat",
                                  refs=("nrs2002",)))
    share = m.parameter("h1_share", 0.2, "dimensionless",
                        Assumption("antihistamines have little effect on rosacea flushing; a "
                                   "small histamine share", refs=("vanzuuren2017",)))
    t_fl = m.parameter("flush_half_life", 15.0, "min",
                       Assumption("flushes build and fade over minutes to an hour",
                                  refs=("wilkin1981",)))
    eps_t = m.parameter("heat_smoothing", 0.02, "delta_degC",
                        Assumption("numerical: width of the smooth max(x, 0) for heat"))
    heat = smooth_max0(temp - t_thr, eps_t) / t_scale
    flush = m.state("flush", 0.0, "dimensionless", "transient neurovascular flushing", atol=1e-8)
    m.rate(flush, LN2 / t_fl * ((g_trig * trig + g_heat * heat + g_sf * stress)
                                * (1 - share * h1) - flush))

    # --- persistent neurovascular inflammation -----------------------------------------------
    g_load = m.parameter("load_gain", 1.5, "dimensionless",
                         Assumption("a full-time chronic stressor (load about 0.2-0.3) worsens "
                                    "persistent erythema by about a third of a CEA grade",
                                    refs=("nrs2002", "steinhoff2013")))
    g_mast = m.parameter("mast_gain", 0.3, "dimensionless",
                         Assumption("mast cells are increased and activated in rosacea skin; "
                                    "doubling neurogenic mast-cell activation raises the "
                                    "inflammatory drive by about 30 %", refs=("muto2014",)))
    g_fl = m.parameter("flush_gain", 0.3, "dimensionless",
                       Assumption("repeated flushing promotes persistent erythema "
                                  "(neurovascular progression)", refs=("steinhoff2013",)))
    t_inf = m.parameter("inflammation_half_life", 2.0, "week",
                        Assumption("persistent erythema and papules change over weeks "
                                   "(time scale of trials)", refs=("vanzuuren2017",)))
    eps = m.parameter("smoothing", 0.01, "dimensionless",
                      Assumption("numerical: width of smooth max(x, 0)"))
    infl = m.state("inflammation", 1.0, "dimensionless",
                   "persistent neurovascular inflammation (1 = calm state)")
    m.rate(infl, LN2 / t_inf * (1 + g_load * load + g_mast * smooth_max0(mast - 1, eps)
                                + g_fl * flush - infl))

    # --- clinical read-outs ------------------------------------------------------------------
    w_fl = m.parameter("flush_weight", 1.0, "dimensionless",
                       Assumption("a full flush adds about as much redness as the calm "
                                  "persistent erythema of a typical patient"))
    cea_max = m.parameter("cea_max", 4.0, "score",
                          Literature("tan2014", "clinician erythema assessment 0-4"))
    x = susc * (infl + w_fl * flush)
    cea = m.output("rosacea_erythema", cea_max * x / (1 + x), "score",
                   "rosacea erythema, clinician erythema assessment (0-4)")
    m.output("rosacea_visible", cea / cea_max, "dimensionless",
             "rosacea severity as a fraction of the CEA scale (distress loop)")
    pap = m.parameter("papules_typical", 8.0, "dimensionless",
                      Assumption("a typical papulopustular patient has about 10-20 papules; "
                                 "a mixed population fewer", refs=("vanzuuren2017",)))
    p_n = m.parameter("papule_exponent", 2.0, "dimensionless",
                      Assumption("papules need more inflammation than erythema does"))
    m.output("rosacea_papules", susc * pap * infl**p_n, "dimensionless",
             "inflammatory rosacea papules and pustules (count)")
    return m
