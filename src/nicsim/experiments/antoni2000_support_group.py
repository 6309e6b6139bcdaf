"""V29: under the chronic stress of a stigmatised illness the immune-competence index declines;
taking part in a support group slows the decline (Antoni et al. 2000, J Consult Clin Psychol
68:31: 10-week group cognitive-behavioural stress management in HIV; direction only)."""

from __future__ import annotations

from nicsim.experiments._protocols import scenario
from nicsim.experiments._wounds import chronic
from nicsim.experiments.base import Study, StudyResult
from nicsim.solve.simulate import simulate

PERSON = {"sex": "male", "age": 38, "sleep": {"bedtime": "23:00", "wake": "07:00"}}
DAYS = 26 * 7
LOAD = 0.5
GROUP = {"type": "support_group", "start": "day 15 08:00", "weeks": 10}


def run_arm(stress: bool, group: bool, parameters=None, model=None):
    prot = [chronic("day 1 08:00", f"{DAYS - 1} days", LOAD)] if stress else []
    if group:
        prot.append(GROUP)
    sc = scenario("illness stress", f"{DAYS} days", prot, start="08:00", interval="1 day",
                  person=PERSON)
    sc = sc.replace(outputs=["immune_competence", "perceived_stress"])
    return simulate(sc, parameters=parameters, model=model, initial_state="settled")


class Antoni2000SupportGroup(Study):
    id = "V29"
    title = "chronic illness stress and a support group: immune competence"
    source = "Antoni et al. (CBSM in HIV; direction only)"
    protocol_text = (
        f"men aged 38; chronic_stressor load {LOAD} (08:00-22:00) for 26 weeks; with or "
        "without support_group for 10 weeks from day 15; unstressed reference; index read at "
        "26 weeks")

    def run(self, *, parameters=None, model=None) -> StudyResult:
        ref = run_arm(False, False, parameters, model)
        st = run_arm(True, False, parameters, model)
        grp = run_arm(True, True, parameters, model)
        end = {k: float(d.immune_competence[-1]) for k, d in
               (("reference", ref), ("stress", st), ("group", grp))}
        decline = end["reference"] - end["stress"]
        decline_g = end["reference"] - end["group"]
        return StudyResult(self, [
            self.check("decline of the index under chronic stress", decline),
            self.check("decline with support group / without", decline_g / decline),
        ], {"reference": ref, "stress": st, "group": grp},
            note=", ".join(f"{k} {v:.3f}" for k, v in end.items()))

    def plot(self, result, ax):
        for k in ("reference", "stress", "group"):
            ds = result.data[k]
            ax.plot(ds.time / 24 / 7, ds.immune_competence, label=k)
        ax.axvspan(2, 12, color="grey", alpha=0.15, label="support group")
        ax.set(xlabel="weeks", ylabel="immune competence (1 = normal)")
