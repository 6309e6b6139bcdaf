"""The registry as data: roles, licences, references, LOINC codes, bands."""

from __future__ import annotations

import re

import pytest

from nicsim.clinic.instruments import (
    LICENSEE_TEXT,
    InstrumentAccessError,
    InstrumentError,
    default_registry,
)
from nicsim.core.bibliography import load_bibliography

REG = default_registry()
SHIPPED_WORDING = {"phq2", "phq8", "phq9", "gad7", "who5", "pss10", "itch_nrs", "stress_nrs",
                   "sleep_hours", "sleep_quality", "easi", "pasi", "scorad", "oscorad"}
LICENSED = {"dlqi", "poem", "skindex29", "isi", "psqi"}


def test_the_issue_s_instruments_are_all_there():
    assert {i.id for i in REG.all_instruments()} == SHIPPED_WORDING | LICENSED


def test_phq9_only_for_clinicians():
    assert "phq9" in {i.id for i in REG.instruments(role="clinician")}
    for role in ("client", "practitioner"):
        assert "phq9" not in {i.id for i in REG.instruments(role=role)}
        with pytest.raises(InstrumentAccessError, match="clinician"):
            REG.get("phq9", role=role)
        with pytest.raises(InstrumentAccessError):
            REG.score("phq9", {}, role=role)


def test_client_link_gets_no_screens_with_referral_rules_and_no_clinician_signs():
    client = REG.instruments(role="client")
    assert all(i.respondent == "client" for i in client)
    assert not any(i.item_rules or any(b.referral for b in i.bands) for i in client)


def test_unknown_role_and_instrument_are_clear_errors():
    with pytest.raises(InstrumentError, match="'doctor' is not allowed; the role must be one "
                       "of client, practitioner, clinician"):
        REG.instruments(role="doctor")
    with pytest.raises(InstrumentError, match="no such instrument"):
        REG.get("hads", role="clinician")
    with pytest.raises(InstrumentError, match=r"gad7, item 'q99'.*no such item"):
        REG.score("gad7", {"q99": 1}, role="clinician")


def test_wording_ships_only_where_allowed():
    for inst in REG.all_instruments():
        if inst.id in LICENSED:
            assert not inst.licence.wording_may_ship
            assert all(i.text is None for i in inst.items) and not inst.has_wording
            assert inst.summary()["wording"] == LICENSEE_TEXT
        else:
            assert inst.licence.wording_may_ship and inst.has_wording
        assert inst.licence.copyright and inst.licence.owner and inst.licence.terms
    assert [i.id for i in REG.all_instruments() if i.licence.non_commercial_only] == ["pss10"]


def test_every_source_resolves_in_the_bibliography():
    bib = load_bibliography()
    keys = []

    def walk(x):
        if isinstance(x, dict):
            if x.get("key"):
                keys.append(x["key"])
            for v in x.values():
                walk(v)
        elif isinstance(x, (list, tuple)):
            for v in x:
                walk(v)

    for inst in REG.all_instruments():
        d = inst.model_dump()
        walk(d)
        assert d["scoring"]["source"] and d["missing"]["source"]
        assert inst.bands_source is not None
    assert keys and not [k for k in keys if k not in bib]


def test_loinc_codes_are_well_formed_and_the_known_ones_present():
    code = re.compile(r"^\d{4,6}-\d$")
    answer = re.compile(r"^LA\d{3,6}-\d$")
    for inst in REG.all_instruments():
        for c in (inst.loinc, inst.loinc_total, *(i.loinc for i in inst.items)):
            assert c is None or code.match(c), (inst.id, c)
        for it in inst.items:
            for o in it.options:
                assert o.loinc is None or answer.match(o.loinc)
    get = {i.id: i for i in REG.all_instruments()}
    assert (get["phq9"].loinc, get["phq9"].loinc_total) == ("44249-1", "44261-6")
    assert (get["gad7"].loinc, get["gad7"].loinc_total) == ("69737-5", "70274-6")
    assert get["phq9"].item("q9").loinc == "44260-8"
    assert (get["poem"].loinc, get["poem"].loinc_total) == ("89862-7", "89870-0")


def test_integer_scores_fall_in_exactly_one_band():
    for inst in REG.all_instruments():
        if not inst.bands or inst.score_range is None:
            continue
        lo, hi = inst.score_range
        for s in range(int(lo), int(hi) + 1):
            hits = [b for b in inst.bands if b.min <= s <= b.max]
            assert len(hits) <= 1, (inst.id, s)
            assert inst.band_for(s) is not None, (inst.id, s)


def test_docs_table_lists_every_instrument():
    from pathlib import Path

    doc = (Path(__file__).parents[2] / "docs" / "clinic.md").read_text("utf-8")
    for inst in REG.all_instruments():
        assert f"| `{inst.id}` |" in doc, inst.id


def test_form_description_for_renderers():
    f = REG.get("easi", role="practitioner").form()
    assert f["context"] == ["age_years"] and f["wording_complete"]
    first = f["items"][0]
    assert first["group"] == "head_neck" and first["kind"] == "choice"
    assert [o["score"] for o in first["options"]] == [0, 1, 1.5, 2, 2.5, 3]
    d = REG.get("dlqi", role="client").form()
    assert not d["wording_complete"] and d["items"][0]["text"] == LICENSEE_TEXT
    assert d["items"][0]["options"][0]["label"] == "very_much"  # the code until licensed
    q7b = next(i for i in d["items"] if i["id"] == "q7b")
    assert q7b["enable_when"] == {"item": "q7", "code": "no"}
    import json

    for inst in REG.all_instruments():  # JSON-ready for the web app
        json.dumps(inst.form())
