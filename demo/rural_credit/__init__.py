"""Deterministic loan-level rural_credit demo data (贷款明细 / 不良处置) that agrees with the bank_loans reports."""

# The package's public API; the modules below it import each other directly, never this file.
from demo.rural_credit.base import (
    ALL_VARIATIONS,
    CLASS_ITEMS,
    CLASS_NAMES,
    DISPOSAL_HEADER,
    ENCODING,
    LOAN_HEADER,
    METHOD_NAMES,
    SOURCE,
    month_end,
)
from demo.rural_credit.benchmark import write_benchmark_month
from demo.rural_credit.files import file_names, render_disposals, render_loans, write_rural_credit
from demo.rural_credit.identities import Borrower
from demo.rural_credit.loans import DisposalEvent, LoanRow
from demo.rural_credit.simulation import FileStyle, RuralCreditData, simulate

__all__ = [
    "ALL_VARIATIONS",
    "CLASS_ITEMS",
    "CLASS_NAMES",
    "DISPOSAL_HEADER",
    "ENCODING",
    "LOAN_HEADER",
    "METHOD_NAMES",
    "SOURCE",
    "Borrower",
    "DisposalEvent",
    "FileStyle",
    "LoanRow",
    "RuralCreditData",
    "file_names",
    "month_end",
    "render_disposals",
    "render_loans",
    "simulate",
    "write_benchmark_month",
    "write_rural_credit",
]
