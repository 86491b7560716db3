"""Damage inside an .xlsx: edited, truncated, dropped or duplicated zip members, then re-zipped."""

from __future__ import annotations

import io
import re
import warnings
import zipfile

from hypothesis import strategies as st

from fuzz.byte_damage import damaged
from fuzz.odds import one_in

_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
    '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
)
# (pattern, replacements): each edit targets one thing a reader trusts in the XML.
XML_EDITS = (
    # Cell references: row 0, past Excel's last row/column, no letters, far but plausible.
    (r'\br="[A-Z]+\d+"', ('r="A0"', 'r="XFD1048576"', 'r="XFE1"', 'r="AAAA1"', 'r="A99999999999"', 'r=""',
                          'r="1A"', 'r="ZZ20000"', 'r="B2"', 'r="a1"')),
    (r'\bt="s"', ('t="n"', 't="e"', 't="b"', 't="str"', 't="inlineStr"', 't="d"', 't="x"')),
    # Values: shared-string index out of range, not a number, NaN, an ISO date.
    (r"<v>[^<]*</v>", ("<v>99999</v>", "<v>-1</v>", "<v>abc</v>", "<v></v>", "<v>1e999</v>", "<v>NaN</v>",
                       "<v>-0</v>", "<v>4294967296</v>", "<v>2022-05-31T00:00:00</v>", "<v>1,5</v>")),
    (r'<sheet name="[^"]*"', ('<sheet name=""', '<sheet name="贷款余额"', '<sheet name="金融统计"',
                              '<sheet name="不良处置"', '<sheet name="A&amp;B"')),
    (r'numFmtId="\d+"', ('numFmtId="14"', 'numFmtId="22"', 'numFmtId="46"', 'numFmtId="999"')),
    (r"<sheetData>.*</sheetData>", ("<sheetData/>", "", "<sheetData><row/></sheetData>")),
    (r'<dimension ref="[^"]*"/>', ('<dimension ref="A1:XFD1048576"/>', '<dimension ref="garbage"/>')),
    (r"<si>", ("<si><t>extra</t></si><si>", "", "<si><t>&#0;</t></si><si>")),
    (r'\bcount="\d+"', ('count="0"', 'count="99999999"', 'count="-1"')),
    (r'\bs="\d+"', ('s="9999"', 's="-1"')),
    (r"<\?xml[^>]*\?>", ('<?xml version="1.0" encoding="UTF-16"?>', _LAUGHS, "")),
    (r'Target="[^"]*"', ('Target="worksheets/missing.xml"', 'Target="/xl/worksheets/sheet1.xml"',
                         'Target="../../etc/passwd"', 'Target=""')),
)  # fmt: skip


def _members(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(info.filename, archive.read(info)) for info in archive.infolist()]


def _zip(members: list[tuple[str, bytes]], compression: int) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate member names are on purpose
        with zipfile.ZipFile(buffer, "w", compression) as archive:
            for name, content in members:
                archive.writestr(name, content)
    return buffer.getvalue()


@st.composite
def _edit_xml(draw, content: bytes) -> tuple[bytes, str]:
    text = content.decode("utf-8", errors="surrogateescape")
    applicable = [(p, r) for p, r in XML_EDITS if re.search(p, text, re.DOTALL)]
    if not applicable:
        return content, "no-edit"
    pattern, replacements = draw(st.sampled_from(applicable))
    replacement = draw(st.sampled_from(replacements))
    matches = list(re.finditer(pattern, text, re.DOTALL))
    if draw(st.booleans()):
        text = re.sub(pattern, replacement.replace("\\", "\\\\"), text, flags=re.DOTALL)
        where = "all"
    else:
        match = matches[draw(st.integers(0, len(matches) - 1))]
        text = text[: match.start()] + replacement + text[match.end() :]
        where = str(match.start())
    return text.encode("utf-8", errors="surrogateescape"), f"{replacement[:30]!r}@{where}"


@st.composite
def damaged_xlsx(draw, data: bytes) -> tuple[bytes, list[str]]:
    """Damage one or two members (or the zip bytes themselves); returns the bytes and what was done."""
    if one_in(draw, 4):
        return draw(damaged(data))  # a truncated or flipped archive
    members = _members(data)
    notes = []
    for _ in range(draw(st.integers(1, 2))):
        index = draw(st.integers(0, len(members) - 1))
        name, content = members[index]
        op = draw(
            st.sampled_from(("edit", "edit", "edit", "truncate", "drop", "bytes", "duplicate", "rename"))
        )
        if op == "edit":
            content, note = draw(_edit_xml(content))
            op = f"edit:{note}"
        elif op == "truncate":
            content = content[: draw(st.integers(0, len(content)))]
        elif op == "bytes":
            content, _ = draw(damaged(content))
        elif op == "duplicate":
            members.insert(index, (name, content))
        elif op == "rename":
            name = draw(
                st.sampled_from(("xl/worksheets/sheet9.xml", "xl/Worksheets/Sheet1.xml", name.upper()))
            )
        if op == "drop":
            del members[index]
        else:
            members[index] = (name, content)
        notes.append(f"{op}:{name}")
        if not members:
            break
    compression = draw(st.sampled_from((zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED)))
    return _zip(members, compression), notes
