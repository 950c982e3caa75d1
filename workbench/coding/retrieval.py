"""Retrieval: every quote for a code, with who said it, where, and the text around it."""

from __future__ import annotations

import json
import sqlite3

import pandas as pd

from workbench.coding.codings import code_and_descendants, coder_filter
from workbench.corpus.views import attributes_wide
from workbench.errors import CodingError


def retrieve(conn: sqlite3.Connection, code: str, *, context: int = 0,
             coder: str | None = None) -> pd.DataFrame:
    """Every active coding of ``code`` and its descendants, in document order.

    Columns: coding_id, doc_id, document, kind, date, case_id, speaker (of the turn the quote
    starts in), start, end, code_id, code, coder, origin, before, text, after (``context``
    characters either side, cut at the document's edges), then the case's attributes.
    """
    if context < 0:
        raise CodingError(30, f"context={context} must be 0 or more characters.")
    ids = code_and_descendants(conn, code)
    layer, layer_params = coder_filter(coder)
    params: list = [context, context, context, *ids, *layer_params]
    frame = pd.read_sql_query(
        f"""
        SELECT c.coding_id, c.doc_id, d.name AS document, d.kind, d.date, d.case_id,
               c.start, c."end", c.code_id, k.name AS code, c.coder, c.origin,
               substr(d.text, max(c.start - ?, 0) + 1, c.start - max(c.start - ?, 0))
                 AS before,
               substr(d.text, c.start + 1, c."end" - c.start) AS text,
               substr(d.text, c."end" + 1, ?) AS after
        FROM codings c JOIN documents d USING (doc_id) JOIN codes k USING (code_id)
        WHERE c.status = 'active' AND d.status = 'active'
          AND c.code_id IN ({', '.join('?' * len(ids))}) AND {layer}
        ORDER BY d.name, c.start, c."end"
        """, conn, params=params)
    frame.insert(6, "speaker", _speakers(conn, frame))
    return frame.merge(attributes_wide(conn, "case", "case_id"), on="case_id", how="left",
                       suffixes=("", "_case"))


def _speakers(conn: sqlite3.Connection, frame: pd.DataFrame) -> pd.Series:
    """The speaker of the turn each quote starts in (None outside any turn), aligned to
    ``frame``: the last turn starting at or before the quote, if the quote starts inside it."""
    turns = pd.read_sql_query(
        'SELECT doc_id, start AS turn_start, "end" AS turn_end, speaker FROM segments '
        "WHERE unit = 'turn' AND doc_id IN (SELECT value FROM json_each(?))", conn,
        params=[json.dumps(sorted(set(frame["doc_id"])))])
    quotes = frame[["doc_id", "start"]].reset_index().sort_values("start")
    found = pd.merge_asof(quotes, turns.sort_values("turn_start"), left_on="start",
                          right_on="turn_start", by="doc_id").set_index("index")
    inside = found["start"] < found["turn_end"]
    return found["speaker"].where(inside).astype(object).where(inside, None).reindex(
        frame.index)
