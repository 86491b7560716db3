"""A source's landing files: found month by month, hashed, and named printably (rule 1 refuses some unread)."""

from __future__ import annotations

import hashlib
import os
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from finstat.periods import check_period
from ingestion.landing import is_delivery
from ingestion.limits import landing_size_problem


@dataclass(frozen=True)
class LandedFile:
    """One landing file as found: where it is, how the log names it, its bytes' hash and size."""

    path: Path
    file_path: str  # relative to the landing root, with forward slashes
    folder_period: str
    sha256: str
    size: int
    # Why the file is rejected (rule 1) without being opened: its name, a symlink, its size.
    refusal: str | None = None


def _month_folders(source_dir: Path, up_to_period: str) -> list[tuple[str, Path]]:
    folders = []
    if not source_dir.is_dir():
        return folders
    for folder in source_dir.iterdir():
        # A month folder is where senders upload: one that is a link could point anywhere on the
        # machine, so it is not followed (the source folder itself may be a link the admin set up).
        if folder.name.startswith(".") or folder.is_symlink() or not folder.is_dir():
            continue
        try:
            check_period(folder.name)
        except ValueError:
            continue  # not a month folder (notes, archives): not part of the landing contract
        if folder.name <= up_to_period:
            folders.append((folder.name, folder))
    return sorted(folders)


# Characters that do not show, or break a log line, when a name is printed: controls, format
# characters (zero-width, right-to-left override), line separators, and bytes that were not UTF-8.
_HIDDEN = frozenset({"Cc", "Cf", "Cs", "Co", "Zl", "Zp"})
_RENAME = "；为安全起见未读取，请发送方改名后重新报送"
# Windows device names (NUL, CON, COM1 ...): whatever the extension, Windows opens the device, not a
# file, so such a name cannot be copied to or read on the officers' desktops or a Windows share.
_DEVICES = frozenset({"CON", "PRN", "AUX", "NUL", *(f"{p}{n}" for p in ("COM", "LPT") for n in range(1, 10))})


def shown(text: str) -> str:
    """The text with every hidden character escaped (\\x01, \\u202e; a non-UTF-8 byte as \\xd2)."""
    out = []
    for ch in text:
        code = ord(ch)
        if unicodedata.category(ch) not in _HIDDEN:
            out.append(ch)
        elif 0xDC80 <= code <= 0xDCFF:  # surrogateescape: a raw byte of the file system name
            out.append(f"\\x{code - 0xDC00:02x}")
        else:
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
    return "".join(out)


def name_problem(name: str) -> str | None:
    """Why a landing file name is refused (it could name a path, hide its type, or break the log)."""
    if any(0xDC80 <= ord(ch) <= 0xDCFF for ch in name):
        raw = name.encode("utf-8", "surrogateescape")
        try:
            hint = f"（按 GB18030 解读为“{shown(raw.decode('gb18030'))}”）"
        except UnicodeDecodeError:
            hint = ""
        return f"文件名不是有效的 UTF-8 文本{hint}{_RENAME}"
    if "\\" in name:
        return f"文件名含有反斜杠“\\”（Windows 路径分隔符）{_RENAME}"
    if ".." in name:
        return f"文件名含有“..”（上级目录）{_RENAME}"
    if name.split(".")[0].strip(" ").upper() in _DEVICES:
        return f"文件名“{name.split('.')[0]}”是 Windows 设备名{_RENAME}"
    hidden = sorted({shown(ch) for ch in name if unicodedata.category(ch) in _HIDDEN})
    if hidden:
        return f"文件名含有控制字符或不可见字符（{'、'.join(hidden)}）{_RENAME}"
    return None


def _landed(landing: Path, folder_period: str, path: Path) -> LandedFile:
    # The log and messages carry the printable form; lake paths never derive from the name.
    file_path = shown(path.relative_to(landing).as_posix())
    if path.is_symlink():
        # Never followed: the link itself is hashed, so it is logged once and again if it changes.
        target = os.readlink(path)
        return LandedFile(
            path=path,
            file_path=file_path,
            folder_period=folder_period,
            sha256=hashlib.sha256(b"symlink\0" + os.fsencode(target)).hexdigest(),
            size=path.lstat().st_size,
            refusal=f"落地目录中的该条目是符号链接（指向 {shown(os.fsdecode(target))}），不是收到的文件本身；"
            "为安全起见未跟随、未读取，请把文件本身放入落地目录",
        )
    try:
        # O_NOFOLLOW: a file swapped for a link after the check above is still not followed.
        with os.fdopen(os.open(path, os.O_RDONLY | os.O_NOFOLLOW), "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            sha = hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError as exc:
        # Logged as rejected, so the rest of the month goes on; fixed permissions mean new bytes.
        return LandedFile(
            path=path,
            file_path=file_path,
            folder_period=folder_period,
            sha256=hashlib.sha256(f"unreadable\0{type(exc).__name__}".encode()).hexdigest(),
            size=0,
            refusal=f"无法读取文件（{type(exc).__name__}）",
        )
    return LandedFile(
        path=path,
        file_path=file_path,
        folder_period=folder_period,
        sha256=sha,
        size=size,
        refusal=name_problem(path.name) or landing_size_problem(size),
    )


def landing_files(landing: Path, up_to_period: str, source: str) -> Iterator[LandedFile]:
    """Files of a source's month folders up to the period, by folder month then file name."""
    for folder_period, folder in _month_folders(landing / source, up_to_period):
        names = sorted(p.name for p in folder.iterdir() if is_delivery(p))
        for name in names:
            yield _landed(landing, folder_period, folder / name)
