"""The CSV reader's trim: skipped only when no value could change, else exactly utf8_trim."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from ingestion.csv_table import _STRIP, _trimmed

CASES = [
    ["410621", "BM2022", ""],
    [" 410621", "x"],
    ["410621 ", "x"],
    ["\t1", "2\r"],
    ["\u3000张三", "李四"],
    ["张三\u3000", "李四"],
    ["\u00a0A", "B"],
    ["A\u00a0", "B"],
    ["中文", "张"],  # 张 (E5 BC A0) ends in the byte U+00A0 ends in: trimmed, nothing taken off
    [None, " a"],
]


@pytest.mark.parametrize("values", CASES)
def test_same_as_utf8_trim(values):
    array = pa.array(values, pa.string())
    assert _trimmed(array).to_pylist() == pc.utf8_trim(array, _STRIP).to_pylist()


def test_a_slice_is_read_at_its_own_offset():
    array = pa.array([" pad ", "clean", "ok"], pa.string()).slice(1)
    assert _trimmed(array).to_pylist() == ["clean", "ok"]
    padded = pa.array(["clean", " pad "], pa.string()).slice(1)
    assert _trimmed(padded).to_pylist() == ["pad"]
