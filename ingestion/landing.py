"""What landing holds: each month's deliveries across sources, without reading any file."""

from __future__ import annotations

import re
from collections.abc import Iterable
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


def deliveries_by_month(landing: Path, sources: Iterable[str]) -> dict[str, list[tuple[str, Path]]]:
    """(source, path) of every delivery of the sources, by month folder; a month folder that is a link is not followed.

    Only the registered sources' folders count (callers pass ingestion.registry.SOURCE_NAMES): files
    in any other folder are never ingested, so they neither start a run nor make a month
    (unread_folders names such folders for `finstat status`).
    """
    months: dict[str, list[tuple[str, Path]]] = {}
    if not landing.is_dir():
        return months
    for source_dir in sorted(landing / name for name in set(sources) if (landing / name).is_dir()):
        months_here = (p for p in source_dir.iterdir() if p.is_dir() and not p.is_symlink())
        for month_dir in sorted(p for p in months_here if _MONTH.match(p.name)):
            for path in sorted(month_dir.iterdir()):
                if is_delivery(path):
                    months.setdefault(month_dir.name, []).append((source_dir.name, path))
    return months


def landing_months(landing: Path, sources: Iterable[str]) -> list[str]:
    """The months with at least one delivery of any of the sources, in order."""
    return sorted(deliveries_by_month(landing, sources))


def has_deliveries(landing: Path, period: str, sources: Iterable[str]) -> bool:
    """Whether any of the sources delivered anything for the month (its folders alone are looked at)."""
    for name in sources:
        month_dir = landing / name / period
        if month_dir.is_dir() and not month_dir.is_symlink() and any(map(is_delivery, month_dir.iterdir())):
            return True
    return False


def unread_folders(landing: Path, sources: Iterable[str]) -> list[str]:
    """Landing's folders that are no source's (a sender's typo, a source finstat does not read yet)."""
    if not landing.is_dir():
        return []
    known = set(sources)
    return sorted(
        p.name for p in landing.iterdir() if p.is_dir() and not p.name.startswith(".") and p.name not in known
    )
