import os
import tempfile
from pathlib import Path

# one numba/codegen cache for the whole test session (shared across xdist workers)
os.environ.setdefault("NICSIM_CACHE_DIR", str(Path(tempfile.gettempdir()) / "nicsim-test-cache"))
os.environ.setdefault("MPLBACKEND", "Agg")
