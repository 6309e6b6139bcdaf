"""V04, V06, V07: the Trier Social Stress Test and its cortisol, IL-6 and heart-rate responses.

TSST = 10 min anticipation + 10 min speech and mental arithmetic (Kirschbaum, Pirke & Hellhammer
1993), here at 14:00 (t = 8 h; the scenario starts at 06:00).
"""

from __future__ import annotations

from nicsim.analysis.readouts import peak, value_at
from nicsim.experiments._protocols import tsst
from nicsim.experiments.base import Study, StudyResult, shade_band
from nicsim.solve.simulate import simulate

ONSET = 8.0  # 14:00


def _run_tsst(parameters, model):
    """The TSST scenario of V04 (shared by V06 and V07)."""
    return simulate(Kirschbaum1993TSST().scenarios()["tsst"], parameters=parameters, model=model)


class Kirschbaum1993TSST(Study):
    id = "V04"
    title = "TSST at 14:00: salivary cortisol response"
    source = "Kirschbaum, Pirke & Hellhammer 1993; Dickerson & Kemeny 2004"
    protocol_text = "acute_stressor intensity 1 for 20 min at 14:00"
    expected_failure = (
        "after the HPA rebuild (issue 11 s3) and the hpa pipeline fit the salivary peak "
        "comes at 40 min (band 20-40, at its edge) and the level at 90 min is 1.34 x baseline "
        "(band <= 1.25); peak size passes (2.4 x). The ACTH half-life (20 min, Keenan 2004) "
        "and the 49-80-min cortisol half-life (V02) keep secretion above clearance after the "
        "stressor; within-burst adrenal down-regulation and a tissue compartment shortened "
        "the peak time from 50 to 42 min, not enough. The joint fit with V05 (responders) "
        "trades the 90-min return for size")

    def scenarios(self) -> dict:
        return {"tsst": tsst()}

    def run(self, *, parameters=None, model=None) -> StudyResult:
        ds = _run_tsst(parameters, model)
        base = value_at(ds, "cortisol_saliva", ONSET)
        pk, tpk = peak(ds, "cortisol_saliva", ONSET, ONSET + 2)
        r90 = value_at(ds, "cortisol_saliva", ONSET + 1.5) / base
        return StudyResult(self, [
            self.check("peak / baseline", pk / base),
            self.check("time of peak after onset", (tpk - ONSET) * 60),
            self.check("level at 90 min / baseline", r90),
        ], {"tsst": ds})

    def plot(self, result, ax):
        ds = result.data["tsst"].sel(time=slice(ONSET - 0.5, ONSET + 2.5))
        base = value_at(result.data["tsst"], "cortisol_saliva", ONSET)
        m = (ds.time.values - ONSET) * 60
        ax.plot(m, ds.cortisol_saliva / base, label="model")
        shade_band(ax, *self.band("time of peak after onset"), *self.band("peak / baseline"),
                   "peak band")
        shade_band(ax, 88, 92, *self.band("level at 90 min / baseline"), "90-min band",
                   color="tab:orange")
        ax.axvspan(0, 20, color="grey", alpha=0.15, label="stressor")
        ax.set(xlabel="minutes after stressor onset", ylabel="salivary cortisol / baseline")


class Steptoe2001StressIL6(Study):
    id = "V06"
    title = "acute laboratory stressor: plasma IL-6 and TNF"
    source = "Steptoe et al. 2001 (+56 % at 2 h); Marsland et al. 2017 meta-analysis"
    protocol_text = "the TSST scenario of V04; IL-6 and TNF read out over 3 h"

    def run(self, *, parameters=None, model=None) -> StudyResult:
        ds = _run_tsst(parameters, model)
        b6 = value_at(ds, "il6", ONSET)
        bt = value_at(ds, "tnf", ONSET)
        r2h = 100 * (value_at(ds, "il6", ONSET + 2) / b6 - 1)
        _pk, tpk = peak(ds, "il6", ONSET, ONSET + 4)
        tnf_pk, _ = peak(ds, "tnf", ONSET, ONSET + 4)
        return StudyResult(self, [
            self.check("IL-6 rise at 2 h", r2h),
            self.check("time of largest IL-6 rise", (tpk - ONSET) * 60),
            self.check("TNF peak rise (small)", 100 * (tnf_pk / bt - 1)),
        ], {"tsst": ds})

    def plot(self, result, ax):
        full = result.data["tsst"]
        ds = full.sel(time=slice(ONSET - 0.5, ONSET + 4))
        m = (ds.time.values - ONSET) * 60
        ax.plot(m, 100 * (ds.il6 / value_at(full, "il6", ONSET) - 1), label="IL-6")
        ax.plot(m, 100 * (ds.tnf / value_at(full, "tnf", ONSET) - 1), label="TNF")
        shade_band(ax, 115, 125, *self.band("IL-6 rise at 2 h"), "IL-6 band at 2 h")
        ax.axvspan(0, 20, color="grey", alpha=0.15, label="stressor")
        ax.set(xlabel="minutes after stressor onset", ylabel="change from baseline (%)")


class Steptoe2001StressHeartRate(Study):
    id = "V07"
    title = "acute laboratory stressor: heart rate"
    source = "Steptoe et al. 2001; Kirschbaum et al. 1993"
    protocol_text = "the TSST scenario of V04; heart rate during and after the stressor"

    def run(self, *, parameters=None, model=None) -> StudyResult:
        ds = _run_tsst(parameters, model)
        base = value_at(ds, "heart_rate", ONSET)
        during = float(ds.heart_rate.sel(time=slice(ONSET + 0.05, ONSET + 1 / 3)).mean())
        after = value_at(ds, "heart_rate", ONSET + 1 / 3 + 0.5)
        return StudyResult(self, [
            self.check("mean rise during the stressor", during - base),
            self.check("difference 30 min after the end", abs(after - base)),
        ], {"tsst": ds})

    def plot(self, result, ax):
        full = result.data["tsst"]
        ds = full.sel(time=slice(ONSET - 0.5, ONSET + 1.5))
        base = value_at(full, "heart_rate", ONSET)
        ax.plot((ds.time - ONSET) * 60, ds.heart_rate - base, label="model")
        shade_band(ax, 0, 20, *self.band("mean rise during the stressor"),
                   "band during stressor")
        hi = self.band("difference 30 min after the end")[1]  # a bound on |difference|
        shade_band(ax, 48, 52, -hi, hi, "back to baseline", color="tab:orange")
        ax.set(xlabel="minutes after stressor onset", ylabel="heart rate change (bpm)")
