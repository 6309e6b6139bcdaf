"""V50 (prediction row): vagus nerve stimulation for 30 minutes around an endotoxin bolus in
healthy men (Kox et al. 2015, Arthritis Res Ther 17:150: randomised, double-blind, sham
controlled, 10 + 10 men; transvenous stimulation of the left vagus for 30 min from 10 min before
2 ng/kg E. coli LPS).

Published: plasma cytokines rose sharply in both groups with similar responses; fever, symptoms
and haemodynamics were unaffected. Band (an assumption about what "similar" excludes; the
abstract gives no group numbers): the stimulated group's peak TNF and IL-6 within 30 % of the
sham group's either way. Nothing is fitted to this row: it is a
prediction, next to V25 (the same pathway with stimulation lasting through the cytokine peak,
fitted to the animal and ex vivo findings of Borovikova et al. 2000 and Addorisio et al. 2019).

In the model the cholinergic route acts while the stimulation runs; TNF is made 30-90 min after
the bolus, after this short stimulation has ended.
"""

from __future__ import annotations

from nicsim.analysis.readouts import peak
from nicsim.experiments._protocols import endotoxemia
from nicsim.experiments.base import Study, StudyResult
from nicsim.solve.simulate import simulate

LPS = 3.0  # 09:00 in the endotoxemia scenario (starts 06:00)
VNS = {"type": "vagus_nerve_stimulation", "start": "day 1 08:50", "duration": "30 min",
       "intensity": 1.0}


class Kox2015VagusStimulationEndotoxemia(Study):
    id = "V50"
    title = "30-min vagus nerve stimulation around LPS in healthy men: cytokines unchanged"
    source = "Kox et al. 2015, Arthritis Res Ther 17:150"
    protocol_text = ("lps_bolus 2 ng/kg at 09:00 (the V08 scenario) with vagus nerve "
                     "stimulation (intensity 1) from 08:50 to 09:20 vs without; peaks within "
                     "8 h of the bolus")

    def scenarios(self) -> dict:
        return {"sham": endotoxemia(), "vns": endotoxemia([VNS])}

    def run(self, *, parameters=None, model=None) -> StudyResult:
        sc = self.scenarios()
        sham = simulate(sc["sham"], parameters=parameters, model=model)
        vns = simulate(sc["vns"], parameters=parameters, model=model)
        checks = []
        for name, label in (("tnf", "TNF"), ("il6", "IL-6")):
            p0, _ = peak(sham, name, LPS, LPS + 8)
            p1, _ = peak(vns, name, LPS, LPS + 8)
            checks.append(self.check(f"peak {label} reduction by stimulation",
                                     100 * (1 - p1 / p0)))
        return StudyResult(self, checks, {"sham": sham, "vns": vns})

    def plot(self, result, ax):
        for key, label in (("sham", "LPS (sham)"), ("vns", "LPS + 30-min VNS")):
            ds = result.data[key].sel(time=slice(LPS - 1, LPS + 8))
            ax.plot(ds.time - LPS, ds.tnf, label=label)
        ax.axvspan(-1 / 6, 1 / 3, color="grey", alpha=0.2, label="stimulation")
        ax.set(xlabel="hours after LPS", ylabel="TNF (pg/mL)")
