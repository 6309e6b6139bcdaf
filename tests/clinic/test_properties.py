"""Hypothesis properties of every shipped instrument: scores within bounds, a band for every
score, monotone in each item, and the missing-item rules."""

from __future__ import annotations

import pytest
from answer_strategies import complete_answers
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nicsim.clinic.instruments import (
    Instrument,
    InstrumentError,
    default_registry,
    score_instrument,
    validate_answers,
)

REG = default_registry()
ALL = [i.id for i in REG.all_instruments()]
CTX = {"age_years": 40}
FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _score(inst, answers, **kw):
    return REG.score(inst.id, answers, role="clinician", context=CTX, **kw)


@pytest.mark.parametrize("iid", ALL)
@FAST
@given(data=st.data())
def test_bounds_and_band(iid, data):
    inst = REG.get(iid, role="clinician")
    answers = data.draw(complete_answers(inst))
    r = _score(inst, answers)
    assert r.complete, r.not_scored_reason
    if inst.score_range is not None:
        lo, hi = inst.score_range
        assert lo <= r.total <= hi
        if inst.bands:
            assert r.band in {b.label for b in inst.bands}
    for v in r.subscores.values():
        assert v is not None and v >= 0
    if inst.scoring.method == "subscale_mean":
        assert all(0 <= v <= 100 for v in r.subscores.values())


def _next_higher(item, code):
    """The option code with the next higher item score, or None at the top."""
    s = item.option(code).score
    higher = sorted((o.score, o.code) for o in item.options
                    if o.score is not None and o.score > s)
    return higher[0][1] if higher else None


MONOTONE = [i.id for i in REG.all_instruments() if i.scoring.method != "psqi"]


@pytest.mark.parametrize("iid", MONOTONE)
@FAST
@given(data=st.data())
def test_monotone_in_each_item(iid, data):
    """Raising one answer never lowers the total (never raises it for a reverse item)."""
    inst = REG.get(iid, role="clinician")
    answers = data.draw(complete_answers(inst))
    item = data.draw(st.sampled_from([i for i in inst.items if i.enable_when is None]))
    if item.kind == "choice":
        up = _next_higher(item, answers[item.id])
    else:
        step = item.step or 1
        up = answers[item.id] + step if answers[item.id] + step <= item.max else None
    if up is None:
        return
    before, after = _score(inst, answers), _score(inst, {**answers, item.id: up})
    pairs = ([(before.total, after.total)] if before.total is not None else
             list(zip(before.subscores.values(), after.subscores.values(), strict=True)))
    for b, a in pairs:
        if item.reverse:
            assert a <= b
        else:
            assert a >= b


@pytest.mark.parametrize("iid", ["dlqi", "poem"])
@FAST
@given(data=st.data())
def test_zero_rule_one_missing_counts_zero_two_not_scored(iid, data):
    inst = REG.get(iid, role="clinician")
    answers = data.draw(complete_answers(inst))
    ids = sorted(answers)
    drop = data.draw(st.lists(st.sampled_from(ids), min_size=2, max_size=2, unique=True))
    one = {k: v for k, v in answers.items() if k != drop[0]}
    zeroed = {**answers, drop[0]: next(o.code for o in inst.item(drop[0]).options
                                       if o.score == 0)}
    assert _score(inst, one).total == _score(inst, zeroed).total
    two = {k: v for k, v in answers.items() if k not in drop}
    r = _score(inst, two)
    assert r.total is None and not r.complete


NONE_RULE = [i.id for i in REG.all_instruments() if i.missing.kind == "none"]


@pytest.mark.parametrize("iid", NONE_RULE)
@FAST
@given(data=st.data())
def test_none_rule_any_missing_required_item_is_not_scored(iid, data):
    inst = REG.get(iid, role="clinician")
    answers = data.draw(complete_answers(inst))
    required = [i.id for i in inst.items if i.required and i.enable_when is None]
    drop = data.draw(st.sampled_from(required))
    r = _score(inst, {k: v for k, v in answers.items() if k != drop})
    assert r.total is None and drop in r.missing and drop in r.not_scored_reason


@pytest.mark.parametrize("iid", ALL)
@settings(max_examples=25, deadline=None)
@given(data=st.data(), junk=st.one_of(st.text(min_size=1, max_size=6), st.floats(),
                                      st.integers(-1000, 1000), st.booleans()))
def test_bad_values_name_instrument_item_and_allowed(iid, data, junk):
    inst = REG.get(iid, role="clinician")
    item = data.draw(st.sampled_from([i for i in inst.items if i.enable_when is None]))
    try:
        accepted = validate_answers(inst, {item.id: junk})
    except InstrumentError as e:
        assert e.instrument == iid and e.item == item.id
        assert iid in str(e) and item.id in str(e) and "allowed" in str(e)
        return
    # accepted: a blank string means "unanswered" (what a web form submits for an empty field);
    # anything else must be one of the allowed answers, in canonical form
    if item.id not in accepted:
        assert isinstance(junk, str) and junk.strip() == ""
        return
    v = accepted[item.id]
    if item.kind == "choice":
        assert v in {o.code for o in item.options}
    elif item.kind in ("integer", "decimal"):
        assert item.min <= v <= item.max
    else:
        assert len(v) == 5 and v[2] == ":"


def test_prorate_rule_on_a_declaration_built_in_the_test():
    """The 'prorate' rule (no shipped instrument uses it): up to max_missing unanswered items take
    the mean of the answered ones; more: not scored."""
    d = REG.get("gad7", role="clinician").model_dump()
    d["id"] = "toy_prorated"
    d["missing"] = {"kind": "prorate", "max_missing": 1,
                    "source": {"assumption": "a test declaration"}}
    toy = Instrument.model_validate(d)
    a = {"q1": 3, "q2": 3, "q3": 0, "q4": 0, "q5": 3, "q6": 3}  # q7 missing: mean 2
    r = score_instrument(toy, a)
    assert (r.total, r.missing, r.complete) == (14, ("q7",), True)
    r = score_instrument(toy, {k: v for k, v in a.items() if k != "q6"})
    assert r.total is None and "2 item(s) unanswered" in r.not_scored_reason
