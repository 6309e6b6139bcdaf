"""Worked examples, computed by hand from the published scoring rules (the source of each rule is
cited; the arithmetic is written out so a reader can check it). Not taken from online
calculators."""

from __future__ import annotations

import pytest

from nicsim.clinic.instruments import InstrumentError


def phq9(*scores):
    return {f"q{k}": s for k, s in enumerate(scores, start=1)}


def test_phq9_sum_bands_and_item9_flag(registry):
    # Kroenke, Spitzer & Williams 2001: items 0-3 summed (0-27); 15-19 moderately severe.
    r = registry.score("phq9", phq9(1, 2, 3, 3, 2, 2, 3, 2, 1), role="clinician")
    assert r.total == 1 + 2 + 3 + 3 + 2 + 2 + 3 + 2 + 1 == 19
    assert r.band == "moderately severe"
    # item 9 above 0 -> an urgent referral flag with the item named
    assert [(f.level, f.items) for f in r.flags] == [("urgent", ("q9",))]
    assert "self-harm" in r.flags[0].message


def test_phq9_severe_band_raises_referral_without_item9(registry):
    r = registry.score("phq9", phq9(3, 3, 3, 3, 3, 2, 2, 1, 0), role="clinician")
    assert r.total == 20 and r.band == "severe"
    assert [f.level for f in r.flags] == ["refer"]


def test_phq9_boundaries(registry):
    # the published cut-points 5, 10, 15, 20 start a band
    for total, band in [(4, "minimal"), (5, "mild"), (9, "mild"), (10, "moderate"),
                        (14, "moderate"), (15, "moderately severe"), (20, "severe")]:
        scores = [min(3, max(0, total - 3 * k)) for k in range(9)]
        scores[8] = 0
        rest = total - sum(scores)
        scores[7] += rest
        r = registry.score("phq9", phq9(*scores), role="clinician")
        assert (r.total, r.band) == (total, band)


def test_phq9_missing_item9_is_not_scored_and_flagged(registry):
    answers = phq9(0, 0, 0, 0, 0, 0, 0, 0)  # item 9 left out
    r = registry.score("phq9", answers, role="clinician")
    assert r.total is None and not r.complete and "q9" in r.not_scored_reason
    assert [(f.level, f.reason) for f in r.flags] == [("urgent", "item q9 not answered")]


def test_phq2_and_phq8(registry):
    # Kroenke 2003: PHQ-2 cut-point 3 -> positive screen (follow-up flag)
    r = registry.score("phq2", {"q1": 2, "q2": 1}, role="practitioner")
    assert (r.total, r.band, [f.level for f in r.flags]) == (3, "positive screen", ["follow_up"])
    r = registry.score("phq2", {"q1": 1, "q2": 1}, role="practitioner")
    assert (r.total, r.band, r.flags) == (2, "negative screen", ())
    # Kroenke 2009: PHQ-8 0-24 with the PHQ-9 cut-points
    r = registry.score("phq8", phq9(3, 3, 3, 3, 3, 3, 3, 3), role="practitioner")
    assert (r.total, r.band) == (24, "severe")


def test_gad7(registry):
    # Spitzer et al. 2006: 0-21; 10-14 moderate
    r = registry.score("gad7", {"q1": "more_than_half", "q2": "nearly_every_day", "q3": 2,
                                "q4": 1, "q5": 0, "q6": 2, "q7": 2}, role="practitioner")
    assert (r.total, r.band) == (2 + 3 + 2 + 1 + 0 + 2 + 2, "moderate")


def test_who5_times_four(registry):
    # Topp et al. 2015: raw 0-25 x 4 = 0-100; <= 50 poor well-being, <= 28 likely depression
    codes = {5: "all_of_the_time", 4: "most_of_the_time", 3: "more_than_half",
             2: "less_than_half", 1: "some_of_the_time", 0: "at_no_time"}
    r = registry.score("who5", {f"q{k}": codes[v] for k, v in
                                enumerate((3, 3, 2, 3, 2), start=1)}, role="practitioner")
    assert (r.total, r.band) == (4 * 13, "no indication of poor well-being")
    r = registry.score("who5", dict(q1=3, q2=3, q3=2, q4=2, q5=2), role="practitioner")
    assert (r.total, r.band, r.flags) == (48, "poor well-being", ())
    r = registry.score("who5", dict(q1=2, q2=1, q3=1, q4=2, q5=1), role="practitioner")
    assert (r.total, r.band) == (28, "likely depression")
    assert [f.level for f in r.flags] == ["follow_up"]


def test_pss10_reverse_items(registry):
    # Cohen & Williamson 1988: items 4, 5, 7, 8 reversed (0<->4, 1<->3), then summed
    given = [3, 2, 3, 1, 1, 2, 1, 1, 3, 2]
    r = registry.score("pss10", {f"q{k}": v for k, v in enumerate(given, start=1)},
                       role="client")
    assert r.total == 3 + 2 + 3 + (4 - 1) + (4 - 1) + 2 + (4 - 1) + (4 - 1) + 3 + 2 == 27
    assert r.band is None  # Cohen published norms, not cut-offs


def _easi_answers():
    signs = ("erythema", "oedema_papulation", "excoriation", "lichenification")
    rows = {"head_neck": ((2, 1.5, 1, 0), 2), "upper_limbs": ((2, 2, 2, 1), 3),
            "trunk": ((1, 1, 0, 0), 1), "lower_limbs": ((3, 2.5, 2, 2), 4)}
    out = {}
    for region, (vals, area) in rows.items():
        out.update({f"{region}.{s}": v for s, v in zip(signs, vals, strict=True)})
        out[f"{region}.area"] = area
    return out


def test_easi_adult_and_child_weights(registry):
    # Hanifin et al. 2001 Table 1: region = (E + I + Ex + L) x area x multiplier
    # adults (8+): head/neck 0.1, upper limbs 0.2, trunk 0.3, lower limbs 0.4
    r = registry.score("easi", _easi_answers(), role="practitioner",
                       context={"age_years": 30})
    assert r.subscores == {"head_neck": 0.9,    # 0.1 x 4.5 x 2
                           "upper_limbs": 4.2,  # 0.2 x 7 x 3
                           "trunk": 0.6,        # 0.3 x 2 x 1
                           "lower_limbs": 15.2}  # 0.4 x 9.5 x 4
    assert r.total == pytest.approx(20.9) and r.band == "moderate"  # Leshem 2015: 7.1-21.0
    # under 8 years: head/neck 0.2, upper 0.2, trunk 0.3, lower 0.3
    r = registry.score("easi", _easi_answers(), role="practitioner", context={"age_years": 5})
    assert r.total == pytest.approx(1.8 + 4.2 + 0.6 + 11.4)
    # the under-8 weights stop at the 8th birthday
    assert registry.score("easi", _easi_answers(), role="clinician",
                          context={"age_years": 8}).total == pytest.approx(20.9)


def test_easi_needs_age_and_rejects_half_point_below_one(registry):
    with pytest.raises(InstrumentError, match="age_years"):
        registry.score("easi", _easi_answers(), role="practitioner")
    bad = {**_easi_answers(), "trunk.erythema": 0.5}
    with pytest.raises(InstrumentError, match=r"easi, item 'trunk.erythema': 0.5 is not"):
        registry.score("easi", bad, role="practitioner", context={"age_years": 30})


def test_pasi(registry):
    # Fredriksson & Pettersson 1978: PASI = sum of w x (E + I + D) x A, w = 0.1/0.2/0.3/0.4
    vals = {"head": ((2, 1, 1), 2), "upper_limbs": ((3, 2, 2), 3), "trunk": ((2, 2, 1), 2),
            "lower_limbs": ((3, 3, 3), 4)}
    answers = {}
    for region, (signs, area) in vals.items():
        answers.update({f"{region}.{s}": v for s, v in
                        zip(("erythema", "induration", "desquamation"), signs, strict=True)})
        answers[f"{region}.area"] = area
    r = registry.score("pasi", answers, role="practitioner")
    # 0.1*4*2 + 0.2*7*3 + 0.3*5*2 + 0.4*9*4 = 0.8 + 4.2 + 3.0 + 14.4
    assert r.total == pytest.approx(22.4)
    assert r.band.startswith("PASI above 10")
    top = {k: (6 if k.endswith(".area") else 4) for k in answers}
    assert registry.score("pasi", top, role="clinician").total == 72


def test_scorad_and_objective_scorad(registry):
    # European Task Force 1993: SCORAD = A/5 + 7B/2 + C
    signs = dict(erythema=2, oedema_papulation=2, oozing_crusts=1, excoriation=2,
                 lichenification=1, dryness=2)  # B = 10
    r = registry.score("scorad", {"extent": 30, **signs, "itch": 6, "sleeplessness": 4},
                       role="practitioner")
    assert r.total == pytest.approx(30 / 5 + 7 * 10 / 2 + (6 + 4)) == 51
    assert r.band == "severe"  # Oranje 2007: > 50
    r = registry.score("oscorad", {"extent": 30, **signs}, role="practitioner")
    assert r.total == pytest.approx(41) and r.band == "severe"  # Kunz 1997: > 40
    top = {k: 3 for k in signs}
    assert registry.score("scorad", {"extent": 100, **top, "itch": 10, "sleeplessness": 10},
                          role="clinician").total == 103


def _dlqi(**kw):
    base = dict(q1="very_much", q2="a_lot", q3="a_little", q4="not_relevant", q5="not_at_all",
                q6="a_lot", q7="no", q7b="a_little", q8="a_little", q9="not_relevant",
                q10="a_lot")
    base.update(kw)
    return {k: v for k, v in base.items() if v is not None}


def test_dlqi_question7_and_missing_rule(registry):
    # Finlay & Khan 1994 + Cardiff DLQI scoring instructions
    r = registry.score("dlqi", _dlqi(), role="client")
    assert r.total == 3 + 2 + 1 + 0 + 0 + 2 + 1 + 1 + 0 + 2 == 12
    assert r.band == "very large effect"  # Hongbo et al. 2005: 11-20
    # question 7 'yes' scores 3 and 7b is not asked
    assert registry.score("dlqi", _dlqi(q7="yes", q7b=None), role="client").total == 14
    with pytest.raises(InstrumentError, match="q7b"):
        registry.score("dlqi", _dlqi(q7="yes"), role="client")
    # one unanswered question counts 0; two or more: not scored
    r = registry.score("dlqi", _dlqi(q10=None), role="client")
    assert (r.total, r.missing, r.complete) == (10, ("q10",), True)
    r = registry.score("dlqi", _dlqi(q10=None, q1=None), role="client")
    assert r.total is None and "2 item(s) unanswered" in r.not_scored_reason
    # 'No' on question 7 without 7b is one unanswered question
    r = registry.score("dlqi", _dlqi(q7b=None), role="client")
    assert (r.total, r.missing) == (11, ("q7b",))


def test_poem(registry):
    # Charman 2004 (0-4 per question, 0-28), bands Charman 2013
    r = registry.score("poem", {f"q{k}": v for k, v in
                                enumerate((4, 3, 0, 1, 2, 3, 4), start=1)}, role="client")
    assert (r.total, r.band) == (17, "severe eczema")
    r = registry.score("poem", {f"q{k}": v for k, v in enumerate((4, 3, 0, 1, 2, 3), start=1)},
                       role="client")
    assert (r.total, r.missing) == (13, ("q7",))


def test_skindex29_scales(registry):
    # Chren et al. 1997: responses -> 0, 25, 50, 75, 100; scale = mean of its items
    answers = {f"q{k}": "sometimes" for k in range(1, 31)}
    answers["q1"] = "all_the_time"
    r = registry.score("skindex29", answers, role="client")
    assert r.subscores["symptoms"] == pytest.approx((100 + 6 * 50) / 7, abs=0.05)
    assert r.subscores["emotions"] == 50 and r.subscores["functioning"] == 50
    # 5 of 7 symptom items (71 %) is below the 75 % rule: that scale is not scored
    del answers["q7"], answers["q10"]
    r = registry.score("skindex29", answers, role="client")
    assert r.subscores["symptoms"] is None and r.subscores["emotions"] == 50
    assert "symptoms: 5 of 7" in r.not_scored_reason


def test_psqi_components(registry):
    # Buysse et al. 1989 appendix
    a = dict(q1="23:00", q2=20, q3="07:00", q4=6.5, q5a=1, q5b=2, q5c=0, q5d=0, q5e=0, q5f=1,
             q5g=0, q5h=1, q5i=0, q6=0, q7=1, q8=1, q9=1)
    r = registry.score("psqi", a, role="client")
    # C2: 20 min -> 1, + 5a 1 = 2 -> 1; C3: 6.5 h -> 1; C4: 6.5/8 h = 81 % -> 1;
    # C5: 5b..5i = 4 -> 1; C7: 1 + 1 = 2 -> 1; C1 1, C6 0
    assert r.subscores["c4_efficiency"] == 1 and r.subscores["sleep_efficiency_pct"] == 81.3
    assert (r.total, r.band) == (6, "poor sleep quality")
    # over midnight: 22:30 -> 06:30 is 8 h in bed; 5 h asleep = 62.5 % -> C4 = 3; C3 5 h -> 2
    r = registry.score("psqi", {**a, "q1": "22:30", "q3": "06:30", "q4": 5}, role="client")
    assert (r.subscores["c3_duration"], r.subscores["c4_efficiency"]) == (2, 3)


def test_single_item_scales(registry):
    # Reich et al. 2012 itch bands; Snyder 2018 sleep quality bands; Watson 2015 7 h
    assert registry.score("itch_nrs", {"worst_itch": 9}, role="client").band == "very severe"
    assert registry.score("itch_nrs", {"worst_itch": 3}, role="client").band == "mild"
    assert registry.score("sleep_quality", {"quality": 10}, role="client").band == "excellent"
    r = registry.score("sleep_hours", {"hours": 6.5}, role="client")
    assert r.total == 6.5 and r.band.startswith("shorter")
    assert registry.score("stress_nrs", {"stress": 7}, role="client").total == 7
    with pytest.raises(InstrumentError, match=r"itch_nrs, item 'worst_itch': 11 is not allowed"):
        registry.score("itch_nrs", {"worst_itch": 11}, role="client")
    with pytest.raises(InstrumentError, match="steps of 0.25"):
        registry.score("sleep_hours", {"hours": 6.1}, role="client")
