"""V27: inflammatory cytokines raise leptin and lower food intake; no inflammation, no change
(Grunfeld et al. 1996; Sarraf et al. 1997; direction).

Endotoxin, TNF and IL-1 raised serum leptin and ob mRNA in hamsters and mice, with anorexia.
Here human endotoxemia (E. coli LPS 2 ng/kg at 09:00) drives TNF and IL-1beta; the same person
without LPS is the control. Read-outs: leptin peak over baseline, the fall of mean food intake
over the 24 h after LPS, and - for the control - the largest deviation of leptin and intake from
their starting values over 3 days. Directions count above a read-out resolution of 1 %.
"""

from __future__ import annotations

import numpy as np

from nicsim.analysis.readouts import value_at
from nicsim.experiments._protocols import scenario
from nicsim.experiments.base import Study, StudyResult
from nicsim.solve.simulate import simulate

LPS = 3.0  # 09:00 (t = 0 is 06:00)
OUT = ["leptin", "food_intake", "body_weight", "tnf", "il1b"]


def _scenario(lps: bool):
    prot = [{"type": "lps_bolus", "at": "day 1 09:00", "dose": "2 ng/kg"}] if lps else []
    return scenario("v27-lps" if lps else "v27-control", "3 days", prot, start="06:00",
                    interval="10 min").replace(outputs=OUT)


class Grunfeld1996Leptin(Study):
    id = "V27"
    title = "cytokines -> leptin -> appetite: endotoxemia vs no inflammation"
    source = "Grunfeld et al. 1996; Sarraf et al. 1997"
    protocol_text = ("lps_bolus 2 ng/kg at 09:00 vs none; leptin peak / baseline, mean food "
                     "intake over the 24 h after LPS; control: largest deviation over 3 days")

    def run(self, *, parameters=None, model=None) -> StudyResult:
        lps = simulate(_scenario(True), parameters=parameters, model=model, initial_state="settled")
        ctrl = simulate(_scenario(False), parameters=parameters, model=model,
                        initial_state="settled")
        l0 = value_at(lps, "leptin", LPS)
        rise = 100 * (float(lps.leptin.sel(time=slice(LPS, LPS + 24)).max()) / l0 - 1)
        day = lps.food_intake.sel(time=slice(LPS, LPS + 24))
        fall = 100 * (1 - float(np.trapezoid(day.values, day.time.values)) / 24)

        def dev(name):
            v = ctrl[name].values
            return float(100 * np.max(np.abs(v / v[0] - 1)))

        return StudyResult(self, [
            self.check("leptin peak after LPS over baseline", rise),
            self.check("fall of food intake over 24 h after LPS", fall),
            self.check("no inflammation: largest leptin deviation", dev("leptin")),
            self.check("no inflammation: largest food-intake deviation", dev("food_intake")),
        ], {"lps": lps, "control": ctrl})

    def plot(self, result, ax):
        for key, color in (("control", "tab:gray"), ("lps", "tab:red")):
            ds = result.data[key]
            ax.plot(ds.time - LPS, ds.leptin, color=color, label=f"leptin, {key}")
        ax.set(xlabel="hours after LPS", ylabel="leptin (ng/mL)")
        ax2 = ax.twinx()
        for key, color in (("control", "tab:gray"), ("lps", "tab:red")):
            ds = result.data[key]
            ax2.plot(ds.time - LPS, ds.food_intake, "--", color=color)
        ax2.set_ylabel("relative food intake (dashed)")
