"""A ledger row's life (entered on a day, completed or corrected later) and the ledgers' monthly snapshots."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from demo.ledgers.base import LEDGERS, SHEETS, export_date


@dataclass(eq=False)
class Entry:
    """One ledger row: its values when the officer entered it and the later changes, each on its day."""

    ledger: str
    sheet: str
    entered: dt.date
    values: dict[str, object]
    updates: list[tuple[dt.date, dict[str, object]]] = field(default_factory=list)
    remark: str = ""  # what an officer notes in 备注 (files with that column only)

    def update(self, on: dt.date, **changes: object) -> None:
        """A later completion or correction (放款 filled in, 签约 confirmed, a new 阶段, 出库)."""
        if on < self.entered:
            raise ValueError(f"{self.sheet}: an update on {on} precedes the entry on {self.entered}")
        self.updates.append((on, changes))
        self.updates.sort(key=lambda pair: pair[0])

    def row(self, at: dt.date) -> dict[str, object] | None:
        """The row as the ledger holds it on day `at` (None before it was entered)."""
        if self.entered > at:
            return None
        out = dict(self.values)
        for on, changes in self.updates:
            if on <= at:
                out.update(changes)
        return out


@dataclass(eq=False, repr=False)
class LedgerData:
    """Every ledger row since the ledgers began, and the months whose files are exported."""

    periods: list[str]
    entries: list[Entry]
    _by_sheet: dict[tuple[str, str], list[Entry]] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        grouped: dict[tuple[str, str], list[Entry]] = defaultdict(list)
        for entry in self.entries:
            grouped[(entry.ledger, entry.sheet)].append(entry)
        # A ledger is kept in the order its rows were entered (stable for the same day).
        self._by_sheet = {key: sorted(rows, key=lambda e: e.entered) for key, rows in grouped.items()}

    def __repr__(self) -> str:
        span = f"{self.periods[0]}..{self.periods[-1]}" if self.periods else "no months"
        return f"LedgerData({span}, {len(self.entries)} rows)"

    def sheet_entries(self, ledger: str, sheet: str) -> list[Entry]:
        return self._by_sheet.get((ledger, sheet), [])

    def snapshot(self, ledger: str, period: str) -> dict[str, list[tuple[Entry, dict[str, object]]]]:
        """Each sheet of the ledger as exported for `period`: (entry, row) in ledger order."""
        at = export_date(period)
        out = {}
        for sheet in SHEETS[ledger]:
            rows = ((entry, entry.row(at)) for entry in self.sheet_entries(ledger, sheet))
            out[sheet] = [(entry, row) for entry, row in rows if row is not None]
        return out

    @property
    def files(self) -> list[tuple[str, str]]:
        """(period, ledger) of every file, month by month."""
        return [(period, ledger) for period in self.periods for ledger in LEDGERS]
