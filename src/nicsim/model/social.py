"""Social support and oxytocin: plasma oxytocin, HPA buffering, appraisal buffering (M15, M17).

No published mechanistic model links social support, oxytocin and the HPA axis
(model-anchors.md section 3.6: "oxytocin -> wound: no mechanistic model found"); this module is
the simplest structure that carries the human findings:

* Plasma oxytocin (extracted assays: a few pg/mL; McCullough et al. 2013) is higher in people
  with more partner support and rises with warm contact (Grewen et al. 2005). Its plasma
  half-life is minutes, so plasma oxytocin is written quasi-steady (algebraic) on the hour scale.
* Intranasal oxytocin (dose in IU) sits in a nasal depot absorbed over about an hour; a small
  fraction reaches the plasma (Striepens et al. 2013).
* Central oxytocin activity follows the plasma excess over the average person's level with a
  slower time constant (central effects of 24 IU last about 1-1.5 h; Spengler et al. 2017,
  Striepens et al. 2013). It multiplies the stress drive of the HPA axis by
  ``oxytocin_hpa_buffer`` (< 1 buffers; Heinrichs et al. 2003; Ditzen et al. 2009).
* Support present (a supportive friend) and support-group participation damp the appraisal of
  stressors (``social_buffer``, read by psyche; stress-buffering hypothesis, Cohen & Wills 1985).

The average person (``support_0`` = 0.5, nobody present, no oxytocin given) has buffer 1 and
social_buffer 0, so the calibrated neuro-endocrine core is unchanged for them. A person with
below-average support has slightly less oxytocin and a buffer slightly above 1.

Equations (hours)::

    trait   = (1 + trait_gain*support_0) / (1 + trait_gain*0.5)
    ot_nasal_plasma = bioavailability * k_abs * N * ug_per_iu / (k_ot * volume)
    oxytocin = ot_basal * trait * (1 + touch_gain*social_support) + ot_nasal_plasma
    k_abs = ln2/nasal_half_life
    dN/dt = -k_abs * N                                   (N jumps by the intranasal dose)
    dc/dt = ln2/central_half_life * (oxytocin/ot_basal - 1 - c)
    oxytocin_hpa_buffer = 1 / (1 + hpa_buffer_gain * c)
    x = present_gain*social_support + group_gain*support_group_participation
    social_buffer = buffer_max * x / (x + buffer_k)
"""

from __future__ import annotations

from nicsim.core import Assumption, Derived, Fitted, Literature, Module
from nicsim.core.domains import fraction
from nicsim.core.motifs import LN2

ORDER = 90


def build() -> Module:
    m = Module("social", "Social support and oxytocin", __doc__, mechanisms=("M15", "M17"))
    present = m.exogenous("social_support", "dimensionless",
                          "support present, e.g. a supportive friend or partner (0-1)")
    group = m.input("support_group_participation", "dimensionless", default=0.0,
                    doc="accumulated support-group participation (0-1, immune_competence)")

    support0 = m.parameter("support_0", 0.5, "dimensionless",
                           Assumption("nominal person (average perceived social support); set "
                                      "from the scenario's person trait social_support"),
                           "baseline perceived social support (0-1)", bounds=(0, 1),
                           domain=fraction())
    ot0 = m.parameter("ot_basal", 4.0, "pg/mL",
                      Assumption("plasma oxytocin of the average person with extracted "
                                 "immunoassays is 1-10 pg/mL; unextracted assays read far "
                                 "higher, so only ratios are interpreted",
                                 refs=("mccullough2013", "grewen2005")),
                      "plasma oxytocin of the average person at rest", bounds=(0.5, 50))
    g_trait = m.parameter("trait_gain", 0.5, "dimensionless",
                          Assumption("more partner support goes with higher resting plasma "
                                     "oxytocin (direction; about +/-20 % across the range)",
                                     refs=("grewen2005",)), bounds=(0, 2))
    g_touch = m.parameter("touch_gain", 0.5, "dimensionless",
                          Assumption("warm contact with a supportive partner raises plasma "
                                     "oxytocin by tens of percent", refs=("grewen2005",)),
                          bounds=(0, 3))
    t_nasal = m.parameter("nasal_half_life", 15.0, "min",
                          Assumption("an intranasal dose is absorbed within about an hour; "
                                     "plasma levels peak 15-30 min after dosing",
                                     refs=("striepens2013",)), bounds=(5, 60))
    f_bio = m.parameter("bioavailability", 0.02, "dimensionless",
                        Assumption("a few percent of an intranasal dose reaches the plasma; sized "
                                   "so 24 IU raises plasma oxytocin several-fold at its peak",
                                   refs=("striepens2013",)), bounds=(0.001, 0.2),
                        domain=fraction())
    ug_iu = m.parameter("ug_per_iu", 1.68, "ug/IU",
                        Literature("gimpl2001", "synthetic oxytocin about 600 IU/mg"))
    t_ot = m.parameter("plasma_half_life", 4.0, "min",
                       Literature("gimpl2001", "plasma oxytocin half-life of a few minutes"))
    vol = m.parameter("distribution_volume", 15.0, "L",
                      Assumption("extracellular fluid volume of an adult (oxytocin stays "
                                 "extracellular)"))
    pg_per_ug = m.parameter("pg_per_ug", 1e6, "pg/ug", Derived("unit conversion"))
    ml_per_l = m.parameter("ml_per_l", 1000.0, "mL/L", Derived("unit conversion"))
    t_c = m.parameter("central_half_life", 60.0, "min",
                      Assumption("central effects of intranasal oxytocin build up and last "
                                 "about 45-90 min after dosing (CSF peak at 75 min)",
                                 refs=("spengler2017", "striepens2013")), bounds=(15, 240))
    g_hpa = m.parameter("hpa_buffer_gain", 0.5, "dimensionless",
                        Fitted("default", ("V22",), prior=Assumption(
                            "intranasal oxytocin lowers the cortisol response to a social "
                            "stressor (Heinrichs 2003) and during couple conflict (Ditzen "
                            "2009); set by hand so 24 IU 50 min before a TSST lowers the "
                            "response by about a quarter (the V22 study; V22 is direction only)",
                            refs=("heinrichs2003", "ditzen2009"))), bounds=(0.05, 10))

    nasal = m.state("oxytocin_nasal", 0.0, "IU", "intranasal oxytocin not yet absorbed",
                    atol=1e-6)
    k_abs = LN2 / t_nasal
    m.rate(nasal, -k_abs * nasal)
    trait = (1 + g_trait * support0) / (1 + g_trait * 0.5)
    nasal_plasma = f_bio * k_abs * nasal * ug_iu * pg_per_ug / (LN2 / t_ot * vol * ml_per_l)
    ot = m.output("oxytocin", ot0 * trait * (1 + g_touch * present) + nasal_plasma, "pg/mL",
                  "plasma oxytocin")
    central = m.state("central_oxytocin", 0.0, "dimensionless",
                      "central oxytocin activity relative to the average person (0)",
                      nonnegative=False, atol=1e-6)
    m.rate(central, LN2 / t_c * (ot / ot0 - 1 - central))
    m.output("oxytocin_hpa_buffer", 1 / (1 + g_hpa * central), "dimensionless",
             "multiplies the stress drive of CRH (1 = the average person, < 1 buffering)",
             observable=False)

    g_present = m.parameter("present_gain", 1.0, "dimensionless",
                            Assumption("a supportive person present damps appraisal by about "
                                       "a third (buffer_max*1/(1+buffer_k))",
                                       refs=("cohen1985", "heinrichs2003")), bounds=(0, 5))
    g_group = m.parameter("group_gain", 1.0, "dimensionless",
                          Assumption("an established support group damps appraisal like a "
                                     "supportive person present (direction: CBSM lowers "
                                     "distress)", refs=("antoni2000",)), bounds=(0, 5))
    bmax = m.parameter("buffer_max", 0.9, "dimensionless",
                       Assumption("the psyche accepts at most 0.9 damping"),
                       domain=fraction())
    bk = m.parameter("buffer_k", 1.5, "dimensionless",
                     Assumption("half-maximal damping at 1.5 units of support"))
    x = g_present * present + g_group * group
    m.output("social_buffer", bmax * x / (x + bk), "dimensionless",
             "appraisal damping by support present and support-group participation (0-0.9)",
             observable=False)
    return m
