"""A tiny bank_loans lake and reference folder with planted defects, and independently computed figures."""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import ROUND_DOWN, Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ingestion.bank_loans import LAKE_SCHEMA

BUILD_PERIOD = "2022-05"
CITY = "410600"
COUNTIES = {"410602": "鹤山区", "410603": "山城区", "410611": "淇滨区", "410621": "浚县", "410622": "淇县"}
REGIONS = {CITY: "鹤壁市", **COUNTIES}

B1 = "B1000000000001"  # Excel reports with a 合计 column; revision 2 in the build month
B2 = "B2000000000002"  # long CSV reports (no 合计)
B3 = "B3000000000003"  # misses the build month (rule 6)
B4 = "B4000000000004"  # in scope 2021-06..2021-12 only; rural credit (loan detail in 2021-12)

INSTITUTIONS = [
    # inst_code, inst_name, inst_type, is_rural_credit, region_code, reports_from, reports_to
    (B1, "鹤壁银行淇滨支行", "城市商业银行", "false", "410611", "2020-01", ""),
    (B2, "浚县农村商业银行", "农村商业银行", "true", "410621", "2020-01", ""),
    (B3, "山城村镇银行", "村镇银行", "false", "410603", "2021-01", ""),
    (B4, "淇县农村信用社", "农村信用社", "true", "410622", "2021-06", "2021-12"),
]

# The schema ingestion writes: the tiny lake is built to the producer's contract, not a copy of it.

# Leaf and derived items as multiples of a county's base amount: every sum rule holds exactly.
MULTIPLES = {
    "A03": 1, "A04": 2, "A06": 3, "A07": 4, "A08": 1, "A09": 1, "A10": 1, "A11": 1,
    "A02": 3, "A05": 10, "A01": 14,
    "B01": 2, "B02": 3, "B03": 1,
    "C01": 10, "C02": 2, "C03": 1, "C04": Decimal("0.5"), "C05": Decimal("0.5"),
}  # fmt: skip
ITEMS = list(MULTIPLES)

# Base amounts (元) per institution and county, and a growth factor per institution and month.
BASES = {
    B1: {"410611": Decimal("1000000.01"), "410602": Decimal("250000.50"), CITY: Decimal("100000.00")},
    B2: {"410621": Decimal("333333.33"), "410622": Decimal("77777.77")},
    B3: {"410603": Decimal("10000.00")},
    B4: {"410622": Decimal("5000.00")},
}
FACTORS = {
    "2021-05": {B1: "0.9", B2: "0.9", B3: "0.9"},
    "2021-12": {B1: "1", B2: "1", B3: "1", B4: "1"},
    "2022-04": {B1: "1.05", B2: "1.05", B3: "1.05"},
    "2022-05": {B1: "1.1", B2: "1.5"},  # B2 moves +43% (rule 11); B3 sends nothing (rule 6)
}
# NPL disposals (county 410600): (本月, 本年累计) per institution, month and method.
DISPOSALS = {
    ("2021-05", B1): {"D03": ("1.00", "700000.00")},
    ("2021-12", B1): {"D02": ("100.00", "5000000.00")},
    ("2022-04", B1): {"D01": ("500.00", "500.00"), "D02": ("1000000.00", "1000000.00")},
    ("2022-05", B1): {
        "D01": ("0.00", "500.00"),
        "D02": ("200000.00", "1200000.00"),
        "D04": ("33.33", "33.33"),
    },
    ("2022-04", B2): {"D03": ("300000.00", "300000.00")},
    ("2022-05", B2): {"D03": ("0.00", "250000.00")},  # 本年累计 decreases (rule 10)
}
ADDED_BACK = {"D02", "D03", "D04", "D05"}


def cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"))


def county_cells(inst: str, period: str) -> dict[tuple[str, str], Decimal]:
    """(county, item) -> amount in 元 as reported, planted defects included (no 合计 column)."""
    cells = {}
    for county, base in BASES[inst].items():
        b = cents(base * Decimal(FACTORS[period][inst]))
        for item, multiple in MULTIPLES.items():
            cells[(county, item)] = cents(b * Decimal(multiple))
    if period == BUILD_PERIOD and inst == B1:
        cells[("410602", "A03")] -= Decimal("600")  # rule 7: A02 != A03 + A04 (tolerance 200)
        cells[(CITY, "A09")] *= 10000  # rule 12: 元/万元 mix-up in one cell (also breaks A05)
    if period == BUILD_PERIOD and inst == B2:
        cells[("410621", "C02")] += Decimal("1000")  # rule 9: classes != A01 (tolerance 500)
        cells[("410622", "B01")] = cells[("410622", "A01")] + Decimal("0.01")  # rule 9: memo > A01
    return cells


def total_cells(inst: str, period: str) -> dict[str, Decimal]:
    """The Excel 合计 column: the sum of the county columns, with one planted defect."""
    totals: dict[str, Decimal] = {}
    for (_county, item), amount in county_cells(inst, period).items():
        totals[item] = totals.get(item, Decimal(0)) + amount
    if period == BUILD_PERIOD and inst == B1:
        totals["B02"] += Decimal("5000")  # rule 8: 合计 != sum of 3 county columns (tolerance 300)
    return totals


@dataclass
class Report:
    inst: str
    period: str
    excel: bool
    revision: int = 1
    rows: list[dict] = field(default_factory=list)

    @property
    def source_file(self) -> str:
        suffix = "_v2" if self.revision > 1 else ""
        ext = "xlsx" if self.excel else "csv"
        return f"bank_loans/{self.period}/{self.inst}_{self.period.replace('-', '')}{suffix}.{ext}"


COLUMN_REFS = {
    "TOTAL": "D",
    "410611": "E",
    "410603": "F",
    "410602": "G",
    "410621": "H",
    "410622": "I",
    CITY: "J",
}


def build_report(inst: str, period: str, revision: int = 1, scale: Decimal = Decimal(1)) -> Report:
    excel = inst != B2
    report = Report(inst, period, excel, revision)
    cells = county_cells(inst, period)
    if excel:
        cells = {**cells, **{("TOTAL", item): amount for item, amount in total_cells(inst, period).items()}}
    for n, ((county, item), amount) in enumerate(sorted(cells.items())):
        report.rows.append(
            {
                "county_code": county,
                "item_code": item,
                "measure": "余额",
                "amount_yuan": cents(amount * scale),
                "sheet": "贷款余额" if excel else None,
                "row_number": 4 + ITEMS.index(item) if excel else 2 + n,
                "column_ref": COLUMN_REFS[county] if excel else "金额",
            }
        )
    for item, (month, ytd) in sorted(DISPOSALS.get((period, inst), {}).items()):
        for measure, amount in (("本月", month), ("本年累计", ytd)):
            report.rows.append(
                {
                    "county_code": CITY,
                    "item_code": item,
                    "measure": measure,
                    "amount_yuan": cents(Decimal(amount) * scale),
                    "sheet": "不良贷款处置" if excel else None,
                    "row_number": 3 + int(item[1:]) if excel else 2 + len(report.rows),
                    "column_ref": ("D" if measure == "本月" else "E") if excel else "金额",
                }
            )
    return report


def all_reports() -> list[Report]:
    reports = [
        build_report(inst, period, revision=2 if (inst, period) == (B1, BUILD_PERIOD) else 1)
        for period, factors in FACTORS.items()
        for inst in factors
    ]
    # A first, wrong build-month report of B1 (all amounts doubled, plus a D06 row the correction
    # drops); its correction (revision 2) must replace it entirely.
    wrong = build_report(B1, BUILD_PERIOD, revision=1, scale=Decimal(2))
    wrong.rows.append({**wrong.rows[-1], "item_code": "D06", "amount_yuan": Decimal("999.00")})
    return [*reports, wrong]


def write_lake(home: Path) -> None:
    lake = home / "lake" / "bank_loans"
    lake.mkdir(parents=True)
    pq.write_table(LAKE_SCHEMA.empty_table(), lake / "_schema.parquet")
    ingested = datetime(2022, 6, 9, 8, 0, tzinfo=UTC)
    for report in all_reports():
        sha = hashlib.sha256(f"{report.source_file}:{report.revision}".encode()).hexdigest()
        rows = [
            {
                "period": report.period,
                "inst_code": report.inst,
                "unit": "万元",
                "source_file": report.source_file,
                "file_sha256": sha,
                "revision": report.revision,
                "ingested_at": ingested,
                **row,
            }
            for row in report.rows
        ]
        folder = lake / f"period={report.period}"
        folder.mkdir(exist_ok=True)
        pq.write_table(
            pa.Table.from_pylist(rows, schema=LAKE_SCHEMA), folder / f"{report.inst}__{sha[:12]}.parquet"
        )


def write_reference(folder: Path) -> None:
    folder.mkdir(parents=True)
    with (folder / "institutions.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
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
        writer.writerows(INSTITUTIONS)
    with (folder / "regions.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["region_code", "region_name"])
        writer.writerows(REGIONS.items())


# ---- independently computed figures (Python Decimal, no SQL) ---------------------------------

TEN = Decimal("1E-10")


def _yi(yuan: Decimal) -> Decimal:
    return (yuan / Decimal(100_000_000)).quantize(TEN)


def _pct(num: Decimal, den: Decimal) -> Decimal:
    return (num * 100 / den).quantize(TEN, rounding=ROUND_DOWN)


def _sum(period: str, items: set[str], county: str | None) -> Decimal:
    total = Decimal(0)
    for inst in FACTORS[period]:
        for (c, item), amount in county_cells(inst, period).items():
            if item in items and (county is None or c == county):
                total += amount
    return total


def _added_back_ytd(period: str) -> Decimal:
    return sum(
        (
            Decimal(ytd)
            for (p, _inst), methods in DISPOSALS.items()
            if p == period
            for item, (_month, ytd) in methods.items()
            if item in ADDED_BACK
        ),
        Decimal(0),
    )


def expected_figures(period: str) -> dict[tuple[str, str], Decimal]:
    """(indicator_code, region_code) -> value for a month whose December and M-12 have data."""
    year, month = int(period[:4]), int(period[5:])
    dec, ago = f"{year - 1}-12", f"{year - 1}-{month:02d}"
    out = {}
    for region in [CITY, *COUNTIES]:
        county = None if region == CITY else region
        l01 = _sum(period, {"A01"}, county)
        npl = _sum(period, {"C03", "C04", "C05"}, county)
        out[("L01", region)] = _yi(l01)
        out[("L07", region)] = _yi(_sum(period, {"A05"}, county))
        out[("L08", region)] = _yi(_sum(period, {"A02"}, county))
        out[("L09", region)] = _yi(_sum(period, {"B01"}, county))
        out[("L10", region)] = _yi(npl)
        if l01:
            out[("L11", region)] = _pct(npl, l01)
        if dec in FACTORS:
            out[("L02", region)] = _yi(l01 - _sum(dec, {"A01"}, county))
    if dec in FACTORS:
        l01, l01_dec = _sum(period, {"A01"}, None), _sum(dec, {"A01"}, None)
        l03 = l01 - l01_dec + _added_back_ytd(period)
        out[("L03", CITY)] = _yi(l03)
        out[("L04", CITY)] = _pct(l03, l01_dec)
        if ago in FACTORS:
            l01_ago = _sum(ago, {"A01"}, None)
            l05 = l01 - l01_ago + _added_back_ytd(period) + _added_back_ytd(dec) - _added_back_ytd(ago)
            out[("L05", CITY)] = _yi(l05)
            out[("L06", CITY)] = _pct(l05, l01_ago)
    return out
