"""Practice-layer commands: `nicsim clinic instruments | score | report` and `nicsim diary
check | triggers | synthetic | fit | project`.

:func:`register` adds :data:`clinic_app` as the ``clinic`` group and :data:`diary_app` as ``diary``.
Errors a user can act on are :class:`~nicsim.errors.NicsimError` (a bad diary raises
:class:`~nicsim.clinic.diary.DiaryError` listing row, field, value and what is allowed) and are
printed by the main CLI without a traceback.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from nicsim.errors import NicsimError
from nicsim.io.output import write_json, write_text

clinic_app = typer.Typer(no_args_is_help=True, help="The practice layer: validated instruments, "
                         "client diary, triggers, projection and client reports.")
console = Console()
err = Console(stderr=True)

_ROLE_HELP = "your role: client, practitioner or clinician (PHQ-9 is for clinicians only)"


def _write_json(path: Path, data, what: str) -> None:
    """Write ``data`` as JSON (atomically, folders created) and say where."""
    console.print(f"{what}: {write_json(path, data, indent=1)}")


def _registry(wording: list[Path] | None):
    # lazy: the practice layer loads only for `nicsim clinic`; keeps --help fast
    from nicsim.clinic.instruments import default_registry

    reg = default_registry()
    return reg.with_wording(*wording) if wording else reg


def _read_answers(path: Path) -> dict:
    # lazy: the practice layer loads only for `nicsim clinic`; keeps --help fast
    from nicsim.clinic.instruments.registry import read_json_or_yaml

    data = read_json_or_yaml(path, "answers file")
    if isinstance(data, dict) and "answers" in data:
        data = data["answers"]
    if not isinstance(data, dict):
        raise NicsimError(f"{path}: expected a mapping item id -> answer (optionally under the "
                          "key 'answers')")
    return data


@clinic_app.command("instruments")
def instruments(role: str | None = typer.Option(None, "--role", help="only what this role may "
                                                "use (default: all, with who may use them)"),
                show: str | None = typer.Option(None, "--show", help="print one instrument's "
                                                "items, options, bands and licence"),
                wording: list[Path] | None = typer.Option(
                    None, "--wording", help="licensee wording file(s) to merge in"),
                template: Path | None = typer.Option(
                    None, "--template", help="with --show: write a licensee wording file to "
                    "fill in (YAML) for that instrument"),
                as_json: bool = typer.Option(False, "--json", help="machine-readable output")):
    """List the instrument registry with licence terms (or show one instrument)."""
    reg = _registry(wording)
    if template and not show:
        raise NicsimError("--template needs --show INSTRUMENT (the instrument to write it for)")
    if show and template:
        import yaml

        # lazy: the practice layer loads only for `nicsim clinic`; keeps --help fast
        from nicsim.clinic.instruments import wording_template

        inst = reg.get(show, role=role or "clinician")
        write_text(template, yaml.safe_dump(wording_template(inst), sort_keys=False,
                                            allow_unicode=True))
        console.print(f"wording template for {inst.short_name}: {template} (fill in every "
                      "text and the licence, then load it with --wording)")
        return
    if show:
        inst = reg.get(show, role=role or "clinician")
        if as_json:
            sys.stdout.write(json.dumps(inst.model_dump(mode="json"), indent=1) + "\n")
            return
        _print_instrument(inst)
        return
    items = reg.instruments(role=role) if role else reg.all_instruments()
    if as_json:
        sys.stdout.write(json.dumps([i.summary() for i in items], indent=1) + "\n")
        return
    console.print(f"[bold]{len(items)} instruments[/]" + (f" for role {role}" if role else ""))
    for i in items:
        s = i.summary()
        nc = " [yellow](wording for non-commercial use only)[/]" if s["non_commercial_only"] else ""
        console.print(f"[bold]{i.id}[/]  {i.name} ({i.short_name}); completed by the "
                      f"{i.respondent}; roles: {', '.join(i.roles)}; wording: {s['wording']}{nc}",
                      highlight=False)
        console.print(f"    licence: {i.licence.owner}. {i.licence.terms}", style="dim",
                      highlight=False)


def _print_instrument(inst) -> None:
    # lazy: the practice layer loads only for `nicsim clinic`; keeps --help fast
    from nicsim.clinic.instruments import LICENSEE_TEXT

    console.print(f"[bold]{inst.name}[/] ({inst.short_name}), recall: {inst.recall_period}; "
                  f"completed by the {inst.respondent}; roles: {', '.join(inst.roles)}",
                  highlight=False)
    if inst.instructions:
        console.print(inst.instructions, highlight=False)
    for item in inst.items:
        console.print(f"  [bold]{item.id}[/]: {item.text or LICENSEE_TEXT}"
                      + ("" if item.required else " (optional)"), highlight=False)
        console.print(f"      answer: {item.allowed()}", highlight=False)
    if inst.bands:
        console.print("bands: " + "; ".join(f"{b.min:g}-{b.max:g} {b.label}"
                                            for b in inst.bands), highlight=False)
    console.print(f"licence: {inst.licence.owner}. {inst.licence.terms}", highlight=False)
    console.print(f"[dim]{inst.licence.copyright}[/]", highlight=False)


@clinic_app.command("score")
def score(instrument: str = typer.Argument(..., help="instrument id (see `nicsim clinic "
                                           "instruments`)"),
          answers: list[str] | None = typer.Argument(
              None, help="answers as ITEM=VALUE (option code or its score), e.g. q1=2 q2=1"),
          file: Path | None = typer.Option(None, "--file", "-f", help="answers file (YAML or "
                                           "JSON mapping item id -> answer)"),
          role: str = typer.Option("practitioner", "--role", help=_ROLE_HELP),
          age: float | None = typer.Option(None, "--age", help="age in years (EASI's weights)"),
          wording: list[Path] | None = typer.Option(
              None, "--wording", help="licensee wording file(s) to merge in"),
          fhir_out: Path | None = typer.Option(None, "--fhir", help="write a FHIR R4B "
                                               "QuestionnaireResponse (JSON) here"),
          as_json: bool = typer.Option(False, "--json", help="print the result as JSON")):
    """Score one completed instrument: total, band, subscores and referral flags."""
    reg = _registry(wording)
    data: dict = _read_answers(file) if file else {}
    for a in answers or []:
        if "=" not in a:
            raise NicsimError(f"answer {a!r}: expected ITEM=VALUE, e.g. q1=2")
        k, v = a.split("=", 1)
        data[k.strip()] = v.strip()
    context = {"age_years": age} if age is not None else None
    result = reg.score(instrument, data, role=role, context=context)
    inst = reg.get(instrument, role=role)
    if fhir_out:
        # lazy: the practice layer loads only for `nicsim clinic`; keeps --help fast
        from nicsim.clinic.instruments import fhir

        qr = fhir.questionnaire_response(inst, result)
        write_text(fhir_out, qr.model_dump_json(indent=1))
    if as_json:
        sys.stdout.write(json.dumps(result.to_dict(), indent=1) + "\n")
    else:
        _print_result(inst, result)
        if fhir_out:
            console.print(f"FHIR QuestionnaireResponse: {fhir_out}")
    if not result.complete:
        raise typer.Exit(1)


def _print_result(inst, result) -> None:
    if result.total is not None:
        rng = (f" (range {result.score_range[0]:g}-{result.score_range[1]:g})"
               if result.score_range else "")
        band = f": {result.band}" if result.band else ""
        console.print(f"[bold]{inst.short_name} = {result.total:g}[/]{rng}{band}",
                      highlight=False)
    for k, v in result.subscores.items():
        console.print(f"  {k}: {'not scored' if v is None else f'{v:g}'}", highlight=False)
    if result.not_scored_reason:
        console.print(f"[red]{result.not_scored_reason}[/]", highlight=False)
    elif result.missing:
        console.print(f"[yellow]unanswered: {', '.join(result.missing)}; "
                      f"{result.missing_rule}[/]", highlight=False)
    for f in result.flags:
        colour = "red" if f.level in ("urgent", "refer") else "yellow"
        console.print(f"[bold {colour}]REFERRAL FLAG ({f.level})[/] {f.reason}: {f.message}",
                      highlight=False)
    console.print(f"[dim]{result.copyright}[/]", highlight=False)


# ============================================================================ nicsim diary
diary_app = typer.Typer(no_args_is_help=True, add_completion=False,
                        help="Client diary: check a file, find personal triggers, make a "
                             "virtual client's diary.")


@diary_app.command("check")
def diary_check(file: Path = typer.Argument(..., help="diary file (.csv or .json)"),
                as_json: bool = typer.Option(False, "--json", help="print the summary as JSON")):
    """Read a diary; print its period, recorded and missing days, or every problem found."""
    # lazy: the practice layer loads only for `nicsim clinic`; keeps --help fast
    from nicsim.clinic.diary import Diary

    d = Diary.read(file)
    s = d.summary()
    if as_json:
        console.print_json(json.dumps({**s, "missing_days": [x.isoformat()
                                                             for x in d.missing_days()]}))
        return
    console.print(f"[green]ok[/] {file}: client {s['client_id']}, {s['condition']} "
                  f"(severity scale {s['severity_scale']}), {s['start']} to {s['end']}: "
                  f"{s['n_days']} days, {s['n_recorded_days']} recorded, "
                  f"{s['n_missing_days']} missing, {s['n_records']} records", highlight=False)
    t = Table(title="records with a value")
    for f in s["records_with"]:
        t.add_column(f)
    t.add_row(*(str(v) for v in s["records_with"].values()))
    console.print(t)
    for k in ("triggers", "practices", "products"):
        console.print(f"{k}: {', '.join(s[k]) or '-'}", highlight=False)


@diary_app.command("triggers")
def diary_triggers(
        file: Path = typer.Argument(..., help="diary file (.csv or .json)"),
        outcome: str = typer.Option("severity", "--outcome",
                                    help="severity | itch | mood | stress | sleep_quality"),
        fdr: float = typer.Option(0.10, "--fdr", help="false-discovery rate for a claim"),
        errors: str = typer.Option("classical", "--errors", help="classical | hac"),
        plot: Path | None = typer.Option(None, "--plot", help="lag plot (.png)"),
        out: Path | None = typer.Option(None, "--json", help="write the full result (.json)")):
    """Personal triggers: which exposures are followed by worse or better skin, when, how much."""
    # lazy: the practice layer loads only for `nicsim clinic`; keeps --help fast
    from nicsim.clinic.diary import Diary
    from nicsim.clinic.triggers import find_triggers

    d = Diary.read(file)
    rep = find_triggers(d, outcome=outcome, fdr=fdr, errors=errors)
    t = Table(title=f"{d.client_id}: {rep.outcome_label}, {rep.n_days_analysable} analysable "
                    f"days, FDR {fdr:.0%}")
    for c in ("exposure", "days (exposed)", "strongest lag", "effect (95 % interval)", "q",
              "claim"):
        t.add_column(c)
    for r in rep.results:
        if r.status != "tested":
            t.add_row(r.label, f"{r.n_days} ({r.n_exposed})", "-", "not enough data", "-", "-")
            continue
        e = min(r.effects, key=lambda e: e.q)
        t.add_row(r.label, f"{r.n_days} ({r.n_exposed})", e.lag_text,
                  f"{e.estimate:+.2f} ({e.ci_low:+.2f} to {e.ci_high:+.2f})", f"{e.q:.3f}",
                  ("[red]worse[/]" if r.direction > 0 else "[green]better[/]")
                  if r.claimed else "")
    console.print(t)
    for r in rep.results:
        console.print(("* " if r.claimed else "  ") + r.sentence, highlight=False)
    console.print(f"method: {rep.method}. Minimum-data rule: {rep.rule.text()}.",
                  highlight=False)
    if plot:
        console.print(f"lag plot: {rep.plot(plot)}")
    if out:
        _write_json(out, rep.to_dict(), "result")


@diary_app.command("synthetic")
def diary_synthetic(
        out: Path = typer.Argument(..., help="diary file to write (.csv or .json)"),
        condition: str = typer.Option("eczema", "--condition",
                                      help="eczema | psoriasis | acne | rosacea | vitiligo"),
        days: int = typer.Option(90, "--days", help="diary length, 7 to 730 days"),
        seed: int = typer.Option(1, "--seed", help="random seed"),
        truth: Path | None = typer.Option(None, "--truth",
                                          help="write what was planted (.json)")):
    """A virtual client's diary generated by the model (planted triggers; see docs/clinic.md)."""
    # lazy: the practice layer loads only for `nicsim clinic`; keeps --help fast
    from nicsim.clinic.synthetic import VirtualClientSpec, simulate_clients

    spec = VirtualClientSpec(condition=condition, n_days=days)
    c = simulate_clients(spec, 1, rng=seed, progress=lambda s: err.print(s))[0]
    c.diary.write(out)
    console.print(f"diary: {out} ({len(c.diary.entries)} records, "
                  f"{len(c.diary.missing_days())} missing days)")
    if truth:
        _write_json(truth, c.truth, "truth")


def register(app: typer.Typer) -> None:
    """Add the ``clinic`` and ``diary`` groups to the main CLI."""
    app.add_typer(clinic_app, name="clinic")
    app.add_typer(diary_app, name="diary")


# ============================================================================ fit, project, report
def _client_or_diary(path: Path, condition: str | None):
    """(series before the plan, series after or None, profile, cortisol, plan, scale)."""
    # lazy: the practice layer loads only for `nicsim clinic`; keeps --help fast
    from nicsim.clinic.client import CLIENT_FILE, load_client
    from nicsim.clinic.diary import Diary
    from nicsim.clinic.projection import ClientProfile, DailySeries

    if path.is_dir() or path.name == CLIENT_FILE:
        c = load_client(path if path.is_dir() else path.parent)
        before, after = c.split()
        return before, after, c.profile, c.cortisol, c.plan, c.severity_scale or None
    d = Diary.read(path)
    cond = condition or d.condition
    return DailySeries.from_diary(d), None, ClientProfile(condition=cond), [], None, \
        d.severity_scale or None


@diary_app.command("fit")
def diary_fit(source: Path = typer.Argument(..., help="client folder (or a diary .csv/.json)"),
              condition: str | None = typer.Option(None, help="condition when SOURCE is a "
                                                    "diary file (default: the diary's)"),
              out: Path | None = typer.Option(None, "--out", "-o", help="write the fit (JSON)")):
    """Fit the client's personal parameters to her diary (days before the plan began)."""
    # lazy: the practice layer loads only for `nicsim clinic`; keeps --help fast
    from nicsim.clinic.projection import fit

    before, _, profile, cortisol, _, scale = _client_or_diary(source, condition)
    f = fit(before, profile, cortisol=cortisol, severity_scale=scale,
            progress=lambda m: err.print(f"[dim]{m}[/]", highlight=False))
    table = Table(title=f"Personal parameters ({len(before)} diary days, {f.seconds:.1f} s)")
    for col in ("parameter", "median", "80 % interval", "prior"):
        table.add_column(col)
    for s in f.summary().values():
        table.add_row(s["label"], f"{s['median']:.2f}", f"{s['lo80']:.2f}-{s['hi80']:.2f}",
                      f"median {s['prior_median']:g}, cv {s['prior_cv']:g}")
    console.print(table)
    console.print("noise SD: " + ", ".join(f"{k} {v:.2f}" for k, v in f.noise_sd.items()))
    if out:
        _write_json(out, f.to_dict(), "fit")


@diary_app.command("project")
def diary_project(source: Path = typer.Argument(..., help="client folder (or a diary file)"),
                  plan: Path | None = typer.Option(None, help="plan YAML (default: the client "
                                                   "folder's plan)"),
                  weeks: int = typer.Option(8, help="weeks ahead, 4 to 12"),
                  draws: int = typer.Option(40, help="projection draws"),
                  condition: str | None = typer.Option(None, help="condition for a diary file"),
                  seed: int = typer.Option(0, help="random seed"),
                  out: Path | None = typer.Option(None, "--out", "-o",
                                                  help="write the projection (JSON)")):
    """Project the next weeks under the plan and under no change; compare with the diary days
    recorded since the plan began (on course or not)."""
    # lazy: the practice layer loads only for `nicsim clinic`; keeps --help fast
    from nicsim.clinic.plan import CarePlan
    from nicsim.clinic.projection import compare, fit, project

    if not 4 <= weeks <= 12:
        raise NicsimError(f"--weeks: {weeks} is not allowed; expected 4 to 12")
    before, after, profile, cortisol, client_plan, scale = _client_or_diary(source, condition)
    the_plan = CarePlan.from_yaml(plan) if plan else client_plan
    say = lambda m: err.print(f"[dim]{m}[/]", highlight=False)  # noqa: E731
    f = fit(before, profile, cortisol=cortisol, severity_scale=scale, progress=say)
    p = project(f, the_plan, weeks=weeks, n_draws=draws, rng=seed, progress=say)
    table = Table(title=f"Projected weekly mean severity (80 % range), from {p.dates[0]}")
    table.add_column("week")
    for name in p.arms:
        table.add_column(name)
    bands = {n: a.weekly("severity") for n, a in p.arms.items()}
    for w in range(weeks):
        table.add_row(str(w + 1), *[f"{bands[n][1][w]:.1f} ({bands[n][0][w]:.1f}-"
                                    f"{bands[n][2][w]:.1f})" for n in p.arms])
    console.print(table)
    if after is not None:
        console.print(compare(p, after).sentence, highlight=False)
    if out:
        _write_json(out, p.to_dict(), "projection")


@clinic_app.command("report")
def clinic_report(client_dir: Path = typer.Argument(..., help="client folder (see "
                                                    "docs/clinic.md)"),
                  out: Path | None = typer.Option(None, "--out", "-o", help="output folder "
                                                  "(default: CLIENT_DIR/report)"),
                  pdf: bool = typer.Option(True, "--pdf/--no-pdf", help="also write a PDF"),
                  weeks: int = typer.Option(8, help="weeks projected, 4 to 12"),
                  seed: int = typer.Option(0, help="random seed of the projection")):
    """Client report (HTML and PDF): referral flags, scores, diary, triggers, plan, projected
    vs observed, with the wellness disclaimer."""
    # lazy: the practice layer loads only for `nicsim clinic`; keeps --help fast
    from nicsim.clinic.report import make_report, summary_lines

    if not 4 <= weeks <= 12:
        raise NicsimError(f"--weeks: {weeks} is not allowed; expected 4 to 12")
    res = make_report(client_dir, out, pdf=pdf, weeks=weeks, seed=seed,
                      progress=lambda m: err.print(f"[dim]{m}[/]", highlight=False))
    for line in summary_lines(res):
        style = "bold red" if line.startswith("REFERRAL") else ""
        console.print(f"[{style}]{line}[/]" if style else line, highlight=False)
