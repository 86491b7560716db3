"""A large GB18030 file read as UTF-8, its pieces decoded by worker processes, in order, a few ahead."""

from __future__ import annotations

import io
from collections import deque
from concurrent.futures import Future
from pathlib import Path

from ingestion.worker_pool import cores, shared_pool

# Below this size one process decodes the file sooner than workers start (~0.3 s each, spawned).
PARALLEL_MIN_BYTES = 64 << 20
# About 45,000 loan rows: large enough that a piece's round trip is a small part of its decoding.
PIECE_BYTES = 8 << 20
# Newlines are looked for this far past a piece's nominal end at a time.
_SEEK_BYTES = 1 << 16


def decode_piece(path: str, start: int, stop: int, codec: str) -> bytes:
    """Bytes [start, stop) of the file decoded from codec and encoded as UTF-8 (runs in a worker)."""
    with open(path, "rb") as handle:
        handle.seek(start)
        return handle.read(stop - start).decode(codec).encode("utf-8")


def next_cut(handle: io.BufferedReader, at: int, size: int) -> int:
    """The offset just after the first newline at or after `at` (or size).

    GB18030 never uses the byte 0x0A inside a multi-byte character (its trailing bytes are 0x30-0x39,
    0x40-0x7E and 0x80-0xFE), so a cut after a newline never splits a character, whatever the CSV
    quoting: each piece decodes on its own to exactly what the whole file decodes to there.
    """
    while at < size:
        handle.seek(at)
        found = handle.read(_SEEK_BYTES).find(b"\n")
        if found >= 0:
            return min(at + found + 1, size)
        at += _SEEK_BYTES
    return size


class _Pieces(io.RawIOBase):
    """The UTF-8 text of the file, piece after piece, with up to `ahead` pieces being decoded."""

    def __init__(self, path: Path, codec: str, piece: int, ahead: int) -> None:
        self._path, self._codec, self._piece, self._ahead = str(path), codec, piece, ahead
        self._size = path.stat().st_size
        self._handle = open(path, "rb")  # closed by close()
        self._next = 0  # first byte not yet handed to a worker
        self._pending: deque[tuple[int, int, Future | None]] = deque()
        self._current = memoryview(b"")
        self._local = False  # the workers failed: decode here from now on

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not self._current and self._fill():
            pass
        count = min(len(buffer), len(self._current))
        buffer[:count] = self._current[:count]
        self._current = self._current[count:]
        return count

    def _fill(self) -> bool:
        """Take the next decoded piece; False at the end of the file."""
        while len(self._pending) < self._ahead and self._next < self._size:
            stop = next_cut(self._handle, self._next + self._piece, self._size)
            self._pending.append((self._next, stop, self._submit(self._next, stop)))
            self._next = stop
        if not self._pending:
            return False
        start, stop, future = self._pending.popleft()
        self._current = memoryview(self._result(start, stop, future))
        return True

    def _submit(self, start: int, stop: int) -> Future | None:
        if self._local:
            return None
        try:
            return shared_pool().submit(decode_piece, self._path, start, stop, self._codec)
        except Exception:  # a pool that cannot start: decode here instead
            self._local = True
            return None

    def _result(self, start: int, stop: int, future: Future | None) -> bytes:
        if future is not None:
            try:
                return future.result()
            except UnicodeDecodeError:
                raise  # the file's own fault: the reader reports the line
            except Exception:
                # Speed is not worth a rejected file: a worker that died is replaced by this process.
                self._local = True
        return decode_piece(self._path, start, stop, self._codec)

    def close(self) -> None:
        for _, _, future in self._pending:
            if future is not None:
                future.cancel()
        self._pending.clear()
        self._handle.close()
        super().close()


def parallel_worth_it(path: Path) -> bool:
    """Whether decoding the file in worker processes pays: a large file and more than one core."""
    return cores() > 1 and path.stat().st_size >= PARALLEL_MIN_BYTES


def utf8_stream(path: Path, codec: str, piece: int | None = None) -> io.BufferedReader:
    """The file as UTF-8 bytes; a read returns the bytes asked for unless the file has ended."""
    pieces = _Pieces(path, codec, piece or PIECE_BYTES, ahead=2 * cores())
    return io.BufferedReader(pieces, buffer_size=1 << 20)
