"""A benchmark landing folder: the demo's extracts with big 贷款明细 files that still pass finstat's gate."""

from __future__ import annotations

import csv
import shutil
from dataclasses import dataclass
from pathlib import Path

from bench.loan_file import Cell, allocate_rows, write_loan_file
from demo.bank_programmes import SOURCE as PROGRAMMES
from demo.generator import GEN_START, build_dataset, write_landing
from demo.rural_credit import CLASS_ITEMS, SOURCE, write_rural_credit
from finstat.items import DISPOSAL_ITEMS
from finstat.periods import add_months, month_range, previous_december

BANK_TOTALS = "bank_totals.csv"
CHECKED_BALANCE_ITEMS = ("A01", "C03", "C04", "C05")


@dataclass
class BenchLanding:
    """Where the benchmark's inputs are, and the cents each (month, inst, county, class) adds up to."""

    landing: Path
    first: str
    months: list[str]
    rows: int
    bank_totals: Path
    targets: dict[tuple[str, str, str, str], int]  # (period, inst, county, C0x) -> cents
    files: list[Path]


def month_cells(
    targets: dict[tuple[str, str, str, str], int], period: str, rows: int
) -> dict[str, list[Cell]]:
    """Per institution, its cells (non-performing first, 正常 last) sharing `rows` in proportion to balance."""
    keys = sorted(
        (k for k, cents in targets.items() if k[0] == period and cents > 0),
        key=lambda k: (k[1], -CLASS_ITEMS.index(k[3]), k[2]),
    )
    counts = allocate_rows(rows, [targets[k] for k in keys])
    cells: dict[str, list[Cell]] = {}
    for key, n in zip(keys, counts, strict=True):
        # At least 1 元 a loan on average, so split_cents can give every loan a positive balance.
        n = min(n, targets[key] // 100)
        cells.setdefault(key[1], []).append(Cell(key[2], CLASS_ITEMS.index(key[3]) + 1, n, targets[key]))
    return cells


def _write_bank_totals(dataset, path: Path) -> None:
    """The rural institutions' bank_loans figures rule 14 compares with, for the baseline (元)."""
    rural = {inst.code for inst in dataset.institutions if inst.is_rural_credit}
    sums: dict[tuple[str, str, str, str], object] = {}
    for (period, inst, _county, item), amount in dataset.balances.items():
        if inst in rural and item in CHECKED_BALANCE_ITEMS:
            key = (period, inst, item, "余额")
            sums[key] = sums.get(key, 0) + amount
    for (period, inst, item), (month, _ytd) in dataset.disposals.items():
        if inst in rural and item in DISPOSAL_ITEMS:
            sums[(period, inst, item, "本月")] = month
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(("period", "inst_code", "item_code", "measure", "amount_yuan"))
        for key in sorted(sums):
            writer.writerow((*key, f"{sums[key]:.2f}"))


def build_landing(root: Path, months: list[str], rows: int, all_sources: bool = True) -> BenchLanding:
    """Write the demo landing (from 12 months before the first benchmarked month) into root/landing,
    then replace the rural 贷款明细 of each month in `months` by files of `rows` loans in all
    (none when rows is 0: the demo's own files, the "tiny" case). The bank totals go to root.
    all_sources=False writes the rural_credit files only (what the baseline reads; for tests)."""
    first = max(GEN_START, add_months(months[0], -12))
    dataset = build_dataset(first=first, last=months[-1])
    landing = root / "landing"
    rural = dataset.rural_credit
    if all_sources:
        files = write_landing(dataset, landing)
    else:  # what the baseline reads: the months, their prior December and the year's disposals
        needed = {m for p in months for m in month_range(previous_december(p), p)}
        files = write_rural_credit(rural.restrict(sorted(needed)), landing)
    targets = rural.class_sums()
    bank_totals = root / BANK_TOTALS
    _write_bank_totals(dataset, bank_totals)
    big = []
    for period in months if rows else []:
        previous = add_months(period, -1)
        for inst, cells in month_cells(targets, period, rows).items():
            carried = []
            if previous not in months and (previous, inst) in rural.snapshots:
                # Last month is the demo's: its bad loans stay on the books (as 正常) instead of vanishing.
                carried = [
                    loan.loan_id for loan, _b, cls, _d in rural.snapshots[(previous, inst)] if cls >= 3
                ]
            big.append(write_loan_file(landing / SOURCE / period, period, inst, cells, carried))
        # The programme reports' rural F02 are the demo's loan files, not these (rule 26 would block
        # the month): a benchmarked month carries no programme report, so its V and H are withheld
        # and the month is published as the other benchmarked figures need.
        shutil.rmtree(landing / PROGRAMMES / period, ignore_errors=True)
        files = [f for f in files if f.parent != landing / PROGRAMMES / period]
    return BenchLanding(landing, first, months, rows, bank_totals, targets, files + big)
