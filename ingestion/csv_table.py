"""A CSV (GB18030 or UTF-8) read column-wise by pyarrow (all text), with each record's physical line number."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from ingestion.errors import FileRejected
from ingestion.numbers import clean_text
from ingestion.prefetch import prefetched
from ingestion.transcode import parallel_worth_it, utf8_stream


@dataclass(frozen=True)
class TextEncoding:
    """The encoding a source's contract names: Python's codec, pyarrow's name and the label in messages."""

    codec: str
    arrow_name: str
    label: str


GB18030 = TextEncoding("gb18030", "gb18030", "GB18030")
# UTF-8 with or without the BOM the platform's export writes (the reader skips it either way).
UTF8 = TextEncoding("utf-8-sig", "utf8", "UTF-8")
_STRIP = " \t\r\n\u3000\u00a0"
# Scanning the raw bytes in slices keeps the temporary boolean masks small on a large file.
_SCAN_CHUNK = 1 << 24
# pyarrow reads and transcodes this much at a time (about 90,000 loan rows).
_BLOCK_BYTES = 1 << 24
_NL, _CR, _QUOTE = 10, 13, 34


@dataclass(frozen=True)
class CsvTable:
    """The required columns as trimmed text, and the physical line (header line = 1) of each row."""

    table: pa.Table
    row_numbers: np.ndarray  # int32, one per row of table
    header_line: int


class RecordLines:
    """Physical start line (1-based) of each non-empty CSV record, scanned from the raw bytes as needed.

    Neither GB18030 nor UTF-8 uses the bytes of '\\n', '\\r', '"' or ',' inside a multi-byte character, so the raw
    bytes can be scanned directly: a newline ends a record when an even number of quotes precede it
    (a quoted field may span lines), and a record that is empty or a lone '\\r' is a blank line,
    which the CSV reader skips. The file is scanned a slice at a time, carrying the quote parity
    across slices, so memory stays flat however long the file is.
    """

    def __init__(self, path: Path, chunk: int = _SCAN_CHUNK) -> None:
        self._path = path
        self._chunk = chunk
        self._offset = 0  # bytes scanned so far
        self._newlines = 0  # newlines in those bytes
        self._odd_quotes = False  # inside a quoted field at the end of the scanned bytes
        self._start = 0  # first byte of the record not ended yet
        self._start_line = 1
        self._last_byte = b""
        self._ready: list[np.ndarray] = []
        self._ready_count = 0
        self._done = False

    def take(self, count: int) -> np.ndarray:
        """The start lines of the next `count` records (fewer only at the end of the file)."""
        while self._ready_count < count and not self._done:
            self._scan()
        found = np.concatenate(self._ready) if self._ready else np.empty(0, np.int64)
        self._ready = [found[count:]] if len(found) > count else []
        self._ready_count = max(len(found) - count, 0)
        return found[:count]

    def drop_through(self, line: int) -> None:
        """Forget the records that start on or before `line` (the header and any line above it)."""
        while not self._done and (not self._ready or self._ready[-1][-1] <= line):
            self._scan()
        found = np.concatenate(self._ready) if self._ready else np.empty(0, np.int64)
        rest = found[found > line]
        self._ready, self._ready_count = ([rest] if len(rest) else []), len(rest)

    def _scan(self) -> None:
        with open(self._path, "rb") as handle:
            handle.seek(self._offset)
            chunk = handle.read(self._chunk)
        if not chunk:
            self._done = True
            self._keep(np.array([self._start]), np.array([self._offset]), np.array([self._start_line]), b"")
            return
        data = np.frombuffer(chunk, np.uint8)
        newlines = np.flatnonzero(data == _NL)
        quotes = np.flatnonzero(data == _QUOTE)
        quotes_before = np.searchsorted(quotes, newlines) + int(self._odd_quotes)
        closing = quotes_before % 2 == 0
        ends = newlines[closing] + self._offset
        # The record after a newline starts on the next line: newlines so far, plus one.
        next_lines = self._newlines + np.flatnonzero(closing) + 2
        starts = np.concatenate(([self._start], ends + 1))
        start_lines = np.concatenate(([self._start_line], next_lines))
        self._keep(starts[:-1], ends, start_lines[:-1], chunk)
        self._start, self._start_line = int(starts[-1]), int(start_lines[-1])
        self._odd_quotes = (len(quotes) + int(self._odd_quotes)) % 2 == 1
        self._newlines += len(newlines)
        self._offset += len(chunk)
        self._last_byte = chunk[-1:]

    def _keep(self, starts: np.ndarray, stops: np.ndarray, lines: np.ndarray, chunk: bytes) -> None:
        """Queue the lines of the ended records [starts, stops) that are not blank."""
        length = stops - starts
        keep = length > 0
        for index in np.flatnonzero(length == 1):
            # Only one-byte records need their byte looked at ("\\r" of a blank CRLF line); it
            # may be the last byte of the previous slice.
            at = int(starts[index]) - self._offset
            keep[index] = (chunk[at : at + 1] if at >= 0 else self._last_byte) != b"\r"
        kept = lines[keep]
        if len(kept):
            self._ready.append(kept)
            self._ready_count += len(kept)


def _reject(file_ref: str, message: str, row: int | None = None, column: str | None = None) -> FileRejected:
    return FileRejected(1, message, file_ref, row=row, column=column)


def _first_bad_encoding_line(path: Path, encoding: TextEncoding) -> int | None:
    """The first line that does not decode (error path only; read line by line, memory stays flat)."""
    decoder = codecs.getincrementaldecoder(encoding.codec)()
    with open(path, "rb") as handle:
        for number, line in enumerate(handle, start=1):
            try:
                decoder.decode(line if line.endswith(b"\n") else line + b"\n")
            except UnicodeDecodeError:
                return number
    return None


def _first_bad_width(path: Path, width: int, encoding: TextEncoding) -> tuple[int, int] | None:
    """(line, field count) of the first record whose width differs from the header (error path only)."""
    with open(path, "rb") as raw:
        text = io.TextIOWrapper(raw, encoding=encoding.codec, errors="replace", newline="")
        reader = csv.reader(text)
        previous_end = 0
        try:
            for index, fields in enumerate(reader):
                start, previous_end = previous_end + 1, reader.line_num
                if index == 0 or not fields:
                    continue
                if len(fields) != width:
                    return start, len(fields)
        except csv.Error:
            # A field past the csv module's size limit (131072 characters; pyarrow has none) before the
            # bad row: the row cannot be located, and the rejection names the width only.
            return None
    return None


def _other_encoding(encoding: TextEncoding) -> TextEncoding:
    return UTF8 if encoding is GB18030 else GB18030


def _header(
    raw: bytes, file_ref: str, required: tuple[str, ...], encoding: TextEncoding
) -> tuple[int, list[str]]:
    if encoding is GB18030 and raw.startswith(codecs.BOM_UTF8):
        raise _reject(file_ref, "文件编码应为 GB18030，实际为带 BOM 的 UTF-8", row=1)
    other = _other_encoding(encoding)
    wrong = f"文件编码应为 {encoding.label}，实际为 {other.label}"
    # The header sits on one of the first lines: blank lines before it are all a reader skips.
    for number, line in enumerate(raw.split(b"\n")[:64], start=1):
        if number == 1 and encoding is UTF8:
            line = line.removeprefix(codecs.BOM_UTF8)
        if not line.strip(b" \t\r"):
            continue
        try:
            text = line.decode(encoding.codec)
        except UnicodeDecodeError:
            try:
                line.decode(other.codec)
            except UnicodeDecodeError:
                raise _reject(file_ref, f"表头不是有效的 {encoding.label} 编码", row=number) from None
            raise _reject(file_ref, wrong, row=number) from None
        try:
            names = next(csv.reader([text.rstrip("\r")]))
        except csv.Error:
            # The only error one line can raise: a bare CR outside quotes, i.e. CR-only line ends
            # (old Mac exports), which make the whole file one line here.
            raise _reject(
                file_ref, "表头行含有单独的回车符（CR）：文件应以 CRLF 或 LF 换行", row=number
            ) from None
        cleaned = [clean_text(n) for n in names]
        if not set(required) & set(cleaned):
            try:
                as_other = [clean_text(n) for n in next(csv.reader([line.decode(other.codec).rstrip("\r")]))]
            except (UnicodeDecodeError, csv.Error):
                as_other = []
            if set(required) & set(as_other):
                raise _reject(file_ref, wrong, row=number)
        return number, names
    raise _reject(file_ref, "文件为空")


class CsvStream:
    """A CSV opened for reading in chunks: the header is checked on open, the rows come from chunks().

    The file is never held whole: pyarrow streams and transcodes it block by block, and the line
    numbers come from a byte scan that keeps pace with the rows read.
    """

    def __init__(
        self, path: Path, file_ref: str, required: tuple[str, ...], encoding: TextEncoding = GB18030
    ) -> None:
        self._path, self._file, self._encoding = path, file_ref, encoding
        try:
            with open(path, "rb") as handle:
                head = handle.read(1 << 16)
        except OSError as exc:
            raise _reject(file_ref, f"无法读取文件（{type(exc).__name__}）") from exc
        if not head.strip():
            raise _reject(file_ref, "文件为空")
        self.header_line, names = _header(head, file_ref, required, encoding)
        cleaned = [clean_text(n) for n in names]
        missing = [c for c in required if c not in cleaned]
        if missing:
            raise _reject(file_ref, f"缺少列 {'、'.join(missing)}", row=self.header_line)
        repeated = [c for c in required if cleaned.count(c) > 1]
        if repeated:
            raise _reject(file_ref, f"列 {'、'.join(repeated)} 重复出现", row=self.header_line)
        self._width = len(names)
        # Unique positional names: extra (ignored) columns may be blank or repeat each other.
        self._positional = [f"c{i}" for i in range(len(names))]
        self._wanted = {c: self._positional[cleaned.index(c)] for c in required}

    def chunks(self, min_rows: int = 1 << 62) -> Iterator[CsvTable]:
        """The rows in order, at least min_rows per chunk (the last may hold fewer); raise FileRejected."""
        lines = RecordLines(self._path)
        lines.drop_through(self.header_line)
        pending: list[pa.RecordBatch] = []
        count = 0
        for batch in prefetched(self._batches()):
            pending.append(batch)
            count += batch.num_rows
            if count >= min_rows:
                yield self._chunk(pending, lines)
                pending, count = [], 0
        if pending or not self._seen_any:
            yield self._chunk(pending, lines)
        if len(lines.take(1)):  # pragma: no cover - a layout the byte scan misjudged
            raise _reject(self._file, "CSV 行数无法确定（引号或换行不规范）")

    def _batches(self) -> Iterator[pa.RecordBatch]:
        invalid: list[int] = []

        def on_invalid(row: pacsv.InvalidRow) -> str:
            # Stop at the first bad row: which line it is, the error path finds out below.
            invalid.append(row.actual_columns)
            return "error"

        self._seen_any = False
        source, encoding = str(self._path), self._encoding.arrow_name
        if self._encoding is GB18030 and parallel_worth_it(self._path):
            # pyarrow decodes GB18030 with Python's codec, holding the GIL (~1.5 s per million loan
            # rows); worker processes decode instead and pyarrow parses UTF-8 on its own threads.
            source, encoding = utf8_stream(self._path, self._encoding.codec), "utf8"
        try:
            reader = pacsv.open_csv(
                source,
                read_options=pacsv.ReadOptions(
                    encoding=encoding,
                    column_names=self._positional,
                    skip_rows=self.header_line,
                    block_size=_BLOCK_BYTES,
                ),
                parse_options=pacsv.ParseOptions(invalid_row_handler=on_invalid),
                convert_options=pacsv.ConvertOptions(
                    column_types=dict.fromkeys(self._positional, pa.string()),
                    include_columns=list(self._wanted.values()),
                    strings_can_be_null=False,
                    quoted_strings_can_be_null=False,
                ),
            )
            for batch in reader:
                self._seen_any = True
                yield batch
        except FileRejected:
            raise
        except Exception as exc:  # the reader's own message may quote a row: never pass it on
            raise self._unreadable(exc, invalid) from None
        finally:
            if not isinstance(source, str):
                source.close()

    def _unreadable(self, exc: Exception, invalid: list[int]) -> FileRejected:
        """The rejection for a file the reader stopped on (error path: the file is scanned again)."""
        line = _first_bad_encoding_line(self._path, self._encoding)
        if line is not None:
            return _reject(self._file, f"该行不是有效的 {self._encoding.label} 编码", row=line)
        if invalid:
            found = _first_bad_width(self._path, self._width, self._encoding)
            line, width = found if found else (None, invalid[0])
            return _reject(self._file, f"该行有 {width} 列，表头有 {self._width} 列", row=line)
        return _reject(self._file, f"CSV 无法解析（{type(exc).__name__}）")

    def _chunk(self, batches: list[pa.RecordBatch], lines: RecordLines) -> CsvTable:
        """Trimmed text columns named as in the file, with the physical line of each row."""
        if batches:
            table = pa.Table.from_batches(batches)
        else:
            table = pa.table({p: pa.array([], pa.string()) for p in self._wanted.values()})
        columns = {c: _trimmed(table.column(p).combine_chunks()) for c, p in self._wanted.items()}
        trimmed = pa.table(columns)
        numbers = lines.take(trimmed.num_rows)
        if len(numbers) != trimmed.num_rows:  # pragma: no cover - a layout the byte scan misjudged
            raise _reject(self._file, "CSV 行数无法确定（引号或换行不规范）")
        return CsvTable(table=trimmed, row_numbers=numbers.astype(np.int32), header_line=self.header_line)


# The UTF-8 bytes a value starts or ends with when it starts or ends with a character of _STRIP
# (U+3000 is E3 80 80, U+00A0 is C2 A0).
_STRIP_FIRST = np.zeros(256, bool)
_STRIP_FIRST[[0x20, 0x09, 0x0D, 0x0A, 0xE3, 0xC2]] = True
_STRIP_LAST = np.zeros(256, bool)
_STRIP_LAST[[0x20, 0x09, 0x0D, 0x0A, 0x80, 0xA0]] = True


def _trimmed(values: pa.Array) -> pa.Array:
    """utf8_trim(values, _STRIP), skipped when no value can start or end with one of its characters.

    Most columns of a clean export hold nothing to trim; looking at each value's first and last byte
    costs a fraction of trimming ten million strings.
    """
    if len(values) == 0 or values.buffers()[2] is None:
        return values
    offsets = np.frombuffer(values.buffers()[1], np.int32, len(values) + 1, values.offset * 4)
    data = np.frombuffer(values.buffers()[2], np.uint8)
    starts, stops = offsets[:-1], offsets[1:]
    filled = stops > starts
    if filled.any() and (
        _STRIP_FIRST[data[starts[filled]]].any() or _STRIP_LAST[data[stops[filled] - 1]].any()
    ):
        return pc.utf8_trim(values, _STRIP)
    return values


def read_csv_table(
    path: Path, file_ref: str, required: tuple[str, ...], encoding: TextEncoding = GB18030
) -> CsvTable:
    """Read the required columns as trimmed text; raise FileRejected (rule 1) for an unreadable file.

    Messages never quote a cell: a row may hold personal data, so they name the row and column only.
    """
    (whole,) = CsvStream(path, file_ref, required, encoding).chunks()
    return whole
