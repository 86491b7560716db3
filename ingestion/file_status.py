"""Where each logged file of a month stands: current, superseded, resolved or still open (rules 1-5)."""

from __future__ import annotations

import re

from ingestion.log import ACCEPTED, REJECTED, UNCHANGED, FileOutcome
from ingestion.registry import FILE_KINDS

# The kinds of report one sender delivers side by side (rural credit: 贷款明细/不良处置; platform:
# 入驻企业/金融产品/融资需求): a rejection is resolved only by a delivery of its own kind.
KIND = re.compile(f"({'|'.join(FILE_KINDS)})")


def kind(outcome: FileOutcome) -> str:
    """The report kind a file path names ('' for a source with one report per sender)."""
    match = KIND.search(outcome.file_path)
    return match.group(1) if match else ""


def report_key(outcome: FileOutcome) -> tuple:
    """Which report a log row is a delivery of: source, institution, month, kind."""
    return (outcome.source, outcome.inst_code, outcome.period or outcome.folder_period, kind(outcome))


def current_files(log: list[FileOutcome]) -> dict[tuple, FileOutcome]:
    """The current revision of every report in the log: revisions are numbered in delivery order."""
    current: dict[tuple, FileOutcome] = {}
    for o in log:
        if o.status == ACCEPTED and (
            report_key(o) not in current or (o.revision or 1) > (current[report_key(o)].revision or 1)
        ):
            current[report_key(o)] = o
    return current


def resolved_by(rejection: FileOutcome, log: list[FileOutcome]) -> FileOutcome | None:
    """The later log row that resolves a rejection, if any.

    Either the path holds other bytes since (the sender replaced the file, or put back what was
    accepted: a path is logged again only when its bytes change), or the same sender delivered the
    same kind of report for the month since (accepted, or the current report again). A rejection
    with no known sender is resolved only at its path.
    """
    for o in log:
        if o.source != rejection.source or o.logged_at <= rejection.logged_at:
            continue
        if o.file_path == rejection.file_path:
            return o
        if (
            o.status in (ACCEPTED, UNCHANGED)
            and rejection.inst_code is not None
            and report_key(o) == report_key(rejection)
        ):
            return o
    return None


def unresolved_rejections(log: list[FileOutcome], source: str) -> list[FileOutcome]:
    """The rejections of one source no later delivery resolved, by file path."""
    open_ = [o for o in log if o.source == source and o.status == REJECTED and resolved_by(o, log) is None]
    return sorted(open_, key=lambda o: (o.file_path, o.logged_at))
