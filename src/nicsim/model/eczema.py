"""Atopic dermatitis: barrier - pathogen - Th2 loop with an itch-scratch cycle (M3, M6).

Built on the "double switch" model of Dominguez-Huttinger et al. (2017): barrier integrity B,
infiltrated pathogen/irritant load P and Th2 inflammation D, with treatments as in that paper
(emollient restores the barrier, topical corticosteroid divides the immune activation), and on
the QSP model of Miyano, Irvine & Tanaka (2022; code MIT): Th2 cytokines (IL-4, IL-13, IL-31)
slow barrier recovery and pathogen clearance, IL-31 drives itch. Simplified to three normalised
states; the Th2 activation is a cooperative switch, so that the barrier-pathogen-Th2 loop and the
itch-scratch loop (scratching damages the barrier) can hold a flare.

Stress links, each with its evidence: felt stress load skews immunity towards Th2 (catecholamines
and cortisol suppress IL-12/Th1; Elenkov & Chrousos 1999); weaker glucocorticoid restraint
(``gc_factor``: low free cortisol and immune glucocorticoid resistance, ``gc_sensitivity_signal``)
raises the drive; neuropeptide mast-cell activation (``mast_cell_activation``, neuro module,
default 0) adds to inflammation and itch; sleep loss slows barrier repair (Altemus et al. 2001);
the general skin barrier (``barrier_integrity``, barrier module, default 1) sets how much of the
lesional barrier is left. Low mood slightly amplifies itch perception (weak evidence).

Equations (hours; Be = B * barrier_integrity)::

    d B/dt = ln2/barrier_half_life * ((1 + emollient_gain*emollient) * (1 - B)
             / ((1 + th2_barrier_gain*D) * (1 + sleep_gain*sleep_loss))
             - (pathogen_damage*P + scratch_damage*itch/10) * B)
    d P/dt = ln2/pathogen_half_life * (p_env*(1 + th2_pathogen_gain*D)/(1 + barrier_shield*Be)
             * (1 - P) - P)
    S      = f_susceptibility * (gc_factor/gc_ref * (basal + stress_gain*(stress_load
             + mc_weight*mast_cell)) + innate_gain * P^n/(P^n + p_on^n))
             / (1 + tcs_gain*topical_corticosteroid)
    d D/dt = ln2/th2_half_life * (S*(1 - D) - D)
    y      = D * (1 + mc_itch_gain*mast_cell) * (1 + mood_itch_gain*low_mood) / itch_k
    easi = 72 * D ;  eczema_itch = 10 * y/(1 + y) ;  eczema_visible = D ;
    eczema_lesion_barrier = B
"""

from __future__ import annotations

import sympy as sp

from nicsim.core import Assumption, Derived, Literature, LogNormal, Module
from nicsim.core.motifs import LN2, smooth_max0

ORDER = 80


def build() -> Module:
    m = Module("eczema", "Atopic dermatitis (barrier - pathogen - Th2 loop)", __doc__,
               mechanisms=("M3", "M6", "M9"))
    load = m.input("stress_load_signal", "dimensionless")
    gcf = m.input("gc_factor", "dimensionless")
    sleep_loss = m.input("sleep_loss", "dimensionless")
    mast_rel = m.input("mast_cell_activation", "dimensionless", default=1.0,
                       doc="mast-cell activation by neuropeptides relative to rest (1 at rest; "
                           "neuro module)")
    mast = smooth_max0(mast_rel - 1, sp.Rational(1, 50))  # activation above rest
    barrier = m.input("barrier_integrity", "dimensionless", default=1.0,
                      doc="general skin barrier integrity (1 intact; barrier module)")
    low_mood = m.input("low_mood", "dimensionless", default=0.0,
                       doc="lowered mood (mood module)")
    emo = m.exogenous("emollient", "dimensionless", "emollient regimen level (0-1)")
    tcs = m.exogenous("topical_corticosteroid", "dimensionless",
                      "topical corticosteroid potency class while on the regimen (0-4)")

    def A(name, value, unit, why, refs=("dominguez2017",), doc="", **kw):
        return m.parameter(name, value, unit, Assumption(why, refs=refs), doc, **kw)

    f = m.parameter("f_susceptibility", 0.0, "dimensionless",
                    Assumption("0 = not prone (default person), 1 = typical patient; set from "
                               "person.susceptibility.eczema"),
                    "atopic dermatitis susceptibility (filaggrin loss, atopy)", bounds=(0, 5),
                    distribution=LogNormal(0.15, Assumption(
                        "severity differs between patients (Miyano virtual patients)",
                        refs=("miyano2022",))))
    t_b = A("barrier_half_life", 3.0, "day", "lesional barrier repair takes days (slower than "
            "the 1-2 days of tape-stripped healthy skin)", refs=("miyano2022",))
    g_emo = A("emollient_gain", 1.0, "dimensionless", "a regular emollient about doubles "
              "barrier repair (emollient treatment E in the double-switch model)",
              distribution=LogNormal(0.3, Assumption(
                  "patients differ in their response to the same emollient regimen (skin "
                  "type, amount applied); no trial reports this spread as a number",
                  refs=("grimalt2007",))))
    g_th2b = A("th2_barrier_gain", 3.0, "dimensionless", "IL-4/IL-13 suppress filaggrin and "
               "slow barrier recovery (Miyano b1, b2)", refs=("miyano2022",))
    g_sleep = A("sleep_gain", 0.3, "dimensionless", "sleep deprivation slowed barrier recovery "
                "after tape stripping (n = 11)", refs=("altemus2001",))
    d_p = A("pathogen_damage", 1.0, "dimensionless", "pathogen proteases degrade the barrier "
            "(KLK / S. aureus; delta_B K in the double-switch model)")
    d_s = A("scratch_damage", 0.6, "dimensionless", "scratching damages the barrier: the "
            "itch-scratch cycle", refs=("miyano2022",))
    t_p = A("pathogen_half_life", 1.0, "day", "microbial load and irritant penetration change "
            "within a day")
    p_env = A("p_env", 0.6, "dimensionless", "environmental pathogen/irritant pressure, sized "
              "so that intact skin carries a load of about 0.05")
    g_b = A("barrier_shield", 10.0, "dimensionless", "an intact barrier keeps out about 90 % of "
            "the pressure (gamma_B in the double-switch model)")
    g_pd = A("th2_pathogen_gain", 2.0, "dimensionless", "Th2 cytokines suppress antimicrobial "
             "peptides: S. aureus colonises inflamed skin (Miyano b7, b8)", refs=("miyano2022",))
    basal = m.parameter("basal_drive", 0.04, "dimensionless",
                        Assumption("a prone person has mild residual eczema without stressors"),
                        bounds=(0, 1))
    g_inn = A("innate_gain", 0.3, "dimensionless", "pathogen-triggered innate switch (TSLP, "
              "IL-33; R in the double-switch model) drives Th2 inflammation")
    p_on = A("p_on", 0.12, "dimensionless", "the innate switch turns on when the barrier lets "
             "in about twice the load of intact skin (R_on in the double-switch model)")
    g_stress = m.parameter("stress_gain", 0.12, "dimensionless",
                           Assumption("stress skews immunity towards Th2 and worsens atopic "
                                      "dermatitis within weeks", refs=("elenkov1999",
                                                                       "arndt2008")),
                           bounds=(0.01, 1),
                           distribution=LogNormal(0.5, Assumption(
                               "patients differ in how much stress worsens their eczema",
                               refs=("arndt2008",))))
    w_mc = A("mc_weight", 0.05, "dimensionless", "neuropeptide-activated mast cells add to "
             "eczema inflammation; sized so that under a sustained stressor (mast-cell "
             "activation about 4 x rest at load 0.5) it adds about a third of the felt-stress "
             "term", refs=("arndt2008",))
    gc_ref = m.parameter("gc_ref", 1.2, "dimensionless",
                         Derived("daily mean of gc_factor in an unstressed person"))
    g_tcs = A("tcs_gain", 0.8, "dimensionless", "each potency class divides Th2 activation (C "
              "divides the switches by 1 + beta C in the double-switch model); a potent steroid "
              "clears a flare within 1-2 weeks")
    n = A("innate_n", 3.0, "dimensionless", "switch-like innate activation (the double switch)")
    t_d = A("th2_half_life", 4.0, "day", "eczema flares develop and subside over days")
    itch_k = A("itch_k", 0.15, "dimensionless", "moderate eczema (EASI about 10-20) itches "
               "about 5-6 on the NRS (typical trial baselines)", refs=())
    mc_itch = A("mc_itch_gain", 0.1, "dimensionless", "histamine and neuropeptides add to "
                "IL-31 itch: +34 % at 4 x resting mast-cell activation", refs=("arndt2008",))
    mood_itch = A("mood_itch_gain", 0.2, "dimensionless", "depressed mood amplifies itch "
                  "perception (weak, mostly cross-sectional evidence; kept small)", refs=())
    easi_max = m.parameter("easi_max", 72.0, "score", Literature("hanifin2001",
                                                                 "EASI range 0-72"))
    nrs_max = m.parameter("nrs_max", 10.0, "score", Literature("phan2012",
                                                               "itch NRS 0-10"))

    B = m.state("barrier", 1.0, "dimensionless", "lesional-skin barrier integrity (0-1)")
    P = m.state("pathogen", 0.05, "dimensionless", "infiltrated pathogen/irritant load (0-1)",
                atol=1e-8)
    D = m.state("th2", 0.0, "dimensionless", "Th2 inflammation (0 none, 1 maximal)", atol=1e-8)
    y = D * (1 + mc_itch * mast) * (1 + mood_itch * low_mood) / itch_k
    itch_frac = y / (1 + y)
    m.rate(B, LN2 / t_b * ((1 + g_emo * emo) * (1 - B) / ((1 + g_th2b * D)
                                                          * (1 + g_sleep * sleep_loss))
                           - (d_p * P + d_s * itch_frac) * B))
    m.rate(P, LN2 / t_p * (p_env * (1 + g_pd * D) / (1 + g_b * B * barrier) * (1 - P) - P))
    S = (f * (gcf / gc_ref * (basal + g_stress * (load + w_mc * mast))
              + g_inn * P**n / (P**n + p_on**n)) / (1 + g_tcs * tcs))
    m.rate(D, LN2 / t_d * (S * (1 - D) - D))
    easi = m.output("easi", easi_max * D, "score", "Eczema Area and Severity Index (0-72)")
    m.output("eczema_itch", nrs_max * itch_frac, "score", "eczema itch, NRS (0-10)")
    m.output("eczema_visible", easi / easi_max, "dimensionless",
             "eczema severity as a fraction of the EASI maximum", observable=False)
    m.output("eczema_lesion_barrier", B, "dimensionless",
             "lesional-skin barrier integrity (1 intact; read by the barrier module's TEWL)",
             observable=False)
    return m
