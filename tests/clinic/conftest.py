"""Fixtures for the instrument tests."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from nicsim.clinic.instruments import default_registry


@pytest.fixture(scope="session")
def registry():
    return default_registry()


@pytest.fixture(scope="session")
def load_benchmark():
    """Import a script of benchmarks/ by file stem (the folder is not a package)."""

    def load(stem: str):
        path = Path(__file__).resolve().parents[2] / "benchmarks" / f"{stem}.py"
        spec = importlib.util.spec_from_file_location(f"benchmark_{stem}", path)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        return mod

    return load
