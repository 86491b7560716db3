"""The 5b long CSV (报表期,机构代码,县区代码,指标代码,计量,数值,单位) -> header and ProgrammeCells."""

from __future__ import annotations

from finstat.items import AMOUNT_QUANTITY, PROGRAMME_ITEMS, PROGRAMME_QUANTITIES
from ingestion.errors import AmountError, FileRejected
from ingestion.long_csv import COUNTY, INST, ITEM, PERIOD, LongCsv
from ingestion.numbers import parse_unit, to_yuan
from ingestion.programme_cells import ProgrammeCell, missing_items, to_count

QUANTITY, VALUE, UNIT = "计量", "数值", "单位"
REQUIRED_COLUMNS = (PERIOD, INST, COUNTY, ITEM, QUANTITY, VALUE, UNIT)


class ProgrammeCsvReport(LongCsv):
    """An opened 5b file: header read on open (from the first data row), cells on demand."""

    REQUIRED_COLUMNS = REQUIRED_COLUMNS

    def cells(self) -> list[ProgrammeCell]:
        """One cell per data line (no 合计 rows); every item must appear with both 户数 and 金额."""
        out: list[ProgrammeCell] = []
        seen: dict[tuple[str, str, str], int] = {}
        for line, fields in self._records:
            self._check_line(line, fields)
            item = self._field(fields, ITEM).upper()
            if item not in PROGRAMME_ITEMS:
                raise self._reject(1, f"指标代码 {item!r} 不在指标目录中", line, ITEM)
            quantity = self._field(fields, QUANTITY)
            if quantity not in PROGRAMME_QUANTITIES:
                raise self._reject(
                    1, f"计量应为 {' 或 '.join(PROGRAMME_QUANTITIES)}，文件中为 {quantity!r}", line, QUANTITY
                )
            county = self._county(line, fields)
            key = (county, item, quantity)
            if key in seen:
                raise self._reject(
                    1, f"{county} {item} {quantity} 重复出现（另见第 {seen[key]} 行）", line, ITEM
                )
            seen[key] = line
            raw = fields[self._columns[VALUE]]
            is_amount = quantity == AMOUNT_QUANTITY
            # 单位 scales the 金额 rows only (extracts.md 5b); on 户数 rows it is ignored (the amount
            # unit again, 户, 家 or empty) and kept as given.
            unit = (
                self._parse(line, fields, UNIT, parse_unit)
                if is_amount
                else self._field(fields, UNIT) or None
            )
            try:
                value = to_yuan(raw, unit) if is_amount else to_count(raw)
            except AmountError as exc:
                raise self._reject(5, str(exc), line, VALUE) from exc
            out.append(
                ProgrammeCell(
                    county_code=county,
                    item_code=item,
                    quantity=quantity,
                    value=value,
                    unit=unit,
                    sheet=None,
                    row_number=line,
                    column_ref=VALUE,
                )
            )
        missing = missing_items({(item, quantity) for _, item, quantity in seen})
        if missing:
            raise FileRejected(1, f"缺少指标 {'、'.join(missing)}", self._file, column=ITEM)
        return out
