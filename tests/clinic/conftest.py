"""Fixtures for the instrument tests."""

from __future__ import annotations

import pytest

from nicsim.clinic.instruments import default_registry


@pytest.fixture(scope="session")
def registry():
    return default_registry()
