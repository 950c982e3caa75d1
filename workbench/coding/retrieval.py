"""Retrieval: every quote for a code, with who said it, where, and the text around it."""

from __future__ import annotations

import sqlite3

import pandas as pd

from workbench.coding.codings import code_and_descendants
from workbench.coding.layers import counting_layer
from workbench.corpus.speakers import coding_cases
from workbench.corpus.views import attributes_wide
from workbench.errors import CodingError


def retrieve(conn: sqlite3.Connection, code: str, *, context: int = 0,
             coder: str | None = None) -> pd.DataFrame:
    """Every active coding of ``code`` and its descendants, in document order.

    Columns: coding_id, doc_id, document, kind, date, case_id (the document's case, or in a
    document of no case the speaker's, see ``workbench.corpus.speakers``), speaker (of the
    turn the quote starts in), start, end, code_id, code, coder, origin, before, text, after
    (``context`` characters either side, cut at the document's edges), then the attributes: the
    document's own and its case's, one column per name. Where both have an attribute of the
    same name (a field note's ``ward`` and its observer's), the document's value wins, as in
    ``frequencies(by=...)``. ``coder`` chooses the layer by the rule every count follows
    (``workbench.coding.layers``), so a passage two coders coded is not listed twice.
    """
    if context < 0:
        raise CodingError(30, f"context={context} must be 0 or more characters.")
    ids = code_and_descendants(conn, code)
    layer, layer_params = counting_layer(conn, coder)
    params: list = [context, context, context, *ids, *layer_params]
    frame = pd.read_sql_query(
        f"""
        SELECT c.coding_id, c.doc_id, d.name AS document, d.kind, d.date, d.case_id,
               -- Turns are keyed (doc_id, unit, ordinal) in text order: the last one
               -- starting at or before the quote, if the quote starts inside it.
               (SELECT CASE WHEN s."end" > c.start THEN s.speaker END FROM segments s
                 WHERE s.doc_id = c.doc_id AND s.unit = 'turn' AND s.start <= c.start
                 ORDER BY s.ordinal DESC LIMIT 1) AS speaker,
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
    return _with_attributes(conn, frame.assign(case_id=coding_cases(conn, frame)))


def _with_attributes(conn: sqlite3.Connection, frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with document and case attributes added; the document's value wins."""
    own = attributes_wide(conn, "document", "doc_id")
    cases = attributes_wide(conn, "case", "case_id")
    names = [n for n in dict.fromkeys([*own.columns[1:], *cases.columns[1:]])
             if n not in frame.columns]
    own = frame[["doc_id"]].merge(own, on="doc_id", how="left")
    cases = frame[["case_id"]].merge(cases, on="case_id", how="left")
    values = {n: own[n].combine_first(cases[n]) if n in own and n in cases
              else own[n] if n in own else cases[n] for n in names}
    return pd.concat([frame, pd.DataFrame(values, index=frame.index)], axis=1)
