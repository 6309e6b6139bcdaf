"""The one solve entry: :func:`solve` integrates a :class:`~nicsim.solve.problem.RunProblem`
(one row or N rows) and :func:`to_dataset` turns the result into an ``xarray.Dataset``.

Two kernel paths, chosen by the problem: a single run integrates with the numba BDF kernel in
month-long chunks (restarting at every protocol break, reporting progress between chunks); a
cohort integrates all rows at once with the batch kernel (:func:`integrate_rows`, parallel over
rows). The initial state comes from the problem's policy (:func:`initial_states`):

``entrained``
    ``burn_in_days`` (6) habitual days from the model's declared initial state, so that the
    circadian system is entrained at t = 0. Slow states (skin disease scores, competence,
    collagen, distress, ...) are then still where the declared initial state put them and drift
    during the run; the dataset says by how much (attrs ``initial_state_drift``).
``settled``
    the same burn-in, then habitual days in blocks until the day-to-day change of every state's
    daily mean is below :data:`SETTLE_TOLERANCE` (relative, per day): every state starts from the
    person's own steady state for the background conditions. States that converge slowly
    (geometrically, block to block) jump ahead by Aitken's extrapolation, so that mature
    collagen (half-life 15 years) settles in months rather than decades. A SolverError says so
    when settling takes longer than ``MAX_BURN_IN_DAYS``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import xarray as xr

from nicsim._version import __version__
from nicsim.core.units import Q_, canonical_unit, parse_unit
from nicsim.errors import SolverError
from nicsim.solve.plausibility import annotate
from nicsim.solve.problem import MAX_BURN_IN_DAYS, RunProblem, accumulator_states, jump_targets

#: Solver statuses of the numba kernel (see nicsim.core._bdf_kernel).
STATUS_TEXT = {
    1: "the step limit was reached",
    2: "the step size became too small (the system is too stiff or discontinuous there)",
    3: "a state or rate became NaN or infinite",
    4: "Newton iterations failed repeatedly",
}
#: Largest day-to-day relative change of any state's daily mean at which a start is settled.
SETTLE_TOLERANCE = 1e-5
#: Habitual days integrated per kernel call while settling.
SETTLE_BLOCK_DAYS = 10
#: A state whose linear drift over the run exceeds this fraction is reported as drifting.
DRIFT_REPORT_FRACTION = 0.01
#: Samples per day for daily means while settling.
_SAMPLES_PER_DAY = 48
#: Longest slow rhythm, in settling blocks, that counts as settled (see :func:`_settled_rhythm`).
SETTLE_RHYTHM_MAX_BLOCKS = 6
#: Largest relative swing of any state's daily mean over such a rhythm that counts as settled.
SETTLE_RHYTHM_AMPLITUDE = 1e-3


@dataclass(frozen=True)
class InitialState:
    """Where a run started: the policy (``entrained``, ``settled`` or ``given`` for an explicit
    ``y0``), the habitual days integrated before t = 0, and each state's drift per day at the
    start (state after one more habitual day minus the start, first row; 0 for accumulators
    such as the ageing clock, which grow by design), canonical units."""

    policy: str
    days: int
    drift_per_day: np.ndarray | None = None
    scale: np.ndarray | None = None

    def drifting(self, run_days: float, threshold: float = DRIFT_REPORT_FRACTION
                 ) -> list[tuple[int, float]]:
        """(state index, relative change over ``run_days`` by a linear estimate) of the states
        that move more than ``threshold`` over the run, largest first."""
        if self.drift_per_day is None or self.policy == "settled":
            return []
        rel = self.drift_per_day / self.scale * run_days
        idx = np.flatnonzero(np.abs(rel) > threshold)
        return sorted(((int(k), float(rel[k])) for k in idx), key=lambda kv: -abs(kv[1]))


@dataclass
class RunResult:
    """States ``Y`` (rows x times x states, canonical units), the inputs in force at each time
    ``U`` (times x inputs), the model outputs ``obs`` (rows x times x outputs, canonical units;
    None when not asked for) and where the run started."""

    problem: RunProblem
    Y: np.ndarray
    U: np.ndarray
    obs: np.ndarray | None
    initial: InitialState
    extra: dict = field(default_factory=dict)


# ============================================================================ kernel calls
def integrate_one(model, y0: np.ndarray, p: np.ndarray, schedule, t_eval: np.ndarray,
                  rtol: float, progress: Callable[[float], None] | None = None,
                  chunk_hours: float = 24.0 * 30) -> np.ndarray:
    """One run: states at ``t_eval`` (times x states); the segments are integrated in chunks
    of about ``chunk_hours`` so that long runs can report progress."""
    solver = model.solver
    atol = model.atol(rtol)
    jump_idx = np.array([model.state_index(s) for s in schedule.jump_targets], dtype=np.int64)
    breaks, inputs, jumps = schedule.breaks, schedule.inputs, schedule.jumps
    jumps = np.ascontiguousarray(jumps, dtype=np.float64).reshape(len(inputs), len(jump_idx))
    n_seg = len(inputs)
    bounds = [0]
    for k in range(1, n_seg):
        if breaks[k] - breaks[bounds[-1]] >= chunk_hours:
            bounds.append(k)
    bounds.append(n_seg)
    Y = np.empty((len(t_eval), len(y0)))
    y = np.asarray(y0, dtype=np.float64).copy()
    total_h = breaks[-1] - breaks[0]
    for c in range(len(bounds) - 1):
        k0, k1 = bounds[c], bounds[c + 1]
        lo, hi = breaks[k0], breaks[k1]
        last = c == len(bounds) - 2
        sel = (t_eval >= lo) & ((t_eval <= hi) if last else (t_eval < hi))
        te = np.concatenate([t_eval[sel], [hi]])
        status, Yc, _stats, t_fail = solver.integrate(
            y, p, np.ascontiguousarray(breaks[k0:k1 + 1]), np.ascontiguousarray(inputs[k0:k1]),
            np.ascontiguousarray(jumps[k0:k1]), jump_idx, te, rtol, atol,
            _max_steps(hi - lo), math.inf)
        if status != 0:
            raise SolverError(
                f"the solver stopped at t = {t_fail:.4g} h (day {int(t_fail // 24) + 1}): "
                f"{STATUS_TEXT.get(int(status), f'status {status}')}. Try: a tighter rtol (e.g. "
                f"1e-8) in the scenario, check the protocol events around that time for extreme "
                f"doses, or simulate a shorter stretch to find the event that triggers it.")
        Y[sel] = Yc[:-1]
        y = Yc[-1].copy()
        if progress is not None:
            progress((hi - breaks[0]) / total_h if total_h > 0 else 1.0)
    if not np.all(np.isfinite(Y)):
        raise SolverError("the solution contains NaN values; try a tighter rtol")
    return Y


def integrate_rows(model, Y0: np.ndarray, P: np.ndarray, breaks: np.ndarray,
                   inputs: np.ndarray, jumps: np.ndarray, t_eval: np.ndarray, rtol: float,
                   *, what: str = "run") -> np.ndarray:
    """Integrate ``n`` independent runs on shared ``breaks`` with the batch kernel; returns
    ``Y[n, n_eval, n_state]``.

    ``Y0`` (n, n_state), ``P`` (n, n_par), ``inputs`` (n, n_seg, n_in) or (n_seg, n_in) shared,
    ``jumps`` (n, n_seg, n_jump) or shared. A run that fails is retried alone with a 100 x
    tighter tolerance; if it fails again a SolverError names it (``what`` index).
    """
    n = Y0.shape[0]
    jump_idx = np.array([model.state_index(s) for s in jump_targets(model)], dtype=np.int64)
    n_seg = len(breaks) - 1
    inputs = np.asarray(inputs, dtype=np.float64)
    if inputs.ndim == 2:
        inputs = np.broadcast_to(inputs, (n, *inputs.shape))
    jumps = np.asarray(jumps, dtype=np.float64)
    if jumps.ndim == 2:
        jumps = np.broadcast_to(jumps, (n, *jumps.shape))
    jumps = jumps.reshape(n, n_seg, len(jump_idx))
    atol = model.atol(rtol)
    # read-only breaks, the rest writable copies: one argument-type combination, so every
    # caller (one row or many) shares one compiled specialisation of the kernel
    br = _c(breaks).copy()
    br.setflags(write=False)
    args = (br, _c(inputs), _c(jumps), _c(jump_idx, np.int64), _c(t_eval))
    span = float(breaks[-1] - breaks[0])
    status, Y, _stats, t_fail = model.solver.integrate_batch(
        _c(Y0), _c(P), args[0], args[1], args[2], args[3], args[4], rtol, atol,
        _max_steps(span), math.inf)
    for i in np.flatnonzero(status != 0):
        r2 = rtol / 100.0
        st, Yi, _s, tf = model.solver.integrate(
            _c(Y0[i]), _c(P[i]), args[0], _c(args[1][i]), _c(args[2][i]), args[3], args[4],
            r2, model.atol(r2), 4 * _max_steps(span), math.inf)
        if st != 0:
            raise SolverError(
                f"{what} {int(i)} failed at t = {tf:.4g} h: "
                f"{STATUS_TEXT.get(int(st), f'status {st}')} (also with rtol {r2:g}). Its "
                "parameter values may be outside what the model can integrate: narrow the "
                "ranges of the parameters varied, or check the protocol near that time.")
        Y[i] = Yi
    return Y


def _max_steps(span_h: float) -> int:
    return int(200_000 + 4_000 * span_h / 24.0)


def _c(x, dtype=np.float64) -> np.ndarray:
    """C-contiguous, writable copy-if-needed (numba compiles read-only arrays separately)."""
    a = np.ascontiguousarray(x, dtype=dtype)
    return a if a.flags.writeable else a.copy()


def _integrate_schedule(problem: RunProblem, Y0: np.ndarray, P: np.ndarray, schedule,
                        t_eval: np.ndarray, *, what: str = "run",
                        progress: Callable[[float], None] | None = None,
                        rows: np.ndarray | None = None) -> np.ndarray:
    """The problem's kernel path on ``schedule``: rows x times x states. ``rows`` (cohorts
    only) picks the rows of a per-row schedule that ``Y0`` and ``P`` hold."""
    if problem.cohort:
        inputs, jumps = np.asarray(schedule.inputs), np.asarray(schedule.jumps)
        if rows is not None:
            inputs = inputs[rows] if inputs.ndim == 3 else inputs
            jumps = jumps[rows] if jumps.ndim == 3 else jumps
        return integrate_rows(problem.model, Y0, P, schedule.breaks, inputs, jumps, t_eval,
                              problem.rtol, what=what)
    return integrate_one(problem.model, Y0[0], P[0], schedule, t_eval, problem.rtol,
                         progress)[None]


# ============================================================================ initial state
_INITIAL_CACHE: dict = {}


def initial_states(problem: RunProblem) -> tuple[np.ndarray, InitialState]:
    """The state at t = 0 of every row (rows x states) by the problem's policy, and where it
    came from. Single runs are cached per (parameters, start clock, sleep, days, rtol, policy)."""
    model, P = problem.model, problem.P
    if problem.y0 is not None:
        Y0 = np.repeat(problem.y0, P.shape[0], axis=0) if len(problem.y0) == 1 else problem.y0
        return Y0.copy(), _with_drift(problem, Y0, InitialState("given", 0))
    sc = problem.scenario
    key = None
    if not problem.cohort:
        key = (P[0].tobytes(), sc.start, sc.person.sleep.bedtime, sc.person.sleep.wake,
               problem.burn_in_days, problem.rtol, problem.initial_state)
        hit = _INITIAL_CACHE.get(key)
        if hit is not None:
            return hit[0].copy(), hit[1]
    Y0 = np.repeat(model.initial_state()[None, :], P.shape[0], axis=0)
    days = problem.burn_in_days
    if days > 0:
        burn = problem.habitual_schedule(days)
        Y0 = _integrate_schedule(problem, Y0, P, burn, np.array([burn.breaks[-1]]),
                                 what="burn-in of run")[:, -1, :]
    if problem.initial_state == "settled":
        Y0, days = _settle(problem, Y0, days)
        info = InitialState("settled", days)
    else:
        info = _with_drift(problem, Y0, InitialState("entrained", days))
    if key is not None:
        if len(_INITIAL_CACHE) > 256:
            _INITIAL_CACHE.clear()
        _INITIAL_CACHE[key] = (Y0.copy(), info)
    return Y0, info


def _settle(problem: RunProblem, Y0: np.ndarray, days: int) -> tuple[np.ndarray, int]:
    """Habitual days in blocks until the change of every state's daily mean (every row) is below
    SETTLE_TOLERANCE per day; returns the settled states and the days it took.

    Accumulators (states whose rate does not depend on themselves: the ageing clock, counts of
    recurrences) have no steady state: they restart from their declared initial value ("since
    the scenario start") at every block and are left out of the check, so that every block sees
    the same drive and the others settle to the person's steady state. A slow rhythm of a few
    blocks whose swing is negligible also counts as settled (:func:`_settled_rhythm`).

    Rows are settled one by one: a cohort member whose block means have settled keeps the state
    she settled at and drops out of the batch (and of the extrapolation), so one slow member no
    longer keeps the whole cohort integrating."""
    acc = np.array(accumulator_states(problem.model), dtype=np.int64)
    start = problem.model.initial_state()
    block = problem.habitual_schedule(SETTLE_BLOCK_DAYS)
    n_t = SETTLE_BLOCK_DAYS * _SAMPLES_PER_DAY
    t_eval = np.arange(n_t + 1) * (24.0 / _SAMPLES_PER_DAY)
    floor = 1e3 * problem.atol
    keep = np.ones(Y0.shape[1], dtype=bool)
    keep[acc] = False
    previous = before = None
    means: list[np.ndarray] = []   # the last-day means of the latest blocks
    worst, worst_k = math.inf, 0
    # rows (cohort members) that have settled stay where they settled; only the others go on
    active = np.ones(Y0.shape[0], dtype=bool)
    while days + SETTLE_BLOCK_DAYS <= max(MAX_BURN_IN_DAYS, problem.burn_in_days):
        Y0 = Y0.copy()
        Y0[:, acc] = start[acc]
        rows = np.flatnonzero(active)
        Y = _integrate_schedule(problem, Y0[rows], problem.P[rows], block, t_eval,
                                what="settling of run", rows=rows)
        days += SETTLE_BLOCK_DAYS
        Y0[rows] = Y[:, -1, :]
        last_day = (means[-1] if means else Y0).copy()
        last_day[rows] = Y[:, -_SAMPLES_PER_DAY - 1:-1, :].mean(axis=1)
        means = [*means[-(2 * SETTLE_RHYTHM_MAX_BLOCKS + 1):], last_day]
        if previous is not None:
            scale = np.maximum(np.abs(last_day), floor)
            change = (np.abs(last_day - previous) / SETTLE_BLOCK_DAYS / scale)[:, keep]
            unsettled = (change.max(axis=1) >= SETTLE_TOLERANCE) & ~_settled_rhythm(
                means, scale, keep)
            active &= unsettled
            per_state = change[unsettled].max(axis=0) if unsettled.any() else change.max(axis=0)
            worst_k = int(np.flatnonzero(keep)[np.argmax(per_state)])
            worst = float(per_state.max())
            if not unsettled.any():
                Y0[:, acc] = start[acc]
                return Y0, days
            if before is not None:
                rows = np.flatnonzero(active)  # settled rows stay where they settled
                moved = Y0[rows]
                if _extrapolate(moved, before[rows], previous[rows], last_day[rows], keep):
                    Y0[rows] = moved
                    previous = before = None  # a fresh history after the jump
                    continue
        before, previous = previous, last_day
    state = problem.model.states[worst_k].id
    raise SolverError(
        f"the initial state did not settle within {MAX_BURN_IN_DAYS} days on the habitual day: "
        f"the daily mean of {state} still changes by {worst:.2g} per day (settled means below "
        f"{SETTLE_TOLERANCE:g}). The person's background conditions may give a rhythm longer "
        "than a day or a slow oscillation; use initial_state: entrained for this run.")


def _settled_rhythm(means: list[np.ndarray], scale: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """Which rows' block means (each rows x states, oldest first) repeat with a period of k = 2
    to :data:`SETTLE_RHYTHM_MAX_BLOCKS` blocks: a slow rhythm of the person's habitual day (e.g.
    a month-long swing of a psyche loop) that never lets successive blocks agree. A row counts
    as settled when each of the last k blocks equals the block k earlier to
    :data:`SETTLE_TOLERANCE` of each state's level (a whole period, not per day) and the swing
    over the period stays below :data:`SETTLE_RHYTHM_AMPLITUDE`; the start is one phase of it."""
    rows = means[-1].shape[0] if means else 0
    found = np.zeros(rows, dtype=bool)
    for k in range(2, SETTLE_RHYTHM_MAX_BLOCKS + 1):
        if len(means) < 2 * k:
            break
        repeat = np.max([(np.abs(means[-j] - means[-j - k]) / scale)[:, keep].max(axis=1)
                         for j in range(1, k + 1)], axis=0)
        swing = np.max([(np.abs(m - means[-1]) / scale)[:, keep].max(axis=1)
                        for m in means[-k:]], axis=0)
        found |= (repeat < SETTLE_TOLERANCE) & (swing < SETTLE_RHYTHM_AMPLITUDE)
    return found


def _extrapolate(Y0: np.ndarray, m0: np.ndarray, m1: np.ndarray, m2: np.ndarray,
                 keep: np.ndarray) -> bool:
    """Move the slow states of ``Y0`` (in place) to where their block means converge (Aitken's
    extrapolation of three successive block means ``m0, m1, m2``, rows x states): a state whose
    successive changes shrink geometrically by a ratio r from 0.5 to 0.999 (a time constant of
    tens of days to years, e.g. mature collagen with its half-life of 15 years) jumps by
    ``(m2 - m1) r / (1 - r)``, at most halving it. Returns whether any state moved."""
    d1, d2 = m1 - m0, m2 - m1
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.where(d1 != 0.0, d2 / d1, 0.0)
    slow = (r >= 0.5) & (r <= 0.999) & keep[None, :]
    if not slow.any():
        return False
    jump = np.where(slow, d2 * r / (1.0 - np.where(slow, r, 0.0)), 0.0)
    Y0[:] = np.maximum(Y0 + jump, np.where(Y0 > 0, 0.5 * Y0, Y0 + jump))
    return True


def _with_drift(problem: RunProblem, Y0: np.ndarray, info: InitialState) -> InitialState:
    """``info`` with each state's drift over one more habitual day from the start (first row),
    measured by the single-run kernel: a cheap sign of an unsettled start."""
    if not problem.report_drift:
        return info
    day = problem.habitual_schedule(1)
    y1 = integrate_one(problem.model, Y0[0], problem.P[0], day, np.array([day.breaks[-1]]),
                       problem.rtol)[-1]
    scale = np.maximum(np.abs(Y0[0]), 1e3 * problem.atol)
    drift = y1 - Y0[0]
    drift[list(accumulator_states(problem.model))] = 0.0  # they grow by design
    return InitialState(info.policy, info.days, drift, scale)


# ============================================================================ solve
def solve(problem: RunProblem, *, progress: Callable[[float], None] | None = None,
          observe: bool = True) -> RunResult:
    """Integrate ``problem`` from its initial state; with ``observe`` the model outputs too."""
    Y0, info = initial_states(problem)
    s = problem.schedule
    Y = _integrate_schedule(problem, Y0, problem.P, s, problem.t_eval, progress=progress)
    U = segment_inputs(s.breaks, s.inputs, problem.t_eval)
    obs = observe_outputs(problem.model, Y, problem.P, problem.t_eval, U) if observe else None
    return RunResult(problem, Y, U, obs, info)


def segment_inputs(breaks: np.ndarray, inputs: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Inputs in force at times ``t`` (right-continuous; the last segment at the end)."""
    idx = np.clip(np.searchsorted(breaks, t, side="right") - 1, 0, inputs.shape[-2] - 1)
    return np.ascontiguousarray(inputs[..., idx, :])


def observe_outputs(model, Y: np.ndarray, P: np.ndarray, t_eval: np.ndarray,
                    U: np.ndarray) -> np.ndarray:
    """Every model output (rows x times x outputs, canonical units); ``U`` (times x inputs)
    shared or (rows x times x inputs). Values below 1e-20 in magnitude are 0 (the solver's
    positivity floor is 1e-30)."""
    obs = np.empty((Y.shape[0], len(t_eval), len(model.outputs)))
    for i in range(Y.shape[0]):
        Ui = np.ascontiguousarray(U[i] if U.ndim == 3 else U)
        model.solver.observe_series(t_eval, np.ascontiguousarray(Y[i]), P[i], Ui, obs[i])
    obs[np.abs(obs) < 1e-20] = 0.0
    return obs


def observable_index(model) -> dict[str, tuple[str, int, float, str]]:
    """name -> ('output' | 'state', index, display factor, unit) for every observable."""
    out: dict[str, tuple[str, int, float, str]] = {}
    for k, o in enumerate(model.outputs):
        if o.observable:
            out[o.name] = ("output", k, display_factor(o.unit), o.unit)
    for k, s in enumerate(model.states):
        if s.observable:
            out[s.name] = ("state", k, display_factor(s.unit), s.unit)
    return out


def display_factor(unit: str) -> float:
    """Factor from the canonical (hours-based) unit back to the declared unit (ms for RMSSD)."""

    u = parse_unit(unit)
    cu = canonical_unit(u)
    if cu == u:
        return 1.0
    return float(Q_(1.0, cu).to(u).magnitude)


# ============================================================================ dataset
def drift_summary(info: InitialState, model, run_days: float, limit: int = 5) -> str:
    """One line naming the states that drift over the run (empty when none)."""
    moving = info.drifting(run_days)
    if not moving:
        return ""
    parts = [f"{model.states[k].id} {rel:+.1%}" for k, rel in moving[:limit]]
    more = f" and {len(moving) - limit} more" if len(moving) > limit else ""
    return ", ".join(parts) + more


def to_dataset(result: RunResult) -> xr.Dataset:
    """The run as a Dataset: dims ``time`` (single run) or ``subject, time`` (cohort; the
    parameter rows kept as ``parameters``); one variable per requested observable in its
    declared unit, the protocol inputs, and the start in attrs (``initial_state``,
    ``initial_state_days``, ``initial_state_drift``)."""
    pb = result.problem
    model, sc, t = pb.model, pb.scenario, pb.t_eval
    Y, obs = result.Y, result.obs
    if not pb.cohort:
        Y, obs = Y[0], obs[0]
    dims = ("subject", "time") if pb.cohort else ("time",)
    clock = (t + sc.start_clock_h) % 24.0
    day = np.floor((t + sc.start_clock_h) / 24.0).astype(int) + 1
    coords = {"time": ("time", t, {"units": "h", "long_name": "time since scenario start"}),
              "clock": ("time", clock, {"units": "h", "long_name": "clock time of day"}),
              "day": ("time", day, {"long_name": "day of the scenario (1-based)"})}
    if pb.cohort:
        coords["subject"] = np.arange(pb.n_rows)
        coords["parameter"] = model.parameter_ids
    idx = observable_index(model)
    data = {}
    for name in pb.outputs:
        kind, k, fac, unit = idx[name]
        item = model.outputs[k] if kind == "output" else model.states[k]
        values = (obs if kind == "output" else Y)[..., k] * fac
        data[name] = (dims, values, {"units": unit, "long_name": item.doc or name,
                                     "module": item.module})
    for j, n in enumerate(model.exogenous):
        data[f"input_{n}"] = ("time", result.U[:, j], {"units": model.exogenous_units[j],
                                                       "long_name": f"protocol input {n}"})
    if pb.include_states:
        for k, s in enumerate(model.states):
            data[f"state__{s.id.replace('.', '__')}"] = (dims, Y[..., k], {"units": s.unit,
                                                                          "long_name": s.doc})
    if pb.cohort:
        data["parameters"] = (("subject", "parameter"), pb.P,
                              {"long_name": "canonical parameter values"})
    info = result.initial
    ds = xr.Dataset(data, coords=coords, attrs={
        "scenario": sc.name, "nicsim_version": __version__, "rtol": pb.rtol,
        "model_key": model.key, "start_clock": sc.start, "time_units": "hours",
        "initial_state": info.policy, "initial_state_days": info.days,
        "initial_state_drift": drift_summary(info, model, float(t[-1] - t[0]) / 24.0
                                             if len(t) else 0.0)})
    if not pb.cohort:
        ds.attrs["final_state"] = Y[-1].tolist() if len(Y) else []
    annotate(ds, start_clock_h=sc.start_clock_h)
    return ds
