"""Sebum and acne vulgaris (M3, M13).

No mechanistic acne model exists (model-anchors.md section 3.3); this is the pathogenesis chain
of the clinical literature in its simplest dynamic form. Sebum output (Sebumeter, ug/cm2) follows
the sebaceous glands over about a week; its link to stress is WEAK by default because students'
sebum did not change between high- and low-stress periods while their acne did (Yosipovitch et al.
2007), although sebocytes carry CRH receptors and CRH promotes lipogenesis in vitro (Zouboulis et
al. 2002). Microcomedones form in proportion to sebum over weeks and are reduced by a topical
retinoid. A part of them turns into inflammatory lesions (papules, pustules); the conversion is
promoted by C. acnes-driven inflammation (lowered by benzoyl peroxide) and by stress through
neuropeptides and CRH in the pilosebaceous unit (Toyoda et al. 2002; Ganceviciene et al. 2009)
and systemic cytokines. Lesions resolve within one to two weeks.

Patients apply a prescribed topical regimen on only part of the days (``topical_adherence``, the
mean fraction of days, with a between-person beta spread measured for the same adapalene/BPO gel
by Myhill et al. 2017). Daily on/off use is averaged: microcomedones and lesions turn over in
weeks and days, so the regimen acts with the fraction of days applied; a person who uses the gel
every day has ``topical_adherence`` 1. The drug effects are those of a day of use.

The person's acne-proneness ``f_susceptibility`` (0 = not prone: no lesions; 1 = a typical
patient) scales the lesion count; both dynamic states are normalised (1 = the person's calm
state), so a cohort with different susceptibilities starts at equilibrium. Lesion count maps to
the Investigator's Global Assessment (IGA 0-4) and to ``acne_visible`` (IGA/4) for the distress
loop. The stress gain is calibrated to the within-person correlation of V15.

Equations (hours)::

    drive = stress_load_signal
    d sebum_rel/dt = ln2/sebum_half_life * (1 + sebum_stress_gain*drive - sebum_rel)
    sebum = sebum_0 * sebum_rel
    d microcomedones/dt = ln2/microcomedone_half_life
                          * (sebum_rel^sebum_exponent * (1 - retinoid_effect*applied)
                             - microcomedones)
    applied = topical_adherence * retinoid_bpo
    conversion = (1 + stress_gain*drive + cytokine_gain*il6_excess/cytokine_k)
                 * (1 - bpo_effect*applied)
    d lesions_rel/dt = ln2/lesion_half_life * (microcomedones*conversion - lesions_rel)
    acne_lesions = f_susceptibility * lesions_typical * lesions_rel
    acne_iga = 4 * hill_up(acne_lesions, iga_k, iga_n);  acne_visible = acne_iga/4
"""

from __future__ import annotations

from nicsim.core import Assumption, Beta, Derived, Fitted, Literature, LogNormal, Module
from nicsim.core.motifs import LN2, hill_up

ORDER = 72

V15 = ("V15",)


def build() -> Module:
    m = Module("acne", "Sebum and acne vulgaris", __doc__, mechanisms=("M3", "M13", "M9"))
    drive = m.input("stress_load_signal", "dimensionless")
    il6x = m.input("il6_excess", "pg/mL")
    ret = m.exogenous("retinoid_bpo", "dimensionless",
                      "topical retinoid / benzoyl peroxide regimen (0/1)")

    susc = m.parameter("f_susceptibility", 0.0, "dimensionless",
                       Assumption("person trait (susceptibility.acne): 0 = not acne-prone, "
                                  "1 = a typical patient; set from the scenario's person"),
                       "acne-proneness multiplier", bounds=(0, 5),
                       distribution=LogNormal(0.5, Assumption(
                           "acne-prone students differ in severity several-fold (Leeds grades "
                           "0.5-1.75 at baseline)", refs=("chiu2003",))))

    # --- sebum -------------------------------------------------------------------------------
    s0 = m.parameter("sebum_0", 150.0, "ug/cm**2",
                     Assumption("forehead casual sebum of adolescents and young adults by "
                                "Sebumeter is typically 100-200 ug/cm2",
                                refs=("yosipovitch2007",)),
                     distribution=LogNormal(0.35, Assumption(
                         "sebum output differs between people by tens of percent",
                         refs=("yosipovitch2007",))))
    g_seb = m.parameter("sebum_stress_gain", 0.1, "dimensionless",
                        Assumption("a small non-zero gain: Yosipovitch 2007 found no "
                                   "difference in sebum between high- and low-stress periods "
                                   "(no effect), while CRH raises sebocyte lipogenesis in vitro "
                                   "(Zouboulis 2002); 0.1 keeps exam-time sebum changes well "
                                   "inside that null result", refs=("yosipovitch2007",
                                                                    "zouboulis2002")),
                        bounds=(0, 2))
    t_seb = m.parameter("sebum_half_life", 7.0, "day",
                        Assumption("sebocytes mature and discharge over one to two weeks; "
                                   "sebum output follows hormonal changes over weeks",
                                   refs=("zouboulis2002",)))
    seb = m.state("sebum_rel", 1.0, "dimensionless", "sebum output relative to the calm state")
    m.rate(seb, LN2 / t_seb * (1 + g_seb * drive - seb))
    m.output("sebum", s0 * seb, "ug/cm**2", "casual sebum level (forehead, Sebumeter)")

    # --- microcomedones ----------------------------------------------------------------------
    p_seb = m.parameter("sebum_exponent", 1.0, "dimensionless",
                        Assumption("comedogenesis scales with sebum excretion (acne severity "
                                   "correlates with sebum excretion rate)",
                                   refs=("pochi1964",)))
    adh = m.parameter("topical_adherence", 0.565, "dimensionless",
                      Literature("myhill2017", "mean adherence 56.5 % to once-daily "
                                 "adapalene 0.1 %/BPO 2.5 % gel over 12 weeks in the "
                                 "standard-care arm of a randomised primary-care study"),
                      "fraction of prescribed days on which the topical regimen is applied",
                      bounds=(0, 1),
                      distribution=Beta(3.67, Derived(
                          "beta with the arm's mean 0.565 and its 25 % of patients above 75 % "
                          "adherence: P(X > 0.75) = 0.25 gives concentration 3.67 (SD 0.23; "
                          "quartiles 0.39 and 0.75)", refs=("myhill2017",))))
    ret_applied = adh * ret
    e_ret = m.parameter("retinoid_effect", 0.62, "dimensionless",
                        Derived("topical retinoids normalise follicular keratinisation and "
                                "reduce microcomedones. Effect on a day the gel is applied: "
                                "0.35, the value that with bpo_effect gives the mean 12-week "
                                "drug effect of adapalene/BPO (about 60 % fewer inflammatory "
                                "lesions; an earlier assumption of this module), divided by "
                                "the mean adherence 0.565 (topical_adherence)",
                                refs=("thiboutot2007", "myhill2017")), bounds=(0, 0.9),
                        distribution=LogNormal(0.3, Assumption(
                            "patients differ in how much the same topical retinoid reduces "
                            "their lesions (trials report mean or median reductions only)",
                            refs=("thiboutot2007",))))
    t_mc = m.parameter("microcomedone_half_life", 4.0, "week",
                       Assumption("the microcomedone-to-lesion cycle takes about 8 weeks; "
                                  "retinoids act over 8-12 weeks", refs=("thiboutot2007",)))
    mc = m.state("microcomedones", 1.0, "dimensionless",
                 "microcomedone burden relative to the calm state")
    m.rate(mc, LN2 / t_mc * (seb**p_seb * (1 - e_ret * ret_applied) - mc))

    # --- inflammatory lesions ----------------------------------------------------------------
    g_st = m.parameter("stress_gain", 1.0, "dimensionless",
                       Fitted("default", V15, prior=Assumption(
                           "exam stress worsens acne in acne-prone students; neuropeptides and "
                           "CRH in the pilosebaceous unit promote inflammation",
                           refs=("chiu2003", "toyoda2002", "ganceviciene2009"))),
                       bounds=(0.05, 10),
                       distribution=LogNormal(0.5, Assumption(
                           "people differ in how much their acne responds to stress; only "
                           "part of the students flare during exams", refs=("chiu2003",))))
    g_cy = m.parameter("cytokine_gain", 0.2, "dimensionless",
                       Assumption("systemic low-grade inflammation adds a little to lesion "
                                  "inflammation", refs=("ganceviciene2009",)))
    k_cy = m.parameter("cytokine_k", 5.0, "pg/mL",
                       Assumption("IL-6 excess of a few pg/mL (chronic stress range) is felt"))
    e_bpo = m.parameter("bpo_effect", 0.62, "dimensionless",
                        Derived("benzoyl peroxide lowers C. acnes and its inflammation; "
                                "effect on a day the gel is applied, 0.35 / 0.565 as for "
                                "retinoid_effect", refs=("thiboutot2007", "myhill2017")),
                        bounds=(0, 0.9))
    t_les = m.parameter("lesion_half_life", 5.0, "day",
                        Assumption("papules and pustules resolve within one to two weeks"))
    conv = (1 + g_st * drive + g_cy * il6x / k_cy) * (1 - e_bpo * ret_applied)
    les = m.state("lesions_rel", 1.0, "dimensionless",
                  "inflammatory lesion burden relative to the calm state")
    m.rate(les, LN2 / t_les * (mc * conv - les))
    l_typ = m.parameter("lesions_typical", 15.0, "dimensionless",
                        Assumption("a typical acne-prone student with mild-to-moderate acne has "
                                   "about 10-20 inflammatory facial lesions",
                                   refs=("chiu2003",)))
    count = m.output("acne_lesions", susc * l_typ * les, "dimensionless",
                     "inflammatory acne lesions (count, face)")
    iga_k = m.parameter("iga_k", 15.0, "dimensionless",
                        Assumption("IGA 2 (mild) at about 15 inflammatory lesions, 3 (moderate) "
                                   "at about 30, 4 (severe) beyond 60", refs=("fda2018",)))
    iga_n = m.parameter("iga_n", 1.5, "dimensionless", Assumption("see iga_k"))
    iga_max = m.parameter("iga_max", 4.0, "score", Literature("fda2018", "IGA 0-4"))
    iga = m.output("acne_iga", iga_max * hill_up(count, iga_k, iga_n), "score",
                   "Investigator's Global Assessment of acne (0-4)")
    m.output("acne_visible", iga / iga_max, "dimensionless",
             "acne severity as a fraction of the IGA scale (distress loop)")
    return m
