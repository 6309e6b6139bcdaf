"""Unit consistency of symbolic rate laws.

Walks a sympy expression with a pint unit for every symbol. Sums must add quantities of the same
unit with conversion factor exactly 1 (adding pmol/L to nmol/L is an error, even though the
dimensions agree), arguments of exp/log/powers with symbolic exponents must be dimensionless with
factor 1.
"""

from __future__ import annotations

import sympy as sp

from nicsim.core.units import ureg
from nicsim.errors import UnitError

_DIMLESS_FUNCS = (sp.exp, sp.log, sp.sin, sp.cos, sp.tanh, sp.tan, sp.atan, sp.erf)


def _factor(u_from, u_to) -> float | None:
    try:
        return float(ureg.Quantity(1.0, u_from).to(u_to).magnitude)
    except Exception:
        return None


def same_unit(a, b) -> bool:
    f = _factor(a, b)
    return f is not None and abs(f - 1.0) < 1e-12


def _is_dimless(u) -> bool:
    return same_unit(u, ureg.dimensionless)


def unit_of(expr: sp.Expr, units: dict[sp.Symbol, object], where: str = "") -> object:
    """The unit of ``expr``; raises UnitError describing the first inconsistency."""
    if expr.is_Number or expr in (sp.pi, sp.E):
        return ureg.dimensionless
    if expr.is_Symbol:
        try:
            return units[expr]
        except KeyError:
            raise UnitError(f"{where}: symbol {expr} has no declared unit") from None
    if isinstance(expr, sp.Add):
        terms = [(t, unit_of(t, units, where)) for t in expr.args]
        # numbers are unit-less constants: adding 1 to a dimensionless group is fine,
        # adding 1 to nmol/L is not
        ref_t, ref = next(((t, u) for t, u in terms if not t.is_Number), terms[0])
        for t, u in terms:
            if t.is_Number:
                if not _is_dimless(ref):
                    raise UnitError(f"{where}: the number {t} is added to {ref_t} in {ref:~P}")
                continue
            if not same_unit(u, ref):
                raise UnitError(
                    f"{where}: cannot add {t} [{u:~P}] to {ref_t} [{ref:~P}]"
                    + ("" if _factor(u, ref) is None else
                       f" (same dimension, but a conversion factor {_factor(u, ref):g} "
                       "is missing)"))
        return ref
    if isinstance(expr, sp.Mul):
        out = ureg.dimensionless
        for a in expr.args:
            out = out * unit_of(a, units, where)
        return getattr(out, "units", out)
    if isinstance(expr, sp.Pow):
        base, exp = expr.args
        ub = unit_of(base, units, where)
        if exp.is_Number:
            r = getattr(ub**float(exp), "units", ub**float(exp))
            return r
        ue = unit_of(exp, units, where)
        if not _is_dimless(ue):
            raise UnitError(f"{where}: exponent {exp} must be dimensionless, is {ue:~P}")
        if not _is_dimless(ub):
            raise UnitError(f"{where}: base {base} of a symbolic power must be dimensionless "
                            f"(divide it by a reference value), is {ub:~P}")
        return ureg.dimensionless
    if isinstance(expr, _DIMLESS_FUNCS):
        for a in expr.args:
            ua = unit_of(a, units, where)
            if not _is_dimless(ua):
                raise UnitError(f"{where}: argument of {expr.func.__name__} must be "
                                f"dimensionless, {a} is in {ua:~P}")
        return ureg.dimensionless
    if isinstance(expr, (sp.Abs, sp.sign)):
        return unit_of(expr.args[0], units, where) if isinstance(expr, sp.Abs) \
            else ureg.dimensionless
    if isinstance(expr, (sp.Max, sp.Min, sp.Mod)):
        us = [unit_of(a, units, where) for a in expr.args]
        nonnum = [(a, u) for a, u in zip(expr.args, us, strict=True) if not a.is_Number]
        ref = nonnum[0][1] if nonnum else ureg.dimensionless
        for a, u in nonnum:
            if not same_unit(u, ref):
                raise UnitError(f"{where}: {expr.func.__name__} mixes units ({a}: {u:~P})")
        for a in expr.args:
            if a.is_Number and a != 0 and not _is_dimless(ref):
                raise UnitError(f"{where}: {expr.func.__name__} compares {a} with {ref:~P}")
        return ref
    if isinstance(expr, sp.Piecewise):
        us = [unit_of(e, units, where) for e, _c in expr.args]
        nonzero = [u for (e, _c), u in zip(expr.args, us, strict=True) if not e.is_Number]
        ref = nonzero[0] if nonzero else ureg.dimensionless
        for u in nonzero:
            if not same_unit(u, ref):
                raise UnitError(f"{where}: Piecewise branches have different units")
        return ref
    raise UnitError(f"{where}: the unit checker does not know {type(expr).__name__} ({expr})")
