"""What landing holds: each month's deliveries across sources, without reading any file."""

from __future__ import annotations

import re
from pathlib import Path

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def is_delivery(path: Path) -> bool:
    """Whether a landing folder entry is a delivery (logged, accepted or refused) or a leftover.

    Dotfiles and Excel's "~$" owner files are editor leftovers; no editor leaves "..x", so such a
    name is a delivery (and refused). A symlink is one whatever it points at, to be refused unread:
    a delivery is a file, not a pointer.
    """
    return (path.is_symlink() or path.is_file()) and (
        path.name.startswith("..") or not path.name.startswith((".", "~$"))
    )


def deliveries_by_month(landing: Path) -> dict[str, list[tuple[str, Path]]]:
    """(source, path) of every delivery, by month folder; a month folder that is a link is not followed."""
    months: dict[str, list[tuple[str, Path]]] = {}
    if not landing.is_dir():
        return months
    for source_dir in sorted(p for p in landing.iterdir() if p.is_dir()):
        months_here = (p for p in source_dir.iterdir() if p.is_dir() and not p.is_symlink())
        for month_dir in sorted(p for p in months_here if _MONTH.match(p.name)):
            for path in sorted(month_dir.iterdir()):
                if is_delivery(path):
                    months.setdefault(month_dir.name, []).append((source_dir.name, path))
    return months


def landing_months(landing: Path) -> list[str]:
    """The months with at least one delivery of any source, in order."""
    return sorted(deliveries_by_month(landing))


def has_deliveries(landing: Path, period: str) -> bool:
    """Whether any source delivered anything for the month (its folders alone are looked at)."""
    if not landing.is_dir():
        return False
    for source_dir in (p for p in landing.iterdir() if p.is_dir()):
        month_dir = source_dir / period
        if month_dir.is_dir() and not month_dir.is_symlink() and any(map(is_delivery, month_dir.iterdir())):
            return True
    return False
