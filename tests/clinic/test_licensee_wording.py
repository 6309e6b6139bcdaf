"""Licensee wording files: the clinic supplies the licensed texts; nicsim merges and checks them."""

from __future__ import annotations

import json

import pytest
import yaml

from nicsim.clinic.instruments import WordingError, default_registry, fhir, load_licensee_wording

REG = default_registry()


def _poem_file(tmp_path, **over):
    data = {
        "instrument": "poem",
        "licence": "Test licence no. 42 granted to Example Clinic",
        "language": "en",
        "copyright": "Translation (c) Example Clinic",
        "instructions": "Test instructions written for this test.",
        "items": {f"q{k}": {"text": f"Test question {k} (written for the test)",
                            "options": {"no_days": "none", "every_day": "all 7"}}
                  for k in range(1, 8)},
    }
    data.update(over)
    p = tmp_path / "poem_wording.yaml"
    p.write_text(yaml.safe_dump(data), "utf-8")
    return p


def test_wording_file_is_merged(tmp_path):
    reg = REG.with_wording(_poem_file(tmp_path))
    inst = reg.get("poem", role="client")
    assert inst.has_wording and inst.item("q3").text.startswith("Test question 3")
    assert inst.item("q3").option("every_day").label == "all 7"
    assert inst.item("q3").option("days_1_2").label is None  # not given: stays unlabelled
    assert "Test licence no. 42" in inst.wording_source
    assert inst.licence.copyright.endswith("Translation (c) Example Clinic")
    assert inst.summary()["wording"] == "licensee file loaded"
    # scoring is unchanged; FHIR carries the wording
    a = {f"q{k}": "every_day" for k in range(1, 8)}
    assert reg.score("poem", a, role="client").total == 28
    q = fhir.questionnaire(inst)
    assert q.item[0].text == "Test question 1 (written for the test)"
    # the shipped registry is untouched
    assert REG.get("poem", role="client").item("q1").text is None


def test_json_wording_file(tmp_path):
    p = tmp_path / "w.json"
    p.write_text(json.dumps({"instrument": "isi", "licence": "L",
                             "items": {i.id: {"text": "t"} for i in
                                       REG.get("isi", role="client").items}}), "utf-8")
    assert load_licensee_wording(p).instrument == "isi"
    assert REG.with_wording(p).get("isi", role="client").has_wording


def test_wording_errors_name_the_problem(tmp_path):
    p = _poem_file(tmp_path)
    d = yaml.safe_load(p.read_text())
    del d["items"]["q7"]
    p.write_text(yaml.safe_dump(d))
    with pytest.raises(WordingError, match=r"no wording for POEM items \['q7'\]"):
        REG.with_wording(p)
    d["items"]["q7"] = d["items"]["q8"] = {"text": "x"}
    p.write_text(yaml.safe_dump(d))
    with pytest.raises(WordingError, match=r"items \['q8'\] are not items of POEM"):
        REG.with_wording(p)
    del d["items"]["q8"]
    d["items"]["q1"]["options"]["sometimes"] = "x"
    p.write_text(yaml.safe_dump(d))
    with pytest.raises(WordingError, match=r"item q1: option codes \['sometimes'\] unknown"):
        REG.with_wording(p)
    with pytest.raises(WordingError, match="'hads' is not in the registry"):
        REG.with_wording(_poem_file(tmp_path, instrument="hads"))
    q = tmp_path / "bad.yaml"
    q.write_text("instrument: poem\nitems: {")
    with pytest.raises(WordingError, match="not valid YAML"):
        load_licensee_wording(q)
    q.write_text("instrument: poem\nitems: {}\n")
    with pytest.raises(WordingError, match="field 'licence'"):
        load_licensee_wording(q)
    with pytest.raises(WordingError, match="cannot read"):
        load_licensee_wording(tmp_path / "missing.yaml")


def test_template_round_trip(tmp_path):
    from typer.testing import CliRunner

    from nicsim.cli import app

    out = tmp_path / "dlqi_wording.yaml"
    res = CliRunner().invoke(app, ["clinic", "instruments", "--show", "dlqi", "--template",
                                   str(out)])
    assert res.exit_code == 0, res.output
    data = yaml.safe_load(out.read_text())
    assert set(data["items"]) == {i.id for i in REG.get("dlqi", role="client").items}
    assert set(data["items"]["q7"]["options"]) == {"yes", "no", "not_relevant"}
    # an unfilled template is refused, naming the field
    with pytest.raises(WordingError, match="field 'licence'"):
        load_licensee_wording(out)
    data["licence"] = "test licence"
    out.write_text(yaml.safe_dump(data))
    with pytest.raises(WordingError, match=r"field 'items.q1.text'"):
        load_licensee_wording(out)
    for k, iw in data["items"].items():
        iw["text"] = f"test text {k}"
    data["items"]["q7"]["options"]["yes"] = "Yes (test)"
    out.write_text(yaml.safe_dump(data))
    inst = REG.with_wording(out).get("dlqi", role="client")
    assert inst.has_wording and inst.item("q7").option("yes").label == "Yes (test)"
    assert inst.item("q7").option("no").label is None  # left empty: unlabelled
