"""Published studies re-run in silico (one class per study) and the validation runner."""

from __future__ import annotations

from nicsim.experiments.base import Check, Study, StudyResult
from nicsim.experiments.copeland2005_endotoxemia import (
    Borovikova2000VagusStimulation,
    Copeland2005EndotoxemiaCytokines,
    Copeland2005EndotoxemiaFever,
    JInfectDis1998EndotoxemiaHPA,
)
from nicsim.experiments.debono2009_circadian import Debono2009CircadianCortisol
from nicsim.experiments.gu2022_tsst_cohort import Gu2022TSSTCohort
from nicsim.experiments.keenan2004_clearance import Keenan2004Clearance
from nicsim.experiments.kirschbaum1993_tsst import (
    Kirschbaum1993TSST,
    Steptoe2001StressHeartRate,
    Steptoe2001StressIL6,
)
from nicsim.experiments.pruessner1997_awakening import Pruessner1997AwakeningResponse

STUDIES: tuple[type[Study], ...] = (
    Debono2009CircadianCortisol, Keenan2004Clearance, Pruessner1997AwakeningResponse,
    Kirschbaum1993TSST, Gu2022TSSTCohort, Steptoe2001StressIL6, Steptoe2001StressHeartRate,
    Copeland2005EndotoxemiaCytokines, Copeland2005EndotoxemiaFever, JInfectDis1998EndotoxemiaHPA,
    Borovikova2000VagusStimulation,
)


def all_studies() -> list[Study]:
    return [cls() for cls in STUDIES]


def study(row_id: str) -> Study:
    for cls in STUDIES:
        if cls.id == row_id:
            return cls()
    raise KeyError(f"no study for row {row_id!r}; rows: {', '.join(c.id for c in STUDIES)}")


__all__ = ["STUDIES", "Check", "Study", "StudyResult", "all_studies", "study"]
