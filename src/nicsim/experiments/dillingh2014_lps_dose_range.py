"""V38, V39: the endotoxin dose range and the time of day of the challenge.

V38 - dose range. Dillingh et al. (2014) gave 0.5, 1 and 2 ng/kg E. coli LPS to healthy men (6 per
dose, 2 placebo): already at 0.5 ng/kg plasma TNF was 413 % and IL-6 288 % above placebo over the
first 6 h (contrast over 0-6 h), and the responses rose with dose. Suffredini et al. (1999) found
dose-related increases of TNF and IL-6 over 1, 2 and 4 ng/kg (a graded dose response). Read-outs:
mean TNF and IL-6 over 0-6 h after 0.5 ng/kg divided by the same person's values without LPS
(band: half to twice the published contrast, 5.13 x and 3.88 x; the abstract gives no interval, so
the width is a judgement for n = 6); the ratio of peak TNF and IL-6 between successive doses
(1 -> 2 and 2 -> 4 ng/kg) must exceed 1 (direction, read-out resolution 1 %).

Not constrained here: how steep the step from 1 to 2 ng/kg is. The model's peak TNF goes from
about 36 to about 300 pg/mL over that doubling (the Windoloski TNF amplification of monocyte
activation switches on near 140 pg/mL); the per-dose peaks of Dillingh 2014 or Suffredini 1999
were not available in the abstracts, so the row cannot say whether that step is too steep.
V51 checks the steepness from 0.4 to 2 ng/kg against figure read-offs (and fails).

V39 - time of day. Alamili et al. (2014) gave 0.3 ng/kg at 12:00 and, on another day, at 24:00
(cross-over, 12 men, blood at 2, 4, 6 and 8 h): TNF and IL-6 were higher at night (P < 0.01), IL-10
higher by day (P < 0.05). Read-outs: the mean of the values at those four sampling times, night
over day (direction). Pollmächer et al. (1996) found no difference between 09:00 and 19:00
(0.8 ng/kg Salmonella endotoxin) but twice the fever and HPA response in the evening; in the
model the time-of-day effect comes from the glucocorticoid suppression of cytokine release and
from sleep (the person sleeps 23:00-07:00).
"""

from __future__ import annotations

import numpy as np

from nicsim.analysis.readouts import peak, value_at
from nicsim.experiments._protocols import scenario
from nicsim.experiments.base import Study, StudyResult
from nicsim.solve.simulate import simulate

LPS = 3.0  # hours after the scenario start (09:00 for V38)
OUT = ["tnf", "il6", "il10"]
DOSES = (0.5, 1.0, 2.0, 4.0)


def _lps(dose: float | None, at: str = "day 1 09:00", start: str = "06:00"):
    prot = [] if dose is None else [{"type": "lps_bolus", "at": at, "dose": f"{dose} ng/kg"}]
    return scenario(f"lps-{dose}", "12 h", prot, start=start,
                    interval="5 min").replace(outputs=OUT)


def _mean(ds, name, t0, t1):
    return float(ds[name].sel(time=slice(t0, t1)).mean())


class Dillingh2014LpsDoseRange(Study):
    id = "V38"
    title = "endotoxin dose range: low-dose response and graded peaks"
    source = "Dillingh et al. 2014 (0.5-2 ng/kg); Suffredini et al. 1999 (1-4 ng/kg)"
    protocol_text = ("lps_bolus 0.5, 1, 2 or 4 ng/kg at 09:00 vs none; mean TNF and IL-6 over "
                     "0-6 h at 0.5 ng/kg over the no-LPS day; peak TNF and IL-6 ratios between "
                     "successive doses")

    def scenarios(self) -> dict:
        return {"none": _lps(None), **{f"{d:g} ng/kg": _lps(d) for d in DOSES}}

    def run(self, *, parameters=None, model=None) -> StudyResult:
        data = {k: simulate(sc, parameters=parameters, model=model)
                for k, sc in self.scenarios().items()}
        ctrl, low = data["none"], data["0.5 ng/kg"]
        pk = {d: {n: peak(data[f"{d:g} ng/kg"], n, LPS, LPS + 8)[0] for n in ("tnf", "il6")}
              for d in DOSES}
        checks = [
            self.check("TNF over 0-6 h at 0.5 ng/kg / no LPS",
                       _mean(low, "tnf", LPS, LPS + 6) / _mean(ctrl, "tnf", LPS, LPS + 6)),
            self.check("IL-6 over 0-6 h at 0.5 ng/kg / no LPS",
                       _mean(low, "il6", LPS, LPS + 6) / _mean(ctrl, "il6", LPS, LPS + 6)),
        ]
        for name, label in (("tnf", "TNF"), ("il6", "IL-6")):
            for lo, hi in ((1.0, 2.0), (2.0, 4.0)):
                checks.append(self.check(f"peak {label} {hi:g} / {lo:g} ng/kg (graded, direction)",
                                         pk[hi][name] / pk[lo][name]))
        result = StudyResult(self, checks, data)
        result.note = "peak TNF " + ", ".join(f"{pk[d]['tnf']:.3g}" for d in DOSES) + \
            " pg/mL at " + ", ".join(f"{d:g}" for d in DOSES) + " ng/kg"
        return result

    def plot(self, result, ax):
        for d in DOSES:
            ds = result.data[f"{d:g} ng/kg"]
            ax.plot(ds.time - LPS, ds.tnf, label=f"TNF, {d:g} ng/kg")
        ax.set(xlabel="hours after LPS", ylabel="TNF (pg/mL)", yscale="log")


SAMPLES = (2.0, 4.0, 6.0, 8.0)  # hours after LPS (Alamili 2014)


class Alamili2014NightEndotoxemia(Study):
    id = "V39"
    title = "endotoxemia at night vs noon (0.3 ng/kg): cytokines"
    source = "Alamili et al. 2014 (cross-over, 12:00 vs 24:00); Pollmächer et al. 1996"
    protocol_text = ("lps_bolus 0.3 ng/kg at 12:00 (scenario from 09:00) vs at 24:00 (from "
                     "21:00); mean of TNF, IL-6 and IL-10 at 2, 4, 6 and 8 h, night / day")
    # Passes at the edge since the hpa pipeline fit and the immune re-fit of 2026-12-07 (TNF
    # 1.014, IL-6 1.024, IL-10 0.84; band >= 1.01): the TNF margin is small. What holds TNF
    # back is the vagal rise of sleep (ans.sleep_vagal_rise through ans.cap_gain), which lowers
    # the night-time response; without the sleep changes of autonomic tone TNF and IL-6 were
    # 1.13 and 1.16 before that fit. Whether Alamili's volunteers slept after the midnight bolus
    # is not in the abstract (Haack et al. 2001 found the same TNF and IL-6 time courses in
    # sleeping and sleep-deprived men, 10 per group). Until then an expected failure (TNF
    # 1.00), which IL-10's induction by cortisol (fitted to V53) had half explained.

    def scenarios(self) -> dict:
        return {"noon": _lps(0.3, "day 1 12:00", "09:00"),
                "midnight": _lps(0.3, "day 2 00:00", "21:00")}

    def run(self, *, parameters=None, model=None) -> StudyResult:
        data = {k: simulate(sc, parameters=parameters, model=model)
                for k, sc in self.scenarios().items()}

        def sampled(ds, name):
            return float(np.mean([value_at(ds, name, LPS + h) for h in SAMPLES]))

        ratio = {n: sampled(data["midnight"], n) / sampled(data["noon"], n)
                 for n in ("tnf", "il6", "il10")}
        return StudyResult(self, [
            self.check("TNF night / day (higher at night)", ratio["tnf"]),
            self.check("IL-6 night / day (higher at night)", ratio["il6"]),
            self.check("IL-10 night / day (higher by day)", ratio["il10"]),
        ], data)

    def plot(self, result, ax):
        for key, color in (("noon", "tab:orange"), ("midnight", "tab:blue")):
            ds = result.data[key]
            ax.plot(ds.time - LPS, ds.tnf, color=color, label=f"TNF, LPS at {key}")
            ax.plot(ds.time - LPS, ds.il6, "--", color=color, label=f"IL-6, LPS at {key}")
        ax.set(xlabel="hours after LPS", ylabel="pg/mL")
