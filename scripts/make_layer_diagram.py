"""Write the layer diagram of docs/architecture.md from the import contract in .importlinter.

The contract (checked by ``lint-imports``) is the source of truth; this script renders its
layers contract as a Mermaid flowchart between the markers ``<!-- layers:begin -->`` and
``<!-- layers:end -->``. ``make docs`` runs it; ``tests/test_import_contract.py`` checks that
the document shows what the contract says.

    python scripts/make_layer_diagram.py          # rewrite the block in docs/architecture.md
    python scripts/make_layer_diagram.py --check  # exit 1 if the block is out of date
"""

from __future__ import annotations

import argparse
import configparser
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONTRACT = ROOT / ".importlinter"
DOC = ROOT / "docs" / "architecture.md"
BEGIN = "<!-- layers:begin (generated from .importlinter by scripts/make_layer_diagram.py) -->"
END = "<!-- layers:end -->"


def read_layers(path: Path = CONTRACT) -> list[tuple[list[str], bool]]:
    """The layers contract's layers, top first: (module names, independent siblings?).

    Optional names (in parentheses) are left out; they are names that may not exist."""
    cfg = configparser.ConfigParser()
    cfg.read(path, encoding="utf-8")
    sections = [s for s in cfg.sections() if cfg[s].get("type") == "layers"]
    if len(sections) != 1:
        raise SystemExit(f"{path}: expected exactly one layers contract, found {len(sections)}")
    layers = []
    for line in cfg[sections[0]]["layers"].strip().splitlines():
        independent = ":" not in line
        names = [n.strip() for n in re.split(r"[|:]", line)]
        layers.append(([n for n in names if not n.startswith("(")], independent))
    return layers


def mermaid(layers: list[tuple[list[str], bool]]) -> str:
    """A flowchart: one box per layer, top to bottom, an arrow meaning "may import"."""
    out = ["```mermaid", "flowchart TD"]
    for i, (names, independent) in enumerate(layers):
        sep = " | " if independent and len(names) > 1 else "<br/>"
        label = sep.join(n for n in names)
        out.append(f'    L{i}["{label}"]')
    for i in range(len(layers) - 1):
        out.append(f"    L{i} --> L{i + 1}")
    out.append("```")
    return "\n".join(out)


def render(doc_text: str, block: str) -> str:
    if BEGIN not in doc_text or END not in doc_text:
        raise SystemExit(f"{DOC}: the markers {BEGIN!r} and {END!r} are missing")
    head, rest = doc_text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{BEGIN}\n{block}\n{END}{tail}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if the diagram is out of date")
    args = ap.parse_args(argv)
    text = DOC.read_text(encoding="utf-8")
    new = render(text, mermaid(read_layers()))
    if args.check:
        if new != text:
            print(f"{DOC.relative_to(ROOT)}: the layer diagram differs from .importlinter; run "
                  "python scripts/make_layer_diagram.py", file=sys.stderr)
            return 1
        return 0
    if new != text:
        DOC.write_text(new, encoding="utf-8")
        print(f"wrote {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
