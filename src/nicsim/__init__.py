"""nicsim: the neuro-immuno-cutaneous system, quantitatively.

Public API::

    Scenario          a person + protocol + duration (YAML or Python)
    simulate          Scenario -> xarray.Dataset
    simulate_cohort   a virtual cohort (dims subject, time)
    build_network     the default model's modules, composed
    lint              model checks (units, sources, references, ports)

Research and education model; not a diagnostic tool.
"""

from nicsim._default import default_model
from nicsim._version import __version__ as __version__
from nicsim.errors import ModelError, NicsimError, ScenarioError, SolverError, UnitError
from nicsim.model import build_network
from nicsim.protocols import Scenario
from nicsim.solve.simulate import simulate, simulate_cohort


def lint():
    from nicsim.checks import lint as _lint  # lazy: it loads every study; `import nicsim` must not

    return _lint()


__all__ = ["ModelError", "NicsimError", "Scenario", "ScenarioError", "SolverError", "UnitError",
           "build_network", "default_model", "lint", "simulate", "simulate_cohort"]
