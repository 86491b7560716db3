"""The bank_loans item catalogue (A/B/C balances, D disposals) and the measures each carries."""

from __future__ import annotations

BALANCE_MEASURE = "余额"
MONTH_MEASURE = "本月"
YTD_MEASURE = "本年累计"

BALANCE_ITEMS: tuple[str, ...] = (
    *(f"A{i:02d}" for i in range(1, 12)),
    *(f"B{i:02d}" for i in range(1, 4)),
    *(f"C{i:02d}" for i in range(1, 6)),
)
DISPOSAL_ITEMS: tuple[str, ...] = tuple(f"D{i:02d}" for i in range(1, 8))


def measures_for(item_code: str) -> tuple[str, ...]:
    """Measures an item may carry: 余额 for A/B/C, 本月 and 本年累计 for D."""
    if item_code in BALANCE_ITEMS:
        return (BALANCE_MEASURE,)
    if item_code in DISPOSAL_ITEMS:
        return (MONTH_MEASURE, YTD_MEASURE)
    return ()
