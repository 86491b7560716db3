"""The pieces of an .xlsx read without calamine: sheet members, tag names, A1 column letters."""

from __future__ import annotations

import posixpath
import zipfile
from xml.etree.ElementTree import iterparse

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
