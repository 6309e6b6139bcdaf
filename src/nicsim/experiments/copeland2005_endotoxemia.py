"""V08, V09, V10, V25: human endotoxemia, E. coli LPS 2 ng/kg i.v. at 09:00.

Cytokines, fever and heart rate (Copeland et al. 2005), the HPA response (J Infect Dis 1998;
178:887) and vagus nerve stimulation during endotoxemia (Borovikova et al. 2000; Addorisio et al.
2019). The scenario starts at 06:00, so the bolus is at t = 3 h.
"""

from __future__ import annotations

from nicsim.analysis.readouts import peak, value_at
from nicsim.experiments._protocols import endotoxemia
from nicsim.experiments.base import Study, StudyResult, shade_band
from nicsim.solve.simulate import simulate

LPS = 3.0


def _rel(ds, name):
    return ds[name] / value_at(ds, name, LPS)


class Copeland2005EndotoxemiaCytokines(Study):
    id = "V08"
    title = "human endotoxemia (2 ng/kg): TNF, IL-6, IL-10"
    source = "Copeland et al. 2005, Clin Diagn Lab Immunol; Janum et al."
    protocol_text = "lps_bolus 2 ng/kg at 09:00"

    def scenarios(self) -> dict:
        return {"lps": endotoxemia()}

    def run(self, *, parameters=None, model=None) -> StudyResult:
        ds = simulate(self.scenarios()["lps"], parameters=parameters, model=model)
        checks = []
        for name in ("tnf", "il6", "il10"):
            pk, tpk = peak(ds, name, LPS, LPS + 12)
            checks += [self.check(f"{name} peak", pk),
                       self.check(f"{name} time of peak", tpk - LPS)]
            if name != "il10":
                checks.append(self.check(f"{name} at 6 h / peak",
                                         value_at(ds, name, LPS + 6) / pk))
        return StudyResult(self, checks, {"lps": ds})

    def plot(self, result, ax):
        ds = result.data["lps"].sel(time=slice(LPS - 1, LPS + 10))
        h = ds.time - LPS
        for name, c in (("tnf", "tab:red"), ("il6", "tab:blue"), ("il10", "tab:purple")):
            ax.plot(h, ds[name], color=c, label=name.upper())
        for name, label, c in (("tnf", "TNF", "tab:red"), ("il6", "IL-6", "tab:blue"),
                               ("il10", "IL-10", "tab:purple")):
            shade_band(ax, *self.band(f"{name} time of peak"), *self.band(f"{name} peak"),
                       f"{label} band", color=c)
        ax.set(xlabel="hours after LPS", ylabel="plasma concentration (pg/mL)", yscale="log")


class Copeland2005EndotoxemiaFever(Study):
    id = "V09"
    title = "human endotoxemia (2 ng/kg): fever and heart rate"
    source = "Copeland et al. 2005; Radboud endotoxemia model"
    protocol_text = ("lps_bolus 2 ng/kg at 09:00; temperature and heart rate as the difference "
                     "from the same person's day without LPS (circadian rhythm removed)")

    def run(self, *, parameters=None, model=None) -> StudyResult:
        ds = simulate(endotoxemia(), parameters=parameters, model=model)
        ctrl = simulate(endotoxemia().replace(protocol=[]), parameters=parameters, model=model)
        d = ds[["temperature", "heart_rate"]] - ctrl[["temperature", "heart_rate"]]
        tp, ttp = peak(d, "temperature", LPS, LPS + 12)
        hp, thp = peak(d, "heart_rate", LPS, LPS + 12)
        return StudyResult(self, [
            self.check("temperature rise", tp),
            self.check("time of fever peak", ttp - LPS),
            self.check("temperature at 12 h minus control", value_at(d, "temperature", LPS + 12)),
            self.check("heart rate rise", hp),
            self.check("time of heart-rate peak", thp - LPS),
        ], {"lps": ds, "diff": d})

    def plot(self, result, ax):
        ds = result.data["diff"].sel(time=slice(LPS - 1, LPS + 14))
        h = ds.time - LPS
        ax.plot(h, ds.temperature, label="temperature rise (degC)")
        shade_band(ax, *self.band("time of fever peak"), *self.band("temperature rise"),
                   "fever band")
        ax2 = ax.twinx()
        ax2.plot(h, ds.heart_rate, color="tab:red", label="heart rate rise (bpm)")
        ax2.set_ylabel("heart rate rise (bpm)")
        ax.set(xlabel="hours after LPS", ylabel="temperature rise (degC)")


class JInfectDis1998EndotoxemiaHPA(Study):
    id = "V10"
    title = "human endotoxemia (2 ng/kg): cortisol and ACTH"
    source = "J Infect Dis 1998;178:887 (cortisol 432 -> 797 nmol/L; ACTH 3.2 -> 133 pmol/L)"
    protocol_text = "lps_bolus 2 ng/kg at 09:00"

    def run(self, *, parameters=None, model=None) -> StudyResult:
        ds = simulate(endotoxemia(), parameters=parameters, model=model)
        c0 = value_at(ds, "cortisol_serum", LPS)
        a0 = value_at(ds, "acth", LPS)
        cp, tcp = peak(ds, "cortisol_serum", LPS, LPS + 10)
        ap, _ = peak(ds, "acth", LPS, LPS + 10)
        return StudyResult(self, [
            self.check("cortisol peak / baseline", cp / c0),
            self.check("time of cortisol peak", tcp - LPS),
            self.check("ACTH peak / baseline", ap / a0),
        ], {"lps": ds})

    def plot(self, result, ax):
        ds = result.data["lps"].sel(time=slice(LPS - 1, LPS + 10))
        h = ds.time - LPS
        ax.plot(h, _rel(result.data["lps"], "cortisol_serum").sel(time=slice(LPS - 1, LPS + 10)),
                label="cortisol / baseline")
        ax.plot(h, _rel(result.data["lps"], "acth").sel(time=slice(LPS - 1, LPS + 10)),
                label="ACTH / baseline")
        shade_band(ax, *self.band("time of cortisol peak"),
                   *self.band("cortisol peak / baseline"), "cortisol band")
        ax.set(xlabel="hours after LPS", ylabel="fold change", yscale="log")


class Borovikova2000VagusStimulation(Study):
    id = "V25"
    title = "vagus nerve stimulation during endotoxemia: peak TNF"
    source = "Borovikova et al. 2000; Addorisio et al. 2019"
    protocol_text = "as V08, with vagus nerve stimulation (intensity 1) from 08:30 to 12:00"

    def scenarios(self) -> dict:
        return {"lps": endotoxemia(),
                "vns": endotoxemia([{"type": "vagus_nerve_stimulation", "start": "day 1 08:30",
                                     "duration": "3.5 h", "intensity": 1.0}])}

    def run(self, *, parameters=None, model=None) -> StudyResult:
        sc = self.scenarios()
        base = simulate(sc["lps"], parameters=parameters, model=model)
        vns = simulate(sc["vns"], parameters=parameters, model=model)
        p0, _ = peak(base, "tnf", LPS, LPS + 8)
        p1, _ = peak(vns, "tnf", LPS, LPS + 8)
        return StudyResult(self, [self.check("peak TNF reduction", 100 * (1 - p1 / p0))],
                           {"lps": base, "vns": vns})

    def plot(self, result, ax):
        for key, label in (("lps", "LPS"), ("vns", "LPS + VNS")):
            ds = result.data[key].sel(time=slice(LPS - 1, LPS + 8))
            ax.plot(ds.time - LPS, ds.tnf, label=label)
        ax.set(xlabel="hours after LPS", ylabel="TNF (pg/mL)")


class JInfectDis1998ActhTightened(Study):
    id = "V10b"
    title = "human endotoxemia (2 ng/kg): ACTH peak, tightened band"
    source = "J Infect Dis 1998;178:887 (ACTH 3.2 -> 133 pmol/L, about 42 x)"
    protocol_text = "lps_bolus 2 ng/kg at 09:00 (the V10 scenario); ACTH peak within 10 h"
    def run(self, *, parameters=None, model=None) -> StudyResult:
        ds = simulate(endotoxemia(), parameters=parameters, model=model)
        a0 = value_at(ds, "acth", LPS)
        ap, tap = peak(ds, "acth", LPS, LPS + 10)
        result = StudyResult(self, [self.check("ACTH peak / baseline", ap / a0)],
                             {"lps": ds})
        result.note = (f"ACTH {a0:.3g} -> {ap:.3g} pmol/L ({ap / a0:.3g} x) at "
                       f"{tap - LPS:.2g} h (published 3.2 -> 133 pmol/L)")
        return result

    def plot(self, result, ax):
        full = result.data["lps"]
        ds = full.sel(time=slice(LPS - 1, LPS + 10))
        ax.plot(ds.time - LPS, ds.acth / value_at(full, "acth", LPS), label="ACTH / baseline")
        lo, hi = self.band("ACTH peak / baseline")
        shade_band(ax, 0, 10, lo, hi, f"published band ({lo:g}-{hi:g} x)")
        ax.set(xlabel="hours after LPS", ylabel="fold change", yscale="log")
