"""A tiny rural_credit lake agreeing with tiny_lake's bank reports, planted defects, and figures R01-R09."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_DOWN, Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ingestion.rural_credit import DISPOSALS_SCHEMA, LOANS_SCHEMA
from tests.dbt import tiny_lake
from tests.dbt.tiny_lake import B2, B4, CITY, COUNTIES

CLASSES = {"C01": "正常", "C02": "关注", "C03": "次级", "C04": "可疑", "C05": "损失"}
MONTH_END = {"2021-12": date(2021, 12, 31), "2022-04": date(2022, 4, 30), "2022-05": date(2022, 5, 31)}
# Loan detail per month: B2 (浚县农商行, counties 410621/410622) every month, B4 (淇县农信社) in 2021-12.
RURAL_INSTS = {"2021-12": [B2, B4], "2022-04": [B2], "2022-05": [B2]}

# Poverty-relief loans (脱贫人口小额信贷): the borrower P1 has two at B2, P2 one at B2 and one at B4.
POVERTY = {("410621", "C01"): ("50000.00", "P1"), ("410622", "C01"): ("30000.00", "P2")}
POVERTY_B4 = ("10000.00", "P2")

# Planted defects (build month 2022-05 unless said otherwise), by loan:
DUPLICATE = "B2-410621-C04-1"  # rule 13: delivered twice; the second row (1.00 元) is dropped
OVERDUE = "B2-410621-C02-1"  # rule 15: 关注 but 120 days overdue
BAD_ID = "B2-410622-C02-1"  # rule 16 (and B4's poverty loan in 2021-12)
BAD_ID_B4 = "B4-410622-C01-2"
VANISHED = "B2-410621-C03-2"  # rule 17: 次级 6000 元 in 2022-04, gone in 2022-05, no disposal
DISPOSED = "B2-410621-C03-3"  # 次级 4000 元 in 2022-04, gone in 2022-05 with a 现金清收 record
RECLASSED = "B2-410622-C04-2"  # rule 14: 20000 元 the bank reports as 次级, the loan detail as 可疑
RECLASSED_AMOUNT = Decimal("20000.00")
SHIFTED_AMOUNT = Decimal("9000.00")  # B2 2021-12: 正常 -> 次级 in the loan detail only, within tolerance

# Disposal events: (period, inst, disposal_id, loan_id, method, item, principal, interest)
DISPOSALS = [
    ("2022-04", B2, "CZ202204001", "B2-410621-C05-9", "转让", "D03", "300000.00", "1234.56"),  # = bank D03
    ("2022-05", B2, "CZ202205001", DISPOSED, "现金清收", "D01", "4000.00", "100.00"),  # bank D01 0: < 1 万元
]


def _key(label: str) -> str:
    return hashlib.sha256(label.encode()).hexdigest()


@dataclass
class Loan:
    inst: str
    county: str
    item: str
    n: int
    balance: Decimal
    borrower: str = ""
    poverty: bool = False
    overdue_days: int = 0
    id_check_ok: bool | None = True
    id_type: str = "身份证"

    @property
    def loan_id(self) -> str:
        return f"{self.inst[:2]}-{self.county}-{self.item}-{self.n}"


def month_loans(inst: str, period: str) -> list[Loan]:
    """The loans of one institution and month, in delivery order; classes sum to the bank cells."""
    cells = tiny_lake.county_cells(inst, period)
    loans: list[Loan] = []
    for county in tiny_lake.BASES[inst]:
        c = {item: cells[(county, item)] for item in CLASSES}
        # A01 is matched exactly: the normal class takes what the other four leave.
        c["C01"] = cells[(county, "A01")] - c["C02"] - c["C03"] - c["C04"] - c["C05"]
        parts: dict[str, list[Loan]] = {
            item: [Loan(inst, county, item, 1, amount)] for item, amount in c.items()
        }
        overdue = {"C03": 120, "C04": 200, "C05": 400}
        for item, days in overdue.items():
            parts[item][0].overdue_days = days
        poverty = POVERTY.get((county, "C01")) if inst == B2 else POVERTY_B4
        if poverty:
            amount, who = Decimal(poverty[0]), poverty[1]
            parts["C01"][0].balance -= amount
            parts["C01"].append(Loan(inst, county, "C01", 2, amount, borrower=who, poverty=True))
        if inst == B2 and county == "410621":
            parts["C02"][0].borrower, parts["C02"][0].poverty = "P1", True
            if period == "2021-12":  # 9000 元 more 次级 than the bank reports: within the 1 万元 tolerance
                parts["C01"][0].balance -= SHIFTED_AMOUNT
                parts["C03"][0].balance += SHIFTED_AMOUNT
            if period == "2022-04":
                parts["C03"][0].balance -= Decimal("10000.00")
                parts["C03"] += [
                    Loan(inst, county, "C03", 2, Decimal("6000.00"), overdue_days=150),
                    Loan(inst, county, "C03", 3, Decimal("4000.00"), overdue_days=150),
                ]
        if inst == B2 and county == "410622":
            parts["C05"][0].id_type, parts["C05"][0].id_check_ok = "其他", None  # not checkable: no row
            parts["C01"][0].overdue_days = 90  # at the limit: no rule 15 row
            if period == tiny_lake.BUILD_PERIOD:
                parts["C03"][0].balance -= RECLASSED_AMOUNT
                parts["C04"].append(Loan(inst, county, "C04", 2, RECLASSED_AMOUNT, overdue_days=100))
        for part in parts.values():
            loans.extend(part)
    for loan in loans:
        if period == tiny_lake.BUILD_PERIOD and loan.loan_id == OVERDUE:
            loan.overdue_days = 120
        if period == tiny_lake.BUILD_PERIOD and loan.loan_id == BAD_ID:
            loan.id_check_ok = False
        if period == "2021-12" and loan.loan_id == BAD_ID_B4:
            loan.id_check_ok = False
    return loans


def _loan_row(loan: Loan, period: str) -> dict:
    loan_id = loan.loan_id
    borrower = loan.borrower or loan_id
    return {
        "period": period,
        "data_date": MONTH_END[period],
        "inst_code": loan.inst,
        "loan_id": loan_id,
        "customer_no": f"KH{_key(borrower)[:8].upper()}",
        "name_key": _key(f"name:{borrower}"),
        "id_type": loan.id_type,
        "borrower_key": _key(f"id:{borrower}"),
        "id_check_ok": loan.id_check_ok,
        "customer_type": "个人",
        "county_code": loan.county,
        "industry_code": "A01",
        "issue_date": date(2021, 3, 15),
        "maturity_date": date(2024, 3, 15),
        "issued_amount_yuan": loan.balance + Decimal("1000.00"),
        "balance_yuan": loan.balance,
        "overdue_days": loan.overdue_days,
        "risk_class": CLASSES[loan.item],
        "risk_item": loan.item,
        "poverty_flag": loan.poverty,
        "inclusive_flag": False,
        "agri_flag": True,
    }


@dataclass
class LakeFile:
    table: str  # rural_credit_loans | rural_credit_disposals
    inst: str
    period: str
    revision: int
    rows: list[dict]

    @property
    def source_file(self) -> str:
        kind = "贷款明细" if self.table == "rural_credit_loans" else "不良处置"
        suffix = f"_v{self.revision}" if self.revision > 1 else ""
        return f"rural_credit/{self.period}/{self.inst}_{self.period.replace('-', '')}_{kind}{suffix}.csv"


def lake_files() -> list[LakeFile]:
    files = []
    for period, insts in RURAL_INSTS.items():
        for inst in insts:
            rows = [_loan_row(loan, period) for loan in month_loans(inst, period)]
            revision = 1
            if inst == B2 and period == tiny_lake.BUILD_PERIOD:
                duplicate = next(r for r in rows if r["loan_id"] == DUPLICATE)
                rows.append(
                    {**duplicate, "balance_yuan": Decimal("1.00"), "issued_amount_yuan": Decimal("1.00")}
                )
                # A first, wrong 贷款明细 (one loan of 999999.99 元) superseded by this revision 2.
                files.append(
                    LakeFile(
                        "rural_credit_loans",
                        inst,
                        period,
                        1,
                        [{**rows[0], "balance_yuan": Decimal("999999.99")}],
                    )
                )
                revision = 2
            files.append(LakeFile("rural_credit_loans", inst, period, revision, rows))
    for period, inst, disposal_id, loan_id, method, item, principal, interest in DISPOSALS:
        row = {
            "period": period,
            "data_date": MONTH_END[period],
            "inst_code": inst,
            "disposal_id": disposal_id,
            "loan_id": loan_id,
            "disposal_date": MONTH_END[period],
            "method_name": method,
            "method_item": item,
            "principal_yuan": Decimal(principal),
            "interest_yuan": Decimal(interest),
        }
        files.append(LakeFile("rural_credit_disposals", inst, period, 1, [row]))  # stays revision 1
    return files


def write_lake(home: Path) -> None:
    """Write both rural_credit lake tables (with their zero-row _schema.parquet) under home/lake."""
    ingested = datetime(2022, 6, 9, 8, 0)
    for table, schema in (("rural_credit_loans", LOANS_SCHEMA), ("rural_credit_disposals", DISPOSALS_SCHEMA)):
        folder = home / "lake" / table
        folder.mkdir(parents=True)
        pq.write_table(schema.empty_table(), folder / "_schema.parquet")
    for f in lake_files():
        sha = _key(f"{f.source_file}:{f.revision}")
        rows = [
            {**row, "source_file": f.source_file, "row_number": 2 + n, "file_sha256": sha, "revision": f.revision,
             "ingested_at": ingested}
            for n, row in enumerate(f.rows)
        ]  # fmt: skip
        schema = LOANS_SCHEMA if f.table == "rural_credit_loans" else DISPOSALS_SCHEMA
        target = home / "lake" / f.table / f"period={f.period}"
        target.mkdir(exist_ok=True)
        pq.write_table(pa.Table.from_pylist(rows, schema=schema), target / f"{f.inst}__{sha[:12]}.parquet")


# ---- independently computed figures (Python Decimal, no SQL) ---------------------------------

TEN = Decimal("1E-10")


def current_loans(period: str) -> list[dict]:
    """Rows of the latest revision, one per (institution, 借据号): the first delivered."""
    files = [f for f in lake_files() if f.table == "rural_credit_loans" and f.period == period]
    latest = {f.inst: max(g.revision for g in files if g.inst == f.inst) for f in files}
    out, seen = [], set()
    for f in files:
        if f.revision != latest[f.inst]:
            continue
        for row in f.rows:
            if (f.inst, row["loan_id"]) not in seen:
                seen.add((f.inst, row["loan_id"]))
                out.append(row)
    return out


def _pct(num: Decimal, den: Decimal) -> Decimal:
    return (num * 100 / den).quantize(TEN, rounding=ROUND_DOWN)


def disposed_ytd_yi(period: str) -> Decimal:
    """处置本金 of the disposal files of January..period, in 亿元 (R07 when no month is missing)."""
    return tiny_lake._yi(
        sum((Decimal(d[6]) for d in DISPOSALS if d[0][:4] == period[:4] and d[0] <= period), Decimal(0))
    )


def expected_figures(period: str) -> dict[tuple[str, str], Decimal]:
    """(indicator_code, region_code) -> value of R01..R09 for a month with loan detail."""
    loans = current_loans(period)
    out: dict[tuple[str, str], Decimal] = {}

    def sums(rows):
        balance = sum((r["balance_yuan"] for r in rows), Decimal(0))
        npl = sum((r["balance_yuan"] for r in rows if r["risk_item"] in ("C03", "C04", "C05")), Decimal(0))
        return balance, npl

    for region in [CITY, *COUNTIES]:
        balance, npl = sums([r for r in loans if region == CITY or r["county_code"] == region])
        out[("R01", region)] = tiny_lake._yi(balance)
        out[("R02", region)] = tiny_lake._yi(npl)
        if balance:
            out[("R03", region)] = _pct(npl, balance)
    balance, npl = sums(loans)
    dec = f"{int(period[:4]) - 1}-12"
    if dec in RURAL_INSTS:
        balance_dec, npl_dec = sums(current_loans(dec))
        out[("R04", CITY)] = _pct(npl_dec * balance - npl * balance_dec, npl_dec * balance)
        out[("R05", CITY)] = tiny_lake._yi(npl - npl_dec)
        double_fall = npl < npl_dec and npl / balance < npl_dec / balance_dec
        out[("R06", CITY)] = Decimal(1 if double_fall else 0)
    # R07 is the year's disposals only when every month since January has rural-credit data.
    if all(f"{period[:4]}-{m:02d}" in RURAL_INSTS for m in range(1, int(period[5:]))):
        out[("R07", CITY)] = disposed_ytd_yi(period)
    poverty = [r for r in loans if r["poverty_flag"]]
    out[("R08", CITY)] = (sum((r["balance_yuan"] for r in poverty), Decimal(0)) / 10000).quantize(TEN)
    out[("R09", CITY)] = Decimal(len({r["borrower_key"] for r in poverty}))
    return out
