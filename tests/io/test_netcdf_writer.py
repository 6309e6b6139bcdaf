"""The one netCDF writer (nicsim.io.output.write_netcdf): what it keeps, what it leaves out, and
that no other code writes netCDF."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

from nicsim.io.output import netcdf_storable, write_netcdf

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("value", ["text", 3, 2.5, np.float32(1.5), np.arange(3), ["a", "b"],
                                   (1.0, 2.0), []])
def test_storable_attributes(value):
    assert netcdf_storable(value)


@pytest.mark.parametrize("value", [None, True, np.bool_(False), {"a": 1}, ["a", 1],
                                   [True, False], np.array([True])])
def test_attributes_netcdf_cannot_store(value):
    assert not netcdf_storable(value)


def test_writes_storable_attributes_and_leaves_out_the_rest(tmp_path):
    ds = xr.Dataset({"x": ("t", np.arange(3.0), {"units": "h", "flag": True, "meta": None})},
                    attrs={"name": "run", "outputs": ["a", "b"], "options": {"k": 1},
                           "seed": 7, "mixed": ["a", 1]})
    path = write_netcdf(ds, tmp_path / "new" / "run.nc")  # the folder is created
    assert path == tmp_path / "new" / "run.nc"
    with xr.open_dataset(path, engine="h5netcdf") as back:
        assert back.attrs["name"] == "run" and back.attrs["seed"] == 7
        assert list(back.attrs["outputs"]) == ["a", "b"]
        assert "options" not in back.attrs and "mixed" not in back.attrs
        assert back.x.attrs == {"units": "h"}
        np.testing.assert_array_equal(back.x.values, [0.0, 1.0, 2.0])
    # the caller's dataset keeps its attributes
    assert ds.attrs["options"] == {"k": 1} and ds.x.attrs["flag"] is True


def test_no_other_code_writes_netcdf():
    """Every .nc file goes through write_netcdf (atomic, attributes made storable)."""
    callers = []
    for path in sorted((ROOT / "src" / "nicsim").rglob("*.py")):
        if path == ROOT / "src" / "nicsim" / "io" / "output.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        callers += [f"{path.relative_to(ROOT)}:{n.lineno}" for n in ast.walk(tree)
                    if isinstance(n, ast.Attribute) and n.attr == "to_netcdf"]
    assert not callers, callers
