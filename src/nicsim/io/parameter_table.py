"""Parameter tables generated from the declarations (Markdown or TSV)."""

from __future__ import annotations

from nicsim.core.sources import Fitted


def parameter_rows(network=None, parameter_set: str = "default", module: str | None = None):
    """One dict per parameter: id, value (effective), declared value, unit, source, doc and
    domain (allowed values, :mod:`nicsim.core.domains`)."""
    from nicsim.model import build_network
    from nicsim.parameter_sets import parameter_set_values

    network = network or build_network()
    calibrated = parameter_set_values(parameter_set)
    rows = []
    for p in network.parameters():
        if module and p.module != module:
            continue
        value = calibrated.get(p.id, p.value)
        rows.append({
            "id": p.id, "value": value, "declared": p.value, "unit": p.unit,
            "source_kind": p.source.kind, "source": p.source.describe(),
            "calibrated": p.id in calibrated or isinstance(p.source, Fitted),
            "bounds": p.bounds, "doc": p.doc,
            "domain": p.domain.describe(p.unit).removeprefix("a finite number "),
            "variability": f"log-normal CV {p.distribution.cv:g}" if p.distribution else "",
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
