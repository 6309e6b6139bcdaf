"""V21: self-hypnosis buffers the exam-time fall in NK cells (Gruzelier et al. 2001).

Medical students learnt self-hypnosis (with immune imagery) and practised it in the weeks before
their examinations; controls did not. At exam time NK cells were 35-45 % higher in the hypnosis
group. The virtual student (21-year-old woman) has 3 calm weeks and then 3 weeks of revision and
examinations (chronic stressor, load 0.6, 08:00-22:00); the hypnosis student practises daily for
20 min (19:00) from the first day (training plus self-practice; schedule assumed). Blood at 09:00
on the last exam day. The model's NK capacity is the product of NK number and activity, so the
row's NK-cell difference is compared with the NK activity difference.
"""

from __future__ import annotations

from nicsim.analysis.readouts import value_at
from nicsim.experiments._protocols import scenario
from nicsim.experiments.base import Study, StudyResult
from nicsim.solve.simulate import simulate

PERSON = {"sex": "female", "age": 21, "sleep": {"bedtime": "23:30", "wake": "07:30"}}
BASELINE = 2.0              # 09:00 on day 1 (t = 0 is 07:00)
EXAM = 41 * 24 + 2.0        # 09:00 on day 42, the last exam day


def _scenario(hypnosis: bool):
    exams = {"type": "chronic_stressor", "start": "day 22", "period": "21 days", "load": 0.6,
             "daily_window": {"from": "08:00", "to": "22:00"}}
    prot = [exams]
    if hypnosis:
        prot.append({"type": "hypnosis_relaxation", "start": "day 1 19:00", "session": "20 min",
                     "days": 42})
    return scenario("v21-hypnosis" if hypnosis else "v21-control", "42 days", prot,
                    interval="1 h", person=PERSON).replace(
        outputs=["nk_activity", "perceived_stress"])


class Gruzelier2001HypnosisExams(Study):
    id = "V21"
    title = "self-hypnosis during exams: NK activity at exam time, hypnosis vs control"
    source = "Gruzelier et al. 2001"
    protocol_text = ("21-year-old student; chronic_stressor 0.6 08:00-22:00 on days 22-42 "
                     "(revision and exams); hypnosis_relaxation 20 min daily at 19:00 from day 1 "
                     "vs none; NK activity at 09:00 on day 42")

    def run(self, *, parameters=None, model=None) -> StudyResult:
        hyp = simulate(_scenario(True), parameters=parameters, model=model, initial_state="settled")
        ctrl = simulate(_scenario(False), parameters=parameters, model=model,
                        initial_state="settled")
        diff = 100 * (value_at(hyp, "nk_activity", EXAM) / value_at(ctrl, "nk_activity", EXAM)
                      - 1)
        fall = 100 * (value_at(ctrl, "nk_activity", EXAM)
                      / value_at(ctrl, "nk_activity", BASELINE) - 1)
        return StudyResult(self, [
            self.check("NK at exam time, hypnosis vs control", diff),
            self.check("exam-time change of NK in controls (a fall)", fall),
        ], {"hypnosis": hyp, "control": ctrl})

    def plot(self, result, ax):
        for key, color in (("control", "tab:gray"), ("hypnosis", "tab:purple")):
            ds = result.data[key]
            ax.plot(ds.time / 24, ds.nk_activity, color=color, label=key)
        ax.axvspan(21, 42, alpha=0.1, color="tab:red", label="revision and exams")
        ax.axvline(EXAM / 24, color="k", lw=0.5)
        ax.set(xlabel="day", ylabel="NK activity (% lysis)")
