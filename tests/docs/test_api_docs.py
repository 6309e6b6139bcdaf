"""docs/api.md, the API reference, lists exactly ``nicsim.__all__`` and is what
scripts/make_api_docs.py writes from today's docstrings."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

import nicsim

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import make_api_docs  # noqa: E402

PAGE = ROOT / "docs" / "api.md"


def test_page_lists_exactly_the_public_surface():
    names = re.findall(r"^### `nicsim\.(\w+)`$", PAGE.read_text(encoding="utf-8"), flags=re.M)
    assert len(names) == len(set(names)), "a name has two sections"
    assert sorted(names) == sorted(nicsim.__all__)


def test_page_is_current():
    assert PAGE.read_text(encoding="utf-8") == make_api_docs.render(), \
        "docs/api.md is out of date: run python scripts/make_api_docs.py"


def test_check_mode_reports_a_stale_page(tmp_path, monkeypatch):
    stale = tmp_path / "api.md"
    stale.write_text(make_api_docs.render().replace("## Export", "## Exports"), encoding="utf-8")
    monkeypatch.setattr(make_api_docs, "PAGE", stale)
    assert make_api_docs.main(["--check"]) == 1


def test_docstring_and_all_must_agree(monkeypatch):
    monkeypatch.setattr(nicsim, "__all__", [*nicsim.__all__, "run_loop"])
    with pytest.raises(SystemExit, match=r"not listed \['run_loop'\]"):
        make_api_docs.api_groups()


@pytest.mark.parametrize("doc", ["README.md", "docs/architecture.md"])
def test_linked(doc):
    assert re.search(r"\]\((docs/)?api\.md\)", (ROOT / doc).read_text(encoding="utf-8")), \
        f"{doc} does not link the API reference"
