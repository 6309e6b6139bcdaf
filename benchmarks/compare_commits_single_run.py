"""Warm single-run time of one scenario with whichever nicsim is on PYTHONPATH (compare commits).

    PYTHONPATH=/path/to/checkout/src python benchmarks/compare_commits_single_run.py \
        benchmarks/scenarios/bench_180d.yaml 5

Prints the sorted times (s) of N warm runs; alternate two checkouts in one sitting and compare
the medians (the issue-10 refactor check in benchmarks/notes.md).
"""
import json
import sys
import time

from nicsim import Scenario, simulate

sc = Scenario.from_yaml(sys.argv[1])
simulate(sc)  # warm (compile/cache)
ts = []
for _ in range(int(sys.argv[2])):
    t = time.perf_counter()
    simulate(sc)
    ts.append(time.perf_counter() - t)
print(json.dumps(sorted(ts)))
