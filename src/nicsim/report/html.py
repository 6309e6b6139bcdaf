"""A small, dependency-free HTML page builder for nicsim reports.

A :class:`Page` collects blocks (headings, paragraphs, tables, figures, preformatted text) and
renders one self-contained HTML5 document with a short embedded style sheet. Figures are linked
by *relative* ``<img>`` paths so that a report directory can be moved or zipped as a whole; no
external assets and no JavaScript are used. All text is HTML-escaped unless passed as
:class:`Raw`.
"""

from __future__ import annotations

import html as _html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from nicsim.io.output import write_text

CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
       max-width: 72rem; margin: 2rem auto; padding: 0 1rem; color: #1d1d1f; line-height: 1.45; }
h1 { font-size: 1.7rem; border-bottom: 2px solid #ddd; padding-bottom: .3rem; }
h2 { font-size: 1.3rem; margin-top: 2.2rem; border-bottom: 1px solid #eee; }
h3 { font-size: 1.1rem; margin-top: 1.6rem; }
table { border-collapse: collapse; margin: .8rem 0; font-size: .9rem; }
th, td { border: 1px solid #ccc; padding: .25rem .5rem; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.pass td.status, span.pass { color: #11752b; font-weight: 600; }
tr.fail td.status, span.fail { color: #b3261e; font-weight: 600; }
tr.xfail td.status, span.xfail { color: #9a5b00; font-weight: 600; }
tr.fail { background: #fdf0ef; }
tr.xfail { background: #fff7e6; }
figure { margin: 1rem 0; }
figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { font-size: .85rem; color: #555; }
pre { background: #f7f7f7; padding: .6rem; overflow-x: auto; font-size: .85rem; }
.summary { font-size: 1.15rem; font-weight: 600; }
.note { background: #fff8d6; border-left: 4px solid #e0b400; padding: .5rem .8rem; }
.meta { color: #555; font-size: .9rem; }
"""


@dataclass(frozen=True)
class Raw:
    """Trusted HTML inserted verbatim (e.g. a link built with :func:`link`)."""

    html: str

    def __str__(self) -> str:
        return self.html


def esc(value: object) -> str:
    """HTML-escape any value (``Raw`` passes through unchanged)."""
    if isinstance(value, Raw):
        return value.html
    return _html.escape("" if value is None else str(value), quote=True)


def link(href: str, text: object) -> Raw:
    return Raw(f'<a href="{esc(href)}">{esc(text)}</a>')


def span(text: object, css_class: str) -> Raw:
    return Raw(f'<span class="{esc(css_class)}">{esc(text)}</span>')


@dataclass
class Cell:
    """A table cell with an optional CSS class (``num`` right-aligns numbers)."""

    value: object
    css_class: str = ""


@dataclass
class Page:
    """An HTML document assembled block by block; ``render()`` returns the text."""

    title: str
    blocks: list[str] = field(default_factory=list)
    css: str = CSS

    # ------------------------------------------------------------------ blocks
    def heading(self, text: object, level: int = 2, anchor: str | None = None) -> Page:
        level = min(max(int(level), 1), 6)
        ident = f' id="{esc(anchor)}"' if anchor else ""
        self.blocks.append(f"<h{level}{ident}>{esc(text)}</h{level}>")
        return self

    def paragraph(self, text: object, css_class: str = "") -> Page:
        cls = f' class="{esc(css_class)}"' if css_class else ""
        self.blocks.append(f"<p{cls}>{esc(text)}</p>")
        return self

    def bullets(self, items: Iterable[object]) -> Page:
        lis = "".join(f"<li>{esc(i)}</li>" for i in items)
        self.blocks.append(f"<ul>{lis}</ul>")
        return self

    def pre(self, text: object) -> Page:
        self.blocks.append(f"<pre>{esc(text)}</pre>")
        return self

    def raw(self, markup: str) -> Page:
        self.blocks.append(markup)
        return self

    def table(self, header: Sequence[object], rows: Iterable[Sequence[object]],
              row_classes: Sequence[str] | None = None, caption: str | None = None) -> Page:
        """A table; a cell may be a plain value, :class:`Raw` or :class:`Cell`."""
        out = ["<table>"]
        if caption:
            out.append(f"<caption>{esc(caption)}</caption>")
        out.append("<thead><tr>" + "".join(f"<th>{esc(h)}</th>" for h in header)
                   + "</tr></thead><tbody>")
        for k, row in enumerate(rows):
            rc = row_classes[k] if row_classes and k < len(row_classes) else ""
            cells = []
            for c in row:
                if isinstance(c, Cell):
                    cls = f' class="{esc(c.css_class)}"' if c.css_class else ""
                    cells.append(f"<td{cls}>{esc(c.value)}</td>")
                else:
                    cells.append(f"<td>{esc(c)}</td>")
            cls = f' class="{esc(rc)}"' if rc else ""
            out.append(f"<tr{cls}>" + "".join(cells) + "</tr>")
        out.append("</tbody></table>")
        self.blocks.append("".join(out))
        return self

    def figure(self, src: str, alt: str = "", caption: str | None = None) -> Page:
        """An image by *relative* path (e.g. ``figures/V01.png``) with an optional caption."""
        cap = f"<figcaption>{esc(caption)}</figcaption>" if caption else ""
        self.blocks.append(f'<figure><img src="{esc(src)}" alt="{esc(alt)}" loading="lazy">'
                           f"{cap}</figure>")
        return self

    # ------------------------------------------------------------------ output
    def render(self) -> str:
        body = "\n".join(self.blocks)
        return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                f"<title>{esc(self.title)}</title>\n<style>{self.css}</style>\n</head>\n"
                f"<body>\n<h1>{esc(self.title)}</h1>\n{body}\n</body>\n</html>\n")

    def write(self, path: str | Path) -> Path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)

        return write_text(path, self.render())


__all__ = ["CSS", "Cell", "Page", "Raw", "esc", "link", "span"]
