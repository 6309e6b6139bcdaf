"""Published studies re-run in silico: one class per study, with protocol, read-outs and band.

A :class:`Study` knows its validation row (``id``), the scenario it runs, how to measure the
published read-outs from the simulated data (:meth:`Study.check` gives a :class:`Check` with the
band of ``targets.tsv``) and how to draw its figure. ``expected_failure`` documents, with the
reason, a row that does not pass after honest calibration: it stays in the report as failing.
The bands, their units, sources (``refs``) and kinds live in ``targets.tsv`` beside the studies
(:mod:`nicsim.experiments.targets`); ``magnitude`` (the row holds the model to a published size,
True, or only to a direction or ordering, False) and ``refs`` are read from there.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from nicsim.experiments.targets import band_text, study_targets, target


@dataclass
class Check:
    metric: str
    value: float
    lo: float
    hi: float
    unit: str = ""

    @property
    def passed(self) -> bool:
        return bool(np.isfinite(self.value) and self.lo <= self.value <= self.hi)

    @property
    def one_sided(self) -> bool:
        """True for bands that are a bound rather than a range ("at least 5 x", "below 5 %")."""
        lo, hi = self.lo, self.hi
        if not (math.isfinite(lo) and math.isfinite(hi)):
            return True
        return (lo > 0 and hi / lo > 20) or (hi > 0 and lo < -10 * hi)

    def distance(self) -> float:
        """0 inside the band, else the distance to the violated edge, in units of the band width
        (or of the edge's own magnitude when that is smaller, so one-sided bounds still bite)."""
        if not np.isfinite(self.value):
            return 10.0
        lo, hi = self.lo, self.hi
        if lo <= self.value <= hi:
            return 0.0
        edge = lo if self.value < lo else hi
        return abs(self.value - edge) / self._scale(edge)

    def _scale(self, edge: float) -> float:
        """Unit of distance() and margin() at ``edge``: the band width, or the edge's own
        magnitude when that is smaller (one-sided bounds)."""
        width = self.hi - self.lo if math.isfinite(self.hi - self.lo) else abs(edge)
        if edge != 0:
            width = min(width, abs(edge))
        return max(width, 1e-12)

    def margin(self) -> float:
        """Signed distance to the nearest band edge, in the units of :meth:`distance`: positive
        inside the band (how far the value may move before the check fails), ``-distance()``
        outside."""
        if not np.isfinite(self.value):
            return -10.0
        lo, hi = self.lo, self.hi
        if not lo <= self.value <= hi:
            return -self.distance()
        room = [(self.value - lo, lo), (hi - self.value, hi)]
        finite = [(r, e) for r, e in room if math.isfinite(r)]
        if not finite:  # an unbounded band: nothing to fail
            return math.inf
        r, edge = min(finite)
        return r / self._scale(edge)

    def band_text(self) -> str:
        return band_text(self.lo, self.hi, self.unit)


@dataclass
class StudyResult:
    study: Study
    checks: list[Check]
    data: dict = field(default_factory=dict)   # name -> xarray.Dataset used in the figure
    note: str = ""

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.checks)

    @property
    def status(self) -> str:
        return "pass" if self.passed else "fail"

    def worst(self) -> Check:
        failing = [c for c in self.checks if not c.passed]
        return max(failing, key=Check.distance) if failing else self.checks[0]

    def record(self) -> dict:
        w = self.worst()
        note = self.note or ""
        if self.study.expected_failure and not self.passed:
            note = (note + " " if note else "") + f"expected failure: {self.study.expected_failure}"
        return {
            "id": self.study.id, "status": self.status, "metric": w.metric,
            "value": None if not np.isfinite(w.value) else float(w.value),
            "band": [w.lo, w.hi], "note": note.strip(),
            "title": self.study.title, "source": self.study.source,
            "magnitude": self.study.magnitude,
            "checks": [{"metric": c.metric, "value": float(c.value), "band": [c.lo, c.hi],
                        "unit": c.unit, "status": "pass" if c.passed else "fail"}
                       for c in self.checks],
        }


REGISTRY: dict[str, type] = {}


class Study:
    """Base class; subclasses set the class attributes and implement run() and plot().

    Defining a subclass with an ``id`` registers it; ``nicsim.experiments`` imports every file
    of the package, so a new study needs no list to be edited.
    """

    def __init_subclass__(cls, **kw):
        super().__init_subclass__(**kw)
        if cls.__dict__.get("id"):
            if cls.id in REGISTRY and REGISTRY[cls.id] is not cls:
                raise ValueError(f"two studies claim row {cls.id}: {REGISTRY[cls.id].__name__} "
                                 f"and {cls.__name__}")
            REGISTRY[cls.id] = cls
            rows = study_targets().get(cls.id, ())
            if rows:
                cls.refs = tuple(dict.fromkeys(k for t in rows for k in t.source))
                cls.magnitude = any(t.kind == "size" for t in rows)

    id: str = ""
    title: str = ""
    source: str = ""          # citation text as in validation-targets.md
    refs: tuple[str, ...] = ()     # from targets.tsv: the citation keys of the row's checks
    protocol_text: str = ""
    cohort: bool = False
    magnitude: bool | None = None  # from targets.tsv: True if a check has kind 'size'
    expected_failure: str | None = None

    def check(self, metric: str, value: float) -> Check:
        """The check ``metric`` of this row measured as ``value``, with its band from
        ``targets.tsv`` (an unknown metric raises, listing the row's checks)."""
        t = target(self.id, metric)
        return Check(metric, value, t.low, t.high, t.unit)

    def band(self, metric: str) -> tuple[float, float]:
        """(low, high) of check ``metric`` of this row, from ``targets.tsv`` (for figures)."""
        t = target(self.id, metric)
        return t.low, t.high

    def scenarios(self) -> dict:
        """The scenarios this study runs, by name (defined by the studies whose protocol other
        code reuses, e.g. the PEtab export's challenges)."""
        raise NotImplementedError(f"study {self.id} does not list its scenarios")

    def run(self, *, parameters: dict | None = None, model=None) -> StudyResult:
        raise NotImplementedError

    def plot(self, result: StudyResult, ax) -> None:  # pragma: no cover - drawing
        raise NotImplementedError


# -- figures ------------------------------------------------------------------------------------
def shade_band(ax, x0, x1, lo, hi, label="published band", color="tab:green"):
    import matplotlib.patches as mpatches

    ax.add_patch(mpatches.Rectangle((x0, lo), x1 - x0, hi - lo, alpha=0.2, color=color,
                                    label=label, lw=0))
