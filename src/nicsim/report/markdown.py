"""Markdown pieces shared by the reports: table cells and tables."""

from __future__ import annotations

from collections.abc import Iterable, Sequence


def md_cell(value: object) -> str:
    """``value`` as text that stays inside one Markdown table cell (``|`` escaped, line breaks
    as spaces)."""
    return str(value).replace("|", "\\|").replace("\n", " ")


def md_table(header: Sequence[object], rows: Iterable[Sequence[object]]) -> str:
    """A Markdown table (GitHub flavour) of ``header`` and ``rows``, every cell through
    :func:`md_cell`."""
    out = ["| " + " | ".join(md_cell(h) for h in header) + " |",
           "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(md_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(out)


__all__ = ["md_cell", "md_table"]
