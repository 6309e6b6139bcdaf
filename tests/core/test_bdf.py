"""Tests of the numba BDF kernel (nicsim.core._bdf_kernel) through generated solver modules.

Numba compilation dominates the run time, so the tests share one generated module
(module-scoped fixture) whose model functions dispatch on the number of states: a parametrised
scalar model, a parametrised 2-state model (stiff linear / Van der Pol) and Robertson's
kinetics.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from scipy.integrate import solve_ivp
from scipy.linalg import expm

from nicsim.core.solver_module import build_solver_module

# One generated module serves every test (the kernel is compiled once per worker): ``rhs`` and
# ``jac`` pick the model from the number of states.
#
# n = 1 (scalar):     y' = -k*y + u0 + A*cos(w*t) + b*y^2            p = [k, A, w, b], u = [u0]
# n = 2 (two-state):  y1' = a11*y1 + a12*y2
#                     y2' = a21*y1 + a22*y2 + mu*(1 - y1^2)*y2       p = [a11, a12, a21, a22, mu]
#                     (linear system for mu = 0, Van der Pol for a = [0, 1, -1, 0])
# n = 3 (Robertson):  classic stiff chemical kinetics                p = [k1, k2, k3]
MODELS_SRC = textwrap.dedent(
    """
    @numba.njit(cache=True)
    def rhs(t, y, p, u, out):
        n = y.shape[0]
        if n == 1:
            out[0] = -p[0] * y[0] + u[0] + p[1] * math.cos(p[2] * t) + p[3] * y[0] * y[0]
        elif n == 2:
            out[0] = p[0] * y[0] + p[1] * y[1]
            out[1] = p[2] * y[0] + p[3] * y[1] + p[4] * (1.0 - y[0] * y[0]) * y[1]
        else:
            out[0] = -p[0] * y[0] + p[2] * y[1] * y[2]
            out[1] = p[0] * y[0] - p[2] * y[1] * y[2] - p[1] * y[1] * y[1]
            out[2] = p[1] * y[1] * y[1]


    @numba.njit(cache=True)
    def jac(t, y, p, u, out):
        n = y.shape[0]
        if n == 1:
            out[0, 0] = -p[0] + 2.0 * p[3] * y[0]
        elif n == 2:
            out[0, 0] = p[0]
            out[0, 1] = p[1]
            out[1, 0] = p[2] - 2.0 * p[4] * y[0] * y[1]
            out[1, 1] = p[3] + p[4] * (1.0 - y[0] * y[0])
        else:
            out[0, 0] = -p[0]
            out[0, 1] = p[2] * y[2]
            out[0, 2] = p[2] * y[1]
            out[1, 0] = p[0]
            out[1, 1] = -p[2] * y[2] - 2.0 * p[1] * y[1]
            out[1, 2] = -p[2] * y[1]
            out[2, 0] = 0.0
            out[2, 1] = 2.0 * p[1] * y[1]
            out[2, 2] = 0.0
    """
)

ROBERTSON_P = np.array([0.04, 3e7, 1e4])


def _key(src: str) -> str:
    return "t" + hashlib.sha256(src.encode()).hexdigest()[:16]


@pytest.fixture(scope="module")
def models_mod(tmp_path_factory):
    cache = tmp_path_factory.mktemp("nicsim_cache")
    return build_solver_module(MODELS_SRC, _key(MODELS_SRC), cache_dir=cache)


@pytest.fixture(scope="module")
def scalar_mod(models_mod):
    return models_mod


@pytest.fixture(scope="module")
def two_mod(models_mod):
    return models_mod


@pytest.fixture(scope="module")
def rob_mod(models_mod):
    return models_mod


def _run(
    mod,
    y0,
    p,
    breaks,
    t_eval,
    *,
    inputs=None,
    jumps=None,
    jump_idx=None,
    rtol=1e-8,
    atol=1e-12,
    max_steps=100_000,
    h_max=np.inf,
    n_in=1,
):
    y0 = np.asarray(y0, dtype=np.float64)
    breaks = np.asarray(breaks, dtype=np.float64)
    n_seg = breaks.size - 1
    if inputs is None:
        inputs = np.zeros((n_seg, n_in))
    if jumps is None:
        jumps = np.zeros((n_seg, 0))
        jump_idx = np.zeros(0, dtype=np.int64)
    atol = np.broadcast_to(np.asarray(atol, dtype=np.float64), y0.shape).copy()
    return mod.integrate(
        y0,
        np.asarray(p, dtype=np.float64),
        breaks,
        np.asarray(inputs, dtype=np.float64),
        np.asarray(jumps, dtype=np.float64),
        np.asarray(jump_idx, dtype=np.int64),
        np.asarray(t_eval, dtype=np.float64),
        float(rtol),
        atol,
        int(max_steps),
        float(h_max),
    )


# ------------------------------------------------------------------------------------------
# 1. linear decay
# ------------------------------------------------------------------------------------------
def test_linear_decay_matches_closed_form(scalar_mod):
    k = 0.35
    t_end = 40.0  # ~20 half-lives
    t_eval = np.linspace(0.0, t_end, 1201)
    status, Y, stats, t_fail = _run(
        scalar_mod, [3.0], [k, 0.0, 0.0, 0.0], [0.0, t_end], t_eval, rtol=1e-7, atol=1e-30
    )
    assert status == 0
    assert np.isnan(t_fail)
    exact = 3.0 * np.exp(-k * t_eval)
    rel = np.abs(Y[:, 0] - exact) / exact
    assert rel.max() < 1e-5, rel.max()
    assert Y[0, 0] == 3.0
    n_steps, n_rhs, n_jac, n_lu = stats
    assert 10 < n_steps < 2000 and n_rhs >= n_steps and n_jac >= 1 and n_lu >= 1
    # dense output is the BDF interpolant, much more accurate than linear interpolation
    # between steps would be: with ~n_steps << len(t_eval) points the error stays tiny


# ------------------------------------------------------------------------------------------
# 2. stiff linear 2x2 (eigenvalues -1 and -1e5)
# ------------------------------------------------------------------------------------------
def test_stiff_linear_system_matches_expm(two_mod):
    lam1, lam2 = -1.0, -1e5
    a = 0.5 * (lam1 + lam2)
    b = 0.5 * (lam1 - lam2)
    A = np.array([[a, b], [b, a]])  # eigvecs [1, 1] -> lam1, [1, -1] -> lam2
    y0 = np.array([1.0, 0.0])
    t_eval = np.concatenate([[0.0], np.logspace(-7, 1, 161)])
    status, Y, stats, _ = _run(
        two_mod, y0, [a, b, b, a, 0.0], [0.0, 10.0], t_eval, rtol=1e-7, atol=1e-12
    )
    assert status == 0
    ref = np.array([expm(A * t) @ y0 for t in t_eval])
    err = np.abs(Y - ref)
    assert np.all(err <= 1e-5 * np.abs(ref) + 1e-8), err.max()
    # stiff solver: the step count must not scale with 1e5 * 10
    assert stats[0] < 1000


# ------------------------------------------------------------------------------------------
# 3. Robertson
# ------------------------------------------------------------------------------------------
def _robertson_f(t, y):
    k1, k2, k3 = ROBERTSON_P
    return [
        -k1 * y[0] + k3 * y[1] * y[2],
        k1 * y[0] - k3 * y[1] * y[2] - k2 * y[1] ** 2,
        k2 * y[1] ** 2,
    ]


def _robertson_j(t, y):
    k1, k2, k3 = ROBERTSON_P
    return np.array(
        [
            [-k1, k3 * y[2], k3 * y[1]],
            [k1, -k3 * y[2] - 2 * k2 * y[1], -k3 * y[1]],
            [0.0, 2 * k2 * y[1], 0.0],
        ]
    )


def test_robertson_matches_scipy_reference(rob_mod):
    y0 = np.array([1.0, 0.0, 0.0])
    t_eval = np.concatenate([[0.0], np.logspace(-4, 5, 37)])
    status, Y, stats, _ = _run(
        rob_mod,
        y0,
        ROBERTSON_P,
        [0.0, 1e5],
        t_eval,
        rtol=1e-8,
        atol=[1e-12, 1e-16, 1e-12],
        n_in=0,
    )
    assert status == 0
    ref = solve_ivp(
        _robertson_f,
        (0.0, 1e5),
        y0,
        method="Radau",
        jac=_robertson_j,
        rtol=1e-10,
        atol=[1e-16, 1e-20, 1e-16],
        t_eval=t_eval,
    ).y.T
    # significant components: y1 and y3 wherever above 1e-6, y2 where above 1e-9
    for i, floor in ((0, 1e-6), (1, 1e-9), (2, 1e-6)):
        sig = np.abs(ref[:, i]) > floor
        rel = np.abs(Y[sig, i] - ref[sig, i]) / np.abs(ref[sig, i])
        assert rel.max() < 1e-4, (i, rel.max())
    assert np.allclose(Y.sum(axis=1), 1.0, atol=1e-7)


# ------------------------------------------------------------------------------------------
# 4. Van der Pol, mu = 1000
# ------------------------------------------------------------------------------------------
def test_van_der_pol_stiff(two_mod):
    mu = 1000.0
    t_end = 2500.0
    t_eval = np.linspace(0.0, t_end, 26)
    y0 = np.array([2.0, 0.0])
    status, Y, stats, _ = _run(
        two_mod, y0, [0.0, 1.0, -1.0, 0.0, mu], [0.0, t_end], t_eval, rtol=1e-8, atol=1e-10
    )
    assert status == 0
    assert stats[0] < 20_000

    def f(t, y):
        return [y[1], mu * (1 - y[0] ** 2) * y[1] - y[0]]

    def j(t, y):
        return np.array([[0.0, 1.0], [-2 * mu * y[0] * y[1] - 1.0, mu * (1 - y[0] ** 2)]])

    ref = solve_ivp(
        f, (0.0, t_end), y0, method="Radau", jac=j, rtol=1e-10, atol=1e-12, t_eval=t_eval
    ).y.T
    # compare y1 on the slow manifold (|y1| well away from the fast jumps at |y1| ~ 1)
    slow = np.abs(ref[:, 1]) < 0.1
    assert slow.sum() >= 20
    assert np.max(np.abs(Y[slow, 0] - ref[slow, 0])) < 5e-5
    assert np.max(np.abs(Y[slow, 1] - ref[slow, 1])) < 1e-5
    # the fast transition happened: y1 changed sign
    assert Y[:, 0].min() < -1.5 and Y[:, 0].max() > 1.5


# ------------------------------------------------------------------------------------------
# 5. piecewise-constant input and boluses
# ------------------------------------------------------------------------------------------
def _relax(y_start, u, dt):
    """Solution of y' = u - y after time dt."""
    return u + (y_start - u) * np.exp(-dt)


def test_piecewise_input_restarts_at_breaks(scalar_mod):
    breaks = np.array([0.0, 2.0, 5.0, 9.0])
    u = np.array([0.0, 1.0, 0.0])
    t_eval = np.unique(np.concatenate([np.linspace(0.0, 9.0, 181), breaks]))
    y0 = 0.25
    status, Y, _, _ = _run(
        scalar_mod,
        [y0],
        [1.0, 0.0, 0.0, 0.0],
        breaks,
        t_eval,
        inputs=u[:, None],
        rtol=1e-9,
        atol=1e-14,
    )
    assert status == 0
    exact = np.empty_like(t_eval)
    y_start = y0
    for k in range(3):
        sel = (t_eval >= breaks[k]) & (t_eval <= breaks[k + 1])
        exact[sel] = _relax(y_start, u[k], t_eval[sel] - breaks[k])
        y_start = _relax(y_start, u[k], breaks[k + 1] - breaks[k])
    assert np.max(np.abs(Y[:, 0] - exact)) < 1e-7
    # the kink at t = 2 is resolved: slope changes sign (no stepping across breaks)
    i2 = np.searchsorted(t_eval, 2.0)
    assert Y[i2 - 1, 0] > Y[i2, 0] < Y[i2 + 1, 0]


def test_bolus_jump_is_right_continuous(scalar_mod):
    breaks = np.array([0.0, 3.0, 6.0])
    dose = 2.5
    jumps = np.array([[0.0], [dose]])
    t_b = breaks[1]
    t_eval = np.array([0.0, 1.0, t_b - 1e-9, t_b, t_b + 1e-9, 4.0, 6.0])
    k = 0.7
    status, Y, _, _ = _run(
        scalar_mod,
        [1.0],
        [k, 0.0, 0.0, 0.0],
        breaks,
        t_eval,
        jumps=jumps,
        jump_idx=[0],
        rtol=1e-10,
        atol=1e-14,
    )
    assert status == 0
    before = np.exp(-k * t_b)
    exact = np.where(
        t_eval < t_b, np.exp(-k * t_eval), (before + dose) * np.exp(-k * (t_eval - t_b))
    )
    np.testing.assert_allclose(Y[:, 0], exact, rtol=1e-7)
    # the value reported AT the break is after the bolus, and it is exactly dose higher than
    # the left limit of the integrated solution
    assert Y[3, 0] - Y[2, 0] == pytest.approx(dose, abs=1e-8)
    # a bolus at the very first break is applied before the first output
    status, Y0, _, _ = _run(
        scalar_mod,
        [1.0],
        [k, 0.0, 0.0, 0.0],
        breaks,
        t_eval,
        jumps=np.array([[dose], [0.0]]),
        jump_idx=[0],
        rtol=1e-10,
        atol=1e-14,
    )
    assert status == 0
    assert Y0[0, 0] == 1.0 + dose


def test_bolus_on_selected_state_only(two_mod):
    # decoupled decays y1' = -y1, y2' = -2 y2 ; bolus on state 1 (second state) only
    breaks = np.array([0.0, 1.0, 2.0])
    jumps = np.array([[0.0], [4.0]])
    t_eval = np.array([0.5, 1.0, 1.5, 2.0])
    status, Y, _, _ = _run(
        two_mod,
        [1.0, 1.0],
        [-1.0, 0.0, 0.0, -2.0, 0.0],
        breaks,
        t_eval,
        jumps=jumps,
        jump_idx=[1],
        rtol=1e-10,
        atol=1e-14,
        n_in=0,
    )
    assert status == 0
    np.testing.assert_allclose(Y[:, 0], np.exp(-t_eval), rtol=1e-7)
    y2 = np.where(
        t_eval < 1.0, np.exp(-2 * t_eval), (np.exp(-2.0) + 4.0) * np.exp(-2 * (t_eval - 1.0))
    )
    np.testing.assert_allclose(Y[:, 1], y2, rtol=1e-7)


# ------------------------------------------------------------------------------------------
# 6. explicit time dependence inside rhs
# ------------------------------------------------------------------------------------------
def test_time_dependent_forcing(scalar_mod):
    k, amp = 0.3, 2.0
    w = 2.0 * np.pi / 24.0  # daily rhythm, t in hours
    t_end = 240.0  # 10 days
    t_eval = np.linspace(0.0, t_end, 961)
    y0 = 1.0
    status, Y, _, _ = _run(
        scalar_mod, [y0], [k, amp, w, 0.0], [0.0, t_end], t_eval, rtol=1e-9, atol=1e-12
    )
    assert status == 0
    c1 = amp * k / (k * k + w * w)
    c2 = amp * w / (k * k + w * w)
    exact = c1 * np.cos(w * t_eval) + c2 * np.sin(w * t_eval) + (y0 - c1) * np.exp(-k * t_eval)
    assert np.max(np.abs(Y[:, 0] - exact)) < 1e-6 * amp


# ------------------------------------------------------------------------------------------
# 7. failure reporting
# ------------------------------------------------------------------------------------------
def test_blow_up_reports_failure(scalar_mod):
    t_eval = np.linspace(0.0, 2.0, 201)
    status, Y, stats, t_fail = _run(
        scalar_mod, [1.0], [0.0, 0.0, 0.0, 1.0], [0.0, 2.0], t_eval, rtol=1e-6, atol=1e-9
    )
    assert status in (2, 3, 4)
    assert 0.98 < t_fail <= 1.0
    after = t_eval > t_fail
    assert np.all(np.isnan(Y[after]))
    before = t_eval < 0.95
    assert np.all(np.isfinite(Y[before]))
    np.testing.assert_allclose(Y[before, 0], 1.0 / (1.0 - t_eval[before]), rtol=1e-3)


def test_max_steps_reports_status_1(scalar_mod):
    t_eval = np.linspace(0.0, 50.0, 11)
    status, Y, stats, t_fail = _run(
        scalar_mod, [1.0], [0.2, 1.0, 3.0, 0.0], [0.0, 50.0], t_eval, max_steps=5
    )
    assert status == 1
    assert stats[0] == 5
    assert 0.0 < t_fail < 50.0
    assert np.all(np.isnan(Y[t_eval > t_fail]))
    assert np.all(np.isfinite(Y[t_eval <= t_fail]))


def test_non_finite_state_reports_status_3(scalar_mod):
    t_eval = np.array([0.0, 1.0, 2.0])
    status, Y, _, t_fail = _run(
        scalar_mod,
        [1.0],
        [1.0, 0.0, 0.0, 0.0],
        [0.0, 1.0, 2.0],
        t_eval,
        jumps=np.array([[0.0], [np.nan]]),
        jump_idx=[0],
    )
    assert status == 3
    assert t_fail == 1.0
    assert np.isfinite(Y[0, 0]) and np.all(np.isnan(Y[1:]))


def test_h_max_is_respected(scalar_mod):
    # with h_max the solution is unchanged but many more steps are needed
    t_eval = np.array([0.0, 10.0])
    _, Y1, s1, _ = _run(scalar_mod, [1.0], [0.1, 0.0, 0.0, 0.0], [0.0, 10.0], t_eval)
    _, Y2, s2, _ = _run(scalar_mod, [1.0], [0.1, 0.0, 0.0, 0.0], [0.0, 10.0], t_eval, h_max=0.01)
    assert s2[0] >= 1000 > s1[0]
    np.testing.assert_allclose(Y1, Y2, rtol=1e-6)


# ------------------------------------------------------------------------------------------
# 8. batch == loop
# ------------------------------------------------------------------------------------------
def test_batch_equals_loop(scalar_mod):
    n_sub = 4
    breaks = np.array([0.0, 4.0, 10.0, 24.0])
    t_eval = np.linspace(0.0, 24.0, 97)
    P = np.array(
        [[0.5, 0.0, 0.0, 0.0], [1.0, 0.3, 0.26, 0.0], [2.0, 1.0, 0.5, 0.0], [0.1, 0.0, 0.0, -0.05]]
    )
    Y0 = np.array([[1.0], [0.0], [2.0], [0.5]])
    rng = np.random.default_rng(0)
    inputs = rng.uniform(0.0, 2.0, size=(n_sub, 3, 1))
    jumps = rng.uniform(0.0, 1.0, size=(n_sub, 3, 1))
    jump_idx = np.array([0], dtype=np.int64)
    atol = np.array([1e-10])
    st_b, Y_b, stats_b, tf_b = scalar_mod.integrate_batch(
        Y0, P, breaks, inputs, jumps, jump_idx, t_eval, 1e-8, atol, 100_000, np.inf
    )
    assert Y_b.shape == (n_sub, t_eval.size, 1) and stats_b.shape == (n_sub, 4)
    for s in range(n_sub):
        st, Y, stats, tf = scalar_mod.integrate(
            Y0[s],
            P[s],
            breaks,
            inputs[s],
            jumps[s],
            jump_idx,
            t_eval,
            1e-8,
            atol,
            100_000,
            np.inf,
        )
        assert st == st_b[s] == 0
        np.testing.assert_allclose(Y_b[s], Y, rtol=1e-12, atol=0.0)
        np.testing.assert_array_equal(stats_b[s], stats)
        assert np.isnan(tf) and np.isnan(tf_b[s])
    # subjects really differ
    assert not np.allclose(Y_b[0], Y_b[1])


# ------------------------------------------------------------------------------------------
# 9. module generation and caching
# ------------------------------------------------------------------------------------------
def test_build_solver_module_does_not_rewrite(tmp_path):
    key = _key(MODELS_SRC) + "_cache"
    m1 = build_solver_module(MODELS_SRC, key, cache_dir=tmp_path)
    path = tmp_path / f"nicsim_gen_{key}.py"
    assert m1.__file__ == str(path)
    text = path.read_text()
    assert text.startswith("# Generated") and "import numba" in text
    assert text.index("def rhs(") < text.index("def integrate(")
    mtime = path.stat().st_mtime_ns
    m2 = build_solver_module(MODELS_SRC, key, cache_dir=tmp_path)
    assert path.stat().st_mtime_ns == mtime
    assert m2.__file__ == m1.__file__
    assert callable(m2.integrate) and callable(m2.integrate_batch)
    assert not list(tmp_path.glob("*.tmp"))
    with pytest.raises(ValueError):
        build_solver_module(MODELS_SRC, "bad key/..", cache_dir=tmp_path)


def test_default_cache_dir_from_env(tmp_path, monkeypatch):
    from nicsim.core.solver_module import default_cache_dir

    monkeypatch.setenv("NICSIM_CACHE_DIR", str(tmp_path / "c"))
    assert default_cache_dir() == tmp_path / "c"
    src = MODELS_SRC + "\n# env variant\n"
    m = build_solver_module(src, _key(src))
    assert (tmp_path / "c" / f"nicsim_gen_{_key(src)}.py").exists()
    assert m.__file__.startswith(str(tmp_path / "c"))


def test_numba_disk_cache_is_hit_by_a_new_process(rob_mod):
    # make sure `integrate` is compiled (and cached on disk) in this process
    _run(rob_mod, [1.0, 0.0, 0.0], ROBERTSON_P, [0.0, 1.0], [1.0], n_in=0, atol=1e-10)
    cache_dir = os.path.dirname(rob_mod.__file__)
    script = textwrap.dedent(
        f"""
        import json, pathlib, time
        t0 = time.perf_counter()
        import numpy as np
        from nicsim.core.solver_module import build_solver_module
        m = build_solver_module({MODELS_SRC!r}, {_key(MODELS_SRC)!r},
                                cache_dir=pathlib.Path({cache_dir!r}))
        r = m.integrate(np.array([1.0, 0.0, 0.0]), np.array([0.04, 3e7, 1e4]),
                        np.array([0.0, 1.0]), np.zeros((1, 0)), np.zeros((1, 0)),
                        np.zeros(0, dtype=np.int64), np.array([1.0]), 1e-8,
                        np.full(3, 1e-10), 100000, np.inf)
        st = m.integrate.stats
        print(json.dumps({{"status": int(r[0]), "misses": sum(st.cache_misses.values()),
                          "hits": sum(st.cache_hits.values()),
                          "seconds": time.perf_counter() - t0}}))
        """
    )
    import nicsim

    src_dir = os.path.dirname(os.path.dirname(nicsim.__file__))
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [src_dir, env.get("PYTHONPATH")]))
    out = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        env=env,
    )
    info = json.loads(out.stdout.strip().splitlines()[-1])
    assert info["status"] == 0
    assert info["misses"] == 0 and info["hits"] >= 1
    assert info["seconds"] < 10.0


def test_kernel_source_imports_standalone():
    import nicsim.core._bdf_kernel as k

    assert k.STATUS_SUCCESS == 0 and k.N_STATS == 4
    assert hasattr(k.integrate, "py_func") and hasattr(k.integrate_batch, "py_func")


def test_invalid_arguments_raise(scalar_mod):
    p = [1.0, 0.0, 0.0, 0.0]
    with pytest.raises(ValueError, match="t_eval must be sorted"):
        _run(scalar_mod, [1.0], p, [0.0, 1.0], [0.5, 0.2])
    with pytest.raises(ValueError, match="within"):
        _run(scalar_mod, [1.0], p, [0.0, 1.0], [0.5, 1.5])
    with pytest.raises(ValueError, match="segments"):
        _run(scalar_mod, [1.0], p, [0.0, 1.0, 2.0], [0.5], inputs=np.zeros((1, 1)))
    with pytest.raises(ValueError, match="jump_idx"):
        _run(scalar_mod, [1.0], p, [0.0, 1.0], [0.5], jumps=np.zeros((1, 1)), jump_idx=[3])


def test_duplicate_t_eval_and_zero_length_segment(scalar_mod):
    # zero-length segment: its bolus is applied, no integration happens in it
    breaks = np.array([0.0, 1.0, 1.0, 2.0])
    jumps = np.array([[0.0], [1.0], [2.0]])
    t_eval = np.array([0.0, 0.5, 0.5, 1.0, 1.0, 2.0, 2.0])
    status, Y, _, _ = _run(
        scalar_mod,
        [1.0],
        [1.0, 0.0, 0.0, 0.0],
        breaks,
        t_eval,
        jumps=jumps,
        jump_idx=[0],
        rtol=1e-10,
        atol=1e-14,
    )
    assert status == 0
    y1 = np.exp(-1.0) + 3.0
    exact = np.array(
        [1.0, np.exp(-0.5), np.exp(-0.5), y1, y1, y1 * np.exp(-1.0), y1 * np.exp(-1.0)]
    )
    np.testing.assert_allclose(Y[:, 0], exact, rtol=1e-7)
    assert Y[1, 0] == Y[2, 0] and Y[3, 0] == Y[4, 0] and Y[5, 0] == Y[6, 0]


@pytest.mark.parametrize("density", [0.05, 0.3, 1.0])
def test_sparse_aware_lu_solves_like_dense_lapack(density):
    """The kernel's LU skips zero products and solves with the factors' row patterns; the
    result must be that of a dense solve, with row swaps (small diagonals force pivoting)."""
    import nicsim.core._bdf_kernel as k

    rng = np.random.default_rng(3)
    n = 40
    for _ in range(5):
        A = rng.normal(size=(n, n)) * (rng.random((n, n)) < density)
        A[np.diag_indices(n)] = rng.normal(size=n) * 1e-3
        A[np.arange(n), rng.permutation(n)] += rng.normal(size=n) * 5  # pivots off the diagonal
        b = rng.normal(size=n)
        LU, piv = A.copy(), np.empty(n, dtype=np.int64)
        Lp, Up = np.zeros(n + 1, dtype=np.int64), np.zeros(n + 1, dtype=np.int64)
        Lj, Uj = np.empty(n * n, dtype=np.int64), np.empty(n * n, dtype=np.int64)
        assert k._lu_factor(LU, piv, np.empty(n, dtype=np.int64), Lp, Lj, Up, Uj)
        assert (piv != np.arange(n)).any()
        x = b.copy()
        k._lu_solve(LU, piv, Lp, Lj, Up, Uj, x)
        np.testing.assert_allclose(x, np.linalg.solve(A, b), rtol=1e-9, atol=1e-12)
        assert Lp[-1] == np.count_nonzero(np.tril(LU, -1))
        assert Up[-1] == np.count_nonzero(np.triu(LU, 1))
    S = np.zeros((3, 3))
    assert not k._lu_factor(S, np.empty(3, dtype=np.int64), np.empty(3, dtype=np.int64),
                            np.zeros(4, dtype=np.int64), np.empty(9, dtype=np.int64),
                            np.zeros(4, dtype=np.int64), np.empty(9, dtype=np.int64))


def test_no_exchange_lu_on_the_jacobian_pattern():
    """The kernel first factorises I - c J over J's symbolic pattern without row exchanges;
    it must solve like a dense solver, and report a vanishing pivot so that the caller falls
    back to partial pivoting."""
    import nicsim.core._bdf_kernel as k

    rng = np.random.default_rng(5)
    n = 50
    W = np.empty((n, n), dtype=np.bool_)
    Lp, Up = np.zeros(n + 1, dtype=np.int64), np.zeros(n + 1, dtype=np.int64)
    Lj, Uj = np.empty(n * n, dtype=np.int64), np.empty(n * n, dtype=np.int64)
    for c in (1e-3, 1.0, 50.0):
        J = rng.normal(size=(n, n)) * (rng.random((n, n)) < 0.06)
        J[np.diag_indices(n)] = -rng.uniform(0.5, 5.0, n)  # decay terms, as in the models
        k._lu_pattern(J, W, Lp, Lj, Up, Uj)
        LU = np.full((n, n), np.nan)  # entries off the pattern must never be read
        assert k._lu_static(LU, J, c, Lp, Lj, Up, Uj)
        b = rng.normal(size=n)
        x = b.copy()
        k._lu_solve(LU, np.arange(n), Lp, Lj, Up, Uj, x)
        np.testing.assert_allclose(x, np.linalg.solve(np.eye(n) - c * J, b), rtol=1e-8,
                                   atol=1e-12)
    J = np.array([[2.0, 1.0], [1.0, 0.0]])  # I - 0.5 J has a zero first pivot
    k._lu_pattern(J, np.empty((2, 2), dtype=np.bool_), Lp[:3], Lj[:4], Up[:3], Uj[:4])
    assert not k._lu_static(np.zeros((2, 2)), J, 0.5, Lp[:3], Lj[:4], Up[:3], Uj[:4])
