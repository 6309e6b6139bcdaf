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

Latent HSV-1 (``seropositive`` = 1) reactivates in the trigeminal ganglion with a hazard that
rises as NK surveillance falls, with persistent stress (>= 1 week; Cohen et al. 1999; social
stress reactivates latent HSV-1 in mice, Padgett et al. 1998) and, acutely, with sympathetic
arousal (catecholamines; psychosocial stress predicts recurrences in prospective studies, Chida
& Mao 2009). A reactivation is not yet a lesion: the virus travels down the axon and replicates
in the epidermis (prodrome: tingling/itch in the last hours before the lesion), and the lesion
appears a few days after the trigger (UV-triggered herpes labialis: mean 2.9 days, Rooney et al.
1991; most lesions at 3-7 days, a fifth within 48 h, Spruance et al. 1995). The model carries
a reactivation as a chain of stages (neuronal: reactivation and axonal transport; epidermal:
replication with prodrome), each a series of compartments so that the trigger-to-lesion delay
is gamma-distributed with the published mean and spread; the lesion then heals in about a week
(mean time to vesicle healing 6.4 days, Davis et al. 1988). ``herpes_recurrences`` counts lesion
onsets (clinical recurrences). A lip UV exposure (event ``lip_uv_exposure``) adds a pending
trigger that reactivates the virus with the probability seen in UV provocation studies. An
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
    hazard = seropositive * recurrence_rate_0 * r * (1 + acute_reactivation_gain*E)
    dU/dt = -U/uv_signal_time                     (U: pending UV trigger; event jumps +1)
    inflow = hazard + seropositive * uv_reactivation_probability * U/uv_signal_time
    neuronal stage, k = 4 compartments G_1..G_k, each with rate
        k/neuronal_stage_duration; epidermal stage S_1..S_k with rate k/epidermal_stage_duration
    lesion_onset = k/epidermal_stage_duration * S_k
    d herpes_recurrences/dt = lesion_onset
    d L/dt = lesion_onset - L/lesion_duration       (L: expected active lesions)
    herpes_prodrome = sum(S_i)                       (expected reactivations in the epidermis)
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
    u_ref = m.parameter("cortisol_free_ref", 10.5, "nmol/L",
                        Derived("24-h mean free cortisol of the default person on an unstressed "
                                "settled day (10.52 nmol/L, simulated: "
                                "scripts/derive_calm_cortisol_reference.py; serum total mean "
                                "about 170 nmol/L)",
                                refs=("debono2009", "coolens1987")))
    i_cat = m.parameter("nk_catecholamine_inhibition", 0.3, "1/day",
                        Assumption("sustained sympathetic activity lowers NK cytotoxicity "
                                   "(beta-adrenergic cAMP); sized so a sympathetic tone "
                                   "doubled for days lowers capacity by about 70 %",
                                   refs=("benschop1996", "segerstrom2004")))
    # The lumped route carries only what the hormone routes above do not: it is sized so that
    # all routes together (glucocorticoid, catecholamine and this one) give the exam-stress fall
    # of about a third. Sized alone to a third, as before, the routes double counted (40 %).
    i_load = m.parameter("nk_stress_inhibition", 0.17, "1/day",
                         Derived("chronic and examination stress lower NK cytotoxicity by tens "
                                 "of percent beyond what the model's circulating cortisol and "
                                 "catecholamines carry (lumped central/behavioural pathways). "
                                 "Model run (scripts/derive_nk_stress_inhibition.py): "
                                 "weeks of exam stress (chronic stressor "
                                 "0.6, 08:00-22:00, 3 weeks, a 21-year-old) lower NK activity by "
                                 "10.8 % through the hormone routes alone (re-run on the re-fitted "
                                 "HPA core); the lumped rate that brings the total fall to a "
                                 "third is 0.17 /day",
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
    g_a = m.parameter("acute_reactivation_gain", 2.0, "dimensionless",
                      Assumption("acute sympathetic arousal (catecholamines) raises the "
                                 "reactivation hazard while it lasts: psychosocial stress "
                                 "predicts symptomatic recurrence in prospective studies and "
                                 "stress reactivates latent HSV-1 in mice; the size is not given "
                                 "by human data (sympathetic tone doubled triples the hazard)",
                                 refs=("chida2009herpes", "padgett1998")),
                      bounds=(0.0, 10.0))
    hazard = m.output("hsv_reactivation_hazard", sero * h0 * ratio * (1 + g_a * excess), "1/day",
                      "herpes simplex reactivation hazard in the ganglion (0 when seronegative)")

    # --- reactivation -> axonal transport -> epidermal replication (prodrome) -> lesion ------
    t_uv = m.parameter("uv_signal_time", 1.0, "hour",
                       Assumption("numerical: a lip UV exposure's pending trigger is spent "
                                  "within about an hour"))
    p_uv = m.parameter("uv_reactivation_probability", 0.71, "dimensionless",
                       Literature("rooney1991", "4 minimal erythema doses of UV to the lip: "
                                  "herpes labialis in 27 of 38 patients (71 %) after placebo"))
    k_st = 4
    m.note("Each stage is a chain of 4 compartments, so the trigger-to-lesion delay (8 "
           "compartments) is gamma-distributed with shape 8: Rooney et al. 1991 give mean 2.9 "
           "days, SEM 0.2 over 27 lesions, i.e. SD = 0.2 x sqrt(27) = 1.0 day, and (2.9/1.0)^2 "
           "= 8.")
    t_neu = m.parameter("neuronal_stage_duration", 1.9, "day",
                        Derived("trigger to lesion takes 2.9 days on average (Rooney 1991); the "
                                "last day of it is epidermal replication (epidermal stage), the "
                                "rest ganglionic reactivation and axonal transport",
                                refs=("rooney1991", "spruance1977")))
    t_epi = m.parameter("epidermal_stage_duration", 1.0, "day",
                        Assumption("epidermal replication before the lesion is visible: the "
                                   "prodrome (tingling, itch) precedes the lesion by hours to a "
                                   "day and biopsies of prodromal skin already hold virus",
                                   refs=("spruance1977",)))
    t_les = m.parameter("lesion_duration", 6.4, "day",
                        Literature("davis1988", "mean time to vesicle healing 6.4 (SE 0.2) days "
                                   "over 214 herpes labialis outbreaks"))
    uv = m.state("uv_trigger", 0.0, "dimensionless",
                 "pending lip-UV reactivation trigger (event lip_uv_exposure adds 1)", atol=1e-8,
                 observable=False)
    m.rate(uv, -uv / t_uv)
    inflow = hazard + sero * p_uv * uv / t_uv
    prev = inflow
    stages = []
    for name, dur, label in (("neuronal", t_neu, "reactivation / axonal transport"),
                             ("epidermal", t_epi, "epidermal replication (prodrome)")):
        rate_c = k_st / dur
        for i in range(1, k_st + 1):
            st = m.state(f"{name}_{i}", 0.0, "dimensionless",
                         f"expected reactivations in {label}, compartment {i} of {k_st}",
                         atol=1e-9, observable=False)
            m.rate(st, prev - rate_c * st)
            prev = rate_c * st
            stages.append((name, st))
    onset = m.output("herpes_lesion_onset_rate", prev, "1/day",
                     "rate of new herpes labialis lesions (expected onsets per day)")
    rec = m.state("recurrences", 0.0, "dimensionless",
                  "expected number of herpes recurrences (lesion onsets) since the scenario "
                  "start", atol=1e-8)
    m.rate(rec, onset)
    m.output("herpes_recurrences", rec, "dimensionless",
             "expected number of herpes recurrences (lesion onsets) since the scenario start")
    les = m.state("active_lesions", 0.0, "dimensionless",
                  "expected number of active herpes lesions", atol=1e-9)
    m.rate(les, onset - les / t_les)
    m.output("herpes_lesions", les, "dimensionless",
             "expected number of active herpes labialis lesions (probability of a cold sore)")
    m.output("herpes_prodrome", sum(st for name, st in stages if name == "epidermal"),
             "dimensionless",
             "expected number of reactivations replicating in the epidermis before the lesion "
             "(prodrome)")
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
