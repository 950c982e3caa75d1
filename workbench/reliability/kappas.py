"""The kappa family and percent agreement for coding predefined units.

Cohen's kappa (two coders, optionally weighted), Fleiss' kappa (with Gwet's extension for
missing values), Gwet's AC1, Brennan and Prediger's kappa and percent agreement, all on
reliability data in Krippendorff's coders x units layout (see :mod:`._data`).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from workbench.errors import ReliabilityError
from workbench.reliability._data import (
    KAPPA_WEIGHTS,
    alpha_or_nan,
    as_matrix,
    check_option,
    prepare,
)

__all__ = ["brennan_prediger", "cohen_kappa", "fleiss_kappa", "gwet_ac1", "percent_agreement"]


def cohen_kappa(
    a: Any, b: Any, weights: str | None = None, *, labels: Sequence[Any] | None = None
) -> float:
    """Cohen's kappa for two coders, optionally weighted for ordered categories.

    Parameters
    ----------
    a, b : array-like
        The two coders' values for the same units, in the same order. Units that either coder
        left missing (``NaN``/``None``) are left out.
    weights : {None, "linear", "quadratic"}
        ``None`` for Cohen's (1960) kappa; "linear" or "quadratic" for weighted kappa (Cohen,
        1968), with disagreement weights on the positions of the sorted categories.
    labels : sequence, optional
        All categories in their order; needed for weights when some category went unused.

    Returns
    -------
    float
        ``(p_o - p_e) / (1 - p_e)``; ``NaN`` with a warning when undefined (one category).

    References
    ----------
    .. [1] Cohen, J. (1960). A coefficient of agreement for nominal scales. Educational and
       Psychological Measurement, 20(1), 37-46.
    .. [2] Cohen, J. (1968). Weighted kappa. Psychological Bulletin, 70(4), 213-220.

    Validated against: Gwet's irrCAC README (3x3 abstractors table, 0.7964094), a 2x2 table
    computed by hand, the SAS weighted-kappa printout and R irr output held in statsmodels'
    test suite. Computed by ``sklearn.metrics.cohen_kappa_score``.

    Examples
    --------
    >>> cohen_kappa(["yes", "yes", "no", "no"], ["yes", "no", "no", "no"])
    0.5
    """
    from sklearn.metrics import cohen_kappa_score

    check_option(weights, KAPPA_WEIGHTS, "weights")
    first = pd.Series(np.asarray(a, dtype=object).ravel())
    second = pd.Series(np.asarray(b, dtype=object).ravel())
    if first.size != second.size:
        raise ReliabilityError(
            6,
            f"the two coders have {first.size} and {second.size} values; Cohen's kappa "
            f"needs one value from each coder for the same units.",
        )
    both = first.notna() & second.notna()
    first, second = first[both].tolist(), second[both].tolist()
    if labels is None and len(set(first) | set(second)) < 2:
        return alpha_or_nan(0.0, 0.0 if first else math.nan, "Cohen's kappa")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        kappa = cohen_kappa_score(first, second, labels=labels, weights=weights)
    if math.isnan(kappa):
        return alpha_or_nan(0.0, 0.0, "Cohen's kappa")
    return float(kappa)


def _category_counts(data: Any, categories: Sequence[Any] | None) -> tuple[np.ndarray, int]:
    """Units x categories counts of ratings (units nobody rated dropped) and the number q."""
    index, domain = prepare(data)
    if categories is not None:
        unknown = set(domain.tolist()) - set(categories)
        if unknown:
            raise ReliabilityError(
                10,
                f"values {sorted(map(str, unknown))} are not among categories "
                f"{list(categories)}; add them or correct the data.",
            )
        position = {category: i for i, category in enumerate(categories)}
        remap = np.array([position[value] for value in domain.tolist()], dtype=np.int64)
        index = np.where(index >= 0, remap[np.maximum(index, 0)], -1)
        n_categories = len(categories)
    else:
        n_categories = domain.size
    rated = (index >= 0).any(axis=0)
    index = index[:, rated]
    units = np.broadcast_to(np.arange(index.shape[1]), index.shape)[index >= 0]
    counts = np.bincount(
        units * n_categories + index[index >= 0], minlength=index.shape[1] * n_categories
    )
    return counts.reshape(index.shape[1], n_categories).astype(float), n_categories


def _percent_agreement(counts: np.ndarray) -> float:
    raters = counts.sum(axis=1)
    pairable = raters >= 2
    if not pairable.any():
        return math.nan
    agree = (counts[pairable] * (counts[pairable] - 1)).sum(axis=1)
    return float(np.mean(agree / (raters[pairable] * (raters[pairable] - 1))))


def _chance_corrected(agreement: float, chance: float, what: str) -> float:
    if math.isnan(agreement):
        return alpha_or_nan(0.0, math.nan, what)
    if chance >= 1.0:
        return alpha_or_nan(0.0, 0.0, what)
    return (agreement - chance) / (1.0 - chance)


def _category_shares(counts: np.ndarray) -> np.ndarray:
    """pi_k: the mean over rated units of the share of ratings in category k (Gwet, 2014)."""
    return (counts / counts.sum(axis=1, keepdims=True)).mean(axis=0)


def percent_agreement(data: Any) -> float:
    """Share of agreeing coder pairs, averaged over units coded by two or more coders.

    Parameters
    ----------
    data : array-like or DataFrame, coders x units
        Reliability data; ``NaN`` = not coded.

    Returns
    -------
    float
        ``p_a = mean_i sum_k r_ik (r_ik - 1) / (r_i (r_i - 1))`` over units with ``r_i >= 2``
        ratings; for two coders without missing values, the share of units they agree on.
        Not corrected for chance.

    References
    ----------
    .. [1] Gwet, K. L. (2014). Handbook of Inter-Rater Reliability (4th ed.), Advanced
       Analytics, ch. 2 (p_a for multiple raters with missing ratings).

    Validated against: Gwet's irrCAC README (cac.raw4raters, 0.8181818; 3x3 abstractors, 0.89).

    Examples
    --------
    >>> percent_agreement([["a", "a", "b", "b"], ["a", "b", "b", "b"]])
    0.75
    """
    counts, _ = _category_counts(data, None)
    agreement = _percent_agreement(counts)
    if math.isnan(agreement):
        return alpha_or_nan(0.0, math.nan, "percent agreement")
    return agreement


def gwet_ac1(data: Any, *, categories: Sequence[Any] | None = None) -> float:
    """Gwet's AC1 for any number of coders, with missing values.

    Parameters
    ----------
    data : array-like or DataFrame, coders x units
        Reliability data; ``NaN`` = not coded.
    categories : sequence, optional
        Every category coders could choose. Defaults to the categories seen in the data;
        give it when some category went unused, since chance agreement depends on their number.

    Returns
    -------
    float
        ``(p_a - p_e) / (1 - p_e)`` with ``p_e = sum_k pi_k (1 - pi_k) / (q - 1)``.

    References
    ----------
    .. [1] Gwet, K. L. (2008). Computing inter-rater reliability and its variance in the
       presence of high agreement. British Journal of Mathematical and Statistical
       Psychology, 61(1), 29-48.
    .. [2] Gwet, K. L. (2014). Handbook of Inter-Rater Reliability (4th ed.), ch. 4.

    Validated against: Gwet's irrCAC README (cac.raw4raters: 0.77544; distrib.6raters:
    0.4448007; 3x3 abstractors: 0.8493305).

    Examples
    --------
    Two coders agree on 3 of 4 units (p_a = 0.75); category "a" has mean share
    pi_a = (1 + 1/2 + 0 + 0) / 4 = 0.375, so p_e = 2 * 0.375 * 0.625 = 0.46875:

    >>> round(gwet_ac1([["a", "a", "b", "b"], ["a", "b", "b", "b"]]), 4)
    0.5294
    """
    counts, n_categories = _category_counts(data, categories)
    if n_categories < 2:
        return alpha_or_nan(0.0, 0.0, "Gwet's AC1")
    shares = _category_shares(counts)
    chance = float((shares * (1 - shares)).sum() / (n_categories - 1))
    return _chance_corrected(_percent_agreement(counts), chance, "Gwet's AC1")


def brennan_prediger(data: Any, *, categories: Sequence[Any] | None = None) -> float:
    """Brennan and Prediger's kappa: chance agreement 1/q for q equally likely categories.

    Parameters
    ----------
    data : array-like or DataFrame, coders x units
        Reliability data; ``NaN`` = not coded.
    categories : sequence, optional
        Every category coders could choose (defaults to those seen in the data).

    Returns
    -------
    float
        ``(p_a - 1/q) / (1 - 1/q)``.

    References
    ----------
    .. [1] Brennan, R. L., & Prediger, D. J. (1981). Coefficient kappa: Some uses, misuses, and
       alternatives. Educational and Psychological Measurement, 41(3), 687-699.
    .. [2] Gwet, K. L. (2014). Handbook of Inter-Rater Reliability (4th ed.), ch. 2-4
       (multiple raters and missing ratings).

    Validated against: Gwet's irrCAC README (cac.raw4raters: 0.77273; distrib.6raters:
    0.4388889; 3x3 abstractors: 0.835).

    Examples
    --------
    >>> brennan_prediger([["a", "a", "b", "b"], ["a", "b", "b", "b"]])
    0.5
    """
    counts, n_categories = _category_counts(data, categories)
    if n_categories < 2:
        return alpha_or_nan(0.0, 0.0, "Brennan-Prediger kappa")
    return _chance_corrected(
        _percent_agreement(counts), 1.0 / n_categories, "Brennan-Prediger kappa"
    )


def fleiss_kappa(data: Any) -> float:
    """Fleiss' kappa for any fixed number of coders; Gwet's extension when values are missing.

    Parameters
    ----------
    data : array-like or DataFrame, coders x units
        Reliability data; ``NaN`` = not coded.

    Returns
    -------
    float
        With every unit coded by every coder: Fleiss' (1971) kappa, computed by
        ``statsmodels.stats.inter_rater.fleiss_kappa``. With missing values: Gwet's (2014)
        extension, ``p_a`` over units with two or more ratings and ``p_e = sum_k pi_k^2``,
        which equals Fleiss' kappa on complete data.

    References
    ----------
    .. [1] Fleiss, J. L. (1971). Measuring nominal scale agreement among many raters.
       Psychological Bulletin, 76(5), 378-382.
    .. [2] Gwet, K. L. (2014). Handbook of Inter-Rater Reliability (4th ed.), ch. 2.

    Validated against: Fleiss (1971) diagnoses table as held in statsmodels' test suite
    (0.4302445); Gwet's irrCAC README (cac.raw4raters with missing values: 0.76117;
    distrib.6raters: 0.4139265).

    Examples
    --------
    >>> round(fleiss_kappa([["a", "a", "b", "b"], ["a", "b", "b", "b"], ["a", "a", "b", "a"]]), 4)
    0.3333
    """
    from statsmodels.stats import inter_rater

    array, _ = as_matrix(data)
    counts, n_categories = _category_counts(data, None)
    shares = _category_shares(counts) if counts.size else np.array([1.0])
    chance = float((shares**2).sum())
    if n_categories < 2 or chance >= 1.0:
        return alpha_or_nan(0.0, 0.0, "Fleiss' kappa")
    if (counts.sum(axis=1) == array.shape[0]).all():
        return float(inter_rater.fleiss_kappa(counts, method="fleiss"))
    return _chance_corrected(_percent_agreement(counts), chance, "Fleiss' kappa")
