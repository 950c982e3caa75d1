"""Krippendorff's (1995, 2004) alpha for unitizing, from squared boundary distances.

The earlier definition, kept because its published worked examples check it; for more than
two coders prefer :func:`workbench.reliability.unitizing_alpha` (Krippendorff et al. 2016).
Spans and continua are described in :mod:`._spans`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from workbench.reliability._data import alpha_or_nan
from workbench.reliability._spans import (
    ALL_CODES,
    Partition,
    code_partitions,
    elementary,
    read_spans,
)

__all__ = ["unitizing_alpha_2004"]


def _distance_sum(first: Partition, second: Partition) -> float:
    """Sum of delta^2 over overlapping segment pairs of two coders (Krippendorff 2004, eq. 5)."""
    _, _, segment = elementary([first, second])
    pairs = np.unique(segment[0] * second.start.size + segment[1])
    g, h = np.divmod(pairs, second.start.size)
    b_g, l_g, v_g = first.start[g], first.length[g], first.value[g] > 0
    b_h, l_h, v_h = second.start[h], second.length[h], second.value[h] > 0
    shift = b_g - b_h
    both = v_g & v_h
    unit_in_gap = v_g & ~v_h & (shift >= 0) & (l_h - l_g >= shift)
    gap_around = ~v_g & v_h & (-shift >= 0) & (l_g - l_h >= -shift)
    distance = np.where(
        both, shift.astype(float) ** 2 + (shift + l_g - l_h).astype(float) ** 2, 0.0
    )
    distance += np.where(unit_in_gap, l_g.astype(float) ** 2, 0.0)
    distance += np.where(gap_around, l_h.astype(float) ** 2, 0.0)
    return float(distance.sum())


def _disagreements_2004(partitions: list[Partition], length: int) -> tuple[float, float]:
    n_coders = len(partitions)
    observed = sum(
        _distance_sum(partitions[i], partitions[j])
        for i in range(n_coders)
        for j in range(i + 1, n_coders)
    )
    observed = 2.0 * observed / (n_coders * (n_coders - 1) * float(length) ** 2)
    units = np.concatenate([p.length[p.value > 0] for p in partitions]).astype(float)
    gaps = np.sort(np.concatenate([p.length[p.value == 0] for p in partitions])).astype(float)
    # For each unit, sum over gaps at least as long of (gap - unit + 1) placements.
    first_long = np.searchsorted(gaps, units, side="left")
    tail_sum = np.concatenate([np.cumsum((gaps + 1.0)[::-1])[::-1], [0.0]])
    placements = tail_sum[first_long] - units * (gaps.size - first_long)
    within = (units.size - 1) * (2 * units**3 - 3 * units**2 + units) / 3.0
    numerator = 2.0 / length * (within + units**2 * placements).sum()
    pairable = n_coders * length * (n_coders * length - 1.0) - (units * (units - 1)).sum()
    return observed, float(numerator / pairable)


def unitizing_alpha_2004(
    spans: pd.DataFrame,
    continuum: int | Mapping[Any, int],
    *,
    coders: Sequence[Any] | None = None,
    codes: Sequence[Any] | None = None,
) -> pd.DataFrame:
    """Krippendorff's (1995, 2004) u-alpha per code, from squared boundary distances.

    Each code is judged on its own: a coder's spans with the code are units, the rest gaps.
    Two overlapping units disagree by the squares of the differences of their starts and ends;
    a unit lying inside another coder's gap disagrees by its squared length.

    Parameters
    ----------
    spans, continuum, coders, codes
        As for :func:`unitizing_alpha`.

    Returns
    -------
    DataFrame
        One row per code, then ``"(all codes)"`` (``1 - sum D_o / sum D_e`` over codes).
        Columns ``code``, ``u_alpha``, ``observed_disagreement``, ``expected_disagreement``,
        ``n_coders``, ``length``.

    References
    ----------
    .. [1] Krippendorff, K. (1995). On the reliability of unitizing continuous data.
       Sociological Methodology, 25, 47-76.
    .. [2] Krippendorff, K. (2004). Measuring the reliability of qualitative text analysis
       data. Quality & Quantity, 38, 787-800; and Content Analysis (2nd ed.), ch. 11. Sage.

    D_o and D_e as in [2]. For more than two coders, coder pairs are averaged as in [1];
    Krippendorff et al. (2016) found this behaves unexpectedly beyond two coders and revised
    it, so prefer :func:`unitizing_alpha` there.

    Validated against: Krippendorff (2004, Content Analysis 2nd ed., p. 254) example (alpha
    0.7286 for c, 1 for k, 0.8591 overall) and Krippendorff (1995, p. 57) examples A-D, both
    as transcribed in DKPro Statistics' tests.

    Examples
    --------
    >>> spans = pd.DataFrame({"coder": ["ana", "ben"], "start": [10, 12], "end": [30, 32],
    ...                       "code": ["x", "x"]})
    >>> round(float(unitizing_alpha_2004(spans, 100).loc[0, "u_alpha"]), 4)
    0.9826
    """
    data = read_spans(spans, continuum, coders, codes)
    observed, expected = [], []
    for code in range(len(data.codes)):
        partitions = code_partitions(data, code)
        if not any((p.value > 0).any() for p in partitions):
            observed.append(math.nan), expected.append(math.nan)
            continue
        d_o, d_e = _disagreements_2004(partitions, data.length)
        observed.append(d_o), expected.append(d_e)
    alphas = [
        alpha_or_nan(o, e if not math.isnan(e) else 0.0, f"u_alpha for {c!r}")
        for o, e, c in zip(observed, expected, data.codes, strict=True)
    ]
    total_o, total_e = np.nansum(observed), np.nansum(expected)
    overall = alpha_or_nan(total_o, total_e if total_e > 0 else 0.0, "the all-codes u_alpha")
    return pd.DataFrame(
        {
            "code": [*data.codes, ALL_CODES],
            "u_alpha": [*alphas, overall],
            "observed_disagreement": [*observed, total_o],
            "expected_disagreement": [*expected, total_e],
            "n_coders": len(data.coders),
            "length": data.length,
        }
    )
