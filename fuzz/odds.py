"""Weighted choices that stay rare when Hypothesis fills a replayed prefix with its simplest values."""

from __future__ import annotations

from hypothesis import strategies as st


def one_in(draw, n: int) -> bool:
    """True about once in `n` draws.

    The rare side is the largest value, not 0: Hypothesis completes many inputs with the simplest
    choice (0), which would otherwise make the rare branch the common one.
    """
    return draw(st.integers(0, n - 1)) == n - 1
