"""nicsim: the neuro-immuno-cutaneous system, quantitatively.

Public API::

    Scenario          a person + protocol + duration (YAML or Python)
    simulate          Scenario -> xarray.Dataset
    simulate_cohort   a virtual cohort (dims subject, time)
    build_network     the default model's modules, composed
    lint              model checks (units, sources, references, ports)

Research and education model; not a diagnostic tool.
"""

__version__ = "0.1.0"

from nicsim._default import default_model  # noqa: E402
from nicsim.errors import ModelError, NicsimError, ScenarioError, SolverError, UnitError  # noqa: E402
from nicsim.protocols import Scenario  # noqa: E402
from nicsim.solve.simulate import simulate, simulate_cohort  # noqa: E402


def build_network():
    from nicsim.model import build_network as _build

    return _build()


def lint():
    from nicsim.core.lint import lint as _lint

    return _lint()


__all__ = ["ModelError", "NicsimError", "Scenario", "ScenarioError", "SolverError", "UnitError",
           "build_network", "default_model", "lint", "simulate", "simulate_cohort"]
