"""V45: within one stress group, perceived stress and healing speed of a punch biopsy are
correlated, but far from deterministically (Ebrecht et al. 2004: r = -0.59 between PSS and
healing speed of a 4-mm punch in 24 healthy men; meta-analysis of stress and wound healing,
Walburn et al. 2009: r = -0.42, 95 % CI -0.51 to -0.32).

A virtual cohort of healthy young men (every declared between-person spread: stress appraisal
and reactivity, HPA reactivity, wound margin speed ...), all living under the same everyday
stress (a chronic stressor of load 0.3 in waking hours, from 4 weeks before the biopsy to the
end), each settled to his own steady state first. A 4-mm punch biopsy on day 29; healing speed
= 1 / time to closure; perceived stress = mean PSS-10 over the week before the biopsy (the
paper's PSS at the time of the biopsy). Read-out: Pearson r between the two across the cohort.
The band is the 95 % confidence interval of Ebrecht's r = -0.59 at n = 24 (Fisher z: -0.80 to
-0.25), which contains the meta-analytic interval. Before the wound margin speed had a
between-person spread, this correlation was -0.97 (healing set by stress alone).
"""

from __future__ import annotations

import numpy as np

from nicsim._default import default_model
from nicsim.experiments._protocols import scenario
from nicsim.experiments._wounds import chronic, closure_time, wound_area_mm2
from nicsim.experiments.base import Study, StudyResult
from nicsim.solve.problem import model_parameters
from nicsim.solve.simulate import sample_parameters, simulate_cohort

N_SUBJECTS = 40
SEED = 2004
PRE_DAYS = 28
HEAL_DAYS = 90
LOAD = 0.3
DIAMETER = 4.0
T_WOUND = PRE_DAYS * 24 + 1.0          # day 29, 09:00 (scenario starts 08:00)
PERSON = {"sex": "male", "age": 30, "sleep": {"bedtime": "23:00", "wake": "07:00"}}


def wound_cohort(parameters=None, model=None, n: int = N_SUBJECTS, seed: int = SEED):
    """(closure days, mean PSS the week before the biopsy) per subject of the settled cohort."""
    model = model or default_model()
    protocol = [chronic("day 1 08:00", f"{PRE_DAYS + HEAL_DAYS - 1} days", LOAD),
                {"type": "punch_biopsy", "at": f"day {PRE_DAYS + 1} 09:00",
                 "diameter": f"{DIAMETER} mm"}]
    sc = scenario("stress-healing cohort", f"{PRE_DAYS + HEAL_DAYS} days", protocol,
                  start="08:00", interval="6 h", person=PERSON)
    sc = sc.replace(outputs=["wound_area_skin", "perceived_stress"], rtol=1e-4)
    base = model_parameters(model, sc, parameters)
    P = sample_parameters(model, base, n, np.random.default_rng(seed))
    ds = simulate_cohort(sc, model=model, P=P, initial_state="settled")
    a0 = wound_area_mm2(DIAMETER)
    days = np.array([closure_time(ds.isel(subject=i), "wound_area_skin", T_WOUND, a0) / 24
                     for i in range(n)])
    t = ds.time.values
    week = (t > T_WOUND - 7 * 24) & (t <= T_WOUND)
    pss = ds.perceived_stress.values[:, week].mean(axis=1)
    return days, pss


def stress_healing_r(days: np.ndarray, pss: np.ndarray) -> float:
    """Pearson r between perceived stress and healing speed (1 / closure time)."""
    ok = np.isfinite(days) & np.isfinite(pss)
    if ok.sum() < 3:
        return float("nan")
    return float(np.corrcoef(pss[ok], 1.0 / days[ok])[0, 1])


class Ebrecht2004StressHealingCorrelation(Study):
    id = "V45"
    title = "Perceived stress vs healing speed within one stress group (cohort correlation)"
    source = "Ebrecht et al. 2004 (r = -0.59, n = 24); Walburn et al. 2009 (meta r = -0.42)"
    cohort = True
    protocol_text = (f"{N_SUBJECTS} virtual healthy men aged 30 (all declared between-person "
                     f"spreads, seed {SEED}), settled first; the same chronic stressor load "
                     f"{LOAD} (08:00-22:00) from day 1; {DIAMETER}-mm punch biopsy on day "
                     f"{PRE_DAYS + 1}; r between mean PSS of the week before the biopsy and "
                     "1 / time to closure")

    def run(self, *, parameters=None, model=None) -> StudyResult:
        days, pss = wound_cohort(parameters, model)
        r = stress_healing_r(days, pss)
        return StudyResult(self, [
            self.check("r between perceived stress and healing speed", r),
        ], {"days": days, "pss": pss},
            note=f"closure {np.nanmedian(days):.1f} days (5-95 %: "
                 f"{np.nanpercentile(days, 5):.1f}-{np.nanpercentile(days, 95):.1f}); PSS "
                 f"{np.median(pss):.1f} ({np.percentile(pss, 5):.1f}-"
                 f"{np.percentile(pss, 95):.1f})")

    def plot(self, result, ax):
        d = result.data
        ax.scatter(d["pss"], 1.0 / d["days"], s=12)
        ax.set(xlabel="PSS-10, week before the biopsy", ylabel="healing speed (1/days)")
