"""Observation models of trial outcomes: what a clinical measurement adds to the true value.

A virtual subject's outputs are exact. A trial measures them with error, and a person's value
also varies from day to day for reasons the model does not simulate (posture, caffeine, the
night before, sampling time). Without both, outcome spreads are too narrow and standardised
effect sizes (Cohen's d, Hedges' g) far larger than those of clinical trials.

Each :class:`ObservationModel` is multiplicative (log-normal, mean-preserving) with two parts:

* ``day_cv``: within-person day-to-day variability, one factor per subject and calendar day,
  shared by every reading of that day;
* ``reading_cv``: error of one reading (assay, rater, recording), independent per sample.

A reading is ``y_true * exp(d - s_d^2/2) * exp(e - s_e^2/2)`` with ``d ~ N(0, s_d^2)``,
``e ~ N(0, s_e^2)`` and ``s = sqrt(ln(1 + cv^2))``. Outcomes (values, window means, peaks,
changes, responders, slopes, times to threshold) are computed from the observed readings;
stored trajectories stay the model's true values. Noise draws come from their own random
streams keyed by the seed, arm, output and subject: the same for any chunking or scheduler,
independent between arms (each arm's visits are different occasions, also in a paired design).
Outputs without an entry here are observed without noise.

Trials switch the models on by default; ``observation_noise: false`` in a trial file turns them
off (the exact model values, e.g. to study mechanisms). The trial report lists what was applied.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from nicsim.core.rng import stream
from nicsim.core.sources import Assumption, Derived, Source


@dataclass(frozen=True)
class ObservationModel:
    """Measurement error and day-to-day variability of one output (coefficients of variation,
    dimensionless fractions)."""

    output: str
    day_cv: float
    reading_cv: float
    what: str
    day_source: Source
    reading_source: Source

    @property
    def total_cv(self) -> float:
        """CV of one reading on a random day: sqrt((1+cv_d^2)(1+cv_e^2) - 1)."""
        return math.sqrt((1 + self.day_cv**2) * (1 + self.reading_cv**2) - 1)

    def describe(self) -> str:
        return (f"{self.output} ({self.what}): day-to-day CV {self.day_cv:.0%} "
                f"({self.day_source.describe()}); reading CV {self.reading_cv:.0%} "
                f"({self.reading_source.describe()})")


_NONE = Assumption("the day-to-day figure is the between-day typical error of one recording, "
                   "which already contains the error of the recording itself")

_NONE_SKIN = Assumption("no day-to-day factor: the model simulates the disease course itself; "
                        "a visit scores the skin as it is")

#: Observation models by output name.
OBSERVATION_MODELS: dict[str, ObservationModel] = {m.output: m for m in (
    ObservationModel(
        "rmssd", 0.17, 0.0, "resting RMSSD from a 5-min recording",
        Derived("typical error of short-term resting time-domain HRV indices over 4 days, "
                "4-17 % as CV; RMSSD, the most variable of them, at the upper end",
                ("alhaddad2011",)), _NONE),
    ObservationModel(
        "heart_rate", 0.05, 0.0, "resting heart rate",
        Assumption("day-to-day typical error of resting heart rate about 5 %, the low end of "
                   "the 4-17 % range of time-domain heart-rate indices", ("alhaddad2011",)),
        _NONE),
    ObservationModel(
        "cortisol_saliva", 0.35, 0.08, "one salivary cortisol sample",
        Assumption("within-person day-to-day CV of single salivary cortisol samples about "
                   "35 %: day-to-day reliability of single-day cortisol measures is low "
                   "(several sampling days are needed for reliable person means)",
                   ("segerstrom2014", "dahlgren2009")),
        Assumption("immunoassay inter-assay CV of salivary cortisol below 10 % (typical "
                   "kit specification); 8 % taken")),
    ObservationModel(
        "cortisol_serum", 0.20, 0.06, "one serum cortisol sample",
        Assumption("day-to-day CV of serum cortisol at a fixed clock time about 20 %, smaller "
                   "than that of salivary samples (no sampling-compliance error)",
                   ("segerstrom2014",)),
        Assumption("immunoassay inter-assay CV about 6 % (typical kit specification)")),
    ObservationModel(
        "nk_activity", 0.20, 0.15, "NK cytotoxicity assay",
        Assumption("within-person variation of NK cytotoxicity between blood draws weeks "
                   "apart about 20 %"),
        Assumption("between-run CV of chromium-release or flow cytotoxicity assays about "
                   "15 %")),
    ObservationModel(
        "easi", 0.0, 0.20, "EASI scored by a trained rater",
        _NONE_SKIN,
        Assumption("rater error of severity scores about 20 % (inter-rater agreement of EASI "
                   "and PASI is good but not perfect, ICC about 0.7-0.9)", ("hanifin2001",))),
    ObservationModel(
        "pasi", 0.0, 0.20, "PASI scored by a trained rater", _NONE_SKIN,
        Assumption("rater error of PASI about 20 % (as EASI; inter-rater ICC about 0.7-0.9)",
                   ("hanifin2001",))),
    ObservationModel(
        "perceived_stress", 0.0, 0.19, "PSS-10 questionnaire",
        Assumption("no day-to-day factor: the PSS asks about the last month, and the model "
                   "simulates felt stress itself"),
        Derived("test-retest correlation of the PSS 0.85 over two days (Cohen et al. 1983) "
                "with the PSS-10 norm SD of 6.2 around a mean of 13 (Cohen & Williamson 1988): "
                "error SD 6.2 x sqrt(1 - 0.85) = 2.4 points, 19 % of the mean",
                ("cohen1983", "cohen1988"))),
    ObservationModel(
        "acne_lesions", 0.0, 0.20, "acne lesion count", _NONE_SKIN,
        Assumption("lesion counts by one rater vary by about 20 % between repeated counts")),
)}


def _log_sd(cv: float) -> float:
    return math.sqrt(math.log1p(cv * cv))


def observe(Y: np.ndarray, output: str, *, entropy: int, arm: str, subjects: np.ndarray,
            days: np.ndarray) -> np.ndarray:
    """Observed readings of ``Y[subject, time]`` (true values of ``output``) for the subjects
    with global indices ``subjects`` of ``arm``; ``days[time]`` is the calendar day of each
    sample. Returns ``Y`` unchanged (a copy) when ``output`` has no observation model."""
    model = OBSERVATION_MODELS.get(output)
    out = np.array(Y, dtype=float, copy=True)
    if model is None:
        return out
    sd_d, sd_e = _log_sd(model.day_cv), _log_sd(model.reading_cv)
    day_index = np.searchsorted(np.unique(days), days)
    n_days = int(day_index.max()) + 1 if day_index.size else 0
    for i, subj in enumerate(np.asarray(subjects)):
        rng = stream(entropy, f"observation/{arm}/{output}/{int(subj)}")
        d = rng.standard_normal(n_days) * sd_d
        e = rng.standard_normal(out.shape[1]) * sd_e
        out[i] *= np.exp(d[day_index] - sd_d**2 / 2 + e - sd_e**2 / 2)
    return out


def describe_models(outputs) -> list[str]:
    """One line per output of ``outputs`` that has an observation model."""
    return [OBSERVATION_MODELS[o].describe() for o in dict.fromkeys(outputs)
            if o in OBSERVATION_MODELS]


__all__ = ["OBSERVATION_MODELS", "ObservationModel", "describe_models", "observe"]
