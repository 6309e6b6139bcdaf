"""FHIR R4B export, validated by fhir.resources' own models."""

from __future__ import annotations

import functools
import json
from datetime import UTC, datetime

import pytest
from answer_strategies import complete_answers
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from nicsim.clinic.instruments import default_registry, fhir

REG = default_registry()
ALL = [i.id for i in REG.all_instruments()]


@pytest.mark.parametrize("iid", ALL)
def test_questionnaire_validates_and_round_trips(iid):
    inst = REG.get(iid, role="clinician")
    q = fhir.questionnaire(inst)
    again = Questionnaire.model_validate_json(q.model_dump_json())
    assert again.url == f"urn:nicsim:instrument:{iid}"
    assert again.copyright == inst.licence.copyright
    links = [i.linkId for i in again.item]
    assert links[: len(inst.items)] == [i.id for i in inst.items]
    assert "score.flags" in links
    if inst.loinc:
        assert again.code[0].code == inst.loinc


def test_questionnaire_details():
    q = fhir.questionnaire(REG.get("phq9", role="clinician"))
    q9 = next(i for i in q.item if i.linkId == "q9")
    assert q9.code[0].code == "44260-8" and q9.type == "choice"
    assert [o.valueCoding.code for o in q9.answerOption] == ["LA6568-5", "LA6569-3",
                                                             "LA6570-1", "LA6571-9"]
    total = next(i for i in q.item if i.linkId == "score.total")
    assert total.readOnly and total.code[0].code == "44261-6"
    dlqi = fhir.questionnaire(REG.get("dlqi", role="clinician"))
    q7b = next(i for i in dlqi.item if i.linkId == "q7b")
    assert q7b.enableWhen[0].question == "q7" and q7b.enableWhen[0].answerCoding.code == "no"
    assert q7b.text == "text supplied by licensee"


@functools.cache
def _questionnaire(iid):
    return fhir.questionnaire(REG.get(iid, role="clinician"))


@pytest.mark.parametrize("iid", ALL)
@settings(max_examples=10, deadline=None)
@given(data=st.data())
def test_response_validates_and_matches_its_questionnaire(iid, data):
    inst = REG.get(iid, role="clinician")
    result = REG.score(iid, data.draw(complete_answers(inst)), role="clinician",
                       context={"age_years": 40})
    qr = fhir.questionnaire_response(inst, result, subject="Patient/p1",
                                     authored=datetime(2026, 3, 1, 9, 30, tzinfo=UTC))
    again = QuestionnaireResponse.model_validate_json(qr.model_dump_json())
    assert again.status == "completed"
    assert fhir.check_response_against(_questionnaire(iid), again) == []
    got = {i.linkId: i.answer for i in again.item}
    if result.total is not None:
        assert float(got["score.total"][0].valueDecimal) == pytest.approx(result.total)


def test_response_carries_flags_and_incomplete_status():
    inst = REG.get("phq9", role="clinician")
    r = REG.score("phq9", {f"q{k}": 0 for k in range(1, 9)}, role="clinician")
    qr = fhir.questionnaire_response(inst, r)
    assert qr.status == "in-progress"
    flags = next(i for i in qr.item if i.linkId == "score.flags")
    assert "[urgent] item q9 not answered" in flags.answer[0].valueString


def test_the_library_rejects_invalid_resources():
    """The validation is real: the same builder rejects a broken resource."""
    d = fhir.questionnaire_dict(REG.get("gad7", role="clinician"))
    del d["status"]
    with pytest.raises(ValidationError, match="status"):
        Questionnaire.model_validate(d)
    d = fhir.questionnaire_dict(REG.get("gad7", role="clinician"))
    d["item"][0]["answerOption"][0]["valueCoding"]["code"] = 1
    with pytest.raises(ValidationError):
        Questionnaire.model_validate(d)
    inst = REG.get("gad7", role="clinician")
    r = REG.score("gad7", {f"q{k}": 1 for k in range(1, 8)}, role="clinician")
    qr = json.loads(fhir.questionnaire_response(inst, r).model_dump_json())
    qr["authored"] = "yesterday"
    with pytest.raises(ValidationError, match="authored"):
        QuestionnaireResponse.model_validate(qr)


def test_check_response_against_finds_mismatches():
    inst = REG.get("gad7", role="clinician")
    r = REG.score("gad7", {f"q{k}": 1 for k in range(1, 8)}, role="clinician")
    qr = json.loads(fhir.questionnaire_response(inst, r).model_dump_json())
    qr["item"][0]["answer"][0]["valueCoding"]["code"] = "LA0000-0"
    qr["item"][1]["linkId"] = "nope"
    problems = fhir.check_response_against(fhir.questionnaire(inst),
                                           QuestionnaireResponse.model_validate(qr))
    assert len(problems) == 2 and "nope" in problems[1]
