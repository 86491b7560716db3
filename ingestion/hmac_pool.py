"""HMAC-SHA256 of many short messages, split over worker processes when there are enough of them."""

from __future__ import annotations

import hashlib
import itertools

import numpy as np

from ingestion.worker_pool import cores
from ingestion.worker_pool import shared_pool as _workers

_SHA256_BLOCK = 64
# Below this many messages a second process costs more (start-up, copying) than it saves.
PARALLEL_MIN = 200_000
_disabled = ""  # why worker processes failed in this process, if they did


def _pads(key: bytes) -> tuple[object, object]:
    """SHA-256 states after the inner and outer HMAC pads (RFC 2104), to copy per message."""
    if len(key) > _SHA256_BLOCK:
        key = hashlib.sha256(key).digest()
    key = key.ljust(_SHA256_BLOCK, b"\0")
    return hashlib.sha256(bytes(b ^ 0x36 for b in key)), hashlib.sha256(bytes(b ^ 0x5C for b in key))


def serial_digests(key: bytes, raw: bytes, offsets: np.ndarray) -> bytes:
    """The 32-byte HMACs of raw[offsets[i]:offsets[i+1]], concatenated, in this process."""
    inner, outer = _pads(key)
    inner_copy, outer_copy = inner.copy, outer.copy
    digests = []
    # Copying the padded states skips re-hashing the key per message: about twice hmac.digest's speed.
    for start, stop in itertools.pairwise(offsets.tolist()):
        h = inner_copy()
        h.update(raw[start:stop])
        o = outer_copy()
        o.update(h.digest())
        digests.append(o.digest())
    return b"".join(digests)


def _give_up(reason: str) -> None:
    global _disabled
    _disabled = reason


def digests(key: bytes, raw: bytes, offsets: np.ndarray) -> bytes:
    """As serial_digests; a province's millions of distinct IDs and names are hashed on every core.

    The HMAC loop is Python (hashlib holds the GIL for short messages), so threads would not help.
    """
    n, workers = len(offsets) - 1, cores()
    if n < PARALLEL_MIN or workers < 2 or _disabled:
        return serial_digests(key, raw, offsets)
    bounds = np.linspace(0, n, workers + 1).astype(np.int64)
    try:
        parts = []
        for a, b in itertools.pairwise(bounds.tolist()):
            first, last = int(offsets[a]), int(offsets[b])
            parts.append(_workers().submit(serial_digests, key, raw[first:last], offsets[a : b + 1] - first))
        return b"".join(part.result() for part in parts)
    except Exception as exc:
        # Speed is not worth a rejected file: hash here, and stop trying workers in this process.
        _give_up(f"{type(exc).__name__}: {exc}")
        return serial_digests(key, raw, offsets)
