"""Coded spans on a text, read and cut into the segments the unitizing alphas compare.

Coders mark spans of a continuum (a text, counted in characters) and give each span a code.
Spans come as a tidy DataFrame with columns ``coder``, ``start``, ``end``, ``code`` and, for
several documents, ``doc_id``. Offsets are 0-based character positions, ``start`` inclusive
and ``end`` exclusive, so a span is ``text[start:end]``. A continuum is a document's length;
documents are laid end to end on one continuum. Everything a coder left uncoded is a *gap*,
which is data too: agreeing that a passage deserves no code is agreement.

:func:`read_spans` checks the spans and lays them on the joined continuum; the partitions cut
each coder's continuum into units and gaps, as both definitions in :mod:`.unitizing` and
:mod:`.unitizing_2004` need.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from workbench.errors import ReliabilityError
from workbench.reliability._data import warn

ALL_CODES = "(all codes)"
COLUMNS = ("coder", "start", "end", "code")


@dataclass(frozen=True)
class Spans:
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
        """Characters on the joined continuum (all documents)."""
        return int(self.doc_bounds[-1])


@dataclass(frozen=True)
class Partition:
    """One coder's continuum cut into segments: each a unit (value > 0) or a gap (value 0)."""

    start: np.ndarray
    end: np.ndarray
    value: np.ndarray

    @property
    def length(self) -> np.ndarray:
        """Characters in each segment."""
        return self.end - self.start


# ---------------------------------------------------------------------------------------------
# Input


def read_spans(
    spans: pd.DataFrame,
    continuum: int | Mapping[Any, int],
    coders: Sequence[Any] | None,
    codes: Sequence[Any] | None,
) -> Spans:
    """Check coded spans and lay them on one continuum made of the documents end to end.

    Parameters
    ----------
    spans : DataFrame
        One row per span: ``coder``, ``start``, ``end``, ``code`` (and ``doc_id``).
    continuum : int or mapping of doc_id to int
        The text's length in characters, or each document's.
    coders, codes : sequence, optional
        Every coder who took part (default: those in ``spans``); the codes to keep, in order
        (default: every code in ``spans``).

    Returns
    -------
    Spans
        Coder and code indices, offsets on the joined continuum, and the documents' bounds.

    Raises
    ------
    ReliabilityError
        WB-RELIABILITY-020 (missing columns), -021 (offsets outside their document or not
        whole characters), -022 (document lengths), -023 (a coder missing from ``coders``),
        -001 (fewer than two coders).
    """
    missing = [column for column in COLUMNS if column not in spans.columns]
    if missing:
        raise ReliabilityError(
            20,
            f"spans need the columns {list(COLUMNS)} (and doc_id for several documents); "
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
    return Spans(
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
) -> Partition:
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
    return Partition(piece_start[first], last_end, piece_value[first])


def code_partitions(data: Spans, code: int) -> list[Partition]:
    """Per coder: that code's spans (overlaps merged) as units, everything else as gap."""
    partitions = []
    for coder in range(len(data.coders)):
        mine = (data.coder == coder) & (data.code == code)
        start, end = merge_spans(data.start[mine], data.end[mine])
        partitions.append(_partition(start, end, np.ones(start.size, int), data.doc_bounds))
    return partitions


def all_code_partitions(data: Spans) -> list[Partition] | None:
    """Per coder: every code's spans as units valued 1..K; None if a coder's codes overlap."""
    partitions = []
    for coder in range(len(data.coders)):
        starts, ends, values = [], [], []
        for code in range(len(data.codes)):
            mine = (data.coder == coder) & (data.code == code)
            start, end = merge_spans(data.start[mine], data.end[mine])
            starts.append(start), ends.append(end), values.append(np.full(start.size, code + 1))
        start, end, value = map(np.concatenate, (starts, ends, values))
        order = np.argsort(start, kind="stable")
        if (start[order][1:] < end[order][:-1]).any():
            clash = int(np.flatnonzero(start[order][1:] < end[order][:-1])[0])
            warn(
                f"cu_alpha and the all-codes u_alpha are undefined: coder "
                f"{data.coders[coder]!r} gave different codes to overlapping text (around offset "
                f"{int(start[order][clash + 1])} of the joined documents). They need codes that "
                f"exclude each other, such as the codes of one semantic domain. Returned NaN."
            )
            return None
        partitions.append(_partition(start, end, value, data.doc_bounds))
    return partitions


def merge_spans(start: np.ndarray, end: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One coder's spans of one code with overlaps merged, sorted by start.

    Spans that only touch (one ends where the next starts) stay two units.
    """
    if start.size == 0:
        return start, end
    order = np.argsort(start, kind="stable")
    start, end = start[order], end[order]
    reach = np.maximum.accumulate(end)
    begins = np.ones(start.size, dtype=bool)
    begins[1:] = start[1:] >= reach[:-1]
    first = np.flatnonzero(begins)
    return start[first], np.maximum.reduceat(end, first)


def elementary(partitions: list[Partition]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Stretches on which no coder changes segment: starts, lengths, coders x stretches segment."""
    cuts = np.unique(np.concatenate([p.start for p in partitions] + [partitions[0].end[-1:]]))
    starts = cuts[:-1]
    segment = np.stack([np.searchsorted(p.start, starts, side="right") - 1 for p in partitions])
    return starts, np.diff(cuts), segment
