"""V40: the delay from a herpes labialis trigger to the lesion (UV provocation of the lip).

Spruance et al. (1995) exposed 20 people with sun-induced herpes labialis to experimental UV on
three occasions: of 33 lesions, 7 (21 %) were "immediate" (within 48 h) and the others appeared
3-7 days after the exposure. The model's stage durations take the mean delay (2.9 days) and its
spread from a different UV study (Rooney et al. 1991); this row checks the shape of the
trigger-to-lesion distribution against Spruance's counts.

Protocol: a seropositive woman (35 y) gets one lip UV exposure (event ``lip_uv_exposure``) on
day 8 at 12:00; her lesion-onset rate above the rate of the day before the exposure is the
UV-triggered lesion density. Read-outs: the share of triggered lesions that appear within 48 h
(band: the 95 % Wilson interval of 7/33, 11-38 %), the share after 7 days (band 0-10 %: none
were reported after day 7) and the median delay (band 2-5 days, the range of the delayed
lesions' onsets in Spruance's UV studies).
"""

from __future__ import annotations

import numpy as np

from nicsim.experiments._protocols import scenario
from nicsim.experiments.base import Study, StudyResult
from nicsim.solve.simulate import simulate

PERSON = {"sex": "female", "age": 35, "sleep": {"bedtime": "23:00", "wake": "07:00"},
          "hsv1_seropositive": True}
EXPOSURE = 7 * 24 + 12.0  # day 8 12:00 (scenario starts day 1 00:00)
OUT = ["herpes_lesion_onset_rate", "herpes_recurrences", "herpes_lesions", "herpes_prodrome"]


def _scenario():
    sc = scenario("v40-lip-uv", "20 days", [{"type": "lip_uv_exposure", "at": "day 8 12:00"}],
                  interval="30 min", start="00:00", person=PERSON)
    return sc.replace(outputs=OUT)


def lag_density(ds) -> tuple[np.ndarray, np.ndarray]:
    """Days after the exposure and the excess lesion-onset rate (per day) at those times."""
    t = ds.time.values
    rate = ds.herpes_lesion_onset_rate.values
    base = float(rate[(t >= EXPOSURE - 24) & (t < EXPOSURE)].mean())
    after = t >= EXPOSURE
    return (t[after] - EXPOSURE) / 24, np.clip(rate[after] - base, 0.0, None)


def _share(days, dens, lo, hi) -> float:
    total = np.trapezoid(dens, days)
    sel = (days >= lo) & (days <= hi)
    return float(100 * np.trapezoid(dens[sel], days[sel]) / total)


def _median(days, dens) -> float:
    cum = np.concatenate([[0.0], np.cumsum(np.diff(days) * (dens[1:] + dens[:-1]) / 2)])
    return float(np.interp(cum[-1] / 2, cum, days))


class Spruance1995UvHerpesLag(Study):
    id = "V40"
    title = "herpes labialis: delay from a lip UV trigger to the lesion"
    source = "Spruance et al. 1995"
    protocol_text = ("seropositive woman, lip_uv_exposure on day 8 12:00; excess lesion-onset "
                     "rate over the day before; share of triggered lesions within 48 h, share "
                     "after 7 days, median delay")

    def run(self, *, parameters=None, model=None) -> StudyResult:
        ds = simulate(_scenario(), parameters=parameters, model=model)
        days, dens = lag_density(ds)
        return StudyResult(self, [
            self.check("triggered lesions within 48 h", _share(days, dens, 0.0, 2.0)),
            self.check("triggered lesions after 7 days", _share(days, dens, 7.0, days[-1])),
            self.check("median trigger-to-lesion delay", _median(days, dens)),
        ], {"uv": ds})

    def plot(self, result, ax):
        days, dens = lag_density(result.data["uv"])
        ax.plot(days, dens, color="tab:red", label="UV-triggered lesion onsets")
        ax.axvspan(0, 2, alpha=0.1, color="tab:orange", label="immediate (< 48 h)")
        ax.axvspan(3, 7, alpha=0.08, color="tab:blue", label="delayed lesions (3-7 d)")
        ax.set(xlabel="days after lip UV exposure", ylabel="lesion onsets (per day)")
