"""Write docs/api.md, the reference of nicsim's public surface, from the docstrings.

The page lists exactly ``nicsim.__all__``, grouped and ordered as the "Public API" block of
``nicsim``'s docstring: for each name its signature (functions) or fields and methods (classes),
the module that defines it and its docstring. ``make docs`` runs it; ``tests/docs/test_api_docs.py``
checks that the page is current.

    python scripts/make_api_docs.py          # rewrite docs/api.md
    python scripts/make_api_docs.py --check  # exit 1 if docs/api.md is out of date
"""

from __future__ import annotations

import argparse
import inspect
import re
import sys
import types
import typing
from pathlib import Path

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

import nicsim

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_docs import rst_to_md  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "api.md"
#: a line wider than this puts one parameter per line
WIDTH = 96

HEADER = """\
# API reference

<!-- generated from the docstrings by scripts/make_api_docs.py (make docs); do not edit -->

The public surface of nicsim: every name in `nicsim.__all__`, importable as `nicsim.<name>`
(`import nicsim; nicsim.run_trial(...)`). Names outside the simulation core are loaded on first
use, so `import nicsim` stays fast. Deeper modules (`nicsim.analysis.trial`, `nicsim.io.sbml`,
...) hold the rest; [architecture.md](architecture.md) shows how they are layered.
"""


def api_groups() -> list[tuple[str, list[str]]]:
    """(group title, names) in the order of the "Public API" block of nicsim's docstring.

    A group is a line with one capitalised word; each following line starts with one entry
    point and what it is, or lists several names separated by commas (the errors)."""
    doc = inspect.getdoc(nicsim) or ""
    block = doc.split("::", 1)[1] if "::" in doc else ""
    groups: list[tuple[str, list[str]]] = []
    for line in block.splitlines():
        if line and not line.startswith(" "):
            break  # the end of the literal block
        text = line.strip()
        if not text:
            continue
        if re.fullmatch(r"[A-Z][a-z]+", text):
            groups.append((text, []))
        elif groups:
            words = text.split()
            if words[0].endswith(","):  # a line of names: "NicsimError, ModelError, ..."
                groups[-1][1].extend(w.strip(",") for w in words)
            else:  # "name   what it is"
                groups[-1][1].append(words[0])
    listed = [n for _, names in groups for n in names]
    missing = sorted(set(nicsim.__all__) - set(listed))
    extra = sorted(set(listed) - set(nicsim.__all__))
    if missing or extra or len(listed) != len(set(listed)):
        raise SystemExit("nicsim's docstring and __all__ disagree: not listed "
                         f"{missing}, not in __all__ {extra}")
    return groups


def _roles_to_md(text: str) -> str:
    """Sphinx roles and double back-quotes -> Markdown code spans."""
    text = re.sub(r":\w+:`~[\w.]*?(\w+)`", r"`\1`", text)
    text = re.sub(r":\w+:`([^`]+)`", r"`\1`", text)
    return text.replace("``", "`")


def _annotation(a) -> str:
    """Readable text of a type annotation (postponed annotations are strings already)."""
    if a is inspect.Parameter.empty:
        return ""
    return _strip_modules(a) if isinstance(a, str) else _type_text(a)


def _strip_modules(text: str) -> str:
    return re.sub(r"\b(typing|collections\.abc|nicsim(\.\w+)*)\.", "", text)


def _common_base(classes) -> str | None:
    """The most specific class every one of ``classes`` derives from, if it is nicsim's."""
    for base in classes[0].__mro__:
        if base.__module__.startswith("nicsim") and all(issubclass(c, base) for c in classes):
            return base.__name__
    return None


def _type_text(a) -> str:
    """``X | None`` for Optional, the inner type of Annotated, a union of many classes by their
    common base (the events of a protocol), no memory addresses."""
    origin, args = typing.get_origin(a), typing.get_args(a)
    if a is type(None):
        return "None"
    if origin is typing.Annotated:
        return _type_text(args[0])
    if origin is typing.Literal:
        return " | ".join(repr(x) for x in args)
    if origin in (typing.Union, types.UnionType):
        if len(args) > 4 and all(isinstance(x, type) for x in args):
            base = _common_base(args)
            if base is not None:
                return f"{base} subclass"
        return " | ".join(_type_text(x) for x in args)
    if origin is not None:
        name = getattr(origin, "__name__", None) or _strip_modules(str(origin))
        return f"{name}[{', '.join(_type_text(x) for x in args)}]"
    if isinstance(a, type):
        return a.__name__
    return _strip_modules(str(a))


def signature(name: str, func) -> str:
    """``name(param: type = default, ...) -> return`` without the quotes of postponed
    annotations; one parameter per line when it does not fit on one."""
    sig = inspect.signature(func)
    parts, star = [], False
    for p in sig.parameters.values():
        if p.kind is p.KEYWORD_ONLY and not star:
            parts.append("*")
        star = star or p.kind in (p.KEYWORD_ONLY, p.VAR_POSITIONAL)
        prefix = {p.VAR_POSITIONAL: "*", p.VAR_KEYWORD: "**"}.get(p.kind, "")
        text = prefix + p.name
        ann = _annotation(p.annotation)
        if ann:
            text += f": {ann}"
        if p.default is not p.empty:
            text += (" = " if ann else "=") + repr(p.default)
        parts.append(text)
    ret = _annotation(sig.return_annotation)
    tail = f" -> {ret}" if ret else ""
    one_line = f"{name}({', '.join(parts)}){tail}"
    if len(one_line) <= WIDTH:
        return one_line
    return f"{name}(\n" + "".join(f"    {p},\n" for p in parts) + f"){tail}"


def _fields_table(cls: type[BaseModel]) -> list[str]:
    rows = ["| field | type | default |", "|---|---|---|"]
    for fname, field in cls.model_fields.items():
        if field.default is not PydanticUndefined:
            default = f"`{field.default!r}`"
        elif field.default_factory is not None:
            default = f"`{getattr(field.default_factory, '__name__', 'factory')}()`"
        else:
            default = "required"
        cells = (f"`{fname}`", f"`{_annotation(field.annotation)}`", default)
        rows.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return rows


def _public_methods(cls: type) -> list[tuple[str, object]]:
    """Public methods defined by nicsim on ``cls`` or its nicsim bases (not pydantic's)."""
    out = {}
    for klass in reversed(cls.__mro__):
        if not klass.__module__.startswith("nicsim"):
            continue
        for mname, member in vars(klass).items():
            if mname.startswith("_"):
                continue
            func = member.__func__ if isinstance(member, (classmethod, staticmethod)) else member
            if inspect.isfunction(func):
                out[mname] = func
    return sorted(out.items())


def entry(name: str) -> list[str]:
    """The section of one public name."""
    obj = getattr(nicsim, name)
    doc = rst_to_md(_roles_to_md(inspect.getdoc(obj) or "(no docstring)"))
    lines = [f"### `nicsim.{name}`", ""]
    if inspect.isclass(obj):
        bases = ", ".join(b.__name__ for b in obj.__bases__)
        lines += [f"Class (bases: {bases}), defined in `{obj.__module__}`.", "", doc, ""]
        if issubclass(obj, BaseModel):
            lines += ["Fields:", ""] + _fields_table(obj) + [""]
        methods = _public_methods(obj)
        if methods:
            lines += ["Methods:", ""]
            for mname, func in methods:
                first = _roles_to_md((inspect.getdoc(func) or "").split("\n\n")[0])
                first = " ".join(first.split())
                lines.append(f"- `{mname}`: {first}" if first else f"- `{mname}`")
            lines.append("")
    else:
        lines += ["```python", signature(name, obj), "```", "",
                  f"Defined in `{obj.__module__}`.", "", doc, ""]
    return lines


def render() -> str:
    out = [HEADER]
    for title, names in api_groups():
        out += [f"## {title}", ""]
        for name in names:
            out += entry(name)
    return "\n".join(out).rstrip() + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="exit 1 if docs/api.md differs from what would be written")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        current = PAGE.read_text(encoding="utf-8") if PAGE.exists() else ""
        if current != text:
            print("docs/api.md is out of date: run python scripts/make_api_docs.py")
            return 1
        return 0
    PAGE.write_text(text, encoding="utf-8")
    print(f"wrote {PAGE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
