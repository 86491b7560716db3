"""Vectorised per-column checks over a CSV's text columns, rejecting on the first offending row."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ingestion.errors import FileRejected

_SHOWN_CHARS = 20


@dataclass
class Check:
    """One vectorised check: rows where `bad` holds break `rule` in `column`."""

    column: str
    bad: pa.Array
    rule: int
    message: Callable[[str], str]


class ColumnChecks:
    """Checks over `_table` (text columns named as in the file) with `_rows` the physical line numbers.

    Subclasses set `_table`, `_rows`, `_file` and `pii_columns` (never quoted in a message).
    """

    _table: pa.Table
    _rows: np.ndarray
    _file: str
    pii_columns: frozenset[str] = frozenset()

    def _col(self, name: str) -> pa.Array:
        return self._table.column(name).combine_chunks()

    def _shown(self, column: str, index: int) -> str:
        if column in self.pii_columns:
            return "（个人信息，不显示）"
        text = self._table.column(column)[index].as_py()
        return f'"{text[:_SHOWN_CHARS]}…"' if len(text) > _SHOWN_CHARS else f'"{text}"'

    def _enum(self, column: str, values: tuple[str, ...], checks: list[Check], upper=False) -> pa.Array:
        """Index of each row's value in `values`; a value outside them breaks rule 1."""
        text = self._col(column)
        if upper:
            text = pc.utf8_upper(text)
        index = pc.index_in(text, value_set=pa.array(values))
        allowed = "、".join(values)
        checks.append(Check(column, pc.is_null(index), 1, lambda v: f"{column} {v} 不是 {allowed} 之一"))
        return index

    def _required(self, column: str, checks: list[Check]) -> None:
        empty = pc.equal(pc.utf8_length(self._col(column)), 0)
        checks.append(Check(column, empty, 1, lambda v: f"{column} 为空"))

    def _unique(self, column: str, checks: list[Check], what: str) -> None:
        """A key repeated within the file breaks rule 1 (its second occurrence is the row named)."""
        keys = self._col(column)
        positions = pc.index_in(keys, value_set=pc.unique(keys)).to_numpy(zero_copy_only=False)
        # The first occurrence of each key is fine; later ones repeat it.
        _, first_rows = np.unique(positions, return_index=True)
        repeated = np.ones(len(keys), dtype=bool)
        repeated[first_rows] = False
        checks.append(
            Check(column, pa.array(repeated), 1, lambda v: f"{column} {v} 重复出现（{what}的{column}应唯一）")
        )

    def raise_first(self, checks: list[Check], order: tuple[str, ...]) -> None:
        """Reject on the first offending row; within a row, the leftmost column (file column order)."""
        best: tuple[int, int, Check] | None = None
        for check in checks:
            bad = pc.fill_null(check.bad, True)
            index = pc.index(bad, True).as_py()
            if index < 0:
                continue
            candidate = (index, order.index(check.column), check)
            if best is None or candidate[:2] < best[:2]:
                best = candidate
        if best is not None:
            index, _, check = best
            raise FileRejected(
                check.rule,
                check.message(self._shown(check.column, index)),
                self._file,
                row=int(self._rows[index]),
                column=check.column,
            )
