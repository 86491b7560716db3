"""The pieces of an .xlsx read without calamine: sheet members, tag names, A1 column letters."""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterable, Iterator
from xml.etree.ElementTree import Element, iterparse

_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_STRICT_REL_ID = "{http://purl.oclc.org/ooxml/officeDocument/relationships}id"


def local_name(tag: str) -> str:
    """The tag without its namespace (transitional and strict OOXML use different ones)."""
    return tag.rsplit("}", 1)[-1]


def column_index(letters: str) -> int:
    """Excel letters (any case) -> 0-based column index (A -> 0, AA -> 26)."""
    index = 0
    for letter in letters.upper():
        index = index * 26 + ord(letter) - ord("A") + 1
    return index - 1


def column_letter(index: int) -> str:
    """0-based column index -> Excel letters (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def sheet_members(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> worksheet XML member, from workbook.xml and its relationships."""
    targets = {}
    for _, element in iterparse(archive.open("xl/_rels/workbook.xml.rels")):
        if local_name(element.tag) == "Relationship":
            target = element.get("Target", "")
            member = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
            targets[element.get("Id")] = member
    sheets = {}
    for _, element in iterparse(archive.open("xl/workbook.xml")):
        if local_name(element.tag) == "sheet":
            rel = element.get(_REL_ID) or element.get(_STRICT_REL_ID)
            if rel in targets:
                sheets[element.get("name", "")] = targets[rel]
    return sheets


# calamine reads letters in any case and of any length (AAAA1, a1), and Excel writes $ in places.
_CELL_REF = re.compile(r"^\$?([A-Za-z]+)\$?(\d+)$", re.ASCII)


def cells(events: Iterable[tuple[str, Element]]) -> Iterator[tuple[int, int, Element]]:
    """(row, col, element) of every finished <c> of a worksheet's iterparse(start, end) events.

    Row and column are 0-based as calamine's grid; a row or cell without its `r` attribute follows
    the previous one, as Excel reads it. Cells and rows are cleared once yielded (constant memory).
    """
    row = col = -1
    for event, element in events:
        name = local_name(element.tag)
        if event == "start":
            if name == "row":
                number = element.get("r") or ""
                row = int(number) - 1 if number.isascii() and number.isdigit() else row + 1
                col = -1
            elif name == "c":
                match = _CELL_REF.match(element.get("r") or "")
                col = column_index(match[1]) if match else col + 1
                if match:
                    row = int(match[2]) - 1
            continue
        if name == "c":
            yield row, col, element
            element.clear()
        elif name == "row":
            element.clear()
