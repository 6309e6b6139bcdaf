"""Regenerate the figures and tables of docs/sensitivity.md and docs/tipping_points.md.

    python scripts/make_analysis_docs.py [--only NAME[,NAME...]] [--out out/analysis]

``--only`` takes spec names (file stems, e.g. ``tsst_hpa``) or, where a stem exists in both
folders, ``sensitivity/NAME`` or ``tipping_points/NAME`` (e.g. ``tipping_points/psoriasis_loop``).

Runs every spec in examples/sensitivity/ (``nicsim sensitivity``) and examples/loop/
(``nicsim loop``) with the library calls behind those commands, writes the full reports
(netCDF, JSON, HTML) under ``--out`` and copies the figures and the Markdown summaries into
docs/sensitivity/<name>/ and docs/tipping_points/<name>/. Takes tens of minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _copy(report: Path, dest: Path) -> None:
    if dest.exists():
        shutil.rmtree(dest)
    (dest / "figures").mkdir(parents=True)
    for f in (report / "figures").glob("*.png"):
        shutil.copy2(f, dest / "figures" / f.name)
    for name in ("summary.md", "spec.yaml"):
        if (report / name).exists():
            shutil.copy2(report / name, dest / name)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--only", default="", help="comma-separated spec names (file stems), "
                    "or sensitivity/NAME, tipping_points/NAME")
    ap.add_argument("--out", default=str(ROOT / "out" / "analysis"))
    a = ap.parse_args(argv)
    only = {s.strip() for s in a.only.split(",") if s.strip()}

    from nicsim.analysis.loop import LoopSpec, run_loop
    from nicsim.analysis.sensitivity import SensitivitySpec, run_sensitivity
    from nicsim.report.loop_report import write_loop_report
    from nicsim.report.sensitivity_report import write_sensitivity_report

    jobs = [("sensitivity", p) for p in sorted((ROOT / "examples" / "sensitivity").glob("*.yaml"))]
    jobs += [("tipping_points", p) for p in sorted((ROOT / "examples" / "loop").glob("*.yaml"))]
    for kind, path in jobs:
        if only and path.stem not in only and f"{kind}/{path.stem}" not in only:
            continue
        t = time.perf_counter()
        report = Path(a.out) / kind / path.stem
        print(f"{kind}: {path.relative_to(ROOT)} ...", flush=True)
        last = [0.0]

        def progress(done: int, total: int, t0: float = t, last: list = last) -> None:
            if done >= total or time.perf_counter() - last[0] > 60:
                last[0] = time.perf_counter()
                print(f"  {done}/{total} after {last[0] - t0:.0f} s", flush=True)

        if kind == "sensitivity":
            res = run_sensitivity(SensitivitySpec.from_yaml(path), progress=progress)
        else:
            res = run_loop(LoopSpec.from_yaml(path), progress=progress)
        write = write_sensitivity_report if kind == "sensitivity" else write_loop_report
        write(res, report)
        _copy(report, ROOT / "docs" / kind / path.stem)
        print(f"  done in {time.perf_counter() - t:.0f} s -> docs/{kind}/{path.stem}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
