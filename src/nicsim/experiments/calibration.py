"""Calibration groups and the estimation pipeline behind ``nicsim calibrate``.

The groups are data: ``calibration_groups.yaml`` next to this file (PEtab-like: for each group
the parameters with bounds, start and scale, the rows it is fitted to, the rows held out, the
objective, the optimiser, the number of starts and the seed). :func:`load_groups` validates the
table (prediction rows V31-V37 are refused as fit rows and always held out; unknown parameter
ids and rows are named; a fit row may not also be held out). :func:`fit_group` runs a pyPESTO
multi-start optimisation of the group's objective with every other parameter at the shipped
parameter set; :func:`write_fit` stores the values and the fit's provenance in the group's part
of the parameter set; :func:`check_group` compares a re-fit with the shipped values;
:func:`identifiability` summarises the curvature of the objective at the optimum.

pyPESTO is the ``calibrate`` extra; it is imported only when a fit runs.
"""

from __future__ import annotations

import datetime as _dt
import itertools
import math
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np
import yaml

from nicsim._optional import require
from nicsim._version import __version__
from nicsim.core import Network
from nicsim.errors import NicsimError
from nicsim.experiments._wounds import closure_time, wound_area_mm2
from nicsim.experiments.kiecoltglaser1995_caregiver_wound import T_WOUND, run_wound
from nicsim.experiments.marucha1998_exam_wound import T_WOUND as T_MUC
from nicsim.experiments.marucha1998_exam_wound import run_mucosal
from nicsim.experiments.row_kinds import PREDICTION_ROWS, is_prediction_row
from nicsim.experiments.targets import study_targets
from nicsim.io.output import write_text
from nicsim.model import MODULES, build_network
from nicsim.parameter_sets import load_parameter_set, parameter_set_values

TABLE = "calibration_groups.yaml"
PARAMETER_SET_DIR = Path(__file__).resolve().parents[1] / "parameter_sets"
FAILED_RUN = 1e6  # objective of a row whose run raised
PROGRESS_EVERY = 25  # fit_group logs the best objective so far every this many evaluations
PROGRESS_SECONDS = 60.0  # ... or after this long without a progress line (slow objectives)
GRID_MAX_POINTS = 200  # optimizer.grid: at most this many grid points (grid ** parameters)
_GROUP_KEYS = {"file", "description", "fit_rows", "held_out", "parameters", "objective",
               "optimizer", "starts", "seed", "derive", "model", "check_tolerance"}
_PARAM_KEYS = {"start", "lower", "upper", "scale"}


class CalibrationTableError(NicsimError, ValueError):
    """The calibration-group table is invalid; the message names the group and the entry."""


@dataclass(frozen=True)
class ParameterSpec:
    id: str
    start: float
    lower: float
    upper: float
    scale: str = "log10"


@dataclass(frozen=True)
class Group:
    name: str
    file: str
    description: str
    parameters: tuple[ParameterSpec, ...]
    fit_rows: tuple[str, ...]
    held_out: tuple[str, ...]
    objective: dict
    optimizer: dict
    starts: int
    seed: int
    check_tolerance: float
    derive: dict | None = None
    model: str | None = None

    @property
    def ids(self) -> list[str]:
        return [p.id for p in self.parameters]

    def objective_text(self) -> str:
        o = self.objective
        if o["kind"] == "band":
            margin = o.get("margin_weight", 0)
            return ("sum over the checks of rows " + ", ".join(self.fit_rows) + " of d^2 + "
                    f"{o.get('centre_weight', 0.05)} x c^2 (d: distance outside the band in band "
                    "widths; c: distance from the band centre in band widths, two-sided bands)"
                    + (f" - {margin} x the smallest margin of any check (distance inside its "
                       "band to the nearest edge, in band widths; -d outside)" if margin else ""))
        return (f"((mean over seeds {o['seeds']} of check {o.get('check', 0)} of "
                f"{self.fit_rows[0]} - band centre) / band width)^2")


# ---------------------------------------------------------------------------- the table


def _known_rows() -> set[str]:
    return set(study_targets())


def _known_parameters() -> set[str]:
    return {p.id for p in build_network().parameters()}


def load_groups(path: str | Path | None = None, *, known_parameters: set[str] | None = None,
                known_rows: set[str] | None = None) -> dict[str, Group]:
    """The validated groups of the table at ``path`` (default: the one shipped)."""
    if path is None:
        where = f"the shipped table ({TABLE})"
        text = resources.files("nicsim.experiments").joinpath(TABLE).read_text(encoding="utf-8")
    else:
        where = str(path)
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as e:
            raise CalibrationTableError(f"cannot read the calibration table {where}: "
                                        f"{e.strerror or e}") from None
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(e, "problem", None) or str(e)
        raise CalibrationTableError(
            f"{where} is not valid YAML{at}: {problem} (a text containing ': ' must be "
            "quoted)") from None
    if not isinstance(data, Mapping):
        raise CalibrationTableError(f"{where}: expected a mapping with 'defaults' and 'groups', "
                                    f"got {type(data).__name__}")
    return parse_groups(data, known_parameters=known_parameters, known_rows=known_rows)


def parse_groups(data: Mapping, *, known_parameters: set[str] | None = None,
                 known_rows: set[str] | None = None) -> dict[str, Group]:
    defaults = dict(data.get("defaults") or {})
    groups = data.get("groups") or {}
    if not isinstance(groups, Mapping) or not groups:
        raise CalibrationTableError("the calibration table has no groups")
    params_known = _known_parameters() if known_parameters is None else known_parameters
    rows_known = _known_rows() if known_rows is None else known_rows
    out: dict[str, Group] = {}
    owner: dict[str, str] = {}
    for name, g in groups.items():
        where = f"calibration group {name!r}"
        unknown = set(g) - _GROUP_KEYS
        if unknown:
            raise CalibrationTableError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}; "
                                        f"allowed: {', '.join(sorted(_GROUP_KEYS))}")
        fit_rows = tuple(str(r) for r in g.get("fit_rows") or ())
        if not fit_rows:
            raise CalibrationTableError(f"{where}: no fit_rows")
        bad = [r for r in fit_rows if is_prediction_row(r)]
        if bad:
            raise CalibrationTableError(
                f"{where}: {', '.join(bad)} is a prediction row (V31-V37): prediction rows are "
                "always held out and may never be fitted")
        held = [str(r) for r in g.get("held_out") or ()]
        both = sorted(set(fit_rows) & set(held))
        if both:
            raise CalibrationTableError(f"{where}: row(s) {', '.join(both)} are both fitted and "
                                        "held out; a held-out row may not be a fit row")
        for r in (*fit_rows, *held):
            if r not in rows_known:
                raise CalibrationTableError(f"{where}: unknown row {r!r} (not in targets.tsv)")
        held_out = tuple(held + sorted(PREDICTION_ROWS - set(held), key=lambda r: int(r[1:])))
        specs = []
        for pid, p in (g.get("parameters") or {}).items():
            if pid not in params_known:
                raise CalibrationTableError(f"{where}: unknown parameter id {pid!r} (not a "
                                            "parameter of the model; see `nicsim params`)")
            if pid in owner:
                raise CalibrationTableError(f"{where}: parameter {pid} is already estimated by "
                                            f"group {owner[pid]!r}")
            owner[pid] = name
            extra = set(p) - _PARAM_KEYS
            if extra:
                raise CalibrationTableError(f"{where}: {pid}: unknown key(s) "
                                            f"{', '.join(sorted(extra))}")
            s = ParameterSpec(pid, float(p["start"]), float(p["lower"]), float(p["upper"]),
                              str(p.get("scale", "log10")))
            if s.scale != "log10":
                raise CalibrationTableError(f"{where}: {pid}: scale {s.scale!r}; only log10")
            if not 0 < s.lower <= s.start <= s.upper or s.lower == s.upper:
                raise CalibrationTableError(f"{where}: {pid}: need 0 < lower <= start <= upper "
                                            f"and lower < upper (got {s.lower}, {s.start}, "
                                            f"{s.upper})")
            specs.append(s)
        if not specs:
            raise CalibrationTableError(f"{where}: no parameters")
        objective = {**(defaults.get("objective") or {}), **(g.get("objective") or {})}
        if g.get("objective") and "kind" in g["objective"]:
            objective = dict(g["objective"])
        if objective.get("kind") not in OBJECTIVES:
            raise CalibrationTableError(f"{where}: objective kind {objective.get('kind')!r}; "
                                        f"known: {', '.join(OBJECTIVES)}")
        if objective["kind"] == "seed_mean_centre" and len(fit_rows) != 1:
            raise CalibrationTableError(f"{where}: seed_mean_centre takes one fit row")
        model = g.get("model")
        if model is not None and model not in MODEL_VARIANTS:
            raise CalibrationTableError(f"{where}: model variant {model!r}; known: "
                                        f"{', '.join(MODEL_VARIANTS)}")
        optimizer = {**(defaults.get("optimizer") or {}), **(g.get("optimizer") or {})}
        restarts = optimizer.get("restarts", 0)
        if not isinstance(restarts, int) or isinstance(restarts, bool) or restarts < 0:
            raise CalibrationTableError(f"{where}: optimizer.restarts {restarts!r}; need a "
                                        "whole number >= 0 (Nelder-Mead restarts per start)")
        grid = optimizer.get("grid", 0)
        if not isinstance(grid, int) or isinstance(grid, bool) or grid < 0 or grid == 1:
            raise CalibrationTableError(f"{where}: optimizer.grid {grid!r}; need 0 (no grid) or "
                                        "a whole number >= 2 of grid points per parameter")
        n_par = len(g.get("parameters") or {})
        if grid and grid ** n_par > GRID_MAX_POINTS:
            raise CalibrationTableError(
                f"{where}: optimizer.grid {grid} over {n_par} parameters is {grid ** n_par} "
                f"points; at most {GRID_MAX_POINTS} (fewer points per parameter, or no grid)")
        derive = g.get("derive")
        if derive is not None and derive.get("hook") not in DERIVATIONS:
            raise CalibrationTableError(f"{where}: derive hook {derive.get('hook')!r}; known: "
                                        f"{', '.join(DERIVATIONS)}")
        out[name] = Group(
            name=name, file=str(g.get("file") or "default.yaml"),
            description=" ".join(str(g.get("description", "")).split()),
            parameters=tuple(specs), fit_rows=fit_rows, held_out=held_out,
            objective=objective,
            optimizer=optimizer,
            starts=int(g.get("starts", defaults.get("starts", 3))),
            seed=int(g.get("seed", defaults.get("seed", 0))),
            check_tolerance=float(g.get("check_tolerance", defaults.get("check_tolerance",
                                                                        0.01))),
            derive=dict(derive) if derive else None, model=model)
    return out


# ---------------------------------------------------------------------------- objectives


def _run(study, values, model):
    return study.run(parameters=values, model=model) if model is not None else \
        study.run(parameters=values)


def band_objective(studies, values: dict[str, float], *, centre_weight: float = 0.05,
                   margin_weight: float = 0.0, model=None) -> float:
    """Sum of squared band distances plus ``centre_weight`` x squared centre distances, minus
    ``margin_weight`` x the smallest margin of any check (:meth:`Check.margin`): with a margin
    weight the fit prefers, among the values that pass every check, the one farthest from
    failing any of them (the centre of the admissible region when checks pull apart)."""
    total = 0.0
    margins = []
    for s in studies:
        try:
            r = _run(s, values, model)
        except Exception:  # a parameter vector the solver cannot run scores as a failure
            return FAILED_RUN
        for c in r.checks:
            total += c.distance() ** 2
            if not c.one_sided and c.hi > c.lo and np.isfinite(c.value):
                total += centre_weight * ((c.value - (c.lo + c.hi) / 2) / (c.hi - c.lo)) ** 2
            margins.append(c.margin())
    if margin_weight and margins:
        total -= margin_weight * min(margins)
    return float(total)


def seed_mean_centre_objective(studies, values: dict[str, float], *, seeds, check: int = 0,
                               model=None) -> float:
    """Squared distance of the seed-averaged metric from the band centre, in band widths."""
    (s,) = studies
    mod = sys.modules[type(s).__module__]
    own = mod.SEED
    got = []
    try:
        for seed in seeds:
            mod.SEED = seed
            try:
                c = _run(s, values, model).checks[check]
            except Exception:
                return FAILED_RUN
            got.append(c.value)
    finally:
        mod.SEED = own
    return float(((np.mean(got) - (c.lo + c.hi) / 2) / (c.hi - c.lo)) ** 2)


OBJECTIVES: dict[str, Callable] = {"band": band_objective,
                                   "seed_mean_centre": seed_mean_centre_objective}


def _ageing_model():
    """The default network with basal IL-6 multiplied by ``il6_ageing_factor``."""
    mods = []
    for mod in MODULES:
        m = mod.build()
        if m.name == "immune" and "il6_ageing_factor" in m.inputs:
            return None  # the cytokine module has the port now: fit on the default network
        if m.name == "immune":
            age = m.input("il6_ageing_factor", "dimensionless", default=1.0)
            w6 = m.parameters["il6_baseline"].symbol
            st = m.states["il6_p"]
            st.rate = st.rate.subs(w6, w6 * age)
        mods.append(m)
    return Network(mods, name="nicsim-ageing").compile()


MODEL_VARIANTS: dict[str, Callable] = {"ageing": _ageing_model}

SKIN_DAYS, MUCOSAL_DAYS = 39.3, 7.5  # calm healing times (Kiecolt-Glaser 1995; Marucha 1998)


def _healing_days(values: dict) -> tuple[float, float]:
    a0 = wound_area_mm2(3.5)
    skin = closure_time(run_wound(0.0, values), "wound_area_skin", T_WOUND, a0) / 24
    muc = closure_time(run_mucosal(False, values), "wound_area_mucosal", T_MUC, a0) / 24
    return skin, muc


def wound_closure_rates(values: dict) -> dict:
    """Closure rates giving the published calm healing times (fixed point on the rate:
    healing time ~ lag + radius / speed, lags 4 and 3.5 days)."""
    v = dict(values)
    for _ in range(6):
        skin, muc = _healing_days(v)
        if abs(skin / SKIN_DAYS - 1) < 2e-3 and abs(muc / MUCOSAL_DAYS - 1) < 2e-3:
            break
        for key, t, target, lag in (("wound.skin_close_rate", skin, SKIN_DAYS, 4.0),
                                    ("wound.mucosal_close_rate", muc, MUCOSAL_DAYS, 3.5)):
            v[key] *= max(t - lag, 0.5) / max(target - lag, 0.5)
    return {k: v[k] for k in ("wound.skin_close_rate", "wound.mucosal_close_rate")}


DERIVATIONS: dict[str, Callable] = {"wound_closure_rates": wound_closure_rates}


# ---------------------------------------------------------------------------- fitting


@dataclass
class FitResult:
    group: Group
    values: dict[str, float]            # the group's estimated (and derived) values
    best: float                         # best objective over the starts
    per_start: list[dict] = field(default_factory=list)  # start, fval, n_fval, x
    reached_best: int = 0
    derived: dict[str, float] = field(default_factory=dict)
    optimizer_text: str = ""
    grid: dict | None = None            # points, per_parameter, best, best_at (optimizer.grid)

    def provenance(self) -> dict:
        g = self.group
        return {
            "date": _dt.date.today().isoformat(),
            "code_version": code_version(),
            "fit_rows": list(g.fit_rows),
            "held_out": list(g.held_out),
            "parameters": {p.id: {"lower": p.lower, "upper": p.upper, "start": p.start,
                                  "scale": p.scale} for p in g.parameters},
            "objective": g.objective_text(),
            "optimizer": self.optimizer_text,
            "starts": len(self.per_start) or g.starts, "seed": g.seed,  # as run (--starts)
            "multistart": {"best_per_start": [float(f"{s['fval']:.6g}") for s in self.per_start],
                           "evaluations_per_start": [int(s["n_fval"]) for s in self.per_start],
                           # where each start ended: two starts at the same objective with
                           # different values show what the rows do not pin down
                           "values_per_start": [
                               {i: float(f"{v:.6g}") for i, v in zip(g.ids, s["x"], strict=True)}
                               for s in self.per_start],
                           "reached_best": self.reached_best,
                           "reached_best_rule": "fval <= best + 1e-3 x max(1, |best|)"},
            "best_objective": float(f"{self.best:.6g}"),
            **({"grid": self.grid} if self.grid else {}),
            **({"derived": {k: float(f"{v:.6g}") for k, v in self.derived.items()},
                "derivation": g.derive["hook"]} if self.derived else {}),
            **({"model_variant": g.model} if g.model else {}),
        }


def code_version() -> str:
    try:
        rev = subprocess.run(["git", "-C", str(Path(__file__).parent), "rev-parse", "--short",
                              "HEAD"], capture_output=True, text=True, timeout=5, check=False)
        if rev.returncode == 0 and rev.stdout.strip():
            dirty = subprocess.run(["git", "-C", str(Path(__file__).parent), "status",
                                    "--porcelain", "--untracked-files=no"], capture_output=True,
                                   text=True, timeout=5, check=False).stdout.strip()
            return f"{__version__} (git {rev.stdout.strip()}{', modified' if dirty else ''})"
    except OSError:
        pass
    return __version__


def base_values(parameter_set: str = "default") -> dict[str, float]:
    return parameter_set_values(parameter_set)


def make_objective(group: Group, base: Mapping[str, float]) -> tuple[Callable, dict]:
    """``f(values of the group's parameters) -> objective`` with the rest at ``base``; also
    returns the derived values (if the group derives any) used in the base."""
    # lazy: a cycle (nicsim.experiments imports this module while registering the studies)
    from nicsim.experiments import study

    studies = [study(r) for r in group.fit_rows]
    model = MODEL_VARIANTS[group.model]() if group.model else None
    opts = {k: v for k, v in group.objective.items() if k != "kind"}
    fun = OBJECTIVES[group.objective["kind"]]
    fixed = dict(base)

    def f(values: Mapping[str, float]) -> float:
        return fun(studies, {**fixed, **values}, model=model, **opts)

    return f, fixed


def _derive(group: Group, values: dict[str, float]) -> dict[str, float]:
    hook = DERIVATIONS[group.derive["hook"]]
    return hook(values)


def fit_group(group: Group, *, starts: int | None = None, base: Mapping[str, float] | None = None,
              max_evaluations: int | None = None, log: Callable[[str], None] | None = None,
              workers: int = 1) -> FitResult:
    """Multi-start pyPESTO optimisation of the group's objective (log10 space).

    ``workers`` > 1 evaluates the points of the group's grid (``optimizer.grid``) in that many
    forked processes (same numbers as one process); the simplex steps are sequential."""
    pypesto = require("pypesto", "nicsim calibrate")
    from pypesto.optimize import ScipyOptimizer

    log = log or (lambda msg: None)
    base = dict(base_values() if base is None else base)
    derived: dict[str, float] = {}
    if group.derive:
        base.update(group.derive.get("start") or {})
        derived = _derive(group, {**base, **{p.id: p.start for p in group.parameters}})
        base.update(derived)
        log(f"derived before the fit: {_fmt(derived)}")
    f, _ = make_objective(group, base)
    ids = group.ids
    lb = np.log10([p.lower for p in group.parameters])
    ub = np.log10([p.upper for p in group.parameters])
    n_eval = 0
    best_seen = math.inf
    last_line = time.monotonic()

    def fx(x):
        nonlocal n_eval, best_seen, last_line
        n_eval += 1
        x = np.clip(np.asarray(x, dtype=float), lb, ub)
        y = f({i: float(10 ** v) for i, v in zip(ids, x, strict=True)})
        best_seen = min(best_seen, y)
        now = time.monotonic()
        if n_eval % PROGRESS_EVERY == 0 or now - last_line >= PROGRESS_SECONDS:
            log(f"evaluation {n_eval}: best objective so far {best_seen:.4g}")
            last_line = now
        return y

    problem = pypesto.Problem(pypesto.Objective(fun=fx), lb, ub, x_names=ids,
                              x_scales=["log10"] * len(ids), copy_objective=False)
    n_starts = starts or group.starts
    rng = np.random.default_rng(group.seed)
    x0s = [np.log10([p.start for p in group.parameters])]
    x0s += [lb + rng.random(len(ids)) * (ub - lb) for _ in range(n_starts - 1)]
    opt = group.optimizer
    maxfev = int(max_evaluations or opt.get("max_evaluations", 150))
    step = float(opt.get("simplex_step", 0.13))
    per_start = []
    best_x, best_f = None, math.inf
    restarts = int(opt.get("restarts", 0))
    n_grid = int(opt.get("grid", 0))
    grid: dict | None = None
    if n_grid:
        # a bumpy objective (a cohort's counts) can hold a simplex at its start: a grid over the
        # whole box first, and the first start begins at the grid's best point
        axes = [np.linspace(lo, hi, n_grid) for lo, hi in zip(lb, ub, strict=True)]
        points = [np.array(x) for x in itertools.product(*axes)]
        log(f"grid: {len(points)} points ({n_grid} per parameter, log10-spaced over the bounds)")
        if workers > 1:
            ys = _evaluate_all(lambda x: f({i: float(10 ** v) for i, v in zip(
                ids, x, strict=True)}), points, workers, log)
            n_eval += len(points)
            best_seen = min(best_seen, min(ys))
        else:
            ys = [fx(x) for x in points]
        k_best = int(np.argmin(ys))
        grid = {"points": len(points), "per_parameter": n_grid,
                "best": float(f"{ys[k_best]:.6g}"),
                "best_at": [float(f"{10 ** v:.6g}") for v in points[k_best]]}
        log(f"grid best: objective {ys[k_best]:.4g} at "
            f"{_fmt(dict(zip(ids, (10 ** points[k_best]).tolist(), strict=True)))}")
        x0s[0] = points[k_best]
    for k, x0 in enumerate(x0s):
        before = n_eval
        x, fval = x0, math.inf
        # a Nelder-Mead simplex collapses in many dimensions; each restart builds a fresh first
        # simplex around the best point so far (declared in the table as optimizer.restarts)
        for leg in range(1 + restarts):
            simplex = np.clip(np.vstack([x] + [x + step * np.eye(len(ids))[j] * (
                1 if x[j] + step <= ub[j] else -1) for j in range(len(ids))]), lb, ub)
            optimizer = ScipyOptimizer(method=opt.get("method", "Nelder-Mead"), options={
                "maxfev": maxfev, "xatol": float(opt.get("xatol", 5e-4)),
                "fatol": float(opt.get("fatol", 1e-5)), "adaptive": True,
                "initial_simplex": simplex})
            r = optimizer.minimize(problem, x0=x, id=f"{k}.{leg}")
            xr = np.clip(np.asarray(r.x, dtype=float), lb, ub)
            fr = float(r.fval) if r.fval is not None else fx(xr)
            if leg and restarts:
                log(f"start {k + 1}/{n_starts}, restart {leg}/{restarts}: objective {fr:.4g}")
            if fr < fval:
                x, fval = xr, fr
        per_start.append({"start": k, "fval": fval, "n_fval": n_eval - before,
                          "x0": [float(10 ** v) for v in x0], "x": [float(10 ** v) for v in x]})
        log(f"start {k + 1}/{n_starts}: objective {fval:.4g} after {n_eval - before} "
            f"evaluations; {_fmt(dict(zip(ids, (10 ** x).tolist(), strict=True)))}")
        if fval < best_f:
            best_f, best_x = fval, x
    values = {i: float(10 ** v) for i, v in zip(ids, best_x, strict=True)}
    if group.derive:  # re-derive with the fitted values (the derived quantities use them)
        derived = _derive(group, {**base, **values})
        log(f"derived after the fit: {_fmt(derived)}")
        best_f = f({**values, **derived})
    reached = sum(s["fval"] <= min(s2["fval"] for s2 in per_start) + 1e-3 * max(1, abs(
        min(s2["fval"] for s2 in per_start))) for s in per_start)
    import scipy

    text = (f"pyPESTO {pypesto.__version__} ScipyOptimizer {opt.get('method', 'Nelder-Mead')} "
            f"(scipy {scipy.__version__}; maxfev {maxfev}, xatol {opt.get('xatol', 5e-4)}, "
            f"fatol {opt.get('fatol', 1e-5)}, adaptive, first simplex step {step} in log10)"
            + (f" after a grid of {n_grid} log10-spaced points per parameter over the bounds "
               f"({n_grid ** len(ids)} points), " if n_grid else ", ")
            + f"{n_starts} start(s): "
            + ("the grid's best point" if n_grid else "the table's start")
            + f", then uniform in log10 bounds (numpy default_rng({group.seed}))" + (
                f"; each start followed by {restarts} restart(s) from its best point"
                if restarts else ""))
    return FitResult(group, {**values, **derived}, float(best_f), per_start, int(reached),
                     derived, text, grid)


def _fmt(values: Mapping[str, float]) -> str:
    return ", ".join(f"{k} = {v:.5g}" for k, v in values.items())


# ---------------------------------------------------------------------------- writing, checking


def part_path(group: Group, root: Path = PARAMETER_SET_DIR) -> Path:
    return root / group.file


def write_fit(result: FitResult, root: Path = PARAMETER_SET_DIR) -> Path:
    """Merge the fitted values and the fit's provenance into the group's part file."""
    path = part_path(result.group, root)
    data = (yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None) or {}
    data.setdefault("name", path.stem)
    vals = dict(data.get("values") or {})
    vals.update({k: float(f"{v:.6g}") for k, v in result.values.items()})
    data["fitted_to"] = sorted(set(data.get("fitted_to") or []) | set(result.group.fit_rows))
    cal = dict(data.get("calibration") or {})
    cal[result.group.name] = result.provenance()
    data["calibration"] = cal
    old = data.get("objective")
    if old and not str(old).startswith("per group"):
        data["objective_former_scripts"] = old  # the value the former scripts recorded
    data["objective"] = "per group: see calibration.<group>.objective and best_objective"
    data["code_version"] = __version__
    data["values"] = dict(sorted(vals.items()))
    write_text(path, yaml.safe_dump(data, sort_keys=False, width=100))
    # the next group of the same run must see these values (the parameter sets are cached)
    load_parameter_set.cache_clear()
    return path


@dataclass
class CheckRow:
    parameter: str
    shipped: float | None
    refit: float
    log10_ratio: float
    ok: bool


def check_group(result: FitResult, shipped: Mapping[str, float]) -> list[CheckRow]:
    """Per parameter: shipped vs re-fitted value; ok when |log10 ratio| <= the tolerance."""
    rows = []
    for k, v in result.values.items():
        s = shipped.get(k)
        lr = math.inf if s is None or s <= 0 else abs(math.log10(v / float(s)))
        rows.append(CheckRow(k, None if s is None else float(s), v, lr,
                             lr <= result.group.check_tolerance))
    return rows


#: --audit: the objective at the shipped values may differ from the record's best objective by
#: this much (objective units: squared band widths) before the record counts as out of date;
#: the groups whose `--check` reproduced on 2026-12-07 differed by at most 1.5e-5 (written values
#: rounded to 6 digits, solver tolerances), psoriasis_distress, not re-fitted after two upstream
#: re-fits, by 4.4e-3
AUDIT_TOLERANCE = 1e-3


@dataclass
class AuditRow:
    group: str
    recorded: float | None      # the record's best objective (None: no pipeline record)
    now: float                  # the objective at the shipped values today
    ok: bool

    def describe(self) -> str:
        if self.recorded is None:
            return (f"{self.group}: no pipeline record; objective at the shipped values "
                    f"{self.now:.6g} (fit it with `nicsim calibrate --group {self.group}`)")
        verdict = ("record current" if self.ok else
                   f"OUT OF DATE: something the rows read has changed since the fit; re-fit "
                   f"with `nicsim calibrate --group {self.group}`")
        return (f"{self.group}: recorded best objective {self.recorded:.6g}, at the shipped "
                f"values now {self.now:.6g} ({verdict})")


def group_record(group: Group, root: Path = PARAMETER_SET_DIR) -> dict | None:
    """The group's pipeline record (``calibration: <group>`` of its part file; None: none)."""
    path = part_path(group, root)
    if not path.exists():
        return None
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return (data.get("calibration") or {}).get(group.name) or None


def audit_group(group: Group, *, base: Mapping[str, float] | None = None,
                root: Path = PARAMETER_SET_DIR) -> AuditRow:
    """One evaluation of the group's objective at the shipped values, against the record's
    best objective: a record is current when they agree within :data:`AUDIT_TOLERANCE`. A
    change upstream (a group earlier in the pipeline re-fitted, a mechanism changed) that moves
    the group's rows shows here in minutes, where ``--check`` re-runs the whole fit."""
    base = dict(base_values() if base is None else base)
    f, _ = make_objective(group, base)
    now = float(f({i: base[i] for i in group.ids}))
    best = (group_record(group, root) or {}).get("best_objective")
    rec = None if best is None else float(best)
    ok = rec is not None and abs(now - rec) <= AUDIT_TOLERANCE
    return AuditRow(group.name, rec, now, ok)


# ---------------------------------------------------------------------------- identifiability


@dataclass
class Identifiability:
    group: Group
    values: dict[str, float]
    objective: float
    hessian: np.ndarray
    se_log10: np.ndarray          # nan where not identified
    correlation: np.ndarray
    flags: list[str]
    sections: dict[str, tuple[np.ndarray, np.ndarray]]  # id -> (log10 offsets, objective)


#: step of the central differences (log10) and the flag threshold
HESSIAN_STEP = 0.05
SE_LIMIT = 0.5  # a parameter with a log10 standard error above this (a factor ~3) is flagged


def identifiability(group: Group, values: Mapping[str, float], *,
                    base: Mapping[str, float] | None = None, section_points: int = 9,
                    section_width: float = 0.5, workers: int = 1,
                    log: Callable[[str], None] | None = None) -> Identifiability:
    """Curvature summary of the objective at ``values`` (the group's optimum).

    H: central finite differences (step :data:`HESSIAN_STEP` in log10) of the objective J in
    log10 parameters. Reading J as a chi-square (-2 log-likelihood with the band width as the
    error scale), the covariance of the log10 estimates is 2 H^-1; standard errors and
    correlations come from it. A parameter is flagged 'not identified' where H is not positive
    definite along it or its log10 standard error exceeds :data:`SE_LIMIT`, or where its
    cross-section stays within +1 of the optimum over the whole scan (the rows then bound it no
    better than +/- ``section_width`` log10, whatever the local curvature). The cross-sections
    (J along each parameter, the others at the optimum) are what the figure shows.
    ``workers`` > 1 evaluates the 1 + 2n + 2n(n-1) + n x section_points points in that many
    forked processes (same numbers as one process); ``log`` gets progress lines.
    """
    base = dict(base_values() if base is None else base)
    f, _ = make_objective(group, base)
    ids = group.ids
    x0 = np.log10([values[i] for i in ids])
    extra = {k: v for k, v in values.items() if k not in ids}  # derived values stay as fitted

    def fx(x):
        return f({**extra, **{i: float(10 ** v) for i, v in zip(ids, x, strict=True)}})

    n, h = len(ids), HESSIAN_STEP
    e = np.eye(n) * h
    lb = np.log10([p.lower for p in group.parameters])
    ub = np.log10([p.upper for p in group.parameters])
    offsets = np.linspace(-section_width, section_width, section_points)
    # every point first, then one batch (in worker processes when workers > 1)
    points: list[np.ndarray] = [x0]
    points += [x0 + e[i] for i in range(n)] + [x0 - e[i] for i in range(n)]
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
    for i, j in pairs:
        points += [x0 + e[i] + e[j], x0 + e[i] - e[j], x0 - e[i] + e[j], x0 - e[i] - e[j]]
    section_at: dict[tuple[int, int], int] = {}
    for i in range(n):
        for k, d in enumerate(offsets):
            if lb[i] - 1e-12 <= x0[i] + d <= ub[i] + 1e-12:
                x = x0.copy()
                x[i] = x0[i] + d
                section_at[(i, k)] = len(points)
                points.append(x)
    ys = _evaluate_all(fx, points, workers, log)
    f0 = ys[0]
    fp, fm = ys[1:1 + n], ys[1 + n:1 + 2 * n]
    H = np.zeros((n, n))
    for i in range(n):
        H[i, i] = (fp[i] - 2 * f0 + fm[i]) / h ** 2
    at = 1 + 2 * n
    for i, j in pairs:
        a, b, c, d = ys[at:at + 4]
        at += 4
        H[i, j] = H[j, i] = (a - b - c + d) / (4 * h ** 2)
    se = np.full(n, np.nan)
    corr = np.full((n, n), np.nan)
    flags = []
    w, _ = np.linalg.eigh(H)
    if np.all(w > 1e-8 * max(1.0, float(np.max(np.abs(w))))):
        cov = 2 * np.linalg.inv(H)
        se = np.sqrt(np.diag(cov))
        corr = cov / np.outer(se, se)
    for i in range(n):
        if not np.isfinite(se[i]) or H[i, i] <= 0:
            flags.append("not identified (flat or negative curvature)")
        elif se[i] > SE_LIMIT:
            flags.append(f"not identified (SE {se[i]:.2f} log10 > {SE_LIMIT})")
        elif np.any(np.abs(np.delete(corr[i], i)) > 0.95):
            flags.append("identified only jointly (|correlation| > 0.95)")
        else:
            flags.append("identified")
    sections = {pid: (offsets, np.asarray([ys[section_at[(i, k)]] if (i, k) in section_at
                                           else np.nan for k in range(len(offsets))]))
                for i, pid in enumerate(ids)}
    for i, pid in enumerate(ids):
        # the curvature is local: on a jumpy objective (cohort counts) the central differences
        # can be steep while the objective stays within +1 over the whole scan, which bounds
        # the value no better than the SE limit would
        ys_i = sections[pid][1]
        if (flags[i].startswith("identified") and np.isfinite(ys_i).any()
                and np.nanmax(ys_i) <= f0 + 1.0):
            flags[i] = (f"not identified (objective within +1 over the whole +/-{section_width:g}"
                        " log10 cross-section; the curvature at the optimum is local)")
    return Identifiability(group, dict(values), f0, H, se, corr, flags, sections)


_BATCH_FX: Callable | None = None  # the objective the forked workers of _evaluate_all call


def _batch_call(x):
    return _BATCH_FX(x)


def _evaluate_all(fx: Callable, points: list, workers: int,
                  log: Callable[[str], None] | None) -> list[float]:
    """``fx`` at every point, in order; ``workers`` > 1 forks that many processes (POSIX), which
    inherit the compiled model; progress every PROGRESS_EVERY points, or when PROGRESS_SECONDS
    have passed since the last line (slow objectives)."""
    global _BATCH_FX
    log = log or (lambda msg: None)
    out: list[float] = []
    last_line = time.monotonic()

    def progress(k):
        nonlocal last_line
        now = time.monotonic()
        if k % PROGRESS_EVERY == 0 or now - last_line >= PROGRESS_SECONDS:
            log(f"evaluation {k} of {len(points)}")
            last_line = now

    if workers <= 1 or sys.platform == "win32":
        for k, x in enumerate(points, 1):
            out.append(float(fx(x)))
            progress(k)
        return out
    import multiprocessing as mp

    _BATCH_FX = fx
    try:
        with mp.get_context("fork").Pool(workers) as pool:
            for k, y in enumerate(pool.imap(_batch_call, points, chunksize=1), 1):
                out.append(float(y))
                progress(k)
    finally:
        _BATCH_FX = None
    return out


def identifiability_figure(ident: Identifiability, per_start: list[dict] | None, path: Path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ids = list(ident.sections)
    n_panels = len(ids) + (1 if per_start else 0)
    ncol = min(n_panels, 4)  # a grid of at most four columns stays readable in the docs
    nrow = -(-n_panels // ncol)
    fig, axes = plt.subplots(nrow, ncol, figsize=(3.4 * ncol, 3.0 * nrow), squeeze=False)
    flat = list(axes.ravel())
    for ax in flat[n_panels:]:
        ax.set_visible(False)
    for ax, pid in zip(flat, ids, strict=False):
        d, y = ident.sections[pid]
        ax.plot(d, y, "o-", ms=3)
        i = ids.index(pid)
        h = ident.hessian[i, i]
        ax.plot(d, ident.objective + 0.5 * h * d ** 2, "--", lw=1, label="quadratic (H)")
        ax.axvline(0, color="grey", lw=0.5)
        ax.set_xlabel("log10(value / optimum)")
        ax.set_ylabel("objective")
        ax.set_title(pid, fontsize=9)
        ax.legend(fontsize=7)
    if per_start:
        ax = flat[n_panels - 1]
        fv = sorted(s["fval"] for s in per_start)
        ax.plot(range(1, len(fv) + 1), fv, "o-")
        ax.set_xticks(range(1, len(fv) + 1))
        if fv[-1] > 10 * max(fv[0], 1e-12):
            ax.set_yscale("log")
        else:
            pad = max(0.05 * abs(fv[0]), 1e-6)
            ax.set_ylim(fv[0] - pad, fv[-1] + pad)
        for k, v in enumerate(fv):
            ax.annotate(f"{v:.3g}", (k + 1, v), textcoords="offset points", xytext=(4, 4),
                        fontsize=7)
        ax.set_xlabel("start (sorted)")
        ax.set_ylabel("final objective")
        ax.set_title("multi-start waterfall", fontsize=9)
    fig.suptitle(f"group {ident.group.name}: fitted to {', '.join(ident.group.fit_rows)}",
                 fontsize=10)
    # leave the top 0.4 inch to the group title so it does not run into the first panel titles
    fig.tight_layout(rect=(0, 0, 1, 1 - 0.4 / fig.get_figheight()))
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
