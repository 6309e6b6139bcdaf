"""The mechanism checklist (M1-M17 of system.md): every implemented mechanism has code, sourced
parameters, a protocol path in, an observable out and a test of its direction of effect."""

import ast
import importlib.util
import re
import typing
from functools import cache
from pathlib import Path

import pytest

from nicsim._default import default_model
from nicsim.core import Network
from nicsim.core.lint import CheckParameterProvenance, CheckParameterSet, CheckReferences
from nicsim.model import build_network
from nicsim.model.mechanisms import (
    BRAIN_MODULES,
    BY_ID,
    FEEDBACK_MODULE,
    MECHANISMS,
    SKIN_MODULES,
    declaring_modules,
    downstream,
    entry_modules,
    path_problems,
)
from nicsim.parameter_sets import parameter_set_values
from nicsim.protocols import Scenario
from nicsim.solve.problem import observable_names
from nicsim.solve.simulate import simulate

ROOT = Path(__file__).resolve().parents[2]
IMPLEMENTED = [m for m in MECHANISMS if m.implemented]
ids = [m.id for m in IMPLEMENTED]


@pytest.fixture(scope="module")
def network():
    return build_network()


def scenario_event_types() -> set[str]:
    """The ``type`` tags of the discriminated union a scenario's ``protocol`` accepts."""
    (event,) = typing.get_args(Scenario.model_fields["protocol"].annotation)
    union = typing.get_args(event)[0]
    return {cls.model_fields["type"].default for cls in typing.get_args(union)}


@cache
def make_docs():
    """scripts/make_docs.py as a module (it renders docs/mechanisms.md and reads the markers)."""
    spec = importlib.util.spec_from_file_location("make_docs", ROOT / "scripts" / "make_docs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def marked_tests() -> dict[str, list[str]]:
    """Mechanism id -> the tests marked ``@pytest.mark.mechanism(id)``."""
    return make_docs().mechanism_tests()


# ---------------------------------------------------------------- the registry -----------------
def test_registry_lists_m1_to_m17_in_order_all_implemented():
    assert [m.id for m in MECHANISMS] == [f"M{k}" for k in range(1, 18)]
    assert [m.id for m in MECHANISMS if not m.implemented] == []
    assert all(m.title for m in MECHANISMS)


def test_modules_declare_only_registered_mechanisms_and_gut_skin_declares_m10(network):
    declared = {mid for m in network.modules.values() for mid in m.mechanisms}
    assert declared <= set(BY_ID), declared - set(BY_ID)
    assert declaring_modules("M10", network) == ("gut_skin",)


# ---------------------------------------------------------------- per mechanism ----------------
@pytest.mark.parametrize("mech", IMPLEMENTED, ids=ids)
def test_mechanism_has_code(mech, network):
    assert declaring_modules(mech.id, network), f"no module declares {mech.id}"


@pytest.mark.parametrize("mech", IMPLEMENTED, ids=ids)
def test_mechanism_events_are_protocol_event_types(mech):
    assert mech.events, mech.id
    assert set(mech.events) <= scenario_event_types(), set(mech.events) - scenario_event_types()


@pytest.mark.parametrize("mech", IMPLEMENTED, ids=ids)
def test_mechanism_observables_are_model_observables(mech):
    names = set(observable_names(default_model()))
    assert mech.observables, mech.id
    assert set(mech.observables) <= names, set(mech.observables) - names


@pytest.mark.parametrize("mech", IMPLEMENTED, ids=ids)
def test_events_reach_the_mechanism_and_its_observables_follow_from_it(mech, network):
    for event in mech.events:
        assert entry_modules(event, network), f"{event} acts on no module of the network"
    assert path_problems(mech, network) == []


@pytest.mark.parametrize("mech", IMPLEMENTED, ids=ids)
def test_mechanism_has_a_marked_direction_test(mech):
    tests = marked_tests().get(mech.id, [])
    assert tests, f"no test is marked @pytest.mark.mechanism({mech.id!r})"
    assert all(re.fullmatch(r"tests/[\w/]+\.py::test_\w+", node) for node in tests), tests


def test_mechanism_markers_name_registered_mechanisms():
    assert set(marked_tests()) <= set(BY_ID), set(marked_tests()) - set(BY_ID)


def test_mechanism_markers_are_read_from_the_source(tmp_path):
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_x.py").write_text(
        "import pytest\n\n\n@pytest.mark.slow\n@pytest.mark.mechanism('M3', 'M8')\n"
        "def test_a():\n    pass\n\n\ndef test_b():\n    pass\n", encoding="utf-8")
    assert make_docs().mechanism_tests(tmp_path / "tests") == {
        "M3": ["tests/test_x.py::test_a"], "M8": ["tests/test_x.py::test_a"]}
    (tmp_path / "tests" / "test_x.py").write_text(
        "import pytest\n\nM = 'M3'\n\n\n@pytest.mark.mechanism(M)\ndef test_a():\n    pass\n",
        encoding="utf-8")
    with pytest.raises(ValueError, match="literal mechanism ids"):
        make_docs().mechanism_tests(tmp_path / "tests")


def test_library_code_names_no_test_file():
    """No string in the package's code (docstrings aside) names a test file."""
    found = []
    for path in sorted((ROOT / "src" / "nicsim").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                      if isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef,
                                        ast.AsyncFunctionDef))
                      and n.body and isinstance(n.body[0], ast.Expr)}
        found += [f"{path.relative_to(ROOT)}:{n.lineno}" for n in ast.walk(tree)
                  if isinstance(n, ast.Constant) and isinstance(n.value, str)
                  and id(n) not in docstrings and re.search(r"tests/[\w/]*test_\w*\.py", n.value)]
    assert not found, found


@pytest.mark.parametrize("mech", IMPLEMENTED, ids=ids)
def test_mechanism_parameters_have_sources(mech, network):
    mods = declaring_modules(mech.id, network)
    part = Network([network.modules[n] for n in mods], name=mech.id)
    own = {p.id for p in part.parameters()}
    context = {"parameter_set": {k: v for k, v in parameter_set_values().items() if k in own}}
    issues = []
    for check in (CheckParameterProvenance, CheckReferences, CheckParameterSet):
        issues += [i for i in check().run(part, context) if i.level == "error"]
    assert not issues, "\n".join(map(str, issues))
    assert all(p.source.describe() for p in part.parameters())


# ---------------------------------------------------------------- M1: the two-way network ------
@pytest.mark.mechanism("M1")
def test_m1_network_links_brain_and_skin_both_ways(network):
    edges = {(a, b) for a, b, _ in network.edges()}
    for brain in BRAIN_MODULES:
        assert set(SKIN_MODULES) <= downstream(network, [brain]), brain
    # brain -> skin nerves, and skin -> distress -> brain (the drawn network shows both)
    assert ("psyche", "neuro") in edges and ("psyche", "psoriasis") in edges
    assert (FEEDBACK_MODULE, "psyche") in edges
    for condition in ("acne", "eczema", "psoriasis", "rosacea", "vitiligo"):
        assert (condition, FEEDBACK_MODULE) in edges, condition
        assert "psyche" in downstream(network, [condition]), condition
        assert "psyche" not in downstream(network, [condition], open_loop=True), condition
    # immune cells talk both ways with the brain side too (cytokines <-> cortisol)
    assert ("immune", "hpa") in edges and ("hpa", "immune") in edges
    from nicsim.io.diagram import network_mermaid

    drawn = network_mermaid(network)
    assert re.search(r"psyche -->\|[^|]*\| neuro", drawn)
    assert re.search(rf"{FEEDBACK_MODULE} -->\|[^|]*skin_distress[^|]*\| psyche", drawn)


def _m1_run(person, protocol=(), duration="8 weeks", interval="1 day"):
    base = {"sex": "female", "age": 35, "sleep": {"bedtime": "23:00", "wake": "07:00"}}
    return simulate(Scenario.from_dict({
        "name": "m1", "start": "07:00", "duration": duration, "output_interval": interval,
        "person": {**base, **person}, "protocol": list(protocol),
        "outputs": ["pasi", "dlqi", "perceived_stress", "histamine_dermal"]}))


@pytest.mark.mechanism("M1")
def test_m1_stress_reaches_the_skin_and_skin_distress_the_brain():
    # brain -> skin: an acute stressor raises dermal histamine within the hour
    tsst = {"type": "acute_stressor", "start": "day 1 10:00", "duration": "20 min"}
    calm = _m1_run({}, duration="8 h", interval="5 min")
    stressed = _m1_run({}, [tsst], duration="8 h", interval="5 min")
    assert float(stressed.histamine_dermal.max()) > float(calm.histamine_dermal.max()) + 0.2
    # skin -> brain: the same visible plaques raise felt stress only in a distress-sensitive
    # person, and the felt stress feeds back into the plaques
    plaques = {"susceptibility": {"psoriasis": 2.0}, "lesion_visibility": 0.8}
    indifferent = _m1_run({**plaques, "distress_sensitivity": 0.0})
    sensitive = _m1_run({**plaques, "distress_sensitivity": 2.0})
    assert float(indifferent.dlqi.max()) == 0.0
    assert float(sensitive.dlqi[-1]) > 5
    assert float(sensitive.perceived_stress[-1]) > float(indifferent.perceived_stress[-1]) + 3
    assert float(sensitive.pasi[-1]) > float(indifferent.pasi[-1])


# ---------------------------------------------------------------- M5: mood and skin ------------
@pytest.mark.mechanism("M5")
def test_m5_low_mood_adds_a_little_to_felt_stress_and_eczema_itch():
    """Chronic stress lowers mood; low mood amplifies appraisal and eczema itch, weakly."""
    def run(parameters):
        return simulate(Scenario.from_dict({
            "name": "m5", "start": "07:00", "duration": "8 weeks", "output_interval": "1 day",
            "person": {"sex": "female", "age": 35, "sleep": {"bedtime": "23:00", "wake": "07:00"},
                       "susceptibility": {"eczema": 1.0}, "distress_sensitivity": 0.0},
            "protocol": [{"type": "chronic_stressor", "start": "day 1", "period": "8 weeks",
                          "load": 0.6}],
            "parameters": parameters,
            "outputs": ["mood", "eczema_itch", "perceived_stress"]}))
    linked = run({})
    cut = run({"eczema.mood_itch_gain": 0.0, "psyche.mood_gain": 0.0})
    assert float(linked.mood[-1]) > float(linked.mood[0]) + 3  # PHQ-9-like points
    assert float(linked.perceived_stress[-1]) > float(cut.perceived_stress[-1])
    itch, itch_cut = float(linked.eczema_itch[-1]), float(cut.eczema_itch[-1])
    assert itch_cut < itch < 1.25 * itch_cut  # in the right direction, and weak


# ---------------------------------------------------------------- the generated page ----------
def test_docs_mechanisms_page_is_up_to_date(network):
    page = (ROOT / "docs" / "mechanisms.md").read_text(encoding="utf-8")
    assert page == make_docs().mechanisms_markdown(network), \
        "regenerate with: python scripts/make_docs.py --only mechanisms"
