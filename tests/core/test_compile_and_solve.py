"""The whole pipeline on reference problems with closed-form answers."""

import math

import numpy as np
import pytest
import sympy as sp

from nicsim.core import Assumption, Module, Network


@pytest.fixture(scope="module")
def toy():
    a = Module("src", "source")
    x = a.state("x", 100.0, "nmol/L")
    t_half = a.parameter("half_life", 60.0, "min", Assumption("test"))
    infusion = a.exogenous("infusion", "nmol/L/hour", "test input")
    a.rate(x, -sp.log(2) / t_half * x + infusion)
    a.output("x_out", x, "nmol/L")
    b = Module("dst", "follower")
    xin = b.input("x_out", "nmol/L")
    y = b.state("y", 0.0, "nmol/L", nonnegative=False)
    k = b.parameter("k", 2.0, "1/hour", Assumption("test"))
    b.rate(y, k * (xin - y))
    net = Network([a, b])
    assert net.check_units() == []
    return net.compile()


def test_exponential_decay_and_coupled_follower_match_closed_form(toy):
    te = np.linspace(0, 10, 101)
    breaks = np.array([0.0, 10.0])
    U = np.zeros((1, 1))
    J = np.zeros((1, 0))
    st, Y, _stats, _tf = toy.solver.integrate(toy.initial_state(), toy.parameter_vector(),
                                              breaks, U, J, np.zeros(0, np.int64), te, 1e-9,
                                              np.full(2, 1e-10), 100000, math.inf)
    assert st == 0
    k1, k2 = math.log(2), 2.0  # half-life 60 min -> ln2 per hour
    x = 100 * np.exp(-k1 * te)
    y = 100 * k2 / (k2 - k1) * (np.exp(-k1 * te) - np.exp(-k2 * te))
    np.testing.assert_allclose(Y[:, 0], x, rtol=1e-6)
    np.testing.assert_allclose(Y[:, 1], y, rtol=1e-5, atol=1e-7)


def test_piecewise_input_and_parameter_override(toy):
    p = toy.parameter_vector({"src.half_life": 120.0})  # minutes, declared unit
    assert p[toy.parameter_index("src.half_life")] == pytest.approx(2.0)  # hours inside
    te = np.array([0.0, 1.0, 2.0, 3.0])
    breaks = np.array([0.0, 1.0, 3.0])
    U = np.array([[0.0], [10.0]])
    J = np.zeros((2, 0))
    st, Y, *_ = toy.solver.integrate(np.array([0.0, 0.0]), p, breaks, U, J,
                                     np.zeros(0, np.int64), te, 1e-9, np.full(2, 1e-10),
                                     100000, math.inf)
    k = math.log(2) / 2.0
    expect = [0, 0, 10 / k * (1 - math.exp(-k)), 10 / k * (1 - math.exp(-2 * k))]
    np.testing.assert_allclose(Y[:, 0], expect, rtol=1e-6, atol=1e-9)


def test_analytic_jacobian_matches_finite_differences():
    from nicsim._default import default_model
    from nicsim.solve.problem import model_parameters

    cm = default_model()
    p = model_parameters(cm)
    rng = np.random.default_rng(1)
    y = cm.initial_state() * rng.uniform(0.8, 1.2, len(cm.states)) + 0.01
    u = np.zeros(len(cm.exogenous))
    u[cm.exogenous.index("acute_stressor")] = 1.0
    J = np.zeros((len(y), len(y)))
    cm.solver.jac(5.0, y, p, u, J)
    f0 = np.zeros(len(y))
    cm.solver.rhs(5.0, y, p, u, f0)
    for j in range(len(y)):
        h = 1e-6 * max(abs(y[j]), 1e-3)
        y2 = y.copy()
        y2[j] += h
        f1 = np.zeros(len(y))
        cm.solver.rhs(5.0, y2, p, u, f1)
        np.testing.assert_allclose(J[:, j], (f1 - f0) / h, rtol=1e-3,
                                   atol=1e-6 * (1 + np.abs(J[:, j]).max()),
                                   err_msg=cm.state_ids[j])
