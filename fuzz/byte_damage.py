"""Byte-level damage to a finished file: truncation, flipped, inserted and deleted bytes, foreign encodings."""

from __future__ import annotations

from hypothesis import strategies as st

from fuzz.odds import one_in

# Bytes that are invalid or mean something else in UTF-8 / GB18030, plus CSV structure bytes.
FOREIGN_BYTES = (
    b"\x80", b"\xff", b"\xfe\xff", b"\xc3", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\x81\x30", b"\x81",
    b"\x00", b"\x00\x00\x00", "贷款".encode("gbk"), "贷款".encode(), "贷款".encode("utf-16"),
    b"\xef\xbb\xbf", b"\r", b"\n", b'"', b",", b"\x1a",
)  # fmt: skip


def _insert(data: bytes, pos: int, chunk: bytes) -> bytes:
    return data[:pos] + chunk + data[pos:]


@st.composite
def damaged(draw, data: bytes) -> tuple[bytes, list[str]]:
    """Apply one to three damages; returns the bytes and what was done (for reproducing a finding)."""
    notes: list[str] = []
    for _ in range(draw(st.integers(1, 3))):
        size = len(data)
        op = draw(st.sampled_from(("truncate", "flip", "insert", "delete", "foreign")))
        pos = draw(st.integers(0, size))
        if op == "truncate":
            data = data[:pos]
        elif op == "flip" and size:
            pos = min(pos, size - 1)
            mask = draw(st.integers(1, 255))
            data = data[:pos] + bytes([data[pos] ^ mask]) + data[pos + 1 :]
        elif op == "insert":
            data = _insert(data, pos, draw(st.binary(min_size=1, max_size=16)))
        elif op == "delete":
            data = data[:pos] + data[pos + draw(st.integers(1, 64)) :]
        else:
            data = _insert(data, pos, draw(st.sampled_from(FOREIGN_BYTES)))
        notes.append(f"{op}@{pos}")
    return data, notes


@st.composite
def maybe_damaged(draw, data: bytes, odds: int = 4) -> tuple[bytes, list[str]]:
    """Damage about one file in `odds`: most inputs must stay well-formed to reach the parsers' depths."""
    if not one_in(draw, odds):
        return data, []
    return draw(damaged(data))
