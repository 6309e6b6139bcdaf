import pytest
import sympy as sp

from nicsim.checks import lint
from nicsim.core import Assumption, Literature, Module, Network
from nicsim.core.bibliography import parse_bibtex
from nicsim.core.lint import CheckPorts, CheckReferences, CheckUnits
from nicsim.core.motifs import hill_down, hill_up
from nicsim.core.units import canonical_unit, parse_quantity, to_canonical
from nicsim.errors import ModelError, ScenarioError, UnitError


def test_canonical_time_is_hours():
    assert to_canonical(20.0, "min")[0] == pytest.approx(1 / 3)
    assert to_canonical(1.0, "1/min")[0] == pytest.approx(60.0)
    assert str(canonical_unit("nmol/L/min")) == "nanomole / hour / liter"
    # a clinical unit that is not a time unit stays as declared
    assert to_canonical(8.5, "bpm/degC")[0] == 8.5


def test_parse_quantity_errors_name_the_field():
    assert parse_quantity("2 ng/kg", field="dose", dimension="ng/kg").magnitude == 2
    with pytest.raises(ScenarioError, match="dose"):
        parse_quantity("2 mg", field="dose", dimension="ng/kg")


def _decay_module(rate_unit_ok=True):
    m = Module("toy", "toy")
    x = m.state("x", 10.0, "nmol/L")
    k = m.parameter("half_life", 30.0, "min", Assumption("test"))
    bad = m.parameter("inflow", 1.0, "pmol/L/hour", Assumption("test"))
    rate = -sp.log(2) / k * x + (0 if rate_unit_ok else bad)
    m.rate(x, rate)
    return m


def test_unit_checker_accepts_consistent_and_rejects_missing_conversion():
    assert Network([_decay_module(True)]).check_units() == []
    problems = Network([_decay_module(False)]).check_units()
    assert problems and "conversion factor" in problems[0]


def test_symbolic_hill_exponent_needs_dimensionless_base():
    m = Module("h", "h")
    x = m.state("x", 1.0, "nmol/L")
    n = m.parameter("n", 2.0, "dimensionless", Assumption("t"))
    k = m.parameter("k", 1.0, "nmol/L", Assumption("t"))
    m.rate(x, -x / m.parameter("tau", 1.0, "hour", Assumption("t")) * x**n / k**n)
    assert Network([m]).check_units()  # x**n with x in nmol/L is rejected
    m2 = Module("h", "h")
    x2 = m2.state("x", 1.0, "nmol/L")
    n2 = m2.parameter("n", 2.0, "dimensionless", Assumption("t"))
    k2 = m2.parameter("k", 1.0, "nmol/L", Assumption("t"))
    tau = m2.parameter("tau", 1.0, "hour", Assumption("t"))
    m2.rate(x2, -x2 / tau * hill_up(x2, k2, n2) * hill_down(x2, k2, n2))
    assert Network([m2]).check_units() == []


def test_unconnected_port_and_unknown_reference_are_lint_errors():
    m = Module("a", "a")
    x = m.state("x", 1.0, "dimensionless")
    sig = m.input("missing_signal", "dimensionless")
    k = m.parameter("k", 1.0, "1/hour", Literature("no_such_key_2099"))
    m.rate(x, -k * x * sig)
    net = Network([m])
    assert any("not connected" in i.message for i in CheckPorts().run(net, {}))
    issues = CheckReferences().run(net, {"bibliography": {}})
    assert any("no_such_key_2099" in i.message for i in issues)
    assert CheckUnits().run(net, {})  # unconnected input is also reported by the unit check
    with pytest.raises(ModelError, match="not connected"):
        net.compile()


def test_undeclared_symbol_is_rejected():
    m = Module("a", "a")
    x = m.state("x", 1.0, "dimensionless")
    m.rate(x, -sp.Symbol("stranger") * x)
    with pytest.raises(ModelError, match="stranger"):
        Network([m]).compile()


def test_parameter_needs_structured_source():
    m = Module("a", "a")
    with pytest.raises(ModelError, match="source"):
        m.parameter("k", 1.0, "1/hour", "a paper I read")


def test_bad_unit_string_is_rejected():
    m = Module("a", "a")
    with pytest.raises(UnitError):
        m.state("x", 1.0, "furlongs per fortnight squared banana")


def test_bibtex_parser_reads_keys_and_fields():
    refs = parse_bibtex("@article{a2020,\n author = {Doe, J. and Roe, R.},\n title = {A "
                        "{T}itle},\n year = {2020}\n}\n@book{b, title = \"B\", year = 1999}")
    assert set(refs) == {"a2020", "b"}
    assert refs["a2020"].short() == "Doe et al. 2020"
    assert refs["a2020"].fields["title"] == "A Title"


def test_default_model_lint_is_clean():
    issues = lint()
    errors = [str(i) for i in issues if i.level == "error"]
    assert errors == []
