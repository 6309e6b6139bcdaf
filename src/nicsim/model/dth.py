"""Leukocyte trafficking between blood and skin, and delayed-type hypersensitivity (M2, M6).

Acute stress moves lymphocytes and monocytes out of the blood within hours (blood counts fall
by 40-70 % in restrained rats; Dhabhar et al. 1996) into skin, lymph nodes and bone marrow; the
move is carried by adrenal glucocorticoids and reverses within hours after the stressor
(Dhabhar et al. 1996, 2012). In humans the same glucocorticoid route makes the circadian rhythm of
blood T cells (highest at night, anti-phase to cortisol; Dimitrov et al. 2009) and the
lymphopenia after hydrocortisone (largest 4-6 h after a dose, back within 24 h; Fauci & Dale
1974); catecholamines first add cells to the blood from marginal pools (Benschop et al. 1996).
A delayed-type hypersensitivity (DTH) reaction to an antigen the person is sensitised to is
enhanced when acute stress comes just before the challenge and suppressed by weeks of chronic
stress (rat pinna DNFB model; Dhabhar & McEwen 1997, 1999); the enhancement needs IFN-gamma
(Dhabhar et al. 2000): cells that arrive early amplify the recruitment of more. Chronic stress
suppresses the response through weaker immune competence and an attenuated glucocorticoid
redistribution (glucocorticoid resistance). No published quantitative model of these findings
exists, so the structure is the simplest that carries them; the magnitudes of the rodent
enhancement and suppression are not fitted (no human row holds them).

Event ``dth_challenge``: optional sensitisation (a contact sensitiser, jump on
``dth.sensitiser``) and a challenge (jump on ``dth.challenge_antigen``); without a
sensitisation time the challenge is a recall antigen (e.g. Candida, tuberculin) in a person
already sensitised, and the challenge also sets ``dth.antigen_memory``.

Equations (hours)::

    x = gc_sensitivity * cortisol_free / redistribution_k
    R = redistribution_max * x/(1+x);  R_ref = R at cortisol_free = cortisol_reference, gs = 1
    d blood/dt = ln2/blood_half_life * (blood_rest*(1 - R)/(1 - R_ref)
                  * (1 + catecholamine_gain*smooth_max0(sympathetic - 1)) - blood)
    skin_target = (1 + skin_homing*R)/(1 + skin_homing*R_ref)
    d skin/dt = ln2/blood_half_life * smooth_max0(skin_target - skin)     (cells arrive as
                - ln2/skin_half_life * smooth_max0(skin - skin_target)     they leave the blood)
    d sensitiser/dt = -ln2/sensitiser_half_life * sensitiser
    d memory/dt = priming_rate * competence * sensitiser * smooth_max0(1 - memory)
    m_eff = memory * (1 + memory_k)/(memory + memory_k)
    effector = competence * gc_factor
    d antigen/dt = -ln2/antigen_half_life * antigen
    d infiltrate/dt = recruitment_rate * antigen * m_eff * effector * (skin + amplification
                      * infiltrate) - ln2/infiltrate_half_life * infiltrate
    dth_induration = induration_max * infiltrate/(infiltrate + induration_k)
"""

from __future__ import annotations

from nicsim.core import Assumption, Derived, Literature, Module
from nicsim.core.motifs import LN2, smooth_max0

ORDER = 93


def build() -> Module:
    m = Module("dth", "Leukocyte trafficking and delayed-type hypersensitivity in skin", __doc__,
               mechanisms=("M2", "M6"))
    free = m.input("cortisol_free", "nmol/L")
    gsens = m.input("gc_sensitivity_signal", "dimensionless")
    sns = m.input("sympathetic_tone", "dimensionless")
    comp = m.input("immune_competence", "dimensionless", default=1.0,
                   doc="chronic immune competence (competence module; 1 if absent)")
    gcf = m.input("gc_factor", "dimensionless")

    # --- blood <-> skin redistribution ---------------------------------------------------------
    b_rest = m.parameter("blood_rest", 2.0, "1/nL",
                         Literature("fauci1974", "healthy adult blood lymphocytes about 2 x "
                                    "10^9/L before hydrocortisone"))
    r_max = m.parameter("redistribution_max", 0.8, "dimensionless",
                        Literature("fauci1974", "a large hydrocortisone dose lowers blood "
                                   "lymphocytes by about 70-80 % at 4-6 h"),
                        bounds=(0.3, 0.95))
    k_r = m.parameter("redistribution_k", 55.0, "nmol/L",
                      Derived("blood T cells are about 30 % higher at night than in the "
                              "morning (Dimitrov 2009, cortisol-driven): with free cortisol "
                              "about 2 nmol/L at night and 25 nmol/L in the morning, "
                              "(1 - R_night)/(1 - R_morning) = 1.3 gives k = 55 nmol/L",
                              refs=("dimitrov2009",)), bounds=(10, 300))
    c_ref = m.parameter("cortisol_reference", 10.5, "nmol/L",
                        Derived("daily mean free cortisol of the calm settled person in this "
                                "model (10.52 nmol/L; hpa module; "
                                "scripts/derive_calm_cortisol_reference.py): "
                                "rest values refer to it"))
    t_b = m.parameter("blood_half_life", 1.5, "hour",
                      Literature("dhabhar1996", "blood lymphocytes fall by 40-70 % within 2 h "
                                 "of restraint and return within about 3 h after it"),
                      bounds=(0.3, 6))
    g_cat = m.parameter("catecholamine_gain", 0.5, "dimensionless",
                        Assumption("catecholamines add lymphocytes (mostly NK cells) to the "
                                   "blood within minutes of acute stress: a doubled sympathetic "
                                   "tone raises the count by about half",
                                   refs=("benschop1996", "dhabhar2012")), bounds=(0, 3))
    eps = m.parameter("smoothing", 0.01, "dimensionless",
                      Assumption("numerical: width of the smooth max(x, 0)"))
    homing = m.parameter("skin_homing", 4.0, "dimensionless",
                         Assumption("the skin is one of the targets of the glucocorticoid-driven "
                                    "redistribution; a maximal redistribution (R = 0.8) about "
                                    "triples the leukocytes available in skin",
                                    refs=("dhabhar1997", "dhabhar2012")), bounds=(0, 10))
    t_s = m.parameter("skin_half_life", 12.0, "hour",
                      Assumption("leukocytes redistributed to skin stay there longer than the "
                                 "blood count takes to recover (about 3 h); the DTH enhancement "
                                 "by stress before a challenge lasts into the response",
                                 refs=("dhabhar1997",)), bounds=(1, 48))

    def redistribution(f, g):
        x = g * f / k_r
        return r_max * x / (1 + x)

    r = redistribution(free, gsens)
    r_ref = redistribution(c_ref, 1)
    blood = m.state("lymphocytes_blood", 2.0, "1/nL", "blood lymphocytes")
    m.rate(blood, LN2 / t_b * (b_rest * (1 - r) / (1 - r_ref)
                               * (1 + g_cat * smooth_max0(sns - 1, eps)) - blood))
    m.output("blood_lymphocytes", blood, "1/nL", "blood lymphocyte count")
    skin = m.state("skin_leukocytes", 1.0, "dimensionless",
                   "leukocytes available to the skin (1 = rest)")
    s_target = (1 + homing * r) / (1 + homing * r_ref)
    m.rate(skin, LN2 / t_b * smooth_max0(s_target - skin, eps)
           - LN2 / t_s * smooth_max0(skin - s_target, eps))
    m.output("skin_leukocytes_relative", skin, "dimensionless",
             "leukocytes available to the skin relative to rest (1 = rest)")

    # --- sensitisation: antigen-specific memory ------------------------------------------------
    t_sens = m.parameter("sensitiser_half_life", 1.0, "day",
                         Assumption("a contact sensitiser is carried to the draining lymph "
                                    "nodes and presented over about a day"))
    k_prime = m.parameter("priming_rate", 0.1, "1/hour",
                          Assumption("one sensitisation gives a full memory response (memory "
                                     "above 0.9) within about a week; rodent DNFB protocols "
                                     "challenge 5-6 days after sensitisation",
                                     refs=("dhabhar1997",)), bounds=(0.01, 1))
    sens = m.state("sensitiser", 0.0, "dimensionless",
                   "sensitiser being presented in lymph nodes (1 = one sensitisation)",
                   atol=1e-8)
    m.rate(sens, -LN2 / t_sens * sens)
    mem = m.state("antigen_memory", 0.0, "dimensionless",
                  "antigen-specific memory T cells (1 = sensitised)", atol=1e-8)
    m.rate(mem, k_prime * comp * sens * smooth_max0(1 - mem, eps))
    k_mem = m.parameter("memory_k", 1.0, "dimensionless",
                        Assumption("repeated sensitisation or recall adds less than the first: "
                                   "the memory effect saturates (half at memory 1)"))
    m_eff = mem * (1 + k_mem) / (mem + k_mem)

    # --- challenge: antigen, infiltrate, induration --------------------------------------------
    t_ag = m.parameter("antigen_half_life", 24.0, "hour",
                       Assumption("the challenge antigen persists at the site for about a day "
                                  "and keeps attracting specific T cells"))
    ag = m.state("challenge_antigen", 0.0, "dimensionless",
                 "challenge antigen at the skin site (1 = one challenge)", atol=1e-8)
    m.rate(ag, -LN2 / t_ag * ag)
    k_rec = m.parameter("recruitment_rate", 0.02, "1/hour",
                        Assumption("sized so the infiltrate of a sensitised person reaches its "
                                   "peak 48-72 h after challenge, when skin tests are read",
                                   refs=("huebner1993",)), bounds=(0.005, 0.5))
    amp = m.parameter("amplification", 4.0, "dimensionless",
                      Assumption("cells at the site recruit more through IFN-gamma; stress "
                                 "enhancement of DTH is lost without IFN-gamma signalling",
                                 refs=("dhabhar2000",)), bounds=(0, 10))
    t_inf = m.parameter("infiltrate_half_life", 30.0, "hour",
                        Assumption("induration fades over several days after its 48-72 h peak",
                                   refs=("huebner1993",)), bounds=(6, 120))
    infl = m.state("infiltrate", 0.0, "dimensionless",
                   "leukocyte infiltrate at the challenge site (relative units)", atol=1e-8)
    effector = comp * gcf
    m.rate(infl, k_rec * ag * m_eff * effector * (skin + amp * infl) - LN2 / t_inf * infl)
    m.output("dth_infiltrate", infl, "dimensionless",
             "leukocyte infiltrate at the DTH challenge site (relative units)")
    d_max = m.parameter("induration_max", 25.0, "mm",
                        Assumption("strong recall reactions reach 20-30 mm of induration",
                                   refs=("huebner1993",)))
    k_ind = m.parameter("induration_k", 1.0, "dimensionless",
                        Assumption("scale of the infiltrate: half-maximal induration at an "
                                   "infiltrate of 1 (relative units)"))
    m.output("dth_induration", d_max * infl / (infl + k_ind), "mm",
             "DTH swelling: induration diameter at the challenge site")
    m.note("In this human model the catecholamine rise during an acute stressor outweighs the "
           "glucocorticoid fall of blood lymphocytes (no net lymphopenia after a TSST-like "
           "stressor), while the glucocorticoid route still fills the skin pool.")
    m.note("The rodent findings fix directions (acute stress before challenge enhances, chronic "
           "stress suppresses); the sizes of both effects here are predictions of the assumed "
           "parameters, not fitted to any row.")
    return m
