"""Parameter domains: the values a parameter may take, checked wherever a value enters.

Every parameter has a :class:`Domain`. Most are derived from the parameter's unit and kind by
one rule (:func:`derive_domain`), so that 400 declarations need no hand edits; a declaration
gives ``domain=`` only where the science says more (a switch, a clock time, a fraction that the
name does not reveal, an age). The rule, in order:

1. **Explicit** ``domain=`` in the declaration wins.
2. **Absolute temperature** (degC): 25 to 45 degC (assumption: human core and skin temperatures
   and the thresholds defined on them lie well inside this).
3. **Fraction** (dimensionless, name ending ``_effect``, ``_fraction`` or ``_share``: the model
   uses it as ``1 - f x``): 0 to 1. ``percent`` and ``pct_lysis``: 0 to 100 (a scale at least
   1/100 of its nominal value).
   **Exponent** (dimensionless, name ending ``_n``, ``_hill``, ``_exponent``): 0 to 10 (or the
   upper declared bound; assumption: no biological switch is steeper than Hill 10).
4. **Sign.** A *scale* (a half-saturation constant, reference, smoothing, maximum, typical
   value: names ending ``_k``, ``_ref``, ``_reference``, ``_norm``, ``_smoothing``, ``max``,
   ``_typical``, ``_ic50``, ``_ec50``; any duration; any other dimensional quantity that is not
   a rate, including ratios such as ng/kg) divides or sets a time constant, so it is **> 0**.
   A rate (unit per time, also a maximal rate such as ``secretion_max``), a gain (any name
   containing ``gain``, also one with a unit such as ``acth_gain``), a dimensionless weight,
   exponent or score is **>= 0** (0 switches the process off: the clearance study V02 stops
   secretion with ``secretion_max = 0`` and ``acth_gain = 0``).
   Declared ``bounds`` that start at 0 make the parameter >= 0.
5. **Plausible magnitude.** At most ``SPAN`` (100) times the larger of the nominal value and
   the upper declared bound; a > 0 parameter at least the smaller of the nominal value and the
   lower declared bound (when > 0) divided by ``SPAN`` (assumption: between-person and
   between-study variation of a physiological constant spans far less than a factor 100 either
   way; values beyond are typing errors or unit mix-ups, e.g. ``1e30``).

The declared ``bounds`` remain the *plausible range* of the science (sensitivity ranges,
calibration bounds); the domain is wider: a value outside the domain is an error, a value
inside it is the user's to explore.

:func:`check_parameter` raises a :class:`~nicsim.errors.ScenarioError` naming the field, the
value and the allowed range; :func:`check_parameter_matrix` does the same for canonical
parameter vectors (populations, sensitivity samples).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from nicsim.core.units import parse_unit, to_canonical, ureg
from nicsim.errors import ScenarioError

#: factor of the plausible-magnitude rule (rule 5)
SPAN = 100.0
#: absolute temperatures, degC (rule 2)
TEMPERATURE_C = (25.0, 45.0)
FRACTION_SUFFIXES = ("_effect", "_fraction", "_share")
SCALE_SUFFIXES = ("_k", "_ref", "_reference", "_norm", "_smoothing", "max", "_typical",
                  "_ic50", "_ec50")
EXPONENT_SUFFIXES = ("_n", "_hill", "_exponent")
#: largest exponent (Hill coefficient) of the exponent rule
MAX_EXPONENT = 10.0
#: units that count as dimensionless for the rules (a ratio of two units, ng/kg or ng/mg, is
#: a dimensional scale or a conversion factor)
DIMENSIONLESS_UNITS = ("", "1", "dimensionless", "score")


@dataclass(frozen=True)
class Domain:
    """Allowed values ``lower (<|<=) x (<|<=) upper`` in the parameter's declared unit."""

    lower: float = -math.inf
    upper: float = math.inf
    lower_open: bool = False
    upper_open: bool = False
    why: str = ""

    def contains(self, x: float) -> bool:
        if not math.isfinite(x):
            return False
        lo_ok = x > self.lower if self.lower_open else x >= self.lower
        hi_ok = x < self.upper if self.upper_open else x <= self.upper
        return lo_ok and hi_ok

    def mask(self, x: np.ndarray) -> np.ndarray:
        """Boolean array: which values lie in the domain."""
        x = np.asarray(x, dtype=float)
        lo = x > self.lower if self.lower_open else x >= self.lower
        hi = x < self.upper if self.upper_open else x <= self.upper
        return np.isfinite(x) & lo & hi

    def clip(self, x: np.ndarray) -> np.ndarray:
        """Values moved into the domain (open ends just inside)."""
        lo = np.nextafter(self.lower, math.inf) if self.lower_open else self.lower
        hi = np.nextafter(self.upper, -math.inf) if self.upper_open else self.upper
        return np.clip(x, lo, hi)

    def describe(self, unit: str = "") -> str:
        u = "" if unit in ("", "1", "dimensionless") else f" {unit}"
        parts = []
        if math.isfinite(self.lower):
            parts.append(f"{'>' if self.lower_open else '>='} {self.lower:.4g}")
        if math.isfinite(self.upper):
            parts.append(f"{'<' if self.upper_open else '<='} {self.upper:.4g}")
        text = "a finite number " + " and ".join(parts) if parts else "a finite number"
        return text + u

    def to_canonical(self, unit: str) -> Domain:
        """The same domain in the canonical (hours-based) unit (an affine, increasing map)."""
        def conv(v):
            return v if not math.isfinite(v) else to_canonical(v, unit)[0]

        return Domain(conv(self.lower), conv(self.upper), self.lower_open, self.upper_open,
                      self.why)


def fraction(why: str = "a fraction") -> Domain:
    return Domain(0.0, 1.0, why=why)


#: a 0/1 switch (set from the person: sex, serostatus); values between interpolate
SWITCH = Domain(0.0, 1.0, why="a switch: 0 or 1 (values between interpolate)")
#: a clock time in hours after midnight
CLOCK_HOUR = Domain(0.0, 24.0, why="a clock time, hours after midnight")
#: a human age in years
AGE_YEARS = Domain(0.0, 120.0, why="a human age in years")


def _is_rate(unit: str) -> bool:
    """Per time: a time unit in the denominator (1/hour, pg/mL/hour, kJ/day) or a frequency
    (bpm)."""
    u = parse_unit(unit)
    if dict(u.dimensionality) == {"[time]": -1}:
        return True
    for comp, power in u._units.items():
        if power < 0 and ureg.Unit(comp).dimensionality == ureg.hour.dimensionality:
            return True
    return False


def _is_time(unit: str) -> bool:
    dim = parse_unit(unit).dimensionality
    return dict(dim) == {"[time]": 1}


def derive_domain(name: str, value: float, unit: str,
                  bounds: tuple[float, float] | None = None) -> Domain:
    """The domain of a parameter from its name, nominal value, unit and declared bounds
    (rules 2 to 5 of the module docstring)."""

    u = str(unit).strip()
    if u in ("degC", "degree_Celsius"):
        return Domain(*TEMPERATURE_C, why="absolute temperature: human core and skin "
                      "temperatures and thresholds on them lie within 25-45 degC (assumption)")
    dimensionless = u in DIMENSIONLESS_UNITS
    scale_name = name.endswith(SCALE_SUFFIXES)
    if dimensionless and name.endswith(FRACTION_SUFFIXES):
        return fraction("a fraction (the model uses 1 - f x)")
    if u in ("percent", "pct_lysis"):
        if scale_name and value > 0:
            return Domain(value / SPAN, 100.0, why=f"a percentage that divides: at least "
                          f"1/{SPAN:g} of the nominal value")
        return Domain(0.0, 100.0, why="a percentage")
    if dimensionless and name.endswith(EXPONENT_SUFFIXES):
        hi = max(MAX_EXPONENT, float(bounds[1]) if bounds is not None else 0.0)
        return Domain(0.0, hi, why=f"an exponent (Hill coefficient): at most {hi:g}; no "
                      "biological switch is steeper (assumption)")
    blo = float(bounds[0]) if bounds is not None else None
    bhi = float(bounds[1]) if bounds is not None else None
    rate = not dimensionless and _is_rate(u)
    gain = "gain" in name
    scale = not gain and ((scale_name and not rate) or _is_time(u)
                          or (not dimensionless and not rate))
    strict = scale and not (blo is not None and blo <= 0.0)
    ref_hi = max(abs(value), bhi if bhi is not None else 0.0)
    if ref_hi <= 0:
        # nominal 0 and no bounds: nothing to scale the magnitude by
        return Domain(0.0, math.inf, lower_open=strict,
                      why="non-negative (no nominal magnitude to bound it)")
    upper = SPAN * ref_hi
    if strict:
        ref_lo = min((v for v in (value, blo) if v is not None and v > 0), default=0.0)
        if ref_lo <= 0:  # a negative nominal value: the declaration needs an explicit domain
            return Domain(0.0, upper, lower_open=True, why="a scale: > 0")
        return Domain(ref_lo / SPAN, upper, why=f"a scale that divides or sets a time constant; "
                      f"within x/÷ {SPAN:g} of the nominal value or declared bounds (assumption)")
    return Domain(0.0, upper, why=f"a rate, gain, weight or exponent, 0 switches it off; at "
                  f"most {SPAN:g} x the nominal value or upper declared bound (assumption)")


def check_parameter(prm, value, field: str) -> float:
    """``value`` (declared unit) as a float; raises ScenarioError when it is not a finite number
    in ``prm.domain``."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ScenarioError(field, value, f"expected a number (parameter {prm.id}, declared "
                            f"unit {prm.unit})")
    x = float(value)
    dom = prm.domain
    if not dom.contains(x):
        raise ScenarioError(field, value, f"{prm.id} must be {dom.describe(prm.unit)} "
                            f"(nominal {prm.value:.4g}; {dom.why})")
    return x


def check_parameter_matrix(parameters, P: np.ndarray, field: str) -> None:
    """Check canonical parameter vectors ``P`` (rows, len(parameters)) against every
    parameter's domain; ``field`` names where they came from (``population.parameters``)."""
    P = np.atleast_2d(np.asarray(P, dtype=float))
    for j, prm in enumerate(parameters):
        ok = prm.canonical_domain.mask(P[:, j])
        if ok.all():
            continue
        i = int(np.flatnonzero(~ok)[0])
        b = to_canonical(0.0, prm.unit)[0]
        a = to_canonical(1.0, prm.unit)[0] - b
        x = float((P[i, j] - b) / a)  # back to the declared unit
        dom = prm.domain
        raise ScenarioError(f"{field}.{prm.id}", x,
                            f"{int((~ok).sum())} of {len(ok)} values (row {i} shown) lie "
                            f"outside the domain of {prm.id}: {dom.describe(prm.unit)} "
                            f"({dom.why})")
