"""HPA axis: CRH -> ACTH -> cortisol with glucocorticoid-receptor feedback (M2, M6).

Structure after the minimal HPA models (Vinther/Andersen/Ottesen 2011-2013; Bangsgaard & Ottesen
2017; Somvanshi et al. 2020), in clinical units. Hypothalamic CRH (normalised) follows a drive made
of the circadian rhythm, the awakening response, appraised stress, sleep loss and cytokines
(IL-6, TNF; Mastorakos 1993, Somvanshi 2020), inhibited by free cortisol through central
glucocorticoid receptors. ACTH (pmol/L) follows CRH with pituitary feedback and cytokine
potentiation. The adrenal cortex secretes cortisol as a saturable function of ACTH. Only free
cortisol is cleared, so total cortisol decays faster when corticosteroid-binding globulin (CBG) is
saturated. Free cortisol solves the Coolens et al. (1987) binding equation.

Chronic adaptation (weeks): sustained stress load lowers immune glucocorticoid sensitivity
(glucocorticoid resistance; Miller, Cohen & Ritchey 2002) and sensitises central feedback
(enhanced negative feedback, the hypocortisolism path; Yehuda 2002, Gupta et al. 2007). Because
stress adds to the CRH drive rather than multiplying the rhythm, chronic stress also flattens the
diurnal slope.

Equations (hours)::

    U = free cortisol: (1+N) U^2 + ((1+N) Kd + CBG - C) U - C Kd = 0
    fb = 1 / (1 + (f_gr * gr_central * U / feedback_ic50)^feedback_n)
    drive = circ_gain*(circadian + circ_floor) + car_gain*car
            + stress_gain*(1+male_gain*male)*oxytocin_hpa_buffer*stress
            + sleep_gain*sleep_loss + cyto_crh_gain*cyto
    d crh/dt  = ln2/crh_half_life * (drive*(1 - mindfulness_tonic_effect*mindfulness)*fb - crh)
    d acth/dt = ln2/acth_half_life
                * (acth_gain*crh*fb*(1 + cyto_acth_gain*cyto^2/(1+cyto^2)) - acth)
    d cortisol/dt = secretion_max*(acth/acth_ec50)^n/(1+(acth/acth_ec50)^n)
                    - clearance*U + hydrocortisone/distribution_volume
"""

from __future__ import annotations

import sympy as sp

from nicsim.core import Assumption, Derived, Fitted, Literature, LogNormal, Module
from nicsim.core.domains import SWITCH
from nicsim.core.motifs import LN2, hill_up

FIT = ("V01", "V02", "V03", "V04", "V10")

ORDER = 30


def build() -> Module:
    m = Module("hpa", "HPA axis", __doc__, mechanisms=("M2", "M6"))
    circ = m.input("circadian_drive", "dimensionless")
    car = m.input("car_drive", "dimensionless")
    stress = m.input("stress_signal", "dimensionless")
    sleep_loss = m.input("sleep_loss", "dimensionless")
    load = m.input("stress_load_signal", "dimensionless")
    il6 = m.input("il6", "pg/mL")
    tnf = m.input("tnf", "pg/mL")
    hc = m.exogenous("hydrocortisone_infusion", "mg/hour", "hydrocortisone infusion rate")
    mindful = m.input("mindfulness", "dimensionless")
    ot_buffer = m.input("oxytocin_hpa_buffer", "dimensionless", default=1.0,
                        doc="oxytocin/social-support buffering of the stress drive (1 = none)")

    # --- binding (Coolens 1987) -------------------------------------------------------------
    cbg = m.parameter("cbg_capacity", 700.0, "nmol/L",
                      Literature("coolens1987", "CBG binding capacity, healthy adults"),
                      bounds=(400, 1000), distribution=LogNormal(0.15, Literature(
                          "coolens1987", "CBG varies between healthy people")))
    kd = m.parameter("cbg_kd", 33.0, "nmol/L",
                     Derived("1/K with K = 3e7 L/mol for cortisol-CBG", refs=("coolens1987",)))
    nalb = m.parameter("albumin_ratio", 1.74, "dimensionless",
                       Literature("coolens1987", "albumin-bound/free ratio N"))
    sal = m.parameter("saliva_ratio", 0.6, "dimensionless",
                      Assumption("salivary cortisol tracks free cortisol; 11b-HSD2 in the "
                                 "salivary gland converts part to cortisone",
                                 refs=("perogamvros2012",)),
                      distribution=LogNormal(0.65, Fitted("default", ("V05",), prior=Assumption(
                          "salivary cortisol at a given clock time varies about +/-50-70 % "
                          "between healthy adults (salivary flow, 11b-HSD2 activity, assay)",
                          refs=("perogamvros2012",)))))
    c = m.state("cortisol", 250.0, "nmol/L", "total serum cortisol")
    a = 1 + nalb
    b = a * kd + cbg - c
    free = (-b + sp.sqrt(b**2 + 4 * a * c * kd)) / (2 * a)
    m.output("cortisol_serum", c, "nmol/L", "total serum cortisol")
    u = m.output("cortisol_free", free, "nmol/L", "free (unbound) serum cortisol")
    m.output("cortisol_saliva", sal * u, "nmol/L", "salivary cortisol")

    # --- receptors and chronic adaptation ---------------------------------------------------
    f_gr = m.parameter("f_gr_sensitivity", 1.0, "dimensionless",
                       Assumption("nominal person; set from the scenario's person traits"),
                       "glucocorticoid-receptor sensitivity multiplier", bounds=(0.2, 5),
                       distribution=LogNormal(0.25, Assumption(
                           "GR sensitivity varies between people (dexamethasone suppression)",
                           refs=("derijk1997",))))
    t_adapt = m.parameter("gr_adaptation_half_life", 3.0, "week",
                          Assumption("glucocorticoid resistance develops over weeks to months "
                                     "of caregiving stress", refs=("miller2002",)))
    res = m.parameter("gc_resistance_gain", 1.5, "dimensionless",
                      Assumption("sustained stress load 0.3 lowers immune GC sensitivity by "
                                 "about a third (direction: Miller 2002)", refs=("miller2002",)))
    sens = m.parameter("central_sensitisation_gain", 0.5, "dimensionless",
                       Assumption("chronic stress sensitises central GR feedback (enhanced "
                                  "negative feedback, low cortisol in PTSD)",
                                  refs=("yehuda2002", "gupta2007")))
    gs = m.state("gc_sensitivity", 1.0, "dimensionless",
                 "immune-cell glucocorticoid sensitivity (1 = normal, < 1 = resistance)")
    m.rate(gs, LN2 / t_adapt * (1 / (1 + res * load) - gs))
    grc = m.state("gr_central", 1.0, "dimensionless", "central GR feedback gain (1 = normal)")
    m.rate(grc, LN2 / t_adapt * (1 + sens * load - grc))
    m.output("gc_sensitivity_signal", gs, "dimensionless", "immune GC sensitivity",
             observable=False)

    # --- CRH ------------------------------------------------------------------------------
    fb_ic50 = m.parameter("feedback_ic50", 20.0, "nmol/L",
                          Fitted("default", FIT, prior=Assumption(
                              "half-maximal central feedback near morning free cortisol")),
                          bounds=(2, 200))
    fb_n = m.parameter("feedback_n", 1.0, "dimensionless",
                       Assumption("non-cooperative receptor occupancy"))
    fb = 1 / (1 + (f_gr * grc * u / fb_ic50) ** fb_n)
    g_circ = m.parameter("circ_gain", 3.0, "dimensionless", Fitted("default", FIT))
    floor = m.parameter("circ_floor", 0.12, "dimensionless",
                        Fitted("default", ("V01",), prior=Literature(
                            "bangsgaard2017", "epsilon: a non-zero nocturnal drive")))
    g_car = m.parameter("car_gain", 1.2, "dimensionless", Fitted("default", ("V03",)))
    g_stress = m.parameter("stress_gain", 4.0, "dimensionless", Fitted("default", ("V04",)))
    male = m.parameter("male", 0.0, "dimensionless",
                       Assumption("1 for a male person, 0 for a female person (scenario)"),
                       domain=SWITCH)
    g_male = m.parameter("male_stress_gain", 0.3, "dimensionless",
                         Assumption("men show larger TSST cortisol responses than women "
                                    "(about 1.5-2 x in free cortisol)", refs=("kirschbaum1999",)))
    g_sleep = m.parameter("sleep_gain", 0.5, "dimensionless",
                          Assumption("sleep loss adds to the hypothalamic drive (raised evening "
                                     "cortisol and a delayed quiescent period after sleep loss "
                                     "in several studies; Balbo 2010 review); the gain is an "
                                     "order-of-magnitude assumption, not a model fit (the "
                                     "prediction row V32 is not fitted)", refs=("balbo2010",)))
    k_il6 = m.parameter("il6_hpa_k", 100.0, "pg/mL",
                        Assumption("IL-6 in the hundreds of pg/mL activates the HPA axis",
                                   refs=("mastorakos1993", "somvanshi2020")))
    k_tnf = m.parameter("tnf_hpa_k", 200.0, "pg/mL",
                        Assumption("TNF potentiates CRH/ACTH release at hundreds of pg/mL; "
                                   "Somvanshi 2020's model uses Km_tnf3 = 40 pg/mL, here 5 x "
                                   "higher without a published reason (no row fitted it)",
                                   refs=("somvanshi2020",)))
    cyto = il6 / k_il6 + tnf / k_tnf
    m.output("cytokine_hpa_signal", cyto, "dimensionless", observable=False)
    g_cyto_crh = m.parameter("cyto_crh_gain", 0.5, "dimensionless", Fitted("default", ("V10",)))
    drive = (g_circ * (circ + floor) + g_car * car
             + g_stress * (1 + g_male * male) * ot_buffer * stress
             + g_sleep * sleep_loss + g_cyto_crh * cyto)
    t_crh = m.parameter("crh_half_life", 4.0, "min",
                        Literature("andersen2013", "w1 = 0.173/min, ln2/w1 = 4 min"))
    tonic = m.parameter("mindfulness_tonic_effect", 0.2, "dimensionless",
                        Fitted("default", ("V18",), prior=Assumption(
                            "practised mindfulness lowers basal cortisol, not only stress "
                            "responses (less rumination between stressors)",
                            refs=("sanada2016",))), bounds=(0.02, 0.6))
    crh = m.state("crh", 1.0, "dimensionless", "hypothalamic CRH release (normalised)")
    m.rate(crh, LN2 / t_crh * (drive * (1 - tonic * mindful) * fb - crh))

    # --- ACTH ------------------------------------------------------------------------------
    t_acth = m.parameter("acth_half_life", 20.0, "min",
                         Literature("keenan2004", "ACTH half-life 20 +/- 1.3 min"),
                         bounds=(15, 25))
    g_acth = m.parameter("acth_gain", 2.5, "pmol/L", Fitted("default", FIT))
    g_cyto_acth = m.parameter("cyto_acth_gain", 8.0, "dimensionless",
                              Fitted("default", ("V10",), prior=Literature(
                                  "somvanshi2020", "V_acth2 = 11.2: TNF raises ACTH secretion "
                                  "up to about 12-fold")))
    acth = m.state("acth", 3.0, "pmol/L", "plasma ACTH", observable=True)
    m.rate(acth, LN2 / t_acth * (g_acth * crh * fb * (1 + g_cyto_acth * cyto**2 / (1 + cyto**2))
                                 - acth))

    # --- cortisol ---------------------------------------------------------------------------
    vmax = m.parameter("secretion_max", 90.0, "nmol/L/hour", Fitted("default", FIT))
    ec50 = m.parameter("acth_ec50", 8.0, "pmol/L",
                       Fitted("default", FIT, prior=Assumption(
                           "adrenal response saturates at ACTH of tens of pmol/L "
                           "(cortisol only doubles when ACTH rises 40-fold in endotoxemia)",
                           refs=("jinfectdis1998",))))
    adr_n = m.parameter("acth_n", 1.5, "dimensionless", Fitted("default", FIT))
    clear = m.parameter("free_clearance", 11.0, "1/hour",
                        Fitted("default", ("V02",), prior=Literature(
                            "keenan2004", "total cortisol half-life 49 min; only free cortisol "
                            "is cleared")))
    mw = m.parameter("cortisol_molar_mass", 362.46, "ng/nmol",
                     Literature("pubchem_cortisol", "C21H30O5, 362.46 g/mol"))
    ng_per_mg = m.parameter("ng_per_mg", 1e6, "ng/mg", Derived("unit conversion"))
    vd = m.parameter("distribution_volume", 25.0, "L",
                     Literature("derendorf1991", "hydrocortisone volume of distribution "
                                "about 20-40 L"))
    m.rate(c, vmax * hill_up(acth, ec50, adr_n) - clear * u + hc * ng_per_mg / mw / vd)
    m.note("Hydrocortisone enters as mass rate / molar mass / distribution volume (nmol/L/h).")
    return m
