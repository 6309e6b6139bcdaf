"""The newcomer path on the command line: missing optional packages give one line naming the
install command; the first run says it compiles; validation prints rounded values."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"

#: run the CLI with packages made unimportable (``sys.modules[name] = None`` makes every
#: ``import name`` raise ImportError, as if the package were not installed)
BLOCKED_CLI = ("import sys\n"
               "for m in sys.argv[1].split(','):\n"
               "    sys.modules[m] = None\n"
               "sys.argv = ['nicsim'] + sys.argv[2:]\n"
               "from nicsim.cli import main\n"
               "main()\n")
ANALYSIS = "SALib,dask,distributed"
SBML = "libsbml,roadrunner,basico,petab"


def blocked_cli(blocked: str, *args: str, cwd: Path, timeout: float = 600):
    return subprocess.run([sys.executable, "-c", BLOCKED_CLI, blocked, *args], cwd=cwd,
                          capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "COLUMNS": "80"})


@pytest.mark.parametrize("args, extra", [
    (["export", "sbml", str(EXAMPLES / "scenarios" / "tsst.yaml"), "-o", "t.xml"], "sbml"),
    (["export", "petab", "petab"], "sbml"),
    (["sensitivity", str(EXAMPLES / "sensitivity" / "tsst_hpa.yaml"), "--out", "sa"],
     "analysis"),
])
def test_missing_optional_package_is_one_line_with_the_install_command(args, extra,
                                                                       tmp_path):
    proc = blocked_cli(f"{SBML},{ANALYSIS}", *args, cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("error: ") and "Traceback" not in proc.stderr
    assert f"pip install 'nicsim[{extra}]'" in lines[0]   # rich markup must not eat [extra]
    assert "make install-extras" in lines[0]
    assert not list(tmp_path.iterdir())                     # failed before writing anything


def test_trial_without_workers_needs_no_dask(tmp_path):
    proc = blocked_cli(ANALYSIS, "trial", str(EXAMPLES / "trials" / "slow_breathing_hrv.yaml"),
                       "--subjects", "2", "--out", "trial", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert (tmp_path / "trial" / "results.nc").is_file()
    proc = blocked_cli(ANALYSIS, "trial", str(EXAMPLES / "trials" / "slow_breathing_hrv.yaml"),
                       "--subjects", "2", "--workers", "2", "--out", "trial2", cwd=tmp_path)
    assert proc.returncode == 2 and "pip install 'nicsim[analysis]'" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_first_run_says_it_compiles(tmp_path):
    env = {**os.environ, "NICSIM_CACHE_DIR": str(tmp_path / "empty-cache")}
    proc = subprocess.Popen([str(Path(sys.executable).parent / "nicsim"), "simulate",
                             str(EXAMPLES / "scenarios" / "tsst.yaml")], cwd=tmp_path, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        t0 = time.monotonic()
        first = proc.stderr.readline()   # printed before the compilation starts
        assert time.monotonic() - t0 < 120
    finally:
        proc.kill()
        proc.wait()
    assert first.startswith("compiling the model (one time, about a minute)"), first


def test_warm_model_reports_its_cache():
    from nicsim._default import default_model
    from nicsim.protocols import Scenario
    from nicsim.solve.simulate import simulate

    model = default_model()
    simulate(Scenario.from_yaml(EXAMPLES / "scenarios" / "tsst.yaml"), burn_in_days=1)
    assert model.machine_code_cached()


def test_validation_lines_round_values():
    from nicsim.cli.validate import _row_line
    from nicsim.experiments import study
    from nicsim.experiments.base import Check, StudyResult

    st = study("V01")
    res = StudyResult(st, [Check("nadir clock time", 2.3333333333333286, 0.0, 2.0, "h")])
    text = _row_line(res, "fitted").plain
    assert "2.333" in text and "2.3333333" not in text
    assert "[0, 2] h" in text
