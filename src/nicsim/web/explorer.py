"""The explorer's controls as nicsim scenarios, and the simulated read-outs as chart data.

No model equations or event presets live here: a choice of person, situation and plan becomes a
:class:`nicsim.Scenario` through :mod:`nicsim.clinic.scenario_presets` and is run with
:func:`nicsim.simulate`. Every event the app adds is listed back to the page as an assumption.

Both arms start **settled**: from the person's own steady state on her habitual day (the run
pipeline's ``settled`` policy), so that a chart moves only because of the situation and the
plan, not because the start was not the person's usual state. The settled state is computed
once per person (the arms share it) and kept for the last 64 persons.
"""

from __future__ import annotations

import json
import math
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Literal

import numpy as np
from pydantic import BaseModel, Field, ValidationError, field_validator

import nicsim
from nicsim._default import default_model
from nicsim.clinic.scenario_presets import PLANS, SITUATIONS, preset_scenarios
from nicsim.errors import NicsimError
from nicsim.io.diagram import network_png
from nicsim.model.mechanisms import MECHANISMS, declaring_modules
from nicsim.solve.problem import build_problem
from nicsim.solve.run import initial_states

CONDITIONS = ("none", "eczema", "psoriasis", "acne", "rosacea", "vitiligo")
#: The read-out that shows each condition (model outputs; see docs/model.md).
CONDITION_READOUT = {"eczema": ("easi", "EASI"), "psoriasis": ("pasi", "PASI"),
                     "acne": ("acne_lesions", "acne lesions"),
                     "rosacea": ("rosacea_erythema", "rosacea erythema"),
                     "vitiligo": ("vitiligo_bsa", "vitiligo BSA, %"), "none": ("dlqi", "DLQI")}
#: Conditions whose itch has its own output (the general "itch" is the neurogenic itch).
CONDITION_ITCH = {"eczema": ("eczema_itch", "itch (eczema)", "0-10")}
#: Charts shown: (output, label, unit).
READOUTS = (("cortisol_serum", "cortisol (serum)", "nmol/L"),
            ("il6", "inflammation: IL-6", "pg/mL"),
            ("barrier_integrity", "skin barrier integrity", "0-1"),
            ("itch", "itch", "0-10"))


class ExplorerRequest(BaseModel):
    """The controls. Bounds are those of :class:`nicsim.protocols.scenario.Person`."""

    model_config = {"extra": "forbid"}

    sex: Literal["female", "male"] = "female"
    age: float = Field(35, ge=18, le=100)
    stress_reactivity: float = Field(1.0, ge=0.2, le=5.0)
    condition: Literal["none", "eczema", "psoriasis", "acne", "rosacea", "vitiligo"] = "eczema"
    susceptibility: float = Field(1.0, ge=0.0, le=5.0)
    situation: Literal["none", "chronic_work_stress", "exam_week", "short_nights", "conflict",
                       "tsst"] = "chronic_work_stress"
    plan: list[Literal["slow_breathing", "mindfulness", "sleep_schedule", "social_support",
                       "emollient", "topical_steroid", "nb_uvb"]] = []
    weeks: int = Field(4, ge=1, le=12)

    @field_validator("plan")
    @classmethod
    def _unique(cls, v: list[str]) -> list[str]:
        """A plan item ticked twice is one item."""
        return list(dict.fromkeys(v))


class Chart(BaseModel):
    id: str
    label: str
    unit: str
    no_plan: list[float | None]
    plan: list[float | None]
    end_no_plan: float | None
    end_plan: float | None


class ExplorerResult(BaseModel):
    """Chart data: time in days, one chart per read-out, the assumptions in words."""

    t_days: list[float]
    charts: list[Chart]
    assumptions: list[str]
    has_plan: bool


class ExplorerInputError(ValueError):
    """Bad control values, with the field, the value and what is allowed."""


def parse_request(data: dict) -> ExplorerRequest:
    try:
        return ExplorerRequest.model_validate(data)
    except ValidationError as exc:
        msgs = []
        for e in exc.errors():
            field = ".".join(str(p) for p in e["loc"]) or "request"
            msgs.append(f"{field}: {e.get('input')!r} is not allowed ({e['msg']})")
        raise ExplorerInputError("; ".join(msgs)) from None


def scenarios(req: ExplorerRequest) -> tuple[dict, dict]:
    """(no plan, with plan) scenario dicts; the presets live in
    :func:`nicsim.clinic.scenario_presets.preset_scenarios`."""
    return preset_scenarios(**req.model_dump())


def _series(ds, name: str, step: int) -> list[float | None]:
    v = np.asarray(ds[name].values, dtype=float)[::step]
    return [None if not math.isfinite(x) else round(float(x), 4) for x in v]


def _event_text(e: dict, arm: str) -> str:
    return f"{arm}: event {e['type']}: " + ", ".join(f"{k}={v}" for k, v in e.items()
                                                      if k != "type")


_CACHE: dict[str, object] = {}
_CACHE_MAX = 64
_CACHE_LOCK = threading.Lock()
#: Runs the plan arm while the request's thread runs the no-plan arm. The engine releases the
#: GIL inside the integrator, so the two arms' solves overlap on two cores.
_ARM_POOL = ThreadPoolExecutor(max_workers=2, thread_name_prefix="explorer-arm")
#: Set once one run has loaded the compiled model in this process; until then runs are serial
#: (two threads would otherwise compile or load the same model at the same time).
_MODEL_LOADED = threading.Event()
_LOAD_LOCK = threading.Lock()


_SETTLED: dict[str, np.ndarray] = {}
_SETTLE_LOCK = threading.Lock()


def settled_start(scenario: dict) -> np.ndarray:
    """The person's settled state at the scenario's start clock (canonical state vector),
    computed by the run pipeline's ``settled`` policy once per (person, start) and kept for the
    last 64; both arms of a request share it."""
    key = json.dumps({"person": scenario["person"], "start": scenario["start"]}, sort_keys=True)
    with _SETTLE_LOCK:  # one settling per person, even when both arms ask at once
        hit = _SETTLED.get(key)
        if hit is None:
            model = default_model()
            problem = build_problem(model, nicsim.Scenario.from_dict(scenario),
                                    initial_state="settled")
            hit = initial_states(problem)[0][0]
            if len(_SETTLED) >= _CACHE_MAX:
                _SETTLED.pop(next(iter(_SETTLED)))
            _SETTLED[key] = hit
    return hit.copy()


def simulate_arm(scenario: dict):
    """One arm from the person's settled state; results kept for the last 64 distinct scenarios
    (a change of plan alone re-runs only the plan arm)."""
    key = json.dumps(scenario, sort_keys=True)
    with _CACHE_LOCK:
        hit = _CACHE.get(key)
    if hit is not None:
        return hit
    ds = nicsim.simulate(nicsim.Scenario.from_dict(scenario), y0=settled_start(scenario))
    with _CACHE_LOCK:
        if key not in _CACHE and len(_CACHE) >= _CACHE_MAX:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = ds
    return ds


def simulate_arms(no_plan: dict, with_plan: dict | None):
    """(no-plan, plan) datasets; the plan arm (if any) runs in a second thread."""
    if not _MODEL_LOADED.is_set():
        with _LOAD_LOCK:
            ds0 = simulate_arm(no_plan)
            _MODEL_LOADED.set()
        return ds0, (simulate_arm(with_plan) if with_plan is not None else ds0)
    if with_plan is None:
        ds0 = simulate_arm(no_plan)
        return ds0, ds0
    plan_arm = _ARM_POOL.submit(simulate_arm, with_plan)
    try:
        ds0 = simulate_arm(no_plan)
    finally:
        ds1 = plan_arm.result()
    return ds0, ds1


def run(req: ExplorerRequest) -> dict:
    """Simulate both arms; chart data (hourly for 4 weeks or less, else every 3 h)."""
    no_plan, with_plan = scenarios(req)
    try:
        ds0, ds1 = simulate_arms(no_plan, with_plan if req.plan else None)
    except NicsimError as exc:
        raise ExplorerInputError(str(exc)) from None
    step = 1 if req.weeks <= 4 else 3
    t_days = [round(float(t) / 24.0, 4) for t in np.asarray(ds0["time"].values)[::step]]
    readouts = list(READOUTS)
    itch = CONDITION_ITCH.get(req.condition)
    if itch:
        readouts = [itch if r[0] == "itch" else r for r in readouts]
    out_name, out_label = CONDITION_READOUT[req.condition]
    readouts.append((out_name, f"skin condition: {out_label}", ""))
    charts = []
    for name, label, unit in readouts:
        a, b = _series(ds0, name, step), _series(ds1, name, step)
        charts.append({"id": name, "label": label, "unit": unit, "no_plan": a, "plan": b,
                       "end_no_plan": a[-1], "end_plan": b[-1]})
    assumptions = ([f"situation: {SITUATIONS[req.situation]}"]
                   + [f"plan: {PLANS[p]}" for p in req.plan]
                   + [_event_text(e, "both arms" if e in no_plan["protocol"] else "plan arm")
                      for e in with_plan["protocol"]]
                   + [_event_text(e, "no-plan arm only") for e in no_plan["protocol"]
                      if e not in with_plan["protocol"]]
                   + ["person: " + ", ".join(f"{k}={v}" for k, v in no_plan["person"].items()),
                      "all other traits and parameters: nicsim defaults "
                      "(docs/parameters.md lists each with its source)"])
    return {"t_days": t_days, "charts": charts, "assumptions": assumptions,
            "has_plan": bool(req.plan)}


# ---------------------------------------------------------------- model declarations
def mechanisms() -> list[dict]:
    return [{"id": m.id, "title": m.title, "status": m.status} for m in MECHANISMS]


def mechanism_detail(mechanism_id: str) -> dict | None:
    """What a mechanism is, where it enters and shows, and the declaring modules' gist."""

    mech = next((m for m in MECHANISMS if m.id == mechanism_id), None)
    if mech is None:
        return None
    net = nicsim.build_network()
    modules = []
    for name in declaring_modules(mech.id, net):
        mod = net.modules[name]
        refs = sorted({str(getattr(p.source, "refs", ()) and ", ".join(p.source.refs))
                       for p in mod.parameters.values() if getattr(p.source, "refs", ())})
        kinds: dict[str, int] = {}
        for p in mod.parameters.values():
            k = type(p.source).__name__
            kinds[k] = kinds.get(k, 0) + 1
        modules.append({
            "name": name, "title": mod.title,
            "doc": [" ".join(par.split()) for par in (mod.doc or "").split("\n\n")
                    if par.strip()],
            "equations": [f"d{s.name}/dt = {s.rate}" for s in mod.states.values()][:12],
            "equation_notes": list(mod.equation_notes or ())[:8],
            "sources": refs[:20], "source_kinds": kinds,
        })
    return {"id": mech.id, "title": mech.title, "status": mech.status,
            "events": list(mech.events), "observables": list(mech.observables),
            "note": mech.note, "modules": modules}


_NETWORK_SVG: str | None = None


def network_svg() -> str:
    """The network diagram of :func:`nicsim.io.diagram.network_png`, drawn once as SVG."""
    global _NETWORK_SVG
    if _NETWORK_SVG is None:
        import tempfile
        from pathlib import Path

        with tempfile.TemporaryDirectory() as d:
            p = network_png(nicsim.build_network(), Path(d) / "network.svg")
            _NETWORK_SVG = Path(p).read_text()
    return _NETWORK_SVG
