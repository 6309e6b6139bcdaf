"""The machine a benchmark ran on (shared by the benchmark scripts)."""

from __future__ import annotations

import os
import platform
from pathlib import Path


def machine() -> dict:
    """CPU model, core count, versions of the numeric stack and the load average at call time
    (a loaded machine makes absolute times meaningless; the ratios within one run still hold)."""
    import numba
    import numpy as np
    import scipy

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    return {"cpu": cpu, "cores": os.cpu_count(), "nproc": os.cpu_count(),
            "python": platform.python_version(), "platform": platform.platform(),
            "numpy": np.__version__, "scipy": scipy.__version__, "numba": numba.__version__,
            "numba_threads": numba.get_num_threads(),
            "load_avg_1_5_15": [round(x, 2) for x in load]}
