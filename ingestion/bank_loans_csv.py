"""The 1b long CSV (报表期,机构代码,县区代码,指标代码,口径,金额,单位) -> header and AmountRows."""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path

from finstat.items import BALANCE_ITEMS, DISPOSAL_ITEMS, measures_for
from ingestion.errors import AmountError, FileRejected
from ingestion.numbers import clean_text, parse_unit, to_yuan
from ingestion.records import AmountRow
from ingestion.register import Reference
from ingestion.report_period import parse_report_period

PERIOD, INST, COUNTY, ITEM, MEASURE, AMOUNT, UNIT = (
    "报表期",
    "机构代码",
    "县区代码",
    "指标代码",
    "口径",
    "金额",
    "单位",
)
REQUIRED_COLUMNS = (PERIOD, INST, COUNTY, ITEM, MEASURE, AMOUNT, UNIT)


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


class CsvReport:
    """An opened 1b file: header read on open (from the first data row), amounts on demand."""

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
        missing = [name for name in REQUIRED_COLUMNS if name not in self._columns]
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
        self.unit = self._parse(first_line, first, UNIT, parse_unit)

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

    def amounts(self) -> list[AmountRow]:
        """One AmountRow per data line; every A/B/C item must appear at least once."""
        out: list[AmountRow] = []
        seen: dict[tuple[str, str, str], int] = {}
        for line, fields in self._records:
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
            item = self._field(fields, ITEM).upper()
            measures = measures_for(item)
            if not measures:
                raise self._reject(1, f"指标代码 {item!r} 不在指标目录中", line, ITEM)
            measure = self._field(fields, MEASURE)
            if measure not in measures:
                raise self._reject(
                    1, f"指标 {item} 的口径应为 {' 或 '.join(measures)}，文件中为 {measure!r}", line, MEASURE
                )
            county = self._field(fields, COUNTY)
            if not self._reference.is_region(county):
                raise self._reject(1, f"县区代码 {county!r} 不是本市的区划代码", line, COUNTY)
            if item in DISPOSAL_ITEMS and county != self._reference.city_code:
                raise self._reject(
                    1, f"处置指标 {item} 的县区代码应为 {self._reference.city_code}", line, COUNTY
                )
            key = (county, item, measure)
            if key in seen:
                raise self._reject(
                    1, f"{county} {item} {measure} 重复出现（另见第 {seen[key]} 行）", line, ITEM
                )
            seen[key] = line
            unit = self._parse(line, fields, UNIT, parse_unit)
            try:
                amount = to_yuan(fields[self._columns[AMOUNT]], unit)
            except AmountError as exc:
                raise self._reject(5, str(exc), line, AMOUNT) from exc
            out.append(
                AmountRow(
                    county_code=county,
                    item_code=item,
                    measure=measure,
                    amount_yuan=amount,
                    unit=unit,
                    sheet=None,
                    row_number=line,
                    column_ref=AMOUNT,
                )
            )
        present = {item for _, item, _ in seen}
        missing = [code for code in BALANCE_ITEMS if code not in present]
        if missing:
            raise FileRejected(1, f"缺少指标 {'、'.join(missing)}", self._file, column=ITEM)
        return out
