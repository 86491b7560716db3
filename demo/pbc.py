"""Deterministic demo of the central bank branch's 金融统计 workbooks, derived from the bank reports.

The branch counts the same loans from its own statistics system, so its figures sit close to the
bureau's: within ±0.30 亿元 and ±0.02 percentage points, except in OFF_MONTH, where its 各项贷款
include 0.83 亿元 of discounted bills the banks booked in the next month (rule 22 reports it and the
demo's explanation, DEMO_EXPLANATION, is what the officer records with `finstat ack --rule 22`).
"""

from __future__ import annotations

import datetime as dt
import io
import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import xlsxwriter

from demo.city import HEBI, DemoCity
from finstat.periods import add_months, previous_december

SOURCE = "pbc"
OFF_MONTH = "2022-03"
OFF_AMOUNT_YI = Decimal("0.83")
DEMO_EXPLANATION = "人民银行口径含3月末已贴现、4月初入账的票据融资0.83亿元，本局口径按银行入账月份统计；已与人民银行调查统计科电话核对"
YI = Decimal(100_000_000)
ROWS = ("各项贷款", "住户贷款", "企（事）业单位贷款", "不良贷款余额", "不良贷款率(%)")
_ITEMS = {"各项贷款": ("A01",), "住户贷款": ("A02",), "企（事）业单位贷款": ("A05",)}
_NPL = ("C03", "C04", "C05")


@dataclass(frozen=True)
class PbcRow:
    """One row of the 金融统计 sheet: balance (or the ratio) in 亿元/%, change since December, YoY %."""

    name: str
    balance: Decimal
    ytd_change: Decimal | None
    yoy_pct: Decimal | None


def _city(dataset, period: str, items: tuple[str, ...]) -> Decimal | None:
    """The bureau's city total of items at a period in 元 (None when the month is not generated)."""
    if period not in dataset.periods:
        return None
    return sum(
        (v for (p, _i, _c, item), v in dataset.balances.items() if p == period and item in items), Decimal(0)
    )


def _r(value: Decimal, places: str = "0.01") -> Decimal:
    return value.quantize(Decimal(places), rounding=ROUND_HALF_UP)


def _noise(period: str, name: str, spread: str) -> Decimal:
    """A deterministic difference between the two statistics systems, within ±spread."""
    rng = random.Random(f"pbc|{period}|{name}")
    return Decimal(rng.randint(-100, 100)) * Decimal(spread) / 100


def branch_rows(dataset, period: str) -> list[PbcRow]:
    """The branch's five rows for a month, close to the bureau's figures (see the module docstring)."""
    rows = []
    for name, items in _ITEMS.items():
        now = _city(dataset, period, items)
        dec, ago = (
            _city(dataset, previous_december(period), items),
            _city(dataset, add_months(period, -12), items),
        )
        off = OFF_AMOUNT_YI if period == OFF_MONTH and name == "各项贷款" else Decimal(0)
        balance = now / YI + _noise(period, name, "0.30") + off
        # The growth rate is the branch's own computation: close to the bureau's, off by the bills.
        yoy = (
            None
            if not ago
            else (now - ago) * 100 / ago + _noise(period, f"{name}-yoy", "0.02") + off * YI * 100 / ago
        )
        rows.append(
            PbcRow(
                name,
                _r(balance),
                None if dec is None else _r(balance - dec / YI),
                None if yoy is None else _r(yoy),
            )
        )
    npl, total = _city(dataset, period, _NPL), _city(dataset, period, ("A01",))
    rows.append(PbcRow("不良贷款余额", _r(npl / YI + _noise(period, "npl", "0.10")), None, None))
    ratio = npl * 100 / total + _noise(period, "ratio", "0.02")
    rows.append(PbcRow("不良贷款率(%)", _r(ratio), None, None))
    return rows


def file_name(period: str) -> str:
    return f"金融统计_{period.replace('-', '')}.xlsx"


def write_workbook(rows: list[PbcRow], period: str, path: Path, city: DemoCity = HEBI) -> Path:
    """The branch's layout: title and unit rows above the header, a source note under the table."""
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    # in_memory fixes the zip entries' timestamps and `created` the properties: the same bytes each run.
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    year, month = period.split("-")
    sent = dt.datetime(int(year) + int(month) // 12, int(month) % 12 + 1, 8, 10, 0)
    book.set_properties({"title": "金融统计", "created": sent})
    sheet = book.add_worksheet("金融统计")
    sheet.write_string(0, 0, f"{city.name}金融机构人民币信贷收支统计（{year}年{int(month)}月）")
    sheet.write_string(1, 0, "单位：亿元")
    for c, label in enumerate(("指标名称", "本月末余额", "比年初增减", "同比增长(%)")):
        sheet.write_string(2, c, label)
    for r, row in enumerate(rows, start=3):
        sheet.write_string(r, 0, row.name)
        # Values typed by the branch: at most two decimals, stored as the doubles Excel keeps.
        sheet.write_number(r, 1, float(row.balance))
        for c, value in ((2, row.ytd_change), (3, row.yoy_pct)):
            if value is not None:
                sheet.write_number(r, c, float(value))
    sheet.write_string(len(rows) + 4, 0, f"数据来源：人民银行{city.name}分行调查统计科")
    book.close()
    path.write_bytes(buffer.getvalue())
    return path


def write_pbc(dataset, landing: Path) -> list[Path]:
    """One workbook per generated month under landing/pbc/<YYYY-MM>/."""
    return [
        write_workbook(
            branch_rows(dataset, period), period, landing / SOURCE / period / file_name(period), dataset.city
        )
        for period in dataset.periods
    ]
