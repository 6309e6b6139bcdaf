"""docs/scenarios.md carries the person table, the event table and the inputs/jump-targets
paragraph exactly as generated from the trait table and the event registry
(`python scripts/make_docs.py --only scenarios` rewrites them)."""

from __future__ import annotations

from pathlib import Path

import pytest

from nicsim.protocols.events import event_table_markdown, inputs_markdown
from nicsim.protocols.traits import traits_markdown

DOC = Path(__file__).resolve().parents[2] / "docs" / "scenarios.md"


@pytest.mark.parametrize("name, generate", [("traits", traits_markdown),
                                            ("events", event_table_markdown),
                                            ("inputs", inputs_markdown)])
def test_scenarios_doc_contains_the_generated_text(name, generate):
    text = DOC.read_text(encoding="utf-8")
    begin = text.index(f"<!-- BEGIN generated: {name} ")
    body = text[text.index("\n", begin) + 1:text.index(f"<!-- END generated: {name} -->")]
    assert body == generate(), (f"docs/scenarios.md block {name!r} is stale; run "
                                "python scripts/make_docs.py --only scenarios")
