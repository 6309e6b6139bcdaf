"""V26: persistent stress raises the herpes recurrence hazard (Cohen et al. 1999); six weeks of
self-hypnosis roughly halve recurrences (Fox et al. 1999; Gruzelier 2002).

Both studies concern genital HSV-2; the model's latent herpes simplex (HSV-1 labialis) shares the
NK surveillance and stress terms, so the ratios are compared.

* Cohen 1999: stressors persisting at least a week predicted recurrence, short-term stressors did
  not. A seropositive woman lives 8 weeks with a persistent stressor (load 0.5, 08:00-22:00) or
  without; a second run has the same stressor for 2 days only. Read-outs: the hazard ratio in
  weeks 3-8 (persistent vs none), and the peak hazard rise of the 2-day stressor relative to
  that of the persistent one (direction: smaller).
* Fox 1999 / Gruzelier 2002: frequent recurrers kept a diary for 6 weeks before and 6 weeks after
  a 6-week self-hypnosis training. The virtual patient carries persistent stress (load 0.3,
  08:00-22:00) from a 6-week run-in on; training is 30 min daily for 6 weeks, and self-hypnosis
  practice continues daily (20 min) in the 6 weeks after (assumed). Read-out: expected recurrences
  after / before.
"""

from __future__ import annotations

from nicsim.analysis.readouts import value_at
from nicsim.experiments._protocols import scenario
from nicsim.experiments.base import Study, StudyResult
from nicsim.solve.simulate import simulate

PERSON = {"sex": "female", "age": 35, "sleep": {"bedtime": "23:00", "wake": "07:00"},
          "hsv1_seropositive": True}
WEEK = 7 * 24.0
OUT = ["hsv_reactivation_hazard", "herpes_recurrences", "nk_activity"]


def _cohen(period: str | None):
    prot = []
    if period:
        prot.append({"type": "chronic_stressor", "start": "day 1", "period": period,
                     "load": 0.5, "daily_window": {"from": "08:00", "to": "22:00"}})
    return scenario("v26-cohen", "8 weeks", prot, interval="1 h", start="00:00",
                    person=PERSON).replace(outputs=OUT)


def _fox(hypnosis: bool):
    prot = [{"type": "chronic_stressor", "start": "day 1", "period": "24 weeks", "load": 0.3,
             "daily_window": {"from": "08:00", "to": "22:00"}}]
    if hypnosis:
        prot += [{"type": "hypnosis_relaxation", "start": "day 85 19:00", "session": "30 min",
                  "days": 42},
                 {"type": "hypnosis_relaxation", "start": "day 127 19:00", "session": "20 min",
                  "days": 42}]
    return scenario("v26-fox", "24 weeks", prot, interval="2 h", start="00:00",
                    person=PERSON).replace(outputs=OUT)


def _count(ds, w0: float, w1: float) -> float:
    return (value_at(ds, "herpes_recurrences", w1 * WEEK)
            - value_at(ds, "herpes_recurrences", w0 * WEEK))


class Cohen1999HerpesRecurrence(Study):
    id = "V26"
    title = "persistent stress and self-hypnosis: herpes recurrence"
    source = "Cohen et al. 1999; Gruzelier 2002"
    protocol_text = ("Cohen: chronic_stressor 0.5 08:00-22:00 for 8 weeks (or 2 days) vs none, "
                     "hazard ratio in weeks 3-8; Fox/Gruzelier: chronic_stressor 0.3 for 24 "
                     "weeks, hypnosis_relaxation 30 min daily in weeks 13-18 and 20 min daily in "
                     "weeks 19-24; expected recurrences in weeks 19-24 / weeks 7-12")

    def run(self, *, parameters=None, model=None) -> StudyResult:
        kw = dict(parameters=parameters, model=model, initial_state="settled")
        none = simulate(_cohen(None), **kw)
        persistent = simulate(_cohen("8 weeks"), **kw)
        short = simulate(_cohen("2 days"), **kw)
        ratio = _count(persistent, 2, 8) / _count(none, 2, 8)
        h0 = value_at(none, "hsv_reactivation_hazard", 0.0)
        rise_p = float(persistent.hsv_reactivation_hazard.max()) - h0
        rise_s = float(short.hsv_reactivation_hazard.max()) - h0
        fox = simulate(_fox(True), **kw)
        fox0 = simulate(_fox(False), **kw)
        halving = _count(fox, 18, 24) / _count(fox, 6, 12)
        return StudyResult(self, [
            self.check("recurrences, persistent stress / none (weeks 3-8)", ratio),
            self.check("hazard rise, 2-day / persistent stressor", rise_s / rise_p),
            self.check("recurrences 6 weeks after / before self-hypnosis training", halving),
        ], {"none": none, "persistent": persistent, "short": short, "fox": fox,
            "fox_control": fox0,
            "fox_control_ratio": _count(fox0, 18, 24) / _count(fox0, 6, 12)})

    def plot(self, result, ax):
        for key, color in (("fox_control", "tab:gray"), ("fox", "tab:purple")):
            ds = result.data[key]
            ax.plot(ds.time / WEEK, ds.hsv_reactivation_hazard * 365, color=color,
                    label="self-hypnosis" if key == "fox" else "no hypnosis")
        for w0, w1, label in ((6, 12, "diary before"), (18, 24, "diary after")):
            ax.axvspan(w0, w1, alpha=0.08, color="tab:blue")
            ax.text((w0 + w1) / 2, 0.98, label, transform=ax.get_xaxis_transform(),
                    ha="center", va="top", fontsize=8)
        ax.axvspan(12, 18, alpha=0.1, color="tab:purple")
        ax.set(xlabel="week", ylabel="recurrence hazard (per year)")
