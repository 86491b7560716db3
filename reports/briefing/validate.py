"""Check a template before anything is written: every indicator, region, filter and name it uses must exist."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import jinja2
from docx.oxml.ns import qn
from docxtpl import DocxTemplate
from jinja2 import nodes

from reports.briefing.catalogue import Indicator

# The names of the context besides the indicator codes (reports/briefing/context.py, render.py).
CONTEXT_NAMES = frozenset(
    {
        "month",
        "version",
        "published_at",
        "city",
        "counties",
        "by_county",
        "acknowledged",
        "withheld",
        "charts",
    }
)
CODE = re.compile(r"[A-Z]\d{2}")
_MARK = re.compile(r"<!--P(\d+)-->")
_PARTS = {
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header": "header",
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer": "footer",
}


class TemplateProblem(ValueError):
    """A template that cannot be rendered; the message names the file, each paragraph and name."""


@dataclass(frozen=True)
class _Part:
    label: str  # "paragraph" for the body, "header paragraph" / "footer paragraph" otherwise
    source: str  # docxtpl's Jinja source with a marker before each paragraph
    texts: list[str]  # each paragraph's text, by paragraph number - 1


def _marked(tpl: DocxTemplate, element, label: str) -> _Part:
    """docxtpl's own preprocessing, each <w:p> on a line of its own that starts with its number.

    docxtpl removes a whole paragraph for {%p %} and a whole row for {%tr %}; a marker before each
    paragraph keeps the numbers of the others right (a line count would shift after a removal).
    """
    texts = ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in element.iter(qn("w:p"))]
    xml = tpl.xml_to_string(element).replace("\n", " ")
    counter = iter(range(1, len(texts) + 1))
    xml = re.sub(r"<w:p([ >/])", lambda m: f"\n<!--P{next(counter)}--><w:p{m.group(1)}", xml)
    return _Part(label, tpl.patch_xml(xml), texts)


def _parts(path: Path) -> list[_Part]:
    tpl = DocxTemplate(path)
    tpl.init_docx()
    parts = [_marked(tpl, tpl.docx.element.body, "paragraph")]
    for rel in tpl.docx.part.rels.values():
        if rel.reltype in _PARTS:
            parts.append(_marked(tpl, rel.target_part.element, f"{_PARTS[rel.reltype]} paragraph"))
    return parts


def _where(path: Path, part: _Part, lineno: int | None) -> str:
    """`template.docx, paragraph 7 (“截至…”)`: the paragraph a Jinja line number falls in."""
    lines = part.source.split("\n")
    line = lines[min(max((lineno or 1) - 1, 0), len(lines) - 1)]
    mark = _MARK.match(line)
    number = int(mark.group(1)) if mark else 1
    text = part.texts[number - 1] if part.texts else ""
    excerpt = text if len(text) <= 40 else f"{text[:40]}…"
    return f"{path.name}, {part.label} {number} (“{excerpt}”)"


def _problems(ast: nodes.Template, env: jinja2.Environment, indicators: dict[str, Indicator], regions):
    """(line, message) for each name the template uses that the context, filters or tests lack."""
    stored = {n.name for n in ast.find_all(nodes.Name) if n.ctx in ("store", "param")}
    known = CONTEXT_NAMES | set(indicators) | set(env.globals) | stored | {"loop"}
    for node in ast.find_all(nodes.Name):
        if node.ctx == "load" and node.name not in known:
            kind = "indicator" if CODE.fullmatch(node.name) else "name"
            yield node.lineno, f"unknown {kind} {node.name}"
    for node in ast.find_all((nodes.Getattr, nodes.Getitem)):
        inner = node.node
        key = node.attr if isinstance(node, nodes.Getattr) else getattr(node.arg, "value", None)
        if isinstance(inner, nodes.Name) and inner.name == "by_county" and isinstance(key, str):
            if key not in indicators:
                yield node.lineno, f"unknown indicator {key}"
            elif not indicators[key].by_county:
                yield node.lineno, f"indicator {key} is not published by county"
        elif isinstance(inner, nodes.Name) and inner.name == "charts" and isinstance(key, str):
            from reports.briefing.charts import CHARTS

            if key not in CHARTS:
                yield node.lineno, f"unknown chart {key} (charts: {', '.join(CHARTS)})"
        elif (
            isinstance(node, nodes.Getitem)
            and isinstance(key, str)
            and isinstance(inner, nodes.Getattr | nodes.Getitem)
            and isinstance(inner.node, nodes.Name)
            and inner.node.name == "by_county"
            and key not in regions
        ):
            yield node.lineno, f"unknown region {key} (counties: {', '.join(sorted(regions))})"
    for node in ast.find_all(nodes.Filter):
        if node.name not in env.filters:
            yield node.lineno, f"unknown filter {node.name}"
    for node in ast.find_all(nodes.Test):
        if node.name not in env.tests:
            yield node.lineno, f"unknown test {node.name}"


def validate_template(
    path: Path, env: jinja2.Environment, indicators: dict[str, Indicator], regions: set[str]
) -> None:
    """Raise TemplateProblem naming the file, paragraph (numbered from 1 in document order, table
    cells included) and name of every unknown indicator, region, filter or name."""
    if not path.is_file():
        raise TemplateProblem(f"{path}: briefing template not found")
    found = []
    for part in _parts(path):
        try:
            ast = env.parse(part.source)
        except jinja2.TemplateSyntaxError as exc:
            found.append(f"{_where(path, part, exc.lineno)}: {exc.message}")
            continue
        problems = sorted(_problems(ast, env, indicators, regions), key=lambda p: p[0] or 0)
        found += [f"{_where(path, part, line)}: {message}" for line, message in problems]
    if found:
        raise TemplateProblem(f"briefing template {path} cannot be used:\n  " + "\n  ".join(found))
