"""Valid ledger workbooks to start from (the three kinds, in extracts.md section 6's variations), with spots."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from fuzz.hostile import BLANKS, NUMBER_LOOKALIKES
from fuzz.reference import BANKS
from fuzz.sheet_model import Book, Cell, Sheet, n, s
from fuzz.sheet_mutations import Spot
from ingestion.ledger_cells import to_count, to_date, to_flag, to_text, to_yuan
from ingestion.ledger_sheets import Column
from ingestion.ledger_tables import KINDS
from ingestion.ledgers import SHEETS

DATE_TEXT = (
    "2022-02-30", "2022.05.01", "2022-5-1 ", "2022/13/1", "2022年5月", "2022年5月1号", "22-05-01",
    "2202-05-01", "0000-01-01", "2022-05-01 10:00", "44705", "２０２２-05-01", "",
)  # fmt: skip
COUNT_TEXT = ("-1", "3.5", "1,000", "1e3", "2147483648", "0", "三", "-0")
FLAG_TEXT = ("是", "否", "Y", "N", "y", "ｙ", "TRUE", "1", "对", "是的", "")
HEADER_TEXT = (
    "融资需求（万元）",
    " 形式 ",
    "形式（线上／线下）",
    "融资需求(元)",
    "日 期",
    "备注",
    "",
    "活动编号活动编号",
)


def _kind(column: Column) -> str:
    known = {to_text: "text", to_date: "date", to_yuan: "money", to_count: "count", to_flag: "flag"}
    # An enumeration's note lists its values (形式: 线上/线下); 机构代码's own reader is text.
    return known.get(column.parse, "enum" if column.note else "text")


def _valid(column: Column, i: int, style: int) -> Cell | None:
    kind = _kind(column)
    if kind == "date":
        day = 1 + (i * 7) % 28
        forms = (
            Cell("date", dt.datetime(2022, 5, day)),
            s(f"2022-05-{day:02d}"),
            s(f"2022/5/{day}"),
            s(f"2022年5月{day}日"),
        )
        return forms[style % len(forms)]
    if kind == "money":
        return n(1234.5 + i) if style % 2 else s(f"{1234 + i:,}.123456")
    if kind == "count":
        return n(float(i + 3)) if style % 2 else s(str(i + 3))
    if kind == "flag":
        return s(("是", "否", "Y", "N")[(i + style) % 4])
    if kind == "enum":
        values = column.note.split("/")
        return s(values[i % len(values)])
    if column.header == "机构代码":
        return s(BANKS[i % len(BANKS)])
    return s(f"{column.header[:2]}{i:03d}")


def _near(column: Column) -> st.SearchStrategy[Cell]:
    """Nearly-right values for a cell of this column."""
    kind = _kind(column)
    texts = {
        "date": DATE_TEXT,
        "money": NUMBER_LOOKALIKES,
        "count": COUNT_TEXT,
        "flag": FLAG_TEXT,
        "enum": (*column.note.split("/"), "其它", " 线上", "培训 ", "股改", ""),
        "text": BLANKS,
    }[kind]
    typed = st.sampled_from(
        (
            Cell("date", dt.datetime(2022, 5, 1, 13, 30)),
            Cell("datenum", 44705.0),
            n(-1.0),
            n(0.1 + 0.2),
            n(1e20),
            Cell("bool", True),
            Cell("time", 0.5),
        )
    )
    return st.one_of(st.sampled_from(texts).map(s), typed)


@st.composite
def ledger_book(draw) -> tuple[str, Book, list[Spot]]:
    """One of the three ledger workbooks as an officer keeps it; returns (file name, book, spots)."""
    kind = draw(st.sampled_from(KINDS))
    titles = draw(st.integers(0, 3))
    style = draw(st.integers(0, 3))
    spots: list[Spot] = []
    sheets = []
    for index, spec in enumerate(SHEETS[kind]):
        columns = list(draw(st.permutations(spec.columns)))
        extra = draw(st.booleans())
        rows: list[list[Cell | None]] = [[s(f"{spec.name}台账")] for _ in range(titles)]
        if draw(st.booleans()):
            rows.append([])
        header = [s(f" {c.header} " if draw(st.booleans()) else c.header) for c in columns]
        if extra:
            header.append(s("备注"))
        header_spot = draw(st.integers(0, len(columns) - 1))
        spots.append(Spot(index, len(rows), header_spot, st.sampled_from(HEADER_TEXT).map(s)))
        rows.append(header)
        for i in range(draw(st.integers(0, 4))):
            line = [_valid(c, i, style) for c in columns]
            if extra:
                line.append(s("已核实") if i % 2 else None)
            for col, column in enumerate(columns):
                spots.append(Spot(index, len(rows), col, _near(column)))
            rows.append(line)
            if draw(st.booleans()):
                rows.append([])
        sheets.append(Sheet(spec.name, rows))
    if draw(st.booleans()):
        # A notes sheet of the officer's own, anywhere: the ledger's sheets are found by name.
        at = draw(st.integers(0, len(sheets)))
        sheets.insert(at, Sheet("填表说明", [[s("日期按 YYYY-MM-DD 填写")]]))
        spots = [Spot(x.sheet + (x.sheet >= at), x.row, x.col, x.values) for x in spots]
    return f"{kind}_202205.xlsx", Book(sheets), spots
