"""Valid workbooks to start from: a 1a bank_loans report, a 5a programme report and a pbc 金融统计 sheet, in the spec's variations."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import strategies as st

from finstat.items import (
    BALANCE_ITEMS,
    COUNT_QUANTITY,
    DISPOSAL_ITEMS,
    ITEM_NAMES,
    PROGRAMME_ITEM_NAMES,
    PROGRAMME_ITEMS,
    PROGRAMME_QUANTITIES,
)
from fuzz.hostile import HOSTILE_NUMBERS, PERIOD_TEXT
from fuzz.odds import one_in
from fuzz.reference import BANKS, COUNTIES
from fuzz.sheet_model import Book, Cell, Sheet, n, s
from fuzz.sheet_mutations import Spot

VALID_PERIODS = ("2022年05月", "2022年5月", "2022-05", "2022.05", "202205")
UNIT_IN_WAN = {"元": Decimal("0.0001"), "万元": Decimal(1), "亿元": Decimal(10000)}
UNIT_TEXT = ("元", "万元", "亿元", "千元", "（万元）", "万 元", "", "万元万元", "USD")


def _amount_wan(item: int, county: int) -> Decimal:
    # A09 is zero everywhere, so the blank/dash spellings of zero appear in every file.
    return (
        Decimal(0)
        if BALANCE_ITEMS[item] == "A09"
        else Decimal(item * 1000 + county * 10) + Decimal("1234.25")
    )


def _amount_cell(wan: Decimal, unit: str, style: str, zeros: str) -> Cell | None:
    if wan == 0 and zeros != "0":
        return None if zeros == "blank" else s("-")
    amount = (wan / UNIT_IN_WAN[unit]).normalize()
    # float only where the file format demands it: an xlsx number cell (and a cached value) is a double.
    if style == "text":
        return s(format(amount, ",f"))
    if style == "formula":
        return Cell("formula", f"={format(amount, 'f')}*1", float(amount))
    return n(float(amount))


VALID_TYPED_PERIODS = (Cell("date", dt.datetime(2022, 5, 1)), n(202205.0), n(2022.05))


def _period_cells(label_value: bool) -> st.SearchStrategy[Cell]:
    """报表期 values for a spot: text anywhere, typed values (2022.1 is ambiguous) in a cell of their own."""
    typed = st.sampled_from((*VALID_TYPED_PERIODS, n(2022.1), n(44712.0), Cell("bool", True)))
    text = st.sampled_from(PERIOD_TEXT).map(s)
    return st.one_of(text, typed) if label_value else text


def _info_line(style: str, colon: str, inst: str, period: Cell, unit: str) -> list[Cell | None]:
    if style == "single":
        return [
            s(
                f"填报机构{colon}测试银行  机构代码{colon}{inst}  报表期{colon}{period.value}  单位{colon}{unit}"
            )
        ]
    if style == "cells":
        return [s(f"填报机构{colon}测试银行"), s(f"机构代码{colon}{inst}"), s(f"报表期{colon}{period.value}"), s(f"单位{colon}{unit}")]  # fmt: skip
    return [
        s("填报机构"),
        s("测试银行"),
        s(f"机构代码{colon}"),
        s(inst),
        s("报表期"),
        period,
        s(f"单位{colon}"),
        s(unit),
    ]


def _info_spots(style: str, row: int, colon: str, inst: str, unit: str, period: Cell) -> list[Spot]:
    """Where 报表期 and 单位 sit in the info line, and nearly-right values for them."""
    units = st.sampled_from(UNIT_TEXT)
    if style == "single":

        def line(p: object, u: str) -> Cell:
            return s(f"填报机构{colon}测试银行  机构代码{colon}{inst}  报表期{colon}{p}  单位{colon}{u}")

        return [
            Spot(0, row, 0, _period_cells(False).map(lambda c: line(c.value, unit))),
            Spot(0, row, 0, units.map(lambda u: line(period.value, u))),
        ]
    if style == "cells":
        return [
            Spot(0, row, 2, _period_cells(False).map(lambda c: s(f"报表期{colon}{c.value}"))),
            Spot(0, row, 3, units.map(lambda u: s(f"单位{colon}{u}"))),
        ]
    return [Spot(0, row, 5, _period_cells(True)), Spot(0, row, 7, units.map(s))]


@st.composite
def bank_book(draw) -> tuple[str, Book, list[Spot]]:
    """A 1a workbook as the spec allows it; returns (file name, book, spots)."""
    inst = draw(st.sampled_from(BANKS))
    unit = draw(st.sampled_from(tuple(UNIT_IN_WAN)))
    colon = draw(st.sampled_from(("：", ":")))
    style = draw(st.sampled_from(("single", "cells", "label_value")))
    typed = VALID_TYPED_PERIODS if style == "label_value" else ()
    period = draw(st.sampled_from((*(s(p) for p in VALID_PERIODS), *typed)))
    rows_above = draw(st.integers(0, 6))
    counties = draw(st.permutations(COUNTIES))[: draw(st.integers(1, len(COUNTIES)))]
    by_code = draw(st.booleans())
    amounts = draw(st.sampled_from(("number", "text", "formula")))
    zeros = draw(st.sampled_from(("0", "blank", "dash")))
    padded = draw(st.booleans())
    rows: list[list[Cell | None]] = []
    merges = []
    info = _info_line(style, colon, inst, period, unit)
    spots: list[Spot] = []
    if rows_above >= 2:
        rows.append([s("金融机构贷款情况月报表")])
        merges.append((0, 0, 0, 8))
    if rows_above >= 1:
        spots += _info_spots(style, len(rows), colon, inst, unit, period)
        rows.append(info)
    rows += [[] for _ in range(rows_above - len(rows))]
    header = [s("行次"), s("指标代码"), s("指标名称"), s("合计")]
    header += [n(float(code)) if by_code else s(name) for name, code in counties]
    rows.append(header)
    for i, item in enumerate(BALANCE_ITEMS):
        code = f" {item}\u3000" if padded else item
        name = f"  \u3000{ITEM_NAMES[item]} " if padded else ITEM_NAMES[item]
        values = [_amount_wan(i, COUNTIES.index(c)) for c in counties]
        line = [n(float(i + 1)), s(code), s(name), _amount_cell(sum(values), unit, amounts, zeros)]
        rows.append(line + [_amount_cell(v, unit, amounts, zeros) for v in values])
    rows += [[], [s("单位负责人：张三    填表人：李四    填报日期：2022-06-05")]]
    if rows_above == 0:
        spots += _info_spots(style, len(rows), colon, inst, unit, period)
        rows.append(info)
    sheets = [Sheet(draw(st.sampled_from(("贷款余额", "Sheet1"))), rows, merges)]
    disposal = draw(st.sampled_from(("不良贷款处置", "不良处置", "Sheet2", None)))
    if disposal:
        month, ytd = draw(st.sampled_from((("本月发生额", "本年累计发生额"), ("本月", "本年累计"))))
        lines: list[list[Cell | None]] = [[s("行次"), s("指标代码"), s("处置方式"), s(month), s(ytd)]]
        for i, item in enumerate(DISPOSAL_ITEMS):
            wan = Decimal(i * 3) + Decimal("0.5")
            cells = [_amount_cell(wan, unit, amounts, zeros), _amount_cell(wan * 5, unit, amounts, zeros)]
            lines.append([n(float(i + 1)), s(item), s(ITEM_NAMES[item]), *cells])
        sheets.append(Sheet(disposal, lines))
    return f"{inst}_202205.xlsx", Book(sheets), spots


PBC_ITEMS = (
    ("各项贷款", "各项贷款"),
    ("住户贷款", "住户贷款"),
    ("企（事）业单位贷款", "企(事)业单位贷款"),
    ("不良贷款余额", "不良贷款余额 "),
    ("不良贷款率(%)", "不良贷款率（%）"),
)
PBC_TITLES = (
    "鹤壁市金融机构人民币信贷收支统计（2022年5月）", "报表期：2022-05", "报表期：2022年05月", "金融统计月报",
    "（2022年13月）", "1899年5月", "2022年0月", "报表期：2022-13", "报表期：", "报表期：2022年5月 单位：亿元",
    "2022年5月 至 2022年13月", "20220年5月", "０２２年５月",
)  # fmt: skip
PBC_UNITS = ("单位：亿元", "单位:亿元", "单位：万元", "单位：元", "单位：", "单位：亿元（%）")


@st.composite
def pbc_book(draw) -> tuple[str, Book, list[Spot]]:
    """A 金融统计 workbook; returns (file name, book, spots)."""
    rows: list[list[Cell | None]] = []
    spots: list[Spot] = []
    title = draw(st.sampled_from((*PBC_TITLES[:4], None)))
    if title is not None:
        spots.append(
            Spot(
                0,
                len(rows),
                0,
                st.one_of(st.sampled_from(PBC_TITLES).map(s), st.sampled_from(HOSTILE_NUMBERS).map(n)),
            )
        )
        rows.append([s(title)])
    if draw(st.booleans()):
        spots.append(Spot(0, len(rows), 0, st.sampled_from(PBC_UNITS).map(s)))
        rows.append([s(draw(st.sampled_from(PBC_UNITS[:2])))])
    labels = [
        "指标名称",
        "本月末余额",
        "比年初增减",
        draw(st.sampled_from(("同比增长(%)", "同比增长（%）", "同比增长"))),
    ]
    order = draw(st.permutations(range(4))) if one_in(draw, 4) else list(range(4))
    rows.append([s(labels[i]) for i in order])
    as_text = draw(st.booleans())
    for index, (label, variant) in enumerate(PBC_ITEMS):
        name = variant if draw(st.booleans()) else label
        balance = 785.03 - index * 100
        values = [
            s(name),
            n(balance),
            n(-26.16 + index) if index < 3 else None,
            n(2.9) if index < 3 else None,
        ]
        if as_text:
            values = [values[0], *[s(repr(v.value)) if v is not None else None for v in values[1:]]]
        rows.append([values[i] for i in order])
    rows.append([s("注：不良贷款率单位为%")])
    sheets = [Sheet(draw(st.sampled_from(("金融统计", "Sheet1"))), rows)]
    return "金融统计_202205.xlsx", Book(sheets), spots


# ---- 5a bank_programmes -------------------------------------------------------------------------
PROGRAMME_TITLE = "金融支持重点领域专项统计月报"
# 计量 as the contract allows it (the amount's bracketed unit is filled in with the report's 单位).
QUANTITY_STYLES = ("plain", "fullwidth", "ascii")
QUANTITY_TEXT = (
    "户数", "金额", "户数（户）", "户数(家)", "金额（万元）", "金额(元)", "金额（亿元）", "金额（千元）", "金额()",
    "笔数", "", "户 数", "金额（万元", "余额", "户数（户）（户）",
)  # fmt: skip


def _quantity_label(quantity: str, unit: str, style: str) -> str:
    if style == "plain":
        return quantity
    word = "户" if quantity == COUNT_QUANTITY else unit
    return f"{quantity}（{word}）" if style == "fullwidth" else f"{quantity}({word})"


def _count_cell(count: int, style: str, zeros: str) -> Cell | None:
    if count == 0 and zeros != "0":
        return None if zeros == "blank" else s("-")
    return s(str(count)) if style == "text" else n(float(count))


@st.composite
def programme_book(draw) -> tuple[str, Book, list[Spot]]:
    """A 5a workbook as the spec allows it (the 1a variations plus 计量); returns (file name, book, spots)."""
    inst = draw(st.sampled_from(BANKS))
    unit = draw(st.sampled_from(tuple(UNIT_IN_WAN)))
    colon = draw(st.sampled_from(("：", ":")))
    style = draw(st.sampled_from(("single", "cells", "label_value")))
    typed = VALID_TYPED_PERIODS if style == "label_value" else ()
    period = draw(st.sampled_from((*(s(p) for p in VALID_PERIODS), *typed)))
    rows_above = draw(st.integers(0, 6))
    counties = draw(st.permutations(COUNTIES))[: draw(st.integers(1, len(COUNTIES)))]
    by_code = draw(st.booleans())
    amounts = draw(st.sampled_from(("number", "text", "formula")))
    zeros = draw(st.sampled_from(("0", "blank", "dash")))
    quantity_style = draw(st.sampled_from(QUANTITY_STYLES))
    extra_rows = draw(st.booleans())
    rows: list[list[Cell | None]] = []
    merges = []
    info = _info_line(style, colon, inst, period, unit)
    spots: list[Spot] = []
    if rows_above >= 2:
        rows.append([s(PROGRAMME_TITLE)])
        merges.append((0, 0, 0, 9))
    if rows_above >= 1:
        spots += _info_spots(style, len(rows), colon, inst, unit, period)
        rows.append(info)
    rows += [[] for _ in range(rows_above - len(rows))]
    header = [s("行次"), s("指标代码"), s("指标名称"), s("计量"), s("合计")]
    header += [n(float(code)) if by_code else s(name) for name, code in counties]
    rows.append(header)
    quantities = st.sampled_from(QUANTITY_TEXT).map(s)
    for i, item in enumerate(PROGRAMME_ITEMS):
        if extra_rows and i == 0:
            rows.append([None, None, s("一、巩固拓展脱贫攻坚成果")])
        for quantity in PROGRAMME_QUANTITIES:
            label = _quantity_label(quantity, unit, quantity_style)
            spots.append(Spot(0, len(rows), 3, quantities))
            line = [n(float(len(rows))), s(item), s(PROGRAMME_ITEM_NAMES[item]), s(label)]
            if quantity == COUNT_QUANTITY:
                counts = [(i * 7 + COUNTIES.index(c)) % 5 for c in counties]
                cells = [_count_cell(c, amounts, zeros) for c in (sum(counts), *counts)]
            else:
                values = [_amount_wan(i, COUNTIES.index(c)) for c in counties]
                cells = [_amount_cell(v, unit, amounts, zeros) for v in (sum(values), *values)]
            rows.append(line + cells)
        if extra_rows and item == "F04":
            rows.append([None, s("G01"), s("创业担保贷款本年累计发放"), s("户数"), n(3.0)])
    rows += [[], [s("单位负责人：张三    填表人：李四    填报日期：2022-06-05")]]
    if rows_above == 0:
        spots += _info_spots(style, len(rows), colon, inst, unit, period)
        rows.append(info)
    main = Sheet(draw(st.sampled_from(("专项统计", "Sheet1"))), rows, merges)
    sheets = [main]
    # Found by its name, 专项统计 may follow a notes sheet (Sheet1 is found by coming first).
    if main.name == "专项统计" and draw(st.booleans()):
        sheets.insert(0, Sheet("填报说明", [[s("填报说明")], [s("1. 户数不随单位换算。")]]))
        spots = [Spot(1, spot.row, spot.col, spot.values) for spot in spots]
    return f"{inst}_202205_专项统计.xlsx", Book(sheets), spots
