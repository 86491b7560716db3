"""The rendered .docx read back as blocks (headings, paragraphs, images, tables): what the HTML and the UI show."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import docx
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

# Word's built-in styles the default template uses, as the level of heading they are.
HEADINGS = {"Title": 1, "Heading 1": 2, "Heading 2": 3, "Heading 3": 4}


@dataclass(frozen=True)
class Block:
    """A paragraph (kind p / h1..h4 / caption), an image (png bytes) or a table (rows of cell texts)."""

    kind: str
    text: str = ""
    images: tuple[bytes, ...] = ()
    rows: tuple[tuple[str, ...], ...] = field(default=())


def _paragraph(paragraph: Paragraph, document) -> Block | None:
    images = tuple(
        document.part.related_parts[blip.get(qn("r:embed"))].blob for blip in paragraph._p.iter(qn("a:blip"))
    )
    text = paragraph.text.strip()
    if not text and not images:
        return None
    style = paragraph.style.name if paragraph.style is not None else ""
    if images and not text:
        return Block("image", images=images)
    kind = f"h{HEADINGS[style]}" if style in HEADINGS else "caption" if style == "Caption" else "p"
    return Block(kind, text=text, images=images)


def read_blocks(docx_bytes: bytes) -> list[Block]:
    """The body in document order; empty paragraphs (left by removed template tags) are skipped."""
    document = docx.Document(io.BytesIO(docx_bytes))
    blocks = []
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            block = _paragraph(Paragraph(child, document), document)
            if block:
                blocks.append(block)
        elif child.tag == qn("w:tbl"):
            table = Table(child, document)
            rows = tuple(tuple(cell.text.strip() for cell in row.cells) for row in table.rows)
            blocks.append(Block("table", rows=rows))
    return blocks
