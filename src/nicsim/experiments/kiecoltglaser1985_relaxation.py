"""V20: relaxation training in older adults raises NK activity and lowers HSV antibody titres and
distress (Kiecolt-Glaser et al. 1985; direction).

Older adults in independent-living facilities (mean age about 74) learnt progressive relaxation
and guided imagery three times a week for a month, compared with no contact. The virtual person
(74-year-old woman, HSV-1 seropositive) carries the everyday distress of later life (chronic
stressor, load 0.3 over the waking day), first for a 16-week run-in so that the slow states
(antibody titre, NK capacity) are settled, then for the month of the study with or without
relaxation sessions (45 min on Monday, Wednesday and Friday; session length assumed). Blood at
09:00 at the end of the month.

Direction rows compare with a read-out resolution of 1 %: an effect counts when it exceeds 1 %.
"""

from __future__ import annotations

from nicsim.analysis.readouts import value_at
from nicsim.experiments._protocols import scenario
from nicsim.experiments.base import Study, StudyResult
from nicsim.solve.simulate import simulate

PERSON = {"sex": "female", "age": 74, "sleep": {"bedtime": "22:30", "wake": "06:30"},
          "hsv1_seropositive": True}
RUN_IN = 112  # days
START = RUN_IN * 24 + 2.0  # 09:00 on day 113 (t = 0 is 07:00 on day 1)
END = START + 28 * 24      # 09:00 four weeks later


def _scenario(relax: bool):
    daily = {"type": "chronic_stressor", "start": "day 1", "period": "141 days", "load": 0.3,
             "daily_window": {"from": "07:00", "to": "22:00"}}
    prot = [daily]
    if relax:
        prot.append({"type": "hypnosis_relaxation", "start": f"day {RUN_IN + 1} 10:00",
                     "session": "45 min", "days": 28, "sessions_per_week": 3})
    return scenario("v20-relaxation" if relax else "v20-control", "141 days", prot,
                    interval="1 h", person=PERSON).replace(
        outputs=["nk_activity", "hsv_antibody_titre", "perceived_stress"])


class KiecoltGlaser1985Relaxation(Study):
    id = "V20"
    title = "relaxation 3x/week for a month in older adults: NK activity, HSV titre, distress"
    source = "Kiecolt-Glaser et al. 1985"
    protocol_text = ("74-year-old HSV-1 seropositive woman, chronic_stressor 0.3 07:00-22:00 "
                     "throughout; after a 16-week run-in, hypnosis_relaxation 45 min 3x/week for "
                     "4 weeks vs no contact; NK activity, HSV antibody titre (relative) and "
                     "PSS-10 at 09:00 at the end of the month")

    def run(self, *, parameters=None, model=None) -> StudyResult:
        rt = simulate(_scenario(True), parameters=parameters, model=model, initial_state="settled")
        ctrl = simulate(_scenario(False), parameters=parameters, model=model,
                        initial_state="settled")
        nk = 100 * (value_at(rt, "nk_activity", END) / value_at(ctrl, "nk_activity", END) - 1)
        titre = 100 * (value_at(rt, "hsv_antibody_titre", END)
                       / value_at(rt, "hsv_antibody_titre", START) - 1)
        titre_c = 100 * (value_at(rt, "hsv_antibody_titre", END)
                         / value_at(ctrl, "hsv_antibody_titre", END) - 1)
        pss = value_at(rt, "perceived_stress", END) - value_at(ctrl, "perceived_stress", END)
        return StudyResult(self, [
            self.check("NK activity, relaxation vs control after 1 month", nk),
            self.check("HSV antibody titre change over the month (relaxation)", titre),
            self.check("HSV antibody titre, relaxation vs control", titre_c),
            self.check("distress (PSS-10), relaxation - control", pss),
        ], {"relaxation": rt, "control": ctrl})

    def plot(self, result, ax):
        for key, color in (("control", "tab:gray"), ("relaxation", "tab:green")):
            ds = result.data[key]
            day = (ds.time - START) / 24
            ax.plot(day, ds.nk_activity, color=color, label=f"NK activity, {key}")
        ax.axvspan(0, 28, alpha=0.1, color="tab:green")
        ax.set(xlabel="days from the start of training", ylabel="NK activity (% lysis)",
               xlim=(-7, 29))
        ax2 = ax.twinx()
        for key, color in (("control", "tab:gray"), ("relaxation", "tab:green")):
            ds = result.data[key]
            ax2.plot((ds.time - START) / 24, ds.hsv_antibody_titre, "--", color=color)
        ax2.set_ylabel("HSV antibody titre (relative, dashed)")
