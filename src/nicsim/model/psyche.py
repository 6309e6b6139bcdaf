"""Psyche: appraisal, arousal, perceived stress and practised regulation (M2, M9).

No mechanistic ODE of appraisal exists (model-anchors.md section 4.1 lists the gaps); this is the
simplest structure the evidence supports. A stressor is appraised into *arousal* within minutes,
scaled by the person's stress reactivity and damped by practised mindfulness (Sanada et al. 2016;
Khoury et al. 2015). A chronic stressor is felt in full but arouses the body far less than an
acute one. Felt stress averaged over days is the *stress load*; perceived stress on the PSS-10
scale (0-40; population mean about 13, Cohen & Williamson 1988) follows the load over weeks.
Mindfulness skill grows with practice hours and fades without practice.

Appraisal needs a waking mind: during sleep no stressor or skin distress is appraised, so arousal
decays (sleep, early slow-wave sleep above all, is a state of HPA quiescence; Born & Fehm 1998).
Distress from visible skin disease is a persistent stressor: it is felt in full (it enters the
stress load, which drives the skin conditions) but arouses the body like the chronic stressor,
by ``chronic_weight``; patients with psoriasis or atopic dermatitis have normal or blunted, not
raised, basal cortisol (Richards et al. 2005; Buske-Kirschbaum et al. 2002).

Equations (hours)::

    appraised = acute_stressor + chronic_weight * (chronic_stressor
                + distress_weight * skin_distress)
    damping = (1 - mindfulness_effect*mindfulness_skill) * (1 - breathing_effect*training)
              * (1 - relaxation_effect*relaxation_skill) * (1 - social_buffer)
              * (1 + mood_gain*low_mood)
    d arousal/dt = ln2/arousal_half_life * ((1 - asleep) * f_stress_reactivity * appraised
                   * damping - arousal)
    felt = f_stress_reactivity * (acute_stressor + chronic_stressor + sleep_weight * sleep_loss)
           * (same damping)
    d stress_load/dt = ln2/load_half_life * (felt - stress_load)
    d perceived_stress/dt = ln2/pss_half_life * (pss_0 + (pss_max - pss_0)
                            * stress_load/(stress_load + pss_k) - perceived_stress)
    d mindfulness_skill/dt = learning_rate * practice * (1 - skill) - ln2/skill_half_life * skill
    d relaxation_skill/dt  = (same, with relaxation / hypnosis practice)
"""

from __future__ import annotations

from nicsim.core import Assumption, Derived, Fitted, Literature, LogNormal, Module
from nicsim.core.motifs import LN2

ORDER = 20


def build() -> Module:
    m = Module("psyche", "Appraisal, arousal and perceived stress", __doc__,
               mechanisms=("M2", "M5", "M9"))
    acute = m.exogenous("acute_stressor", "dimensionless",
                        "acute psychosocial stressor intensity (TSST = 1)")
    chronic = m.exogenous("chronic_stressor", "dimensionless", "chronic stressor load (0-1)")
    practice = m.exogenous("mindfulness_practice", "dimensionless",
                           "1 during mindfulness practice")
    training = m.input("breathing_training_level", "dimensionless")
    relax = m.exogenous("relaxation_practice", "dimensionless",
                        "1 during hypnosis / relaxation practice")
    distress = m.input("skin_distress", "dimensionless", default=0.0,
                       doc="distress from visible skin disease (0 = none; the loop, M7)")
    low_mood = m.input("low_mood", "dimensionless", default=0.0,
                       doc="lowered mood (0 = euthymic), amplifies appraisal (M5)")
    social = m.input("social_buffer", "dimensionless", default=0.0,
                     doc="perceived social support damping appraisal (0 = none, M15/M17)")
    sleep_loss = m.input("sleep_loss", "dimensionless")
    asleep = m.exogenous("asleep", "dimensionless", "1 while asleep, 0 while awake (protocol)")

    react = m.parameter("f_stress_reactivity", 1.0, "dimensionless",
                        Assumption("nominal person; set from the scenario's person traits"),
                        "stress reactivity multiplier", bounds=(0.2, 5),
                        distribution=LogNormal(1.0, Fitted("default", ("V05",), prior=Assumption(
                            "TSST cortisol responses vary several-fold between people; "
                            "10-25 % are non-responders", refs=("gu2022", "kirschbaum1993")))))
    w_chronic = m.parameter("chronic_weight", 0.15, "dimensionless",
                            Assumption("a chronic stressor at full load arouses far less than a "
                                       "TSST: workday cortisol is only tens of percent above "
                                       "weekend levels", refs=("kunzebrecht2004",)))
    w_sleep = m.parameter("sleep_weight", 0.4, "dimensionless",
                          Assumption("a lost night is felt as a mild stressor the next day "
                                     "(perceived stress and load only; the HPA axis reads sleep "
                                     "loss directly, hpa.sleep_gain); order of magnitude "
                                     "assumed, no model run", refs=("balbo2010",)))
    t_ar = m.parameter("arousal_half_life", 4.0, "min",
                       Fitted("default", ("V01", "V02", "V03", "V04", "V05", "V10", "V10b"),
                              prior=Assumption(
                           "appraisal switches arousal on and off within minutes; heart rate is "
                           "back within 30 min of a TSST; prior 4 min (fitted with the hpa "
                           "group of `nicsim calibrate`)", refs=("kirschbaum1993",))),
                       bounds=(1, 15))
    eff = m.parameter("mindfulness_effect", 0.45, "dimensionless",
                      Fitted("default", ("V18",), prior=Assumption(
                          "a practised skill damps appraisal by up to about half; set by hand so "
                          "an 8-week programme lowers cortisol by a small-moderate effect (the "
                          "V18 meta-analysis)", refs=("sanada2016", "khoury2015"))),
                      bounds=(0, 0.9))
    arousal = m.state("arousal", 0.0, "dimensionless",
                      "acute stress arousal (0 at rest, about 1 during a TSST)", atol=1e-8)
    w_distress = m.parameter("distress_weight", 0.5, "dimensionless",
                             Assumption("maximal skin-related distress is felt like half a "
                                        "full-time stressor, continuously; it arouses the body "
                                        "like a chronic stressor (chronic_weight); sized with "
                                        "the DLQI burden of psoriasis; psoriasis and atopic "
                                        "dermatitis patients have normal or blunted, not raised, "
                                        "basal cortisol", refs=("hongbo2005", "richards2005",
                                                                "buskekirschbaum2002")))
    g_mood = m.parameter("mood_gain", 0.5, "dimensionless",
                         Assumption("low mood amplifies stress appraisal (negative "
                                    "cognitive bias)", refs=("cohen1983",)))
    # skin distress is a persistent stressor: it is felt in full (stress load below) but, like
    # the chronic stressor, arouses the body only by chronic_weight
    appraised = acute + w_chronic * (chronic + w_distress * distress)
    skill = m.state("mindfulness_skill", 0.0, "dimensionless",
                    "practised mindfulness skill (0-1)", atol=1e-8)
    b_eff = m.parameter("breathing_appraisal_effect", 0.15, "dimensionless",
                        Assumption("practised slow breathing lowers self-reported stress and "
                                   "anxiety modestly; smaller than mindfulness",
                                   refs=("zaccaro2018",)), bounds=(0, 0.5))
    r_eff = m.parameter("relaxation_effect", 0.3, "dimensionless",
                        Assumption("practised relaxation / self-hypnosis damps appraisal a "
                                   "little less than mindfulness", refs=("kiecoltglaser1985",)),
                        bounds=(0, 0.9))
    rskill = m.state("relaxation_skill", 0.0, "dimensionless",
                     "practised relaxation / self-hypnosis skill (0-1)", atol=1e-8)
    damping = ((1 - eff * skill) * (1 - b_eff * training) * (1 - r_eff * rskill)
               * (1 - social) * (1 + g_mood * low_mood))
    # appraisal needs a waking mind: during sleep nothing is appraised and arousal decays
    # (sleep is a state of HPA quiescence; Born & Fehm 1998)
    m.rate(arousal, LN2 / t_ar * ((1 - asleep) * react * appraised * damping - arousal))
    # what the person feels counts the chronic stressor in full, although it arouses the
    # body far less than an acute stressor does
    felt = react * (acute + chronic + w_sleep * sleep_loss + w_distress * distress) * damping

    t_load = m.parameter("load_half_life", 5.0, "day",
                         Assumption("perceived stress summarises the last weeks (PSS-10 asks "
                                    "about the last month)", refs=("cohen1983",)))
    load = m.state("stress_load", 0.0, "dimensionless", "felt stress averaged over days",
                   atol=1e-8)
    m.rate(load, LN2 / t_load * (felt - load))
    pss0 = m.parameter("pss_0", 13.0, "score", Literature("cohen1988", "PSS-10 norms, mean ~13"),
                       "perceived stress without stressors")
    pss_max = m.parameter("pss_max", 40.0, "score", Literature("cohen1983", "PSS-10 range 0-40"))
    pss_k = m.parameter("pss_k", 0.5, "dimensionless",
                        Assumption("a full-time demanding stressor (load 0.5-0.6 during work "
                                   "hours) raises PSS-10 by about 7 points",
                                   refs=("cohen1988",)))
    t_pss = m.parameter("pss_half_life", 7.0, "day",
                        Assumption("the PSS-10 recall window is one month",
                                   refs=("cohen1983",)))
    pss = m.state("perceived_stress", 13.0, "score", "perceived stress, PSS-10 (0-40)",
                  observable=True)
    m.rate(pss, LN2 / t_pss * (pss0 + (pss_max - pss0) * load / (load + pss_k) - pss))

    learn = m.parameter("mindfulness_learning_rate", 0.025, "1/hour",
                        Derived("45 min daily practice for 8 weeks reaches about half the "
                                "plateau skill (MBSR course length)", refs=("kabatzinn1990",)))
    t_skill = m.parameter("skill_half_life", 8.0, "week",
                          Assumption("without practice the skill fades over months"))
    m.rate(skill, learn * practice * (1 - skill) - LN2 / t_skill * skill)
    r_learn = m.parameter("relaxation_learning_rate", 0.12, "1/hour",
                          Fitted("default", ("V20",), prior=Derived(
                              "relaxation and self-hypnosis are learnt within a few weeks of "
                              "sessions, faster than mindfulness: 3 sessions a week of about "
                              "45 min for a month (12 sessions, 9 h) reach about two thirds of "
                              "the plateau, ln 3 / 9 h = 0.12 /h", refs=("kiecoltglaser1985",))))
    m.rate(rskill, r_learn * relax * (1 - rskill) - LN2 / t_skill * rskill)
    m.output("relaxation", rskill, "dimensionless", "practised relaxation skill (0-1)",
             observable=False)
    m.output("stress_signal", arousal, "dimensionless",
             "arousal passed to the HPA axis and the autonomic nervous system", observable=False)
    m.output("stress_load_signal", load, "dimensionless", "felt stress averaged over days",
             observable=False)
    m.output("mindfulness", skill, "dimensionless", "practised mindfulness skill (0-1)")
    return m
