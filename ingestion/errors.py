"""FileRejected: a landing file breaking a file-level rule, with where in the file it happened."""

from __future__ import annotations

MAX_MESSAGE_CHARS = 500


class FileRejected(Exception):
    """A file-level rule (1-5) failed; str() names the file, sheet, row and column in Chinese.

    The location parts are optional because some defects (an unreadable file, a missing sheet) have
    no row or column to point at.
    """

    def __init__(
        self,
        rule: int,
        message: str,
        file: str,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.rule = rule
        # A message may quote a cell, and a hostile cell can hold 32,767 characters: the log row and
        # the officer's screen get the start of it.
        if len(message) > MAX_MESSAGE_CHARS:
            message = f"{message[:MAX_MESSAGE_CHARS]}…（消息过长已截断，原长 {len(message):,} 字）"
        self.message = message
        self.file = file
        self.sheet = sheet
        self.row = row
        self.column = column
        super().__init__(str(self))

    def __str__(self) -> str:
        parts = [f"文件 {self.file}"]
        if self.sheet is not None:
            parts.append(f"工作表 {self.sheet}")
        if self.row is not None:
            parts.append(f"第 {self.row} 行")
        if self.column is not None:
            parts.append(f"列 {self.column}")
        return f"rule {self.rule}: {', '.join(parts)}: {self.message}"


class AmountError(ValueError):
    """An amount cell that is not a usable number; the caller turns it into a rule-5 FileRejected."""


class LakeWriteError(RuntimeError):
    """Writing the lake failed (disk full, permissions): our fault, never the sender's, so the run stops."""
