"""The model checks behind ``nicsim lint``, assembled from every layer they read.

:mod:`nicsim.core.lint` holds the checks that need only a network and a context; this module
builds that context (calibrated parameter set and its parts, the inputs protocol events set, the
studies' references and row kinds), adds the check that needs the studies, and runs them all.
It sits above the model, protocols and experiments, so ``core`` never imports them.
"""

from __future__ import annotations

from nicsim.core.lint import CORE_CHECKS, Check, LintIssue
from nicsim.core.sources import Fitted
from nicsim.experiments import STUDIES
from nicsim.experiments.row_kinds import is_prediction_row, parameter_sources
from nicsim.model import build_network
from nicsim.parameter_sets import load_parameter_set, parameter_set_values
from nicsim.protocols import KNOWN_INPUTS


class CheckPredictionRows(Check):
    """Nothing is fitted to a prediction row (V31-V37); every study says whether it is a
    magnitude row."""

    name = "prediction-rows"

    def run(self, network, context):
        out = []
        for p in network.parameters():
            for where, src in parameter_sources(p):
                if isinstance(src, Fitted):
                    bad = [r for r in src.rows if is_prediction_row(r)]
                    if bad:
                        out.append(self.issue(
                            "error", where, f"Fitted source names prediction row(s) "
                            f"{', '.join(bad)}: nothing may be fitted to V31-V37; use the "
                            "rows the value was really fitted to"))
        for part in context.get("parameter_set_parts", ()):
            bad = [str(r) for r in part.get("fitted_to") or () if is_prediction_row(str(r))]
            if bad:
                out.append(self.issue("error", f"parameter set {part.get('file')}",
                                      f"fitted_to names prediction row(s) {', '.join(bad)}"))
        for sid, magnitude in context.get("study_magnitude", {}).items():
            if not isinstance(magnitude, bool):
                out.append(self.issue("error", f"study {sid}", f"magnitude = {magnitude!r}: "
                                      "declare True (a published size) or False (direction "
                                      "only)"))
        return out



ALL_CHECKS = (*CORE_CHECKS, CheckPredictionRows)


def lint(network=None, *, parameter_set: str = "default") -> list[LintIssue]:
    """Every check in :data:`ALL_CHECKS` on ``network`` (default: the default model's)."""
    network = network or build_network()
    context = {"parameter_set": parameter_set_values(parameter_set),
               "parameter_set_parts": load_parameter_set(parameter_set)["parts"],
               "known_inputs": set(KNOWN_INPUTS),
               "study_refs": {s.id: s.refs for s in STUDIES},
               "study_magnitude": {s.id: s.magnitude for s in STUDIES}}
    issues: list[LintIssue] = []
    for cls in ALL_CHECKS:
        issues += cls().run(network, context)
    return issues
