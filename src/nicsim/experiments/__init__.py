"""Published studies re-run in silico (one class per study, one file per paper).

Every file in this package is imported here so that its Study subclasses register themselves;
``STUDIES`` lists them by row id.
"""

from __future__ import annotations

import importlib
import pkgutil
import re

from nicsim.experiments.base import REGISTRY, Check, Study, StudyResult

for _info in pkgutil.iter_modules(__path__):
    if not _info.name.startswith("_") and _info.name != "base":
        importlib.import_module(f"{__name__}.{_info.name}")


def _key(row_id: str):
    m = re.match(r"([A-Za-z]*)(\d+)(.*)", row_id)
    return (m.group(1), int(m.group(2)), m.group(3)) if m else (row_id, 0, "")


STUDIES: tuple[type[Study], ...] = tuple(REGISTRY[k] for k in sorted(REGISTRY, key=_key))


def all_studies() -> list[Study]:
    return [cls() for cls in STUDIES]


def study(row_id: str) -> Study:
    try:
        return REGISTRY[row_id]()
    except KeyError:
        raise KeyError(f"no study for row {row_id!r}; rows: "
                       f"{', '.join(c.id for c in STUDIES)}") from None


__all__ = ["STUDIES", "Check", "Study", "StudyResult", "all_studies", "study"]
