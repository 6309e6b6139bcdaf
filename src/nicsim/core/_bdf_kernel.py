# Variable-order, variable-step BDF/NDF integrator (orders 1-5) in numba nopython code.
#
# The algorithm is a port of SciPy's ``scipy/integrate/_ivp/bdf.py`` (class ``BDF``,
# ``solve_bdf_system``, ``compute_R``, ``change_D``, ``BdfDenseOutput``) and of
# ``select_initial_step`` / ``norm`` from ``scipy/integrate/_ivp/common.py``, which implement
# the quasi-constant step size NDF/BDF scheme of L. F. Shampine and M. W. Reichelt,
# "The MATLAB ODE suite", SIAM J. Sci. Comput. 18(1), 1997.
#
# SciPy is distributed under the BSD 3-Clause licence:
#
#   Copyright (c) 2001-2002 Enthought, Inc. 2003, SciPy Developers.
#   All rights reserved.
#
#   Redistribution and use in source and binary forms, with or without modification, are
#   permitted provided that the following conditions are met:
#
#   1. Redistributions of source code must retain the above copyright notice, this list of
#      conditions and the following disclaimer.
#   2. Redistributions in binary form must reproduce the above copyright notice, this list of
#      conditions and the following disclaimer in the documentation and/or other materials
#      provided with the distribution.
#   3. Neither the name of the copyright holder nor the names of its contributors may be used
#      to endorse or promote products derived from this software without specific prior
#      written permission.
#
#   THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND ANY
#   EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED WARRANTIES OF
#   MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE DISCLAIMED. IN NO EVENT SHALL
#   THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE FOR ANY DIRECT, INDIRECT, INCIDENTAL,
#   SPECIAL, EXEMPLARY, OR CONSEQUENTIAL DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT
#   OF SUBSTITUTE GOODS OR SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION)
#   HOWEVER CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY, OR
#   TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE OF THIS
#   SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
#
# Modifications for nicsim (also BSD-3-Clause compatible, MIT in nicsim): rewritten as numba
# nopython functions with the whole integration loop compiled; the iteration matrix I - c J is
# factorised over the Jacobian's sparsity pattern without row exchanges (symbolic analysis
# redone with every new Jacobian), falling back to LU with partial pivoting when a pivot is
# small, and both skip zero products (several times faster for the default network);
# piecewise-constant inputs with restarts at breakpoints and bolus jumps; evaluation at
# ``t_eval`` through the BDF dense output; the LU factorisation is refreshed whenever the
# iteration matrix coefficient ``c = h / alpha[order]`` changes (SciPy keeps the old LU after an
# error-test rejection); explicit failure statuses instead of exceptions.
"""Numba BDF kernel SOURCE for nicsim's generated solver modules.

This file is not meant to be used on its own.  :func:`nicsim.solve.codegen_module.
build_solver_module` concatenates an import header, a model's ``rhs``/``jac`` source and the
text of this file into one module, so that the functions below see ``rhs`` and ``jac`` as
module globals.  Importing this file directly works (numba compiles lazily), but calling
``integrate`` from here fails because ``rhs``/``jac`` are undefined.

Model functions (defined by the generated module)::

    rhs(t, y, p, u, out)   # out[:] = dy/dt
    jac(t, y, p, u, out)   # out[i, j] = d f_i / d y_j

Public kernel functions::

    integrate(y0, p, breaks, inputs, jumps, jump_idx, t_eval, rtol, atol, max_steps, h_max)
        -> (status, Y, stats, t_fail)
    integrate_batch(Y0, P, breaks, inputs, jumps, jump_idx, t_eval, rtol, atol, max_steps,
                    h_max)
        -> (status[n_sub], Y[n_sub, n_eval, n], stats[n_sub, 4], t_fail[n_sub])

``stats`` = (n_steps, n_rhs, n_jac, n_lu); ``t_fail`` is NaN on success, else the time of the
last accepted state before the failure.
"""

import math

import numpy as np
from numba import njit, prange

# ---------------------------------------------------------------------------------------------
# constants (SciPy values)
# ---------------------------------------------------------------------------------------------
MAX_ORDER = 5
NEWTON_MAXITER = 4
MIN_FACTOR = 0.2
MAX_FACTOR = 10.0
# a pivot of the no-exchange LU smaller than this times its row's largest entry falls back to
# partial pivoting
STATIC_PIVOT_TOL = 1e-6
EPS = 2.220446049250313e-16
# consecutive Newton failures (each halving h) within one step before giving up (status 4)
MAX_NEWTON_FAILS = 40

STATUS_SUCCESS = 0
STATUS_MAX_STEPS = 1
STATUS_STEP_TOO_SMALL = 2
STATUS_NON_FINITE = 3
STATUS_NEWTON_FAILED = 4

N_STATS = 4  # n_steps, n_rhs, n_jac, n_lu


# ---------------------------------------------------------------------------------------------
# small helpers
# ---------------------------------------------------------------------------------------------
@njit(cache=True)
def _all_finite(x):
    for i in range(x.shape[0]):
        if not math.isfinite(x[i]):
            return False
    return True


@njit(cache=True)
def _rms_scaled(x, scale, factor):
    """RMS norm of ``factor * x / scale`` (SciPy's ``norm``)."""
    n = x.shape[0]
    s = 0.0
    for i in range(n):
        v = factor * x[i] / scale[i]
        s += v * v
    return math.sqrt(s / n)


@njit(cache=True)
def _lu_factor(A, piv, cols, Lp, Lj, Up, Uj):
    """In-place LU factorisation with partial pivoting (LAPACK getrf convention).

    On return ``A`` holds L (unit lower, below the diagonal) and U; row ``k`` was swapped with
    row ``piv[k]``.  Returns False when a zero or non-finite pivot was met (singular matrix).

    The iteration matrix ``I - c J`` of a model is sparse (under 5 % nonzero for the default
    network), so the elimination only visits the nonzero columns of each pivot row, and the
    factors' nonzero pattern is stored row-wise (``Lp/Lj`` strictly lower, ``Up/Uj`` strictly
    upper: CSR pointers and column indices) for :func:`_lu_solve`.  Storage stays dense, so
    fill-in is exact and the arithmetic is that of the dense algorithm (same results, bit for
    bit); only products with zeros are skipped.  ``cols`` is a work array of length n.
    """
    n = A.shape[0]
    ok = True
    for k in range(n):
        ip = k
        pmax = abs(A[k, k])
        for i in range(k + 1, n):
            v = abs(A[i, k])
            if v > pmax:
                pmax = v
                ip = i
        piv[k] = ip
        if not (pmax > 0.0 and pmax < np.inf):
            ok = False
            continue
        if ip != k:
            for j in range(n):
                tmp = A[k, j]
                A[k, j] = A[ip, j]
                A[ip, j] = tmp
        nc = 0
        for j in range(k + 1, n):
            if A[k, j] != 0.0:
                cols[nc] = j
                nc += 1
        inv = 1.0 / A[k, k]
        for i in range(k + 1, n):
            lik = A[i, k]
            if lik != 0.0:
                lik *= inv
                A[i, k] = lik
                for jj in range(nc):
                    j = cols[jj]
                    A[i, j] -= lik * A[k, j]
    Lp[0] = 0
    Up[0] = 0
    for i in range(n):
        _record_row(A, i, Lp, Lj, Up, Uj)
    return ok


@njit(cache=True)
def _record_row(M, i, Lp, Lj, Up, Uj):
    """Append the nonzero columns of row ``i`` of ``M`` left and right of the diagonal to the
    row-wise (CSR) patterns; rows before ``i`` must be recorded already."""
    n = M.shape[0]
    nl = Lp[i]
    nu = Up[i]
    for j in range(i):
        if M[i, j] != 0:
            Lj[nl] = j
            nl += 1
    for j in range(i + 1, n):
        if M[i, j] != 0:
            Uj[nu] = j
            nu += 1
    Lp[i + 1] = nl
    Up[i + 1] = nu


@njit(cache=True)
def _lu_pattern(J, W, Lp, Lj, Up, Uj):
    """Symbolic LU without row exchanges of ``I - c J`` for the nonzero pattern of ``J``.

    Fills the row-wise patterns of L (strictly lower) and U (strictly upper) including fill-in
    (``W`` is an (n, n) work array).  Redone whenever the Jacobian is re-evaluated, so the pattern
    always covers the matrix that is factorised.
    """
    n = J.shape[0]
    for i in range(n):
        for j in range(n):
            W[i, j] = J[i, j] != 0.0
        W[i, i] = True
    Lp[0] = 0
    Up[0] = 0
    for i in range(n):
        # rows above are final: eliminating entry (i, k) spreads row k's U pattern into row i;
        # fill at (i, j) with k < j < i is met later in this ascending scan
        for k in range(i):
            if W[i, k]:
                for jj in range(Up[k], Up[k + 1]):
                    W[i, Uj[jj]] = True
        _record_row(W, i, Lp, Lj, Up, Uj)


@njit(cache=True)
def _lu_static(A, J, c, Lp, Lj, Up, Uj):
    """Numeric LU of ``A = I - c J`` over the pattern from :func:`_lu_pattern`, no row
    exchanges; only pattern entries of ``A`` are written or read.

    Returns False when a pivot is not finite or below ``STATIC_PIVOT_TOL`` times the largest
    entry of its row of ``I - c J``; the caller then factorises with partial pivoting.  The
    factors only steer the Newton iteration (its convergence test and the step's error
    estimate decide accuracy), so the pivot order changes how fast Newton converges, not the
    solution it accepts.
    """
    n = A.shape[0]
    for i in range(n):
        big = abs(1.0 - c * J[i, i])
        A[i, i] = 1.0 - c * J[i, i]
        for jj in range(Lp[i], Lp[i + 1]):
            v = -c * J[i, Lj[jj]]
            A[i, Lj[jj]] = v
            if abs(v) > big:
                big = abs(v)
        for jj in range(Up[i], Up[i + 1]):
            v = -c * J[i, Uj[jj]]
            A[i, Uj[jj]] = v
            if abs(v) > big:
                big = abs(v)
        for jj in range(Lp[i], Lp[i + 1]):
            k = Lj[jj]
            lik = A[i, k] / A[k, k]
            A[i, k] = lik
            if lik != 0.0:
                for ll in range(Up[k], Up[k + 1]):
                    j = Uj[ll]
                    A[i, j] -= lik * A[k, j]
        piv = A[i, i]
        if not (math.isfinite(piv) and abs(piv) > STATIC_PIVOT_TOL * big):
            return False
    return True


@njit(cache=True)
def _lu_solve(A, piv, Lp, Lj, Up, Uj, b):
    """Solve ``A x = b`` in place in ``b`` with the factors from :func:`_lu_factor`."""
    n = A.shape[0]
    for k in range(n):
        ip = piv[k]
        if ip != k:
            tmp = b[k]
            b[k] = b[ip]
            b[ip] = tmp
    for i in range(n):
        s = b[i]
        for jj in range(Lp[i], Lp[i + 1]):
            s -= A[i, Lj[jj]] * b[Lj[jj]]
        b[i] = s
    for i in range(n - 1, -1, -1):
        s = b[i]
        for jj in range(Up[i], Up[i + 1]):
            s -= A[i, Uj[jj]] * b[Uj[jj]]
        b[i] = s / A[i, i]


@njit(cache=True)
def _compute_R(order, factor, R):
    """SciPy's ``compute_R`` written into ``R[:order + 1, :order + 1]``."""
    for j in range(order + 1):
        R[0, j] = 1.0
    for i in range(1, order + 1):
        R[i, 0] = 0.0
        for j in range(1, order + 1):
            R[i, j] = R[i - 1, j] * ((i - 1 - factor * j) / i)


@njit(cache=True)
def _change_D(D, order, factor, R, U, RU, Dtmp):
    """Rescale the difference array in place for a step size change by ``factor``."""
    n = D.shape[1]
    _compute_R(order, factor, R)
    _compute_R(order, 1.0, U)
    m = order + 1
    for i in range(m):
        for j in range(m):
            s = 0.0
            for k in range(m):
                s += R[i, k] * U[k, j]
            RU[i, j] = s
    # D[:m] = RU.T @ D[:m]
    for i in range(m):
        for q in range(n):
            Dtmp[i, q] = 0.0
        for k in range(m):
            w = RU[k, i]
            for q in range(n):
                Dtmp[i, q] += w * D[k, q]
    for i in range(m):
        for q in range(n):
            D[i, q] = Dtmp[i, q]


@njit(cache=True)
def _dense_eval(t_eval_pt, t, h, order, D, out):
    """BDF dense output (SciPy's ``BdfDenseOutput``) at ``t_eval_pt`` into ``out``."""
    n = D.shape[1]
    for q in range(n):
        out[q] = D[0, q]
    prod = 1.0
    for j in range(order):
        # x_j = (t_eval - (t - h * j)) / (h * (j + 1)); p_j = cumprod(x)
        prod *= (t_eval_pt - (t - h * j)) / (h * (1 + j))
        for q in range(n):
            out[q] += D[j + 1, q] * prod


@njit(cache=True)
def _select_initial_step(t0, y0, f0, t_bound, max_step, rtol, atol, p, u, y1, f1, scale):
    """SciPy's ``select_initial_step`` for a method of error order 1.

    Returns ``(h_abs, n_rhs_used)``.
    """
    n = y0.shape[0]
    interval_length = abs(t_bound - t0)
    if interval_length == 0.0:
        return 0.0, 0
    for i in range(n):
        scale[i] = atol[i] + abs(y0[i]) * rtol
    d0 = _rms_scaled(y0, scale, 1.0)
    d1 = _rms_scaled(f0, scale, 1.0)
    if d0 < 1e-5 or d1 < 1e-5:
        h0 = 1e-6
    else:
        h0 = 0.01 * d0 / d1
    h0 = min(h0, interval_length)
    for i in range(n):
        y1[i] = y0[i] + h0 * f0[i]
    rhs(t0 + h0, y1, p, u, f1)  # noqa: F821
    for i in range(n):
        y1[i] = f1[i] - f0[i]
    d2 = _rms_scaled(y1, scale, 1.0) / h0
    if not math.isfinite(d2):
        h1 = h0
    elif d1 <= 1e-15 and d2 <= 1e-15:
        h1 = max(1e-6, h0 * 1e-3)
    else:
        h1 = (0.01 / max(d1, d2)) ** 0.5
    return min(100.0 * h0, h1, interval_length, max_step), 1


@njit(cache=True)
def _solve_bdf_system(t_new, y_predict, c, psi, LU, piv, Lp, Lj, Up, Uj, scale, tol, p, u, y,
                      d, f, dy):
    """Simplified Newton iteration for the BDF system (SciPy's ``solve_bdf_system``).

    On return ``y`` holds the new state and ``d`` the correction ``y - y_predict``.
    Returns ``(converged, n_iter, n_rhs)``.
    """
    n = y.shape[0]
    for i in range(n):
        d[i] = 0.0
        y[i] = y_predict[i]
    dy_norm_old = 0.0
    have_old = False
    converged = False
    n_iter = 0
    n_rhs = 0
    for k in range(NEWTON_MAXITER):
        n_iter = k + 1
        rhs(t_new, y, p, u, f)  # noqa: F821
        n_rhs += 1
        if not _all_finite(f):
            break
        for i in range(n):
            dy[i] = c * f[i] - psi[i] - d[i]
        _lu_solve(LU, piv, Lp, Lj, Up, Uj, dy)
        dy_norm = _rms_scaled(dy, scale, 1.0)
        if not math.isfinite(dy_norm):
            break
        rate = 0.0
        if have_old:
            rate = dy_norm / dy_norm_old
            if rate >= 1.0 or rate ** (NEWTON_MAXITER - k) / (1.0 - rate) * dy_norm > tol:
                break
        for i in range(n):
            y[i] += dy[i]
            d[i] += dy[i]
        if dy_norm == 0.0 or (have_old and rate / (1.0 - rate) * dy_norm < tol):
            converged = True
            break
        dy_norm_old = dy_norm
        have_old = True
    return converged, n_iter, n_rhs


@njit(cache=True)
def _order_factor(err, q):
    """``err ** (-1 / q)`` with SciPy's conventions for 0 and inf."""
    if err == 0.0:
        return np.inf
    if err == np.inf:
        return 0.0
    return err ** (-1.0 / q)


# ---------------------------------------------------------------------------------------------
# single-subject core
# ---------------------------------------------------------------------------------------------
@njit(cache=True)
def _integrate_core(
    y0, p, breaks, inputs, jumps, jump_idx, t_eval, rtol, atol, max_steps, h_max, Y, stats
):
    """Integrate one subject; writes ``Y`` (n_eval, n) and ``stats`` (4,).

    Returns ``(status, t_fail)``.
    """
    n = y0.shape[0]
    n_seg = breaks.shape[0] - 1
    n_eval = t_eval.shape[0]
    n_jump = jump_idx.shape[0]

    for i in range(n_eval):
        for q in range(n):
            Y[i, q] = np.nan
    for i in range(stats.shape[0]):
        stats[i] = 0

    # SciPy warns and raises rtol below 100 * EPS to that value
    rtol = max(float(rtol), 100.0 * EPS)
    hmax = float(h_max)
    if not (hmax > 0.0):
        hmax = np.inf

    # method coefficients (NDF modification of BDF, Shampine & Reichelt 1997)
    kappa = np.array([0.0, -0.1850, -1.0 / 9.0, -0.0823, -0.0415, 0.0])
    gamma = np.zeros(MAX_ORDER + 1)
    for i in range(1, MAX_ORDER + 1):
        gamma[i] = gamma[i - 1] + 1.0 / i
    alpha = np.empty(MAX_ORDER + 1)
    error_const = np.empty(MAX_ORDER + 1)
    for i in range(MAX_ORDER + 1):
        alpha[i] = (1.0 - kappa[i]) * gamma[i]
        error_const[i] = kappa[i] * gamma[i] + 1.0 / (i + 1)

    newton_tol = max(10.0 * EPS / rtol, min(0.03, math.sqrt(rtol)))

    # work arrays (per call, hence per subject in the batch driver)
    y = np.empty(n)
    for q in range(n):
        y[q] = y0[q]
    D = np.zeros((MAX_ORDER + 3, n))
    Dtmp = np.empty((MAX_ORDER + 1, n))
    R = np.empty((MAX_ORDER + 1, MAX_ORDER + 1))
    U = np.empty((MAX_ORDER + 1, MAX_ORDER + 1))
    RU = np.empty((MAX_ORDER + 1, MAX_ORDER + 1))
    J = np.empty((n, n))
    LU = np.empty((n, n))
    piv = np.empty(n, dtype=np.int64)
    cols = np.empty(n, dtype=np.int64)
    Lp = np.zeros(n + 1, dtype=np.int64)
    Up = np.zeros(n + 1, dtype=np.int64)
    Lj = np.empty(n * n, dtype=np.int64)
    Uj = np.empty(n * n, dtype=np.int64)
    # pattern of the no-exchange LU (used while its pivots are sound) and identity pivots
    W = np.empty((n, n), dtype=np.bool_)
    sLp = np.zeros(n + 1, dtype=np.int64)
    sUp = np.zeros(n + 1, dtype=np.int64)
    sLj = np.empty(n * n, dtype=np.int64)
    sUj = np.empty(n * n, dtype=np.int64)
    no_piv = np.arange(n)
    static_lu = False
    f = np.empty(n)
    f1 = np.empty(n)
    y_predict = np.empty(n)
    y_new = np.empty(n)
    psi = np.empty(n)
    scale = np.empty(n)
    d = np.empty(n)
    dy = np.empty(n)
    work = np.empty(n)

    n_steps = 0
    n_rhs = 0
    n_jac = 0
    n_lu = 0
    status = STATUS_SUCCESS
    t = breaks[0]

    # t_eval before the start cannot be reported (the entry points reject it; stay NaN here)
    ie = 0
    while ie < n_eval and t_eval[ie] < breaks[0]:
        ie += 1

    for kseg in range(n_seg):
        t = breaks[kseg]
        t_bound = breaks[kseg + 1]
        u = inputs[kseg]

        # boluses at the start of the segment
        for j in range(n_jump):
            y[jump_idx[j]] += jumps[kseg, j]
        if not _all_finite(y):
            status = STATUS_NON_FINITE
            break

        # zero-length segment: only its boluses apply; the output at this time is written
        # after the jumps of the last segment starting here (right-continuity)
        if not (t_bound > t):
            continue

        # right-continuous output at the break
        while ie < n_eval and t_eval[ie] <= t:
            for q in range(n):
                Y[ie, q] = y[q]
            ie += 1

        if n == 0:
            t = t_bound
            continue

        # ---- (re)start: order 1, fresh initial step and Jacobian ----
        rhs(t, y, p, u, f)  # noqa: F821
        n_rhs += 1
        if not _all_finite(f):
            status = STATUS_NON_FINITE
            break
        h_abs, nf = _select_initial_step(t, y, f, t_bound, hmax, rtol, atol, p, u, work, f1, scale)
        n_rhs += nf
        jac(t, y, p, u, J)  # noqa: F821
        n_jac += 1
        _lu_pattern(J, W, sLp, sLj, sUp, sUj)
        for q in range(n):
            D[0, q] = y[q]
            D[1, q] = f[q] * h_abs
        order = np.int64(1)
        n_equal_steps = 0
        lu_c = np.nan  # coefficient c of the current LU factorisation (NaN: none)
        lu_ok = False

        while t < t_bound:
            if n_steps >= max_steps:
                status = STATUS_MAX_STEPS
                break

            min_step = 10.0 * (np.nextafter(t, np.inf) - t)
            if h_abs > hmax:
                _change_D(D, order, hmax / h_abs, R, U, RU, Dtmp)
                h_abs = hmax
                n_equal_steps = 0
            elif h_abs < min_step:
                _change_D(D, order, min_step / h_abs, R, U, RU, Dtmp)
                h_abs = min_step
                n_equal_steps = 0

            current_jac = False
            step_accepted = False
            n_newton_fail = 0
            t_new = t
            n_iter = 0
            error_norm = 0.0
            while not step_accepted:
                if h_abs < min_step:
                    status = STATUS_STEP_TOO_SMALL
                    break

                t_new = t + h_abs
                if t_new > t_bound:
                    t_new = t_bound
                    _change_D(D, order, abs(t_new - t) / h_abs, R, U, RU, Dtmp)
                    n_equal_steps = 0
                h = t_new - t
                h_abs = abs(h)

                inv_alpha = 1.0 / alpha[order]
                for q in range(n):
                    s = 0.0
                    for j in range(order + 1):
                        s += D[j, q]
                    y_predict[q] = s
                    scale[q] = atol[q] + rtol * abs(s)
                    s2 = 0.0
                    for j in range(1, order + 1):
                        s2 += D[j, q] * gamma[j]
                    psi[q] = s2 * inv_alpha

                converged = False
                c = h * inv_alpha
                while not converged:
                    if c != lu_c:
                        static_lu = _lu_static(LU, J, c, sLp, sLj, sUp, sUj)
                        lu_ok = static_lu
                        if not static_lu:
                            for i in range(n):
                                for j in range(n):
                                    LU[i, j] = -c * J[i, j]
                                LU[i, i] += 1.0
                            lu_ok = _lu_factor(LU, piv, cols, Lp, Lj, Up, Uj)
                        n_lu += 1
                        lu_c = c
                    if lu_ok and static_lu:
                        converged, n_iter, nf = _solve_bdf_system(
                            t_new, y_predict, c, psi, LU, no_piv, sLp, sLj, sUp, sUj, scale,
                            newton_tol, p, u, y_new, d, f, dy)
                        n_rhs += nf
                    elif lu_ok:
                        converged, n_iter, nf = _solve_bdf_system(
                            t_new,
                            y_predict,
                            c,
                            psi,
                            LU,
                            piv,
                            Lp,
                            Lj,
                            Up,
                            Uj,
                            scale,
                            newton_tol,
                            p,
                            u,
                            y_new,
                            d,
                            f,
                            dy,
                        )
                        n_rhs += nf
                    if not converged:
                        if current_jac:
                            break
                        jac(t_new, y_predict, p, u, J)  # noqa: F821
                        n_jac += 1
                        _lu_pattern(J, W, sLp, sLj, sUp, sUj)
                        lu_c = np.nan
                        current_jac = True

                if not converged:
                    n_newton_fail += 1
                    if n_newton_fail >= MAX_NEWTON_FAILS:
                        status = STATUS_NEWTON_FAILED
                        break
                    h_abs *= 0.5
                    _change_D(D, order, 0.5, R, U, RU, Dtmp)
                    n_equal_steps = 0
                    continue

                safety = 0.9 * (2 * NEWTON_MAXITER + 1) / (2 * NEWTON_MAXITER + n_iter)
                for q in range(n):
                    scale[q] = atol[q] + rtol * abs(y_new[q])
                error_norm = _rms_scaled(d, scale, error_const[order])

                if error_norm > 1.0:
                    factor = max(MIN_FACTOR, safety * error_norm ** (-1.0 / (order + 1)))
                    h_abs *= factor
                    _change_D(D, order, factor, R, U, RU, Dtmp)
                    n_equal_steps = 0
                elif not math.isfinite(error_norm):
                    status = STATUS_NON_FINITE
                    break
                else:
                    step_accepted = True

            if status != STATUS_SUCCESS:
                break

            # ---- accept the step ----
            if not _all_finite(y_new):
                status = STATUS_NON_FINITE
                break
            n_steps += 1
            n_equal_steps += 1
            t = t_new
            for q in range(n):
                y[q] = y_new[q]

            # update the differences: D^{j+1} y_n = D^j y_n - D^j y_{n-1}
            for q in range(n):
                D[order + 2, q] = d[q] - D[order + 1, q]
                D[order + 1, q] = d[q]
            for i in range(order, -1, -1):
                for q in range(n):
                    D[i, q] += D[i + 1, q]

            if n_equal_steps >= order + 1:
                if order > 1:
                    error_m_norm = _rms_scaled(D[order], scale, error_const[order - 1])
                else:
                    error_m_norm = np.inf
                if order < MAX_ORDER:
                    error_p_norm = _rms_scaled(D[order + 2], scale, error_const[order + 1])
                else:
                    error_p_norm = np.inf
                f_m = _order_factor(error_m_norm, order)
                f_0 = _order_factor(error_norm, order + 1)
                f_p = _order_factor(error_p_norm, order + 2)
                # np.argmax semantics: first maximum wins
                delta_order = -1
                f_max = f_m
                if f_0 > f_max:
                    delta_order = 0
                    f_max = f_0
                if f_p > f_max:
                    delta_order = 1
                    f_max = f_p
                order += delta_order
                factor = min(MAX_FACTOR, safety * f_max)
                h_abs *= factor
                _change_D(D, order, factor, R, U, RU, Dtmp)
                n_equal_steps = 0

            # ---- dense output for t_old < t_eval <= t (t == t_bound left to the next break) ----
            while ie < n_eval:
                te = t_eval[ie]
                if te < t:
                    _dense_eval(te, t, h_abs, order, D, work)
                    for q in range(n):
                        Y[ie, q] = work[q]
                    ie += 1
                elif te == t and t < t_bound:
                    for q in range(n):
                        Y[ie, q] = y[q]
                    ie += 1
                else:
                    break

        if status != STATUS_SUCCESS:
            break
        t = t_bound

    if status == STATUS_SUCCESS:
        t_end = breaks[n_seg]
        while ie < n_eval and t_eval[ie] <= t_end:
            for q in range(n):
                Y[ie, q] = y[q]
            ie += 1
        t_fail = np.nan
    else:
        t_fail = t
        # rows not reached stay NaN; make sure nothing at or after the failure time survives
        for i in range(n_eval):
            if t_eval[i] > t:
                for q in range(n):
                    Y[i, q] = np.nan

    stats[0] = n_steps
    stats[1] = n_rhs
    stats[2] = n_jac
    stats[3] = n_lu
    return status, t_fail


# ---------------------------------------------------------------------------------------------
# public entry points
# ---------------------------------------------------------------------------------------------
@njit(cache=True)
def _check_common(n, breaks, n_seg_in, n_in_jump, jump_idx, t_eval, atol):
    """Validate shapes shared by both entry points (raises ValueError)."""
    if breaks.shape[0] < 1:
        raise ValueError("breaks must hold at least one time")
    n_seg = breaks.shape[0] - 1
    for k in range(n_seg):
        if not (breaks[k + 1] >= breaks[k]):
            raise ValueError("breaks must be non-decreasing (and not NaN)")
    if n_seg_in != n_seg:
        raise ValueError("inputs/jumps must have len(breaks) - 1 segments")
    if n_in_jump != jump_idx.shape[0]:
        raise ValueError("jumps last dimension must equal len(jump_idx)")
    for j in range(jump_idx.shape[0]):
        if jump_idx[j] < 0 or jump_idx[j] >= n:
            raise ValueError("jump_idx out of range")
    for i in range(1, t_eval.shape[0]):
        if not (t_eval[i] >= t_eval[i - 1]):
            raise ValueError("t_eval must be sorted (and not NaN)")
    n_eval = t_eval.shape[0]
    if n_eval > 0 and (t_eval[0] < breaks[0] or t_eval[n_eval - 1] > breaks[n_seg]):
        raise ValueError("t_eval must lie within [breaks[0], breaks[-1]]")
    if atol.shape[0] != n:
        raise ValueError("atol must have one entry per state")


@njit(cache=True, nogil=True)
def integrate(y0, p, breaks, inputs, jumps, jump_idx, t_eval, rtol, atol, max_steps, h_max):
    """Integrate one subject.

    Returns ``(status, Y, stats, t_fail)`` with ``Y`` (len(t_eval), n), ``stats`` int64[4] =
    (n_steps, n_rhs, n_jac, n_lu) and ``t_fail`` NaN on success.
    """
    if inputs.shape[0] != jumps.shape[0]:
        raise ValueError("inputs and jumps must have the same number of segments")
    _check_common(y0.shape[0], breaks, inputs.shape[0], jumps.shape[1], jump_idx, t_eval, atol)
    Y = np.empty((t_eval.shape[0], y0.shape[0]))
    stats = np.zeros(N_STATS, dtype=np.int64)
    status, t_fail = _integrate_core(
        y0, p, breaks, inputs, jumps, jump_idx, t_eval, rtol, atol, max_steps, h_max, Y, stats
    )
    return status, Y, stats, t_fail


@njit(cache=True, parallel=True, nogil=True)
def integrate_batch(Y0, P, breaks, inputs, jumps, jump_idx, t_eval, rtol, atol, max_steps, h_max):
    """Integrate ``n_sub`` subjects in parallel (shared breaks and t_eval).

    ``Y0`` (n_sub, n), ``P`` (n_sub, n_par), ``inputs`` (n_sub, n_seg, n_in), ``jumps``
    (n_sub, n_seg, n_jump).  Returns ``(status[n_sub], Y[n_sub, n_eval, n],
    stats[n_sub, 4], t_fail[n_sub])``.
    """
    n_sub = Y0.shape[0]
    n = Y0.shape[1]
    n_eval = t_eval.shape[0]
    if P.shape[0] != n_sub or inputs.shape[0] != n_sub or jumps.shape[0] != n_sub:
        raise ValueError("Y0, P, inputs and jumps must have the same number of subjects")
    if inputs.shape[1] != jumps.shape[1]:
        raise ValueError("inputs and jumps must have the same number of segments")
    _check_common(n, breaks, inputs.shape[1], jumps.shape[2], jump_idx, t_eval, atol)
    status = np.zeros(n_sub, dtype=np.int64)
    Y = np.empty((n_sub, n_eval, n))
    stats = np.zeros((n_sub, N_STATS), dtype=np.int64)
    t_fail = np.empty(n_sub)
    for s in prange(n_sub):
        st, tf = _integrate_core(
            Y0[s],
            P[s],
            breaks,
            inputs[s],
            jumps[s],
            jump_idx,
            t_eval,
            rtol,
            atol,
            max_steps,
            h_max,
            Y[s],
            stats[s],
        )
        status[s] = st
        t_fail[s] = tf
    return status, Y, stats, t_fail
