"""Assemble a month's ReconciliationReport from the working database, the acks and published/."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from expectations.rules import GATE_RULES
from finstat.acks import acks_in_force
from finstat.gate_record import read_gate_record
from finstat.money import round_for_publication
from finstat.periods import add_months, month_range
from finstat.publication.publish import latest_versions, read_history
from finstat.reference import City
from finstat.settings import Settings
from finstat.warehouse import query
from reports.html import write_html
from reports.model import GateLine, InstitutionRow, ReconciliationLine, ReconciliationReport, TrendPoint
from reports.workbook import write_workbook

RECONCILIATION_RULE = 22
YI = Decimal(100_000_000)
_INSTITUTIONS_SQL = """
    select
        i.inst_type, b.inst_code, i.inst_name,
        coalesce(sum(b.amount_yuan) filter (where b.item_code = 'A01'), 0) as loans,
        coalesce(sum(b.amount_yuan) filter (where b.item_code = 'A02'), 0) as household,
        coalesce(sum(b.amount_yuan) filter (where b.item_code = 'A05'), 0) as enterprise,
        coalesce(sum(b.amount_yuan) filter (where b.item_code in ('C03', 'C04', 'C05')), 0) as npl
    from {main}.fct_loan_balances as b
    left join {main}.dim_institution as i on i.inst_code = b.inst_code
    where b.period = ?
    group by all
    order by i.inst_type nulls last, b.inst_code
"""


def _lines(settings: Settings, period: str, explanation: str | None) -> list[ReconciliationLine]:
    rows = query(
        settings,
        "select * from audit.qr_22_pbc_reconciliation where period = ? order by line_order",
        [period],
    ).to_pylist()
    out = []
    for row in rows:
        out.append(
            ReconciliationLine(
                measure=row["measure"],
                unit=row["unit"],
                bureau=row["bureau_value"],
                pbc=row["pbc_value"],
                diff=row["diff_value"],
                tolerance=row["tolerance_value"],
                within=row["passed"],
                explanation=None if row["passed"] else explanation,
            )
        )
    return out


def _institutions(settings: Settings, period: str) -> list[InstitutionRow]:
    table = query(settings, _INSTITUTIONS_SQL, [period])
    rows = zip(*(table.column(i).to_pylist() for i in range(table.num_columns)), strict=True)
    return [
        InstitutionRow(
            inst_type=inst_type or "未登记",
            inst_code=code,
            inst_name=name or "",
            loans_yi=loans / YI,
            household_yi=household / YI,
            enterprise_yi=enterprise / YI,
            npl_yi=npl / YI,
            npl_ratio_pct=(npl * 100 / loans) if loans else None,
        )
        for inst_type, code, name, loans, household, enterprise, npl in rows
    ]


def _gate(settings: Settings, period: str, acks: dict[int, dict]) -> list[GateLine]:
    """Each gate rule's failing rows for the month, as its audit model decided them."""
    # One query for every rule: on Spark each query is a round trip to the Thrift server.
    counts = query(
        settings,
        " union all ".join(
            f"select {spec.rule} as rule, count(*) filter (where not passed) as failing"
            f" from audit.{spec.model} where period = ?"
            for spec in GATE_RULES
        ),
        [period] * len(GATE_RULES),
    ).to_pylist()
    failing_by_rule = {row["rule"]: row["failing"] for row in counts}
    lines = []
    for spec in GATE_RULES:
        failing = failing_by_rule[spec.rule]
        ack = acks.get(spec.rule)
        lines.append(
            GateLine(
                rule=spec.rule,
                severity=spec.severity,
                title=spec.title,
                passed=failing == 0,
                failing_rows=int(failing),
                acknowledgement=ack["reason"] if ack and failing else None,
            )
        )
    return lines


def _trend(settings: Settings, period: str, city: City) -> list[TrendPoint]:
    """L01 and L11 of the 13 months up to the period, from what is published (gaps where not)."""
    current = latest_versions(read_history(settings.published)).to_pylist()
    city = {
        (r["period"], r["indicator_code"]): round_for_publication(r["value"], r["unit"])
        for r in current
        if city.is_city(r["region_code"]) and r["indicator_code"] in ("L01", "L11")
    }
    return [
        TrendPoint(period=p, loans_yi=city.get((p, "L01")), npl_ratio_pct=city.get((p, "L11")))
        for p in month_range(add_months(period, -12), period)
    ]


def build_report(
    settings: Settings, period: str, version: int, published_at, city: City
) -> ReconciliationReport:
    """The month's reconciliation with the central bank branch, as published in `version`."""
    # The acknowledgements that covered this month's failing rows in its latest run (gate record).
    record = read_gate_record(settings.home, period)
    acks = acks_in_force(settings.acks_dir, period, record["checks"] if record else [])
    explanation = acks.get(RECONCILIATION_RULE, {}).get("reason")
    lines = _lines(settings, period, explanation)
    institutions = _institutions(settings, period)
    gate = _gate(settings, period, acks)
    return ReconciliationReport(
        period=period,
        version=version,
        published_at=published_at,
        city_name=city.name,
        lines=tuple(lines),
        institutions=tuple(institutions),
        gate=tuple(gate),
        trend=tuple(_trend(settings, period, city)),
    )


def report_paths(published: Path, period: str, version: int) -> tuple[Path, Path]:
    """published/reports/<YYYY-MM>/: one workbook and one page per published version, never replaced."""
    folder = published / "reports" / period
    stem = f"金融统计对账表_{period}_v{version}"
    return folder / f"{stem}.xlsx", folder / f"{stem}.html"


def write_reports(published: Path, report: ReconciliationReport) -> tuple[Path, Path]:
    """Write the version's workbook and page into a published/ folder (a release being prepared)."""
    xlsx, page = report_paths(published, report.period, report.version)
    xlsx.parent.mkdir(parents=True, exist_ok=True)
    return write_workbook(report, xlsx), write_html(report, page)
