"""One pint registry for the whole package; hours are the canonical time unit inside the model.

Clinical units (nmol/L, pg/mL, bpm, degC, g/m2/h, ...) are declared on every state, parameter and
output. Inside the model a quantity keeps its declared unit except that every time unit becomes
hours, so a half-life given in minutes is converted once, at compile time.
"""

from __future__ import annotations

from functools import lru_cache

import pint

from nicsim.errors import ScenarioError, UnitError

ureg = pint.UnitRegistry(autoconvert_offset_to_baseunit=True)
ureg.define("beats_per_minute = 1 / minute = bpm")
ureg.define("breaths_per_minute = 1 / minute = brpm")
ureg.define("international_unit = [oxytocin_activity] = IU")
ureg.define("percent_lysis = 0.01 = pct_lysis")
ureg.define("score = [] ")
Q_ = ureg.Quantity

HOUR = ureg.hour


def parse_unit(text: str, *, field: str = "unit") -> pint.Unit:
    """Parse a unit string ('nmol/L', '1/h', 'dimensionless'); raise UnitError naming the field."""
    if text in ("", "1", "dimensionless"):
        return ureg.dimensionless
    try:
        return _unit_of_text(text)
    except Exception as exc:  # pint raises several types
        raise UnitError(f"{field}: {text!r} is not a unit pint understands ({exc})") from exc


# Parsing a unit string is most of the cost of a parameter vector (436 parameters, every
# simulate call); units are immutable, so each distinct text is parsed once per process.
@lru_cache(maxsize=2048)
def _unit_of_text(text: str) -> pint.Unit:
    return ureg.Unit(text)


@lru_cache(maxsize=2048)
def _canonical_of_text(text: str) -> pint.Unit:
    return canonical_unit(parse_unit(text))


def canonical_unit(unit: pint.Unit | str) -> pint.Unit:
    """The declared unit with every pure time factor replaced by hours ('1/min' -> '1/hour')."""
    if isinstance(unit, str):
        return _canonical_of_text(unit)
    out = ureg.dimensionless
    for name, power in unit._units.items():
        u = ureg.Unit(name)
        if u.dimensionality == ureg.hour.dimensionality:
            out = out * HOUR**power
        else:
            out = out * u**power
    return ureg.Unit(out) if not isinstance(out, pint.Unit) else out


def to_canonical(value: float, unit: pint.Unit | str) -> tuple[float, pint.Unit]:
    """Convert ``value`` in ``unit`` to the canonical (hours-based) unit; returns (value, unit)."""
    cu = canonical_unit(unit)
    if isinstance(unit, str):
        unit = parse_unit(unit)
    q = Q_(value, unit).to(cu)
    return float(q.magnitude), cu


#: Longest text read as a quantity ('20 min', '2 ng/kg').
MAX_QUANTITY_CHARS = 200


def parse_quantity(text: str | float | int, *, field: str, dimension: str | pint.Unit,
                   default_unit: str | None = None) -> pint.Quantity:
    """Parse '20 min', '2 ng/kg', '6 /min' into a Quantity of the expected dimension.

    ``dimension`` is a unit whose dimensionality the value must have (e.g. 'hour', 'ng/kg').
    A bare number is accepted only when ``default_unit`` is given.
    """
    expected = parse_unit(dimension) if isinstance(dimension, str) else dimension
    if isinstance(text, bool):
        raise ScenarioError(field, text, f"expected a quantity in {expected:~P}")
    if isinstance(text, (int, float)):
        if default_unit is None:
            raise ScenarioError(field, text, f"give a unit, e.g. '{text} {expected:~P}'")
        return Q_(float(text), default_unit)
    if len(str(text)) > MAX_QUANTITY_CHARS:  # pint's parser takes minutes on huge text
        raise ScenarioError(field, text, f"expected a quantity like '1 {expected:~P}' (at most "
                            f"{MAX_QUANTITY_CHARS} characters)")
    try:
        q = Q_(str(text).strip())
    except Exception:
        raise ScenarioError(field, text, f"expected a quantity like '1 {expected:~P}'") from None
    if not isinstance(q, pint.Quantity):
        q = Q_(float(q), ureg.dimensionless)
    if q.dimensionality != expected.dimensionality:
        raise ScenarioError(
            field, text, f"expected a quantity with the dimension of {expected:~P} "
            f"(got {q.units:~P})")
    return q
