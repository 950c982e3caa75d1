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

The coder may be the **consensus layer** (``coder="consensus"``): the codings
``project.reconcile()`` wrote (origin ``consensus``), read by the same rules, its documents
being the reconciled ones with at least one consensus coding. Its suggestions say they were
learned from "the consensus layer"; they are suggestions, not codings of that layer, and
accepting one makes a coding of the person who accepts it (the layer is written by
reconciling only). The other layer names (``all``, ``*``, ``suggestions``) are refused.
"""

from __future__ import annotations

import sqlite3

import numpy as np
import pandas as pd

from workbench.codebook.store import require_code
from workbench.coding.codings import codings_frame
from workbench.coding.layers import CONSENSUS, RESERVED
from workbench.errors import CodebookError, LearnError
from workbench.reliability.agreement import segment_presence

__all__ = ["MIN_NEGATIVE", "MIN_POSITIVE", "check_coder", "check_examples", "learnable_code",
           "labelled", "source"]

#: The fewest positive and negative segments a code needs to be learned from. The folds hold
#: whole documents (:mod:`.folds`), so how many of each a fold holds depends on how they are
#: spread over the documents; a fold whose training documents lack either kind is refused.
MIN_POSITIVE = 10
MIN_NEGATIVE = 10


def check_coder(conn: sqlite3.Connection, coder: object) -> str:
    """Refuse a layer name other than the consensus layer, or a coder with no codings;
    return the name.

    Raises
    ------
    LearnError
        WB-LEARN-001 for ``all``, ``*`` or ``suggestions`` (a ``consensus`` written in
        another case too, so the layer is named exactly); WB-LEARN-002 for a coder (or
        consensus layer) with no active codings (it lists the coders who have some).
    """
    if not isinstance(coder, str) or (coder != CONSENSUS
                                      and coder.strip().lower() in RESERVED):
        raise LearnError(1, f"coder={coder!r} is not one person nor the consensus layer: "
                         f"{', '.join(map(repr, RESERVED))} name layers, and a suggester "
                         "learns one way of coding (and is itself compared as the "
                         "pseudo-coder 'suggestions'). Name the coder whose codings it should "
                         "learn from, e.g. coder=\"ana\", or coder=\"consensus\" for the "
                         "reconciled layer.")
    coders = [row[0] for row in conn.execute(
        "SELECT DISTINCT c.coder FROM codings c JOIN documents d USING (doc_id) "
        "WHERE c.status = 'active' AND d.status = 'active' "
        "AND (c.coder != 'consensus' OR c.origin = 'consensus') ORDER BY c.coder")]
    if coder not in coders:
        raise LearnError(2, f"coder {coder!r} has no codings in this project's active "
                         f"documents. Coders with codings: {', '.join(coders) or 'none yet'}"
                         + (" (project.reconcile() writes the consensus layer)."
                            if coder == CONSENSUS else "."))
    return coder


def source(coder: str) -> str:
    """Whom a suggester learned from, as its suggestions' rule and model name it."""
    return "the consensus layer" if coder == CONSENSUS else coder


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
    if coder == CONSENSUS:
        mine = mine[mine["origin"] == CONSENSUS]
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
