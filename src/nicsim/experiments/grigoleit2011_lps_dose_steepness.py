"""V51 (prediction row): how steeply the cytokine peaks rise from a low to the standard
endotoxin dose (issue 11, "check the cytokine response across the published human LPS dose
range"). Nothing is fitted to this row.

The model's peak TNF and IL-6 over the human dose range (the V38 scenario: bolus at 09:00 after
waking at 07:00, peaks within 8 h; current default parameter set)::

    dose (ng/kg)        0.4    0.8    1      1.5    2      4
    peak TNF (pg/mL)    12.2   24.1   35.6   273    299    320
    peak IL-6 (pg/mL)   18.6   37.0   54.1   689    821    932

Below about 1 ng/kg the response is nearly proportional to the dose; between 1 and 1.5 ng/kg it
jumps eightfold, and above 2 ng/kg it saturates. The jump is the TNF amplification of monocyte
activation of the Windoloski model (``immune.kMTNF`` 8.65/h against the LPS-only rate
``immune.kM`` 0.041/h, half-maximal at ``immune.xMTNF`` = 141 pg/mL TNF, Hill exponent 3.16):
once a dose pushes TNF towards 140 pg/mL, activated monocytes make TNF that activates more
monocytes, a near all-or-none switch; below it nothing amplifies the LPS signal.

What was found (searched for per-dose peaks of the same lab and assay across doses):

* Within-study per-dose peaks were not reachable: Dillingh et al. 2014 (0.5/1/2 ng/kg, 6 per
  dose), Suffredini et al. 1999 (1/2/4 ng/kg CCRE, 20 men), Grigoleit et al. 2011 (0.4 ng/kg,
  n = 18, and 0.8 ng/kg, n = 16; PLoS One 6:e28330), Wegner et al. 2014 (0.4 and 0.8 ng/kg),
  Kiers et al. 2017 (1 and 2 ng/kg bolus, Radboud lot 94332B1) and Hijma et al. 2020 (1 and 2
  ng/kg, 12 each) all state in their abstracts only that the responses were dose-related; their
  per-dose numbers are in figures and full texts that the search could not read.
* The only per-dose peaks found are figure read-offs by a third party: the public code of
  Somvanshi et al. 2020 (MATLAB driver of their circadian-neuroendocrine-immune model) lists
  mean time courses digitised from published figures. At 0.4 ng/kg E. coli LPS (attributed there
  to Grigoleit et al.; Essen group; sampling 0, 1, 1.5, 2, 3, 4, 6 h, which is not exactly the
  1, 1.75, 3, 4, 6 h grid of Grigoleit 2011's abstract): TNF peak 89 pg/mL at 1.5 h (error
  10.7, read as SEM), IL-6 peak 132 pg/mL at 2 h. At 2 ng/kg (the same file; the sources named
  for its data are Copeland 2005, Clodi 2008 and Lauw; its IL-6 of 1010 pg/mL at 2 h matches
  Copeland et al. 2005's "about 1000 pg/mL 2 h after 2 ng/kg"): TNF peak 445 pg/mL at 1.5 h,
  IL-6 peak 1010 pg/mL at 2 h.

Read-outs and bands. Peak TNF and peak IL-6 after 2 ng/kg divided by those after 0.4 ng/kg (a
fivefold dose step). Published: 445/89 = 5.0 for TNF and 1010/132 = 7.65 for IL-6. The two
doses come from different studies, LPS lots and assays, so the ratio carries between-lab
variation on top of sampling error. Sampling alone (relative SEM about 12 % for each peak) gives
about +/-0.34 on the log ratio at 2 standard errors, a factor 1.4; the same nominal 2 ng/kg gave
TNF peaks from 150-400 pg/mL (V08's band from Copeland 2005) to 445 pg/mL here, and LPS lots
differ in potency (Suffredini 1999: the older EC-5 lot had lost potency). The band is therefore
one third to three times the published ratio, a judgement: TNF 1.67-15.0 x, IL-6 2.55-22.95 x.
It is wider than the half-to-twice bands of V38's within-study contrasts for that reason, and
it would be replaced by a within-study band (log ratio +/- 2 SE from the reported SDs) once the
per-dose peaks of Dillingh 2014, Suffredini 1999 or Grigoleit 2011 are read from their tables.

How much the verdict depends on the read-out: the two digitised series start from different
baselines (TNF 9 vs 3.3 pg/mL, IL-6 3.3 vs 6.9 pg/mL at 0.4 and 2 ng/kg), a sign of different
assays. Rises over each series' own baseline would give 13.5 x for TNF (89/9 = 10 x at 0.4 ng/kg
against 445/3.3 = 134 x at 2 ng/kg) and 3.7 x for IL-6; the model, whose baseline is the same at
every dose, has 24.6 x and 44 x either way. With that read-out TNF would fall inside a
threefold band and IL-6 would fail further. The ratio of peaks was chosen before these
baselines were looked at and is kept; the TNF half of the failure is therefore not robust, the
IL-6 half is. Relative to its own no-LPS day the model's 0.5 ng/kg response matches Dillingh
2014 (V38 passes, 5.1 x against 5.13 x for TNF), so the discrepancy lies in the step from about
1 to 2 ng/kg, which no within-study number here can size yet.

The row fails (TNF 27.7 x, IL-6 48 x): see ``expected_failure``. No parameter was changed for it.
"""

from __future__ import annotations

from nicsim.analysis.readouts import peak
from nicsim.experiments.base import Study, StudyResult
from nicsim.experiments.dillingh2014_lps_dose_range import LPS, _lps
from nicsim.solve.simulate import simulate

LOW, HIGH = 0.4, 2.0
DOSES = (0.4, 0.8, 1.0, 2.0, 4.0)  # 0.8, 1 and 4 ng/kg for the note and the figure only


class Grigoleit2011LpsDoseSteepness(Study):
    id = "V51"
    title = "endotoxin dose-response steepness: cytokine peaks at 2 vs 0.4 ng/kg"
    source = ("Grigoleit et al. 2011 (0.4 ng/kg) and a 2 ng/kg series (Copeland et al. 2005), "
              "as digitised by Somvanshi et al. 2020")
    protocol_text = ("lps_bolus 0.4, 0.8, 1, 2 or 4 ng/kg at 09:00 (the V38 scenario); peak "
                     "TNF and IL-6 within 8 h; checks: 2 ng/kg over 0.4 ng/kg")
    expected_failure = (
        "the model's cytokine response is a near switch between 1 and 1.5 ng/kg (peak TNF 26 -> "
        "238 pg/mL) instead of the sub-proportional rise published over the human dose range: "
        "the Windoloski TNF amplification of monocyte activation (kMTNF 8.65/h against the "
        "LPS-only kM 0.041/h, half-maximal at xMTNF = 141 pg/mL TNF, Hill 3.16) stays off at low "
        "doses, so 0.4 ng/kg gives 10.5 pg/mL TNF (published about 89) while 2 ng/kg, fitted to "
        "V08, gives 292; the 2/0.4 ratios are 27.7 x (TNF) and 48 x (IL-6). The TNF verdict "
        "depends on the read-out (over each digitised series' own baseline the published TNF "
        "ratio is 13.5 x); the IL-6 one does not (3.7 x)")

    def scenarios(self) -> dict:
        return {f"{d:g} ng/kg": _lps(d) for d in DOSES}

    def run(self, *, parameters=None, model=None) -> StudyResult:
        data = {k: simulate(sc, parameters=parameters, model=model)
                for k, sc in self.scenarios().items()}
        pk = {d: {n: peak(data[f"{d:g} ng/kg"], n, LPS, LPS + 8)[0] for n in ("tnf", "il6")}
              for d in DOSES}
        checks = [
            self.check("peak TNF 2 / 0.4 ng/kg", pk[HIGH]["tnf"] / pk[LOW]["tnf"]),
            self.check("peak IL-6 2 / 0.4 ng/kg", pk[HIGH]["il6"] / pk[LOW]["il6"]),
        ]
        result = StudyResult(self, checks, data)
        result.note = ("peak TNF " + ", ".join(f"{pk[d]['tnf']:.3g}" for d in DOSES)
                       + " and IL-6 " + ", ".join(f"{pk[d]['il6']:.3g}" for d in DOSES)
                       + " pg/mL at " + ", ".join(f"{d:g}" for d in DOSES) + " ng/kg")
        return result

    def plot(self, result, ax):
        for d in DOSES:
            ds = result.data[f"{d:g} ng/kg"].sel(time=slice(LPS - 0.5, LPS + 8))
            ax.plot(ds.time - LPS, ds.tnf, label=f"TNF, {d:g} ng/kg")
        ax.scatter([1.5, 1.5], [89.0, 445.0], color="k", zorder=3,
                   label="published peaks (0.4 and 2 ng/kg, read-offs)")
        ax.set(xlabel="hours after LPS", ylabel="TNF (pg/mL)", yscale="log")
