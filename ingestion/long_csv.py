"""The long CSV the loan and programme reports share (UTF-8 or GB18030, one header row): header and line checks."""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path

from ingestion.errors import FileRejected
from ingestion.numbers import clean_text
from ingestion.register import Reference
from ingestion.report_period import parse_report_period

PERIOD, INST, COUNTY, ITEM = "报表期", "机构代码", "县区代码", "指标代码"


def decode(data: bytes) -> str:
    """UTF-8 (BOM or not) when the whole file is valid UTF-8, else GB18030; raise UnicodeDecodeError.

    The whole file is decoded in one go: a GB18030 file can hold a run of bytes that happens to be
    valid UTF-8, so a per-row guess could mix encodings inside one file.
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def _undecodable_line(data: bytes) -> int:
    """The line where the file stops being readable: the encoding that reads further is the file's."""
    stops = []
    for body, codec in ((data.removeprefix(codecs.BOM_UTF8), "utf-8"), (data, "gb18030")):
        try:
            body.decode(codec)
        except UnicodeDecodeError as exc:
            stops.append(body.count(b"\n", 0, exc.start) + 1)
    return max(stops)


class LongCsv:
    """An opened long CSV: the header checked and the institution and month read from the first data row.

    Subclasses name their columns (`REQUIRED_COLUMNS`, which include 报表期, 机构代码 and 县区代码)
    and read their own rows, checking each with `_check_line` and `_county`.
    """

    REQUIRED_COLUMNS: tuple[str, ...] = ()

    def __init__(self, path: Path, file_ref: str, reference: Reference) -> None:
        self._file = file_ref
        self._reference = reference
        try:
            data = path.read_bytes()
            text = decode(data)
        except UnicodeDecodeError as exc:
            raise FileRejected(
                1, "文件编码既不是 UTF-8 也不是 GB18030", file_ref, row=_undecodable_line(data)
            ) from exc
        except OSError as exc:
            raise FileRejected(1, f"无法读取文件（{exc}）", file_ref) from exc
        try:
            # newline="" lets csv handle quoted line breaks; line_num then counts physical lines.
            reader = csv.reader(io.StringIO(text, newline=""))
            records: list[tuple[int, list[str]]] = []
            for fields in reader:
                if fields and any(clean_text(f) for f in fields):
                    records.append((reader.line_num, fields))
        except csv.Error as exc:
            raise FileRejected(1, f"CSV 格式错误（{exc}）", file_ref, row=reader.line_num) from exc
        if not records:
            raise FileRejected(1, "文件为空", file_ref)
        header_line, header = records[0]
        self._columns = {clean_text(name): index for index, name in enumerate(header)}
        missing = [name for name in self.REQUIRED_COLUMNS if name not in self._columns]
        if missing:
            raise FileRejected(1, f"缺少列 {'、'.join(missing)}", file_ref, row=header_line)
        self._header_width = len(header)
        self._records = records[1:]
        if not self._records:
            raise FileRejected(1, "文件没有数据行", file_ref)
        first_line, first = self._records[0]
        self._check_width(first_line, first)
        self.inst_code = clean_text(first[self._columns[INST]]).upper()
        self.inst_at = (None, first_line, INST)
        self.period_at = (None, first_line, PERIOD)
        self.period = self._parse(first_line, first, PERIOD, parse_report_period)

    def _check_width(self, line: int, fields: list[str]) -> None:
        if len(fields) != self._header_width:
            raise FileRejected(
                1, f"该行有 {len(fields)} 列，表头有 {self._header_width} 列", self._file, row=line
            )

    def _field(self, fields: list[str], column: str) -> str:
        return clean_text(fields[self._columns[column]])

    def _parse(self, line: int, fields: list[str], column: str, parse, rule: int = 1):
        try:
            return parse(self._field(fields, column))
        except ValueError as exc:
            raise FileRejected(rule, str(exc), self._file, row=line, column=column) from exc

    def _reject(self, rule: int, message: str, line: int, column: str) -> FileRejected:
        return FileRejected(rule, message, self._file, row=line, column=column)

    def _check_line(self, line: int, fields: list[str]) -> None:
        """The line's width, and its month and institution those of the first line (one report a file)."""
        self._check_width(line, fields)
        period = self._parse(line, fields, PERIOD, parse_report_period)
        if period != self.period:
            raise self._reject(2, f"报表期 {period} 与文件首行的 {self.period} 不一致", line, PERIOD)
        inst = self._field(fields, INST).upper()
        if inst != self.inst_code:
            raise self._reject(
                1,
                f"机构代码 {inst} 与文件首行的 {self.inst_code} 不一致（一个文件只能报一家机构）",
                line,
                INST,
            )

    def _county(self, line: int, fields: list[str]) -> str:
        """The line's 县区代码, a region of regions.csv (the city's own code for 市本级)."""
        county = self._field(fields, COUNTY)
        if not self._reference.is_region(county):
            raise self._reject(1, f"县区代码 {county!r} 不是本市的区划代码", line, COUNTY)
        return county
