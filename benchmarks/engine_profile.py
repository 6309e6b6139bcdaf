"""Where the engine's time goes on the benchmark scenario (full model, rtol 1e-6).

    python benchmarks/engine_profile.py

Prints: the size and sparsity of the Jacobian; solver statistics (steps, right-hand sides,
Jacobians, LU factorisations) for the 180-day scenario; steps per protocol segment (sleep and
wake stretches, stressor windows) and how many of them fall in the first 6 minutes after a
break (the restart); and the cost of one LU factorisation and one solve of the iteration matrix
with the kernel's sparse-pattern LU against a dense LU with partial pivoting. The numbers
quoted in docs/benchmarks.md ("Engine notes") come from this script.
"""

from __future__ import annotations

import math
import sys
import time
from pathlib import Path

import numba
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run_benchmarks import RTOL, _setup  # noqa: E402


@numba.njit(cache=True)
def _dense_lu(A, piv):
    n = A.shape[0]
    for k in range(n):
        ip = k
        for i in range(k + 1, n):
            if abs(A[i, k]) > abs(A[ip, k]):
                ip = i
        piv[k] = ip
        if ip != k:
            for j in range(n):
                A[k, j], A[ip, j] = A[ip, j], A[k, j]
        for i in range(k + 1, n):
            A[i, k] /= A[k, k]
            if A[i, k] != 0.0:  # as the kernel before the sparse-pattern LU did
                for j in range(k + 1, n):
                    A[i, j] -= A[i, k] * A[k, j]


@numba.njit(cache=True)
def _dense_solve(A, piv, b):
    n = A.shape[0]
    for k in range(n):
        b[k], b[piv[k]] = b[piv[k]], b[k]
    for i in range(n):
        for j in range(i):
            b[i] -= A[i, j] * b[j]
    for i in range(n - 1, -1, -1):
        for j in range(i + 1, n):
            b[i] -= A[i, j] * b[j]
        b[i] /= A[i, i]


def main() -> int:
    sc, model, p, y0, S, ji = _setup()  # the benchmark's scenario, model and burn-in
    mod = model.solver
    jumps = np.ascontiguousarray(S.jumps, dtype=np.float64).reshape(len(S.inputs), len(ji))
    inputs = np.ascontiguousarray(S.inputs)
    atol = model.atol(RTOL)
    n = len(y0)

    J = np.empty((n, n))
    mod.jac(0.0, y0, p, inputs[1], J)
    print(f"model: {n} states; Jacobian nonzeros {np.count_nonzero(J)} of {n * n} "
          f"({np.count_nonzero(J) / n**2:.1%})")

    args = (y0, p, S.breaks, inputs, jumps, ji, sc.output_times(), RTOL, atol, 10**8, math.inf)
    mod.integrate(*args)
    t = time.perf_counter()
    _, _, stats, _ = mod.integrate(*args)
    print(f"180 days: {time.perf_counter() - t:.3f} s; steps {stats[0]:,}, right-hand sides "
          f"{stats[1]:,}, Jacobians {stats[2]:,}, LU factorisations {stats[3]:,}; "
          f"{len(inputs)} protocol segments")

    # steps per segment, and in the first 6 minutes after its break
    y = y0.copy()
    rows = []
    for k in range(len(inputs)):
        b = np.ascontiguousarray(S.breaks[k:k + 2])
        seg = (y, p, b, inputs[k:k + 1], jumps[k:k + 1], ji)
        cut = min(b[0] + 0.1, b[1])
        _, _, st6, _ = mod.integrate(y, p, np.array([b[0], cut]), *seg[3:], np.array([cut]),
                                     RTOL, atol, 10**7, math.inf)
        _, Yk, st, _ = mod.integrate(*seg, np.array([b[1]]), RTOL, atol, 10**7, math.inf)
        y = Yk[-1].copy()
        rows.append((b[1] - b[0], st[0], st6[0]))
    rows = np.array(rows, dtype=float)
    first6 = rows[:, 2].sum() / rows[:, 1].sum()
    print(f"steps per segment: median {np.median(rows[:, 1]):.0f} (segments of 8 h: median "
          f"{np.median(rows[np.isclose(rows[:, 0], 8.0), 1]):.0f}); "
          f"{first6:.0%} of all steps fall in the first 6 minutes after a break")

    # LU and solve of I - c J: kernel (sparse pattern) vs dense partial pivoting
    c = 0.05
    A0 = np.eye(n) - c * J
    W = np.empty((n, n), dtype=np.bool_)
    Lp, Up = np.zeros(n + 1, dtype=np.int64), np.zeros(n + 1, dtype=np.int64)
    Lj, Uj = np.empty(n * n, dtype=np.int64), np.empty(n * n, dtype=np.int64)
    mod._lu_pattern(J, W, Lp, Lj, Up, Uj)
    lu_static, lu_solve = mod._lu_static, mod._lu_solve

    @numba.njit
    def sparse_lu(J, c, Lp, Lj, Up, Uj, reps):
        LU = np.empty_like(J)
        for _ in range(reps):
            lu_static(LU, J, c, Lp, Lj, Up, Uj)
        return LU

    @numba.njit
    def sparse_solve(LU, Lp, Lj, Up, Uj, b, reps):
        piv = np.arange(LU.shape[0])
        for _ in range(reps):
            lu_solve(LU, piv, Lp, Lj, Up, Uj, b)

    @numba.njit
    def dense_lu(A0, piv, reps):
        A = A0.copy()
        for _ in range(reps):
            A[:, :] = A0
            _dense_lu(A, piv)
        return A

    @numba.njit
    def dense_solve(A, piv, b, reps):
        for _ in range(reps):
            _dense_solve(A, piv, b)

    def per_call(fn, *a, reps=20000):
        fn(*a, 1)
        t = time.perf_counter()
        out = fn(*a, reps)
        return (time.perf_counter() - t) / reps, out

    b = np.ones(n)
    piv = np.empty(n, dtype=np.int64)
    t_sparse, LU = per_call(sparse_lu, J, c, Lp, Lj, Up, Uj)
    t_sparse_solve, _ = per_call(sparse_solve, LU, Lp, Lj, Up, Uj, b, reps=200000)
    t_dense, Ad = per_call(dense_lu, A0, piv)
    t_dense_solve, _ = per_call(dense_solve, Ad, piv, b, reps=200000)
    print(f"LU of I - cJ (c = {c} h): sparse pattern {t_sparse * 1e6:.1f} us (L {Lp[-1]}, U "
          f"{Up[-1]} off-diagonal nonzeros) vs dense with partial pivoting (the kernel's "
          f"earlier LU) {t_dense * 1e6:.1f} us; solve "
          f"{t_sparse_solve * 1e6:.2f} us vs {t_dense_solve * 1e6:.2f} us")
    return 0


if __name__ == "__main__":
    sys.exit(main())
