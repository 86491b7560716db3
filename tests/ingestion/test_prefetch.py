"""prefetched(): same items in the same order, the producer's error raised in the caller, early close stops it."""

from __future__ import annotations

import threading

import pytest

from ingestion.prefetch import prefetched


def test_items_come_in_order():
    assert list(prefetched(iter(range(1000)), depth=3)) == list(range(1000))


def test_the_producers_error_is_raised_where_the_items_are_used():
    def items():
        yield 1
        yield 2
        raise ValueError("line 3 is broken")

    seen = []
    with pytest.raises(ValueError, match="line 3 is broken"):
        for item in prefetched(items()):
            seen.append(item)
    assert seen == [1, 2]


def test_closing_early_stops_the_thread():
    produced = []

    def items():
        for n in range(10_000):
            produced.append(n)
            yield n

    stream = prefetched(items(), depth=2)
    assert next(stream) == 0
    stream.close()
    assert not any(t.name == "read-ahead" for t in threading.enumerate())
    # The thread stopped after at most the queue's depth plus the items in hand: it did not read on.
    assert len(produced) <= 5
