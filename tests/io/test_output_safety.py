"""Output safety: atomic writes under concurrent writers, checked output paths, output folders
without stale files, Ctrl-C (issue 9, items 1, 2, 5 and 8)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

from nicsim.io.output import (
    MANIFEST,
    OutputFolder,
    OutputPathError,
    atomic_path,
    check_output_file,
    check_output_folder,
    write_netcdf,
    write_text,
)

ROOT = Path(__file__).resolve().parents[2]
NICSIM = [sys.executable, "-c", "from nicsim.cli import main; main()"]
SHORT = """name: short
start: "07:00"
duration: 1 day
output_interval: 30 min
protocol:
  - {type: acute_stressor, start: "day 1 10:00", duration: 20 min, intensity: 1}
"""


def _env():
    env = dict(os.environ)
    env["NUMBA_NUM_THREADS"] = "1"
    return env


def _run(args, cwd, **kw):
    return subprocess.run(NICSIM + [str(a) for a in args], cwd=cwd, capture_output=True,
                          text=True, env=_env(), timeout=600, **kw)


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if ".tmp-" in p.name or
                  p.name.endswith(".part"))


# ============================================================================ item 1
def _writer(args):
    path, k = args
    n = 20_000
    ds = xr.Dataset({f"v{j}": ("t", np.full(n, float(k * 100 + j))) for j in range(8)},
                    attrs={"nicsim_version": "test", "writer": k})
    write_netcdf(ds, path)
    with xr.open_dataset(path, engine="h5netcdf") as back:  # what this writer's success means
        back.load()
    return k


def test_concurrent_writers_leave_one_complete_file(tmp_path):
    """Eight processes write different datasets to one path at once: the file left is exactly
    one writer's dataset (every variable of that writer, none zeroed) and no temporary file
    remains. With one fixed temporary name, writers overwrote each other's half-written
    files."""
    import multiprocessing as mp

    path = tmp_path / "same.nc"
    ctx = mp.get_context("spawn")
    with ctx.Pool(8) as pool:
        done = pool.map(_writer, [(path, k) for k in range(8)] * 2)
    assert sorted(set(done)) == list(range(8))
    with xr.open_dataset(path, engine="h5netcdf") as ds:
        k = int(ds.attrs["writer"])
        for j in range(8):
            assert np.all(ds[f"v{j}"].values == k * 100 + j)
    assert _leftovers(tmp_path) == []


def test_concurrent_cli_writers_equal_a_serial_run(tmp_path):
    """Three `nicsim simulate --out same.nc` at once: every run that reports success leaves a
    file equal to a serial run's."""
    sc = tmp_path / "s.yaml"
    sc.write_text(SHORT)
    serial = _run(["simulate", sc, "--out", tmp_path / "serial.nc"], tmp_path)
    assert serial.returncode == 0, serial.stderr
    procs = [subprocess.Popen(NICSIM + ["simulate", str(sc), "--out", str(tmp_path / "same.nc")],
                              cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              env=_env()) for _ in range(3)]
    codes = [p.wait(timeout=600) for p in procs]
    assert 0 in codes
    with xr.open_dataset(tmp_path / "serial.nc", engine="h5netcdf") as a, \
            xr.open_dataset(tmp_path / "same.nc", engine="h5netcdf") as b:
        assert set(a.data_vars) == set(b.data_vars)
        for name in a.data_vars:
            np.testing.assert_array_equal(a[name].values, b[name].values, err_msg=name)
    assert _leftovers(tmp_path) == []


def test_atomic_path_removes_the_temporary_file_on_error(tmp_path):
    target = tmp_path / "x.json"
    target.write_text("old")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half")
        raise RuntimeError("boom")
    assert target.read_text() == "old" and _leftovers(tmp_path) == []
    write_text(target, "new")
    assert target.read_text() == "new"
    assert (target.stat().st_mode & 0o777) == 0o666 & ~_umask()


def _umask():
    m = os.umask(0o022)
    os.umask(m)
    return m


# ============================================================================ item 2
def test_output_file_checks(tmp_path):
    sc = tmp_path / "s.yaml"
    sc.write_text(SHORT)
    with pytest.raises(OutputPathError, match="input of the run"):
        check_output_file(sc, inputs=[sc], suffixes=(".nc",))
    with pytest.raises(OutputPathError, match="unknown file type '.foo'"):
        check_output_file(tmp_path / "x.foo", option="--plot", suffixes=(".png",))
    (tmp_path / "d.nc").mkdir()
    with pytest.raises(OutputPathError, match="is a folder"):
        check_output_file(tmp_path / "d.nc", suffixes=(".nc",))
    with pytest.raises(OutputPathError, match="cannot write|not a folder"):
        check_output_file(Path("/proc/x.nc"), suffixes=(".nc",))
    with pytest.raises(OutputPathError, match="not a folder"):
        check_output_file(sc / "x.nc", suffixes=(".nc",))
    mine = tmp_path / "mine.nc"
    mine.write_text("my own data")
    with pytest.raises(OutputPathError, match="--force"):
        check_output_file(mine, suffixes=(".nc",))
    assert check_output_file(mine, suffixes=(".nc",), force=True) == mine
    ours = tmp_path / "ours.nc"
    write_netcdf(xr.Dataset(attrs={"nicsim_version": "1"}), ours)
    assert check_output_file(ours, suffixes=(".nc",)) == ours


def test_output_folder_checks(tmp_path):
    spec = tmp_path / "spec.yaml"
    spec.write_text("name: x")
    with pytest.raises(OutputPathError, match="is a file"):
        check_output_folder(spec)
    with pytest.raises(OutputPathError, match="holds an input"):
        check_output_folder(tmp_path, inputs=[spec])
    other = tmp_path / "photos"
    other.mkdir()
    (other / "holiday.txt").write_text("mine")
    with pytest.raises(OutputPathError, match="--force"):
        check_output_folder(other)
    assert check_output_folder(other, force=True) == other
    fresh = tmp_path / "new" / "deeper"
    assert check_output_folder(fresh) == fresh and not fresh.exists()  # nothing created


@pytest.mark.parametrize("args,message", [
    (["--out", "s.yaml"], "input of the run"),
    (["--out", "/proc/x.nc"], "cannot write"),
    (["--out", "d.nc"], "is a folder"),
    (["--plot", "x.foo"], "unknown file type"),
    (["--out", "mine.nc"], "--force"),
])
def test_simulate_refuses_bad_outputs_before_computing(tmp_path, args, message):
    (tmp_path / "s.yaml").write_text(SHORT)
    (tmp_path / "d.nc").mkdir()
    (tmp_path / "mine.nc").write_text("precious")
    t0 = time.perf_counter()
    r = _run(["simulate", "s.yaml", *args], tmp_path)
    assert r.returncode == 2, r.stderr
    assert message in r.stderr and "Traceback" not in r.stderr
    assert time.perf_counter() - t0 < 60  # refused before simulating
    assert (tmp_path / "s.yaml").read_text() == SHORT
    assert (tmp_path / "mine.nc").read_text() == "precious"
    assert _leftovers(tmp_path) == []


# ============================================================================ item 5 (folders)
def test_output_folder_removes_stale_files_of_the_previous_run(tmp_path):
    out = tmp_path / "run"
    f = OutputFolder(out)
    write_text(out / "results.json", "{}")
    write_text(out / "report.html", "<html>nicsim</html>")
    write_text(out / "figures" / "a.png", "png")
    f.finish()
    (out / "notes.txt").write_text("the user's own notes")
    time.sleep(0.1)
    f = OutputFolder(out)
    write_text(out / "results.json", "{\"second\": 1}")
    removed = f.finish()
    assert sorted(p.name for p in removed) == ["a.png", "report.html"]
    assert not (out / "report.html").exists() and (out / "notes.txt").exists()
    assert json.loads((out / MANIFEST).read_text())["files"] == ["results.json"]


# ============================================================================ item 8
# long enough to be still running after 8 s on a fast machine
SLOW = """name: long
start: "07:00"
duration: 5 years
output_interval: 10 min
protocol:
  - {type: chronic_stressor, start: "day 1", period: 1800 days, load: 0.5}
"""


def _default_sigint():
    # a test run started in the background inherits an ignored SIGINT; a terminal's Ctrl-C
    # reaches a process with the default disposition
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _interrupt(args, tmp_path, wait_for_s=8.0):
    p = subprocess.Popen(NICSIM + [str(a) for a in args], cwd=tmp_path, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, env=_env(),
                         preexec_fn=_default_sigint)
    time.sleep(wait_for_s)
    assert p.poll() is None, p.communicate()
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=300)  # Ctrl-C is honoured when a solver call returns
    return p.returncode, out, err


def test_ctrl_c_during_simulate_exits_130_with_one_line(tmp_path):
    (tmp_path / "s.yaml").write_text(SLOW)
    code, _out, err = _interrupt(["simulate", "s.yaml", "--out", "r.nc"], tmp_path)
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert code == 130, err
    assert len(lines) == 1 and "interrupted" in lines[0], err
    assert not (tmp_path / "r.nc").exists() and _leftovers(tmp_path) == []


@pytest.mark.parametrize("args,made", [
    (["trial", ROOT / "examples" / "trials" / "slow_breathing_hrv.yaml", "--out", "t",
      "--subjects", "400"], "t/results.nc"),
    (["sensitivity", ROOT / "examples" / "sensitivity" / "tsst_hpa.yaml", "--out", "sa"],
     "sa/sensitivity.nc"),
    (["validate", "--out", "v"], "v/validation.html"),
])
def test_ctrl_c_during_analyses_exits_130_with_one_line(tmp_path, args, made):
    code, _out, err = _interrupt(args, tmp_path)
    lines = [ln for ln in err.splitlines() if ln.strip() and "interrupted" in ln]
    assert code == 130, err
    assert len(lines) == 1 and "Traceback" not in err, err
    assert not (tmp_path / made).exists() and _leftovers(tmp_path) == []


def test_usage_errors_stay_one_message_without_traceback(tmp_path):
    for args in (["simulate"], ["simulate", "x.yaml", "--bogus"]):
        r = _run(args, tmp_path)
        assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr
