"""Gut-skin axis: stress -> gut permeability -> systemic endotoxin -> basal cytokines (M10).

No mechanistic model of the human gut-skin axis exists; this is the smallest structure the human
evidence supports, and every effect is a *deviation from the person's own baseline*: a person
with their usual diet, no probiotic and no stress sits exactly where the model sat without this
module (every factor below is exactly 1 there).

* Stress opens the small-intestinal barrier. Public speaking roughly doubled the 2-h
  lactulose/mannitol (L/M) ratio in healthy volunteers, only in those whose cortisol rose;
  peripheral CRH raised it by half and a mast-cell stabiliser blocked both (Vanuytsel et al.
  2014). Weeks of combat training raised gut permeability together with serum IL-6 and TNF
  (Li et al. 2013). The model reads the appraised-stress arousal that drives hypothalamic CRH in
  the hpa module (``stress_signal``): the barrier follows the CRH/mast-cell signal within
  minutes, so its time course is the arousal's; a chronic stressor acts through its daily
  arousal.
* What crosses is bacterial endotoxin. Its load is the permeability times the luminal
  endotoxin supply, which diet and probiotics change: a month of Western-style diet raised
  plasma endotoxin activity by 71 %, a prudent diet lowered it by 31 % (Pendyala et al. 2012);
  probiotics lower plasma LPS modestly with very low certainty (Zheng et al. 2023; Ghorbani et
  al. 2025) and do not change zonulin in healthy people (Foldvari-Nagy et al. 2025). Diet and
  probiotics act on the endotoxin load, not on the sugar test, because that is what the trials
  measured.
* Endotoxin that crosses the barrier reaches the systemic circulation with a lag: it travels
  with chylomicrons and lymph or through the portal vein and the liver, bound to
  LPS-binding protein and lipoproteins, before monocytes see it. After a high-fat meal plasma
  endotoxin rises within 30 min to 1 h and stays up for 3-5 h (Erridge et al. 2007; Harte et
  al. 2012; Deopurkar et al. 2010). The model gives the plasma endotoxin from the gut a
  first-order lag (``plasma_lag_half_life``, 60 min), so a 20-min stressor raises it over the
  following hour, not during the stressor.
* Endotoxin reaching the circulation raises the basal release of TNF, IL-6 and IL-1beta by
  monocytes (the immune module's resting targets are multiplied by ``gut_endotoxin_factor``).
  The skin modules read those cytokines (``tnf_excess``, ``il6_excess``, ``il1b``): barrier
  repair, acne, psoriasis, vitiligo, collagen. The exponent is small: the Western diet's +71 %
  endotoxin left TNF unchanged in n = 8, and probiotics lower TNF/IL-6 only modestly.

Not modelled (evidence is for other pathways or too weak for a size): a low-glycaemic-load diet
lowers acne lesion counts (Smith et al. 2007) through insulin/IGF-1, not through the gut barrier;
probiotics for atopic dermatitis lower SCORAD by about 3 of 103 points with wide uncertainty and
strain dependence (Huang et al. 2017), which this module reproduces only through the cytokines;
dysbiosis that outlasts a chronic stressor (weeks) is left out: the barrier closes with the
arousal. ``diet_quality`` is the person's usual diet (trait ``diet_quality`` of the scenario's
person); ``probiotic_use`` is a habitual probiotic taken throughout the run. A probiotic *course*
is the protocol event ``probiotic_course`` (input ``probiotic_course``: the adherence, 0 to 1,
while the course runs); it acts at full size from its first day, although the trials measured
plasma LPS only at the end of 4-12-week courses, so the model's first weeks overstate it.

Equations (hours)::

    permeability  = 1 + stress_gain * stress_signal          (1 = the person's baseline)
    lactulose_mannitol_ratio = lm_ratio_baseline * permeability
    probiotic     = probiotic_use + (1 - probiotic_use) * probiotic_course
    supply        = exp(-diet_log_factor*diet_quality - probiotic_log_factor*probiotic)
    gut_endotoxin_load = permeability * supply               (1 = the person's baseline)
    d plasma/dt   = ln2/plasma_lag_half_life * (gut_endotoxin_load - plasma)
    gut_endotoxin_factor = plasma ** cytokine_exponent
"""

from __future__ import annotations

import sympy as sp

from nicsim.core import Assumption, Derived, Literature, LogNormal, Module
from nicsim.core.domains import Domain, fraction
from nicsim.core.motifs import LN2

ORDER = 45


def build() -> Module:
    m = Module("gut_skin", "Gut barrier and the gut-skin axis", __doc__, mechanisms=("M10",))
    stress = m.input("stress_signal", "dimensionless")
    course = m.exogenous("probiotic_course", "dimensionless",
                         "adherence (0-1) to a probiotic course while it runs (protocol)")

    # --- stress -> permeability ------------------------------------------------------------
    lm0 = m.parameter("lm_ratio_baseline", 0.030, "dimensionless",
                      Literature("vanuytsel2014", "2-h urinary lactulose/mannitol ratio of "
                                 "healthy volunteers, control condition 0.030 +/- 0.022 "
                                 "(second study 0.028 +/- 0.009)"),
                      bounds=(0.005, 0.1),
                      distribution=LogNormal(0.5, Literature(
                          "vanuytsel2014", "between-person SD about 0.7 of the mean in the "
                          "control condition, part of it test noise")))
    g_s = m.parameter("stress_gain", 3.6, "dimensionless",
                      Derived("a 20-min TSST-like stressor gives a 2-h mean arousal of 0.167 "
                              "in this model (psyche module, default parameters); 3.6 makes "
                              "the 2-h mean permeability 1.6 x baseline, between the CRH "
                              "infusion (x 1.5, 0.042 vs 0.028) and public speech (x 1.97, "
                              "0.059 vs 0.030; only cortisol responders) of Vanuytsel 2014",
                              refs=("vanuytsel2014",)),
                      bounds=(0, 10))
    perm = 1 + g_s * stress

    # --- diet and probiotics -> luminal endotoxin supply ----------------------------------
    diet = m.parameter("diet_quality", 0.0, "dimensionless",
                       Assumption("the person's usual diet: 0 = the mixed diet of the cohorts "
                                  "the model describes, -1 = a Western-style high-fat diet, "
                                  "+1 = a prudent diet (the two arms of Pendyala 2012)",
                                  refs=("pendyala2012",)),
                       bounds=(-1, 1), domain=Domain(-1.0, 1.0, why="a diet score from "
                                                     "-1 (Western) to +1 (prudent)"))
    k_diet = m.parameter("diet_log_factor", 0.45, "dimensionless",
                         Derived("one month of Western-style diet raised plasma endotoxin "
                                 "activity by 71 % (ln 1.71 = 0.54), a prudent diet lowered it "
                                 "by 31 % (ln 1/0.69 = 0.37); 0.45 is their mean, so +/-1 gives "
                                 "x 1.57 / x 0.64", refs=("pendyala2012",)),
                         bounds=(0, 1))
    probiotic = m.parameter("probiotic_use", 0.0, "dimensionless",
                            Assumption("1 = a multi-strain probiotic taken daily for weeks, "
                                       "0 = none", refs=("zheng2023",)),
                            bounds=(0, 1), domain=fraction("the fraction of days on a "
                                                           "probiotic"))
    k_pro = m.parameter("probiotic_log_factor", 0.22, "dimensionless",
                        Assumption("probiotics lower plasma LPS by a standardised mean "
                                   "difference of about 0.5 (very low certainty, high "
                                   "heterogeneity) and leave zonulin unchanged in healthy "
                                   "people; with a between-person CV of endotoxin of about "
                                   "0.4 that is about -20 % (exp(-0.22) = 0.80)",
                                   refs=("zheng2023", "ghorbani2025", "foldvarinagy2025")),
                        bounds=(0, 0.7))
    supply = sp.exp(-k_diet * diet - k_pro * (probiotic + (1 - probiotic) * course))
    load = perm * supply

    # --- endotoxin -> basal cytokine release -----------------------------------------------
    n_c = m.parameter("cytokine_exponent", 0.25, "dimensionless",
                      Assumption("small: +71 % endotoxin on a Western diet left serum TNF "
                                 "unchanged (n = 8) while the prudent diet's -31 % lowered it; "
                                 "probiotics lower TNF and IL-6 modestly; combat training "
                                 "raised permeability, IL-6 and TNF together. 0.25 gives "
                                 "+14 % basal cytokine release for +71 % endotoxin",
                                 refs=("pendyala2012", "zheng2023", "li2013")),
                      bounds=(0, 1))

    t_lag = m.parameter("plasma_lag_half_life", 60.0, "min",
                        Assumption("lag of systemic endotoxin behind the barrier: after a "
                                   "high-fat meal plasma endotoxin (LAL assay) peaked 30 min "
                                   "after the meal (Erridge 2007), rose by 1 h (Harte 2012) and "
                                   "stayed above baseline up to 5 h (Deopurkar 2010); a 60-min "
                                   "half-life lies within that range (meal digestion adds to "
                                   "those times, so it is an upper-side reading)",
                                   refs=("erridge2007", "harte2012", "deopurkar2010")),
                        bounds=(15, 240))
    plasma = m.state("gut_endotoxin_plasma", 1.0, "dimensionless",
                     "gut-derived plasma endotoxin relative to the person's baseline (1)")
    m.rate(plasma, LN2 / t_lag * (load - plasma))

    m.output("lactulose_mannitol_ratio", lm0 * perm, "dimensionless",
             "small-intestinal permeability as the 2-h urinary lactulose/mannitol ratio it "
             "would give if held")
    m.output("gut_endotoxin_load", load, "dimensionless",
             "endotoxin crossing the gut barrier relative to the person's baseline (1); "
             "plasma follows with a lag")
    m.output("gut_endotoxin_factor", plasma**n_c, "dimensionless",
             "gut endotoxin's factor on basal TNF/IL-6/IL-1beta release (1 at baseline)",
             observable=False)
    return m
