"""Small bank_loans extracts built in a test's tmp_path: reference data, 1a workbooks and 1b CSVs."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import xlsxwriter

from finstat.items import BALANCE_ITEMS, DISPOSAL_ITEMS, ITEM_NAMES
from finstat.settings import Settings, load_settings

BANK = "BANK0000000001"
OTHER_BANK = "BANK0000000002"
RETIRED_BANK = "BANK0000000003"
FUTURE_BANK = "BANK0000000004"

INSTITUTIONS = [
    # inst_code, inst_name, inst_type, is_rural_credit, region_code, reports_from, reports_to
    (BANK, "测试银行鹤壁分行", "股份制商业银行", "false", "410600", "2020-01", ""),
    (OTHER_BANK, "另一家银行", "城市商业银行", "false", "410611", "2020-01", ""),
    (RETIRED_BANK, "已撤并银行", "村镇银行", "false", "410621", "2019-01", "2021-12"),
    (FUTURE_BANK, "新设银行", "村镇银行", "false", "410622", "2023-01", ""),
]
REGIONS = [
    ("410600", "鹤壁市"),
    ("410602", "鹤山区"),
    ("410603", "山城区"),
    ("410611", "淇滨区"),
    ("410621", "浚县"),
    ("410622", "淇县"),
]
# Template order of the county columns: (header by name, code).
COUNTIES = [
    ("淇滨区", "410611"),
    ("山城区", "410603"),
    ("鹤山区", "410602"),
    ("浚县", "410621"),
    ("淇县", "410622"),
    ("市本级", "410600"),
]
UNIT_WAN = {"元": Decimal("0.0001"), "万元": Decimal(1), "亿元": Decimal(10000)}


def write_reference(directory: Path, institutions=None) -> Path:
    """institutions.csv (the test register, or the rows given) and regions.csv as the officer keeps them."""
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / "institutions.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "inst_code",
                "inst_name",
                "inst_type",
                "is_rural_credit",
                "region_code",
                "reports_from",
                "reports_to",
            ]
        )
        writer.writerows(INSTITUTIONS if institutions is None else institutions)
    with open(directory / "regions.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["region_code", "region_name"])
        writer.writerows(REGIONS)
    return directory


def make_settings(tmp_path: Path) -> Settings:
    return load_settings(
        landing=tmp_path / "landing",
        home=tmp_path / "home",
        reference_dir=write_reference(tmp_path / "reference"),
    )


def balance_wan(item: str, county: str) -> Decimal:
    """Canonical balance in 万元; A09 is zero everywhere and A10 zero in 山城区 (blank/dash cells)."""
    if item == "A09" or (item == "A10" and county == "410603"):
        return Decimal(0)
    return Decimal(BALANCE_ITEMS.index(item) * 1000 + COUNTY_CODES.index(county) * 10) + Decimal("1234.25")


def disposal_wan(item: str, measure: str) -> Decimal:
    month = Decimal(DISPOSAL_ITEMS.index(item) * 3) + Decimal("0.5")
    return month if measure == "本月" else month * 5


COUNTY_CODES = [code for _, code in COUNTIES]


def expected_rows(counties: list[str] = COUNTY_CODES, *, total: bool = True, disposals: bool = True) -> set:
    """(county_code, item_code, measure, amount in 元) every accepted variation must produce."""
    rows = set()
    for item in BALANCE_ITEMS:
        for county in counties:
            rows.add((county, item, "余额", balance_wan(item, county) * 10000))
        if total:
            rows.add(("TOTAL", item, "余额", sum(balance_wan(item, c) for c in counties) * 10000))
    if disposals:
        for item in DISPOSAL_ITEMS:
            for measure in ("本月", "本年累计"):
                rows.add(("410600", item, measure, disposal_wan(item, measure) * 10000))
    return {(c, i, m, a.quantize(Decimal("0.01"))) for c, i, m, a in rows}


def in_unit(wan: Decimal, unit: str) -> Decimal:
    return (wan / UNIT_WAN[unit]).normalize()


def plain(amount: Decimal, separators: bool = False) -> str:
    """Decimal as the sender types it: no exponent, optionally with thousands separators."""
    return format(amount, ",f" if separators else "f")


@dataclass
class Workbook:
    """Layout knobs of a 1a workbook; defaults are the template as printed in the spec."""

    inst_code: str = BANK
    period: object = "2022年05月"
    unit: str = "万元"
    rows_above: int = 2  # title + info line; 0..6
    info: str = "single"  # single | labelled_cells | label_then_value
    colon: str = "："
    counties: list[tuple[str, str]] = field(default_factory=lambda: list(COUNTIES))
    county_headers: str = "name"  # name | code
    amounts: str = "number"  # number | text | formula
    zeros: str = "0"  # 0 | blank | dash
    names: str = "plain"  # plain | padded | 其中
    sheet: str = "贷款余额"
    disposal_sheet: str | None = "不良贷款处置"
    extra_rows: bool = False
    footer: bool = True
    # item -> county code -> raw cell value written instead of the canonical one
    overrides: dict[tuple[str, str], object] = field(default_factory=dict)
    drop_items: tuple[str, ...] = ()


def _zero_cell(style: str) -> object:
    return {"0": 0, "blank": None, "dash": "-"}[style]


def _info_cells(wb: Workbook, period_format) -> list[tuple[object, object]]:
    c = wb.colon
    period_text = wb.period if isinstance(wb.period, str | int | float) else None
    if wb.info == "single":
        return [
            (
                f"填报机构{c}测试银行鹤壁分行  机构代码{c}{wb.inst_code}  报表期{c}{period_text}  单位{c}{wb.unit}",
                None,
            )
        ]
    if wb.info == "labelled_cells":
        return [
            (f"填报机构{c}测试银行鹤壁分行", None),
            (f"机构代码{c}{wb.inst_code}", None),
            (f"报表期{c}{period_text}", None),
            (f"单位{c}{wb.unit}", None),
        ]
    # label_then_value: label cells followed by their value cells (the period may be a real date)
    return [
        ("填报机构", None),
        ("测试银行鹤壁分行", None),
        (f"机构代码{c}", None),
        (wb.inst_code, None),
        ("报表期", None),
        (wb.period, period_format if isinstance(wb.period, dt.date) else None),
        (f"单位{c}", None),
        (wb.unit, None),
    ]


def _amount_cell(ws, row: int, col: int, wan: Decimal, wb: Workbook, cell_override=None) -> None:
    if cell_override is not None:
        value = cell_override
        if isinstance(value, str):
            ws.write_string(row, col, value)
        else:
            ws.write(row, col, value)
        return
    if wan == 0 and wb.zeros != "0":
        value = _zero_cell(wb.zeros)
        if value is not None:
            ws.write_string(row, col, "—" if col % 2 else "-")
        return
    amount = in_unit(wan, wb.unit)
    if wb.amounts == "text":
        ws.write_string(row, col, plain(amount, separators=True))
    elif wb.amounts == "formula":
        # The cached value is what calamine returns; the formula itself is never evaluated.
        ws.write_formula(row, col, f"={plain(amount)}*1", None, float(amount))
    else:
        ws.write_number(row, col, float(amount))


def write_workbook(path: Path, wb: Workbook | None = None) -> Path:
    """Write a 1a workbook; returns the path."""
    wb = wb or Workbook()
    path.parent.mkdir(parents=True, exist_ok=True)
    book = xlsxwriter.Workbook(str(path))
    date_format = book.add_format({"num_format": "yyyy-mm"})
    ws = book.add_worksheet(wb.sheet)
    info = _info_cells(wb, date_format)
    row = 0
    if wb.rows_above >= 1:
        if wb.rows_above >= 2:
            ws.merge_range(0, 0, 0, 8, "金融机构贷款情况月报表")
            row = 1
        for col, (value, fmt) in enumerate(info):
            if isinstance(value, dt.date):
                ws.write_datetime(row, col, dt.datetime.combine(value, dt.time()), fmt)
            else:
                ws.write(row, col, value)
        row += 1
        row += max(0, wb.rows_above - 2)  # blank rows between the info line and the header
    header_row = row
    headers = ["行次", "指标代码", "指标名称", "合计"]
    for name, code in wb.counties:
        headers.append(int(code) if wb.county_headers == "code" else name)
    for col, value in enumerate(headers):
        ws.write(header_row, col, value)
    row = header_row + 1
    if wb.extra_rows:
        ws.write_row(row, 0, ["", "", "（以下单位：万元）"])
        row += 1
    for number, item in enumerate(BALANCE_ITEMS, start=1):
        if item in wb.drop_items:
            continue
        name = ITEM_NAMES[item]
        if wb.names == "padded":
            name = f"  \u3000{name} "
        elif wb.names == "其中" and item in ("A03", "A04", "A06"):
            name = f"其中：{name}"
        code = f" {item}\u3000" if wb.names == "padded" else item
        ws.write_row(row, 0, [number, code, name])
        total = sum(balance_wan(item, c) for _, c in wb.counties)
        _amount_cell(ws, row, 3, total, wb, wb.overrides.get((item, "TOTAL")))
        for offset, (_, county) in enumerate(wb.counties):
            _amount_cell(ws, row, 4 + offset, balance_wan(item, county), wb, wb.overrides.get((item, county)))
        row += 1
        if wb.extra_rows and item == "A11":
            ws.write_row(row, 0, ["", "注", "以上为表内贷款"])
            row += 2  # and one completely empty row
    if wb.footer:
        ws.write(
            row + 1, 0, "单位负责人：张三    填表人：李四    联系电话：0392-1234567    填报日期：2022-06-05"
        )
    if wb.rows_above == 0:
        # No row above the header: the info line sits under the table.
        for col, (value, fmt) in enumerate(info):
            if isinstance(value, dt.date):
                ws.write_datetime(row + 3, col, dt.datetime.combine(value, dt.time()), fmt)
            else:
                ws.write(row + 3, col, value)
    if wb.disposal_sheet:
        ds = book.add_worksheet(wb.disposal_sheet)
        ds.write_row(0, 0, ["行次", "指标代码", "处置方式", "本月发生额", "本年累计发生额"])
        for number, item in enumerate(DISPOSAL_ITEMS, start=1):
            r = number
            ds.write_row(r, 0, [number, item, ITEM_NAMES[item]])
            for col, measure in ((3, "本月"), (4, "本年累计")):
                _amount_cell(ds, r, col, disposal_wan(item, measure), wb, wb.overrides.get((item, measure)))
    book.close()
    return path


CSV_HEADER = ["报表期", "机构代码", "县区代码", "指标代码", "口径", "金额", "单位"]


def csv_rows(inst_code: str = BANK, period: str = "2022-05", unit: str = "万元") -> list[list[str]]:
    """The canonical report in long format (no 合计 rows)."""
    rows = []
    for item in BALANCE_ITEMS:
        for county in COUNTY_CODES:
            rows.append(
                [
                    period,
                    inst_code,
                    county,
                    item,
                    "余额",
                    plain(in_unit(balance_wan(item, county), unit)),
                    unit,
                ]
            )
    for item in DISPOSAL_ITEMS:
        for measure in ("本月", "本年累计"):
            rows.append(
                [
                    period,
                    inst_code,
                    "410600",
                    item,
                    measure,
                    plain(in_unit(disposal_wan(item, measure), unit)),
                    unit,
                ]
            )
    return rows


def write_csv(path: Path, rows: list[list[str]] | None = None, encoding: str = "utf-8", header=None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header or CSV_HEADER)
    writer.writerows(csv_rows() if rows is None else rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path
