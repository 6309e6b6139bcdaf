"""Parameter tables generated from the declarations (Markdown or TSV)."""

from __future__ import annotations

from nicsim.core.sources import PROVENANCE_CATEGORIES, Fitted, provenance_category
from nicsim.model import build_network
from nicsim.parameter_sets import parameter_set_values


def parameter_rows(network=None, parameter_set: str = "default", module: str | None = None):
    """One dict per parameter: id, value (effective), declared value, unit, source, doc and
    domain (allowed values, :mod:`nicsim.core.domains`)."""

    network = network or build_network()
    calibrated = parameter_set_values(parameter_set)
    rows = []
    for p in network.parameters():
        if module and p.module != module:
            continue
        value = calibrated.get(p.id, p.value)
        rows.append({
            "id": p.id, "value": value, "declared": p.value, "unit": p.unit,
            "source_kind": p.source.kind, "provenance": provenance_category(p.source),
            "source": p.source.describe(),
            "calibrated": p.id in calibrated or isinstance(p.source, Fitted),
            "bounds": p.bounds, "doc": p.doc,
            "domain": p.domain.describe(p.unit).removeprefix("a finite number "),
            "variability": p.distribution.describe() if p.distribution else "",
        })
    return rows


def _fmt(v: float) -> str:
    return f"{v:.4g}"


def to_markdown(rows) -> str:
    lines = ["| parameter | value | unit | source | description |", "|---|---|---|---|---|"]
    for r in rows:
        val = _fmt(r["value"])
        if r["value"] != r["declared"]:
            val += f" (prior {_fmt(r['declared'])})"
        desc = r["doc"] + (f"; between-person {r['variability']}" if r["variability"] else "")
        lines.append(f"| `{r['id']}` | {val} | {r['unit']} | {r['source'].replace('|', '/')} | "
                     f"{desc.replace('|', '/')} |")
    return "\n".join(lines) + "\n"


def to_tsv(rows) -> str:
    cols = ["id", "value", "declared", "unit", "domain", "source_kind", "source", "doc"]
    out = ["\t".join(cols)]
    for r in rows:
        out.append("\t".join(str(r[c]).replace("\t", " ") for c in cols))
    return "\n".join(out) + "\n"


def provenance_summary(network=None, module: str | None = None) -> list[dict]:
    """Share of parameters by where their value comes from: one dict per category of
    :data:`nicsim.core.sources.PROVENANCE_CATEGORIES` (measured human value, value from
    another published model, derived, assumption, fitted), with ``count`` and ``share``."""

    network = network or build_network()
    params = [p for p in network.parameters() if not module or p.module == module]
    counts = dict.fromkeys(PROVENANCE_CATEGORIES, 0)
    for p in params:
        counts[provenance_category(p.source)] += 1
    n = len(params)
    return [{"category": k, "label": PROVENANCE_CATEGORIES[k], "count": c,
             "share": c / n if n else 0.0} for k, c in counts.items()]


def summary_markdown(summary: list[dict]) -> str:
    total = sum(r["count"] for r in summary)
    lines = ["| source of the value | parameters | share |", "|---|---|---|"]
    for r in summary:
        lines.append(f"| {r['label']} | {r['count']} | {100 * r['share']:.1f} % |")
    lines.append(f"| all | {total} | 100 % |")
    return "\n".join(lines) + "\n"
