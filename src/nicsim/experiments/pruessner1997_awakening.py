"""V03: the cortisol awakening response (Pruessner et al. 1997; Wust et al. 2000)."""

from __future__ import annotations

from nicsim.analysis.readouts import peak, value_at
from nicsim.experiments._protocols import scenario
from nicsim.experiments.base import Study, StudyResult, shade_band
from nicsim.solve.simulate import simulate


class Pruessner1997AwakeningResponse(Study):
    id = "V03"
    title = "cortisol awakening response (salivary)"
    source = "Pruessner et al. 1997 (n=152); Wust et al. 2000 (n=509); Smyth et al. 2015"
    protocol_text = "Habitual sleep 23:00-07:00; salivary cortisol from waking on day 2."

    def run(self, *, parameters=None, model=None) -> StudyResult:
        ds = simulate(scenario("car", "33 h", [], start="01:00", interval="1 min"),
                      parameters=parameters, model=model)
        wake = 30.0  # 07:00 on day 2
        c0 = value_at(ds, "cortisol_saliva", wake)
        c10 = value_at(ds, "cortisol_saliva", wake + 10 / 60)
        c30, c45 = (value_at(ds, "cortisol_saliva", wake + m / 60) for m in (30, 45))
        _pk, tpk = peak(ds, "cortisol_saliva", wake, wake + 1.5)
        rise = 100 * (max(c30, c45) / c0 - 1)
        return StudyResult(self, [
            self.check("rise within 30-45 min", rise),
            self.check("rise in the first 10 min", 100 * (c10 / c0 - 1)),
            self.check("time of the awakening peak", (tpk - wake) * 60),
        ], {"car": ds})

    def plot(self, result, ax):
        ds = result.data["car"].sel(time=slice(29.0, 33.0))
        m = (ds.time.values - 30.0) * 60
        c0 = value_at(result.data["car"], "cortisol_saliva", 30.0)
        ax.plot(m, ds.cortisol_saliva, label="model")
        lo, hi = self.band("rise within 30-45 min")  # % over the value at waking
        shade_band(ax, 30, 45, (1 + lo / 100) * c0, (1 + hi / 100) * c0)
        ax.axvline(0, color="k", lw=0.5)
        ax.set(xlabel="minutes after waking", ylabel="salivary cortisol (nmol/L)")
