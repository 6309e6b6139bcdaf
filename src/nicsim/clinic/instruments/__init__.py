"""Validated clinical instruments: declarations as data, scoring, referral flags, licences, FHIR.

The public API::

    from nicsim.clinic.instruments import default_registry
    reg = default_registry()                       # the shipped declarations
    reg.instruments(role="practitioner")           # what this role may use
    result = reg.score("phq9", answers, role="clinician")
    result.total, result.band, result.flags        # flags: every report must show them
    reg.with_wording("dlqi_wording.yaml")          # licensed wording supplied by the clinic

FHIR export (``fhir`` extra): :func:`nicsim.clinic.instruments.fhir.questionnaire` and
:func:`~nicsim.clinic.instruments.fhir.questionnaire_response` (FHIR R4B models).
"""

from nicsim.clinic.instruments.declaration import LICENSEE_TEXT, ROLES, Instrument, Item, Option
from nicsim.clinic.instruments.registry import (
    InstrumentRegistry,
    LicenseeWording,
    WordingError,
    apply_wording,
    default_registry,
    load_licensee_wording,
    wording_template,
)
from nicsim.clinic.instruments.scoring import (
    InstrumentAccessError,
    InstrumentError,
    ReferralFlag,
    ScoreResult,
    score_instrument,
    validate_answers,
)

__all__ = [
    "LICENSEE_TEXT", "ROLES", "Instrument", "InstrumentAccessError", "InstrumentError",
    "InstrumentRegistry", "Item", "LicenseeWording", "Option", "ReferralFlag", "ScoreResult",
    "WordingError", "apply_wording", "default_registry", "load_licensee_wording",
    "score_instrument", "validate_answers", "wording_template",
]
