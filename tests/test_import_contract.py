"""The layer contract in .importlinter holds, covers every module, and is what the docs show."""

from __future__ import annotations

import configparser
import re
import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import make_layer_diagram  # noqa: E402


def test_lint_imports_keeps_every_contract():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    proc = subprocess.run([str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True,
                          encoding="utf-8", timeout=300)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert "0 broken" in proc.stdout


def _layer_names() -> set[str]:
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / ".importlinter", encoding="utf-8")
    text = cfg["importlinter:contract:layers"]["layers"]
    return {n.strip().strip("()") for n in re.split(r"[|:\n]", text) if n.strip()}


def test_every_module_belongs_to_a_layer():
    """A new package or top-level module must be placed in the contract, not slip past it."""
    graph = grimp.build_graph("nicsim")
    names = _layer_names()
    loose = sorted(m for m in graph.modules if m != "nicsim" and m != "nicsim.io"
                   and not any(m == n or m.startswith(n + ".") for n in names))
    assert not loose, f"modules in no layer of .importlinter: {loose}"


def test_the_architecture_doc_shows_the_contract():
    assert make_layer_diagram.main(["--check"]) == 0
    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    for names, _ in make_layer_diagram.read_layers():
        for name in names:
            assert name in doc
