"""Krippendorff's alpha for unitizing: agreement on where coded spans begin and end.

The coincidence-matrix family of Krippendorff, Mathet, Bouvry and Widlöcher (2016), restated
in Krippendorff (2019, sec. 12.6) and unified with the coding alphas by González-Prieto et
al. (2023): per code, ``u_alpha`` (is the code applied to the same stretches?) and
``cu_alpha`` (where coded spans meet, do coders give the same code?), in
:func:`unitizing_alpha`, with a document bootstrap, :func:`unitizing_alpha_ci`. Spans and
continua are described in :mod:`._spans`; documents are laid end to end and their
coincidences summed. The earlier definition by squared boundary distances is in
:mod:`.unitizing_2004`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from workbench.reliability._data import alpha_or_nan, count_coincidences, warn
from workbench.reliability._interval import (
    AlphaInterval,
    check_bootstrap_options,
    percentile_limits,
)
from workbench.reliability._spans import (
    ALL_CODES,
    Partition,
    Spans,
    all_code_partitions,
    code_partitions,
    elementary,
    merge_spans,
    read_spans,
)

__all__ = ["unitizing_alpha", "unitizing_alpha_ci"]


def _observed(partitions: list[Partition], n_values: int, doc_bounds: np.ndarray) -> np.ndarray:
    """Observed coincidences l_ck per document: documents x values x values."""
    starts, lengths, segment = elementary(partitions)
    values = np.stack([p.value[s] for p, s in zip(partitions, segment, strict=True)])
    document = np.searchsorted(doc_bounds, starts, side="right") - 1
    n_docs = doc_bounds.size - 1
    per_doc = np.zeros((n_docs, n_values, n_values))
    for doc in np.unique(document):
        here = document == doc
        per_doc[doc] = count_coincidences(values[:, here], n_values, unit_weight=lengths[here])
    return per_doc


def _self_pairs(partitions: list[Partition], n_values: int, doc_bounds: np.ndarray) -> np.ndarray:
    """Per document and value: sum of squared unit lengths (units) or of gap lengths (gaps)."""
    n_docs = doc_bounds.size - 1
    total = np.zeros((n_docs, n_values))
    for p in partitions:
        document = np.searchsorted(doc_bounds, p.start, side="right") - 1
        term = np.where(p.value > 0, p.length.astype(float) ** 2, p.length)
        np.add.at(total, (document, p.value), term)
    return total


def _expected(observed: np.ndarray, self_pairs: np.ndarray) -> np.ndarray:
    """e_ck = l.. (l_c. l_.k - [c = k] S_c) / (l..^2 - S), units being indivisible."""
    margins = observed.sum(axis=1)
    total = margins.sum()
    numerator = np.outer(margins, margins) - np.diag(self_pairs)
    return total * numerator / (total**2 - self_pairs.sum())


def _nominal_alpha(observed: np.ndarray, expected: np.ndarray, what: str) -> float:
    total = observed.sum()
    if total == 0:
        return alpha_or_nan(0.0, math.nan, what)
    disagreement = total - np.trace(expected)
    if disagreement <= 1e-12 * total:
        return alpha_or_nan(0.0, 0.0, what)
    return float(1.0 - (total - np.trace(observed)) / disagreement)


def _binary_u_alpha(data: Spans, code: int) -> float:
    partitions = code_partitions(data, code)
    observed = _observed(partitions, 2, data.doc_bounds).sum(axis=0)
    self_pairs = _self_pairs(partitions, 2, data.doc_bounds).sum(axis=0)
    if observed[1].sum() == 0:
        return alpha_or_nan(0.0, 0.0, f"u_alpha for code {data.codes[code]!r} (nobody applied it)")
    return _nominal_alpha(
        observed, _expected(observed, self_pairs), f"u_alpha for {data.codes[code]!r}"
    )


def _valued_self_pairs(partitions: list[Partition], n_values: int) -> np.ndarray:
    """S*_c: per unit, squared length of its overlap with each other coder's units, / (m - 1)."""
    _, lengths, segment = elementary(partitions)
    values = np.stack([p.value[s] for p, s in zip(partitions, segment, strict=True)])
    total = np.zeros(n_values)
    for i, p in enumerate(partitions):
        for j in range(len(partitions)):
            both = (values[i] > 0) & (values[j] > 0) if i != j else None
            if both is None or not both.any():
                continue
            overlap = np.bincount(segment[i][both], weights=lengths[both], minlength=p.start.size)
            np.add.at(total, p.value, overlap**2)
    return total / (len(partitions) - 1)


def _cu_alphas(data: Spans) -> tuple[float, np.ndarray, float]:
    """All-codes u_alpha, per-code (k)u_alpha and cu_alpha over the intersections of units."""
    n_codes = len(data.codes)
    undefined = np.full(n_codes, math.nan)
    partitions = all_code_partitions(data)
    if partitions is None:
        return math.nan, undefined, math.nan
    observed = _observed(partitions, n_codes + 1, data.doc_bounds).sum(axis=0)
    self_pairs = _self_pairs(partitions, n_codes + 1, data.doc_bounds).sum(axis=0)
    u_alpha = _nominal_alpha(observed, _expected(observed, self_pairs), "the all-codes u_alpha")
    valued = observed[1:, 1:]
    total = valued.sum()
    if n_codes < 2:
        warn("cu_alpha is undefined for a single code: it compares codes. Returned NaN.")
        return u_alpha, undefined, math.nan
    if total == 0:
        warn("cu_alpha is undefined: no two coders' coded spans overlap. Returned NaN.")
        return u_alpha, undefined, math.nan
    margins = valued.sum(axis=1)
    squares = _valued_self_pairs(partitions, n_codes + 1)[1:]
    denominator = total - squares.sum() / total
    if denominator <= 1e-12 * total:
        warn(
            "cu_alpha is undefined: all overlap between coded spans lies within one pair of "
            "units, which leaves no chance pairing to compare with. Returned NaN."
        )
        return u_alpha, undefined, math.nan
    expected = (np.outer(margins, margins) - np.diag(squares)) / denominator
    cu_alpha = _nominal_alpha(valued, expected, "cu_alpha")
    expected_margins = expected.sum(axis=1)
    chance = expected_margins - np.diag(expected)
    with np.errstate(divide="ignore", invalid="ignore"):
        per_code = 1.0 - (expected_margins / margins) * (margins - np.diag(valued)) / chance
    lacking = [data.codes[k] for k in np.flatnonzero((margins > 0) & ~np.isfinite(per_code))]
    if lacking:
        warn(f"cu_alpha is undefined for {lacking}: no chance disagreement to compare with.")
    return u_alpha, np.where(np.isfinite(per_code), per_code, math.nan), cu_alpha


def unitizing_alpha(
    spans: pd.DataFrame,
    continuum: int | Mapping[Any, int],
    *,
    coders: Sequence[Any] | None = None,
    codes: Sequence[Any] | None = None,
) -> pd.DataFrame:
    """Krippendorff's alpha for unitized text: u-alpha and cu-alpha per code.

    Parameters
    ----------
    spans : DataFrame
        One row per coded span: ``coder``, ``start``, ``end`` (0-based character offsets,
        end exclusive), ``code``, and ``doc_id`` when ``continuum`` maps several documents.
    continuum : int or mapping of doc_id to int
        Length in characters of the text coded, or of each document; documents are summed.
    coders : sequence, optional
        Every coder who took part. Defaults to the coders found in ``spans``; pass it so that
        a coder who marked nothing counts (as all gap) instead of vanishing.
    codes : sequence, optional
        The codes to report, in order; defaults to every code in ``spans``.

    Returns
    -------
    DataFrame
        One row per code, then a row ``code = "(all codes)"``. Columns:

        - ``code``
        - ``u_alpha``: per code, agreement on which stretches carry the code, against all
          that does not (Krippendorff et al. 2016, the binary ``|u alpha`` of that code); on the
          all-codes row, ``u alpha`` over all codes and the gaps.
        - ``cu_alpha``: per code, ``(k)u alpha``: where coders' coded spans overlap, how
          reliably this code is told apart from the others; on the all-codes row, ``cu alpha``.
          Needs codes that exclude each other within a coder (NaN with a warning otherwise).
        - ``n_spans``: spans with the code, all coders together (overlaps merged).
        - ``n_coders``, ``length``: coders and characters compared.

        Undefined values (nobody used a code, no overlap, no variation) are NaN with a
        :class:`~workbench.reliability.ReliabilityWarning`.

    References
    ----------
    .. [1] Krippendorff, K. (1995). On the reliability of unitizing continuous data.
       Sociological Methodology, 25, 47-76.
    .. [2] Krippendorff, K. (2004). Measuring the reliability of qualitative text analysis
       data. Quality & Quantity, 38, 787-800; and Content Analysis (2nd ed.), ch. 11. Sage.
    .. [3] Krippendorff, K., Mathet, Y., Bouvry, S., & Widlöcher, A. (2016). On the
       reliability of unitizing textual continua: Further developments. Quality & Quantity,
       50, 2347-2364.
    .. [4] Krippendorff, K. (2019). Content Analysis (4th ed.), sec. 12.6. Sage.
    .. [5] González-Prieto, Á., Pérez, J., Díaz, J., & López-Fernández, D. (2023).
       Reliability in software engineering qualitative research through Inter-Coder
       Agreement. Journal of Systems and Software (ScienceDirect S0164121223001024);
       preprint arXiv:2008.00977 (v2, 2021), "... A guide using Krippendorff's alpha &
       Atlas.ti".
    The coincidences follow [3] eq. 1-4 (u alpha), sec. 5.2 (|u alpha), eq. 10-13 (cu alpha,
    (k)u alpha); [5] places them in one family with the alphas for coding.

    Validated against: Krippendorff (2011) examples A and B, which this definition must
    reproduce when every span is one character long and so an indivisible unit (then
    ``u alpha`` equals the coding alpha); hand-computed shifted boundaries; agreement = 1.

    Examples
    --------
    Two coders mark code "x" on a 100-character text, the second two characters later:

    >>> spans = pd.DataFrame({"coder": ["ana", "ben"], "start": [10, 12], "end": [30, 32],
    ...                       "code": ["x", "x"]})
    >>> unitizing_alpha(spans, 100)[["code", "u_alpha"]]
              code  u_alpha
    0            x    0.878
    1  (all codes)    0.878
    """
    data = read_spans(spans, continuum, coders, codes)
    per_code = [_binary_u_alpha(data, code) for code in range(len(data.codes))]
    all_u, per_code_cu, cu = _cu_alphas(data)
    counts = [
        sum(merge_spans(*_pick(data, coder, code))[0].size for coder in range(len(data.coders)))
        for code in range(len(data.codes))
    ]
    return pd.DataFrame(
        {
            "code": [*data.codes, ALL_CODES],
            "u_alpha": [*per_code, all_u],
            "cu_alpha": [*per_code_cu, cu],
            "n_spans": [*counts, sum(counts)],
            "n_coders": len(data.coders),
            "length": data.length,
        }
    )


def _pick(data: Spans, coder: int, code: int) -> tuple[np.ndarray, np.ndarray]:
    mine = (data.coder == coder) & (data.code == code)
    return data.start[mine], data.end[mine]


def unitizing_alpha_ci(
    spans: pd.DataFrame,
    continuum: int | Mapping[Any, int],
    *,
    code: Any = None,
    coders: Sequence[Any] | None = None,
    n_boot: int = 2000,
    confidence: float = 0.95,
    min_alpha: float = 0.667,
    seed: int | np.random.Generator | None = None,
) -> AlphaInterval:
    """u-alpha with a confidence interval from resampling documents.

    Characters of one text are not independent draws, so the bootstrap resamples whole
    documents with replacement (a cluster bootstrap) and recomputes ``u_alpha`` from the
    documents' summed coincidences. It needs two or more documents.

    Parameters
    ----------
    spans, continuum, coders
        As for :func:`unitizing_alpha`; ``continuum`` maps doc_id to length.
    code : optional
        The code whose ``u_alpha`` to bootstrap; ``None`` for the all-codes ``u_alpha``.
    n_boot, confidence, min_alpha, seed
        As for :func:`workbench.reliability.alpha_ci`.

    Returns
    -------
    AlphaInterval
        ``alpha`` (as :func:`unitizing_alpha` gives it), percentile limits and the share of
        samples below ``min_alpha``.

    References
    ----------
    .. [1] Krippendorff, K., Mathet, Y., Bouvry, S., & Widlöcher, A. (2016). On the
       reliability of unitizing textual continua: Further developments. Quality & Quantity,
       50, 2347-2364 (u alpha; they bootstrap too, by another scheme).
    .. [2] Hayes, A. F., & Krippendorff, K. (2007). Answering the call for a standard
       reliability measure for coding data. Communication Methods and Measures, 1, 77-89
       (reporting the interval and q, the probability of missing min_alpha).
    .. [3] Davison, A. C., & Hinkley, D. V. (1997). Bootstrap Methods and Their Application,
       sec. 3.8 (resampling clusters, here documents). Cambridge University Press.

    Validated against: identical coders give [1, 1]; the point estimate equals
    :func:`unitizing_alpha`.

    Examples
    --------
    >>> spans = pd.DataFrame({"doc_id": ["a", "a", "b", "b"], "coder": [1, 2, 1, 2],
    ...                       "start": [0, 0, 5, 5], "end": [4, 4, 9, 9], "code": "x"})
    >>> unitizing_alpha_ci(spans, {"a": 10, "b": 10}, code="x", seed=0).ci_low
    1.0
    """
    check_bootstrap_options(n_boot, confidence)
    data = read_spans(spans, continuum, coders, None if code is None else [code])
    if code is None:
        partitions, n_values = all_code_partitions(data), len(data.codes) + 1
    else:
        partitions, n_values = code_partitions(data, 0), 2
    if partitions is None:
        return AlphaInterval(math.nan, math.nan, math.nan, math.nan, min_alpha, n_boot, confidence)
    observed = _observed(partitions, n_values, data.doc_bounds)
    self_pairs = _self_pairs(partitions, n_values, data.doc_bounds)
    alpha = _nominal_alpha(
        observed.sum(0), _expected(observed.sum(0), self_pairs.sum(0)), "u_alpha"
    )
    n_docs = observed.shape[0]
    if math.isnan(alpha) or n_docs < 2:
        if n_docs < 2:
            warn("the document bootstrap needs two or more documents; the interval is NaN.")
        return AlphaInterval(alpha, math.nan, math.nan, math.nan, min_alpha, n_boot, confidence)
    rng = np.random.default_rng(seed)
    weights = rng.multinomial(n_docs, np.full(n_docs, 1.0 / n_docs), size=n_boot).astype(float)
    samples = _resampled_alphas(weights, observed, self_pairs)
    low, high = percentile_limits(samples, confidence)
    return AlphaInterval(
        alpha, low, high, float(np.mean(samples < min_alpha)), min_alpha, n_boot, confidence
    )


def _resampled_alphas(
    weights: np.ndarray, observed: np.ndarray, self_pairs: np.ndarray
) -> np.ndarray:
    """u-alpha for each row of document weights, from per-document additive statistics."""
    matrices = np.tensordot(weights, observed, axes=1)  # samples x values x values
    squares = weights @ self_pairs
    margins = matrices.sum(axis=2)
    total = margins.sum(axis=1)
    agree = np.trace(matrices, axis1=1, axis2=2)
    chance = (
        total * ((margins**2).sum(axis=1) - squares.sum(axis=1)) / (total**2 - squares.sum(axis=1))
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        samples = 1.0 - (total - agree) / (total - chance)
    # A sample without variation (all gap, say) has no defined alpha; count it as 0.
    return np.where(np.isfinite(samples), samples, 0.0)
