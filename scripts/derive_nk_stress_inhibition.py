"""Derive herpes.nk_stress_inhibition from the exam-stress NK fall (issue 11, section 3).

The NK capacity loses cytotoxicity through three routes that add up: glucocorticoids,
sustained catecholamines and a lumped felt-stress route. The lumped route is sized to what the
hormone routes leave of the published exam-stress fall (about a third; Kiecolt-Glaser et al.
1986; Herbert & Cohen 1993), so the routes do not double count. The scenario is a sizing probe,
not a validation row: a 21-year-old under a chronic stressor of 0.6 from 08:00 to 22:00 for
three weeks vs none, NK activity 10:00-12:00 on the last day. Nothing here reads a row's band
(V36 is a prediction row and is never used).

Usage: .venv/bin/python scripts/derive_nk_stress_inhibition.py [target_fall_pct]
"""

from __future__ import annotations

import sys

from nicsim.analysis.readouts import between
from nicsim.experiments._protocols import scenario
from nicsim.experiments._wounds import chronic
from nicsim.solve.simulate import simulate

PERSON = {"sex": "female", "age": 21, "sleep": {"bedtime": "23:00", "wake": "07:00"}}
DAYS = 21
READ = ((DAYS - 1) * 24 + 2.0, (DAYS - 1) * 24 + 4.0)


def nk_fall(rate: float) -> float:
    pars = {"herpes.nk_stress_inhibition": rate}

    def run(stressed):
        prot = [chronic("day 1 08:00", f"{DAYS} days", 0.6)] if stressed else []
        sc = scenario("exam stress", f"{DAYS + 1} days", prot, start="08:00", interval="1 h",
                      person=PERSON).replace(outputs=["nk_activity"])
        return float(between(simulate(sc, parameters=pars), *READ).nk_activity.mean())

    return 1 - run(True) / run(False)


def main(target: float = 100 / 3) -> float:
    # the steady NK capacity is prod / (prod + loss): the fall is loss / (prod + loss), so the
    # extra loss is linear in the rate; two runs give the hormone part and the slope
    f0, f1 = nk_fall(0.0), nk_fall(0.1)
    x0, x1 = f0 / (1 - f0), f1 / (1 - f1)        # loss / prod
    t = target / 100
    rate = 0.1 * (t / (1 - t) - x0) / (x1 - x0)
    print(f"hormone routes alone: {100 * f0:.1f} % fall; rate for {target:.1f} %: {rate:.3f} /day; "
          f"check: {100 * nk_fall(round(rate, 2)):.1f} % at {round(rate, 2)}")
    return rate


if __name__ == "__main__":
    main(*(float(a) for a in sys.argv[1:]))
