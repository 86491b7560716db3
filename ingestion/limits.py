"""Size limits checked before any parser opens a landing file: zip bombs and absurdly large files."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

from ingestion.errors import FileRejected

_MIB = 1 << 20

# A bank's monthly report is a few hundred kB once unpacked, and even a workbook with dozens of
# sheets stays far below this; the parsers hold a whole sheet in memory, so this also caps RAM.
MAX_XLSX_UNCOMPRESSED_BYTES = 256 * _MIB
# Worksheet XML compresses about 10-30:1 and a mostly blank styled sheet rarely beats 100:1;
# deflate itself cannot exceed about 1,030:1, which is what a bomb of repeated bytes reaches.
MAX_XLSX_RATIO = 200
# Small members (styles, shared strings of a tiny report) may compress absurdly without harm.
RATIO_CHECKED_ABOVE_BYTES = 4 * _MIB
# An .xlsx holds about a dozen members, plus one per sheet, image or comment; thousands of
# members only cost the reader time (each one is a central-directory entry to walk).
MAX_XLSX_MEMBERS = 10_000

# Any landing file: a 10-million-row rural-credit CSV is about 2 GB (docs/performance.md), so the
# default leaves room for far larger months; it only stops a runaway export filling the disk.
MAX_LANDING_FILE_ENV = "FINSTAT_MAX_LANDING_FILE_BYTES"
DEFAULT_MAX_LANDING_FILE_BYTES = 64 * 1024 * _MIB


def _mib(size: int) -> str:
    return f"{size / _MIB:,.1f} MiB"


def max_landing_file_bytes() -> int:
    """The configured limit for any landing file (FINSTAT_MAX_LANDING_FILE_BYTES), else the default."""
    text = os.environ.get(MAX_LANDING_FILE_ENV, "").strip()
    if not text:
        return DEFAULT_MAX_LANDING_FILE_BYTES
    try:
        value = int(text)
    except ValueError:
        raise ValueError(f"{MAX_LANDING_FILE_ENV} must be a whole number of bytes, got {text!r}") from None
    if value <= 0:
        raise ValueError(f"{MAX_LANDING_FILE_ENV} must be positive, got {value}")
    return value


def landing_size_problem(size: int) -> str | None:
    """The rule-1 message for a landing file larger than the configured limit, else None."""
    limit = max_landing_file_bytes()
    if size > limit:
        return f"文件大小 {_mib(size)} 超过上限 {_mib(limit)}（{MAX_LANDING_FILE_ENV}），未读取"
    return None


def check_xlsx(path: Path, file_ref: str) -> None:
    """Raise FileRejected (rule 1) for a workbook whose zip directory declares a bomb.

    Only the central directory is read (zipfile does that on open); no member is decompressed, so
    a bomb costs nothing to refuse. A directory that cannot be read at all (a truncated or
    non-zip file) is rejected here too, with a message the officer can act on.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise FileRejected(
            1,
            f"无法读取 Excel 文件：zip 结构损坏、文件被截断或并非 xlsx 格式（{type(exc).__name__}）",
            file_ref,
        ) from None
    if len(members) > MAX_XLSX_MEMBERS:
        raise FileRejected(
            1,
            f"xlsx 压缩包含 {len(members):,} 个成员，超过上限 {MAX_XLSX_MEMBERS:,}，疑似恶意文件，未解压",
            file_ref,
        )
    total = sum(m.file_size for m in members)
    if total > MAX_XLSX_UNCOMPRESSED_BYTES:
        raise FileRejected(
            1,
            f"xlsx 解压后共 {_mib(total)}（压缩后 {_mib(sum(m.compress_size for m in members))}），"
            f"超过上限 {_mib(MAX_XLSX_UNCOMPRESSED_BYTES)}，疑似压缩炸弹，未解压",
            file_ref,
        )
    for member in members:
        if member.file_size <= RATIO_CHECKED_ABOVE_BYTES:
            continue
        ratio = member.file_size / max(member.compress_size, 1)
        if ratio > MAX_XLSX_RATIO:
            raise FileRejected(
                1,
                f"xlsx 成员 {member.filename!r} 压缩比 {ratio:,.0f}:1（压缩后 {_mib(member.compress_size)}，"
                f"解压后 {_mib(member.file_size)}），超过上限 {MAX_XLSX_RATIO}:1，疑似压缩炸弹，未解压",
                file_ref,
            )
