"""Reliability data: the coders x units table every coding statistic reads, and its kernel.

*Reliability data* in Krippendorff's layout is a coders x units matrix (rows = coders,
columns = units, ``NaN``/``None`` = the coder did not code that unit), given as a NumPy
array, a nested list or a pandas DataFrame (index = coders, columns = units). A project-level
``agreement()`` builds one per code as a binary presence-per-unit matrix (1 = the coder
applied the code to the unit, 0 = did not, ``NaN`` = did not see the unit).

The estimator modules (:mod:`.alpha`, :mod:`.kappas`, :mod:`.unitizing`) share what is here:
reading and checking the table (:func:`prepare`, :func:`as_matrix`, :func:`check_option`),
counting Krippendorff's coincidences (:func:`count_coincidences`), and reporting a statistic
the data leave undefined (:func:`alpha_or_nan`, :func:`warn`, :class:`ReliabilityWarning`).

The kernel works on integer value indices with ``np.bincount``: memory grows linearly with the
number of units and no units x values x values array is ever built.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from itertools import combinations
from typing import Any

import numpy as np
import pandas as pd

from workbench.errors import ReliabilityError

LEVELS = ("nominal", "ordinal", "interval", "ratio")
KAPPA_WEIGHTS = (None, "linear", "quadratic")


class ReliabilityWarning(UserWarning):
    """A statistic is undefined for these data (returned as NaN) or some data were left out."""


# ---------------------------------------------------------------------------------------------
# Reading the table


def check_option(value: Any, allowed: Sequence[Any], name: str) -> Any:
    """Return ``value`` if it is one of ``allowed``; otherwise refuse it, listing the choices.

    Raises
    ------
    ReliabilityError
        WB-RELIABILITY-002, naming the option and the allowed values.
    """
    if value not in allowed:
        shown = ", ".join(repr(a) for a in allowed)
        raise ReliabilityError(2, f"{name}={value!r} is not known. Use one of: {shown}.")
    return value


def as_matrix(data: Any) -> tuple[np.ndarray, pd.Index | None]:
    """A 2-D array of reliability data and its unit labels.

    Parameters
    ----------
    data : array-like or DataFrame, coders x units
        Reliability data.

    Returns
    -------
    array : ndarray
        Coders x units, as given (object dtype when the data hold labels).
    units : Index or None
        The DataFrame's columns; ``None`` when units are known only by position.

    Raises
    ------
    ReliabilityError
        WB-RELIABILITY-003 when the data are not a non-empty table, -001 with fewer than two
        coders (rows).
    """
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


def prepare(data: Any, level: str = "nominal") -> tuple[np.ndarray, np.ndarray]:
    """Integer-coded reliability data and the sorted values they index.

    Parameters
    ----------
    data : array-like or DataFrame, coders x units
        Reliability data; ``NaN``/``None`` = not coded. Labels are allowed at the nominal
        level only.
    level : {"nominal", "ordinal", "interval", "ratio"}
        Level of measurement, checked against the values (ratio needs values of zero or more).

    Returns
    -------
    index : ndarray of int64, coders x units
        Position of each value in ``domain``; -1 where the coder did not code the unit.
    domain : ndarray
        The distinct values observed, sorted (labels of mixed types keep their first order).

    Warns
    -----
    ReliabilityWarning
        When some units were coded by nobody: they are left out and named.
    """
    array, units = as_matrix(data)
    index, domain = _encode(array, level=level)
    _warn_uncoded_units(index, units)
    return index, domain


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
        not code a unit: the input every coding statistic in :mod:`workbench.reliability`
        takes.

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
# Coincidences


def count_coincidences(
    index: np.ndarray, n_values: int, unit_weight: np.ndarray | None = None
) -> np.ndarray:
    """Krippendorff's values x values coincidence matrix of integer-coded reliability data.

    Parameters
    ----------
    index : ndarray of int, coders x units
        Value positions as :func:`prepare` gives them, -1 for missing values.
    n_values : int
        Number of distinct values (the matrix's size).
    unit_weight : ndarray, optional
        A weight per unit (the unitizing alphas weigh a stretch of text by its length).

    Returns
    -------
    ndarray, values x values
        Each pair of values within a unit counts ``1 / (m_u - 1)`` (``m_u`` = values in the
        unit) times ``unit_weight``; units with fewer than two values do not count.

    References
    ----------
    .. [1] Krippendorff, K. (2011). Computing Krippendorff's alpha-reliability. Annenberg
       School for Communication, University of Pennsylvania, section C.
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


def _use_value_counts(n_coders: int, n_values: int) -> bool:
    """Whether per-unit value counts beat one bincount per coder pair.

    Both are linear in units. A coder pair costs one pass over the units; the value counts cost
    about 20 passes plus a units x values matrix (timed on 1e6 units, 5 and 10 values).
    """
    return n_coders * (n_coders - 1) / 2 > 20 + 3 * n_values


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


# ---------------------------------------------------------------------------------------------
# Undefined statistics


def warn(message: str) -> None:
    """Issue a :class:`ReliabilityWarning` pointing at the caller of the public statistic."""
    warnings.warn(message, ReliabilityWarning, stacklevel=4)


def alpha_or_nan(observed: float, expected: float, what: str = "alpha") -> float:
    """``1 - observed / expected``, or NaN with a warning saying why it is undefined.

    Parameters
    ----------
    observed, expected : float
        Observed and expected disagreement; ``expected`` NaN means nothing was pairable, 0
        means the data hold a single value.
    what : str
        The statistic's name, for the warning.

    Returns
    -------
    float
        The coefficient, or NaN with a :class:`ReliabilityWarning`.
    """
    if math.isnan(expected):
        warn(
            f"{what} is undefined: no unit was coded by two or more coders, so there is "
            f"nothing to compare. Returned NaN."
        )
        return math.nan
    if expected == 0:
        warn(
            f"{what} is undefined: every pairable value is the same (a single category), so "
            f"the data have no variation to agree on. Returned NaN."
        )
        return math.nan
    return float(1.0 - observed / expected)
