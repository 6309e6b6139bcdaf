"""A small network with known answers, built with nicsim.core, for the analysis tests.

One network serves every test (the numba kernel is compiled once per model structure):

* ``y' = k (a + 2 b + 0 c - y)``: ``y(T) -> a + 2 b`` (additive; c irrelevant);
* ``z' = k (a - b z)``: ``z(T) -> a / b`` (a product: indices with an interaction);
* ``x' = c0 + g_load * chronic_stressor + forcing * (asleep - 1/3) + g x^2/(1 + x^2) - kx * x``
  (per day): bistable in the load between the folds of :func:`toy_folds`.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import sympy as sp

from nicsim.core import Assumption, Module, Network

TOY = {"c0": 0.01, "g_load": 0.11, "g": 1.0, "kx": 0.55}


def build_toy() -> Network:
    m = Module("toy", "analysis test problems")
    src = Assumption("test problem")
    a = m.parameter("a", 1.0, "dimensionless", src, bounds=(0.5, 1.5))
    b = m.parameter("b", 1.0, "dimensionless", src, bounds=(0.5, 1.5))
    c = m.parameter("c", 1.0, "dimensionless", src, bounds=(0.5, 1.5))
    k = m.parameter("k", 2.0, "1/hour", src)
    y = m.state("y", 0.0, "dimensionless", nonnegative=False)
    z = m.state("z", 0.0, "dimensionless", nonnegative=False)
    m.rate(y, k * (a + 2 * b + 0 * c - y))
    m.rate(z, k * (a - b * z))
    m.output("y_out", y, "dimensionless", "a + 2 b at steady state")
    m.output("z_out", z, "dimensionless", "a / b at steady state")

    load = m.exogenous("chronic_stressor", "dimensionless", "load")
    asleep = m.exogenous("asleep", "dimensionless", "1 while asleep")
    c0 = m.parameter("c0", TOY["c0"], "1/day", src)
    gl = m.parameter("g_load", TOY["g_load"], "1/day", src)
    g = m.parameter("g", TOY["g"], "1/day", src)
    kx = m.parameter("kx", TOY["kx"], "1/day", src, bounds=(0.3, 0.6))
    f = m.parameter("forcing", 0.0, "1/day", src)
    x = m.state("x", 0.0, "dimensionless")
    m.rate(x, c0 + gl * load + f * (asleep - sp.Rational(1, 3)) + g * x**2 / (1 + x**2) - kx * x)
    m.output("severity", 10 * x, "dimensionless", "10 x")
    return Network([m], name="toy")


@lru_cache(maxsize=1)
def toy_model():
    return build_toy().compile()


def toy_folds(c0=TOY["c0"], g_load=TOY["g_load"], g=TOY["g"], kx=TOY["kx"]
              ) -> tuple[float, float]:
    """Loads (up-jump, down-jump) of the autonomous bistable toy.

    Steady states satisfy load = L(x) = (kx x - g x^2/(1+x^2) - c0) / g_load; L has a local max
    (where the low branch ends: up-jump) and a local min (high branch ends: down-jump) at the
    roots of kx (1 + x^2)^2 = 2 g x."""
    from scipy.optimize import brentq

    h = lambda x: kx * (1 + x * x) ** 2 - 2 * g * x  # noqa: E731
    xs = np.linspace(1e-6, 5, 20001)
    v = h(xs)
    roots = [brentq(h, xs[i], xs[i + 1]) for i in range(len(xs) - 1) if v[i] * v[i + 1] < 0]
    assert len(roots) == 2, roots
    L = [(kx * x - g * x * x / (1 + x * x) - c0) / g_load for x in roots]
    return float(L[0]), float(L[1])
