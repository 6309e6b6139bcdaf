"""Autonomic nervous system: sympathetic drive, vagal tone, heart rate, HRV and the
cholinergic anti-inflammatory pathway (M2, M8, M9, M11).

Sympathetic tone and vagal tone are normalised (1 = resting, awake). Stress and inflammatory
cytokines raise sympathetic tone and withdraw vagal tone; sleep does the opposite. Slow-paced
breathing raises vagal tone during a session and, with practice, at rest (Shao et al. 2024);
mindfulness skill adds a small tonic effect. Heart rate combines both branches and fever
(about 8.5 bpm per degC; Karjalainen & Viitasalo 1986). RMSSD is proportional to vagal tone and
declines with age (Umetani et al. 1998; norms Nunan et al. 2010). During a slow-breathing
session beat-to-beat variability rises mostly through respiratory sinus arrhythmia (resonance;
Lehrer & Gevirtz 2014) while mean heart rate changes little (Shao et al. 2024): the session
raises mean vagal tone a little and multiplies RMSSD by an RSA factor.

Chronic stress lowers resting vagal tone beyond the minutes-long arousal of the moment: people
under sustained work stress or with high perceived stress have lower resting HRV (Chandola et al.
2008, Whitehall II; de Looff et al. 2018 systematic review; 24.5 % lower RMSSD in over-stressed
employees, Int Arch Occup Environ Health 2021). The felt stress averaged over days
(``stress_load``, psyche) withdraws vagal tone through ``vagal_load_withdrawal``; acute arousal
keeps its own, fast route (``vagal_stress_withdrawal``).

Efferent vagal activity (tone plus vagus nerve stimulation) inhibits macrophage TNF, IL-1 and IL-6
release through alpha7 nicotinic receptors (Borovikova et al. 2000; Tracey 2002). The inhibition
factor is 1 at resting tone so the immune parameters keep their fitted meaning.

Equations (hours)::

    d sympathetic/dt = ln2/tone_half_life * (1 - sleep_sns_dip*asleep + sns_stress_gain*stress
                       + sns_cyto_gain*cyto_h - sympathetic)
    d vagal/dt = ln2/tone_half_life * ((1 + sleep_vagal_rise*asleep
                 + breathing_acute_gain*slow_breathing
                 + breathing_training_gain*training + mindfulness_vagal_gain*skill)
                 / (1 + vagal_stress_withdrawal*stress + vagal_load_withdrawal*stress_load
                    + vagal_cyto_withdrawal*cyto_h) - vagal)
    heart_rate = hr_0 + hr_per_sns*(sympathetic-1) - hr_per_vagal*(vagal-1) + hr_per_degc*(T - T_0)
    rmssd = rmssd_0 * exp(-rmssd_age_slope*(age-30)) * vagal
            * (1 + breathing_rsa_gain*slow_breathing)
    cap_factor = (1 + cap_gain) / (1 + cap_gain*(vagal + vns_gain*vns))
"""

from __future__ import annotations

import sympy as sp

from nicsim.core import Assumption, Derived, Fitted, Literature, LogNormal, Module
from nicsim.core.domains import AGE_YEARS
from nicsim.core.motifs import LN2

ORDER = 40


def build() -> Module:
    m = Module("ans", "Autonomic nervous system", __doc__, mechanisms=("M2", "M8", "M9", "M11"))
    stress = m.input("stress_signal", "dimensionless")
    load = m.input("stress_load_signal", "dimensionless")
    skill = m.input("mindfulness", "dimensionless")
    temp = m.input("temperature", "degC")
    cyto = m.input("cytokine_hpa_signal", "dimensionless")
    asleep = m.exogenous("asleep", "dimensionless", "1 while asleep")
    breathing = m.exogenous("slow_breathing", "dimensionless", "1 during slow-paced breathing")
    vns = m.exogenous("vns", "dimensionless", "vagus nerve stimulation intensity (0-1)")

    t_tone = m.parameter("tone_half_life", 1.0, "min",
                         Assumption("autonomic tone follows its drive within a minute "
                                    "(heart rate responds within seconds)"))
    cyto_h = cyto**2 / (1 + cyto**2)
    g_s = m.parameter("sns_stress_gain", 1.0, "dimensionless",
                      Fitted("default", ("V07",), prior=Assumption(
                          "TSST raises sympathetic activity about two-fold; value set by hand "
                          "and checked against V07", refs=("kirschbaum1993",))))
    g_sc = m.parameter("sns_cyto_gain", 1.0, "dimensionless",
                       Fitted("default", ("V09",), prior=Literature(
                           "foteinou2011", "endotoxemia tachycardia as sympathetic excess")))
    dip = m.parameter("sleep_sns_dip", 0.3, "dimensionless",
                      Assumption("sympathetic outflow falls during sleep (nocturnal HR dip "
                                 "about 10 %)", refs=("somers1993",)))
    sns = m.state("sympathetic", 1.0, "dimensionless", "sympathetic tone (1 = resting, awake)")
    m.rate(sns, LN2 / t_tone * (1 - dip * asleep + g_s * stress + g_sc * cyto_h - sns))

    rise = m.parameter("sleep_vagal_rise", 0.3, "dimensionless",
                       Assumption("vagal tone rises in non-REM sleep", refs=("somers1993",)))
    g_ba = m.parameter("breathing_acute_gain", 0.042, "dimensionless",
                       Derived("immediate heart-rate effect of slow-paced breathing SMD -0.10 "
                               "(Shao 2024) x between-person SD of resting heart rate 8.4 bpm "
                               "(hr_0: 70 bpm, CV 0.12; Nunan 2010) = -0.84 bpm; / hr_per_vagal "
                               "20 bpm = 0.042", refs=("shao2024", "nunan2010")),
                       "rise of mean vagal tone during a slow-breathing session")
    g_rsa = m.parameter("breathing_rsa_gain", 0.086, "dimensionless",
                        Derived("immediate RMSSD effect of slow-paced breathing SMD 0.37 (Shao "
                                "2024) x RMSSD SD 15 ms (Nunan 2010) = +5.6 ms on 42 ms, +13.2 "
                                "%; the mean vagal rise (breathing_acute_gain) gives +4.2 %, "
                                "respiratory sinus arrhythmia the rest: 1.132/1.042 - 1",
                                refs=("shao2024", "nunan2010", "lehrer2014")),
                        "amplification of beat-to-beat variability (RSA) while breathing slowly")
    g_bt = m.parameter("breathing_training_gain", 0.25, "dimensionless",
                       Fitted("default", ("V19",), prior=Literature(
                           "shao2024", "resting RMSSD SMD 0.37 after slow-paced breathing "
                           "training")),
                       distribution=LogNormal(0.5, Assumption(
                           "people differ widely in how much resting vagal tone rises with "
                           "breathing training (the meta-analysis' trials are heterogeneous, "
                           "and in biofeedback trials not everyone responds); CV 0.5 assumed",
                           refs=("shao2024", "lehrer2014"))))
    g_m = m.parameter("mindfulness_vagal_gain", 0.1, "dimensionless",
                      Assumption("small tonic vagal effect of mindfulness practice",
                                 refs=("khoury2015",)))
    w_s = m.parameter("vagal_stress_withdrawal", 0.3, "dimensionless",
                      Fitted("default", ("V07",), prior=Assumption(
                          "vagal withdrawal during psychosocial stress lowers RMSSD by about a "
                          "quarter; value set by hand and checked against V07",
                          refs=("kirschbaum1993",))))
    w_c = m.parameter("vagal_cyto_withdrawal", 0.6, "dimensionless",
                      Assumption("endotoxemia lowers HRV (pNN50, HF) and basal HRV correlates "
                                 "with the cytokine response (Jan 2010 report a correlation, "
                                 "not a gain); the size 0.6 is assumed", refs=("jan2010",)))
    w_l = m.parameter("vagal_load_withdrawal", 0.9, "dimensionless",
                      Derived("over-stressed employees (11 of 119, about the top 9 % of a stress "
                              "inventory) had resting RMSSD 28.3 vs 37.5 ms in the normal group "
                              "(-24.5 %; n = 11 vs 58, not significant; Int Arch Occup Environ "
                              "Health 2021, doi 10.1007/s00420-020-01632-4), the direction of the "
                              "work-stress literature (Chandola 2008; de Looff 2018). The top 9 % "
                              "of PSS-10 scores (norms mean 13.0, SD 6.35; Cohen & Williamson "
                              "1988) average 13.0 + 1.77 x 6.35 = 24.3, a felt stress_load of "
                              "0.42 / (1 - 0.42) x pss_k 0.5 = 0.36 in the model's PSS mapping; "
                              "37.5/28.3 - 1 = 0.325 per 0.36 of load = 0.9. Mapping the stress "
                              "inventory's group onto PSS percentiles is an assumption",
                              refs=("dsi2021hrv", "chandola2008", "delooff2018", "cohen1988")),
                      "withdrawal of resting vagal tone per unit of felt stress load (days)")
    train = m.state("breathing_training", 0.0, "dimensionless",
                    "tonic vagal gain from slow-breathing practice (0-1)", atol=1e-8)
    learn = m.parameter("breathing_learning_rate", 0.1, "1/hour",
                        Derived("daily 15-20 min sessions over 4 weeks reach about two thirds of "
                                "the plateau", refs=("shao2024",)))
    t_fade = m.parameter("breathing_fade_half_life", 3.0, "week",
                         Assumption("training effects fade within weeks without practice"))
    m.rate(train, learn * breathing * (1 - train) - LN2 / t_fade * train)
    vag = m.state("vagal", 1.0, "dimensionless", "vagal tone (1 = resting, awake)")
    m.rate(vag, LN2 / t_tone * ((1 + rise * asleep + g_ba * breathing + g_bt * train + g_m * skill)
                                / (1 + w_s * stress + w_l * load + w_c * cyto_h) - vag))

    hr0 = m.parameter("hr_0", 70.0, "bpm", Literature("nunan2010", "resting adult heart rate"),
                      distribution=LogNormal(0.12, Literature("nunan2010", "between-person SD")))
    hr_s = m.parameter("hr_per_sns", 10.0, "bpm",
                       Fitted("default", ("V07", "V09"), prior=Assumption(
                           "doubling sympathetic tone adds about 10 bpm; value set by hand and "
                           "checked against V07 and V09", refs=("jose1970",))))
    hr_v = m.parameter("hr_per_vagal", 20.0, "bpm",
                       Assumption("full vagal withdrawal adds about 20 bpm (atropine "
                                  "blockade raises HR 20-40 bpm)", refs=("jose1970",)))
    hr_t = m.parameter("hr_per_degc", 8.5, "bpm/degC",
                       Literature("karjalainen1986", "8.5 bpm per degC of fever"))
    t0 = m.parameter("temperature_reference", 36.8, "degC",
                     Literature("dobreva2021", "baseline body temperature"))
    m.output("heart_rate", hr0 + hr_s * (sns - 1) - hr_v * (vag - 1) + hr_t * (temp - t0), "bpm",
             "heart rate")
    rm0 = m.parameter("rmssd_0", 42.0, "ms",
                      Literature("nunan2010", "RMSSD 42 ms (mean of normative studies)"),
                      distribution=LogNormal(0.4, Literature("nunan2010", "SD 15 ms")))
    age = m.parameter("age", 35.0, "year", Assumption("set from the scenario's person"),
                      domain=AGE_YEARS)
    ref_age = m.parameter("rmssd_reference_age", 30.0, "year",
                          Assumption("age of the normative RMSSD sample", refs=("nunan2010",)),
                          domain=AGE_YEARS)
    slope = m.parameter("rmssd_age_slope", 0.015, "1/year",
                        Literature("umetani1998", "RMSSD roughly halves from the 20s to the 60s"))
    m.output("rmssd", rm0 * sp.exp(-slope * (age - ref_age)) * vag * (1 + g_rsa * breathing),
             "ms",
             "HRV: root mean square of successive differences")
    epi0 = m.parameter("epinephrine_0", 30.0, "pg/mL",
                       Literature("goldstein2003", "resting plasma epinephrine ~ 20-40 pg/mL"))
    m.output("epinephrine", epi0 * sns, "pg/mL", "plasma epinephrine")
    m.output("sympathetic_tone", sns, "dimensionless", observable=False)
    m.output("breathing_training_level", train, "dimensionless", observable=False)

    cap = m.parameter("cap_gain", 1.0, "dimensionless",
                      Assumption("resting vagal tone already halves macrophage cytokine output "
                                 "relative to none (vagotomy enhances TNF)",
                                 refs=("borovikova2000",)))
    vns_gain = m.parameter("vns_gain", 3.0, "dimensionless",
                           Fitted("default", ("V25",), prior=Literature(
                               "borovikova2000", "VNS lowers endotoxin TNF by 50-80 %")))
    m.output("cap_factor", (1 + cap) / (1 + cap * (vag + vns_gain * vns)), "dimensionless",
             "cholinergic anti-inflammatory inhibition of cytokine release (1 at rest)",
             observable=False)
    return m
