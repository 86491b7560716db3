"""A CSV (GB18030 or UTF-8) read column-wise by pyarrow (all text), with each record's physical line number."""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from ingestion.errors import FileRejected
from ingestion.numbers import clean_text


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
_NL, _CR, _QUOTE = 10, 13, 34


@dataclass(frozen=True)
class CsvTable:
    """The required columns as trimmed text, and the physical line (header line = 1) of each row."""

    table: pa.Table
    row_numbers: np.ndarray  # int32, one per row of table
    header_line: int


def record_lines(path: Path) -> np.ndarray:
    """Physical start line (1-based) of every non-empty CSV record, the header included.

    Neither GB18030 nor UTF-8 uses the bytes of '\\n', '\\r', '"' or ',' inside a multi-byte character, so the raw
    bytes can be scanned directly: a newline ends a record when an even number of quotes precede it
    (a quoted field may span lines), and a record that is empty or a lone '\\r' is a blank line,
    which the CSV reader skips. The file is scanned in slices so memory stays flat.
    """
    newline_parts, quote_parts, first_bytes = [], [], []
    offset = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(_SCAN_CHUNK):
            data = np.frombuffer(chunk, np.uint8)
            newline_parts.append(np.flatnonzero(data == _NL) + offset)
            quote_parts.append(np.flatnonzero(data == _QUOTE) + offset)
            offset += len(chunk)
    size = offset
    newlines = np.concatenate(newline_parts) if newline_parts else np.empty(0, np.int64)
    quotes = np.concatenate(quote_parts) if quote_parts else np.empty(0, np.int64)
    ends = newlines[np.searchsorted(quotes, newlines) % 2 == 0] if len(quotes) else newlines
    starts = np.concatenate(([0], ends + 1))
    stops = np.concatenate((ends, [size]))
    length = stops - starts
    keep = length > 0
    one = np.flatnonzero(length == 1)
    if len(one):
        # Only one-byte records need their byte looked at ("\\r" of a blank CRLF line).
        with open(path, "rb") as handle:
            for index in one:
                handle.seek(int(starts[index]))
                first_bytes.append(handle.read(1))
        keep[one] = [b != b"\r" for b in first_bytes]
    return (np.searchsorted(newlines, starts[keep]) + 1).astype(np.int64)


def _reject(file_ref: str, message: str, row: int | None = None, column: str | None = None) -> FileRejected:
    return FileRejected(1, message, file_ref, row=row, column=column)


def _first_bad_encoding_line(raw: bytes, encoding: TextEncoding) -> int | None:
    decoder = codecs.getincrementaldecoder(encoding.codec)()
    for number, line in enumerate(raw.split(b"\n"), start=1):
        try:
            decoder.decode(line + b"\n")
        except UnicodeDecodeError:
            return number
    return None


def _first_bad_width(raw: bytes, width: int, encoding: TextEncoding) -> tuple[int, int] | None:
    """(line, field count) of the first record whose width differs from the header (error path only)."""
    reader = csv.reader(io.StringIO(raw.decode(encoding.codec, errors="replace"), newline=""))
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


def read_csv_table(
    path: Path, file_ref: str, required: tuple[str, ...], encoding: TextEncoding = GB18030
) -> CsvTable:
    """Read the required columns as trimmed text; raise FileRejected (rule 1) for an unreadable file.

    Messages never quote a cell: a row may hold personal data, so they name the row and column only.
    """
    try:
        with open(path, "rb") as handle:
            head = handle.read(1 << 16)
    except OSError as exc:
        raise _reject(file_ref, f"无法读取文件（{type(exc).__name__}）") from exc
    if not head.strip():
        raise _reject(file_ref, "文件为空")
    header_line, names = _header(head, file_ref, required, encoding)
    cleaned = [clean_text(n) for n in names]
    missing = [c for c in required if c not in cleaned]
    if missing:
        raise _reject(file_ref, f"缺少列 {'、'.join(missing)}", row=header_line)
    repeated = [c for c in required if cleaned.count(c) > 1]
    if repeated:
        raise _reject(file_ref, f"列 {'、'.join(repeated)} 重复出现", row=header_line)
    # Unique positional names: extra (ignored) columns may be blank or repeat each other.
    positional = [f"c{i}" for i in range(len(names))]
    wanted = {c: positional[cleaned.index(c)] for c in required}
    invalid: list[int] = []

    def on_invalid(row: pacsv.InvalidRow) -> str:
        invalid.append(row.actual_columns)
        return "skip"

    try:
        # From the path: pyarrow streams and transcodes block by block, the bytes are never all in memory.
        table = pacsv.read_csv(
            str(path),
            read_options=pacsv.ReadOptions(
                encoding=encoding.arrow_name,
                column_names=positional,
                skip_rows=header_line,
                block_size=1 << 24,
            ),
            parse_options=pacsv.ParseOptions(invalid_row_handler=on_invalid),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(positional, pa.string()),
                include_columns=list(wanted.values()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except Exception as exc:  # the reader's own message may quote a row: never pass it on
        line = _first_bad_encoding_line(path.read_bytes(), encoding)
        if line is not None:
            raise _reject(file_ref, f"该行不是有效的 {encoding.label} 编码", row=line) from None
        raise _reject(file_ref, f"CSV 无法解析（{type(exc).__name__}）") from None
    if invalid:
        found = _first_bad_width(path.read_bytes(), len(names), encoding)
        line, width = found if found else (None, invalid[0])
        raise _reject(file_ref, f"该行有 {width} 列，表头有 {len(names)} 列", row=line)
    table = pa.table({c: pc.utf8_trim(table.column(p).combine_chunks(), _STRIP) for c, p in wanted.items()})
    lines = record_lines(path)
    data_lines = lines[lines > header_line]
    if len(data_lines) != table.num_rows:  # pragma: no cover - a layout the byte scan misjudged
        raise _reject(file_ref, "CSV 行数无法确定（引号或换行不规范）")
    return CsvTable(table=table, row_numbers=data_lines.astype(np.int32), header_line=header_line)
