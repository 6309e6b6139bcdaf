"""The layer contract in .importlinter holds, covers every module, and is what the docs show."""

from __future__ import annotations

import ast
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


def _function_level_nicsim_imports(path: Path):
    """(line, annotated) of each import of a nicsim module inside a function of ``path``.

    An import is annotated when ``# lazy:`` stands on its line or on the line above, or when it
    directly follows an annotated import in the same block (one reason covers a group)."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()

    def is_nicsim(node) -> bool:
        if isinstance(node, ast.ImportFrom):
            return node.level > 0 or (node.module or "").split(".")[0] == "nicsim"
        return any(alias.name.split(".")[0] == "nicsim" for alias in node.names)

    def has_reason(node) -> bool:
        own = lines[node.lineno - 1:node.end_lineno]
        above = lines[node.lineno - 2] if node.lineno > 1 else ""
        return any("# lazy:" in line for line in own) or above.lstrip().startswith("# lazy:")

    found = []

    def visit(node, in_function: bool):
        for block in (v for _, v in ast.iter_fields(node) if isinstance(v, list)):
            previous_annotated = None
            for child in block:
                if not isinstance(child, ast.AST):
                    continue
                if in_function and isinstance(child, ast.Import | ast.ImportFrom) \
                        and is_nicsim(child):
                    annotated = has_reason(child) or (
                        previous_annotated is not None
                        and previous_annotated.end_lineno == child.lineno - 1)
                    found.append((child.lineno, annotated))
                    previous_annotated = child if annotated else None
                else:
                    previous_annotated = None
                visit(child, in_function or isinstance(child, ast.FunctionDef
                                                       | ast.AsyncFunctionDef))

    visit(ast.parse(source), False)
    return found


def test_function_level_imports_of_nicsim_say_why():
    """An import of a nicsim module inside a function hides a layer edge from the reader; it is
    allowed only for a cycle or a heavy optional dependency, and says which (``# lazy: ...``)."""
    unexplained = [f"{path.relative_to(ROOT)}:{line}"
                   for path in sorted((ROOT / "src" / "nicsim").rglob("*.py"))
                   for line, annotated in _function_level_nicsim_imports(path) if not annotated]
    assert not unexplained, ("imports of nicsim inside functions without a `# lazy: <reason>` "
                             f"comment (move them to the module top, or give the reason): "
                             f"{unexplained}")


def test_the_lazy_import_rule_sees_an_unexplained_import(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n"
                      "    # lazy: a cycle\n"
                      "    from nicsim.model import build_network\n"
                      "    from nicsim.protocols import Scenario\n"
                      "\n"
                      "    from nicsim.errors import ModelError\n"
                      "    import json\n"
                      "    return build_network, Scenario, ModelError, json\n", encoding="utf-8")
    assert _function_level_nicsim_imports(module) == [(3, True), (4, True), (6, False)]
