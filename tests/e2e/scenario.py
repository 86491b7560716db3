"""A tiny, consistent bank_loans landing written straight from the spec formats, for planting defects."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import xlsxwriter

from finstat.items import BALANCE_ITEMS, ITEM_NAMES

COUNTIES = {"410611": "淇滨区", "410603": "山城区"}
# One county's book in 万元; every identity of the spec holds (A01 = A02 + A05 + A11, C01..C05 = A01).
BASE_BOOK = {
    "A03": "100",
    "A04": "200",
    "A02": "300",
    "A06": "400",
    "A07": "300",
    "A08": "50",
    "A09": "20",
    "A10": "30",
    "A05": "800",
    "A11": "100",
    "A01": "1200",
    "B01": "150",
    "B02": "200",
    "B03": "50",
    "C01": "1000",
    "C02": "100",
    "C03": "50",
    "C04": "30",
    "C05": "20",
}
INSTITUTIONS = {
    "TEST0000000001": ("测试银行一", "国有大型商业银行"),
    "TEST0000000002": ("测试银行二", "股份制商业银行"),
    "TEST0000000003": ("测试银行三", "城市商业银行"),
    "TEST0000000004": ("测试银行四", "村镇银行"),
    "TEST0000000005": ("测试银行五", "邮政储蓄银行"),
    "TEST0000000006": ("测试银行六", "外资银行"),
    "TEST0000000007": ("测试银行七", "政策性银行"),
}


def write_reference(folder: Path) -> Path:
    """institutions.csv and regions.csv for the test institutions (all in scope from 2020-01)."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "institutions.csv", "w", encoding="utf-8", newline="") as handle:
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
        for code, (name, kind) in INSTITUTIONS.items():
            writer.writerow([code, name, kind, "false", "410611", "2020-01", ""])
    with open(folder / "regions.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["region_code", "region_name"])
        for code, name in {
            "410600": "鹤壁市",
            **COUNTIES,
            "410602": "鹤山区",
            "410621": "浚县",
            "410622": "淇县",
        }.items():
            writer.writerow([code, name])
    return folder


def book(scale: str = "1") -> dict[tuple[str, str], Decimal]:
    """Balances in 万元 per (county, item): the base book times a factor in every county."""
    return {
        (county, item): Decimal(v) * Decimal(scale) for county in COUNTIES for item, v in BASE_BOOK.items()
    }


def disposals(month_amount: str, ytd_amount: str) -> dict[str, tuple[Decimal, Decimal]]:
    """D02 (核销) only: (本月, 本年累计) in 万元."""
    return {"D02": (Decimal(month_amount), Decimal(ytd_amount))}


def write_csv_report(
    path: Path, inst: str, period: str, cells: dict, disposal: dict, unit: str = "万元"
) -> Path:
    """The long CSV format (1b): one row per county and item, D items at 410600."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["报表期", "机构代码", "县区代码", "指标代码", "口径", "金额", "单位"])
        for (county, item), amount in sorted(cells.items()):
            writer.writerow([period, inst, county, item, "余额", f"{amount}", unit])
        for item, (month, ytd) in sorted(disposal.items()):
            writer.writerow([period, inst, "410600", item, "本月", f"{month}", unit])
            writer.writerow([period, inst, "410600", item, "本年累计", f"{ytd}", unit])
    return path


def write_excel_report(
    path: Path,
    inst: str,
    period: str,
    cells: dict,
    disposal: dict,
    total_override: dict[str, Decimal] | None = None,
) -> Path:
    """The Excel template (1a); total_override plants a wrong 合计 for an item."""
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("贷款余额")
    sheet.write(0, 0, "金融机构贷款情况月报表")
    sheet.write(
        1,
        0,
        f"填报机构：{INSTITUTIONS[inst][0]}  机构代码：{inst}  报表期：{period[:4]}年{period[5:]}月  单位：万元",
    )
    counties = list(COUNTIES)
    sheet.write_row(2, 0, ["行次", "指标代码", "指标名称", "合计", *(COUNTIES[c] for c in counties)])
    for i, item in enumerate(BALANCE_ITEMS, start=1):
        values = [cells[(c, item)] for c in counties]
        total = (total_override or {}).get(item, sum(values, Decimal(0)))
        sheet.write_row(2 + i, 0, [i, item, ITEM_NAMES[item], float(total), *(float(v) for v in values)])
    if disposal:
        sheet2 = workbook.add_worksheet("不良贷款处置")
        sheet2.write_row(0, 0, ["行次", "指标代码", "处置方式", "本月发生额", "本年累计发生额"])
        for i, (item, (month, ytd)) in enumerate(sorted(disposal.items()), start=1):
            sheet2.write_row(i, 0, [i, item, "核销", float(month), float(ytd)])
    workbook.close()
    return path
