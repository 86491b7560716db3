"""FileRejected: a landing file breaking a file-level rule, with where in the file it happened."""

from __future__ import annotations


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
