"""The briefing as one self-contained HTML page (no CDN, font or script from elsewhere) and as Markdown."""

from __future__ import annotations

import base64
from html import escape

from reports.briefing.document import Block

_STYLE = """
body { font-family: "SimSun", "Songti SC", "Noto Serif CJK SC", "WenQuanYi Micro Hei", serif;
       max-width: 820px; margin: 2em auto; padding: 0 1em; line-height: 1.8; color: #222; }
h1 { text-align: center; font-size: 1.6em; }
h2 { font-size: 1.2em; margin-top: 1.4em; }
p { text-indent: 2em; margin: 0.4em 0; }
p.caption { text-indent: 0; text-align: center; font-size: 0.9em; color: #444; }
p.meta { text-indent: 0; text-align: center; color: #555; }
figure { margin: 0.8em 0; text-align: center; }
figure img { max-width: 100%; }
table { border-collapse: collapse; margin: 0.8em auto; font-size: 0.95em; }
th, td { border: 1px solid #888; padding: 0.2em 0.6em; }
td { text-align: right; }
td:first-child, th { text-align: center; }
td:first-child { white-space: nowrap; }
"""


def _image(png: bytes) -> str:
    return (
        f'<figure><img alt="图" src="data:image/png;base64,{base64.b64encode(png).decode("ascii")}"></figure>'
    )


def _table(rows: tuple[tuple[str, ...], ...]) -> str:
    if not rows:
        return ""
    head = "".join(f"<th>{escape(c)}</th>" for c in rows[0])
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows[1:])
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def to_html(title: str, blocks: list[Block]) -> str:
    """The same paragraphs as the .docx, in its order; charts as embedded PNG."""
    parts = []
    for block in blocks:
        if block.kind == "table":
            parts.append(_table(block.rows))
            continue
        if block.text:
            tag = block.kind if block.kind.startswith("h") else "p"
            css = ' class="caption"' if block.kind == "caption" else ""
            parts.append(f"<{tag}{css}>{escape(block.text)}</{tag}>")
        parts += [_image(png) for png in block.images]
    body = "\n".join(parts)
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(blocks: list[Block]) -> str:
    """The text for the Dagster UI (MetadataValue.md): headings, paragraphs and the table; charts named."""
    lines = []
    for block in blocks:
        if block.kind == "table" and block.rows:
            lines += ["| " + " | ".join(_cell(c) for c in block.rows[0]) + " |"]
            lines += ["|" + "---|" * len(block.rows[0])]
            lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in block.rows[1:]]
        elif block.kind.startswith("h") and block.text:
            lines.append(f"{'#' * int(block.kind[1])} {block.text}")
        elif block.text:
            lines.append(f"*{block.text}*" if block.kind == "caption" else block.text)
        elif block.kind == "image":
            lines.append("（图）")
        lines.append("")
    return "\n".join(lines)
