"""V18: an 8-week mindfulness programme lowers salivary cortisol (Sanada et al. 2016).

A virtual two-arm trial in working adults (the meta-analysis pooled five RCTs in healthy adults,
mostly women, e.g. university employees and caregivers): the same virtual persons (fixed seed)
carry an everyday workload (chronic stressor, load 0.5, 09:00-17:00 on weekdays) for 9 weeks; one
arm follows an MBSR-like programme (45 min daily for 8 weeks), the other waits. Salivary
cortisol is sampled after the programme as in Klatt et al. 2009 (07:30, 13:00 and 22:00 on two
consecutive weekdays, averaged); the effect is Hedges' g of the post-intervention difference
(positive = lower cortisol with mindfulness).
"""

from __future__ import annotations

from nicsim.experiments._protocols import scenario
from nicsim.experiments._two_arm import arm, hedges_g, persons
from nicsim.experiments.base import Study, StudyResult

N_PERSONS = 60
SEED = 2016018
PERSON = {"sex": "female", "age": 40, "sleep": {"bedtime": "23:00", "wake": "07:00"}}
SAMPLES = [d * 24 + h for d in (56, 57) for h in (7.5, 13.0, 22.0)]  # Mon/Tue of week 9


def _scenarios():
    work = {"type": "chronic_stressor", "start": "day 1", "period": "59 days", "load": 0.5,
            "daily_window": {"from": "09:00", "to": "17:00"}, "weekdays_only": True}
    mbsr = {"type": "mindfulness_programme", "start": "day 1 19:00", "weeks": 8,
            "daily_practice": "45 min"}
    kw = dict(start="00:00", interval="30 min", person=PERSON)
    out = ["cortisol_saliva", "mindfulness"]
    return (scenario("v18-mbsr", "59 days", [work, mbsr], **kw).replace(outputs=out, rtol=1e-5),
            scenario("v18-waitlist", "59 days", [work], **kw).replace(outputs=out, rtol=1e-5))


def _post(ds):
    return ds.cortisol_saliva.sel(time=SAMPLES, method="nearest").values.mean(axis=1)


class Sanada2016MindfulnessCortisol(Study):
    id = "V18"
    title = "8-week mindfulness programme: salivary cortisol, virtual two-arm trial"
    source = "Sanada et al. 2016 meta-analysis"
    cohort = True
    protocol_text = (f"{N_PERSONS} virtual persons (seed {SEED}) in both arms; chronic_stressor "
                     "0.5 on weekdays 09:00-17:00 throughout; mindfulness_programme 8 weeks x "
                     "45 min daily vs waitlist; salivary cortisol at 07:30, 13:00, 22:00 on days "
                     "57-58, averaged; Hedges' g (waitlist - mindfulness)")

    def run(self, *, parameters=None, model=None) -> StudyResult:
        mbsr, wait = _scenarios()
        P = persons(mbsr, N_PERSONS, SEED, parameters=parameters, model=model)
        a = _post(arm(mbsr, P, model=model))
        b = _post(arm(wait, P, model=model))
        g = hedges_g(b, a)
        return StudyResult(self, [
            self.check("salivary cortisol, Hedges' g (waitlist - mindfulness)", g)],
                           {"mindfulness": a, "waitlist": b,
                            "mean_change_pct": float(100 * (a.mean() / b.mean() - 1))})

    def plot(self, result, ax):
        d = result.data
        ax.boxplot([d["waitlist"], d["mindfulness"]], positions=[0, 1], widths=0.4)
        ax.set(xticks=[0, 1], xticklabels=["waitlist", "mindfulness"],
               ylabel="mean salivary cortisol (nmol/L)",
               title=f"g = {result.checks[0].value:.2f} (band 0.1-0.8)")
