"""V19: slow-paced breathing training raises resting RMSSD (Shao, Man & Lee 2024 meta-analysis).

A virtual two-arm trial: the same virtual persons (fixed seed) practise slow-paced breathing at
6 breaths/min for 20 min every morning for 4 weeks, or wait. Resting RMSSD is read the morning
after the last session (10:00, a day after the last session, so no acute session effect), and
the effect is the post-intervention between-arm standardised mean difference (Hedges' g), as the
meta-analysis pooled it.

The waitlist arm is simulated on its first day only: without any protocol the virtual persons are
in their periodic steady state once settled, so their 10:00 RMSSD on day 1 is that of day 29
(checked in tests/model/test_nk_herpes_appetite.py); this halves the runtime.
"""

from __future__ import annotations

import numpy as np

from nicsim.experiments._protocols import scenario
from nicsim.experiments._two_arm import arm, hedges_g, persons
from nicsim.experiments.base import Study, StudyResult

N_PERSONS = 100
SEED = 2024019
PERSON = {"sex": "female", "age": 30, "sleep": {"bedtime": "23:00", "wake": "07:00"}}
READ = 28 * 24 + 3.0  # 10:00 on day 29 (t = 0 is 07:00 on day 1)


def _scenarios():
    breathing = {"type": "slow_breathing", "start": "day 1 07:30", "session": "20 min",
                 "days": 28, "rate": "6 /min"}
    trained = scenario("v19-breathing", "676 h", [breathing], interval="1 h",
                       person=PERSON).replace(outputs=["rmssd"], rtol=1e-5)
    waitlist = scenario("v19-waitlist", "4 h", [], interval="1 h",
                        person=PERSON).replace(outputs=["rmssd"], rtol=1e-5)
    return trained, waitlist


class Shao2024SlowBreathing(Study):
    id = "V19"
    title = "slow-paced breathing training: resting RMSSD, virtual two-arm trial"
    source = "Shao, Man & Lee 2024 meta-analysis"
    cohort = True
    protocol_text = (f"{N_PERSONS} virtual persons (seed {SEED}) in both arms; slow_breathing "
                     "6/min, 20 min daily at 07:30 for 28 days vs waitlist; resting RMSSD at "
                     "10:00 on day 29; Hedges' g of the post-intervention difference")

    def run(self, *, parameters=None, model=None) -> StudyResult:
        trained, waitlist = _scenarios()
        P = persons(trained, N_PERSONS, SEED, parameters=parameters, model=model)
        a = arm(trained, P, model=model)
        b = arm(waitlist, P, model=model)
        post = a.rmssd.sel(time=READ, method="nearest").values
        ctrl = b.rmssd.sel(time=3.0, method="nearest").values
        g = hedges_g(post, ctrl)
        return StudyResult(self, [self.check("resting RMSSD, Hedges' g (breathing - waitlist)", g)],
                           {"breathing": post, "waitlist": ctrl,
                            "mean_change_pct": float(100 * (post.mean() / ctrl.mean() - 1))})

    def plot(self, result, ax):
        d = result.data
        ax.boxplot([d["waitlist"], d["breathing"]], positions=[0, 1], widths=0.4)
        ax.set(xticks=[0, 1], xticklabels=["waitlist", "slow breathing"],
               ylabel="resting RMSSD (ms)",
               title=f"g = {result.checks[0].value:.2f} (band 0.16-0.58)")
        ax.plot(np.zeros_like(d["waitlist"]), d["waitlist"], ".", alpha=0.2, color="tab:gray")
        ax.plot(np.ones_like(d["breathing"]), d["breathing"], ".", alpha=0.2, color="tab:blue")
