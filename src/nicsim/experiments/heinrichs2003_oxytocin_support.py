"""V22: intranasal oxytocin and social support both damp the cortisol response to the TSST, and
together most (Heinrichs, Baumgartner, Kirschbaum & Ehlert 2003, Biol Psychiatry 54:1389: 37
healthy men; oxytocin 24 IU or placebo 50 min before the TSST, best friend present or not
during the preparation period)."""

from __future__ import annotations

from nicsim.analysis.readouts import peak, value_at
from nicsim.experiments._protocols import tsst
from nicsim.experiments.base import Study, StudyResult
from nicsim.solve.simulate import simulate

ONSET = 8.0  # 14:00 (the TSST scenario starts at 06:00)
PERSON = {"sex": "male", "age": 24, "sleep": {"bedtime": "23:00", "wake": "07:00"}}
OXYTOCIN = {"type": "intranasal_oxytocin", "at": "day 1 13:10", "dose": "24 IU"}
FRIEND = {"type": "social_support", "start": "day 1 14:00", "duration": "10 min", "level": 1.0}
CONDITIONS = {"none": [], "oxytocin": [OXYTOCIN], "support": [FRIEND],
              "both": [OXYTOCIN, FRIEND]}


def responses(parameters=None, model=None):
    out, data = {}, {}
    for name, extra in CONDITIONS.items():
        ds = simulate(tsst(person=PERSON, extra=extra), parameters=parameters, model=model,
                          initial_state="settled")
        base = value_at(ds, "cortisol_saliva", ONSET)
        pk, _ = peak(ds, "cortisol_saliva", ONSET, ONSET + 1.5)
        out[name] = pk - base
        data[name] = ds
    return out, data


class Heinrichs2003OxytocinSupport(Study):
    id = "V22"
    title = "TSST with intranasal oxytocin and/or a supportive friend"
    source = "Heinrichs et al. 2003"
    protocol_text = (
        "men aged 24; TSST at 14:00 (acute_stressor 1 for 20 min: 10 min preparation, 10 min "
        "speech and arithmetic); intranasal_oxytocin 24 IU at 13:10 or none; social_support "
        "level 1 during the 10-min preparation or none; response = salivary cortisol peak "
        "within 90 min minus the level at onset")

    def run(self, *, parameters=None, model=None) -> StudyResult:
        r, data = responses(parameters, model)
        return StudyResult(self, [
            self.check("response oxytocin / none", r["oxytocin"] / r["none"]),
            self.check("response support / none", r["support"] / r["none"]),
            self.check("response both / oxytocin", r["both"] / r["oxytocin"]),
            self.check("response both / support", r["both"] / r["support"]),
        ], {"responses": r, **data},
            note="responses (nmol/L): " + ", ".join(f"{k} {v:.2f}" for k, v in r.items()))

    def plot(self, result, ax):
        for name in CONDITIONS:
            ds = result.data[name].sel(time=slice(ONSET - 1, ONSET + 2))
            ax.plot((ds.time - ONSET) * 60, ds.cortisol_saliva, label=name)
        ax.axvspan(0, 20, color="grey", alpha=0.15, label="TSST")
        ax.set(xlabel="minutes after stressor onset", ylabel="salivary cortisol (nmol/L)")
