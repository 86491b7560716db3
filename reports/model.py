"""The data the reconciliation report renderers take (quality rule 22), and what both derive from it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal

from finstat.periods import check_period

# China has had no daylight saving since 1991, so a fixed offset needs no time-zone database.
BEIJING = timezone(timedelta(hours=8))
CENT = Decimal("0.01")
HUNDRED = Decimal(100)

SEVERITIES = ("error", "warn")
SEVERITY_LABELS = {"error": "错误", "warn": "警告"}
RESULT_LABELS = {True: "通过", False: "未通过"}
WITHIN_LABELS = {True: "是", False: "否", None: "—"}
MISSING = "—"


def _check_decimal(owner: object, name: str, *, optional: bool) -> None:
    """Refuse floats (and anything else) where money or a rate is expected."""
    value = getattr(owner, name)
    if value is None and optional:
        return
    if not isinstance(value, Decimal):
        raise TypeError(f"{type(owner).__name__}.{name} must be Decimal, got {type(value).__name__}")


def _as_tuple(owner: object, name: str) -> None:
    """Store a sequence field as a tuple so the frozen report is really immutable."""
    object.__setattr__(owner, name, tuple(getattr(owner, name)))


@dataclass(frozen=True)
class ReconciliationLine:
    """One compared measure of the month: the bureau's value against the central bank branch's."""

    measure: str
    unit: str
    bureau: Decimal | None
    pbc: Decimal | None
    diff: Decimal | None
    tolerance: Decimal
    within: bool | None
    explanation: str | None

    def __post_init__(self) -> None:
        for name in ("bureau", "pbc", "diff"):
            _check_decimal(self, name, optional=True)
        _check_decimal(self, "tolerance", optional=False)


@dataclass(frozen=True)
class InstitutionRow:
    """One institution's balances in 亿元 and its NPL ratio in %."""

    inst_type: str
    inst_code: str
    inst_name: str
    loans_yi: Decimal
    household_yi: Decimal
    enterprise_yi: Decimal
    npl_yi: Decimal
    npl_ratio_pct: Decimal | None

    def __post_init__(self) -> None:
        for name in ("loans_yi", "household_yi", "enterprise_yi", "npl_yi"):
            _check_decimal(self, name, optional=False)
        _check_decimal(self, "npl_ratio_pct", optional=True)


@dataclass(frozen=True)
class GateLine:
    """One quality rule's result for the month."""

    rule: int
    severity: str
    title: str
    passed: bool
    failing_rows: int
    acknowledgement: str | None

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {SEVERITIES}, got {self.severity!r}")


@dataclass(frozen=True)
class TrendPoint:
    """One month of the 13-month trend: L01 (亿元) and L11 (%)."""

    period: str
    loans_yi: Decimal | None
    npl_ratio_pct: Decimal | None

    def __post_init__(self) -> None:
        check_period(self.period)
        _check_decimal(self, "loans_yi", optional=True)
        _check_decimal(self, "npl_ratio_pct", optional=True)


@dataclass(frozen=True)
class ReconciliationReport:
    """Everything the workbook and the HTML page show for one published version of a month."""

    period: str
    version: int
    published_at: datetime
    city_name: str
    lines: tuple[ReconciliationLine, ...]
    institutions: tuple[InstitutionRow, ...]
    gate: tuple[GateLine, ...]
    trend: tuple[TrendPoint, ...]

    def __post_init__(self) -> None:
        check_period(self.period)
        if self.version < 1:
            raise ValueError(f"versions start at 1, got {self.version}")
        for name in ("lines", "institutions", "gate", "trend"):
            _as_tuple(self, name)


@dataclass(frozen=True)
class Totals:
    """Sums over a group of institutions (a type, or all of them), in unrounded Decimal."""

    label: str
    count: int
    loans_yi: Decimal
    household_yi: Decimal
    enterprise_yi: Decimal
    npl_yi: Decimal

    @property
    def npl_ratio_pct(self) -> Decimal | None:
        """Ratio of the sums: averaging institutions' ratios would weight a small bank like a large one."""
        return npl_ratio(self.npl_yi, self.loans_yi)


_SUMMED = ("loans_yi", "household_yi", "enterprise_yi", "npl_yi")


def npl_ratio(npl_yi: Decimal, loans_yi: Decimal) -> Decimal | None:
    """L11's definition (NPL / loans x 100); None when there are no loans."""
    return None if loans_yi == 0 else npl_yi / loans_yi * HUNDRED


def totals(label: str, rows: Iterable[InstitutionRow]) -> Totals:
    """Sum the balances of rows; rounding happens only when a value is shown."""
    rows = tuple(rows)
    sums = {name: sum((getattr(row, name) for row in rows), Decimal(0)) for name in _SUMMED}
    return Totals(label=label, count=len(rows), **sums)


def by_type(institutions: Iterable[InstitutionRow]) -> tuple[tuple[Totals, tuple[InstitutionRow, ...]], ...]:
    """Institutions grouped by type, types in order of first appearance (the caller's order)."""
    groups: dict[str, list[InstitutionRow]] = {}
    for row in institutions:
        groups.setdefault(row.inst_type, []).append(row)
    return tuple((totals(name, rows), tuple(rows)) for name, rows in groups.items())


def round2(value: Decimal | None) -> Decimal | None:
    """Round half up to 2 places, the publication convention for 亿元 and %."""
    # Adding zero turns -0.00 (a tiny negative difference) into 0.00, so no cell shows "-0.00".
    return None if value is None else value.quantize(CENT, rounding=ROUND_HALF_UP) + 0


def period_label(period: str) -> str:
    """`2024-05` as `2024年5月`."""
    year, month = check_period(period).split("-")
    return f"{year}年{int(month)}月"


def report_title(report: ReconciliationReport) -> str:
    """The title line both renderers print."""
    return f"{report.city_name}金融统计对账表（{period_label(report.period)}，第{report.version}版）"


def published_label(moment: datetime) -> str:
    """A stored time for a Chinese reader, in Beijing time (publication, acknowledgement)."""
    # finstat stores UTC only, so a time without a zone is UTC too, never a Beijing clock reading.
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return f"{moment.astimezone(BEIJING):%Y-%m-%d %H:%M}（北京时间）"
