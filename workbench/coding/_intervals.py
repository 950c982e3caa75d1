"""Pairs of spans that overlap (or lie within a distance) in the same document, on arrays.

A sweep over spans sorted by start: span ``j`` after span ``i`` in the same document overlaps
it when ``start[j] < end[i] + slack``. ``searchsorted`` finds, for every span at once, the
last such ``j``; the pairs are then laid out with ``repeat`` and a ramp, so the work grows
with the number of pairs found, not with the square of the number of spans.
"""

from __future__ import annotations

import numpy as np


def overlapping_pairs(group: np.ndarray, start: np.ndarray, end: np.ndarray,
                      slack: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Index pairs (i, j), i != j listed once, of spans in the same group that overlap.

    ``slack`` > 0 also pairs spans whose gap is under ``slack`` characters (proximity).
    Spans are half-open ``[start, end)``: touching spans do not overlap.
    """
    n = len(start)
    if n == 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    _, group_index = np.unique(group, return_inverse=True)
    order = np.lexsort((start, group_index))
    g, s, e = group_index[order], start[order], end[order]
    # Key that orders by group, then start: a span's reach stays within its group.
    span = int(max(e.max(), s.max())) + int(slack) + 1
    key = g.astype(np.int64) * span + s
    reach = g.astype(np.int64) * span + np.minimum(e + slack, span - 1)
    last = np.searchsorted(key, reach, side="left")  # first j whose start >= end + slack
    counts = np.maximum(last - np.arange(n) - 1, 0)
    first = np.repeat(np.arange(n), counts)
    ramp = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    second = first + 1 + ramp
    return order[first], order[second]
