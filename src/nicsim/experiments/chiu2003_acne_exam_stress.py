"""V15: acne and examination stress in acne-prone students (virtual cohort).

Chiu, Chon & Kimball 2003 (Arch Dermatol 139:897) graded acne and perceived stress (PSS) in 22
acne-prone students outside and during examinations: the change in acne severity correlated
with the change in perceived stress (r = 0.61). Yosipovitch et al. 2007 (Acta Derm Venereol
87:135) found that sebum did not change between high- and low-stress periods while acne did.

Virtual cohort: acne-prone students (susceptibility 1, parameters drawn from their declared
between-person distributions, fixed seed) are seen once when calm (the skin states start at the
person's calm equilibrium) and again after four weeks of exam preparation and exams, a chronic
stressor whose load differs between students (five sub-cohorts, load 0.2 to 1.0, 08:00-22:00).
At each visit inflammatory lesions are counted (a Poisson
count around the model's expected lesion number, seeded: lesions appear and resolve as discrete
events) and PSS-10 is read from the model. Read-outs: the Pearson correlation of the within-person
changes, and the mean relative change of sebum.
"""

from __future__ import annotations

import numpy as np

from nicsim._default import default_model
from nicsim.experiments._protocols import PERSON, scenario
from nicsim.experiments.base import Study, StudyResult
from nicsim.solve.problem import model_parameters
from nicsim.solve.simulate import sample_parameters, simulate_cohort

SEED = 2003
LOADS = (0.2, 0.4, 0.6, 0.8, 1.0)
PER_LOAD = 20
CALM_VISIT = 24.0 - 2        # day 2, 07:00 (scenario starts 09:00; every student settled first)
EXAM_VISIT = 30 * 24.0 - 2   # day 30, 07:00, after four weeks of exams
#: the slow skin and stress states are smooth over weeks; a looser tolerance keeps the cohort fast
RTOL = 1e-4
STUDENT = {**PERSON, "age": 21, "susceptibility": {"acne": 1.0}}


def _scenario(load: float):
    exams = {"type": "chronic_stressor", "start": "day 2 08:00", "period": "28 days",
             "load": load, "daily_window": {"from": "08:00", "to": "22:00"}}
    sc = scenario(f"exam load {load:g}", "30 days", [exams], start="09:00", interval="1 h",
                  person=STUDENT)
    return sc.replace(outputs=["acne_lesions", "perceived_stress", "sebum", "acne_iga"],
                      rtol=RTOL)


def _at(ds, name, t):
    i = int(np.argmin(abs(ds.time.values - t)))
    return ds[name].values[:, i]


class Chiu2003AcneExamStress(Study):
    id = "V15"
    title = "acne during examinations in acne-prone students (cohort)"
    source = "Chiu, Chon & Kimball 2003; Yosipovitch et al. 2007"
    cohort = True
    protocol_text = (f"{len(LOADS) * PER_LOAD} acne-prone virtual students (seed {SEED}); a calm "
                     "visit, then four weeks of exams (chronic stressor 08:00-22:00, load "
                     f"{', '.join(f'{x:g}' for x in LOADS)} in equal sub-cohorts); lesion "
                     "counts (Poisson) and PSS-10 at both visits; Pearson r of the "
                     "changes; mean sebum change; every student settled first")
    expected_failure = (
        "on settled students r = 0.18 (band 0.4-0.75), and one student makes it (figures of the "
        "run of 7 December at r = 0.23): drawn at "
        "psyche.f_stress_reactivity 5.8 (cohort median 0.65; the spread, log-normal sigma 1.0, "
        "is sized on TSST cortisol responses, V05, and the sampler clips to the parameter's "
        "domain, not to its plausible range 0.2-5), she goes from 76 to 314 counted "
        "inflammatory lesions over the exams (+238), far beyond any clinical count; without her "
        "r = 0.47, and the rank correlation of all 100 is 0.49. The same reactivity scales "
        "chronic felt stress, so its tail gives implausible students; how much of the TSST "
        "spread belongs to appraisal (and so to chronic stress) is not sized (issue 12, "
        "between-person variation). acne.stress_gain is fitted with `nicsim calibrate --group "
        "acne` on the correlation averaged over cohort seeds 1-5: 1.89 -> 1.57 -> 1.0 (the "
        "table's start, which the simplex did not leave) -> 1.63 with a grid over the bounds "
        "first -> 1.82 (polishing 1.63 after the psoriasis_distress re-fit moved "
        "distress.burden_ref, which sets how strongly skin distress is felt); seed-averaged r "
        "about 0.36 at the fit's best; on this row's own seed r = 0.18 (0.16 before this acne "
        "re-fit, 0.23 before the re-fits of the HPA core, barrier and psoriasis_distress). The "
        "lesion changes stay in band (mean +12.5 lesions)")

    def run(self, *, parameters=None, model=None) -> StudyResult:
        model = model or default_model()
        rng = np.random.default_rng(SEED)
        base = model_parameters(model, _scenario(LOADS[0]), parameters)
        P = sample_parameters(model, base, len(LOADS) * PER_LOAD, rng)
        d_les, d_pss, seb0, seb1, les0, les1 = [], [], [], [], [], []
        for k, load in enumerate(LOADS):
            ds = simulate_cohort(_scenario(load), model=model, initial_state="settled",
                                 P=P[k * PER_LOAD:(k + 1) * PER_LOAD])
            lam0 = _at(ds, "acne_lesions", CALM_VISIT)
            lam1 = _at(ds, "acne_lesions", EXAM_VISIT)
            n0, n1 = rng.poisson(lam0), rng.poisson(lam1)
            d_les.append(n1 - n0)
            d_pss.append(_at(ds, "perceived_stress", EXAM_VISIT)
                         - _at(ds, "perceived_stress", CALM_VISIT))
            seb0.append(_at(ds, "sebum", CALM_VISIT))
            seb1.append(_at(ds, "sebum", EXAM_VISIT))
            les0.append(n0)
            les1.append(n1)
        d_les, d_pss = np.concatenate(d_les), np.concatenate(d_pss)
        seb0, seb1 = np.concatenate(seb0), np.concatenate(seb1)
        r = float(np.corrcoef(d_les, d_pss)[0, 1])
        sebum_change = float(100 * np.mean(seb1 / seb0 - 1))
        les0, les1 = np.concatenate(les0), np.concatenate(les1)
        return StudyResult(self, [
            self.check("r(change in lesions, change in PSS)", r),
            self.check("mean sebum change", sebum_change),
            self.check("mean lesion change (acne worsens in exams)",
                       float(np.mean(les1) - np.mean(les0))),
        ], {"d_lesions": d_les, "d_pss": d_pss, "sebum_calm": seb0, "sebum_exam": seb1,
            "lesions_calm": les0, "lesions_exam": les1})

    def plot(self, result, ax):
        d = result.data
        ax.scatter(d["d_pss"], d["d_lesions"], s=10, alpha=0.6)
        x = np.asarray(d["d_pss"])
        slope, icpt = np.polyfit(x, d["d_lesions"], 1)
        xs = np.linspace(x.min(), x.max(), 10)
        ax.plot(xs, slope * xs + icpt, "k-")
        ax.set(xlabel="change in perceived stress (PSS-10)",
               ylabel="change in inflammatory lesions (count)")
