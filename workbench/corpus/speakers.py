"""Speakers as cases: each speaker of a meeting or focus-group transcript as a case of its own.

A meeting or focus group has many speakers and, often, no participants file. Forming a case
for each speaker (:func:`speakers_as_cases`) lets code-by-case matrices count per speaker.

The case's id is the speaker's label as written (``Maya``, ``P03``, ``Moderator``): the same
label in several documents is one case, and a participants file whose ids are these labels
gives the cases their attributes. A **coding's case** is its document's case; in a document
that belongs to no case it is the case named like the speaker of the turn the coding starts
in (the ``speaker`` that ``retrieve`` shows), and no case when the coding starts outside a
turn or its speaker is no case. A document linked to a case (by a participants file) keeps
that case for all its codings: its speakers are then not counted apart.
"""

from __future__ import annotations

import json
import sqlite3

import pandas as pd

from workbench.corpus.cases import ensure_case
from workbench.store import append_audit
from workbench.store.audit import now


def _speakers(conn: sqlite3.Connection, doc_ids: list[str] | None) -> list[str]:
    """The distinct speakers of the active documents (all, or ``doc_ids``) with no case."""
    wanted = "" if doc_ids is None else "AND d.doc_id IN (SELECT value FROM json_each(?))"
    params = () if doc_ids is None else (json.dumps(doc_ids),)
    rows = conn.execute(
        "SELECT DISTINCT s.speaker FROM segments s JOIN documents d USING (doc_id) "
        "WHERE s.unit = 'turn' AND s.speaker IS NOT NULL AND d.case_id IS NULL "
        f"AND d.status = 'active' {wanted} ORDER BY s.speaker", params)
    return [r[0] for r in rows]


def speakers_as_cases(conn: sqlite3.Connection, actor: str,
                      doc_ids: list[str] | None = None) -> list[str]:
    """Form a case for each speaker of the documents that belong to no case.

    Runs inside the caller's transaction; each new case is audited. Speakers that are cases
    already (an earlier call, a participants file) are left as they are.

    Parameters
    ----------
    conn : the project's connection.
    actor : who forms the cases (for the audit log).
    doc_ids : only these documents' speakers (default: every active document's).

    Returns
    -------
    list of str : the cases formed, in alphabetical order.
    """
    existing = {r[0] for r in conn.execute("SELECT case_id FROM cases")}
    formed = [s for s in _speakers(conn, doc_ids) if s not in existing]
    stamp = now()
    for case_id in formed:
        ensure_case(conn, case_id, stamp)
        append_audit(conn, actor=actor, action="form case", entity="case", entity_id=case_id,
                     after={"from": "speaker"})
    return formed


def _turns_of_caseless_documents(conn: sqlite3.Connection) -> pd.DataFrame:
    """doc_id, start, end, speaker of every turn whose speaker is a case, in documents that
    belong to no case (the turns whose codings take their speaker's case)."""
    return pd.read_sql_query(
        """SELECT s.doc_id, s.start, s."end", s.speaker FROM segments s
           JOIN documents d USING (doc_id) JOIN cases c ON c.case_id = s.speaker
           WHERE s.unit = 'turn' AND d.case_id IS NULL AND d.status = 'active'""", conn)


def coding_cases(conn: sqlite3.Connection, codings: pd.DataFrame) -> pd.Series:
    """The case of each coding (see the module's rule), aligned with ``codings``.

    ``codings`` has the columns doc_id, start and case_id (its document's case).
    """
    turns = _turns_of_caseless_documents(conn)
    cases = codings["case_id"].copy()
    open_ = cases.isna() & codings["doc_id"].isin(turns["doc_id"])
    if not open_.any():
        return cases
    wanted = codings.loc[open_, ["doc_id", "start"]].reset_index().sort_values("start")
    found = pd.merge_asof(wanted, turns.rename(columns={"start": "turn_start"})
                          .sort_values("turn_start"), left_on="start", right_on="turn_start",
                          by="doc_id", direction="backward")
    inside = found["start"] < found["end"]
    cases.loc[found.loc[inside, "index"].to_numpy()] = found.loc[inside, "speaker"].to_numpy()
    return cases


def case_characters(conn: sqlite3.Connection, documents: pd.DataFrame) -> pd.Series:
    """Characters per case: its documents' lengths plus its speaker turns' in documents of no
    case. ``documents`` has the columns case and n_chars (one row per document)."""
    turns = _turns_of_caseless_documents(conn)
    speaking = (turns["end"] - turns["start"]).groupby(turns["speaker"]).sum()
    own = documents.groupby("case")["n_chars"].sum()
    return own.add(speaking, fill_value=0)
