"""Reports: the validation report (published studies re-run) and the demo.

* :func:`run_validation` / :func:`write_validation_report`: ``validation.md``,
  ``validation.html``, ``figures/<row>.png`` and optional JSON records;
* :func:`run_demo` / :func:`write_demo_report` / :func:`format_summary_table`: eczema-prone
  skin through a stressful stretch, four arms over 8 weeks (``demo.html``,
  ``figures/demo_*.png``, ``<arm>.nc``).

Names are imported lazily so that ``import nicsim.report`` stays cheap.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "run_validation": "nicsim.report.validation",
    "write_validation_report": "nicsim.report.validation",
    "FailedStudyResult": "nicsim.report.validation",
    "run_demo": "nicsim.report.demo",
    "write_demo_report": "nicsim.report.demo",
    "format_summary_table": "nicsim.report.demo",
    "DemoResult": "nicsim.report.demo",
    "ARMS": "nicsim.report.demo",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'nicsim.report' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
