"""Every command of the README's "What you can do now" block runs on the installed package.

The block is parsed from README.md (so a command added there is tested here). Each command runs
as a subprocess of the installed ``nicsim`` entry point in a temporary folder holding a copy of
``examples/``; outputs go to ``out/`` there. In the default run the long analyses get short
horizons (fewer rows, subjects, samples or load levels: see SHORTEN); the ``slow`` test runs
each command exactly as written.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
NICSIM = Path(sys.executable).parent / "nicsim"


def readme_commands() -> list[str]:
    """The command lines of the first bash block under '## What you can do now'."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## What you can do now", 1)[1]
    block = re.search(r"```bash\n(.*?)```", section, re.S).group(1)
    lines = []
    for line in block.splitlines():
        line = re.sub(r"\s+#.*$", "", line).strip()
        if line and not line.startswith("#"):
            lines.append(line)
    return lines


def command_id(line: str) -> str:
    argv = shlex.split(line)
    if argv[0] == "make":
        return "make-" + argv[1]
    words = [a for a in argv[1:3] if not a.startswith("-") and "/" not in a]
    stem = next((Path(a).stem for a in argv[2:] if a.endswith(".yaml")), "")
    return "-".join(words + ([stem] if stem else []))


def _shrink_yaml(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def _small_sensitivity(d):
    d["morris"] = {"trajectories": 2, "levels": 4}
    d.pop("sobol", None)
    d["parameters"] = d["parameters"][:3]


def _small_loop(d):
    d["load"]["steps"] = 3
    d["settle"].update({"min_blocks": 3, "max_blocks": 3})
    d["refine"] = 0
    d["interventions"] = d.get("interventions", [])[:2]


#: default-run shortening per command id: (extra arguments, {example file: change})
SHORTEN = {
    "validate": (["--rows", "V07"], {}),
    "trial-slow_breathing_hrv": (["--subjects", "2"], {}),
    "export-petab": (["--rows", "V07"], {}),
    "sensitivity-tsst_hpa": ([], {"sensitivity/tsst_hpa.yaml": _small_sensitivity}),
    "loop-psoriasis_loop": ([], {"loop/psoriasis_loop.yaml": _small_loop}),
}


def _outputs(argv: list[str]) -> list[str]:
    """Paths a command says it writes (--out/-o/--plot/--json values, the petab folder)."""
    out = [argv[i + 1] for i, a in enumerate(argv[:-1]) if a in ("--out", "-o", "--plot",
                                                                   "--json")]
    if argv[1:3] == ["export", "petab"]:
        out.append(argv[3])
    return out


def run_readme_command(line: str, tmp: Path, *, short: bool) -> subprocess.CompletedProcess:
    shutil.copytree(ROOT / "examples", tmp / "examples", dirs_exist_ok=True)
    argv = shlex.split(line)
    cid = command_id(line)
    extra, changes = SHORTEN.get(cid, ([], {})) if short else ([], {})
    for rel, change in changes.items():
        _shrink_yaml(tmp / "examples" / rel, change)
    if argv[0] == ".venv/bin/nicsim":
        assert NICSIM.is_file(), f"the installed entry point {NICSIM} is missing"
        argv = [str(NICSIM), *argv[1:], *extra]
    elif argv[0] == "make":
        argv = ["make", "-C", str(ROOT), "--no-print-directory", *argv[1:], *extra,
                f"PY={sys.executable}"]
    else:  # pragma: no cover - the README gained a new kind of command
        pytest.fail(f"README command of an unknown kind: {line}")
    env = {**os.environ, "COLUMNS": "80", "TERM": "dumb"}
    proc = subprocess.run(argv, cwd=tmp, env=env, capture_output=True, text=True,
                          timeout=1800)
    assert proc.returncode == 0, f"{line}\nexit {proc.returncode}\n{proc.stderr[-3000:]}"
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    for rel in _outputs(shlex.split(line)):
        assert (tmp / rel).exists(), f"{line}: {rel} was not written"
    return proc


COMMANDS = readme_commands()
#: `make bench` takes minutes even with 2 subjects and rewrites benchmarks/results/latest.json
#: in the repository: here only its wiring is checked (test_make_bench_is_wired)
NOT_RUN = {"make-bench"}


def test_the_readme_lists_the_commands():
    ids = [command_id(c) for c in COMMANDS]
    for cid in ("simulate-tsst", "validate", "demo", "export-sbml-tsst", "export-petab",
                "sensitivity-tsst_hpa", "trial-slow_breathing_hrv", "loop-psoriasis_loop"):
        assert cid in ids, f"{cid} not in the README's command block: {ids}"


@pytest.mark.parametrize("line", [c for c in COMMANDS if command_id(c) not in NOT_RUN],
                         ids=lambda c: command_id(c))
def test_readme_command_runs(line, tmp_path):
    proc = run_readme_command(line, tmp_path, short=True)
    if command_id(line) == "loop-psoriasis_loop":  # the table is readable in 80 columns
        assert max(len(ln) for ln in proc.stdout.splitlines()) <= 80
        assert "…" not in proc.stdout


def test_make_bench_is_wired():
    dry = subprocess.run(["make", "-C", str(ROOT), "-n", "--no-print-directory", "bench"],
                         capture_output=True, text=True, timeout=60)
    assert dry.returncode == 0 and "benchmarks/run_benchmarks.py" in dry.stdout, dry.stderr
    helped = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run_benchmarks.py"),
                             "--help"], capture_output=True, text=True, timeout=120)
    assert helped.returncode == 0 and "--subjects" in helped.stdout, helped.stderr


@pytest.mark.slow
@pytest.mark.parametrize("line", [c for c in COMMANDS if command_id(c) not in NOT_RUN],
                         ids=lambda c: command_id(c))
def test_readme_command_runs_as_written(line, tmp_path):
    run_readme_command(line, tmp_path, short=False)
