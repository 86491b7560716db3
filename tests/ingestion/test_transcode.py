"""GB18030 decoded piece by piece in worker processes reads exactly as the whole file decoded at once."""

from __future__ import annotations

import pytest

from ingestion import csv_table, transcode
from ingestion.errors import FileRejected

COLUMNS = ("借据号", "客户名称", "贷款余额")
# A 4-byte GB18030 character (U+20000), 2-byte ones, a quoted field spanning lines, CRLF and LF.
ROWS = [
    ("BM0001", "王伟", "100.00"),
    ("BM0002", '"张\r\n芳"', "2.50"),
    ("BM0003", "\U00020000记农资店", "0.01"),
    ("BM0004", '"刘,""强"""', "3"),
    ("BM0005", "鹤山区宏鑫农业科技有限公司", "12345678.90"),
]


def _csv(rows: list[tuple[str, ...]], newline: str = "\r\n") -> bytes:
    lines = [",".join(COLUMNS)] + [",".join(r) for r in rows]
    return (newline.join(lines) + newline).encode("gb18030")


def _many_rows(n: int) -> list[tuple[str, ...]]:
    return [(ROWS[i % len(ROWS)][0], f"{ROWS[i % len(ROWS)][1]}{i}", f"{i}.00") for i in range(n)]


@pytest.mark.parametrize("piece", [1, 3, 7, 64, 1 << 20])
def test_the_pieces_join_to_the_whole_file_decoded(tmp_path, monkeypatch, piece):
    path = tmp_path / "loans.csv"
    raw = _csv(_many_rows(200)) + _csv(ROWS, newline="\n")
    path.write_bytes(raw)
    monkeypatch.setattr(transcode, "_SEEK_BYTES", 2)  # long lines: the newline search must go on
    with transcode.utf8_stream(path, "gb18030", piece=piece) as stream:
        assert stream.read() == raw.decode("gb18030").encode("utf-8")


def test_a_cut_falls_just_after_a_newline_and_never_inside_a_character(tmp_path):
    path = tmp_path / "loans.csv"
    raw = "王\n伟\n\U00020000".encode("gb18030")
    path.write_bytes(raw)
    with open(path, "rb") as handle:
        cuts = [transcode.next_cut(handle, at, len(raw)) for at in range(len(raw))]
    assert cuts == [3, 3, 3, 6, 6, 6, len(raw), len(raw), len(raw), len(raw)]


def _read(path, parallel: bool, monkeypatch, block: int = 4096) -> list:
    monkeypatch.setattr(transcode, "PARALLEL_MIN_BYTES", 0 if parallel else 1 << 60)
    monkeypatch.setattr(transcode, "PIECE_BYTES", 97)  # many pieces on a small file
    monkeypatch.setattr(csv_table, "_BLOCK_BYTES", block)  # and several blocks, so several chunks
    chunks = csv_table.CsvStream(path, "f.csv", COLUMNS).chunks(min_rows=300)
    return [(c.table, c.row_numbers.tolist(), c.header_line) for c in chunks]


def _same(parallel: list, serial: list) -> None:
    assert len(parallel) == len(serial)
    for (table, lines, header), (s_table, s_lines, s_header) in zip(parallel, serial, strict=True):
        assert table.equals(s_table) and lines == s_lines and header == s_header


def test_a_file_read_through_the_workers_gives_the_same_rows_and_line_numbers(tmp_path, monkeypatch):
    path = tmp_path / "loans.csv"
    one_line_rows = [r for r in _many_rows(1_000) if "\n" not in r[1]]
    path.write_bytes(b"\r\n" + _csv(one_line_rows))  # a blank line above the header
    parallel = _read(path, True, monkeypatch)
    _same(parallel, _read(path, False, monkeypatch))
    assert len(parallel) > 1 and parallel[0][2] == 2
    assert parallel[0][0].column("客户名称")[1].as_py() == "\U00020000记农资店2"
    assert parallel[0][1][:3] == [3, 4, 5]


def test_a_quoted_field_over_two_lines_reads_the_same_through_the_workers(tmp_path, monkeypatch):
    path = tmp_path / "loans.csv"
    path.write_bytes(_csv(_many_rows(50)))
    parallel = _read(path, True, monkeypatch, block=1 << 20)
    _same(parallel, _read(path, False, monkeypatch, block=1 << 20))
    assert parallel[0][0].column("客户名称")[1].as_py() == "张\r\n芳1"
    assert parallel[0][1][:3] == [2, 3, 5]  # the second record spans lines 3 and 4


def test_a_byte_that_is_not_gb18030_is_reported_on_its_line(tmp_path, monkeypatch):
    path = tmp_path / "loans.csv"
    rows = _csv(_many_rows(400)).split(b"\r\n")
    rows[250] = rows[250].replace(b"BM", b"B\x81\x20")  # a lead byte with no valid trail byte
    path.write_bytes(b"\r\n".join(rows))
    expected = None
    for parallel in (False, True):
        with pytest.raises(FileRejected) as caught:
            _read(path, parallel, monkeypatch)
        assert caught.value.row is not None
        expected = expected or caught.value.row
        assert caught.value.row == expected
    # Line 251 of the file, counting from 1, where the header is line 1 (and some fields span lines).
    assert expected == 1 + sum(r.count(b"\r\n") + 1 for r in rows[:250])


def test_workers_that_cannot_start_leave_the_file_decoded_here(tmp_path, monkeypatch):
    def broken():
        raise RuntimeError("no worker process here")

    path = tmp_path / "loans.csv"
    path.write_bytes(_csv(_many_rows(300)))
    monkeypatch.setattr(transcode, "shared_pool", broken)
    with transcode.utf8_stream(path, "gb18030", piece=50) as stream:
        assert stream.read() == path.read_bytes().decode("gb18030").encode("utf-8")
