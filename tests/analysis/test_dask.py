"""Scale-out: a real dask.distributed LocalCluster (2 worker processes) gives results identical to
the serial run for the same seed, and each worker compiles the model once, not per chunk."""

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


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(**local_cluster_kwargs(2)) as c:
        yield c


def _compiles():
    from nicsim.solve.simulate import default_model

    return default_model.cache_info().misses


def test_dask_cluster_identical_to_serial(cluster):
    serial = run_trial(SPEC, chunk_size=7)
    calls = []
    dist = run_trial(SPEC, scheduler=cluster.scheduler_address, chunk_size=2,
                     progress=lambda d, n: calls.append((d, n)))
    assert dist.info["workers"] == 2 and dist.info["chunks"] == 8
    assert calls[-1] == (8, 8)
    xr.testing.assert_identical(serial.dataset, dist.dataset)
    with distributed.Client(cluster) as client:
        # 8 chunks on 2 workers: each worker process compiled the model once
        assert set(client.run(_compiles).values()) == {1}
        envs = client.run(lambda: __import__("os").environ["NUMBA_NUM_THREADS"])
        assert set(envs.values()) == {"1"}


def test_local_workers_option_identical_to_serial():
    small = {**SPEC, "subjects": 3, "duration": "2 days", "outcomes": [SPEC["outcomes"][1] | {
        "end": "day 2 10:00"}], "scenario": {"start": "07:00"}, "arms": [
        {"name": "control"}, {"name": "breathing", "protocol": [
            {"type": "slow_breathing", "start": "day 1 07:30", "days": 1}]}]}
    serial = run_trial(small)
    dist = run_trial(small, workers=2, chunk_size=1)
    assert dist.info["executor"].startswith("dask LocalCluster, 2 worker")
    xr.testing.assert_identical(serial.dataset, dist.dataset)
