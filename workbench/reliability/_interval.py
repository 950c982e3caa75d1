"""What every bootstrap interval of an alpha shares: its record, its options, its limits.

Used by :func:`workbench.reliability.alpha_ci` (Krippendorff's bootstrap of pairs of values)
and :func:`workbench.reliability.unitizing_alpha_ci` (a bootstrap of documents).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from workbench.errors import ReliabilityError


@dataclass(frozen=True)
class AlphaInterval:
    """Alpha with its bootstrapped confidence interval (Hayes & Krippendorff, 2007).

    ``p_below_min`` is the share of bootstrap samples whose alpha falls below ``min_alpha``:
    the probability that the data fail to reach the reliability the study requires.
    """

    alpha: float
    ci_low: float
    ci_high: float
    p_below_min: float
    min_alpha: float
    n_boot: int
    confidence: float

    def to_frame(self) -> pd.DataFrame:
        """The interval as a tidy one-row DataFrame with the same column names as the fields."""
        return pd.DataFrame([asdict(self)])


def check_bootstrap_options(n_boot: int, confidence: float) -> None:
    """Refuse a bootstrap of no samples or a coverage outside (0, 1).

    Raises
    ------
    ReliabilityError
        WB-RELIABILITY-009, giving both values.
    """
    if n_boot < 1 or not 0 < confidence < 1:
        raise ReliabilityError(
            9,
            f"n_boot must be 1 or more and confidence between 0 and 1; got n_boot={n_boot}, "
            f"confidence={confidence}.",
        )


def percentile_limits(samples: np.ndarray, confidence: float) -> tuple[float, float]:
    """Order statistics as KALPHA reads them off the sorted bootstrap distribution.

    Parameters
    ----------
    samples : ndarray
        The bootstrap alphas, in any order.
    confidence : float
        Coverage of the interval, between 0 and 1.

    Returns
    -------
    tuple of float
        With ``X`` samples and tail ``t = (1 - confidence) / 2``: the ``max(floor(t X), 1)``-th
        and the ``min(floor((1 - t) X) + 1, X)``-th smallest sample.

    References
    ----------
    .. [1] Hayes, A. F., & Krippendorff, K. (2007). Answering the call for a standard
       reliability measure for coding data. Communication Methods and Measures, 1(1), 77-89
       (the KALPHA macro).
    """
    ordered = np.sort(samples)
    size = ordered.size
    tail = (1.0 - confidence) / 2.0
    low = max(math.floor(tail * size), 1)
    high = min(math.floor((1.0 - tail) * size) + 1, size)
    return float(ordered[low - 1]), float(ordered[high - 1])
