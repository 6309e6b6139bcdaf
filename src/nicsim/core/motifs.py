"""Rate-law motifs shared by the modules. Each returns a sympy expression."""

from __future__ import annotations

import sympy as sp

LN2 = sp.log(2)


def hill_up(x, k, n=1):
    """Increasing Hill function x^n / (k^n + x^n), from 0 to 1; half-maximal at x = k.

    Written on the ratio x/k so that symbolic Hill coefficients stay unit-consistent.
    """
    r = (x / k) ** n
    return r / (1 + r)


def hill_down(x, k, n=1):
    """Decreasing Hill function k^n / (k^n + x^n), from 1 to 0; half-maximal at x = k."""
    return 1 / (1 + (x / k) ** n)


def inhibition(x, ic50, n=1):
    """1 / (1 + (x/ic50)^n): the fraction of activity left under an inhibitor x."""
    return 1 / (1 + (x / ic50) ** n)


def first_order(target, current, half_life):
    """Relaxation of ``current`` towards ``target`` with the given half-life."""
    return LN2 / half_life * (target - current)


def rate_from_half_life(half_life):
    return LN2 / half_life


def saturable(x, vmax, km):
    """Michaelis-Menten: vmax * x / (km + x)."""
    return vmax * x / (km + x)


def smooth_max0(x, eps):
    """A smooth max(x, 0) with width eps (keeps the Jacobian continuous)."""
    return (x + sp.sqrt(x**2 + eps**2)) / 2
