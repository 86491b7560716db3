"""`finstat files --month M`: every file of a month across sources, what became of it, which is current."""

from __future__ import annotations

from finstat.acks import load_dismissals
from finstat.periods import check_period
from finstat.settings import Settings
from ingestion.file_status import current_files, kind, report_key, resolved_by
from ingestion.log import ACCEPTED, DUPLICATE, REJECTED, SUPERSEDED, UNCHANGED, FileOutcome, read_log


def _status(o: FileOutcome, log: list[FileOutcome], current: dict, dismissed: dict) -> str:
    """One file's status in words: accepted / superseded / rejected (and whether it still blocks) ..."""
    if o.status == ACCEPTED:
        now = current[report_key(o)]
        if now is o:
            return "accepted, current" + (f" — {o.reason}" if o.reason else "")
        return f"superseded by {now.file_path} (revision {now.revision or 1})"
    if o.status == REJECTED:
        text = f"rejected: {o.reason}"  # the reason names the rule, file, sheet, row and column
        later = resolved_by(o, log)
        if later is not None:
            return f"{text} — resolved by {later.file_path} ({later.status})"
        if (o.file_path, o.file_sha256) in dismissed:
            return f"{text} — dismissed: {dismissed[o.file_path, o.file_sha256]}"
        return f"{text} — OPEN, blocks the month"
    if o.status in (UNCHANGED, DUPLICATE):
        return f"unchanged re-delivery, no action needed: {o.reason}"
    if o.status == SUPERSEDED:
        return f"superseded on arrival: {o.reason}"
    return f"{o.status}: {o.reason}"


def month_files(settings: Settings, period: str) -> list[str]:
    """The lines to print: one per logged file of the month's landing folders, `*` on current ones."""
    log = read_log(settings.lake, folder_period=check_period(period))
    if not log:
        return [f"{period}: no file of this month in the ingestion log"]
    current = current_files(log)
    dismissed = {
        (d["file_path"], d["file_sha256"]): d["reason"] for d in load_dismissals(settings.acks_dir, period)
    }
    # Each report's deliveries together, in the order they were logged; files of no known sender last.
    ordered = sorted(
        log, key=lambda o: (o.source, o.inst_code is None, o.inst_code or "", kind(o), o.logged_at)
    )
    lines = [f"{period}: {len(log)} files (* = the current revision of its report)"]
    for o in ordered:
        mark = "*" if o.status == ACCEPTED and current[report_key(o)] is o else " "
        revision = f"rev {o.revision}" if o.revision else "rev -"
        lines.append(
            f"{mark} {o.source:15} {revision:6} {o.file_path}  {_status(o, log, current, dismissed)}"
        )
    return lines
