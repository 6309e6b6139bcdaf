"""nicsim: the neuro-immuno-cutaneous system, quantitatively.

Public API (reference: docs/api.md)::

    Simulation
    Scenario                  a person + protocol + duration (YAML or Python)
    simulate                  Scenario -> xarray.Dataset
    simulate_cohort           a virtual cohort (dims subject, time)
    default_model             the compiled default network
    build_network             the default model's modules, composed
    lint                      model checks (units, sources, references, ports)

    Trials
    TrialSpec                 an in-silico trial (arms, population, outcomes)
    run_trial                 TrialSpec -> TrialResult
    save_trial                write a TrialResult (results.nc, trial.yaml, report.html)

    Sensitivity
    SensitivitySpec           a Morris and/or Sobol analysis
    run_sensitivity           SensitivitySpec -> SensitivityResult
    write_sensitivity_report  write a SensitivityResult (netCDF, JSON, summary, figures)

    Validation
    run_validation            re-run the published studies -> one result per row
    write_validation_report   validation.md, validation.html, figures

    Export
    to_sbml                   SBML Level 3 Version 2 text of the model and a scenario
    write_sbml                the same, written to a file
    write_petab_problem       a PEtab v1 problem for validation rows

    Errors
    NicsimError, ModelError, ScenarioError, SolverError, UnitError

Names outside the simulation core are imported on first use, so ``import nicsim`` stays fast.

Research and education model; not a diagnostic tool.
"""

from __future__ import annotations

from nicsim._default import default_model
from nicsim._optional import lazy_names
from nicsim._version import __version__ as __version__
from nicsim.errors import ModelError, NicsimError, ScenarioError, SolverError, UnitError
from nicsim.protocols import Scenario
from nicsim.solve.simulate import simulate, simulate_cohort

#: names imported on first use (PEP 562), by the module that defines them: the model's modules,
#: every study, dask/xarray trial machinery, SALib, matplotlib reports and libsbml stay unloaded
#: until asked for
_LAZY = {
    "build_network": "nicsim.model",
    "lint": "nicsim.checks",
    "TrialSpec": "nicsim.analysis.trial",
    "run_trial": "nicsim.analysis.trial",
    "save_trial": "nicsim.report.trial_report",
    "SensitivitySpec": "nicsim.analysis.sensitivity",
    "run_sensitivity": "nicsim.analysis.sensitivity",
    "write_sensitivity_report": "nicsim.report.sensitivity_report",
    "run_validation": "nicsim.report.validation",
    "write_validation_report": "nicsim.report.validation",
    "to_sbml": "nicsim.io.sbml",
    "write_sbml": "nicsim.io.sbml",
    "write_petab_problem": "nicsim.io.petab",
}

__all__ = ["ModelError", "NicsimError", "Scenario", "ScenarioError", "SensitivitySpec",
           "SolverError", "TrialSpec", "UnitError", "build_network", "default_model", "lint",
           "run_sensitivity", "run_trial", "run_validation", "save_trial", "simulate",
           "simulate_cohort", "to_sbml", "write_petab_problem", "write_sbml",
           "write_sensitivity_report", "write_validation_report"]

__getattr__, __dir__ = lazy_names(__name__, _LAZY)
