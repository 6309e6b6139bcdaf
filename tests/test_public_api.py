"""The public surface ``nicsim.*``: every name in ``__all__`` resolves to the object its defining
module exports, the docstring lists it, and ``import nicsim`` loads none of the lazy names."""

from __future__ import annotations

import importlib
import re
import subprocess
import sys

import pytest

import nicsim

#: the surface, by the module that defines each name (the deep import it stands for)
SURFACE = {
    "nicsim.protocols": ["Scenario"],
    "nicsim.solve.simulate": ["simulate", "simulate_cohort"],
    "nicsim._default": ["default_model"],
    "nicsim.model": ["build_network"],
    "nicsim.checks": ["lint"],
    "nicsim.analysis.trial": ["TrialSpec", "run_trial"],
    "nicsim.report.trial_report": ["save_trial"],
    "nicsim.analysis.sensitivity": ["SensitivitySpec", "run_sensitivity"],
    "nicsim.report.sensitivity_report": ["write_sensitivity_report"],
    "nicsim.report.validation": ["run_validation", "write_validation_report"],
    "nicsim.io.sbml": ["to_sbml", "write_sbml"],
    "nicsim.io.petab": ["write_petab_problem"],
    "nicsim.errors": ["NicsimError", "ModelError", "ScenarioError", "SolverError", "UnitError"],
}
DEFINED_IN = {name: module for module, names in SURFACE.items() for name in names}


def test_all_is_the_surface():
    assert sorted(nicsim.__all__) == sorted(DEFINED_IN)
    assert len(set(nicsim.__all__)) == len(nicsim.__all__)


@pytest.mark.parametrize("name", sorted(DEFINED_IN))
def test_name_is_the_deep_object(name):
    assert getattr(nicsim, name) is getattr(importlib.import_module(DEFINED_IN[name]), name)


@pytest.mark.parametrize("name", sorted(DEFINED_IN))
def test_docstring_lists_name(name):
    assert re.search(rf"(?<![\w.]){name}\b", nicsim.__doc__), f"nicsim's docstring lacks {name}"


def test_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'run_trails'"):
        nicsim.run_trails  # noqa: B018


def test_dir_lists_the_lazy_names():
    assert set(nicsim.__all__) <= set(dir(nicsim))


def test_import_nicsim_loads_no_heavy_module():
    """The lazy names' modules (every study, the trial and sensitivity machinery, reports,
    libsbml, SALib, matplotlib) are loaded on first use, not by ``import nicsim``."""
    lazy = sorted(set(nicsim._LAZY.values()) | {"libsbml", "SALib", "matplotlib"})
    code = ("import sys, nicsim; "
            f"print(' '.join(m for m in {lazy!r} if m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=300, check=True)
    assert proc.stdout.split() == []
