"""HMACs split over worker processes equal hmac.digest of every message, in order."""

from __future__ import annotations

import hashlib
import hmac

import numpy as np

from ingestion import hmac_pool

KEY = bytes(range(32))


def _packed(messages: list[bytes]) -> tuple[bytes, np.ndarray]:
    offsets = np.cumsum([0, *map(len, messages)]).astype(np.int64)
    return b"".join(messages), offsets


def test_worker_processes_give_the_same_digests_in_order(monkeypatch):
    messages = [f"身份证:41062119{n:010d}".encode() for n in range(5_001)] + [b"", "客户名称".encode()]
    raw, offsets = _packed(messages)
    monkeypatch.setattr(hmac_pool, "PARALLEL_MIN", 10)  # force the worker path on a small input
    split = hmac_pool.digests(KEY, raw, offsets)
    expected = b"".join(hmac.digest(KEY, m, hashlib.sha256) for m in messages)
    assert split == expected
    assert hmac_pool.serial_digests(KEY, raw, offsets) == expected


def test_a_long_key_is_hashed_first_as_rfc_2104_says():
    key = b"k" * 100
    raw, offsets = _packed([b"abc"])
    assert hmac_pool.digests(key, raw, offsets) == hmac.digest(key, b"abc", hashlib.sha256)


def test_workers_that_cannot_start_fall_back_to_this_process(monkeypatch):
    def broken():
        raise RuntimeError("no worker process here")

    messages = [f"{n}".encode() for n in range(50)]
    raw, offsets = _packed(messages)
    monkeypatch.setattr(hmac_pool, "PARALLEL_MIN", 10)
    monkeypatch.setattr(hmac_pool, "_workers", broken)
    monkeypatch.setattr(hmac_pool, "_disabled", "")
    assert hmac_pool.digests(KEY, raw, offsets) == hmac_pool.serial_digests(KEY, raw, offsets)
    assert "no worker process here" in hmac_pool._disabled
