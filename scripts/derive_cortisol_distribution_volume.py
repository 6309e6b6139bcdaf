"""Derive the volume into which a hydrocortisone dose enters the model's serum cortisol.

The HPA module works in concentrations: the adrenal secretes nmol/L/h (``hpa.secretion_max``
is Dorin et al. 2012's maximal secretion rate in nmol/L/s) and free cortisol is cleared at
``hpa.free_clearance`` per hour. A dose (mg) becomes a concentration through
``hpa.distribution_volume``: the volume whose concentration the secretion term describes. It is
the same volume for both, or the model's daily cortisol production and an infused dose disagree.

The probe: the default person (parameter set 'default'), settled, three days without any
protocol. Over the third day the cortisol secreted equals the cortisol cleared (the day is
periodic), so the day's secretion in concentration units is ``free_clearance`` x the integral of
free cortisol. The measured daily production, 27.3 +/- 7.5 umol/day (9.9 +/- 2.7 mg/day; stable
isotope dilution in 12 healthy adults, Esteban et al. 1991; 25-30 umol/m2/day by serum
deconvolution and urinary isotope dilution, Kraan et al. 1998), divided by it gives the volume.
Nothing here reads a validation row.

The former value, 25 L (a one-compartment volume of distribution of hydrocortisone, Derendorf
1991), is an apparent volume at steady state that includes the tissue pool; the model has that
pool as its own state (``hpa.tissue_ratio``), so using 25 L made every dose about four times too
dilute (a 6-h infusion of 3 ug/kg/min raised serum cortisol only to the level of an endotoxin
response).

Usage: .venv/bin/python scripts/derive_cortisol_distribution_volume.py
"""

from __future__ import annotations

import numpy as np
from derive_calm_cortisol_reference import calm_day  # the same calm-day probe (scripts/)

from nicsim.model import build_network
from nicsim.parameter_sets import parameter_set_values

#: measured daily cortisol production (Esteban et al. 1991), nmol/day
PRODUCTION_NMOL_PER_DAY = 27_300.0


def daily_secretion_nmol_per_litre(parameters: dict | None = None) -> float:
    """Cortisol secreted over the third day of a calm settled person, in nmol/L."""
    day = calm_day(parameters)
    values = {**parameter_set_values("default"), **(parameters or {})}
    clearance = values.get("hpa.free_clearance",
                           build_network().modules["hpa"].parameters["free_clearance"].value)
    return float(clearance * np.trapezoid(day.cortisol_free.values, day.time.values))


def distribution_volume(parameters: dict | None = None) -> float:
    """Litres: measured daily production / the model's daily secretion in nmol/L."""
    return PRODUCTION_NMOL_PER_DAY / daily_secretion_nmol_per_litre(parameters)


if __name__ == "__main__":
    per_litre = daily_secretion_nmol_per_litre()
    print(f"cortisol secreted over a calm settled day: {per_litre:.0f} nmol/L")
    print(f"hpa.distribution_volume = {PRODUCTION_NMOL_PER_DAY:.0f} nmol/day / {per_litre:.0f} "
          f"nmol/L = {PRODUCTION_NMOL_PER_DAY / per_litre:.2f} L")
