"""What a parsed bank_loans report hands to the lake: its header and one AmountRow per amount."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol


@dataclass(frozen=True)
class AmountRow:
    """One reported amount, already in 元, with where it was read from."""

    county_code: str
    item_code: str
    measure: str
    amount_yuan: Decimal
    unit: str
    sheet: str | None
    row_number: int
    column_ref: str


class BankLoanReport(Protocol):
    """A report opened far enough to know who sent it for which month.

    Reading the amounts is a second step so the run can check the month (rule 2) and the institution
    (rules 3, 4) before spending time on the body, and still log inst_code/period for a body defect.
    """

    inst_code: str
    period: str
    unit: str
    # (sheet, row, column) of the cells the institution and the month were read from.
    inst_at: tuple[str | None, int | None, str | None]
    period_at: tuple[str | None, int | None, str | None]

    def amounts(self) -> list[AmountRow]: ...
