"""V02: cortisol and ACTH clearance once secretion stops (Keenan et al. 2004; Holland-Frei)."""

from __future__ import annotations

import numpy as np

from nicsim.experiments._protocols import scenario
from nicsim.experiments.base import Study, StudyResult
from nicsim.solve.simulate import simulate


def _half_life(t, y, t_max):
    sel = (t > 0.05) & (t <= t_max) & (y > 0)
    slope = np.polyfit(t[sel], np.log(y[sel]), 1)[0]
    return float(np.log(2) / -slope * 60.0)


class Keenan2004Clearance(Study):
    id = "V02"
    title = "cortisol and ACTH half-lives after secretion stops"
    source = "Keenan, Roelfsema & Veldhuis 2004; Holland-Frei 6th ed."
    protocol_text = ("Habitual day to 09:00, then adrenal and pituitary secretion set to zero; "
                     "half-lives from log-linear fits over the next 2 h (cortisol) and 1 h (ACTH).")

    def run(self, *, parameters=None, model=None) -> StudyResult:
        pre = simulate(scenario("keenan-pre", "2 h", [], start="07:00"), parameters=parameters,
                       model=model)
        y0 = np.asarray(pre.attrs["final_state"])
        off = dict(parameters or {})
        off.update({"hpa.secretion_max": 0.0, "hpa.acth_gain": 0.0})
        ds = simulate(scenario("keenan-off", "3 h", [], start="09:00", interval="1 min"),
                      parameters=off, model=model, y0=y0)
        t = ds.time.values
        hc = _half_life(t, ds.cortisol_serum.values, 2.0)
        ha = _half_life(t, ds.acth.values, 1.0)
        return StudyResult(self, [self.check("cortisol half-life", hc),
                                  self.check("ACTH half-life", ha)], {"off": ds})

    def plot(self, result, ax):
        ds = result.data["off"]
        ax.semilogy(ds.time * 60, ds.cortisol_serum / float(ds.cortisol_serum[0]),
                    label="cortisol / initial")
        ax.semilogy(ds.time * 60, ds.acth / float(ds.acth[0]), label="ACTH / initial")
        t = np.linspace(0, 180, 50)
        for hl, c in ((49, "tab:green"), (80, "tab:green")):
            ax.semilogy(t, 0.5 ** (t / hl), ls=":", color=c)
        ax.set(xlabel="minutes after secretion stops", ylabel="relative concentration")
