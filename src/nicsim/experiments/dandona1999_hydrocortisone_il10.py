"""V53: plasma IL-10 after a 100-mg intravenous hydrocortisone bolus, without endotoxin
(Dandona, Aljada, Garg & Mohanty 1999, J Clin Endocrinol Metab 84:1141).

Published: seven healthy subjects, hydrocortisone 100 mg i.v. between 08:00 and 09:00; plasma
IL-10 (mean +/- SD) 3.0 +/- 1.3 pg/mL at 2 h, 9 +/- 4.2 at 4 h (the peak, 436 % of basal), 3.7 +/-
1.8 at 8 h; "restoration to baseline by 8 h".

Bands (log ratio +/- 2 SE from the reported SDs, n = 7; the basal SD is not in the abstract, so
the peak ratio's SE is the 4-h one times sqrt 2):
- IL-10 at 4 h / before: 4.36, SE of the log ratio 0.25 -> 2.64-7.19.
- IL-10 at 2 h / at 4 h: 0.33, SE sqrt((1.3/3.0/sqrt 7)^2 + (4.2/9/sqrt 7)^2) = 0.24 ->
  0.21-0.54 (the rise is delayed: most of it comes between 2 and 4 h).
- IL-10 at 8 h / at 4 h: 0.41, SE 0.26 -> 0.25-0.68 (it falls back within hours).

This row sizes the glucocorticoid induction of IL-10 in the immune module (``immune.il10_gc_*``,
calibration group ``il10_glucocorticoid``); V52 (hydrocortisone before endotoxin) and V39 (IL-10
by time of day) stay predictions.

Protocol in the model: ``hydrocortisone_bolus`` 100 mg at 08:30 (the middle of the published
hour), values relative to 08:30.
"""

from __future__ import annotations

from nicsim.experiments._protocols import scenario
from nicsim.experiments.base import Study, StudyResult
from nicsim.solve.simulate import simulate

DOSE_AT = 8.5  # hours after the scenario start (00:00)
BOLUS = {"type": "hydrocortisone_bolus", "at": "day 1 08:30", "dose": "100 mg"}


class Dandona1999HydrocortisoneIl10(Study):
    id = "V53"
    title = "Hydrocortisone 100 mg i.v. without endotoxin: plasma IL-10 rises for hours"
    source = "Dandona et al. 1999"
    protocol_text = ("hydrocortisone_bolus 100 mg at 08:30; plasma IL-10 at 2, 4 and 8 h "
                     "against its value at 08:30 and against each other")

    def scenarios(self) -> dict:
        return {"bolus": scenario("hydrocortisone-bolus", "20 h", [BOLUS], start="00:00",
                                  interval="10 min")}

    def run(self, *, parameters=None, model=None) -> StudyResult:
        ds = simulate(self.scenarios()["bolus"], parameters=parameters, model=model)

        def il10(h):
            return float(ds.il10.sel(time=DOSE_AT + h, method="nearest"))

        before, at2, at4, at8 = il10(0.0), il10(2.0), il10(4.0), il10(8.0)
        return StudyResult(self, [
            self.check("IL-10 at 4 h / before", at4 / before),
            self.check("IL-10 at 2 h / at 4 h", at2 / at4),
            self.check("IL-10 at 8 h / at 4 h", at8 / at4),
        ], {"bolus": ds}, note=f"IL-10 {before:.2f} pg/mL before, {at2:.2f} at 2 h, {at4:.2f} at "
                               f"4 h, {at8:.2f} at 8 h (published 3.0, 9.0, 3.7 at 2, 4, 8 h)")

    def plot(self, result, ax):
        ds = result.data["bolus"].sel(time=slice(DOSE_AT - 1, DOSE_AT + 10))
        t = ds.time - DOSE_AT
        before = float(ds.il10.sel(time=DOSE_AT, method="nearest"))
        ax.plot(t, ds.il10 / before, color="tab:purple", label="IL-10 / before, model")
        # published means over the basal implied by "436 % of basal" at the 9-pg/mL peak
        basal = 9.0 / 4.36
        ax.plot([2, 4, 8], [3.0 / basal, 9.0 / basal, 3.7 / basal], "o", color="black",
                label="Dandona 1999 (means / implied basal)")
        ax.set(xlabel="hours after hydrocortisone 100 mg i.v.", ylabel="plasma IL-10 / before")
        ax.legend(loc="upper left", fontsize=8)
        ax2 = ax.twinx()
        ax2.plot(t, ds.cortisol_serum, color="tab:gray", lw=0.8)
        ax2.set(ylabel="serum cortisol, nmol/L (grey)", yscale="log")
