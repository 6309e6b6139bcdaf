"""Scale-out: a real dask.distributed LocalCluster (2 worker processes) gives results identical to
the serial run for the same seed, each worker compiles the model once, not per chunk, and an
existing cluster given by its scheduler address does the same."""

from __future__ import annotations

import pytest
import xarray as xr

from nicsim.analysis.trial import local_cluster_kwargs, run_trial

distributed = pytest.importorskip("dask.distributed")

SPEC = {
    "name": "dask check",
    "seed": 11,
    "subjects": 7,
    "design": "independent",
    "population": {"sex": {"male": 0.5}, "age": {"uniform": {"min": 20, "max": 60}}},
    "scenario": {"start": "07:00", "protocol": [
        {"type": "acute_stressor", "start": "day 2 14:00", "intensity": 1.0}]},
    "duration": "4 days",
    "sample_interval": "30 min",
    "trajectory_interval": "6 h",
    "trajectories": ["cortisol_saliva"],
    "arms": [{"name": "control"},
             {"name": "breathing", "protocol": [
                 {"type": "slow_breathing", "start": "day 1 07:30", "days": 3}]}],
    "outcomes": [
        {"name": "tsst_peak", "kind": "peak", "output": "cortisol_saliva",
         "window": {"from": "day 2 14:00", "to": "day 2 16:00"}},
        {"name": "rmssd_change", "kind": "change", "output": "rmssd",
         "baseline": "day 1 10:00", "end": "day 4 10:00"},
        {"name": "slope", "kind": "diurnal_slope", "window": {"from": "day 3", "to": "day 4"}},
    ],
    "bootstrap": {"resamples": 300},
}


def test_local_cluster_identical_to_serial():
    """--workers 2: a real LocalCluster with two worker processes."""
    serial = run_trial(SPEC, chunk_size=7)
    calls = []
    dist = run_trial(SPEC, workers=2, chunk_size=2, progress=lambda d, n: calls.append((d, n)))
    info = dist.info
    assert info["executor"] == "dask LocalCluster, 2 worker processes"
    assert info["workers"] == 2 and info["chunks"] == 8 and calls[-1] == (8, 8)
    xr.testing.assert_identical(serial.dataset, dist.dataset)
    # 8 chunks on 2 worker processes: each compiled the model once, not per chunk
    assert list(info["worker_model_compiles"].values()) == [1, 1]


def test_scheduler_address_identical_to_serial():
    """--scheduler ADDRESS: an existing cluster (here an in-process one with two threads)."""
    small = {**SPEC, "subjects": 3, "duration": "2 days", "scenario": {"start": "07:00"},
             "outcomes": [SPEC["outcomes"][1] | {"end": "day 2 10:00"}],
             "arms": [{"name": "control"}, {"name": "breathing", "protocol": [
                 {"type": "slow_breathing", "start": "day 1 07:30", "days": 1}]}]}
    serial = run_trial(small)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None,
                                  scheduler_kwargs={"dashboard_address": ":0"}) as cluster:
        dist = run_trial(small, scheduler=cluster.scheduler_address, chunk_size=1)
    assert dist.info["executor"] == f"dask cluster at {cluster.scheduler_address}"
    xr.testing.assert_identical(serial.dataset, dist.dataset)


def test_worker_env_shares_the_cache_and_one_numba_thread():
    from nicsim.core.compiled import cache_dir

    env = local_cluster_kwargs(3)["env"]
    assert env["NICSIM_CACHE_DIR"] == str(cache_dir()) and env["NUMBA_NUM_THREADS"] == "1"
    assert local_cluster_kwargs(3)["n_workers"] == 3
