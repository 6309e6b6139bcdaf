"""FHIR export: an instrument as a ``Questionnaire``, a scored instrument as a
``QuestionnaireResponse``.

Models: ``fhir.resources.R4B`` (FHIR 4.3; R4B's Questionnaire and QuestionnaireResponse are the
R4 resources most EHRs speak). Every resource is built through the library's pydantic models, so
it is validated on construction (required elements, datatypes, date/time formats); a resource that
fails raises here, never later in the EHR. Needs the ``fhir`` extra.

Mapping:
- ``Questionnaire.url`` = ``urn:nicsim:instrument:<id>``, ``code`` = the LOINC panel where one
  exists, ``copyright`` = the licence's copyright line. Items: ``linkId`` = item id, ``code`` =
  LOINC item code where one exists, ``text`` (or "text supplied by licensee"), ``type``
  ``choice``/``integer``/``decimal``/``time``; ``answerOption.valueCoding`` is the LOINC answer
  code where one exists (PHQ/GAD options), else the option code in the system
  ``urn:nicsim:instrument:<id>:answers``; ``enableWhen`` for follow-up questions (DLQI 7b).
  Read-only ``score.*`` items carry the total and the subscores (``code`` = the LOINC total-score
  code where one exists) and ``score.flags`` (string, repeating) the referral flags.
- ``QuestionnaireResponse``: ``status`` ``completed`` (or ``in-progress`` when the instrument could
  not be scored), the answers, the scores, and each referral flag as one ``score.flags`` answer, so
  that an EHR import does not lose them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from nicsim.clinic.instruments.declaration import LICENSEE_TEXT, Instrument, Item
from nicsim.clinic.instruments.scoring import ScoreResult
from nicsim.errors import NicsimError

LOINC = "http://loinc.org"


def _models():
    try:
        from fhir.resources.R4B.questionnaire import Questionnaire
        from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
    except ImportError:  # pragma: no cover - depends on the environment
        raise NicsimError("FHIR export needs the 'fhir' extra: pip install 'nicsim[fhir]'") \
            from None
    return Questionnaire, QuestionnaireResponse


def canonical_url(inst: Instrument) -> str:
    return f"urn:nicsim:instrument:{inst.id}"


def _answer_system(inst: Instrument) -> str:
    return f"urn:nicsim:instrument:{inst.id}:answers"


def _coding(inst: Instrument, item: Item, code: str) -> dict:
    opt = item.option(code)
    if opt is not None and opt.loinc:
        c = {"system": LOINC, "code": opt.loinc}
    else:
        c = {"system": _answer_system(inst), "code": code}
    if opt is not None and opt.label:
        c["display"] = opt.label
    return c


def _fhir_type(item: Item) -> str:
    return {"choice": "choice", "integer": "integer", "decimal": "decimal",
            "time": "time"}[item.kind]


def _score_items(inst: Instrument) -> list[tuple[str, str, str | None]]:
    """(linkId, text, LOINC code) of the read-only score items."""
    out = [("score.total", f"{inst.short_name} total score", inst.loinc_total)]
    sc = inst.scoring
    subs: list[tuple[str, str]] = []
    if sc.method == "subscale_mean":
        out = []
        subs = [(s.id, s.label) for s in sc.subscales]
    elif sc.method == "region_weighted":
        subs = [(r, f"region score {r}") for r in sc.regions]
    elif sc.method == "psqi":
        subs = [(c, f"component {c}") for c in ("c1_quality", "c2_latency", "c3_duration",
                                                 "c4_efficiency", "c5_disturbances",
                                                 "c6_medication", "c7_daytime")]
    out += [(f"score.{sid}", f"{inst.short_name} {label}", None) for sid, label in subs]
    return out


def questionnaire_dict(inst: Instrument) -> dict[str, Any]:
    """The Questionnaire as a plain dict (not yet validated)."""
    items = []
    for item in inst.items:
        q: dict[str, Any] = {"linkId": item.id, "text": item.text or LICENSEE_TEXT,
                             "type": _fhir_type(item), "required": item.required}
        if item.loinc:
            q["code"] = [{"system": LOINC, "code": item.loinc}]
        if item.kind == "choice":
            q["answerOption"] = [{"valueCoding": _coding(inst, item, o.code)}
                                 for o in item.options]
        if item.enable_when is not None:
            parent = inst.item(item.enable_when.item)
            q["enableWhen"] = [{"question": parent.id, "operator": "=",
                                "answerCoding": _coding(inst, parent, item.enable_when.code)}]
        items.append({k: v for k, v in q.items() if v is not None})
    for link, text, loinc in _score_items(inst):
        s: dict[str, Any] = {"linkId": link, "text": text, "type": "decimal", "readOnly": True,
                             "required": False}
        if loinc:
            s["code"] = [{"system": LOINC, "code": loinc}]
        items.append(s)
    items.append({"linkId": "score.flags", "text": "referral flags (every report must show them)",
                  "type": "string", "readOnly": True, "required": False, "repeats": True})
    d: dict[str, Any] = {
        "resourceType": "Questionnaire", "url": canonical_url(inst), "version": inst.version,
        "name": "".join(ch for ch in inst.short_name.title() if ch.isalnum()),
        "title": inst.name, "status": "active", "subjectType": ["Patient"],
        "description": inst.description, "copyright": inst.licence.copyright, "item": items}
    if inst.loinc:
        d["code"] = [{"system": LOINC, "code": inst.loinc, "display": inst.name}]
    return d


def questionnaire(inst: Instrument):
    """The instrument as a validated ``fhir.resources.R4B`` Questionnaire."""
    Questionnaire, _ = _models()
    return Questionnaire.model_validate(questionnaire_dict(inst))


def _answer_value(item: Item, inst: Instrument, value: Any) -> dict:
    if item.kind == "choice":
        return {"valueCoding": _coding(inst, item, value)}
    if item.kind == "integer":
        return {"valueInteger": int(value)}
    if item.kind == "decimal":
        return {"valueDecimal": float(value)}
    return {"valueTime": f"{value}:00"}


def questionnaire_response(inst: Instrument, result: ScoreResult, *,
                           subject: str | None = None, authored: datetime | None = None,
                           author: str | None = None):
    """A scored instrument as a validated ``QuestionnaireResponse`` (R4B).

    ``subject``/``author``: FHIR references such as ``Patient/123`` (optional); ``authored``
    defaults to now (UTC).
    """
    _, QuestionnaireResponse = _models()
    if result.instrument != inst.id:
        raise NicsimError(f"the result is for {result.instrument!r}, not {inst.id!r}")
    items = []
    for item in inst.items:
        if item.id in result.responses:
            items.append({"linkId": item.id, "text": item.text or LICENSEE_TEXT,
                          "answer": [_answer_value(item, inst, result.responses[item.id])]})
    scores = {"score.total": result.total,
              **{f"score.{k}": v for k, v in result.subscores.items()}}
    for link, text, _ in _score_items(inst):
        v = scores.get(link)
        if v is not None:
            items.append({"linkId": link, "text": text, "answer": [{"valueDecimal": float(v)}]})
    if result.flags:
        items.append({"linkId": "score.flags", "text": "referral flags",
                      "answer": [{"valueString": f"[{f.level}] {f.reason}: {f.message}"}
                                 for f in result.flags]})
    when = authored or datetime.now(UTC)
    d: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse", "questionnaire": canonical_url(inst),
        "status": "completed" if result.complete else "in-progress",
        "authored": when.isoformat(timespec="seconds"), "item": items}
    if subject:
        d["subject"] = {"reference": subject}
    if author:
        d["author"] = {"reference": author}
    return QuestionnaireResponse.model_validate(d)


def check_response_against(q, qr) -> list[str]:
    """Structural checks the model validation cannot do: every answered linkId exists in the
    Questionnaire, choice answers are among its answerOptions, types match. Returns problems."""
    by_link = {i.linkId: i for i in (q.item or [])}
    problems = []
    for ans_item in qr.item or []:
        qi = by_link.get(ans_item.linkId)
        if qi is None:
            problems.append(f"linkId {ans_item.linkId!r} is not in the Questionnaire")
            continue
        for a in ans_item.answer or []:
            if qi.type == "choice":
                allowed = {(o.valueCoding.system, o.valueCoding.code) for o in qi.answerOption}
                got = (a.valueCoding.system, a.valueCoding.code) if a.valueCoding else None
                if got not in allowed:
                    problems.append(f"{ans_item.linkId}: {got} is not an answerOption")
            elif qi.type == "integer" and a.valueInteger is None:
                problems.append(f"{ans_item.linkId}: expected valueInteger")
            elif qi.type == "decimal" and a.valueDecimal is None:
                problems.append(f"{ans_item.linkId}: expected valueDecimal")
            elif qi.type == "time" and a.valueTime is None:
                problems.append(f"{ans_item.linkId}: expected valueTime")
            elif qi.type == "string" and a.valueString is None:
                problems.append(f"{ans_item.linkId}: expected valueString")
    if qr.questionnaire != q.url:
        problems.append(f"questionnaire {qr.questionnaire!r} != {q.url!r}")
    return problems
