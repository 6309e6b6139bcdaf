"""Hostile spec files (issue 9, item 6): alias bombs, deep nesting, unclosed brackets, huge
values, devices as paths, random bytes. Every spec reader (scenario, trial, sensitivity, loop,
population; they share ``FileModel``) answers with a ScenarioError or a valid spec: no other
exception, no hang, no message that echoes a huge value.

The default run draws ``NICSIM_HOSTILE_EXAMPLES`` (200) specs; the test marked ``slow`` draws
10,000 (``pytest -m slow tests/protocols/test_hostile_specs.py``).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nicsim.analysis.loop import LoopSpec
from nicsim.analysis.population import PopulationSpec
from nicsim.analysis.sensitivity import SensitivitySpec
from nicsim.analysis.trial import TrialSpec
from nicsim.errors import NicsimError, ScenarioError
from nicsim.protocols import Scenario
from nicsim.protocols.scenario import (
    MAX_SPEC_CHARS,
    MAX_YAML_DEPTH,
    MAX_YAML_NODES,
    load_yaml,
)

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
READERS = {"scenario": Scenario, "trial": TrialSpec, "sensitivity": SensitivitySpec,
           "loop": LoopSpec, "population": PopulationSpec}
VALID = {
    "scenario": (EXAMPLES / "scenarios" / "tsst.yaml").read_text(),
    "trial": (EXAMPLES / "trials" / "vns_endotoxemia.yaml").read_text(),
    "sensitivity": (EXAMPLES / "sensitivity" / "tsst_hpa.yaml").read_text(),
    "loop": (EXAMPLES / "loop" / "psoriasis_loop.yaml").read_text(),
    "population": "sex: {male: 0.5}\nage: {normal: {mean: 40, sd: 12, min: 18, max: 70}}\n",
}
#: longest error message allowed (a message must not echo a huge value)
MAX_MESSAGE = 5_000
#: CPU seconds one spec may take to be read and refused (CPU time of this process, not wall
#: time, so that a busy machine does not fail the test; a hang or an expansion spends minutes)
MAX_SECONDS = 30.0


# ============================================================================ hostile pieces
def alias_bomb(width: int, depth: int) -> str:
    lines = [f"a0: &a0 [{', '.join(['lol'] * width)}]"]
    for k in range(1, depth + 1):
        lines.append(f"a{k}: &a{k} [{', '.join([f'*a{k - 1}'] * width)}]")
    return "\n".join(lines)


@st.composite
def hostile_values(draw) -> str:
    """A YAML fragment usable as a value (flow style, one line unless it is a block)."""
    kind = draw(st.sampled_from([
        "bomb", "nest_list", "nest_map", "nest_block", "unclosed", "huge_number", "huge_text",
        "huge_list", "tag", "device", "float", "text", "unicode", "quote",
    ]))
    if kind == "bomb":
        return "&x [" + ", ".join(["*y"] * draw(st.integers(1, 9))) + "]"
    if kind == "nest_list":
        n = draw(st.one_of(st.integers(1, 200), st.sampled_from([1000, 20_000, 100_000])))
        return "[" * n + ("]" * n if draw(st.booleans()) else "")
    if kind == "nest_map":
        n = draw(st.integers(1, 300))
        return "{a: " * n + "1" + "}" * n
    if kind == "nest_block":
        n = draw(st.integers(1, 120))
        return "\n" + "\n".join("  " * (k + 1) + "- " for k in range(n)) + "x"
    if kind == "unclosed":
        return draw(st.sampled_from(["[unclosed", "{a: 1", '"open', "'open", "[1, {a: [2]",
                                     "}", "]", ": :", "- - -", "|\n  text\n x"]))
    if kind == "huge_number":
        return draw(st.sampled_from(["9" * 5_000, "1e999", "-1e999", ".nan", ".inf",
                                     "0x" + "f" * 400, "1" + "0" * 400, "1e-400"]))
    if kind == "huge_text":
        return "x" * draw(st.sampled_from([1_000, 100_000, 1_500_000]))
    if kind == "huge_list":
        return "[" + ", ".join(["1"] * draw(st.sampled_from([10, 10_000, 60_000]))) + "]"
    if kind == "tag":
        return draw(st.sampled_from(["!!python/object:os.system 'echo hi'",
                                     "!!python/name:os.system", "!!binary AAAA", "!!set {a}",
                                     "!!timestamp 2001-12-14", "!custom 1", "!!omap [a: 1]"]))
    if kind == "device":
        return draw(st.sampled_from(["/dev/zero", "/dev/urandom", "/dev/stdin", "/proc/self/mem",
                                     "/", ".", "..", "/nonexistent/x.yaml", "/etc/passwd"]))
    if kind == "float":
        return repr(draw(st.floats(allow_nan=True, allow_infinity=True)))
    if kind == "unicode":
        return '"' + draw(st.text(max_size=50)).replace("\\", "").replace('"', "") + '"'
    if kind == "quote":
        return draw(st.sampled_from(['"\\xZZ"', '"\\uD800"', "'it''s'", '"\\0"']))
    return draw(st.text(max_size=80))


@st.composite
def hostile_specs(draw) -> tuple[str, str]:
    """(reader name, YAML text): a valid example with a hostile value at a random key, a
    hostile document, random bytes or an alias bomb."""
    reader = draw(st.sampled_from(sorted(READERS)))
    how = draw(st.sampled_from(["replace", "replace", "replace", "document", "bytes", "bomb",
                                "truncate", "append"]))
    base = VALID[reader]
    if how == "bomb":
        return reader, alias_bomb(draw(st.integers(2, 10)), draw(st.integers(1, 9))) + \
            "\nname: *a" + str(draw(st.integers(1, 9)))
    if how == "document":
        return reader, draw(hostile_values())
    if how == "bytes":
        raw = draw(st.binary(max_size=400))
        return reader, raw.decode("utf-8", errors="replace")
    if how == "truncate":
        return reader, base[:draw(st.integers(0, len(base)))]
    if how == "append":
        return reader, base + "\n" + draw(st.sampled_from(["extra: ", "name: "])) + \
            draw(hostile_values())
    data = yaml.safe_load(base)
    paths = list(_paths(data))
    path = draw(st.sampled_from(paths))
    marker = "__HOSTILE__"
    _set(data, path, marker)
    text = yaml.safe_dump(data, sort_keys=False, width=10_000)
    value = draw(hostile_values())
    if "\n" in value:  # a block value needs its own line
        value = value.replace("\n", "\n" + " " * 8)
    return reader, text.replace(f"'{marker}'", value).replace(marker, value)


def _paths(obj, prefix=()):
    yield prefix
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _paths(v, (*prefix, i))


def _set(obj, path, value):
    if not path:
        return
    for p in path[:-1]:
        obj = obj[p]
    obj[path[-1]] = value


def check_reader(reader: str, text: str) -> None:
    t0 = time.process_time()
    try:
        READERS[reader].from_yaml(text if "\n" in text else text + "\n")
    except NicsimError as exc:
        assert len(str(exc)) < MAX_MESSAGE, f"message of {len(str(exc)):,} characters"
    elapsed = time.process_time() - t0
    assert elapsed < MAX_SECONDS, f"{reader}: {elapsed:.1f} CPU s"


EXAMPLES_DEFAULT = int(os.environ.get("NICSIM_HOSTILE_EXAMPLES", "200"))
HEALTH = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]


@settings(max_examples=EXAMPLES_DEFAULT, deadline=None, suppress_health_check=HEALTH)
@given(hostile_specs())
def test_hostile_specs_only_raise_scenario_errors(case):
    check_reader(*case)


@pytest.mark.slow
@settings(max_examples=10_000, deadline=None, suppress_health_check=HEALTH)
@given(hostile_specs())
def test_ten_thousand_hostile_specs_only_raise_scenario_errors(case):
    check_reader(*case)


# ============================================================================ named cases
def test_alias_bomb_is_refused_quickly_with_a_short_message():
    t0 = time.perf_counter()
    with pytest.raises(ScenarioError, match="anchors") as info:
        Scenario.from_yaml(alias_bomb(10, 9) + "\noutputs: *a9\nname: x\nduration: 1 day\n")
    assert time.perf_counter() - t0 < 1.0 and len(str(info.value)) < 300


def test_alias_in_a_numeric_field_does_not_print_the_expansion():
    text = alias_bomb(10, 5) + "\nname: x\nduration: 1 day\nrtol: *a5\n"
    with pytest.raises(ScenarioError) as info:
        Scenario.from_yaml(text)
    assert len(str(info.value)) < 300


def test_deep_nesting_is_a_clear_error_not_a_recursion_error():
    with pytest.raises(ScenarioError, match=f"more than {MAX_YAML_DEPTH} levels") as info:
        load_yaml("name: " + "[" * 100_000)
    assert "line 1" in str(info.value)


def test_unclosed_bracket_names_line_and_column():
    with pytest.raises(ScenarioError) as info:
        Scenario.from_yaml("name: [unclosed\n")
    msg = str(info.value)
    assert "line 2, column 1" in msg and "starts at line 1, column 7" in msg


def test_size_limit(tmp_path):
    with pytest.raises(ScenarioError, match="at most"):
        load_yaml("#" * (MAX_SPEC_CHARS + 1))
    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * (MAX_SPEC_CHARS * 4 + 1))
    with pytest.raises(ScenarioError, match="at most"):
        Scenario.from_yaml(big)


def test_node_limit():
    with pytest.raises(ScenarioError, match=f"more than {MAX_YAML_NODES:,} values"):
        load_yaml("[" + ", ".join(["1"] * (MAX_YAML_NODES + 1)) + "]")


def test_device_as_scenario_path_is_refused():
    with pytest.raises(ScenarioError, match="not a regular file"):
        TrialSpec.from_yaml("name: x\nsubjects: 2\nscenario: /dev/zero\narms: [{name: a}]\n")


def test_huge_value_is_not_echoed():
    with pytest.raises(ScenarioError) as info:
        Scenario.from_yaml("name: x\nduration: " + "x" * 1_000_000 + "\n")
    assert len(str(info.value)) < 1_000


def test_unhashable_outcome_kind_is_a_scenario_error():
    """Found by the 10,000-spec run: a list as an outcome's kind raised TypeError."""
    text = VALID["trial"].replace("kind: time_to_threshold", "kind: [[1]]")
    assert "kind: [[1]]" in text
    with pytest.raises(ScenarioError, match="kind"):
        TrialSpec.from_yaml(text)


def test_integer_too_large_for_a_float_is_a_scenario_error():
    """Found by the hostile-spec run: 0xfff... (a 1,600-bit integer) raised OverflowError."""
    with pytest.raises(ScenarioError, match="sex.male"):
        PopulationSpec.from_yaml("sex:\n  male: 0x" + "f" * 400 + "\n")


def test_huge_quantity_text_is_refused_quickly():
    """Found by the hostile-spec run: a 100,000-character duration took pint 70 CPU s."""
    t0 = time.process_time()
    for rest in ("output_interval: 10 min\nduration: ", "duration: 1 day\noutput_interval: "):
        with pytest.raises(ScenarioError) as info:
            Scenario.from_yaml("name: x\n" + rest + "x" * 100_000 + "\n")
        assert len(str(info.value)) < 1_000
    assert time.process_time() - t0 < 5


def test_a_number_as_the_base_protocol_is_a_scenario_error():
    """Found by the hostile-spec run: scenario.protocol: 1.5 raised TypeError."""
    with pytest.raises(ScenarioError, match="protocol"):
        TrialSpec.from_yaml("name: x\nsubjects: 2\nscenario: {protocol: 1.5}\n"
                            "arms: [{name: a}]\nduration: 1 day\n")
