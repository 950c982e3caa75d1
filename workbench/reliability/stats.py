"""Krippendorff's alpha for coding predefined units, its bootstrap interval, and the
reliability-data helpers the kappa family in :mod:`.kappas` shares.

Every function takes *reliability data* in Krippendorff's layout: a coders x units matrix
(rows = coders, columns = units, ``NaN``/``None`` = the coder did not code that unit), as a
NumPy array, a nested list or a pandas DataFrame (index = coders, columns = units). A
project-level ``agreement()`` calls them once per code on a binary presence-per-unit matrix
(1 = the coder applied the code to the unit, 0 = did not, ``NaN`` = did not see the unit).

The kernel works on integer value indices with ``np.bincount``: memory grows linearly with the
number of units and no units x values x values array is ever built.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from itertools import combinations
from typing import Any

import numpy as np
import pandas as pd

from workbench.errors import ReliabilityError

__all__ = [
    "LEVELS",
    "AlphaInterval",
    "ReliabilityWarning",
    "alpha_ci",
    "coincidence_matrix",
    "krippendorff_alpha",
    "reliability_data",
]

LEVELS = ("nominal", "ordinal", "interval", "ratio")
KAPPA_WEIGHTS = (None, "linear", "quadratic")


def _use_value_counts(n_coders: int, n_values: int) -> bool:
    """Whether per-unit value counts beat one bincount per coder pair.

    Both are linear in units. A coder pair costs one pass over the units; the value counts cost
    about 20 passes plus a units x values matrix (timed on 1e6 units, 5 and 10 values).
    """
    return n_coders * (n_coders - 1) / 2 > 20 + 3 * n_values


class ReliabilityWarning(UserWarning):
    """A statistic is undefined for these data (returned as NaN) or some data were left out."""


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


# ---------------------------------------------------------------------------------------------
# Input handling


def _check_option(value: Any, allowed: Sequence[Any], name: str) -> Any:
    if value not in allowed:
        shown = ", ".join(repr(a) for a in allowed)
        raise ReliabilityError(2, f"{name}={value!r} is not known. Use one of: {shown}.")
    return value


def _as_matrix(data: Any) -> tuple[np.ndarray, pd.Index | None]:
    """A 2-D array of the data and the unit labels (DataFrame columns; None for positions)."""
    if isinstance(data, pd.DataFrame):
        units = data.columns
        array = data.to_numpy()
    else:
        array = np.asarray(data, dtype=object if _has_strings(data) else None)
        units = None
    if array.ndim != 2 or array.size == 0:
        raise ReliabilityError(
            3,
            f"reliability data must be a coders x units table (rows = coders, columns = "
            f"units); got an array of shape {array.shape}. Put one row per coder.",
        )
    if array.shape[0] < 2:
        raise ReliabilityError(
            1,
            f"reliability data has {array.shape[0]} coder (row); agreement needs at least "
            f"two coders. Check that rows are coders and columns are units.",
        )
    return array, units


def _has_strings(data: Any) -> bool:
    try:
        return np.asarray(data).dtype.kind in "OUS"
    except ValueError:  # ragged nested lists
        return True


def _encode(array: np.ndarray, *, level: str = "nominal") -> tuple[np.ndarray, np.ndarray]:
    """Integer value index per cell (-1 = missing) and the sorted domain of observed values."""
    if array.dtype.kind in "OUS":
        flat = pd.Series(array.ravel())
        try:
            numbers = pd.to_numeric(flat).to_numpy(dtype=float)
        except (ValueError, TypeError):
            return _encode_labels(flat, array.shape, level)
        array = numbers.reshape(array.shape)
    values = np.asarray(array, dtype=float)
    missing = np.isnan(values)
    if np.isinf(values).any():
        raise ReliabilityError(7, "reliability data contain infinite values; use NaN for missing.")
    present = values[~missing]
    if level == "ratio" and (present < 0).any():
        raise ReliabilityError(
            5,
            "the ratio level needs values of zero or more (a true zero point); "
            "use level='interval' for scales with negative values.",
        )
    domain, inverse = _factorize_numbers(present)
    index = np.full(values.shape, -1, dtype=np.int64)
    index[~missing] = inverse
    return index, domain


def _factorize_numbers(present: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted distinct values and the position of each value among them."""
    if present.size == 0:
        return np.empty(0), np.empty(0, dtype=np.int64)
    low, high = present.min(), present.max()
    span = high - low
    # Small-integer codes (the usual case) are mapped in linear time instead of by sorting.
    if span <= 4 * present.size + 1024 and np.array_equal(present, np.floor(present)):
        offsets = (present - low).astype(np.int64)
        seen = np.bincount(offsets, minlength=int(span) + 1) > 0
        lookup = np.cumsum(seen) - 1
        return np.flatnonzero(seen) + low, lookup[offsets]
    return np.unique(present, return_inverse=True)


def _encode_labels(
    flat: pd.Series, shape: tuple[int, ...], level: str
) -> tuple[np.ndarray, np.ndarray]:
    if level != "nominal":
        raise ReliabilityError(
            4,
            f"level={level!r} needs numbers, but the data hold labels such as "
            f"{flat.dropna().iloc[0]!r}. Map the labels to numbers that carry their order or "
            f"distance, or use level='nominal'.",
        )
    missing = flat.isna().to_numpy()
    try:
        codes, domain = pd.factorize(flat[~missing], sort=True)
    except TypeError:  # labels of mixed types cannot be sorted; nominal needs no order
        codes, domain = pd.factorize(flat[~missing], sort=False)
    index = np.full(flat.size, -1, dtype=np.int64)
    index[~missing] = codes
    return index.reshape(shape), np.asarray(domain, dtype=object)


def _warn_uncoded_units(index: np.ndarray, units: pd.Index | None) -> None:
    uncoded = np.flatnonzero((index < 0).all(axis=0))
    if uncoded.size:
        labels = [units[u] if units is not None else f"#{u + 1}" for u in uncoded[:5]]
        shown = ", ".join(map(repr, labels))
        more = f" and {uncoded.size - 5} more" if uncoded.size > 5 else ""
        warnings.warn(
            f"{uncoded.size} unit(s) were coded by nobody and are left out: {shown}{more}.",
            ReliabilityWarning,
            stacklevel=3,
        )


def _prepare(data: Any, level: str = "nominal") -> tuple[np.ndarray, np.ndarray]:
    array, units = _as_matrix(data)
    index, domain = _encode(array, level=level)
    _warn_uncoded_units(index, units)
    return index, domain


def reliability_data(
    codings: pd.DataFrame, *, coder: str = "coder", unit: str = "unit", value: str = "value"
) -> pd.DataFrame:
    """Turn long codings (one row per coder and unit) into a coders x units table.

    Parameters
    ----------
    codings : DataFrame
        One row per value a coder gave a unit.
    coder, unit, value : str
        Names of the columns holding the coder, the unit and the value.

    Returns
    -------
    DataFrame
        Index = coders, columns = units (sorted), cells = values, ``NaN`` where a coder did
        not code a unit: the input every statistic in this module takes.

    Examples
    --------
    >>> long = pd.DataFrame({"coder": ["ana", "ben", "ana"], "unit": [1, 1, 2],
    ...                      "value": [1, 0, 1]})
    >>> table = reliability_data(long)
    >>> table.index.tolist(), table.columns.tolist(), table.to_numpy().tolist()
    (['ana', 'ben'], [1, 2], [[1.0, 1.0], [0.0, nan]])
    """
    for column in (coder, unit, value):
        if column not in codings.columns:
            raise ReliabilityError(
                8, f"codings have no column {column!r}; found {list(codings.columns)}."
            )
    twice = codings.duplicated([coder, unit], keep=False)
    if twice.any():
        first = codings.loc[twice].iloc[0]
        raise ReliabilityError(
            8,
            f"coder {first[coder]!r} gave unit {first[unit]!r} more than one value; alpha "
            f"takes one value per coder and unit. Remove the duplicate rows.",
        )
    return codings.pivot(index=coder, columns=unit, values=value)


# ---------------------------------------------------------------------------------------------
# Kernel


def _coincidences(
    index: np.ndarray, n_values: int, unit_weight: np.ndarray | None = None
) -> np.ndarray:
    """Krippendorff's values x values coincidence matrix of integer-coded reliability data.

    ``index`` is coders x units with -1 for missing values. Each pair of values within a unit
    counts ``1 / (m_u - 1)`` (``m_u`` = values in the unit) times ``unit_weight``; units with
    fewer than two values do not count.
    """
    valid = index >= 0
    per_unit = valid.sum(axis=0)
    weight = np.zeros(index.shape[1])
    pairable = per_unit >= 2
    weight[pairable] = 1.0 / (per_unit[pairable] - 1)
    if unit_weight is not None:
        weight *= unit_weight
    n_coders = index.shape[0]
    if _use_value_counts(n_coders, n_values):
        return _coincidences_by_counts(index, valid, weight, n_values)
    flat = np.zeros(n_values * n_values)
    for first, second in combinations(range(n_coders), 2):
        both = valid[first] & valid[second]
        if both.any():
            pairs = index[first, both] * n_values + index[second, both]
            flat += np.bincount(pairs, weights=weight[both], minlength=n_values * n_values)
    half = flat.reshape(n_values, n_values)
    return half + half.T


def _coincidences_by_counts(
    index: np.ndarray, valid: np.ndarray, weight: np.ndarray, n_values: int
) -> np.ndarray:
    """Same matrix from per-unit value counts: sum over units of (n n' - diag n) * weight."""
    n_units = index.shape[1]
    units = np.broadcast_to(np.arange(n_units), index.shape)[valid]
    counts = np.bincount(units * n_values + index[valid], minlength=n_units * n_values)
    counts = counts.reshape(n_units, n_values).astype(float)
    matrix = (counts * weight[:, None]).T @ counts
    matrix[np.diag_indices(n_values)] -= counts.T @ weight
    return matrix


def _distances(level: str, domain: np.ndarray, totals: np.ndarray) -> np.ndarray:
    """Squared difference delta^2 between every pair of values (Krippendorff, 2011, sec. E)."""
    if level == "nominal":
        return 1.0 - np.eye(domain.size)
    if level == "ordinal":
        middle = np.cumsum(totals) - totals / 2.0
        return (middle[:, None] - middle[None, :]) ** 2
    values = domain.astype(float)
    diff = values[:, None] - values[None, :]
    if level == "interval":
        return diff**2
    total = values[:, None] + values[None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(total == 0, 0.0, (diff / total) ** 2)


def _disagreements(coincidences: np.ndarray, distances: np.ndarray) -> tuple[float, float]:
    """Observed and expected disagreement per pairable value (``D_o``, ``D_e``)."""
    totals = coincidences.sum(axis=1)
    n = totals.sum()
    if n <= 1:
        return math.nan, math.nan
    observed = float((coincidences * distances).sum() / n)
    expected = float((np.outer(totals, totals) * distances).sum() / (n * (n - 1)))
    return observed, expected


def _warn(message: str) -> None:
    warnings.warn(message, ReliabilityWarning, stacklevel=4)


def _alpha_or_nan(observed: float, expected: float, what: str = "alpha") -> float:
    """``1 - observed / expected``, or NaN with a warning saying why it is undefined."""
    if math.isnan(expected):
        _warn(
            f"{what} is undefined: no unit was coded by two or more coders, so there is "
            f"nothing to compare. Returned NaN."
        )
        return math.nan
    if expected == 0:
        _warn(
            f"{what} is undefined: every pairable value is the same (a single category), so "
            f"the data have no variation to agree on. Returned NaN."
        )
        return math.nan
    return float(1.0 - observed / expected)


# ---------------------------------------------------------------------------------------------
# Krippendorff's alpha


def coincidence_matrix(data: Any) -> pd.DataFrame:
    """Krippendorff's coincidence matrix: how often values were paired within units.

    Parameters
    ----------
    data : array-like or DataFrame, coders x units
        Reliability data; ``NaN`` or ``None`` marks a unit a coder did not code.

    Returns
    -------
    DataFrame
        Values x values; cell (c, k) counts the pairs of values c and k found in the same unit,
        each pair weighted ``1 / (m_u - 1)``. Off-diagonal cells are the disagreements.

    References
    ----------
    .. [1] Krippendorff, K. (2011). Computing Krippendorff's alpha-reliability. Annenberg
       School for Communication, University of Pennsylvania, section C.

    Examples
    --------
    >>> coincidence_matrix([[0, 1, 0, 0], [0, 1, 1, 0]])
         0.0  1.0
    0.0  4.0  1.0
    1.0  1.0  2.0
    """
    index, domain = _prepare(data)
    matrix = _coincidences(index, domain.size)
    return pd.DataFrame(matrix, index=domain, columns=domain)


def krippendorff_alpha(data: Any, level: str = "nominal") -> float:
    """Krippendorff's alpha for any number of coders, missing values and four levels.

    Parameters
    ----------
    data : array-like or DataFrame, coders x units
        Krippendorff's reliability data matrix: rows = coders, columns = units, ``NaN`` (or
        ``None``) = not coded. Units with fewer than two values are not pairable and are left
        out, as Krippendorff defines. Labels (strings) are allowed for the nominal level.
    level : {"nominal", "ordinal", "interval", "ratio"}
        Level of measurement; sets the difference function delta^2.

    Returns
    -------
    float
        ``1 - D_o / D_e``. ``NaN`` with a :class:`ReliabilityWarning` when alpha is undefined:
        no pairable unit, or a single value throughout (no variation).

    References
    ----------
    .. [1] Krippendorff, K. (2011). Computing Krippendorff's alpha-reliability. Annenberg
       School for Communication, University of Pennsylvania. Coincidences: section C;
       difference functions delta^2 (nominal, ordinal, interval, ratio): section E.
    .. [2] Krippendorff, K. (2004). Content Analysis: An Introduction to Its Methodology
       (2nd ed.), ch. 11. Sage.

    Validated against: Krippendorff (2011) examples A, B and C at all four levels (exact
    fractions, to 1e-9), and the ``krippendorff`` package on random data.

    Examples
    --------
    Krippendorff (2011), example C (4 coders, 12 units, values 1-5):

    >>> nan = float("nan")
    >>> c = [[1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
    ...      [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
    ...      [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
    ...      [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan]]
    >>> round(krippendorff_alpha(c, "nominal"), 3)
    0.743
    >>> round(krippendorff_alpha(c, "interval"), 3)
    0.849
    """
    _check_option(level, LEVELS, "level")
    index, domain = _prepare(data, level)
    coincidences = _coincidences(index, domain.size)
    distances = _distances(level, domain, coincidences.sum(axis=1))
    return _alpha_or_nan(*_disagreements(coincidences, distances))


def alpha_ci(
    data: Any,
    level: str = "nominal",
    *,
    n_boot: int = 10_000,
    confidence: float = 0.95,
    min_alpha: float = 0.667,
    seed: int | np.random.Generator | None = None,
) -> AlphaInterval:
    """Krippendorff's alpha with a bootstrapped confidence interval and q(alpha < min_alpha).

    Follows Krippendorff's bootstrap algorithm as published with the KALPHA macro (Hayes &
    Krippendorff, 2007): each bootstrap sample draws ``M`` pairs of values from the observed
    coincidences (pair c-k with probability ``o_ck / n``), averages their delta^2 into a new
    ``D_o`` and keeps the original ``D_e``. ``M = min(25 Q, (m - 1) n / 2)``, with ``Q`` the
    number of non-empty coincidence cells and ``m`` the number of coders. Samples whose pairs
    all fall on one diagonal cell have no variation and count as alpha = 0; alphas below -1
    count as -1.

    Parameters
    ----------
    data : array-like or DataFrame, coders x units
        Reliability data as for :func:`krippendorff_alpha`.
    level : {"nominal", "ordinal", "interval", "ratio"}
        Level of measurement.
    n_boot : int
        Number of bootstrap samples.
    confidence : float
        Coverage of the interval, e.g. 0.95.
    min_alpha : float
        Smallest acceptable alpha; ``p_below_min`` is the share of samples below it.
        Krippendorff (2004, p. 241) suggests 0.800, and 0.667 for tentative conclusions.
    seed : int or numpy Generator, optional
        Makes the bootstrap reproducible.

    Returns
    -------
    AlphaInterval
        ``alpha, ci_low, ci_high, p_below_min, min_alpha, n_boot, confidence``;
        ``.to_frame()`` gives the tidy one-row DataFrame. All NaN when alpha is undefined.

    References
    ----------
    .. [1] Hayes, A. F., & Krippendorff, K. (2007). Answering the call for a standard
       reliability measure for coding data. Communication Methods and Measures, 1(1), 77-89.
    .. [2] Krippendorff, K. (2006, revised 2011). Algorithm for bootstrapping a distribution
       of alpha. Annenberg School for Communication, University of Pennsylvania.

    Validated against: the point estimate equals :func:`krippendorff_alpha`; interval
    properties (perfect agreement gives [1, 1] and q = 0; seeds reproduce) are tested.

    Examples
    --------
    >>> result = alpha_ci([[1, 2, 3, 3, 2], [1, 2, 3, 3, 1]], "nominal", n_boot=2000, seed=1)
    >>> round(result.alpha, 3), result.ci_low <= result.alpha <= result.ci_high
    (0.727, True)
    """
    _check_option(level, LEVELS, "level")
    if n_boot < 1 or not 0 < confidence < 1:
        raise ReliabilityError(
            9,
            f"n_boot must be 1 or more and confidence between 0 and 1; got n_boot={n_boot}, "
            f"confidence={confidence}.",
        )
    index, domain = _prepare(data, level)
    coincidences = _coincidences(index, domain.size)
    distances = _distances(level, domain, coincidences.sum(axis=1))
    observed, expected = _disagreements(coincidences, distances)
    alpha = _alpha_or_nan(observed, expected)
    if math.isnan(alpha):
        return AlphaInterval(alpha, math.nan, math.nan, math.nan, min_alpha, n_boot, confidence)
    samples = _bootstrap_alphas(
        coincidences, distances, expected, index.shape[0], n_boot, np.random.default_rng(seed)
    )
    low, high = _percentile_limits(samples, confidence)
    return AlphaInterval(
        alpha, low, high, float(np.mean(samples < min_alpha)), min_alpha, n_boot, confidence
    )


def _bootstrap_alphas(
    coincidences: np.ndarray,
    distances: np.ndarray,
    expected: float,
    n_coders: int,
    n_boot: int,
    rng: np.random.Generator,
) -> np.ndarray:
    n = coincidences.sum()
    upper = np.triu_indices(coincidences.shape[0])
    # An unordered pair c-k (c != k) appears twice in the symmetric matrix.
    cells = np.where(upper[0] == upper[1], 1.0, 2.0) * coincidences[upper] / n
    deltas = distances[upper]
    draws = int(min(25 * np.count_nonzero(coincidences), (n_coders - 1) * n / 2))
    draws = max(draws, 1)
    counts = rng.multinomial(draws, cells / cells.sum(), size=n_boot)
    samples = 1.0 - (counts @ deltas) / (draws * expected)
    diagonal = upper[0] == upper[1]
    no_variation = (counts[:, diagonal] == draws).any(axis=1)
    samples[no_variation] = 0.0
    return np.maximum(samples, -1.0)


def _percentile_limits(samples: np.ndarray, confidence: float) -> tuple[float, float]:
    """Order statistics as KALPHA reads them off the sorted bootstrap distribution."""
    ordered = np.sort(samples)
    size = ordered.size
    tail = (1.0 - confidence) / 2.0
    low = max(math.floor(tail * size), 1)
    high = min(math.floor((1.0 - tail) * size) + 1, size)
    return float(ordered[low - 1]), float(ordered[high - 1])


# ---------------------------------------------------------------------------------------------
# Kappa family and raw agreement
