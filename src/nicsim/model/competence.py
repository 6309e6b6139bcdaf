"""Chronic immune competence and stress-accelerated inflammaging (M6, M17).

No mechanistic model of stress and long-term immune competence was found (model-anchors.md
section 4.1 lists the gap). Two slow states carry the human findings:

* ``immune_competence`` (1 = normal): an index of adaptive immune function (vaccine response,
  lymphocyte proliferation, NK activity) that follows a stress burden over months. Chronic stress
  suppresses both cellular and humoral immunity (Segerstrom & Miller 2004; caregivers' weaker
  influenza-vaccine response, Kiecolt-Glaser et al. 1996). The burden is made of felt stress
  (stress_load_signal), immune glucocorticoid resistance (1 - gc_sensitivity; Miller et al.
  2002) and free cortisol above its calm daily level. Participation in a support group
  (cognitive-behavioural stress management; Antoni et al. 2000) builds up over weeks and protects
  the index: directly here, and through ``social_buffer`` (psyche appraisal) in the social
  module, which lowers the felt stress itself.
* ``inflammaging`` (dimensionless log-factor, 0 at the scenario start): the age-related rise of
  basal IL-6 (Ferrucci et al. 2005), written as a relative growth rate that chronic stress
  accelerates (Kiecolt-Glaser et al. 2003: caregivers' IL-6 rose about four times as fast as
  controls', and former caregivers' rise did not differ from current caregivers' years after
  caregiving ended). The acceleration grows with ``stress_ageing_dose``, the immune
  glucocorticoid resistance accumulated since the scenario start (in resistance-hours: one hour
  at full resistance counts one hour), and is not undone when the stress ends: stress-set
  cellular ageing accumulates with the years of stress (Epel et al. 2004: the longer mothers
  had been caregiving, the shorter their leukocyte telomeres and the lower their telomerase
  activity) and the model has no process that reverses it. Because the dose only grows, the
  rate is linear in it without a ceiling; over decades of stress this over-states the rise (no
  saturation is sized). The output ``il6_ageing_factor`` = exp(inflammaging) multiplies the
  basal IL-6 release of the cytokine (immune) module.

Equations (hours)::

    burden = load_weight*stress_load + gcr_weight*(1 - gc_sensitivity)
             + cortisol_weight*smooth_max0(cortisol_mean/cortisol_ref - 1)
    d cortisol_mean/dt = ln2/cortisol_mean_half_life * (cortisol_free - cortisol_mean)
    d participation/dt = ln2/uptake_half_life * support_group * (1 - participation)
                         - ln2/fade_half_life * participation
    target = 1 / (1 + burden_gain * burden * (1 - group_protection * participation))
    d immune_competence/dt = ln2/competence_half_life * (target - immune_competence)
    d stress_ageing_dose/dt = smooth_max0(1 - gc_sensitivity)
    d inflammaging/dt = age_rate * (1 + stress_acceleration * stress_ageing_dose)
    il6_ageing_factor = exp(inflammaging)
"""

from __future__ import annotations

import sympy as sp

from nicsim.core import Assumption, Derived, Fitted, Module
from nicsim.core.domains import fraction
from nicsim.core.motifs import LN2, smooth_max0

ORDER = 92


def build() -> Module:
    m = Module("competence", "Chronic immune competence and inflammaging", __doc__,
               mechanisms=("M6", "M17"))
    load = m.input("stress_load_signal", "dimensionless")
    gsens = m.input("gc_sensitivity_signal", "dimensionless")
    free = m.input("cortisol_free", "nmol/L")
    group = m.exogenous("support_group", "dimensionless", "1 while taking part in a support group")

    w_load = m.parameter("load_weight", 1.0, "dimensionless",
                         Assumption("felt chronic stress is the main correlate of immune "
                                    "suppression in the meta-analysis", refs=("segerstrom2004",)))
    w_gcr = m.parameter("gcr_weight", 1.0, "dimensionless",
                        Assumption("glucocorticoid resistance marks the dysregulated immune "
                                   "state of chronic stress", refs=("miller2002",)))
    w_cort = m.parameter("cortisol_weight", 1.0, "dimensionless",
                         Assumption("cortisol above its calm level suppresses lymphocyte "
                                    "function", refs=("segerstrom2004",)))
    c_ref = m.parameter("cortisol_ref", 11.0, "nmol/L",
                        Derived("daily mean free cortisol of the calm settled person in this "
                                "model (10.52 nmol/L, hpa module; "
                                "scripts/derive_calm_cortisol_reference.py) plus the ripple "
                                "left after averaging over days (the 3-day mean peaks at 10.96)"))
    eps = m.parameter("smoothing", 0.001, "dimensionless",
                      Assumption("numerical: width of the smooth max(x, 0)"))
    g_burden = m.parameter("burden_gain", 0.5, "dimensionless",
                           Assumption("a caregiving-level burden (about 0.6) lowers the index "
                                      "by about a fifth (caregivers: 38 % vs 66 % four-fold "
                                      "vaccine responders)", refs=("kiecoltglaser1996",)),
                           bounds=(0.05, 5))
    t_ic = m.parameter("competence_half_life", 6.0, "week",
                       Assumption("immune changes under chronic stress develop over months",
                                  refs=("segerstrom2004", "kiecoltglaser1996")),
                       bounds=(1, 52))
    t_up = m.parameter("uptake_half_life", 3.0, "week",
                       Assumption("a 10-week CBSM group reaches most of its effect within the "
                                  "programme", refs=("antoni2000",)), bounds=(0.5, 12))
    t_fade = m.parameter("fade_half_life", 26.0, "week",
                         Assumption("learned coping and group ties fade over months after the "
                                    "group ends", refs=("antoni2000",)), bounds=(4, 104))
    protect = m.parameter("group_protection", 0.3, "dimensionless",
                          Assumption("support-group participation slows the immune decline "
                                     "(direction only; Antoni: CBSM preserved T-cell counts)",
                                     refs=("antoni2000",)), bounds=(0, 0.9),
                          domain=fraction())

    t_mean = m.parameter("cortisol_mean_half_life", 3.0, "day",
                         Assumption("the burden reads cortisol averaged over days, so the calm "
                                    "circadian peak is not counted as excess"))
    cmean = m.state("cortisol_mean", 10.5, "nmol/L", "free cortisol averaged over days")
    m.rate(cmean, LN2 / t_mean * (free - cmean))
    burden = (w_load * load + w_gcr * (1 - gsens)
              + w_cort * smooth_max0(cmean / c_ref - 1, eps))
    part = m.state("participation", 0.0, "dimensionless",
                   "accumulated support-group participation (0-1)", atol=1e-8)
    m.rate(part, LN2 / t_up * group * (1 - part) - LN2 / t_fade * part)
    m.output("support_group_participation", part, "dimensionless",
             "accumulated support-group participation (0-1)", observable=False)
    ic = m.state("immune_competence_index", 1.0, "dimensionless",
                 "chronic immune competence (1 = normal)")
    target = 1 / (1 + g_burden * burden * (1 - protect * part))
    m.rate(ic, LN2 / t_ic * (target - ic))
    m.output("immune_competence", ic, "dimensionless",
             "chronic immune competence index (1 = normal, lower = weaker)")

    r_age = m.parameter("age_rate", 0.025, "1/year",
                        Assumption("basal IL-6 roughly triples between age 30 and 75 in "
                                   "healthy adults (about 2.5 %/year)",
                                   refs=("ferrucci2005",)), bounds=(0.005, 0.1))
    accel = m.parameter("stress_acceleration", 1.5, "1/year",
                        Fitted("default", ("V13",), prior=Assumption(
                            "caregivers' IL-6 rose about four times as fast as controls' "
                            "(a caregiver's resistance of about 0.4 accumulates about 2 "
                            "resistance-years over the study: 1 + 1.5 x 2 = 4)",
                            refs=("kiecoltglaser2003", "epel2004"))),
                        "rise of the IL-6 ageing rate per year of accumulated immune "
                        "glucocorticoid resistance", bounds=(0.05, 20))
    dose = m.state("stress_ageing_dose", 0.0, "hour",
                   "immune glucocorticoid resistance accumulated since the scenario start "
                   "(resistance-hours)", atol=1e-6, observable=True)
    m.rate(dose, smooth_max0(1 - gsens, eps))
    m.note("stress-set ageing is not undone when the stress ends: the acceleration follows the "
           "resistance accumulated over the years of stress (Epel et al. 2004: telomere length "
           "fell with the years of caregiving), so former caregivers' IL-6 keeps rising faster "
           "(Kiecolt-Glaser et al. 2003)")
    infl = m.state("inflammaging", 0.0, "dimensionless",
                   "log of the age-related rise of basal IL-6 since the scenario start",
                   atol=1e-8)
    m.rate(infl, r_age * (1 + accel * dose))
    m.output("il6_ageing_factor", sp.exp(infl), "dimensionless",
             "factor on basal IL-6 release from ageing (1 at the scenario start)")
    return m
