"""V05: TSST effect size in a virtual cohort (Gu et al. 2022 meta-analysis, d = 0.93)."""

from __future__ import annotations

import numpy as np

from nicsim.experiments._protocols import tsst
from nicsim.experiments.base import Study, StudyResult
from nicsim.solve.simulate import simulate_cohort

ONSET = 8.0
N_SUBJECTS = 120
SEED = 20221


class Gu2022TSSTCohort(Study):
    id = "V05"
    title = "TSST salivary cortisol reactivity in a virtual cohort"
    source = "Gu et al. 2022 meta-analysis (d = 0.93, n = 5171)"
    cohort = True
    protocol_text = (f"{N_SUBJECTS} virtual persons (parameters drawn from their declared "
                     f"distributions, seed {SEED}), half of them male; TSST at 14:00")

    def run(self, *, parameters=None, model=None) -> StudyResult:
        rng = np.random.default_rng(SEED)
        groups = []
        for sex in ("female", "male"):
            sc = tsst(person={"sex": sex, "age": 30,
                              "sleep": {"bedtime": "23:00", "wake": "07:00"}})
            sc = sc.replace(outputs=["cortisol_saliva"])
            groups.append(simulate_cohort(sc, n=N_SUBJECTS // 2, rng=rng, parameters=parameters,
                                          model=model))
        pre, post = [], []
        for ds in groups:
            t = ds.time.values
            c = ds.cortisol_saliva.values
            i0 = int(np.argmin(abs(t - ONSET)))
            win = (t >= ONSET) & (t <= ONSET + 1)
            pre.append(c[:, i0])
            post.append(c[:, win].max(axis=1))
        pre, post = np.concatenate(pre), np.concatenate(post)
        pooled = np.sqrt((pre.var(ddof=1) + post.var(ddof=1)) / 2)
        d = float((post.mean() - pre.mean()) / pooled)
        responders = float(100 * np.mean(post - pre >= 1.5))
        return StudyResult(self, [self.check("Cohen's d (peak vs pre)", d),
                                  self.check("responders (rise >= 1.5 nmol/L)", responders)],
                           {"pre": pre, "post": post})

    def plot(self, result, ax):
        pre, post = result.data["pre"], result.data["post"]
        for a, b in zip(pre, post, strict=True):
            ax.plot([0, 1], [a, b], color="tab:blue", alpha=0.15)
        ax.boxplot([pre, post], positions=[0, 1], widths=0.25)
        ax.set(xticks=[0, 1], xticklabels=["pre", "peak"], ylabel="salivary cortisol (nmol/L)")
