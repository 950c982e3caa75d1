"""The examples a learned suggester learns from: one coder's segments, labelled by overlap.

Which segments are labelled, and how:

- the documents a coder **read** are the active documents where that coder has at least one
  active coding (of any code): the rule :func:`workbench.reliability.agreement` uses for the
  documents a coder coded;
- a segment of a read document is **positive** when one of the coder's active codings of the
  code (that code itself, not the codes below it) overlaps it by at least one character:
  segment ``[s, e)`` and coding ``[cs, ce)`` with ``cs < e`` and ``s < ce`` (half-open spans,
  so touching spans do not overlap). It is the rule by which agreement decides that a coder
  applied a code to a unit (:func:`workbench.reliability.agreement.segment_presence`), so the
  suggester is scored on the units agreement would compare;
- every other segment of a read document is **negative**: the coder read it and did not
  apply the code;
- segments of documents the coder has not coded are **unlabelled**: the suggester proposes the
  code there.
"""

from __future__ import annotations

import sqlite3

import numpy as np
import pandas as pd

from workbench.codebook.store import require_code
from workbench.coding.codings import codings_frame
from workbench.coding.layers import RESERVED
from workbench.errors import CodebookError, LearnError
from workbench.reliability.agreement import segment_presence

__all__ = ["MIN_NEGATIVE", "MIN_POSITIVE", "check_coder", "check_examples", "learnable_code",
           "labelled"]

#: The fewest positive and negative segments a code needs to be learned from. With 5-fold
#: cross-validation every fold then holds at least two of each kind, and the classifier
#: learns from at least eight of each in every fold.
MIN_POSITIVE = 10
MIN_NEGATIVE = 10


def check_coder(conn: sqlite3.Connection, coder: object) -> str:
    """Refuse a coder who is a layer, not a person, or who has no codings; return the name.

    Raises
    ------
    LearnError
        WB-LEARN-001 for a reserved layer name (consensus, all, *, suggestions); WB-LEARN-002
        for a coder with no active codings (it lists the coders who have some).
    """
    if not isinstance(coder, str) or coder.strip().lower() in RESERVED:
        raise LearnError(1, f"coder={coder!r} is not one person: {', '.join(map(repr, RESERVED))} "
                         "name layers, and a suggester learns one person's way of coding "
                         "(and is itself compared as the pseudo-coder 'suggestions'). Name "
                         "the coder whose codings it should learn from, e.g. coder=\"ana\".")
    coders = [row[0] for row in conn.execute(
        "SELECT DISTINCT c.coder FROM codings c JOIN documents d USING (doc_id) "
        "WHERE c.status = 'active' AND d.status = 'active' ORDER BY c.coder")]
    if coder not in coders:
        raise LearnError(2, f"coder {coder!r} has no codings in this project's active "
                         f"documents. Coders with codings: {', '.join(coders) or 'none yet'}.")
    return coder


def learnable_code(conn: sqlite3.Connection, code: str) -> str:
    """The id of ``code`` (an id or an exact name) if it is an active code.

    Raises
    ------
    LearnError
        WB-LEARN-003 for an unknown or retired code (the codebook's message, with close
        matches).
    """
    try:
        return require_code(conn, code).id
    except CodebookError as err:
        raise LearnError(3, f"cannot learn code {code!r}: {err.message}") from err


def labelled(conn: sqlite3.Connection, segments: pd.DataFrame, code_id: str,
             coder: str) -> pd.DataFrame:
    """``segments`` with two columns added by the rule in this module's docstring.

    Returns
    -------
    pandas.DataFrame
        ``segments`` (as :func:`workbench.corpus.segments`, any order) plus ``read`` (the
        coder coded the segment's document) and ``human`` (1 if positive, 0 if negative or
        unlabelled: read it together with ``read``).
    """
    mine = codings_frame(conn, coder=coder)
    positions = segments[["doc_id", "start", "end"]].reset_index(drop=True)
    spans = mine.loc[mine["code_id"] == code_id, ["doc_id", "start", "end", "code_id", "coder"]]
    hits = segment_presence(positions, spans.reset_index(drop=True))
    human = np.zeros(len(segments), dtype=np.int8)
    human[hits["unit"].to_numpy()] = 1
    return segments.assign(read=segments["doc_id"].isin(set(mine["doc_id"])).to_numpy(),
                           human=human)


def check_examples(table: pd.DataFrame, code: str, coder: str, unit: str) -> None:
    """Refuse to learn from fewer than :data:`MIN_POSITIVE` positive or :data:`MIN_NEGATIVE`
    negative segments (WB-LEARN-004, saying how many there are and how many are needed)."""
    read = table[table["read"]]
    positive = int(read["human"].sum())
    negative = len(read) - positive
    if positive < MIN_POSITIVE or negative < MIN_NEGATIVE:
        raise LearnError(4, f"too few examples to learn code {code!r} from {coder}'s codings: "
                         f"{positive} positive and {negative} negative {unit} segments in the "
                         f"{read['doc_id'].nunique()} documents {coder} coded; at least "
                         f"{MIN_POSITIVE} positive and {MIN_NEGATIVE} negative are needed. "
                         f"Code more passages with {code!r} (positive) or more documents "
                         "(negative), or choose a smaller unit (unit=\"sentence\").")
