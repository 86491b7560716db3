"""The rural_credit landing files: 贷款明细 and 不良处置 CSVs (GB 18030, CRLF) in each file's style."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from demo.rural_credit.base import CLASS_NAMES, DISPOSAL_HEADER, ENCODING, LOAN_HEADER, SOURCE, month_end
from demo.rural_credit.simulation import RuralCreditData


def _yuan_text(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def _date_text(day: dt.date, style: str) -> str:
    return f"{day:%Y-%m-%d}" if style == "dash" else f"{day:%Y%m%d}"


def render_loans(data: RuralCreditData, period: str, inst: str) -> bytes:
    style = data.styles[(period, inst)]
    data_date = f"{month_end(period):%Y%m%d}"
    yes, no = ("Y", "N") if style.flags == "YN" else ("是", "否")
    issue_style = "compact" if style.dates == "mixed" else style.dates
    maturity_style = "dash" if style.dates == "mixed" else style.dates
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(LOAN_HEADER)
    for loan, balance, cls, days in data.snapshots[(period, inst)]:
        b = loan.borrower
        writer.writerow(
            (
                data_date,
                inst,
                loan.loan_id,
                b.customer_no,
                b.name,
                b.id_type,
                b.id_number,
                b.customer_type,
                loan.county,
                loan.industry,
                _date_text(loan.issue_date, issue_style),
                _date_text(loan.maturity_date, maturity_style),
                _yuan_text(loan.issued),
                _yuan_text(balance),
                days,
                str(cls) if style.classes == "digit" else CLASS_NAMES[cls - 1],
                yes if loan.poverty else no,
                yes if loan.inclusive else no,
                yes if loan.agri else no,
            )
        )
    return out.getvalue().encode(ENCODING)


def render_disposals(data: RuralCreditData, period: str, inst: str) -> bytes:
    style = data.styles[(period, inst)]
    date_style = "compact" if style.dates == "mixed" else style.dates
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(DISPOSAL_HEADER)
    for e in data.disposals[(period, inst)]:
        writer.writerow(
            (
                f"{e.data_date:%Y%m%d}",
                e.inst_code,
                e.disposal_id,
                e.loan_id,
                _date_text(e.disposal_date, date_style),
                e.method_name,
                f"{e.principal:.2f}",
                f"{e.interest:.2f}",
            )
        )
    return out.getvalue().encode(ENCODING)


def file_names(period: str, inst: str) -> tuple[str, str]:
    yyyymm = period.replace("-", "")
    return f"{inst}_{yyyymm}_贷款明细.csv", f"{inst}_{yyyymm}_不良处置.csv"


def write_rural_credit(data: RuralCreditData, landing: Path) -> list[Path]:
    """Write landing/rural_credit/<YYYY-MM>/<inst>_<YYYYMM>_贷款明细.csv and _不良处置.csv; return the paths."""
    written = []
    for period in data.periods:
        folder = Path(landing) / SOURCE / period
        folder.mkdir(parents=True, exist_ok=True)
        for inst in data.institutions:
            loans_name, disposals_name = file_names(period, inst)
            (folder / loans_name).write_bytes(render_loans(data, period, inst))
            (folder / disposals_name).write_bytes(render_disposals(data, period, inst))
            written += [folder / loans_name, folder / disposals_name]
    return written
