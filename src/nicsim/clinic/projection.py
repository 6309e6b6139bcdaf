"""Personalised projection: fit a client's few personal parameters to her diary, project the
next weeks under a plan and under no change, and later check whether she is on course.

How it works (docs/clinic.md, "Projection"):

* **Drivers.** The diary's daily stress rating (0-10) is taken as that day's stress load
  (``chronic_stressor`` load = rating / 10 from 08:00 to 20:00); nights shorter than the habitual
  sleep by more than 45 min become shortened nights (``sleep_deprivation`` with a later
  bedtime); practices done (slow breathing, mindfulness, relaxation, time with a supportive
  person) and products applied (emollient, topical corticosteroid, retinoid / benzoyl peroxide)
  become the matching protocol events on the days they were recorded. Before the diary's first
  day the model runs a run-in (``RUN_IN_DAYS``) at the client's average stress of her first two
  weeks, so that the skin starts from her usual state, not from a healthy one.
* **Observation model.** The diary's severity and itch are linked to the model's daily values
  by :mod:`nicsim.clinic.observation` (the same links that generate synthetic diaries); the
  noise SD of each link is estimated from the client's diary (maximum likelihood, profiled
  out). Optional salivary cortisol samples enter with log-normal noise.
* **Personal parameters** (:data:`PERSONAL_PARAMETERS`): stress reactivity, distress sensitivity
  and the condition's susceptibility, each a multiplier with a log-normal prior taken from the
  virtual-population distributions (``nicsim.analysis.population`` specs; see each entry's
  source). They are fitted in log space by Levenberg-Marquardt (Jacobian by finite differences,
  each iteration one cohort run of d + 1 persons); the uncertainty is the Laplace
  approximation at the posterior mode (Gauss-Newton Hessian of the log posterior).
* **Projection.** Parameter draws from the Laplace posterior are combined with future stress and
  sleep drawn as whole weeks from the client's own diary (block bootstrap): what her weeks have
  been like is what the next weeks may be like. The model runs from the run-in through the diary
  into the future; observation noise is added; intervals are quantiles of the draws.

Wellness, not diagnosis: the projection shows what the model expects if the client's weeks
stay like her recorded weeks; it is not a prognosis.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from nicsim._default import default_model
from nicsim.clinic.diary import DEFAULT_SCALE, Diary, DiaryEntry
from nicsim.clinic.observation import ObservationModel, daily_model_values, model_outputs_for
from nicsim.clinic.plan import CarePlan
from nicsim.clinic.synthetic import day_runs
from nicsim.errors import NicsimError
from nicsim.protocols import Scenario
from nicsim.protocols.timeexpr import parse_clock
from nicsim.solve.problem import model_parameters
from nicsim.solve.simulate import simulate_cohort

#: Days the model runs before the diary's first day, at the client's early average stress.
RUN_IN_DAYS = 28
#: Stress rating -> load window (clock times).
STRESS_WINDOW = ("08:00", "20:00")
#: Nights shorter than habitual by more than this (h) become shortened nights.
SHORT_NIGHT_H = 0.75
#: Salivary cortisol measurement noise (SD of log concentration). Assumption: salivary cortisol
#: assays and sampling-time errors give about 30-40 % CV between repeated samples.
CORTISOL_LOG_SD = 0.35


class ProjectionError(NicsimError, ValueError):
    """A projection cannot be made (too little data, unsupported condition, bad argument)."""


# ============================================================================ observation
#: Conditions the projection supports (the personal susceptibility is this condition's).
CONDITIONS = ("eczema", "psoriasis", "acne", "rosacea")
#: Diary fields the projection fits and projects.
CHANNELS = ("severity", "itch")


def observation_model(condition: str, severity_scale: str | None = None):
    """The diary observation model (:class:`nicsim.clinic.observation.ObservationModel`)."""

    try:
        return ObservationModel(condition, severity_scale or "")
    except NicsimError as exc:
        raise ProjectionError(str(exc)) from None


def _noise_bounds(link) -> tuple[float, float]:
    return 0.2 * link.noise_sd, 5.0 * link.noise_sd


def _profile_noise(link, y: np.ndarray, mu: np.ndarray) -> float:
    """Noise SD maximising the likelihood of ``y`` given ``mu`` (count links: unchanged)."""
    from dataclasses import replace

    from scipy.optimize import minimize_scalar

    if link.kind == "count" or not np.isfinite(y).any():
        return link.noise_sd
    lo, hi = _noise_bounds(link)
    res = minimize_scalar(
        lambda ls: -float(np.nansum(replace(link, noise_sd=math.exp(ls)).logpdf(y, mu))),
        bounds=(math.log(lo), math.log(hi)), method="bounded", options={"xatol": 1e-3})
    return float(math.exp(res.x))


# ============================================================================ personal parameters
@dataclass(frozen=True)
class PersonalParameter:
    """A fitted multiplier: model parameter id (``{condition}`` filled in), log-normal prior."""

    name: str
    parameter: str
    median: float
    cv: float
    lo: float
    hi: float
    source: str
    label: str

    @property
    def sigma(self) -> float:
        return math.sqrt(math.log1p(self.cv**2))


#: The personal parameters. Priors are the between-person distributions of the virtual
#: populations (``nicsim.analysis.population`` log-normal specs, ``{median, cv}``).
PERSONAL_PARAMETERS: dict[str, PersonalParameter] = {p.name: p for p in (
    PersonalParameter("stress_reactivity", "psyche.f_stress_reactivity", 1.0, 0.5, 0.2, 5.0,
                      "Assumption: log-normal cv 0.5, the spread of TSST cortisol responses "
                      "(several-fold between people; psyche.f_stress_reactivity)",
                      "stress reactivity"),
    PersonalParameter("distress_sensitivity", "distress.f_distress_sensitivity", 1.0, 0.4, 0.05,
                      5.0, "Population spec: distress_sensitivity {lognormal: {median: 1, "
                      "cv: 0.4}} (examples/trials/mindfulness_eczema.yaml)",
                      "distress sensitivity"),
    PersonalParameter("susceptibility", "{condition}.f_susceptibility", 1.0, 0.5, 0.05, 5.0,
                      "Population spec: susceptibility {lognormal: {median: 1, cv: 0.5}} "
                      "(examples/trials/mindfulness_eczema.yaml)", "condition susceptibility"),
)}
DEFAULT_FIT = ("stress_reactivity", "distress_sensitivity", "susceptibility")
#: Finite-difference steps (log space) of the fit: local differences for the Newton steps (the
#: solver's noise in the -log posterior is about 1e-4, so the Hessian's noise at this step is
#: a few units against curvatures of 10-10,000; with 0.1 the steps crawled along curved
#: valleys and some fits stopped short of the mode: scripts/clinic_fit_step_check.py) and a
#: wider secant for the Laplace covariance (see :func:`fit`).
SEARCH_FD_STEP = 0.01
COVARIANCE_FD_STEP = 0.1


# ============================================================================ client profile
@dataclass(frozen=True)
class ClientProfile:
    """What the intake knows about the client (not fitted)."""

    condition: str
    sex: str = "female"
    age: float = 30.0
    bedtime: str = "23:00"
    wake: str = "07:00"
    lesion_visibility: float = 0.5
    social_support: float = 0.5

    def __post_init__(self):
        if self.condition not in CONDITIONS:
            raise ProjectionError(f"condition: {self.condition!r} is not allowed; projection "
                                  f"supports {', '.join(CONDITIONS)}")

    def person(self, values: dict[str, float] | None = None) -> dict[str, Any]:
        v = values or {}
        susc = {self.condition: v.get("susceptibility", 1.0)}
        return {"sex": self.sex, "age": self.age,
                "stress_reactivity": v.get("stress_reactivity", 1.0),
                "distress_sensitivity": v.get("distress_sensitivity", 1.0),
                "lesion_visibility": self.lesion_visibility,
                "social_support": self.social_support,
                "susceptibility": susc, "sleep": {"bedtime": self.bedtime, "wake": self.wake}}

    @property
    def habitual_sleep_h(self) -> float:
        return (parse_clock(self.wake) - parse_clock(self.bedtime)) % 24.0


# ============================================================================ daily series
#: diary product name -> (event type, extra fields)
PRODUCT_EVENTS: dict[str, tuple[str, dict[str, Any]]] = {
    "emollient": ("emollient", {"coverage": 1.0}),
    "moisturiser": ("emollient", {"coverage": 1.0}),
    "moisturizer": ("emollient", {"coverage": 1.0}),
    "topical_corticosteroid": ("topical_corticosteroid", {"potency": 2}),
    "topical_steroid": ("topical_corticosteroid", {"potency": 2}),
    "hydrocortisone": ("topical_corticosteroid", {"potency": 1}),
    "retinoid_bpo": ("retinoid_bpo", {}),
    "adapalene_bpo": ("retinoid_bpo", {}),
    "benzoyl_peroxide": ("retinoid_bpo", {}),
}
#: the model's fraction of prescribed days a topical regimen is applied (population mean);
#: a client's diary says on which days she used it
TOPICAL_ADHERENCE = "acne.topical_adherence"
#: diary practice names the model acts on
PRACTICES_MODELLED = ("slow_breathing", "mindfulness", "relaxation", "social_support")


@dataclass
class DailySeries:
    """A diary as one row per day (NaN = not recorded)."""

    dates: list[dt.date]
    stress: np.ndarray
    sleep_hours: np.ndarray
    severity: np.ndarray
    itch: np.ndarray
    practices: list[frozenset[str]]
    products: list[frozenset[str]]
    recorded: np.ndarray

    @classmethod
    def from_diary(cls, diary) -> DailySeries:
        """From a :class:`nicsim.clinic.diary.Diary` (its ``daily()`` table)."""
        df = diary.daily()
        dates = [d.date() for d in df.index]
        prac, prod = [], []
        for _, row in df.iterrows():
            prac.append(frozenset(c.split(":", 1)[1] for c in df.columns
                                  if c.startswith("practice:") and row[c] == 1.0))
            prod.append(frozenset(c.split(":", 1)[1] for c in df.columns
                                  if c.startswith("product:") and row[c] == 1.0))
        return cls(dates, df["stress"].to_numpy(float), df["sleep_hours"].to_numpy(float),
                   df["severity"].to_numpy(float), df["itch"].to_numpy(float), prac, prod,
                   df["recorded"].to_numpy(bool))

    def __len__(self) -> int:
        return len(self.dates)

    def head(self, n: int) -> DailySeries:
        return DailySeries(self.dates[:n], self.stress[:n], self.sleep_hours[:n],
                           self.severity[:n], self.itch[:n], self.practices[:n],
                           self.products[:n], self.recorded[:n])

    def tail(self, n: int) -> DailySeries:
        k = len(self) - n
        return DailySeries(self.dates[k:], self.stress[k:], self.sleep_hours[k:],
                           self.severity[k:], self.itch[k:], self.practices[k:],
                           self.products[k:], self.recorded[k:])


# ============================================================================ scenario
def _clock(h: float) -> str:
    m = int(round((h % 24.0) * 60)) % (24 * 60)
    return f"{m // 60:02d}:{m % 60:02d}"


def _practice_events(name: str, day: int, n: int) -> list[dict[str, Any]]:
    if name == "slow_breathing":
        return [{"type": "slow_breathing", "start": f"day {day} 07:30", "session": "10 min",
                 "days": n}]
    if name == "relaxation":
        return [{"type": "hypnosis_relaxation", "start": f"day {day} 20:30",
                 "session": "20 min", "days": n}]
    if name == "social_support":
        return [{"type": "social_support", "start": f"day {day}", "days": n,
                 "daily_window": {"from": "19:00", "to": "20:00"}, "level": 1.0}]
    if name == "mindfulness":
        out = []
        if n >= 7:
            out.append({"type": "mindfulness_programme", "start": f"day {day} 19:30",
                        "weeks": n // 7, "daily_practice": "20 min"})
        if n % 7:
            out.append({"type": "mindfulness_programme",
                        "start": f"day {day + 7 * (n // 7)} 19:30", "weeks": 1,
                        "daily_practice": "20 min", "sessions_per_week": n % 7})
        return out
    return []


def exposure_events(stress: np.ndarray, sleep_hours: np.ndarray,
                    practices: Sequence[frozenset[str]], products: Sequence[frozenset[str]],
                    first_day: int, profile: ClientProfile) -> list[dict[str, Any]]:
    """Protocol events for consecutive days starting on scenario day ``first_day``: stress
    loads, shortened nights, practices done and products applied (NaN stress = no load)."""

    ev: list[dict[str, Any]] = []
    load = np.round(np.nan_to_num(np.asarray(stress, float), nan=0.0)) / 10.0
    i, n = 0, len(load)
    while i < n:
        j = i
        while j < n and load[j] == load[i]:
            j += 1
        if load[i] > 0:
            ev.append({"type": "chronic_stressor", "start": f"day {first_day + i}",
                       "period": f"{j - i} days", "load": float(load[i]),
                       "daily_window": {"from": STRESS_WINDOW[0], "to": STRESS_WINDOW[1]}})
        i = j
    habit = profile.habitual_sleep_h
    wake = parse_clock(profile.wake)
    for k, h in enumerate(sleep_hours):
        if np.isfinite(h) and h < habit - SHORT_NIGHT_H:
            night = first_day + k - 1  # the night before day first_day + k
            if night >= 1:
                ev.append({"type": "sleep_deprivation", "night": int(night),
                           "bedtime": _clock(wake - max(float(h), 1.0))})
    for name in PRACTICES_MODELLED:
        for a, m in day_runs([name in p for p in practices]):
            ev.extend(_practice_events(name, first_day + a, m))
    kinds: dict[str, list[bool]] = {}
    extra: dict[str, dict[str, Any]] = {}
    for k, prods in enumerate(products):
        for name in prods:
            if name in PRODUCT_EVENTS:
                typ, fields = PRODUCT_EVENTS[name]
                kinds.setdefault(typ, [False] * len(products))[k] = True
                extra[typ] = fields
    for typ, flags in kinds.items():
        for a, m in day_runs(flags):
            ev.append({"type": typ, "start": f"day {first_day + a}", "period": f"{m} days",
                       **extra[typ]})
    return ev


def _weekday(d: dt.date) -> str:
    return ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
            "sunday")[d.weekday()]


@dataclass(frozen=True)
class Layout:
    """Where the diary sits in the scenario: run-in days, diary days, future days."""

    run_in: int
    n_diary: int
    n_future: int
    first_date: dt.date

    @property
    def days(self) -> int:
        return self.run_in + self.n_diary + self.n_future

    def day_of(self, k: int) -> int:
        """Scenario day (1-based) of diary day index k (0 = the diary's first day)."""
        return self.run_in + 1 + k



def build_scenario(series: DailySeries, profile: ClientProfile, *, n_future: int = 0,
                   future_events: Sequence[dict[str, Any]] = (), run_in: int = RUN_IN_DAYS,
                   outputs: Sequence[str] = (), name: str = "client"):
    """The scenario (run-in + diary + ``n_future`` days) and its :class:`Layout`."""

    lay = Layout(run_in, len(series), n_future, series.dates[0])
    early = series.stress[:14]
    base = float(np.nanmean(early)) if np.isfinite(early).any() else 0.0
    ev: list[dict[str, Any]] = []
    if run_in > 0 and round(base) > 0:
        ev.append({"type": "chronic_stressor", "start": "day 1", "period": f"{run_in} days",
                   "load": round(base) / 10.0,
                   "daily_window": {"from": STRESS_WINDOW[0], "to": STRESS_WINDOW[1]}})
    stress = series.stress.copy()  # a day without a rating: the client's average stress
    rated = np.isfinite(stress)
    stress[~rated] = float(np.mean(stress[rated])) if rated.any() else 0.0
    # a day without a record: the practices and products of the last recorded day
    prac, prod = list(series.practices), list(series.products)
    for k in range(1, len(prac)):
        if not series.recorded[k]:
            prac[k], prod[k] = prac[k - 1], prod[k - 1]
    ev += exposure_events(stress, series.sleep_hours, prac, prod, lay.day_of(0), profile)
    ev += list(future_events)
    start_date = series.dates[0] - dt.timedelta(days=run_in)
    sc = Scenario.from_dict({
        "name": name, "start": "00:00", "start_weekday": _weekday(start_date),
        "duration": f"{lay.days} days", "output_interval": "1 h",
        "outputs": list(outputs) or None, "rtol": 1e-4,
        "person": profile.person(), "protocol": ev,
        # the diary records the days a product is used, and a plan is projected as
        # prescribed: products act in full on those days (no population adherence on top)
        "parameters": {TOPICAL_ADHERENCE: 1.0}})
    return sc, lay


# ============================================================================ fitting
@dataclass
class CortisolSample:
    """A salivary cortisol sample: date, clock time 'HH:MM', concentration in nmol/L."""

    date: dt.date
    time: str
    nmol_per_l: float


@dataclass
class FitResult:
    """A fitted client: posterior mode and Laplace covariance of the log multipliers."""

    profile: ClientProfile
    names: tuple[str, ...]
    mode: np.ndarray  # log multipliers
    cov: np.ndarray
    noise_sd: dict[str, float]
    n_obs: dict[str, int]
    iterations: int
    seconds: float
    series: DailySeries
    cortisol: list[CortisolSample] = field(default_factory=list)
    fitted: dict[str, np.ndarray] = field(default_factory=dict)  # diary-scale mean at the mode
    severity_scale: str = ""
    n_simulations: int = 0
    cpu_seconds: float = 0.0  # CPU time of this process (all threads) during the fit
    neg_log_posterior: float = math.nan  # at the mode (up to a constant)

    def observation(self):
        """The observation model with the fitted noise SDs."""
        om = observation_model(self.profile.condition, self.severity_scale)
        sd = {f: v for f, v in self.noise_sd.items() if om.links[f].kind != "count"}
        return om.with_noise(**sd)

    def summary(self) -> dict[str, Any]:
        """Median and 80 % interval of each multiplier (prior next to it)."""
        out = {}
        sd = np.sqrt(np.diag(self.cov))
        for k, n in enumerate(self.names):
            p = PERSONAL_PARAMETERS[n]
            out[n] = {"median": float(np.exp(self.mode[k])),
                      "lo80": float(np.exp(self.mode[k] - 1.2816 * sd[k])),
                      "hi80": float(np.exp(self.mode[k] + 1.2816 * sd[k])),
                      "prior_median": p.median, "prior_cv": p.cv, "label": p.label}
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"condition": self.profile.condition, "parameters": self.summary(),
                "noise_sd": self.noise_sd, "n_obs": self.n_obs, "iterations": self.iterations,
                "seconds": round(self.seconds, 2), "cpu_seconds": round(self.cpu_seconds, 2),
                "mode": self.mode.tolist(),
                "cov": self.cov.tolist(), "names": list(self.names)}


def _outputs(condition: str) -> list[str]:
    return list(dict.fromkeys([*model_outputs_for(condition), "cortisol_saliva"]))


def _param_matrix(model, sc, profile: ClientProfile, names: Sequence[str],
                  theta: np.ndarray) -> np.ndarray:
    """Parameter rows for log multipliers ``theta`` (rows x len(names))."""

    base = model_parameters(model, sc)
    P = np.repeat(base[None, :], theta.shape[0], axis=0)
    for k, n in enumerate(names):
        p = PERSONAL_PARAMETERS[n]
        pid = p.parameter.format(condition=profile.condition)
        j = model.parameter_ids.index(pid)
        P[:, j] = np.clip(np.exp(theta[:, k]), p.lo, p.hi)
    return P


def _run(model, sc, P, lay: Layout, condition: str) -> dict[str, np.ndarray]:
    """Cohort run -> daily model values (rows x diary + future days) and salivary cortisol."""

    ds = simulate_cohort(sc, P=P, model=model, rtol=1e-4)
    t = ds["time"].values[:-1]
    outs = {k: ds[k].values[:, :-1] for k in model_outputs_for(condition)}
    daily = daily_model_values(t, outs, condition, n_days=lay.days, start_clock_h=0.0)
    k0 = lay.run_in
    out = {f: daily[f][:, k0:k0 + lay.n_diary + lay.n_future] for f in ("severity", "itch")}
    out["__t"] = t
    out["__cortisol_full"] = ds["cortisol_saliva"].values[:, :-1]
    return out


def _cortisol_index(samples: Sequence[CortisolSample], lay: Layout, t: np.ndarray):
    idx, y = [], []
    for s in samples:
        k = (s.date - lay.first_date).days
        if not 0 <= k < lay.n_diary:
            continue
        tt = (lay.day_of(k) - 1) * 24.0 + parse_clock(s.time)
        idx.append(int(np.argmin(np.abs(t - tt))))
        y.append(math.log(s.nmol_per_l))
    return np.array(idx, dtype=int), np.array(y)


def fit(series: DailySeries, profile: ClientProfile, *, names: Sequence[str] = DEFAULT_FIT,
        cortisol: Sequence[CortisolSample] = (), severity_scale: str | None = None,
        max_iter: int = 10, model=None, search_step: float = SEARCH_FD_STEP,
        progress: Callable[[str], None] | None = None) -> FitResult:
    """Fit the personal parameters ``names`` to the diary: posterior mode by damped Newton
    steps on the log posterior (gradient and Hessian by finite differences in log space, one
    cohort run of 1 + 2d + d(d-1)/2 persons per step) and the Laplace covariance (inverse
    Hessian at the mode). The Newton steps use local differences (``search_step``, default
    :data:`SEARCH_FD_STEP`); the covariance uses differences over :data:`COVARIANCE_FD_STEP`,
    the secant curvature across a typical posterior width, since the posterior of these
    multipliers is often a curved, narrow valley whose local curvature along the valley says
    little about how far it extends. The noise SDs of the severity and itch links are profiled
    out (maximum likelihood at each trajectory)."""
    from dataclasses import replace

    t0, c0 = time.perf_counter(), time.process_time()
    obs_model = observation_model(profile.condition, severity_scale)
    sev_ok = np.isfinite(series.severity)
    if sev_ok.sum() < 14:
        raise ProjectionError(f"diary: {int(sev_ok.sum())} days with a severity rating; a fit "
                              "needs at least 14")
    if not (isinstance(search_step, (int, float)) and 0 < search_step <= 0.5):
        raise ProjectionError(f"search_step: {search_step!r} is not allowed; expected a "
                              "finite-difference step in log space, > 0 and <= 0.5")
    for n in names:
        if n not in PERSONAL_PARAMETERS:
            raise ProjectionError(f"names: {n!r} is not allowed; expected some of "
                                  f"{', '.join(PERSONAL_PARAMETERS)}")
    model = model or default_model()
    sc, lay = build_scenario(series, profile, outputs=_outputs(profile.condition))
    d = len(names)
    mu0 = np.array([math.log(PERSONAL_PARAMETERS[n].median) for n in names])
    s0 = np.array([PERSONAL_PARAMETERS[n].sigma for n in names])
    y = {"severity": series.severity, "itch": series.itch}
    links = {f: obs_model.links[f] for f in CHANNELS}
    n_evals = [0]

    def loglik(sim: dict[str, np.ndarray], row: int) -> tuple[float, dict[str, float]]:
        total, sds = 0.0, {}
        for f in CHANNELS:
            mu = links[f].mean({f: sim[f][row, :lay.n_diary]})
            sd = _profile_noise(links[f], y[f], mu)
            sds[f] = sd
            total += float(np.nansum(replace(links[f], noise_sd=sd).logpdf(y[f], mu)))
        if cortisol:
            ci, cy = _cortisol_index(cortisol, lay, sim["__t"])
            if ci.size:
                c = np.log(np.maximum(sim["__cortisol_full"][row, ci], 1e-3))
                total += float(-0.5 * np.sum(((cy - c) / CORTISOL_LOG_SD) ** 2))
        return total, sds

    def neg_post(sim, row, theta) -> float:
        return -loglik(sim, row)[0] + 0.5 * float(np.sum(((theta - mu0) / s0) ** 2))

    def run(rows: np.ndarray) -> dict[str, np.ndarray]:
        n_evals[0] += len(rows)
        return _run(model, sc, _param_matrix(model, sc, profile, names, rows), lay,
                    profile.condition)

    pairs = [(i, j) for i in range(d) for j in range(i + 1, d)]

    def newton_batch(theta: np.ndarray, h: float):
        """-log posterior, its gradient and Hessian (finite differences with step ``h`` in
        log space, one cohort run)."""
        E = np.eye(d) * h
        rows = [theta] + [theta + E[i] for i in range(d)] + [theta - E[i] for i in range(d)]
        rows += [theta + E[i] + E[j] for i, j in pairs]
        rows_a = np.array(rows)
        sim = run(rows_a)
        f = np.array([neg_post(sim, k, rows_a[k]) for k in range(len(rows_a))])
        g = (f[1:1 + d] - f[1 + d:1 + 2 * d]) / (2 * h)
        H = np.zeros((d, d))
        for i in range(d):
            H[i, i] = (f[1 + i] - 2 * f[0] + f[1 + d + i]) / h**2
        for m, (i, j) in enumerate(pairs):
            H[i, j] = H[j, i] = (f[1 + 2 * d + m] - f[1 + i] - f[1 + j] + f[0]) / h**2
        w, V = np.linalg.eigh(H)
        w = np.maximum(w, 1.0 / np.max(s0) ** 2)  # positive definite, never wider than prior
        return f[0], g, V, w, sim

    lo = np.log([PERSONAL_PARAMETERS[n].lo for n in names])
    hi = np.log([PERSONAL_PARAMETERS[n].hi for n in names])
    theta = mu0.copy()
    it = 0
    f0, g, V, w, sim = newton_batch(theta, search_step)
    for it in range(1, max_iter + 1):
        step = -(V / w) @ V.T @ g
        step *= min(1.0, 0.7 / max(float(np.max(np.abs(step))), 1e-12))  # at most x2 per step
        accepted = False
        for _ in range(4):
            cand = np.clip(theta + step, lo, hi)
            f_c = neg_post(run(cand[None, :]), 0, cand)
            if f_c < f0:
                accepted = True
                break
            step /= 2
        if progress:
            progress(f"iteration {it}: -log posterior {min(f0, f_c):.2f}; " + ", ".join(
                f"{n} {math.exp(v):.3g}" for n, v in
                zip(names, cand if accepted else theta, strict=True)))
        if not accepted:
            break
        theta = cand
        if float(np.max(np.abs(step))) < 0.02 or f0 - f_c < 0.05 or it == max_iter:
            break
        f0, g, V, w, sim = newton_batch(theta, search_step)
    f0, g, V, w, sim = newton_batch(theta, COVARIANCE_FD_STEP)
    cov = (V / w) @ V.T
    _, sds = loglik(sim, 0)
    fitted = {f_: links[f_].mean({f_: sim[f_][0, :lay.n_diary]}) for f_ in CHANNELS}
    return FitResult(profile, tuple(names), theta, cov, sds,
                     {"severity": int(sev_ok.sum()), "itch": int(np.isfinite(series.itch).sum()),
                      "cortisol": len(cortisol)}, it, time.perf_counter() - t0,
                     series, list(cortisol), fitted, obs_model.severity_scale, n_evals[0],
                     time.process_time() - c0, float(f0))


# ============================================================================ projection


@dataclass
class ArmProjection:
    """Draws of the diary scales on each future day under one arm (plan or no change)."""

    name: str
    severity: np.ndarray  # draws x days, with observation noise
    itch: np.ndarray
    severity_mean: np.ndarray  # draws x days, model mean (no noise)

    def band(self, channel: str, level: float = 0.8) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(lower, median, upper) of the ``level`` prediction interval per day."""
        x = getattr(self, channel)
        a = (1 - level) / 2
        return (np.quantile(x, a, axis=0), np.median(x, axis=0), np.quantile(x, 1 - a, axis=0))

    def weekly(self, channel: str, level: float = 0.8):
        """(lower, median, upper) of each future week's mean, shape (weeks,)."""
        x = getattr(self, channel)
        w = x.shape[1] // 7
        m = x[:, :7 * w].reshape(x.shape[0], w, 7).mean(axis=2)
        a = (1 - level) / 2
        return np.quantile(m, a, axis=0), np.median(m, axis=0), np.quantile(m, 1 - a, axis=0)


@dataclass
class Projection:
    """A client's projection: future dates and one :class:`ArmProjection` per arm."""

    dates: list[dt.date]
    arms: dict[str, ArmProjection]
    fit: FitResult
    plan: CarePlan | None
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"dates": [d.isoformat() for d in self.dates],
                               "fit": self.fit.to_dict(),
                               "plan": self.plan.to_dict() if self.plan else None, "arms": {}}
        for name, arm in self.arms.items():
            a: dict[str, Any] = {}
            for ch in CHANNELS:
                lo, med, hi = arm.band(ch)
                a[ch] = {"lo80": lo.round(2).tolist(), "median": med.round(2).tolist(),
                         "hi80": hi.round(2).tolist()}
            wlo, wmed, whi = arm.weekly("severity")
            a["severity_weekly"] = {"lo80": wlo.round(2).tolist(), "median": wmed.round(2).tolist(),
                                    "hi80": whi.round(2).tolist()}
            out["arms"][name] = a
        return out


@dataclass
class FutureWeeks:
    """One drawn future: whole weeks of the client's own recent diary (block bootstrap), each
    day with its stress rating, sleep, and the practices and products she recorded that day."""

    stress: np.ndarray
    sleep: np.ndarray
    practices: list[frozenset[str]]
    products: list[frozenset[str]]


def _future_weeks(series: DailySeries, n_days: int, rng: np.random.Generator,
                  weeks_back: int = 8) -> FutureWeeks:
    """Future days as whole weeks drawn from the client's recent weeks: stress, sleep and what
    she did, so "no change" keeps each practice and product at the frequency (and on the kind
    of day) she recorded it. A day without a diary entry takes the practices and products of
    a recorded day drawn from the same recent weeks (its stress is her mean rating, its sleep
    her habitual night)."""
    n = len(series)
    w = max(1, min(weeks_back, n // 7))
    blocks = [(n - 7 * (b + 1), n - 7 * b) for b in range(w)]
    recorded = [k for k in range(blocks[-1][0], n) if series.recorded[k]]
    mean_s = float(np.nanmean(series.stress)) if np.isfinite(series.stress).any() else 0.0
    stress, sleep, prac, prod = [], [], [], []
    while len(prac) < n_days:
        a, b = blocks[int(rng.integers(len(blocks)))]
        s = series.stress[a:b].copy()
        s[~np.isfinite(s)] = mean_s
        stress.append(s)
        sleep.append(series.sleep_hours[a:b])
        for k in range(a, b):
            if not series.recorded[k] and recorded:
                k = recorded[int(rng.integers(len(recorded)))]
            prac.append(series.practices[k] if series.recorded[k] else frozenset())
            prod.append(series.products[k] if series.recorded[k] else frozenset())
    return FutureWeeks(np.concatenate(stress)[:n_days], np.concatenate(sleep)[:n_days],
                       prac[:n_days], prod[:n_days])


def _arm_events(name: str, plan: CarePlan | None, future: FutureWeeks, first_day: int,
                n_days: int, profile: ClientProfile) -> list[dict[str, Any]]:
    prac, prod, sleep = future.practices, future.products, future.sleep
    plan_events: list[dict[str, Any]] = []
    if name != "no change" and plan is not None:
        kinds = {s.kind for s in plan.steps}
        covered = plan.practices()
        prac = [frozenset(p for p in day if p not in covered) for day in prac]
        prod = [frozenset(p for p in day if PRODUCT_EVENTS.get(p, ("",))[0] not in kinds)
                for day in prod]
        if "sleep_schedule" in kinds:
            sleep = np.full(len(sleep), np.nan)
        plan_events = plan.events(first_day, n_days)
    return exposure_events(future.stress, sleep, prac, prod, first_day, profile) + plan_events


def project(fitted: FitResult, plan: CarePlan | None = None, *, weeks: int = 8,
            n_draws: int = 60, n_futures: int = 6, rng: int | np.random.Generator = 0,
            model=None, progress: Callable[[str], None] | None = None) -> Projection:
    """Project ``weeks`` (4 to 12) ahead under ``plan`` and under no change."""

    if not 1 <= weeks <= 12:
        raise ProjectionError(f"weeks: {weeks!r} is not allowed; expected 1 to 12 (4-12 for "
                              "a client projection)")
    if n_draws < n_futures or n_futures < 1:
        raise ProjectionError(f"n_draws: {n_draws} is not allowed; expected at least "
                              f"n_futures ({n_futures}) and n_futures >= 1")
    t0 = time.perf_counter()
    rng = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
    model = model or default_model()
    profile, series = fitted.profile, fitted.series
    om = fitted.observation()
    outs = _outputs(profile.condition)
    H = 7 * weeks
    arms = ["no change"] + ([plan.name if plan.name != "no change" else "plan"]
                            if plan is not None else [])
    theta = rng.multivariate_normal(fitted.mode, fitted.cov, size=n_draws)
    groups = np.array_split(np.arange(n_draws), n_futures)
    res = {a: {"severity": np.empty((n_draws, H)), "itch": np.empty((n_draws, H)),
               "mean": np.empty((n_draws, H))} for a in arms}
    for g, idx in enumerate(groups):
        future = _future_weeks(series, H, rng)
        for a in arms:
            first = RUN_IN_DAYS + len(series) + 1
            ev = _arm_events(a, plan, future, first, H, profile)
            sc, lay = build_scenario(series, profile, n_future=H, future_events=ev,
                                     outputs=outs)
            sim = _run(model, sc, _param_matrix(model, sc, profile, fitted.names, theta[idx]),
                       lay, profile.condition)
            mu = {f: om.links[f].mean({f: sim[f][:, lay.n_diary:]}) for f in CHANNELS}
            res[a]["mean"][idx] = mu["severity"]
            for f in CHANNELS:
                res[a][f][idx] = om.links[f].sample(mu[f], rng)
        if progress:
            progress(f"future {g + 1}/{len(groups)} projected")
    dates = [series.dates[-1] + dt.timedelta(days=k + 1) for k in range(H)]
    return Projection(dates, {a: ArmProjection(a, r["severity"], r["itch"], r["mean"])
                              for a, r in res.items()}, fitted, plan, time.perf_counter() - t0)


# ============================================================================ on course?
@dataclass
class CourseCheck:
    """Projected vs observed for the days observed so far."""

    arm: str
    n_days: int
    inside80: float  # share of observed severity ratings inside the daily 80 % band
    week: int | None  # latest future week with at least 4 ratings (1-based)
    observed_week_mean: float | None
    band_week: tuple[float, float] | None
    status: str
    sentence: str


def compare(projection: Projection, observed: DailySeries, arm: str | None = None) -> CourseCheck:
    """Compare later diary days with the projection under ``arm`` (default: the plan, else no
    change): the share of days inside the 80 % band and whether the latest week's mean severity
    is inside ("on course"), below ("better than projected") or above ("worse than
    projected") the projected 80 % range of that week's mean."""
    arm = arm or list(projection.arms)[-1]
    if arm not in projection.arms:
        raise ProjectionError(f"arm: {arm!r} is not allowed; expected one of "
                              f"{', '.join(projection.arms)}")
    a = projection.arms[arm]
    lo, _, hi = a.band("severity")
    wlo, _, whi = a.weekly("severity")
    return course_check(arm, projection.dates, (lo, hi), (wlo, whi), observed.dates,
                        observed.severity)


def course_check(arm: str, dates, daily80, weekly80, observed_dates, observed_severity
                 ) -> CourseCheck:
    """:func:`compare` on a projection's stored bands: ``dates`` the projected days,
    ``daily80`` = (lower, upper) of each day's 80 % interval, ``weekly80`` = (lower, upper) of
    each projected week's mean (as :meth:`Projection.to_dict` stores them under ``daily`` /
    ``weekly``); observed days outside the projection or without a rating are ignored."""
    lo, hi = (np.asarray(x, dtype=float) for x in daily80)
    wlo, whi = (np.asarray(x, dtype=float) for x in weekly80)
    pos = {d: k for k, d in enumerate(dates)}
    ks, ys = [], []
    for d, y in zip(observed_dates, observed_severity, strict=True):
        if d in pos and y is not None and np.isfinite(y):
            ks.append(pos[d])
            ys.append(float(y))
    if not ks:
        return CourseCheck(arm, 0, math.nan, None, None, None, "no data",
                           "No diary days inside the projection period yet.")
    ks_a, ys_a = np.array(ks), np.array(ys)
    inside = float(np.mean((ys_a >= lo[ks_a]) & (ys_a <= hi[ks_a])))
    week = mean = band = None
    for w in range(len(wlo) - 1, -1, -1):
        sel = (ks_a >= 7 * w) & (ks_a < 7 * w + 7)
        if sel.sum() >= 4:
            week, mean, band = w + 1, float(ys_a[sel].mean()), (float(wlo[w]), float(whi[w]))
            break
    if week is None:
        status = "too early"
        sentence = (f"{len(ks)} days observed; a verdict needs a week with at least 4 ratings. "
                    f"{inside:.0%} of the ratings so far are inside the projected 80 % band.")
    else:
        status = ("on course" if band[0] <= mean <= band[1]
                  else "better than projected" if mean < band[0] else "worse than projected")
        sentence = (f"Week {week}: mean severity {mean:.1f}, projected 80 % range "
                    f"{band[0]:.1f}-{band[1]:.1f} under '{arm}': {status}. {inside:.0%} of the "
                    f"{len(ks)} daily ratings were inside the daily 80 % band.")
    return CourseCheck(arm, len(ks), inside, week, mean, band, status, sentence)


# ============================================================================ synthetic clients
@dataclass
class SyntheticClient:
    """A virtual client with known personal parameters: her complete exposures, the model's
    noise-free diary scales (``true_severity``, ``true_itch``) and the noisy diary."""

    profile: ClientProfile
    truth: dict[str, float]
    observed: DailySeries
    true_severity: np.ndarray
    true_itch: np.ndarray
    noise_sd: dict[str, float]
    cortisol_hourly: np.ndarray  # true salivary cortisol (nmol/L), hourly from diary day 1 00:00


#: Typical practice and product use of the synthetic clients (probability per day).
SYNTHETIC_HABITS: dict[str, dict[str, float]] = {
    "eczema": {"product:emollient": 0.7, "practice:slow_breathing": 0.3},
    "psoriasis": {"product:emollient": 0.5, "practice:mindfulness": 0.3},
    "acne": {"product:retinoid_bpo": 0.6, "practice:slow_breathing": 0.2},
    "rosacea": {"product:emollient": 0.5, "practice:relaxation": 0.2},
}


def synthetic_exposures(n_days: int, rng: np.random.Generator, *, mean_stress: float = 4.0,
                        habitual_sleep_h: float = 8.0, habits: dict[str, float] | None = None,
                        first_weekday: int = 0):
    """Daily stress (0-10: weekday/weekend rhythm, AR(1) day-to-day noise, occasional stressful
    weeks), sleep hours (shorter after stressful days), practices and products (random days at
    the ``habits`` probabilities). Assumption: a plausible pattern, not fitted to diaries."""
    wd = (first_weekday + np.arange(n_days)) % 7
    episode = np.zeros(n_days)
    for start in range(0, n_days, 7):
        if rng.random() < 0.2:
            episode[start:start + 7] = 2.5
    e = np.zeros(n_days)
    for k in range(n_days):
        e[k] = (0.6 * e[k - 1] if k else 0.0) + 1.2 * rng.standard_normal()
    stress = np.clip(np.round(mean_stress + np.where(wd >= 5, -1.5, 0.6) + episode + e), 0, 10)
    sleep = np.round(2 * np.clip(habitual_sleep_h - 0.3 * (stress - mean_stress)
                                 + 0.7 * rng.standard_normal(n_days), 3.0, 11.0)) / 2
    prac: list[frozenset[str]] = []
    prod: list[frozenset[str]] = []
    for _ in range(n_days):
        done = [n for n, pr in (habits or {}).items() if rng.random() < pr]
        prac.append(frozenset(n.split(":", 1)[1] for n in done if n.startswith("practice:")))
        prod.append(frozenset(n.split(":", 1)[1] for n in done if n.startswith("product:")))
    return stress, sleep, prac, prod


def synthetic_client(condition: str, *, days: int = 90, seed: int = 0,
                     truth: dict[str, float] | None = None, missing: float = 0.1,
                     mean_stress: float = 4.0, start: dt.date = dt.date(2026, 1, 5),
                     profile: ClientProfile | None = None, plan: CarePlan | None = None,
                     plan_day: int | None = None, adherence: float = 0.8,
                     model=None) -> SyntheticClient:
    """A virtual client: personal parameters drawn from the priors (or ``truth``), exposures
    from :func:`synthetic_exposures`, the model run with her true parameters, and a diary with
    observation noise and ``missing`` days (share of days not recorded). With a ``plan``, from
    diary day index ``plan_day`` on she does each of the plan's practices and products on a
    share ``adherence`` of the days (instead of her earlier habits)."""

    rng = np.random.default_rng(seed)
    profile = profile or ClientProfile(condition=condition)
    model = model or default_model()
    if truth is None:
        truth = {n: float(np.clip(p.median * math.exp(p.sigma * rng.standard_normal()
                                                       - p.sigma**2 / 2), 0.3, 3.0))
                 for n, p in PERSONAL_PARAMETERS.items()}
    stress, sleep, prac, prod = synthetic_exposures(
        days, rng, mean_stress=mean_stress, habitual_sleep_h=profile.habitual_sleep_h,
        habits=SYNTHETIC_HABITS.get(condition), first_weekday=start.weekday())
    if plan is not None and plan_day is not None:
        items = [f"practice:{p}" for p in plan.practices()] + [
            f"product:{p}" for p in plan.products()]
        for k in range(plan_day, days):
            done = [n for n in items if rng.random() < adherence]
            prac[k] = frozenset(n.split(":", 1)[1] for n in done if n.startswith("practice:"))
            prod[k] = frozenset(n.split(":", 1)[1] for n in done if n.startswith("product:"))
    dates = [start + dt.timedelta(days=k) for k in range(days)]
    nan = np.full(days, np.nan)
    complete = DailySeries(dates, stress, sleep, nan, nan, prac, prod, np.ones(days, bool))
    om = observation_model(condition)
    sc, lay = build_scenario(complete, profile, outputs=_outputs(condition))
    names = tuple(truth)
    th = np.log(np.array([[truth[n] for n in names]]))
    sim = _run(model, sc, _param_matrix(model, sc, profile, names, th), lay, condition)
    true_sev = om.links["severity"].mean({"severity": sim["severity"][0]})
    true_itch = om.links["itch"].mean({"itch": sim["itch"][0]})
    noise = {f: om.links[f].noise_sd for f in CHANNELS}
    sev = om.links["severity"].sample(true_sev, rng)
    itch = om.links["itch"].sample(true_itch, rng)
    rec = rng.random(days) >= missing
    obs = DailySeries(dates, np.where(rec, stress, np.nan), np.where(rec, sleep, np.nan),
                      np.where(rec, sev, np.nan), np.where(rec, itch, np.nan),
                      [p if r else frozenset() for p, r in zip(prac, rec, strict=True)],
                      [p if r else frozenset() for p, r in zip(prod, rec, strict=True)], rec)
    h0 = lay.run_in * 24
    cort = sim["__cortisol_full"][0, h0:h0 + 24 * days]
    return SyntheticClient(profile, truth, obs, true_sev, true_itch, noise, cort)


def series_to_diary(series: DailySeries, condition: str, client_id: str = "client",
                    plan: CarePlan | None = None):
    """A :class:`nicsim.clinic.diary.Diary` from a daily series (recorded days only)."""

    entries = []
    for k, d in enumerate(series.dates):
        if not series.recorded[k]:
            continue

        def val(x, nd=1):
            return None if not np.isfinite(x) else round(float(x), nd) + 0.0  # no -0.0

        entries.append(DiaryEntry(date=d, stress=val(series.stress[k]),
                                  sleep_hours=val(series.sleep_hours[k]),
                                  severity=val(series.severity[k]), itch=val(series.itch[k]),
                                  practices=tuple(sorted(series.practices[k])),
                                  products=tuple(sorted(series.products[k]))))
    plan_d = {"products": plan.products(), "practices": plan.practices()} if plan else {}
    return Diary(client_id=client_id, condition=condition,
                 severity_scale=DEFAULT_SCALE[condition], start=series.dates[0],
                 end=series.dates[-1], plan=plan_d, entries=tuple(entries))


# ============================================================================ held-out checks
def _baselines(train: np.ndarray, horizon: int) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Gaussian predictive (mean, sd) for days 1..horizon after the training days:
    persistence (last recorded value; spread of h-day changes in the training days) and AR(1)
    (fitted to consecutive recorded days; h-step mean and variance)."""
    y = np.asarray(train, float)
    idx = np.flatnonzero(np.isfinite(y))
    last_i = int(idx[-1])
    gap = len(y) - 1 - last_i  # days between the last record and the end of training
    h = np.arange(1, horizon + 1) + gap
    # persistence
    sd_p = np.empty(horizon)
    for k, hh in enumerate(h):
        a, b = y[:-hh], y[hh:]
        ok = np.isfinite(a) & np.isfinite(b)
        sd_p[k] = float(np.std(b[ok] - a[ok])) if ok.sum() >= 5 else float(np.nanstd(y))
    pers = (np.full(horizon, y[last_i]), np.maximum(sd_p, 1e-6))
    # AR(1) around the training mean
    a, b = y[:-1], y[1:]
    ok = np.isfinite(a) & np.isfinite(b)
    mu = float(np.nanmean(y))
    xa, xb = a[ok] - mu, b[ok] - mu
    phi = float(np.clip(np.dot(xa, xb) / max(np.dot(xa, xa), 1e-12), -0.99, 0.99))
    s2 = float(np.mean((xb - phi * xa) ** 2))
    mean = mu + phi**h * (y[last_i] - mu)
    var = s2 * (1 - phi ** (2 * h)) / (1 - phi**2)
    ar1 = (mean, np.sqrt(np.maximum(var, 1e-12)))
    return {"persistence": pers, "ar1": ar1}


def interval_coverage(draws: np.ndarray, y: np.ndarray, level: float = 0.8) -> np.ndarray:
    """Expected coverage of the central ``level`` interval for each observation, from the
    randomised probability integral transform (PIT) of Czado, Gneiting & Held (2009,
    Biometrics 65:1254-61) for discrete scales.

    ``draws`` is draws x observations, ``y`` the observations. With the predictive CDF ``F``
    from the draws, a discrete observation's PIT is uniform on ``[F(y-), F(y)]``; the returned
    value is the share of that range inside ``[(1 - level)/2, (1 + level)/2]``. For a
    continuous scale (no ties) this is 1 when ``y`` lies between the two quantiles and 0
    otherwise, as before; for a whole-number scale (itch NRS, lesion counts) it no longer counts
    a rating on an interval end as fully inside, which made a calibrated projection look
    over-covered (an interval between two whole-number quantiles holds more than ``level`` of
    the ratings)."""
    d = np.asarray(draws, float)
    y = np.asarray(y, float)
    if d.ndim != 2 or d.shape[1] != y.shape[0]:
        raise ProjectionError(f"draws: shape {d.shape} does not match {y.shape[0]} observations")
    lo_u, hi_u = (1 - level) / 2, (1 + level) / 2
    f_below = np.mean(d < y, axis=0)
    f_at = np.mean(d <= y, axis=0)
    width = f_at - f_below
    overlap = np.clip(np.minimum(f_at, hi_u) - np.maximum(f_below, lo_u), 0.0, None)
    point = ((f_at >= lo_u) & (f_at <= hi_u)).astype(float)
    return np.where(width > 0, overlap / np.where(width > 0, width, 1.0), point)


def holdout_check(client: SyntheticClient, *, n_train: int, horizon: int, n_draws: int = 40,
                  n_futures: int = 4, seed: int = 0, model=None) -> dict[str, Any]:
    """Fit a synthetic client's first ``n_train`` days, project ``horizon`` days with no
    change, and score the projection on the held-out recorded days: 80 % interval coverage
    and CRPS (``scoringrules``) next to the persistence and AR(1) baselines."""
    import scoringrules as sr

    if horizon % 7:
        raise ProjectionError(f"horizon: {horizon} is not allowed; whole weeks (7, 14, ...)")
    obs = client.observed
    if n_train + horizon > len(obs):
        raise ProjectionError(f"n_train + horizon: {n_train + horizon} is more than the "
                              f"{len(obs)} diary days")
    train = obs.head(n_train)
    f = fit(train, client.profile, model=model)
    p = project(f, None, weeks=horizon // 7, n_draws=n_draws, n_futures=n_futures, rng=seed,
                model=model)
    arm = p.arms["no change"]
    out: dict[str, Any] = {"condition": client.profile.condition, "fit_seconds": f.seconds,
                           "truth": client.truth, "fitted": {n: v["median"] for n, v in
                                                             f.summary().items()}}
    for ch in CHANNELS:
        y = getattr(obs, ch)[n_train:n_train + horizon]
        ok = np.isfinite(y)
        draws = getattr(arm, ch)
        lo, _, hi = arm.band(ch)
        base = _baselines(getattr(train, ch), horizon)
        crps_model = np.asarray(sr.crps_ensemble(y[ok], draws[:, ok].T))
        res = {"n": int(ok.sum()),
               # expected number inside the 80 % interval (randomised PIT: exact for the
               # whole-number scales, the same as "between the quantiles" for continuous ones)
               "inside80": float(np.sum(interval_coverage(draws[:, ok], y[ok]))),
               "inside80_quantiles": int(np.sum((y[ok] >= lo[ok]) & (y[ok] <= hi[ok]))),
               "crps_model": float(np.mean(crps_model))}
        for name, (m, s) in base.items():
            res[f"crps_{name}"] = float(np.mean(sr.crps_normal(y[ok], m[ok], s[ok])))
        out[ch] = res
    return out


def holdout_table(results: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Pooled 80 % coverage and mean CRPS per condition and diary field (CRPS is in the
    field's own units, so it is compared within a row only), plus an "all" coverage row."""
    rows = []
    conds = sorted({r["condition"] for r in results})
    for ch in CHANNELS:
        for cond in [*conds, "all"]:
            rs = [r[ch] for r in results if r[ch]["n"] > 0 and cond in ("all", r["condition"])]
            n = sum(r["n"] for r in rs)
            row: dict[str, Any] = {"field": ch, "condition": cond, "clients": len(rs),
                                   "days": n,
                                   "coverage80": sum(r["inside80"] for r in rs) / max(n, 1),
                                   "coverage80_quantiles": sum(
                                       r.get("inside80_quantiles", r["inside80"])
                                       for r in rs) / max(n, 1)}
            for k in ("crps_model", "crps_persistence", "crps_ar1"):
                row[k] = (float(sum(r[k] * r["n"] for r in rs) / max(n, 1))
                          if cond != "all" else math.nan)
            row["beats_persistence"] = float(np.mean(
                [r["crps_model"] < r["crps_persistence"] for r in rs])) if rs else math.nan
            row["beats_ar1"] = float(np.mean(
                [r["crps_model"] < r["crps_ar1"] for r in rs])) if rs else math.nan
            rows.append(row)
    return rows
