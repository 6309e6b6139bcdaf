"""Mood and affect: a monoaminergic tone lowered by chronic stress load (M5).

No validated dynamic model of serotonin/dopamine tone exists at this level; the state is a proxy.
Chronic stress lowers mood over weeks (stressful life events precede depressive episodes;
Kendler et al. 1999; chronic stress reduces serotonergic and dopaminergic signalling), and mood
recovers over weeks when the load lifts. Systemic inflammation adds a small depressive drive
(cytokine-induced sickness behaviour; Dantzer et al. 2008). ``low_mood`` (0 euthymic .. 1
markedly low) is read by psyche, where it amplifies stress appraisal; the observable ``mood`` is
a PHQ-9-like score (0-27; population mean about 3, Kocalevent et al. 2013).

Links of mood to skin are kept weak and indirect: the evidence that serotonin or dopamine act on
skin disease in humans is weak (M5 in system.md). Mood reaches the skin only through appraisal
(psyche) and, in eczema, through a small amplification of itch perception.

Equations (hours)::

    d depressed_mood/dt = ln2/mood_half_life
                    * (hill_up(stress_load + il6_excess/il6_ref, load_k, n) - depressed_mood)
    low_mood = depressed_mood ;  mood = phq_0 + phq_range * depressed_mood
"""

from __future__ import annotations

from nicsim.core import Assumption, Literature, Module
from nicsim.core.motifs import LN2, hill_up

ORDER = 86


def build() -> Module:
    m = Module("mood", "Mood and affect (monoaminergic tone proxy)", __doc__, mechanisms=("M5",))
    load = m.input("stress_load_signal", "dimensionless")
    il6x = m.input("il6_excess", "pg/mL")

    t_m = m.parameter("mood_half_life", 3.0, "week",
                      Assumption("mood falls over weeks of chronic stress and recovers over "
                                 "weeks (depressive symptoms lag stressors by weeks to months)",
                                 refs=("kendler1999",)))
    k = m.parameter("load_k", 0.8, "dimensionless",
                    Assumption("half-maximal lowering at a felt-stress load above a full-time "
                               "demanding stressor: most stressed people do not become "
                               "depressed", refs=("kendler1999",)))
    n = m.parameter("load_n", 2.0, "dimensionless",
                    Assumption("threshold-like: low loads barely affect mood"))
    il6_ref = m.parameter("il6_ref", 5.0, "pg/mL",
                          Assumption("IL-6 several pg/mL above baseline adds a depressive drive "
                                     "like a full felt-stress load (sickness behaviour)",
                                     refs=("dantzer2008",)))
    phq0 = m.parameter("phq_0", 3.0, "score",
                       Literature("kocalevent2013", "PHQ-9 general-population mean 2.9"))
    phq_r = m.parameter("phq_range", 17.0, "score",
                        Assumption("markedly low mood (low_mood = 1) corresponds to moderately "
                                   "severe depressive symptoms, PHQ-9 about 20",
                                   refs=("kocalevent2013",)))
    low = m.state("depressed_mood", 0.0, "dimensionless",
                  "lowered mood (0 euthymic, 1 markedly low)", atol=1e-8)
    m.rate(low, LN2 / t_m * (hill_up(load + il6x / il6_ref, k, n) - low))
    m.output("low_mood", low, "dimensionless", "lowered mood, read by psyche", observable=False)
    m.output("mood", phq0 + phq_r * low, "score",
             "depressive symptoms, PHQ-9-like (0-27; 3 = population mean)")
    return m
