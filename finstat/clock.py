"""Times are stored in UTC and shown to the officer in Beijing time (Asia/Shanghai)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

BEIJING = ZoneInfo("Asia/Shanghai")


def utc_now() -> datetime:
    """Now, timezone-aware in UTC: what every record stores."""
    return datetime.now(UTC)


def beijing_text(moment: datetime | str | None, seconds: bool = False) -> str:
    """A stored time (aware datetime or ISO text) as the officer reads it: `2022-06-08 14:05 北京时间`."""
    if moment is None:
        return "-"
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)  # finstat stores naive times only in UTC
    shown = moment.astimezone(BEIJING)
    return f"{shown:%Y-%m-%d %H:%M{':%S' if seconds else ''}} 北京时间"
