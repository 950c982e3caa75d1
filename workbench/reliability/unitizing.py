"""Krippendorff's alpha for unitizing: agreement on where coded spans begin and end.

Coders mark spans of a continuum (a text, counted in characters) and give each span a code.
Spans come as a tidy DataFrame with columns ``coder``, ``start``, ``end``, ``code`` and, for
several documents, ``doc_id``. Offsets are 0-based character positions, ``start`` inclusive
and ``end`` exclusive, so a span is ``text[start:end]``. A continuum is a document's length;
documents are laid end to end and their coincidences summed. Everything a coder left uncoded
is a *gap*, which is data too: agreeing that a passage deserves no code is agreement.

Two definitions are implemented:

* :func:`unitizing_alpha` - the coincidence-matrix family of Krippendorff, Mathet, Bouvry and
  Widlöcher (2016), restated in Krippendorff (2019, sec. 12.6) and unified with the coding
  alphas by González-Prieto et al. (2023): per code, ``u_alpha`` (is the code applied to the
  same stretches?) and ``cu_alpha`` (where coded spans meet, do coders give the same code?).
  It has a document bootstrap, :func:`unitizing_alpha_ci`.
* :func:`unitizing_alpha_2004` - the earlier definition by squared boundary distances
  (Krippendorff, 1995; 2004), kept because its published worked examples check it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from workbench.errors import ReliabilityError
from workbench.reliability.stats import (
    AlphaInterval,
    _alpha_or_nan,
    _coincidences,
    _percentile_limits,
    _warn,
)

__all__ = ["ALL_CODES", "unitizing_alpha", "unitizing_alpha_2004", "unitizing_alpha_ci"]

ALL_CODES = "(all codes)"
_COLUMNS = ("coder", "start", "end", "code")


@dataclass(frozen=True)
class _Spans:
    """Validated spans on one continuum made of the documents laid end to end."""

    coder: np.ndarray  # coder index per span
    code: np.ndarray  # code index per span
    start: np.ndarray  # offsets on the joined continuum
    end: np.ndarray
    doc_bounds: np.ndarray  # where each document starts, plus the total length at the end
    coders: list[Any]
    codes: list[Any]

    @property
    def length(self) -> int:
        return int(self.doc_bounds[-1])


@dataclass(frozen=True)
class _Partition:
    """One coder's continuum cut into segments: each a unit (value > 0) or a gap (value 0)."""

    start: np.ndarray
    end: np.ndarray
    value: np.ndarray

    @property
    def length(self) -> np.ndarray:
        return self.end - self.start


# ---------------------------------------------------------------------------------------------
# Input


def _read_spans(
    spans: pd.DataFrame,
    continuum: int | Mapping[Any, int],
    coders: Sequence[Any] | None,
    codes: Sequence[Any] | None,
) -> _Spans:
    missing = [column for column in _COLUMNS if column not in spans.columns]
    if missing:
        raise ReliabilityError(
            20,
            f"spans need the columns {list(_COLUMNS)} (and doc_id for several documents); "
            f"missing {missing}.",
        )
    lengths = _document_lengths(spans, continuum)
    doc_ids = list(lengths)
    doc_bounds = np.concatenate([[0], np.cumsum([lengths[d] for d in doc_ids])]).astype(np.int64)
    docs = spans["doc_id"] if isinstance(continuum, Mapping) else pd.Series(0, index=spans.index)
    unknown = sorted(set(docs) - set(doc_ids), key=str)
    if unknown:
        raise ReliabilityError(
            22,
            f"spans refer to documents {unknown[:5]} that have no length in the continuum "
            f"mapping; add their lengths.",
        )
    doc_index = docs.map({d: i for i, d in enumerate(doc_ids)}).to_numpy(dtype=np.int64)
    start, end = _offsets(spans, doc_index, doc_bounds, docs)
    coder_list = _labels(spans["coder"], coders, "coder")
    code_list = _labels(spans["code"], codes, "code")
    keep = spans["code"].isin(code_list).to_numpy()
    if len(coder_list) < 2:
        raise ReliabilityError(
            1,
            f"spans come from {len(coder_list)} coder; unitizing agreement needs at least two. "
            f"Pass coders=[...] to count coders who marked no span.",
        )
    return _Spans(
        coder=spans["coder"].map({c: i for i, c in enumerate(coder_list)}).to_numpy()[keep],
        code=spans["code"].map({c: i for i, c in enumerate(code_list)}).to_numpy()[keep],
        start=(doc_bounds[doc_index] + start)[keep],
        end=(doc_bounds[doc_index] + end)[keep],
        doc_bounds=doc_bounds,
        coders=coder_list,
        codes=code_list,
    )


def _document_lengths(spans: pd.DataFrame, continuum: int | Mapping[Any, int]) -> dict[Any, int]:
    if isinstance(continuum, Mapping):
        if "doc_id" not in spans.columns:
            raise ReliabilityError(
                22, "continuum gives lengths per document, so spans need a doc_id column."
            )
        lengths = dict(continuum)
    else:
        lengths = {0: continuum}
    for doc, length in lengths.items():
        if not isinstance(length, int | np.integer) or length < 1:
            raise ReliabilityError(
                22,
                f"document {doc!r} has length {length!r}; a continuum length is a whole "
                f"number of characters, 1 or more.",
            )
    return lengths


def _offsets(
    spans: pd.DataFrame, doc_index: np.ndarray, doc_bounds: np.ndarray, docs: pd.Series
) -> tuple[np.ndarray, np.ndarray]:
    start = pd.to_numeric(spans["start"], errors="coerce").to_numpy(dtype=float)
    end = pd.to_numeric(spans["end"], errors="coerce").to_numpy(dtype=float)
    length = np.diff(doc_bounds)[doc_index] if doc_index.size else np.empty(0)
    bad = ~(
        (start == np.floor(start))
        & (end == np.floor(end))
        & (start >= 0)
        & (start < end)
        & (end <= length)
    )
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise ReliabilityError(
            21,
            f"span in row {spans.index[row]!r} (coder {spans['coder'].iloc[row]!r}, document "
            f"{docs.iloc[row]!r}) runs from {spans['start'].iloc[row]!r} to "
            f"{spans['end'].iloc[row]!r}; offsets must be whole characters with "
            f"0 <= start < end <= {int(length[row])} (the document's length).",
        )
    return start.astype(np.int64), end.astype(np.int64)


def _labels(column: pd.Series, given: Sequence[Any] | None, what: str) -> list[Any]:
    if given is None:
        return sorted(column.unique().tolist(), key=str)
    strangers = sorted(set(column) - set(given), key=str)
    if strangers and what == "coder":
        raise ReliabilityError(
            23,
            f"spans come from coders {strangers[:5]} missing from coders={list(given)}; "
            f"add them or drop their spans.",
        )
    return list(given)


# ---------------------------------------------------------------------------------------------
# Segments


def _partition(
    start: np.ndarray, end: np.ndarray, value: np.ndarray, doc_bounds: np.ndarray
) -> _Partition:
    """Cut [0, L) into the coder's units and the gaps between them, gaps split per document."""
    order = np.argsort(start, kind="stable")
    start, end, value = start[order], end[order], value[order]
    cuts = np.unique(np.concatenate([doc_bounds, start, end]))
    piece_start, piece_end = cuts[:-1], cuts[1:]
    piece_value = np.zeros(piece_start.size, dtype=np.int64)
    if start.size:  # a coder who marked nothing has one gap per document
        unit = np.searchsorted(start, piece_start, side="right") - 1
        inside = (unit >= 0) & (end[np.maximum(unit, 0)] > piece_start)
        piece_value = np.where(inside, value[np.maximum(unit, 0)], 0)
    # Neighbouring gap pieces within one document form one gap.
    document = np.searchsorted(doc_bounds, piece_start, side="right")
    joins = np.zeros(piece_start.size, dtype=bool)
    joins[1:] = (piece_value[1:] == 0) & (piece_value[:-1] == 0) & (document[1:] == document[:-1])
    first = np.flatnonzero(~joins)
    last_end = np.append(piece_start[first[1:]], piece_end[-1])
    return _Partition(piece_start[first], last_end, piece_value[first])


def _code_partitions(data: _Spans, code: int) -> list[_Partition]:
    """Per coder: that code's spans (overlaps merged) as units, everything else as gap."""
    partitions = []
    for coder in range(len(data.coders)):
        mine = (data.coder == coder) & (data.code == code)
        start, end = _merge_spans(data.start[mine], data.end[mine])
        partitions.append(_partition(start, end, np.ones(start.size, int), data.doc_bounds))
    return partitions


def _all_code_partitions(data: _Spans) -> list[_Partition] | None:
    """Per coder: every code's spans as units valued 1..K; None if a coder's codes overlap."""
    partitions = []
    for coder in range(len(data.coders)):
        starts, ends, values = [], [], []
        for code in range(len(data.codes)):
            mine = (data.coder == coder) & (data.code == code)
            start, end = _merge_spans(data.start[mine], data.end[mine])
            starts.append(start), ends.append(end), values.append(np.full(start.size, code + 1))
        start, end, value = map(np.concatenate, (starts, ends, values))
        order = np.argsort(start, kind="stable")
        if (start[order][1:] < end[order][:-1]).any():
            clash = int(np.flatnonzero(start[order][1:] < end[order][:-1])[0])
            _warn(
                f"cu_alpha and the all-codes u_alpha are undefined: coder "
                f"{data.coders[coder]!r} gave different codes to overlapping text (around offset "
                f"{int(start[order][clash + 1])} of the joined documents). They need codes that "
                f"exclude each other, such as the codes of one semantic domain. Returned NaN."
            )
            return None
        partitions.append(_partition(start, end, value, data.doc_bounds))
    return partitions


def _merge_spans(start: np.ndarray, end: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if start.size == 0:
        return start, end
    order = np.argsort(start, kind="stable")
    start, end = start[order], end[order]
    reach = np.maximum.accumulate(end)
    begins = np.ones(start.size, dtype=bool)
    begins[1:] = start[1:] >= reach[:-1]
    first = np.flatnonzero(begins)
    return start[first], np.maximum.reduceat(end, first)


def _elementary(partitions: list[_Partition]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Stretches on which no coder changes segment: starts, lengths, coders x stretches segment."""
    cuts = np.unique(np.concatenate([p.start for p in partitions] + [partitions[0].end[-1:]]))
    starts = cuts[:-1]
    segment = np.stack([np.searchsorted(p.start, starts, side="right") - 1 for p in partitions])
    return starts, np.diff(cuts), segment


# ---------------------------------------------------------------------------------------------
# The coincidence family (Krippendorff et al. 2016)


def _observed(partitions: list[_Partition], n_values: int, doc_bounds: np.ndarray) -> np.ndarray:
    """Observed coincidences l_ck per document: documents x values x values."""
    starts, lengths, segment = _elementary(partitions)
    values = np.stack([p.value[s] for p, s in zip(partitions, segment, strict=True)])
    document = np.searchsorted(doc_bounds, starts, side="right") - 1
    n_docs = doc_bounds.size - 1
    per_doc = np.zeros((n_docs, n_values, n_values))
    for doc in np.unique(document):
        here = document == doc
        per_doc[doc] = _coincidences(values[:, here], n_values, unit_weight=lengths[here])
    return per_doc


def _self_pairs(partitions: list[_Partition], n_values: int, doc_bounds: np.ndarray) -> np.ndarray:
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
        return _alpha_or_nan(0.0, math.nan, what)
    disagreement = total - np.trace(expected)
    if disagreement <= 1e-12 * total:
        return _alpha_or_nan(0.0, 0.0, what)
    return float(1.0 - (total - np.trace(observed)) / disagreement)


def _binary_u_alpha(data: _Spans, code: int) -> float:
    partitions = _code_partitions(data, code)
    observed = _observed(partitions, 2, data.doc_bounds).sum(axis=0)
    self_pairs = _self_pairs(partitions, 2, data.doc_bounds).sum(axis=0)
    if observed[1].sum() == 0:
        return _alpha_or_nan(0.0, 0.0, f"u_alpha for code {data.codes[code]!r} (nobody applied it)")
    return _nominal_alpha(
        observed, _expected(observed, self_pairs), f"u_alpha for {data.codes[code]!r}"
    )


def _valued_self_pairs(partitions: list[_Partition], n_values: int) -> np.ndarray:
    """S*_c: per unit, squared length of its overlap with each other coder's units, / (m - 1)."""
    _, lengths, segment = _elementary(partitions)
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


def _cu_alphas(data: _Spans) -> tuple[float, np.ndarray, float]:
    """All-codes u_alpha, per-code (k)u_alpha and cu_alpha over the intersections of units."""
    n_codes = len(data.codes)
    undefined = np.full(n_codes, math.nan)
    partitions = _all_code_partitions(data)
    if partitions is None:
        return math.nan, undefined, math.nan
    observed = _observed(partitions, n_codes + 1, data.doc_bounds).sum(axis=0)
    self_pairs = _self_pairs(partitions, n_codes + 1, data.doc_bounds).sum(axis=0)
    u_alpha = _nominal_alpha(observed, _expected(observed, self_pairs), "the all-codes u_alpha")
    valued = observed[1:, 1:]
    total = valued.sum()
    if n_codes < 2:
        _warn("cu_alpha is undefined for a single code: it compares codes. Returned NaN.")
        return u_alpha, undefined, math.nan
    if total == 0:
        _warn("cu_alpha is undefined: no two coders' coded spans overlap. Returned NaN.")
        return u_alpha, undefined, math.nan
    margins = valued.sum(axis=1)
    squares = _valued_self_pairs(partitions, n_codes + 1)[1:]
    denominator = total - squares.sum() / total
    if denominator <= 1e-12 * total:
        _warn(
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
        _warn(f"cu_alpha is undefined for {lacking}: no chance disagreement to compare with.")
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
    data = _read_spans(spans, continuum, coders, codes)
    per_code = [_binary_u_alpha(data, code) for code in range(len(data.codes))]
    all_u, per_code_cu, cu = _cu_alphas(data)
    counts = [
        sum(_merge_spans(*_pick(data, coder, code))[0].size for coder in range(len(data.coders)))
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


def _pick(data: _Spans, coder: int, code: int) -> tuple[np.ndarray, np.ndarray]:
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
    if n_boot < 1 or not 0 < confidence < 1:
        raise ReliabilityError(
            9,
            f"n_boot must be 1 or more and confidence between 0 and 1; got n_boot={n_boot}, "
            f"confidence={confidence}.",
        )
    data = _read_spans(spans, continuum, coders, None if code is None else [code])
    if code is None:
        partitions, n_values = _all_code_partitions(data), len(data.codes) + 1
    else:
        partitions, n_values = _code_partitions(data, 0), 2
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
            _warn("the document bootstrap needs two or more documents; the interval is NaN.")
        return AlphaInterval(alpha, math.nan, math.nan, math.nan, min_alpha, n_boot, confidence)
    rng = np.random.default_rng(seed)
    weights = rng.multinomial(n_docs, np.full(n_docs, 1.0 / n_docs), size=n_boot).astype(float)
    samples = _resampled_alphas(weights, observed, self_pairs)
    low, high = _percentile_limits(samples, confidence)
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


# ---------------------------------------------------------------------------------------------
# Krippendorff (1995, 2004): squared boundary distances


def _distance_sum(first: _Partition, second: _Partition) -> float:
    """Sum of delta^2 over overlapping segment pairs of two coders (Krippendorff 2004, eq. 5)."""
    _, _, segment = _elementary([first, second])
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


def _disagreements_2004(partitions: list[_Partition], length: int) -> tuple[float, float]:
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
    data = _read_spans(spans, continuum, coders, codes)
    observed, expected = [], []
    for code in range(len(data.codes)):
        partitions = _code_partitions(data, code)
        if not any((p.value > 0).any() for p in partitions):
            observed.append(math.nan), expected.append(math.nan)
            continue
        d_o, d_e = _disagreements_2004(partitions, data.length)
        observed.append(d_o), expected.append(d_e)
    alphas = [
        _alpha_or_nan(o, e if not math.isnan(e) else 0.0, f"u_alpha for {c!r}")
        for o, e, c in zip(observed, expected, data.codes, strict=True)
    ]
    total_o, total_e = np.nansum(observed), np.nansum(expected)
    overall = _alpha_or_nan(total_o, total_e if total_e > 0 else 0.0, "the all-codes u_alpha")
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
