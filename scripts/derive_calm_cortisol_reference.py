"""Derive the calm-day free-cortisol reference that barrier, collagen and DTH read stress against.

``barrier.cortisol_ref``, ``collagen.cortisol_ref`` and ``dth.cortisol_reference`` are "the 24-h
mean free cortisol of a calm day in this model": the level at which the skin modules' cortisol
terms are neutral (collagen synthesis 1, no slowing of barrier repair, resting leukocyte
traffic). They must follow the HPA core: after the rebuild of issue 11 the calm mean fell from
11.8 to 9.6 nmol/L, and collagen synthesis of a calm person sat at 1.16 instead of 1.

The probe: the default person (parameter set 'default'), settled, three days without any
protocol; the mean of free cortisol over the third day. Nothing here reads a validation row.

The same probe gives ``barrier.gr_calm_peak``: the highest value over the third day of the
barrier module's epidermal glucocorticoid-receptor signal (free cortisol lagged by
``barrier.gr_half_life``), the level above which the acute glucocorticoid route slows
lamellar-body secretion (the morning peak of a calm day is neutral).

Usage: .venv/bin/python scripts/derive_calm_cortisol_reference.py
"""

from __future__ import annotations

from nicsim.protocols import Scenario
from nicsim.solve.simulate import simulate


def calm_day(parameters: dict | None = None):
    """The third day (48-72 h) of a calm settled default person (or one with ``parameters``),
    states included."""
    sc = Scenario.from_dict({"name": "calm-day", "start": "00:00", "duration": "3 days",
                             "output_interval": "10 min", "protocol": [],
                             "initial_state": "settled", "outputs": ["cortisol_free"]})
    return simulate(sc, parameters=parameters, include_states=True).sel(time=slice(48.0, 72.0))


def calm_mean_free_cortisol() -> float:
    return float(calm_day().cortisol_free.mean())


def calm_peak_gr_signal() -> float:
    return float(calm_day()["state__barrier__gr_signal"].max())


if __name__ == "__main__":
    print(f"24-h mean free cortisol of a calm settled day: {calm_mean_free_cortisol():.2f} nmol/L")
    print(f"highest epidermal GR signal (barrier.gr_calm_peak) of that day: "
          f"{calm_peak_gr_signal():.2f} nmol/L")
