"""Observation model: from the mechanistic model's daily states to the diary's scales.

A client does not report EASI or PSS-10; she reports a daily stress 0-10, hours slept, an itch
NRS, her own severity rating (PO-SCORAD, SAPASI, a lesion count ...) and a mood 0-10. This module
states how each diary scale relates to the model, so that the model can both **generate**
diaries (:meth:`ObservationModel.sample`) and be **fitted** to them
(:meth:`ObservationModel.log_likelihood`).

Each diary field has a :class:`ScaleLink`: a latent mean computed from daily model values
(:func:`daily_model_values`), a noise standard deviation and a link kind:

* ``ordinal``: the client reports a whole number on a bounded scale (NRS 0-10): reported =
  round(latent + noise), clipped to the bounds; likelihood = interval-censored normal (ordered
  probit with unit-width cut points).
* ``continuous``: reported = latent + noise, clipped; likelihood = normal density, censored at
  the bounds.
* ``count``: a lesion count, negative binomial with mean = latent (dispersion ``nb_size``).

Every link states its source. Most noise levels are **assumptions**: no study reports the
day-to-day self-report error of these scales against a model state; they are set to typical
test-retest differences and can be changed per client.

Daily model values (keys of the dict ``daily_model_values`` returns):

``perceived_stress`` PSS-10 (0-40), daily mean; ``stressor_load`` mean of the protocol's
stressor inputs (``chronic_stressor`` + ``acute_stressor``) over the waking hours of the day;
``sleep_hours`` hours asleep in the night ending that morning (from the ``asleep`` input);
``severity`` the condition's clinical score (EASI, PASI, acne lesions, rosacea CEA, vitiligo
BSA), daily mean; ``itch`` the condition's itch NRS (``eczema_itch`` for eczema, else
``itch``); ``mood`` PHQ-9-like depressive symptoms (0-27), daily mean.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import numpy as np

from nicsim.clinic.diary import DEFAULT_SCALE, SEVERITY_SCALES
from nicsim.errors import NicsimError

HOURS_PER_DAY = 24.0

#: Model output holding each condition's clinical severity and its itch.
SEVERITY_OUTPUT: dict[str, str] = {"eczema": "easi", "psoriasis": "pasi", "acne": "acne_lesions",
                                   "rosacea": "rosacea_erythema", "vitiligo": "vitiligo_bsa"}
ITCH_OUTPUT: dict[str, str] = {"eczema": "eczema_itch"}


def model_outputs_for(condition: str) -> list[str]:
    """The ``simulate`` outputs :func:`daily_model_values` needs for ``condition``."""
    if condition not in SEVERITY_OUTPUT:
        raise NicsimError(f"condition: {condition!r} is not allowed; one of "
                          f"{', '.join(SEVERITY_OUTPUT)} (the model has no severity for others)")
    return ["perceived_stress", "mood", SEVERITY_OUTPUT[condition],
            ITCH_OUTPUT.get(condition, "itch")]


# ============================================================================ links


def _piecewise(x: np.ndarray, xs: tuple[float, ...], ys: tuple[float, ...]) -> np.ndarray:
    """Piecewise-linear through the points; extended linearly beyond the last one."""
    x = np.asarray(x, dtype=float)
    y = np.interp(x, xs, ys)
    slope = (ys[-1] - ys[-2]) / (xs[-1] - xs[-2])
    return np.where(x > xs[-1], ys[-1] + slope * (x - xs[-1]), y)


#: EASI -> SCORAD by matching the severity strata of both scores (Chopra R et al. 2017,
#: Br J Dermatol 177:1316: EASI 0-7 / 7.1-21 / 21.1-50 mild / moderate / severe; SCORAD <25 /
#: 25-50 / >50), then PO-SCORAD ~ SCORAD (Stalder JF et al. 2011, Allergy 66:1114: PO-SCORAD
#: and SCORAD correlate, r = 0.67-0.8). Derived; 72 -> 103 closes both scales' maxima.
EASI_TO_SCORAD = ((0.0, 7.1, 21.0, 50.0, 72.0), (0.0, 25.0, 50.0, 80.0, 103.0))


@dataclass(frozen=True)
class ScaleLink:
    """How one diary field is generated from daily model values.

    ``mean(v)`` = ``offset + sum(coef[k] * f(v[k]))`` where ``f`` is the identity or, for
    ``severity`` on PO-SCORAD, the EASI -> SCORAD map. ``noise_sd`` is in the diary scale's
    unit. ``source`` says where the link and the noise come from.
    """

    field: str
    kind: str  # "ordinal" | "continuous" | "count"
    coef: Mapping[str, float]
    offset: float
    noise_sd: float
    low: float
    high: float
    source: str
    transform: str = ""  # "" | "easi_to_scorad"
    nb_size: float = 5.0  # negative binomial size (count links)

    def mean(self, values: Mapping[str, np.ndarray]) -> np.ndarray:
        out = None
        for k, c in self.coef.items():
            if k not in values:
                raise NicsimError(f"daily model values: {k!r} is missing; the {self.field} link "
                                  f"needs {', '.join(self.coef)}")
            x = np.asarray(values[k], dtype=float)
            if self.transform == "easi_to_scorad" and k == "severity":
                x = _piecewise(x, *EASI_TO_SCORAD)
            out = c * x if out is None else out + c * x
        assert out is not None
        return out + self.offset

    def sample(self, mu: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        mu = np.asarray(mu, dtype=float)
        if self.kind == "count":
            m = np.clip(mu, 1e-9, None)
            p = self.nb_size / (self.nb_size + m)
            return rng.negative_binomial(self.nb_size, p).astype(float)
        y = mu + self.noise_sd * rng.standard_normal(mu.shape)
        if self.kind == "ordinal":
            y = np.round(y)
        return np.clip(y, self.low, self.high)

    def logpdf(self, y: np.ndarray, mu: np.ndarray) -> np.ndarray:
        """Log-likelihood of each reported value (NaN where ``y`` is missing)."""
        from scipy import stats

        y = np.asarray(y, dtype=float)
        mu = np.broadcast_to(np.asarray(mu, dtype=float), y.shape)
        out = np.full(y.shape, np.nan)
        ok = np.isfinite(y)
        yo, mo = y[ok], mu[ok]
        if self.kind == "count":
            m = np.clip(mo, 1e-9, None)
            out[ok] = stats.nbinom.logpmf(np.round(yo), self.nb_size,
                                          self.nb_size / (self.nb_size + m))
            return out
        s = self.noise_sd
        if self.kind == "ordinal":
            lo = np.where(yo <= self.low, -np.inf, yo - 0.5)
            hi = np.where(yo >= self.high, np.inf, yo + 0.5)
            p = stats.norm.cdf((hi - mo) / s) - stats.norm.cdf((lo - mo) / s)
            out[ok] = np.log(np.clip(p, 1e-300, None))
            return out
        ll = stats.norm.logpdf(yo, mo, s)
        at_lo, at_hi = yo <= self.low, yo >= self.high
        ll = np.where(at_lo, stats.norm.logcdf((self.low - mo) / s), ll)
        ll = np.where(at_hi, stats.norm.logsf((self.high - mo) / s), ll)
        out[ok] = ll
        return out


def default_links(condition: str, severity_scale: str = "") -> dict[str, ScaleLink]:
    """The links for one condition and severity scale (defaults per condition)."""

    if condition not in SEVERITY_OUTPUT:
        raise NicsimError(f"condition: {condition!r} is not allowed; one of "
                          f"{', '.join(SEVERITY_OUTPUT)}")
    scale_id = severity_scale or DEFAULT_SCALE[condition]
    if scale_id not in SEVERITY_SCALES:
        raise NicsimError(f"severity_scale: {scale_id!r} is not allowed; one of "
                          f"{', '.join(SEVERITY_SCALES)}")
    scale = SEVERITY_SCALES[scale_id]
    links = {
        "stress": ScaleLink(
            "stress", "ordinal", {"perceived_stress": 0.25, "stressor_load": 5.0}, 0.0, 1.2,
            0, 10, "Assumption: the daily stress NRS reflects the felt stress level (PSS-10/4, "
            "same 0-10 span) plus that day's stressors (a full-load day adds 5 points); noise "
            "1.2 points, about the day-to-day error of single-item stress ratings"),
        "sleep_hours": ScaleLink(
            "sleep_hours", "continuous", {"sleep_hours": 1.0}, 0.3, 0.6, 0, 24,
            "Lauderdale DS et al. 2008, Epidemiology 19:838: self-reported sleep exceeds "
            "actigraphic sleep by about 0.3-0.8 h; noise 0.6 h (assumption)"),
        "sleep_quality": ScaleLink(
            "sleep_quality", "ordinal", {"sleep_hours": 1.0, "perceived_stress": -0.05}, -0.5,
            1.5, 0, 10, "Assumption: quality 0-10 rises about 1 point per hour slept (7 h -> "
            "about 6) and falls with felt stress; noise 1.5 points"),
        "itch": ScaleLink(
            "itch", "ordinal", {"itch": 1.0}, 0.0, 1.0, 0, 10,
            "Phan NQ et al. 2012, Acta Derm Venereol 92:502 (itch NRS 0-10); the model's itch is "
            "on the NRS scale; noise 1 point (assumption; about the NRS test-retest difference)"),
        "mood": ScaleLink(
            "mood", "ordinal", {"mood": -0.4}, 8.2, 1.2, 0, 10,
            "Assumption: mood 0-10 (10 = very good) falls 0.4 points per PHQ-9 point from 7 at "
            "the population mean PHQ-9 of 3; noise 1.2 points"),
    }
    sev_source = {
        "po_scorad": ("continuous", 1.0, 4.0, "easi_to_scorad",
                      "Derived: EASI -> SCORAD by severity strata (Chopra 2017), PO-SCORAD ~ "
                      "SCORAD (Stalder 2011); noise 4 points (assumption)"),
        "sapasi": ("continuous", 1.0, 2.0, "",
                   "Feldman SR et al. 1996, Dermatology 192:126: SAPASI tracks PASI (r = 0.6-0.8)"
                   "; 1:1, noise 2 points (assumption)"),
        "acne_lesion_count": ("count", 1.0, 0.0, "",
                              "Assumption: self-count = model lesion count, negative binomial "
                              "(size 5) for counting error and day-to-day variation"),
        "skin_nrs": ("ordinal", {"rosacea": 2.5, "vitiligo": 0.5}.get(condition, 1.0), 1.0, "",
                     "Assumption: skin NRS 0-10 = 2.5 x rosacea CEA (0-4) or 0.5 x vitiligo BSA "
                     "(%), noise 1 point"),
    }[scale.id]
    kind, c, sd, tr, src = sev_source
    links["severity"] = ScaleLink("severity", kind, {"severity": c}, 0.0, sd, scale.low,
                                  scale.high, src, transform=tr)
    return links


# ============================================================================ model


@dataclass(frozen=True)
class ObservationModel:
    """The diary scales of one client as functions of daily model values.

    ``process_sd`` and ``process_phi``: day-to-day fluctuation of the true severity that the
    model does not explain (weather, unmodelled triggers), an AR(1) with this stationary SD (on
    the severity scale; on the log scale for lesion counts) and lag-1 correlation. Only
    :meth:`sample` draws it; the likelihood treats it as part of the severity noise (an
    assumption; the projection fit may model it).
    """

    condition: str
    severity_scale: str = ""
    links: Mapping[str, ScaleLink] = field(default_factory=dict)
    process_sd: float = 0.0
    process_phi: float = 0.6

    def __post_init__(self):
        if not self.links:
            object.__setattr__(self, "links", default_links(self.condition, self.severity_scale))
        if not self.severity_scale:
            object.__setattr__(self, "severity_scale", DEFAULT_SCALE[self.condition])

    def with_noise(self, **sd: float) -> ObservationModel:
        """A copy with other noise SDs, e.g. ``with_noise(severity=6, itch=1.5)``."""
        links = dict(self.links)
        for k, v in sd.items():
            if k not in links:
                raise NicsimError(f"noise for {k!r}: not a diary field; one of "
                                  f"{', '.join(links)}")
            links[k] = replace(links[k], noise_sd=float(v))
        return replace(self, links=links)

    def expected(self, values: Mapping[str, np.ndarray],
                 extra: Mapping[str, np.ndarray] | None = None) -> dict[str, np.ndarray]:
        """Latent means per diary field; ``extra`` adds per-field shifts (on the diary scale)."""
        out = {}
        for f, link in self.links.items():
            mu = link.mean(values)
            if extra and f in extra:
                mu = mu + np.asarray(extra[f], dtype=float)
            out[f] = mu
        return out

    def sample(self, values: Mapping[str, np.ndarray], rng: np.random.Generator,
               extra: Mapping[str, np.ndarray] | None = None) -> dict[str, np.ndarray]:
        """Reported values per diary field (arrays over days)."""
        mu = self.expected(values, extra)
        if self.process_sd > 0 and "severity" in mu:
            n = mu["severity"].shape[-1]
            e = np.empty(mu["severity"].shape)
            innov = self.process_sd * math.sqrt(1 - self.process_phi**2)
            e[..., 0] = self.process_sd * rng.standard_normal(e.shape[:-1])
            for t in range(1, n):
                e[..., t] = (self.process_phi * e[..., t - 1]
                             + innov * rng.standard_normal(e.shape[:-1]))
            link = self.links["severity"]
            if link.kind == "count":  # multiplicative on counts: process_sd on the log scale
                mu["severity"] = mu["severity"] * np.exp(e - self.process_sd**2 / 2)
            else:
                mu["severity"] = np.clip(mu["severity"] + e, link.low, None)
        return {f: self.links[f].sample(m, rng) for f, m in mu.items()}

    def log_likelihood(self, observed: Mapping[str, np.ndarray],
                       values: Mapping[str, np.ndarray], *,
                       fields: tuple[str, ...] | None = None) -> float:
        """Sum of the log-likelihoods of the reported values (missing values skipped).

        ``observed`` maps diary fields to arrays over days (e.g. columns of
        :meth:`~nicsim.clinic.diary.Diary.daily`), ``values`` the daily model values on the
        same days.
        """
        mu = self.expected(values)
        total = 0.0
        for f in fields or tuple(self.links):
            if f not in observed:
                continue
            ll = self.links[f].logpdf(np.asarray(observed[f], dtype=float), mu[f])
            total += float(np.nansum(ll))
        return total

    def describe(self) -> list[dict[str, object]]:
        """One row per link (for docs and reports)."""
        return [{"field": f, "kind": k.kind, "model": dict(k.coef), "offset": k.offset,
                 "noise_sd": k.noise_sd, "range": (k.low, k.high), "source": k.source}
                for f, k in self.links.items()]


# ============================================================================ daily values


def sleep_hours_per_day(breaks: np.ndarray, asleep: np.ndarray, n_days: int,
                        start_clock_h: float = 0.0) -> np.ndarray:
    """Hours asleep in the night ending on the morning of each day.

    ``breaks`` (n_seg + 1) and ``asleep`` (..., n_seg) describe the piecewise-constant
    ``asleep`` input; day d (0-based) counts sleep between 12:00 of the day before and 12:00 of
    day d (clock time), so day 0 counts only what lies after the scenario's start.
    """
    breaks = np.asarray(breaks, dtype=float)
    asleep = np.asarray(asleep, dtype=float)
    # cumulative sleep at each break, then interpolate at the window edges (exact: piecewise
    # constant input => piecewise-linear integral)
    seg = np.diff(breaks)
    cum = np.concatenate([np.zeros(asleep.shape[:-1] + (1,)),
                          np.cumsum(asleep * seg, axis=-1)], axis=-1)
    edges = np.arange(n_days + 1) * HOURS_PER_DAY + (12.0 - start_clock_h) - HOURS_PER_DAY
    edges = np.clip(edges, breaks[0], breaks[-1])
    flat = cum.reshape(-1, cum.shape[-1])
    at = np.stack([np.interp(edges, breaks, row) for row in flat]).reshape(
        cum.shape[:-1] + (n_days + 1,))
    return np.diff(at, axis=-1)


def daily_mean(t_h: np.ndarray, x: np.ndarray, n_days: int,
               start_clock_h: float = 0.0) -> np.ndarray:
    """Mean of ``x`` (..., time) over each calendar day (samples in [day start, next))."""
    t_h = np.asarray(t_h, dtype=float)
    day = np.floor((t_h + start_clock_h) / HOURS_PER_DAY).astype(int)
    out = np.full(x.shape[:-1] + (n_days,), np.nan)
    for d in range(n_days):
        m = day == d
        if m.any():
            out[..., d] = x[..., m].mean(axis=-1)
    return out


def waking_mean(t_h: np.ndarray, x: np.ndarray, asleep: np.ndarray, n_days: int,
                start_clock_h: float = 0.0) -> np.ndarray:
    """Mean of ``x`` over the samples of each day when ``asleep`` is 0."""
    awake = (np.asarray(asleep) < 0.5).astype(float)
    num = daily_mean(t_h, x * awake, n_days, start_clock_h)
    den = daily_mean(t_h, awake * np.ones_like(x), n_days, start_clock_h)
    return np.where(den > 0, num / np.where(den > 0, den, 1), 0.0)


def daily_model_values(t_h: np.ndarray, outputs: Mapping[str, np.ndarray], condition: str,
                       *, n_days: int, start_clock_h: float = 0.0,
                       inputs: Mapping[str, np.ndarray] | None = None,
                       sleep_hours: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Daily model values for :class:`ObservationModel` from model outputs on a time grid.

    ``outputs`` holds at least :func:`model_outputs_for` (arrays (..., time)); ``inputs`` the
    protocol inputs on the same grid (``asleep``, ``chronic_stressor``, ``acute_stressor``;
    e.g. the ``input_*`` variables of a ``simulate`` Dataset). ``sleep_hours`` (..., n_days)
    overrides the sleep computed from the ``asleep`` samples (which is only as fine as the
    output grid).
    """
    t_h = np.asarray(t_h, dtype=float)
    need = model_outputs_for(condition)
    for k in need:
        if k not in outputs:
            raise NicsimError(f"model outputs: {k!r} is missing; {condition} needs "
                              f"{', '.join(need)}")
    sev, itch = need[2], need[3]
    inputs = inputs or {}
    shape = np.asarray(outputs[sev]).shape
    asleep = np.asarray(inputs.get("asleep", np.zeros(shape)), dtype=float)
    load = (np.asarray(inputs.get("chronic_stressor", np.zeros(shape)), dtype=float)
            + np.asarray(inputs.get("acute_stressor", np.zeros(shape)), dtype=float))
    out = {
        "perceived_stress": daily_mean(t_h, np.asarray(outputs["perceived_stress"]), n_days,
                                       start_clock_h),
        "mood": daily_mean(t_h, np.asarray(outputs["mood"]), n_days, start_clock_h),
        "severity": daily_mean(t_h, np.asarray(outputs[sev]), n_days, start_clock_h),
        "itch": daily_mean(t_h, np.asarray(outputs[itch]), n_days, start_clock_h),
        "stressor_load": waking_mean(t_h, np.broadcast_to(load, shape), asleep, n_days,
                                     start_clock_h),
    }
    if sleep_hours is not None:
        out["sleep_hours"] = np.asarray(sleep_hours, dtype=float)
    else:
        # samples asleep between 12:00 the day before and 12:00, times the sample spacing
        dt_h = float(np.median(np.diff(t_h))) if t_h.size > 1 else HOURS_PER_DAY
        day = np.floor((t_h + start_clock_h + 12.0) / HOURS_PER_DAY).astype(int)
        hours = np.zeros(asleep.shape[:-1] + (n_days,))
        for d in range(n_days):
            hours[..., d] = asleep[..., day == d].sum(axis=-1) * dt_h
        out["sleep_hours"] = hours
    return out


def daily_from_dataset(ds, condition: str) -> dict[str, np.ndarray]:
    """:func:`daily_model_values` for a ``simulate`` Dataset (outputs incl. ``input_*``)."""
    t = np.asarray(ds["time"].values, dtype=float)
    start_clock = float(ds["clock"].values[0]) if "clock" in ds.coords else 0.0
    n_days = int(math.floor((t[-1] - t[0]) / HOURS_PER_DAY + 1e-9))
    outs = {k: ds[k].values for k in model_outputs_for(condition)}
    inputs = {k: ds[f"input_{k}"].values for k in ("asleep", "chronic_stressor",
                                                   "acute_stressor") if f"input_{k}" in ds}
    return daily_model_values(t[:-1] if t.size > 1 else t,
                              {k: v[..., :-1] for k, v in outs.items()}, condition,
                              n_days=n_days, start_clock_h=start_clock,
                              inputs={k: v[..., :-1] for k, v in inputs.items()})
