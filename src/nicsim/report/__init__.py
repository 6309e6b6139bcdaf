"""Reports: the validation report (published studies re-run) and the demo.

* :func:`run_validation` / :func:`write_validation_report`: ``validation.md``,
  ``validation.html``, ``figures/<row>.png`` and optional JSON records;
* :func:`run_demo` / :func:`write_demo_report` / :func:`format_summary_table`: eczema-prone
  skin through a stressful stretch, four arms over 8 weeks (``demo.html``,
  ``figures/demo_*.png``, ``<arm>.nc``).

Names are imported lazily so that ``import nicsim.report`` stays cheap.
"""

from __future__ import annotations

from nicsim._optional import lazy_names

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

__getattr__, __dir__ = lazy_names(__name__, _EXPORTS)
