"""A CSV file as header + rows that strategies mutate structurally, then render to bytes in some encoding."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from hypothesis import strategies as st

from fuzz.hostile import hostile_text
from fuzz.odds import COLUMN_MOVES, ROW_MOVES, index, move_column, move_row, one_in

OPS = (
    "drop_row", "dup_row", "swap_rows", "drop_col", "dup_col", "swap_cols", "swap_cells", "header_mid",
    "set_cell", "set_cell", "set_cell", "set_column", "rename_header", "ragged", "blank_line", "special",
    "special", "no_rows", "preamble",
)  # fmt: skip


@dataclass
class CsvDoc:
    """What a sender's export holds before it becomes bytes; `notes` records each mutation applied."""

    header: list[str]
    rows: list[list[str]]
    preamble: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@st.composite
def mutated(draw, doc: CsvDoc, special: dict[str, st.SearchStrategy[str]], max_ops: int = 5) -> CsvDoc:
    """Apply up to `max_ops` structural or cell mutations; `special` gives values for named columns.

    `special` is how a target reaches a column's own checks (报表期, 数据日期, times) with values that are
    nearly right, which random text almost never is.
    """
    for _ in range(0 if one_in(draw, 8) else draw(st.integers(1, max_ops))):
        op = draw(st.sampled_from(OPS))
        rows, width = doc.rows, len(doc.header)
        if op in ("drop_row", "dup_row", "swap_rows", "set_cell", "swap_cells", "ragged") and not rows:
            op = "preamble"
        if op in ("drop_col", "dup_col", "swap_cols", "set_column", "rename_header") and not width:
            op = "preamble"
        if op == "special" and not (special and rows):
            op = "preamble"
        if op in ROW_MOVES:
            move_row(draw, op, rows)
        elif op in COLUMN_MOVES:
            move_column(draw, op, (doc.header, *rows), width)
        elif op == "swap_cells":
            # Cells move but the header stays: values land under the wrong column names.
            a, b = index(draw, width), index(draw, width)
            for line in rows:
                if a < len(line) and b < len(line):
                    line[a], line[b] = line[b], line[a]
        elif op == "header_mid":
            rows.insert(index(draw, len(rows) + 1), list(doc.header))
        elif op == "set_cell":
            line = rows[index(draw, len(rows))]
            if line:
                line[index(draw, len(line))] = draw(hostile_text())
        elif op == "set_column":
            c, value = index(draw, width), draw(hostile_text())
            for line in rows:
                if c < len(line):
                    line[c] = value
        elif op == "rename_header":
            c = index(draw, width)
            name = doc.header[c]
            doc.header[c] = draw(
                st.sampled_from(
                    (
                        f" {name} ",
                        f"\u3000{name}",
                        name.lower(),
                        f'"{name}"',
                        "",
                        doc.header[-1],
                        name + "\x00",
                    )
                )
                | hostile_text()
            )
        elif op == "ragged":
            line = rows[index(draw, len(rows))]
            if draw(st.booleans()) and line:
                line.pop()
            else:
                line.extend([""] * draw(st.integers(1, 3)))
        elif op == "blank_line":
            rows.insert(index(draw, len(rows) + 1), draw(st.sampled_from(([], [""], [" "], ["", ""]))))
        elif op == "special":
            name = draw(st.sampled_from(sorted(special)))
            value = draw(special[name])
            c = doc.header.index(name) if name in doc.header else None
            if c is not None and rows:
                # All rows (a consistent but wrong file) or one row (a file disagreeing with itself).
                targets = rows if draw(st.booleans()) else [rows[index(draw, len(rows))]]
                for line in targets:
                    if c < len(line):
                        line[c] = value
            op = f"special[{name}]={value[:20]!r}"
        elif op == "no_rows":
            rows.clear()
        elif op == "preamble":
            # Mostly blank lines, which readers skip; a text line above the header hides it.
            lines = ("", " ", "\t", ",,,,", "报表说明：单位元", "# comment")
            doc.preamble.append(draw(st.sampled_from(lines[4:] if one_in(draw, 4) else lines[:4])))
        doc.notes.append(op)
    return doc


def _text(doc: CsvDoc, quoting: str, line_end: str, delimiter: str) -> str:
    buffer = io.StringIO(newline="")
    lines = [*doc.preamble]
    if quoting == "raw":
        # No quoting at all: a value holding a comma or quote breaks the row, as naive exports do.
        lines += [delimiter.join(line) for line in (doc.header, *doc.rows)]
        return line_end.join(lines) + line_end
    writer = csv.writer(
        buffer,
        delimiter=delimiter,
        lineterminator=line_end,
        quoting=csv.QUOTE_ALL if quoting == "all" else csv.QUOTE_MINIMAL,
    )
    for line in lines:
        buffer.write(line + line_end)
    writer.writerow(doc.header)
    writer.writerows(doc.rows)
    return buffer.getvalue()


@st.composite
def rendered(draw, doc: CsvDoc, encodings: tuple[str, ...]) -> tuple[bytes, list[str]]:
    """The bytes of the document: the contract's encoding (listed first) most of the time."""
    quoting = draw(st.sampled_from(("minimal", "minimal", "all", "raw")))
    # A bare CR (old Mac exports) is rare: it turns the whole file into one line.
    line_end = "\r" if one_in(draw, 16) else draw(st.sampled_from(("\r\n", "\n")))
    delimiter = draw(st.sampled_from((";", "\t"))) if one_in(draw, 16) else ","
    # Mostly the contract's encoding: a wrong one stops the reader at the header.
    encoding = draw(st.sampled_from(encodings[1:])) if one_in(draw, 8) else encodings[0]
    text = _text(doc, quoting, line_end, delimiter)
    data = text.encode(encoding, errors="replace")
    return data, [f"quoting={quoting}", f"eol={line_end!r}", f"sep={delimiter!r}", f"encoding={encoding}"]


def plain(doc: CsvDoc, encoding: str) -> bytes:
    """The document as the contract's sender writes it: quoted where needed, CRLF, commas."""
    return _text(doc, "minimal", "\r\n", ",").encode(encoding)
