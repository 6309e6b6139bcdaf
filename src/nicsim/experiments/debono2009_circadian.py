"""V01: 24-h serum cortisol in healthy adults (Debono et al. 2009, 20-min sampling, n = 33)."""

from __future__ import annotations

from nicsim.analysis.readouts import peak, trough
from nicsim.experiments._protocols import scenario
from nicsim.experiments.base import Study, StudyResult, shade_band
from nicsim.solve.simulate import simulate


class Debono2009CircadianCortisol(Study):
    id = "V01"
    title = "24-h serum cortisol rhythm, normal sleep 23:00-07:00"
    source = "Debono et al. 2009, J Clin Endocrinol Metab"
    protocol_text = "Two days on the habitual schedule; day 2 is read out (t = 0 at 07:00 day 1)."
    def run(self, *, parameters=None, model=None) -> StudyResult:
        sc = scenario("debono2009", "2 days", [], start="07:00", interval="10 min")
        ds = simulate(sc, parameters=parameters, model=model)
        # day 2 from 07:00 is t = 24 h; the nadir window 23:00-01:00 is t = 40-42 h
        pk, tpk = peak(ds, "cortisol_serum", 22.0, 46.0)
        nd, tnd = trough(ds, "cortisol_serum", 30.0, 46.0)
        clock = lambda t: (t + 7.0) % 24.0  # noqa: E731
        tn = clock(tnd)
        checks = [
            self.check("peak cortisol", pk),
            self.check("peak clock time", clock(tpk)),
            self.check("nadir cortisol", nd),
            self.check("nadir clock time (hours after 23:00)", (tn - 23.0) % 24.0),
        ]
        return StudyResult(self, checks, {"day": ds})

    def plot(self, result, ax):
        ds = result.data["day"].sel(time=slice(17.0, 48.0))
        h = ds.time.values - 17.0  # hours from midnight
        ax.plot(h, ds.cortisol_serum, label="model")
        shade_band(ax, *self.band("peak clock time"), *self.band("peak cortisol"), "peak band")
        n0, n1 = self.band("nadir clock time (hours after 23:00)")
        shade_band(ax, 23.0 + n0, 23.0 + n1, *self.band("nadir cortisol"), "nadir band",
                   color="tab:orange")
        ax.set(xlabel="hours from midnight (day 2)", ylabel="serum cortisol (nmol/L)")
