"""Natural-killer surveillance and latent herpes simplex (HSV-1 labialis) reactivation (M14).

No published mechanistic model links stress, NK cells and herpes recurrence (model-anchors.md
section 4.1 lists it as a gap); the structure below borrows the glucocorticoid term of Yakimchuk
(2019) and is otherwise the simplest one the human studies support.

*NK capacity* ``N`` (1 = reference) is the circulating NK pool's cytotoxic capacity, the product
of cell number and per-cell activity, which the model does not separate. It follows the NK
equation of Yakimchuk (2019), normalised so that N = 1 at the 24-h mean free cortisol of an
unstressed day, with production raised by practised relaxation / self-hypnosis
(Kiecolt-Glaser et al. 1985; Gruzelier 2002). Loss is raised by glucocorticoids (Yakimchuk's
(1 - exp(-g)) term; g scales with free cortisol), by sustained sympathetic (catecholamine)
activity and by persistent felt stress that the circulating hormones of the model do not carry
(chronic stressors lower NK cytotoxicity; Herbert & Cohen 1993). The three loss routes add up,
so the lumped one is sized to what the two hormone routes leave of the exam-stress fall (no
double counting).

Acute and chronic stress differ: within minutes an acute stressor *mobilises* NK cells into the
blood (catecholamines, beta2-adrenergic; Benschop et al. 1996), so NK activity measured in a
blood sample rises during a stressor, while the capacity state falls only under sustained
exposure (days). The measured ``nk_activity`` (% lysis of K562 targets at a fixed
effector:target ratio) therefore carries the acute mobilisation; herpes surveillance uses the
capacity only.

Latent HSV-1 (``seropositive`` = 1) reactivates with a hazard that rises as NK surveillance falls
and with persistent stress (>= 1 week; Cohen et al. 1999; social stress reactivates latent HSV-1
in mice, Padgett et al. 1998). The expected number of clinical recurrences accumulates. An
antibody-titre proxy (relative to the person's reference) follows the reactivation drive with
IgG turnover (higher titres to latent herpesviruses signal poorer cellular control; Glaser &
Kiecolt-Glaser 1985).

Equations (hours; rates given per day are converted)::

    g     = gc_dose_ref * cortisol_free / cortisol_free_ref
    E     = smooth_max0(sympathetic_tone - 1)
    prod  = (nk_turnover + nk_gc_inhibition*(1 - exp(-gc_dose_ref))) * (1 + relax_gain*relaxation)
    dN/dt = prod - (nk_turnover + nk_gc_inhibition*(1 - exp(-g)) + nk_catecholamine_inhibition*E
                    + nk_stress_inhibition*stress_load) * N
    dP/dt = ln2/persistence_half_life * (stress_load - P)
    r     = N^(-surveillance_exponent) * (1 + persistent_stress_gain*P)
    hazard = seropositive * recurrence_rate_0 * r
    d herpes_recurrences/dt = hazard
    dA/dt = ln2/igg_half_life * (r^titre_elasticity - A)
    nk_activity = lysis_0 * N * (1 + mobilisation_gain*E)
    hsv_antibody_titre = seropositive * A
"""

from __future__ import annotations

import sympy as sp

from nicsim.core import Assumption, Derived, Fitted, Literature, LogNormal, Module
from nicsim.core.domains import SWITCH
from nicsim.core.motifs import LN2, smooth_max0

ORDER = 100


def build() -> Module:
    m = Module("herpes", "NK surveillance and latent herpes simplex", __doc__,
               mechanisms=("M14", "M2", "M9"))
    free = m.input("cortisol_free", "nmol/L")
    sns = m.input("sympathetic_tone", "dimensionless")
    load = m.input("stress_load_signal", "dimensionless")
    relax = m.input("relaxation", "dimensionless")

    # --- NK capacity (Yakimchuk 2019 structure) ---------------------------------------------
    d = m.parameter("nk_turnover", 0.0412, "1/day",
                    Literature("yakimchuk2019", "NK death rate d2 = 0.0412 (MODEL1912170005)"),
                    "NK pool turnover")
    i_gc = m.parameter("nk_gc_inhibition", 0.86, "1/day",
                       Literature("yakimchuk2019", "GC inhibition of NK cells i2 = 0.86, acting "
                                  "as i2*(1 - exp(-g))*N"))
    g_ref = m.parameter("gc_dose_ref", 0.1, "dimensionless",
                        Assumption("reference glucocorticoid exposure on a normal day, a "
                                   "dimensionless scale. Yakimchuk 2019's g = 0.1 is a drug dose "
                                   "in a tumour-immunity model; it is borrowed as a number, not "
                                   "as a measured exposure", refs=("yakimchuk2019",)))
    u_ref = m.parameter("cortisol_free_ref", 11.8, "nmol/L",
                        Derived("24-h mean free cortisol of the default person on an unstressed "
                                "day (simulated; serum total mean about 195 nmol/L)",
                                refs=("debono2009", "coolens1987")))
    i_cat = m.parameter("nk_catecholamine_inhibition", 0.3, "1/day",
                        Assumption("sustained sympathetic activity lowers NK cytotoxicity "
                                   "(beta-adrenergic cAMP); sized so a sympathetic tone "
                                   "doubled for days lowers capacity by about 70 %",
                                   refs=("benschop1996", "segerstrom2004")))
    # The lumped route carries only what the hormone routes above do not: it is sized so that
    # all routes together (glucocorticoid, catecholamine and this one) give the exam-stress fall
    # of about a third. Sized alone to a third, as before, the routes double counted (40 %).
    i_load = m.parameter("nk_stress_inhibition", 0.18, "1/day",
                         Derived("chronic and examination stress lower NK cytotoxicity by tens "
                                 "of percent beyond what the model's circulating cortisol and "
                                 "catecholamines carry (lumped central/behavioural pathways). "
                                 "Model run (scripts/derive_nk_stress_inhibition.py): "
                                 "weeks of exam stress (chronic stressor "
                                 "0.6, 08:00-22:00, 3 weeks, a 21-year-old) lower NK activity by "
                                 "8.5 % through the hormone routes alone; the lumped rate that "
                                 "brings the total fall to a third is 0.18 /day",
                                 refs=("herbert1993", "kiecoltglaser1986")),
                         bounds=(0.0, 3.0))
    g_relax = m.parameter("relax_gain", 1.0, "dimensionless",
                          Fitted("default", ("V21", "V26"), prior=Assumption(
                              "practised relaxation / self-hypnosis raises NK activity "
                              "(direction: Kiecolt-Glaser 1985; Gruzelier 2002); prior "
                              "value 1",
                              refs=("kiecoltglaser1985", "gruzelier2002"))),
                          bounds=(0.05, 5.0))
    nk = m.state("nk_capacity", 1.0, "dimensionless",
                 "NK pool cytotoxic capacity (1 = reference; number x per-cell activity)")
    g = g_ref * free / u_ref
    excess = smooth_max0(sns - 1, 0.02)
    prod = (d + i_gc * (1 - sp.exp(-g_ref))) * (1 + g_relax * relax)
    m.rate(nk, prod - (d + i_gc * (1 - sp.exp(-g)) + i_cat * excess + i_load * load) * nk)

    lysis0 = m.parameter("lysis_0", 30.0, "pct_lysis",
                         Assumption("NK cytotoxicity against K562 targets at a mid effector:"
                                    "target ratio is typically 20-40 % lysis in healthy adults",
                                    refs=("kiecoltglaser1986",)),
                         distribution=LogNormal(0.35, Assumption(
                             "NK activity varies widely between healthy people")))
    mob = m.parameter("mobilisation_gain", 1.0, "dimensionless",
                      Assumption("acute stress or epinephrine roughly doubles blood NK cell "
                                 "counts within minutes; a TSST doubles sympathetic tone",
                                 refs=("benschop1996", "segerstrom2004")))
    m.output("nk_activity", lysis0 * nk * (1 + mob * excess), "pct_lysis",
             "blood NK cytotoxicity (% lysis; includes acute stress mobilisation)")

    # --- latent HSV-1 ------------------------------------------------------------------------
    sero = m.parameter("seropositive", 0.0, "dimensionless",
                       Assumption("1 for an HSV-1 seropositive person (latent infection), 0 "
                                  "otherwise; set from the person's hsv1_seropositive trait"),
                       domain=SWITCH)
    h0 = m.parameter("recurrence_rate_0", 2.0, "1/year",
                     Literature("spruance1992", "people with recurrent herpes labialis have a "
                                "few episodes per year"),
                     "recurrence hazard of a seropositive person at reference NK capacity and "
                     "no persistent stress",
                     distribution=LogNormal(1.0, Assumption(
                         "most seropositive people have no or rare recurrences, a minority "
                         "many", refs=("spruance1992",))))
    n_s = m.parameter("surveillance_exponent", 2.0, "dimensionless",
                      Fitted("default", ("V26",), prior=Assumption(
                          "the hazard rises steeply as NK surveillance falls: low NK "
                          "cytotoxicity marks frequent recurrers; prior value 2",
                          refs=("fox1999",))),
                      bounds=(0.5, 6.0))
    t_p = m.parameter("persistence_half_life", 7.0, "day",
                      Literature("cohen1999", "stressors persisting at least one week predicted "
                                 "recurrence, short-term stressors did not"))
    g_p = m.parameter("persistent_stress_gain", 1.0, "dimensionless",
                      Assumption("persistent stress (felt load about 0.2 under a full-time "
                                 "chronic stressor) raises the hazard by tens of percent beyond "
                                 "its NK effect; direction from Cohen 1999 and the reactivation "
                                 "of latent HSV-1 by social stress in mice",
                                 refs=("cohen1999", "padgett1998")))
    pers = m.state("persistent_stress", 0.0, "dimensionless",
                   "felt stress persisting over weeks", atol=1e-8)
    m.rate(pers, LN2 / t_p * (load - pers))
    ratio = nk ** (-n_s) * (1 + g_p * pers)
    hazard = m.output("hsv_reactivation_hazard", sero * h0 * ratio, "1/day",
                      "herpes labialis recurrence hazard (0 when seronegative)")
    rec = m.state("recurrences", 0.0, "dimensionless",
                  "expected number of herpes recurrences since the scenario start", atol=1e-8)
    m.rate(rec, hazard)
    m.output("herpes_recurrences", rec, "dimensionless",
             "expected number of herpes recurrences since the scenario start")
    t_igg = m.parameter("igg_half_life", 21.0, "day",
                        Literature("morell1970", "IgG1 half-life about 21 days"))
    e_ab = m.parameter("titre_elasticity", 0.5, "dimensionless",
                       Assumption("antibody titres move less than proportionally with the "
                                  "reactivation drive (direction: Kiecolt-Glaser 1985)",
                                  refs=("kiecoltglaser1985", "glaser1985")))
    ab = m.state("antibody_drive", 1.0, "dimensionless",
                 "relative anti-HSV antibody titre drive (1 = reference)")
    m.rate(ab, LN2 / t_igg * (ratio ** e_ab - ab))
    m.output("hsv_antibody_titre", sero * ab, "dimensionless",
             "anti-HSV antibody titre relative to the person's reference (0 when seronegative)")
    m.output("nk_surveillance", nk, "dimensionless",
             "NK pool capacity (1 = reference) used for viral surveillance", observable=False)
    return m
