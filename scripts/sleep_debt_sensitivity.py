"""How the prediction of V32 (Leproult 1997, one night of partial or total sleep loss) depends on
what V55 (Guyon 2014, two nights of 4 h in bed) cannot identify.

For each variant the calibration group ``sleep_hpa`` is re-fitted (one start from the table's
start, as ``nicsim calibrate --group sleep_hpa`` without writing anything) and V32 is run on the
result. Variants: the assumed half-maximal sleep debt ``hpa.sleep_debt_half`` (shipped 4 h), and
V55's assumed evening window (shipped 18:00-24:00; the abstract gives none). Nothing is fitted
to V32: this only shows how far the held-out prediction moves. About 2 minutes.

    .venv/bin/python scripts/sleep_debt_sensitivity.py
"""

from __future__ import annotations

import nicsim.experiments.guyon2014_sleep_restriction_hpa as guyon
from nicsim.experiments import calibration as cal
from nicsim.experiments.leproult1997_sleep_loss_cortisol import Leproult1997SleepLossCortisol

SHIPPED_EVENING = guyon.EVENING
VARIANTS = [  # (label, sleep_debt_half in hours, V55 evening window in hours since the start)
    ("shipped: half-maximal debt 4 h, evening 18-24", 4.0, SHIPPED_EVENING),
    ("half-maximal debt 1 h", 1.0, SHIPPED_EVENING),
    ("half-maximal debt 2 h", 2.0, SHIPPED_EVENING),
    ("half-maximal debt 8 h", 8.0, SHIPPED_EVENING),
    ("V55 evening 18-23", 4.0, (59.0, 64.0)),
    ("V55 evening 20-24", 4.0, (61.0, 65.0)),
]


def main() -> None:
    group = cal.load_groups()["sleep_hpa"]
    print("| variant | hpa.sleep_gain | hpa.sleep_debt_drive_gain | V55 objective | V32 partial "
          "(band 15-70 %) | V32 lost night (band 15-70 %) |")
    print("|---|---|---|---|---|---|")
    try:
        for label, half, evening in VARIANTS:
            guyon.EVENING = evening
            base = {**cal.base_values(), "hpa.sleep_debt_half": half}
            fit = cal.fit_group(group, starts=1, base=base)
            values = {**fit.values, "hpa.sleep_debt_half": half}
            checks = Leproult1997SleepLossCortisol().run(parameters=values).checks
            partial, total = checks[0].value, checks[2].value
            print(f"| {label} | {values['hpa.sleep_gain']:.3f} | "
                  f"{values['hpa.sleep_debt_drive_gain']:.3f} | {fit.best:.2g} | "
                  f"{partial:+.1f} % | {total:+.1f} % |", flush=True)
    finally:
        guyon.EVENING = SHIPPED_EVENING


if __name__ == "__main__":
    main()
