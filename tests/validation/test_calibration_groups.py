"""The calibration-group table (nicsim calibrate): validation of the table, and (slow) one tiny
group fitted end to end."""

from __future__ import annotations

import copy
import math

import numpy as np
import pytest
import yaml

from nicsim.experiments import calibration as cal

PARAMS = {"barrier.lb_yield", "barrier.lb_synthesis_rate", "wound.sns_gain"}
ROWS = {"V11", "V12", "V12b", "V17", "V33", "V34"}

TABLE = {
    "defaults": {"objective": {"kind": "band", "centre_weight": 0.05},
                 "optimizer": {"method": "Nelder-Mead", "max_evaluations": 10},
                 "starts": 2, "seed": 1},
    "groups": {"g": {"file": "x.yaml", "fit_rows": ["V17"], "held_out": [],
                     "parameters": {"barrier.lb_yield": {"start": 0.08, "lower": 0.01,
                                                         "upper": 0.5}}}},
}


def parse(table):
    return cal.parse_groups(table, known_parameters=PARAMS, known_rows=ROWS)


def test_valid_table_parses_and_always_holds_out_the_prediction_rows():
    g = parse(TABLE)["g"]
    assert g.fit_rows == ("V17",)
    assert set(g.held_out) == {f"V{n}" for n in range(31, 38)} | {"V49", "V50", "V51", "V54"}
    assert g.starts == 2 and g.optimizer["max_evaluations"] == 10
    assert "V17" in g.objective_text()


def test_prediction_row_as_fit_row_is_refused():
    t = copy.deepcopy(TABLE)
    t["groups"]["g"]["fit_rows"] = ["V17", "V33"]
    with pytest.raises(cal.CalibrationTableError, match=r"V33 is a prediction row"):
        parse(t)


def test_unknown_parameter_id_is_named():
    t = copy.deepcopy(TABLE)
    t["groups"]["g"]["parameters"]["barrier.no_such_rate"] = {"start": 1, "lower": 0.1,
                                                              "upper": 10}
    with pytest.raises(cal.CalibrationTableError, match=r"unknown parameter id "
                                                        r"'barrier.no_such_rate'"):
        parse(t)


def test_fit_row_also_held_out_is_refused():
    t = copy.deepcopy(TABLE)
    t["groups"]["g"]["held_out"] = ["V17"]
    with pytest.raises(cal.CalibrationTableError, match=r"V17 are both fitted and held out"):
        parse(t)


def test_bad_bounds_and_unknown_rows_are_refused():
    t = copy.deepcopy(TABLE)
    t["groups"]["g"]["parameters"]["barrier.lb_yield"]["lower"] = 0.2  # above the start
    with pytest.raises(cal.CalibrationTableError, match="lower <= start"):
        parse(t)
    t = copy.deepcopy(TABLE)
    t["groups"]["g"]["fit_rows"] = ["V99"]
    with pytest.raises(cal.CalibrationTableError, match="unknown row 'V99'"):
        parse(t)


def test_bad_restarts_is_refused():
    bad = copy.deepcopy(TABLE)
    bad["groups"]["g"]["optimizer"] = {"restarts": -1}
    with pytest.raises(cal.CalibrationTableError, match="optimizer.restarts -1"):
        parse(bad)
    bad["groups"]["g"]["optimizer"] = {"restarts": 1.5}
    with pytest.raises(cal.CalibrationTableError, match="whole number"):
        parse(bad)
    ok = copy.deepcopy(TABLE)
    ok["groups"]["g"]["optimizer"] = {"restarts": 2}
    assert parse(ok)["g"].optimizer["restarts"] == 2


def test_shipped_table_is_valid_and_names_no_prediction_row_as_fit_row():
    groups = cal.load_groups()
    assert {"hpa", "immune", "wound", "psoriasis_distress", "barrier"} <= set(groups)
    for g in groups.values():
        assert not any(r in g.held_out for r in g.fit_rows)
        assert {f"V{n}" for n in range(31, 38)} <= set(g.held_out)


def test_cli_refuses_an_invalid_table(tmp_path):
    from typer.testing import CliRunner

    from nicsim.cli import app

    t = copy.deepcopy(TABLE)
    t["groups"]["g"]["fit_rows"] = ["V35"]
    path = tmp_path / "groups.yaml"
    path.write_text(yaml.safe_dump(t))
    r = CliRunner().invoke(app, ["calibrate", "--table", str(path), "--list"])
    assert r.exit_code != 0
    assert "V35 is a prediction row" in str(r.exception)


def test_a_table_that_is_not_yaml_or_not_there_is_refused_with_where_and_why(tmp_path):
    bad = tmp_path / "groups.yaml"
    bad.write_text("groups:\n  g:\n    description: fitted: twice\n")
    with pytest.raises(cal.CalibrationTableError,
                       match=r"groups.yaml is not valid YAML at line 3, column 24: mapping "
                             r"values are not allowed here \(a text containing ': ' must be"):
        cal.load_groups(bad)
    with pytest.raises(cal.CalibrationTableError, match=r"cannot read the calibration table "
                                                        r".*missing.yaml"):
        cal.load_groups(tmp_path / "missing.yaml")
    listed = tmp_path / "list.yaml"
    listed.write_text("- a\n- b\n")
    with pytest.raises(cal.CalibrationTableError, match="expected a mapping .* got list"):
        cal.load_groups(listed)


@pytest.mark.slow
def test_tiny_group_end_to_end(tmp_path):
    """Barrier group (V17), 2 starts of a few evaluations: fit, write with provenance, check."""
    pytest.importorskip("pypesto")
    g = cal.load_groups()["barrier"]
    res = cal.fit_group(g, starts=2, max_evaluations=8)
    assert len(res.per_start) == 2 and 1 <= res.reached_best <= 2
    assert res.best == min(s["fval"] for s in res.per_start)
    for p in g.parameters:
        assert p.lower <= res.values[p.id] <= p.upper
    (tmp_path / "default.d").mkdir()
    path = cal.write_fit(res, root=tmp_path)
    data = yaml.safe_load(path.read_text())
    prov = data["calibration"]["barrier"]
    assert prov["fit_rows"] == ["V17"] and "V33" in prov["held_out"]
    assert len(prov["multistart"]["best_per_start"]) == 2
    ends = prov["multistart"]["values_per_start"]
    assert [sorted(e) for e in ends] == [sorted(g.ids)] * 2
    assert [e[k] for e in ends for k in g.ids] == pytest.approx(
        [v for s in res.per_start for v in s["x"]], rel=1e-5)
    assert "pyPESTO" in prov["optimizer"] and prov["seed"] == g.seed
    assert "in log10), 2 start(s): the table's start, then uniform" in prov["optimizer"]
    assert data["fitted_to"] == ["V17"]
    # a re-fit with the same seed reproduces the written values exactly (within the tolerance)
    again = cal.fit_group(g, starts=2, max_evaluations=8)
    rows = cal.check_group(again, data["values"])
    assert all(r.ok for r in rows)
    # and a perturbed shipped value is caught
    bad = {k: v * 1.5 for k, v in data["values"].items()}
    assert not any(r.ok for r in cal.check_group(again, bad))
    assert all(math.isfinite(r.log10_ratio) for r in rows)


@pytest.mark.slow
def test_restarts_continue_from_the_best_point(monkeypatch):
    """optimizer.restarts: each start's Nelder-Mead is run again from its best point with a
    fresh simplex; the restarted start is never worse and spends more evaluations. Progress
    (best objective so far) is logged every PROGRESS_EVERY evaluations."""
    pytest.importorskip("pypesto")
    import dataclasses

    g = cal.load_groups()["barrier"]
    plain = cal.fit_group(g, starts=1, max_evaluations=6)
    g2 = dataclasses.replace(g, optimizer={**g.optimizer, "restarts": 1})
    monkeypatch.setattr(cal, "PROGRESS_EVERY", 4)
    logged: list[str] = []
    more = cal.fit_group(g2, starts=1, max_evaluations=6, log=logged.append)
    assert any(m.startswith("evaluation 4: best objective so far") for m in logged)
    assert any("restart 1/1" in m for m in logged)
    assert more.per_start[0]["x0"] == plain.per_start[0]["x0"]
    assert more.per_start[0]["n_fval"] > plain.per_start[0]["n_fval"]
    assert more.best <= plain.best
    assert "1 restart(s)" in more.optimizer_text and "restart" not in plain.optimizer_text


@pytest.mark.slow
def test_identifiability_same_in_worker_processes():
    """The curvature summary of the barrier group (V17) at its shipped optimum: symmetric H,
    finite SEs, cross-sections through the optimum; two worker processes give the same
    numbers as one."""
    import numpy as np

    from nicsim.parameter_sets import parameter_set_values

    g = cal.load_groups()["barrier"]
    shipped = parameter_set_values("default")
    values = {i: shipped[i] for i in g.ids}
    one = cal.identifiability(g, values, section_points=3, section_width=0.1)
    two = cal.identifiability(g, values, section_points=3, section_width=0.1, workers=2)
    assert np.array_equal(one.hessian, two.hessian)
    assert np.allclose(one.hessian, one.hessian.T)
    assert np.all(np.isfinite(one.se_log10)) and len(one.flags) == 2
    for pid in g.ids:
        d, y = one.sections[pid]
        assert np.array_equal(y, two.sections[pid][1], equal_nan=True)
        assert y[1] == pytest.approx(one.objective)  # the middle point is the optimum
        assert np.all(y[np.isfinite(y)] >= one.objective - 1e-9)


def test_cli_refuses_all_together_with_group():
    from typer.testing import CliRunner

    from nicsim.cli import app

    r = CliRunner().invoke(app, ["calibrate", "--all", "--group", "hpa", "--check"])
    assert r.exit_code != 0
    assert "--all and --group" in str(r.exception)


def test_writing_a_fit_makes_the_next_group_see_its_values(tmp_path):
    """`nicsim calibrate --all` fits the groups in order, each on the values written before it:
    writing a fit drops the cached parameter sets so that they are read again."""
    from nicsim.parameter_sets import load_parameter_set

    g = cal.load_groups()["breathing"]
    load_parameter_set("default")
    assert load_parameter_set.cache_info().currsize >= 1
    res = cal.FitResult(g, {"ans.breathing_training_gain": 0.3}, 0.0,
                        [{"start": 0, "fval": 0.0, "n_fval": 1, "x0": [0.25], "x": [0.3]}], 1,
                        {}, "test")
    (tmp_path / "default.d").mkdir()
    cal.write_fit(res, root=tmp_path)
    assert load_parameter_set.cache_info().currsize == 0


@pytest.mark.slow
def test_cli_all_runs_every_group_in_the_table_order(tmp_path):
    """--all takes the groups in the table's order (here a two-group table with the shipped
    neuro and breathing groups, neuro first: not alphabetical; --check writes nothing)."""
    pytest.importorskip("pypesto")
    from importlib import resources

    from typer.testing import CliRunner

    from nicsim.cli import app

    shipped = yaml.safe_load(resources.files("nicsim.experiments").joinpath(cal.TABLE)
                             .read_text(encoding="utf-8"))
    table = {"defaults": shipped["defaults"],
             "groups": {n: shipped["groups"][n] for n in ("neuro", "breathing")}}
    path = tmp_path / "two.yaml"
    path.write_text(yaml.safe_dump(table, sort_keys=False))  # keep the order: neuro first
    r = CliRunner().invoke(app, ["calibrate", "--table", str(path), "--all", "--check",
                                 "--starts", "1", "--max-evaluations", "3"])
    assert r.exit_code in (0, 1), r.output
    out = r.output
    assert "neuro: best objective" in out and "breathing: best objective" in out
    assert out.index("neuro: best objective") < out.index("breathing: best objective")


@pytest.mark.parametrize("jumpy", [True, False])
def test_a_flat_cross_section_overrides_a_local_curvature(monkeypatch, jumpy):
    """A cohort objective can be jumpy (counts): its central differences then look steep
    (SE 0.08 log10, 'identified') although it stays within +1 over the whole scan, as for
    acne.stress_gain. The cross-section overrides the flag; a truly curved objective keeps it.
    (The objective here is a formula standing in for a row's, to pin the rule.)"""
    import numpy as np

    g = cal.load_groups()["breathing"]
    pid = g.ids[0]
    x0 = 0.3

    def objective(values):
        u = math.log10(values[pid] / x0)
        if jumpy:
            return 0.7 + 0.2 * (1 - math.cos(2 * math.pi * u / 0.1))
        return 0.7 + 20 * u * u

    monkeypatch.setattr(cal, "make_objective", lambda group, base: (objective, {}))
    ident = cal.identifiability(g, {pid: x0}, base={})
    assert np.isfinite(ident.se_log10[0]) and ident.se_log10[0] < cal.SE_LIMIT
    if jumpy:
        assert ident.flags[0].startswith("not identified (objective within +1 over the whole")
    else:
        assert ident.flags[0] == "identified"


def test_slow_objectives_log_progress_by_time(monkeypatch):
    """A slow objective (minutes per evaluation) still shows progress: a line whenever
    PROGRESS_SECONDS have passed since the last one, not only every PROGRESS_EVERY evaluations.
    The group's row objective is replaced by a cheap quadratic so that only the optimiser and
    its progress lines run."""
    pytest.importorskip("pypesto")

    g = cal.load_groups()["barrier"]
    monkeypatch.setattr(cal, "make_objective", lambda group, base: (
        lambda values: sum(math.log10(v) ** 2 for v in values.values()), None))
    monkeypatch.setattr(cal, "PROGRESS_EVERY", 10_000)
    monkeypatch.setattr(cal, "PROGRESS_SECONDS", 0.0)
    logged: list[str] = []
    res = cal.fit_group(g, starts=1, max_evaluations=5, log=logged.append)
    lines = [m for m in logged if m.startswith("evaluation ")]
    assert lines[0].startswith("evaluation 1: best objective so far ")
    assert lines[1].startswith("evaluation 2: best objective so far ")
    assert len(lines) >= 5 and math.isfinite(res.best)
    monkeypatch.setattr(cal, "PROGRESS_SECONDS", 3600.0)
    quiet: list[str] = []
    cal.fit_group(g, starts=1, max_evaluations=5, log=quiet.append)
    assert not [m for m in quiet if m.startswith("evaluation ")]


def test_check_margin_is_the_room_to_the_nearest_edge():
    """Check.margin: positive inside the band (distance to the nearer edge, in the units of
    distance()), -distance() outside; one-sided bands measure against their one edge."""
    from nicsim.experiments.base import Check

    c = Check("m", 3.0, 2.0, 6.0, "x")          # width min(4, |2|) = 2: room 1 to the lower edge
    assert c.margin() == pytest.approx(0.5)
    assert Check("m", 5.0, 2.0, 6.0, "x").margin() == pytest.approx(1 / 4)  # min(4, 6) = 4
    out = Check("m", 1.0, 2.0, 6.0, "x")
    assert out.margin() == pytest.approx(-out.distance()) and out.distance() > 0
    assert Check("m", 2.02, 1.01, math.inf, "x").margin() == pytest.approx(1.0)
    assert Check("m", float("nan"), 0.0, 1.0, "x").margin() < 0
    assert Check("m", 3.0, -math.inf, math.inf, "x").margin() == math.inf


def test_margin_weight_prefers_the_value_farthest_from_failing(monkeypatch):
    """band objective with margin_weight: inside every band the objective falls as the smallest
    margin grows, so a fit between two checks that pull apart lands in the middle of the
    admissible range, not at an edge."""
    from nicsim.experiments.base import Check

    class Two:
        def run(self, parameters=None):
            x = parameters["x"]

            class R:
                checks = [Check("up", x, 1.0, 3.0, ""), Check("down", 4.0 - x, 1.5, 3.5, "")]
            return R()

    def f(x, **kw):
        return cal.band_objective([Two()], {"x": x}, centre_weight=0.0, **kw)

    assert f(1.2) == f(2.0) == 0.0                     # flat without the margin term
    g = {x: f(x, margin_weight=1.0) for x in (1.2, 1.5, 1.6, 1.75, 2.0, 2.4)}
    # smallest margin: "up" (x - 1)/1 below x = 1.6, "down" (2.5 - x)/1.5 above: equal at 1.6
    assert min(g, key=g.get) == 1.6 and g[1.6] == pytest.approx(-0.6)
    assert g[1.2] > g[1.5] > g[1.6] < g[1.75] < g[2.0] < g[2.4]
    assert f(0.5, margin_weight=1.0) > f(1.2, margin_weight=1.0)   # outside costs more


def test_bad_grid_is_refused():
    for bad_value, match in ((1, "optimizer.grid 1"), (2.5, "whole number >= 2"),
                             (-3, "optimizer.grid -3")):
        bad = copy.deepcopy(TABLE)
        bad["groups"]["g"]["optimizer"] = {"grid": bad_value}
        with pytest.raises(cal.CalibrationTableError, match=match):
            parse(bad)
    big = copy.deepcopy(TABLE)
    big["groups"]["g"]["parameters"]["barrier.lb_synthesis_rate"] = {
        "start": 0.1, "lower": 0.01, "upper": 2}
    big["groups"]["g"]["optimizer"] = {"grid": 15}
    with pytest.raises(cal.CalibrationTableError, match="225 points; at most 200"):
        parse(big)
    ok = copy.deepcopy(TABLE)
    ok["groups"]["g"]["optimizer"] = {"grid": 9}
    assert parse(ok)["g"].optimizer["grid"] == 9


def test_grid_finds_the_basin_a_simplex_at_the_start_misses(monkeypatch):
    """optimizer.grid: a bumpy objective with a local minimum at the table's start and the
    global one elsewhere. Nelder-Mead from the start stays in the local well; with a grid over
    the bounds the first start begins at the grid's best point and ends at the global minimum.
    The grid is recorded in the provenance and the optimiser text. The group's row objective is
    replaced by the two-well function so that only the optimiser runs."""
    pytest.importorskip("pypesto")
    import dataclasses

    def two_wells(values):
        lx = math.log10(values["barrier.lb_yield"])
        ly = math.log10(values["barrier.lb_synthesis_rate"])
        local = 0.5 + (lx - math.log10(0.08)) ** 2 + (ly - math.log10(0.1)) ** 2
        best = (lx - math.log10(0.3)) ** 2 + (ly - math.log10(1.0)) ** 2
        return min(local, best)

    monkeypatch.setattr(cal, "make_objective", lambda group, base: (two_wells, None))
    g = cal.load_groups()["barrier"]
    plain = cal.fit_group(dataclasses.replace(g, optimizer={**g.optimizer, "grid": 0}),
                          starts=1, max_evaluations=60)
    assert plain.best == pytest.approx(0.5, abs=1e-3)         # held in the start's well
    assert plain.grid is None and "grid" not in plain.provenance()
    # the record names the starts that ran (--starts 1), not the table's (3)
    assert g.starts == 3 and plain.provenance()["starts"] == 1
    logged: list[str] = []
    gridded = cal.fit_group(dataclasses.replace(g, optimizer={**g.optimizer, "grid": 5}),
                            starts=1, max_evaluations=60, log=logged.append)
    assert gridded.best < 1e-3
    assert gridded.values["barrier.lb_yield"] == pytest.approx(0.3, rel=0.02)
    assert gridded.values["barrier.lb_synthesis_rate"] == pytest.approx(1.0, rel=0.02)
    prov = gridded.provenance()
    assert prov["grid"]["points"] == 25 and prov["grid"]["per_parameter"] == 5
    assert prov["grid"]["best"] < 0.5
    assert gridded.per_start[0]["x0"] == pytest.approx(prov["grid"]["best_at"], rel=1e-5)
    assert "grid of 5" in gridded.optimizer_text and "the grid's best point" in prov["optimizer"]
    assert any(m.startswith("grid: 25 points") for m in logged)
    # the grid in two worker processes: the same numbers
    forked = cal.fit_group(dataclasses.replace(g, optimizer={**g.optimizer, "grid": 5}),
                           starts=1, max_evaluations=60, workers=2)
    assert forked.grid == gridded.grid and forked.values == gridded.values


def test_audit_compares_the_objective_at_the_shipped_values_with_the_record(monkeypatch,
                                                                             tmp_path):
    """--audit: one objective evaluation at the shipped values against the record's best
    objective. Current within AUDIT_TOLERANCE, out of date beyond it, and a part file without
    a record says so. The objective is replaced by a function of the parameter values so that
    only the audit runs."""
    g = cal.load_groups()["barrier"]
    (tmp_path / "default.d").mkdir()
    part = tmp_path / g.file

    def record(best):
        part.write_text(yaml.safe_dump({"name": "default", "values": {}, "calibration": {
            "barrier": {"best_objective": best}}}))

    base = {"barrier.lb_yield": 0.1, "barrier.lb_synthesis_rate": 0.2}
    monkeypatch.setattr(cal, "make_objective", lambda group, b: (
        lambda values: values["barrier.lb_yield"] + values["barrier.lb_synthesis_rate"], None))
    record(0.3 + cal.AUDIT_TOLERANCE / 2)
    row = cal.audit_group(g, base=base, root=tmp_path)
    assert row.ok and row.now == pytest.approx(0.3) and "record current" in row.describe()
    record(0.3 + 2 * cal.AUDIT_TOLERANCE)
    row = cal.audit_group(g, base=base, root=tmp_path)
    assert not row.ok and "OUT OF DATE" in row.describe()
    assert "nicsim calibrate --group barrier" in row.describe()
    part.write_text(yaml.safe_dump({"name": "default", "values": {}}))
    row = cal.audit_group(g, base=base, root=tmp_path)
    assert not row.ok and row.recorded is None and "no pipeline record" in row.describe()


def test_cli_audit_exits_1_on_an_out_of_date_record(monkeypatch):
    """`nicsim calibrate --audit`: prints one line per group and exits 1 when one is out of
    date; refuses --audit together with --check."""
    from typer.testing import CliRunner

    from nicsim.cli import app

    def fake(group, **kw):
        return cal.AuditRow(group.name, 0.5, 0.9 if group.name == "neuro" else 0.5,
                            group.name != "neuro")

    monkeypatch.setattr(cal, "audit_group", fake)
    r = CliRunner().invoke(app, ["calibrate", "--audit", "--group", "barrier"])
    assert r.exit_code == 0, r.output
    assert "barrier: recorded best objective 0.5" in r.output and "every record current" in r.output
    r = CliRunner().invoke(app, ["calibrate", "--audit", "--group", "barrier", "--group", "neuro"])
    assert r.exit_code == 1
    assert "neuro: recorded best objective 0.5, at the shipped values now 0.9" in r.output
    assert "OUT OF DATE" in r.output
    r = CliRunner().invoke(app, ["calibrate", "--audit", "--check", "--group", "barrier"])
    assert r.exit_code != 0 and "separate runs" in str(r.exception)


def test_batch_evaluation_logs_progress_by_time(monkeypatch):
    """The batch behind a grid and --identifiability (one process or several) logs a progress
    line whenever PROGRESS_SECONDS have passed, not only every PROGRESS_EVERY points; the values
    come back in order either way."""
    monkeypatch.setattr(cal, "PROGRESS_EVERY", 10_000)
    monkeypatch.setattr(cal, "PROGRESS_SECONDS", 0.0)
    points = [float(k) for k in range(5)]
    for workers in (1, 2):
        logged: list[str] = []
        ys = cal._evaluate_all(lambda x: x * x, points, workers, logged.append)
        assert ys == [x * x for x in points]
        assert logged == [f"evaluation {k} of 5" for k in range(1, 6)]
    monkeypatch.setattr(cal, "PROGRESS_SECONDS", 3600.0)
    quiet: list[str] = []
    cal._evaluate_all(lambda x: x, points, 2, quiet.append)
    assert quiet == []


def test_group_section_shows_where_each_start_ended():
    """Two starts at nearly the same objective with values far apart: the docs section lists
    each start's end values and their spread (the immune group's second start)."""
    from nicsim.cli.calibrate import group_markdown

    g = cal.load_groups()["barrier"]
    k = len(g.ids)
    values = {p.id: p.start for p in g.parameters}
    ident = cal.Identifiability(
        g, values, 0.01, np.eye(k), np.full(k, 0.1), np.eye(k), ["identified"] * k,
        {i: (np.array([-0.5, 0.0, 0.5]), np.array([2.0, 0.01, 2.0])) for i in g.ids})
    ends = [values, {i: 3 * v for i, v in values.items()}]
    prov = {"date": "2026-12-08", "code_version": "x", "starts": 2, "seed": 1,
            "best_objective": 0.01, "multistart": {
                "best_per_start": [0.01, 0.0102], "evaluations_per_start": [9, 9],
                "values_per_start": ends, "reached_best": 2}}
    text = group_markdown(g, ident, prov)
    first = g.ids[0]
    assert (f"`{first}` {values[first]:.4g}, {3 * values[first]:.4g} (3 x)") in text
    assert "Not a minimum" not in text
    # a cross-section below the optimum is reported with where and how low
    dip = cal.Identifiability(
        g, values, 0.01, np.eye(k), np.full(k, 0.1), np.eye(k), ["identified"] * k,
        {**ident.sections, first: (np.array([-0.5, 0.0, 0.5]), np.array([2.0, 0.01, 0.009]))})
    assert (f"Not a minimum along `{first}` (objective 0.009 at +0.5 log10, "
            f"{values[first] * 10 ** 0.5:.4g})") in group_markdown(g, dip, prov)
    # one start: no such line
    one = {**prov, "starts": 1, "multistart": {**prov["multistart"], "values_per_start": ends[:1]}}
    assert "Where each start ended" not in group_markdown(g, ident, one)
