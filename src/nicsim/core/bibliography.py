"""A small BibTeX reader: enough to resolve keys and print short citations."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

_ENTRY = re.compile(r"@(\w+)\s*\{\s*([^,\s]+)\s*,", re.MULTILINE)
_FIELD = re.compile(r"(\w+)\s*=\s*[{\"]", re.MULTILINE)


@dataclass(frozen=True)
class Reference:
    key: str
    kind: str
    fields: dict

    def short(self) -> str:
        author = self.fields.get("author", "?").split(" and ")[0].split(",")[0].strip()
        more = " et al." if " and " in self.fields.get("author", "") else ""
        return f"{author}{more} {self.fields.get('year', 'n.d.')}"

    def full(self) -> str:
        f = self.fields
        parts = [f.get("author", ""), f"({f.get('year', 'n.d.')})", f.get("title", "")]
        venue = f.get("journal") or f.get("booktitle") or f.get("publisher") or ""
        if venue:
            parts.append(venue)
        if f.get("doi"):
            parts.append(f"doi:{f['doi']}")
        return ". ".join(p.strip().rstrip(".") for p in parts if p) + "."


def _read_braced(text: str, i: int) -> tuple[str, int]:
    opener = text[i]
    if opener == '"':
        j = text.index('"', i + 1)
        return text[i + 1 : j], j + 1
    depth, j = 0, i
    while j < len(text):
        if text[j] == "{":
            depth += 1
        elif text[j] == "}":
            depth -= 1
            if depth == 0:
                return text[i + 1 : j], j + 1
        j += 1
    raise ValueError("unbalanced braces in BibTeX field")


def parse_bibtex(text: str) -> dict[str, Reference]:
    refs: dict[str, Reference] = {}
    matches = list(_ENTRY.finditer(text))
    for n, m in enumerate(matches):
        end = matches[n + 1].start() if n + 1 < len(matches) else len(text)
        body = text[m.end() : end]
        fields = {}
        pos = 0
        while True:
            fm = _FIELD.search(body, pos)
            if not fm:
                break
            value, pos = _read_braced(body, fm.end() - 1)
            fields[fm.group(1).lower()] = " ".join(value.replace("{", "").replace("}", "").split())
        refs[m.group(2)] = Reference(m.group(2), m.group(1).lower(), fields)
    return refs


@lru_cache(maxsize=4)
def load_bibliography(path: str | None = None) -> dict[str, Reference]:
    """The package's references (every ``nicsim/model/*.bib``) or one other file."""
    if path is not None:
        return parse_bibtex(Path(path).read_text("utf-8"))
    refs: dict[str, Reference] = {}
    folder = resources.files("nicsim.model")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".bib"):
            refs.update(parse_bibtex(entry.read_text("utf-8")))
    return refs
