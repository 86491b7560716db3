"""What a new delivery of an institution's report for a month does: the latest delivery is current."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

from ingestion.errors import FileRejected
from ingestion.log import ACCEPTED, SUPERSEDED, UNCHANGED, FileOutcome
from ingestion.resubmission import is_resubmission, marker_number

NO_ACTION = "与当前版本内容相同，无需处理"


@dataclass(frozen=True)
class Delivery:
    """The decision on one delivery: accepted as the next revision, or logged as information only."""

    status: str  # ACCEPTED, UNCHANGED or SUPERSEDED (a rejection is raised as FileRejected)
    revision: int | None
    reason: str | None
    # The accepted revision with the same bytes (a revision that restores an earlier content).
    same_as: FileOutcome | None = None


def current_report(reports: list[FileOutcome]) -> FileOutcome | None:
    """The current one of a report's accepted revisions: revisions are numbered in delivery order."""
    accepted = [o for o in reports if o.status == ACCEPTED]
    return max(accepted, key=lambda o: o.revision or 1, default=None)


def _named(outcome: FileOutcome) -> str:
    return f"{outcome.file_path}（第 {outcome.revision or 1} 版）"


def decide(earlier: list[FileOutcome], file_path: str, sha256: str, sender: str, period: str) -> Delivery:
    """Decide a delivery against the accepted revisions of the same report; raise FileRejected (rule 4).

    earlier: the log's accepted rows of the same institution, month and kind, oldest first.
    """
    current = current_report(earlier)
    if current is None:
        return Delivery(ACCEPTED, 1, None)
    if current.file_sha256 == sha256:
        # The report as it stands, sent again or put back after an edit: nothing to ingest or acknowledge.
        undone = "；对本文件的改动已撤销" if current.file_path == file_path else ""
        return Delivery(UNCHANGED, None, f"{NO_ACTION}（当前版本：{_named(current)}）{undone}")
    name = PurePosixPath(file_path).name
    same = next((o for o in earlier if o.file_sha256 == sha256), None)
    if is_resubmission(name):
        if marker_number(name) < marker_number(PurePosixPath(current.file_path).name):
            return Delivery(
                SUPERSEDED,
                None,
                f"版本标记早于当前版本 {_named(current)}：晚到的旧版本，未采用，当前版本不变；"
                "如要恢复本文件的内容，请以更高的版本号（_vN）重新报送",
            )
        revision = max(o.revision or 1 for o in earlier) + 1
        replaced = "、".join(dict.fromkeys(o.file_path for o in earlier))
        restored = f"；内容与 {_named(same)}相同，恢复为该内容" if same is not None else ""
        return Delivery(ACCEPTED, revision, f"更正报送（第 {revision} 版），取代 {replaced}{restored}", same)
    own = next((o for o in earlier if o.file_path == file_path and o.file_sha256 == sha256), None)
    if own is not None:
        # An edited file put back as it was accepted: the edit's rejection is resolved, and the
        # correction that replaced this file since stays current (putting bytes back is no new delivery).
        return Delivery(
            UNCHANGED,
            None,
            f"本文件恢复为此前入库的内容（第 {own.revision or 1} 版），对它的改动已撤销；"
            f"当前版本仍为 {_named(current)}，无需处理",
        )
    edited = any(o.file_path == file_path for o in earlier)
    raise FileRejected(
        4,
        f"{sender} {period} 已有报表 {'、'.join(o.file_path for o in earlier)}，"
        "本文件内容不同但文件名没有更正标记（“更正”或 _v2、_v3 …）"
        + (f"；内容与已被取代的 {_named(same)}相同" if same is not None else "")
        + (
            "；这是已入库文件被原地改动：改动有误则放回原文件即可，更正请另以 _v2 或“更正”文件名报送"
            if edited
            else ""
        ),
        file_path,
    )
