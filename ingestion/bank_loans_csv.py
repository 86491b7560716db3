"""The 1b long CSV (报表期,机构代码,县区代码,指标代码,口径,金额,单位) -> header and AmountRows."""

from __future__ import annotations

from pathlib import Path

from finstat.items import BALANCE_ITEMS, DISPOSAL_ITEMS, measures_for
from ingestion.errors import AmountError, FileRejected
from ingestion.long_csv import COUNTY, INST, ITEM, PERIOD, LongCsv, decode
from ingestion.numbers import parse_unit, to_yuan
from ingestion.records import AmountRow
from ingestion.register import Reference

MEASURE, AMOUNT, UNIT = "口径", "金额", "单位"
REQUIRED_COLUMNS = (PERIOD, INST, COUNTY, ITEM, MEASURE, AMOUNT, UNIT)
__all__ = ["REQUIRED_COLUMNS", "CsvReport", "decode"]


class CsvReport(LongCsv):
    """An opened 1b file: header read on open (from the first data row), amounts on demand."""

    REQUIRED_COLUMNS = REQUIRED_COLUMNS

    def __init__(self, path: Path, file_ref: str, reference: Reference) -> None:
        super().__init__(path, file_ref, reference)
        first_line, first = self._records[0]
        self.unit = self._parse(first_line, first, UNIT, parse_unit)

    def amounts(self) -> list[AmountRow]:
        """One AmountRow per data line; every A/B/C item must appear at least once."""
        out: list[AmountRow] = []
        seen: dict[tuple[str, str, str], int] = {}
        for line, fields in self._records:
            self._check_line(line, fields)
            item = self._field(fields, ITEM).upper()
            measures = measures_for(item)
            if not measures:
                raise self._reject(1, f"指标代码 {item!r} 不在指标目录中", line, ITEM)
            measure = self._field(fields, MEASURE)
            if measure not in measures:
                raise self._reject(
                    1, f"指标 {item} 的口径应为 {' 或 '.join(measures)}，文件中为 {measure!r}", line, MEASURE
                )
            county = self._county(line, fields)
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
