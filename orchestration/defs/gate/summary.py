"""Counts and shares of balance per institution for the loan-level warnings (rules 15-17)."""

from decimal import Decimal

SUMMARY_COLUMNS = ["inst_code", "loan_count", "balance_yuan", "inst_balance_yuan", "share_pct"]


def loan_warning_summary(failing_rows: list[dict]) -> list[dict]:
    """One row per institution: how many loans the warning names and their share of its book."""
    by_inst: dict[str, dict] = {}
    for row in failing_rows:
        if "balance_yuan" not in row:
            return []  # not a loan-level rule
        entry = by_inst.setdefault(
            row["inst_code"],
            {
                "inst_code": row["inst_code"],
                "loan_count": 0,
                "balance_yuan": Decimal(0),
                "inst_balance_yuan": row.get("inst_balance_yuan"),
            },
        )
        entry["loan_count"] += 1
        entry["balance_yuan"] += row["balance_yuan"] or Decimal(0)
    for entry in by_inst.values():
        total = entry["inst_balance_yuan"]
        # Shown to the officer, never published: 4 places, since one loan is often < 0.01% of a book.
        entry["share_pct"] = (
            (entry["balance_yuan"] * 100 / total).quantize(Decimal("0.0001")) if total else None
        )
    return sorted(by_inst.values(), key=lambda e: e["inst_code"])
