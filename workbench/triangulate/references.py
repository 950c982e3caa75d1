"""References: a researcher's statement that a passage speaks about a time.

An interview is retrospective: "during the lab outage, we kept a paper list" was said weeks
later. Its codings are placed in time only where the researcher links them to one, by a
**reference** from a coding (or any passage, or a whole document) to a timeline event or to a
date range. Nothing else places interview material in time; unreferenced passages are listed
as retrospective in every analysis, never dropped silently and never placed by guessing.
"""

from __future__ import annotations

import sqlite3

import pandas as pd

from workbench.coding.codings import coding_span
from workbench.corpus.views import document
from workbench.errors import TriangulationError
from workbench.store import append_audit
from workbench.store.audit import now
from workbench.store.ids import new_id
from workbench.triangulate.timeline import event, wall_clock

__all__ = ["REFERENCE_COLUMNS", "refer", "references", "unrefer"]

REFERENCE_COLUMNS = ["reference_id", "doc_id", "start", "end", "event_id", "period_start",
                     "period_end", "created_by", "created_at"]


def _passage(conn: sqlite3.Connection, coding_id, doc, start, end) -> tuple[str, int, int]:
    """The (doc_id, start, end) a reference covers: a coding's span, a passage or a document."""
    if coding_id is not None:
        if doc is not None or start is not None or end is not None:
            raise TriangulationError(20, "refer() takes a coding_id or a document with start "
                                     "and end, not both.")
        return coding_span(conn, coding_id)
    if doc is None:
        raise TriangulationError(20, "refer() needs a coding_id, or a document (and optionally "
                                 "start and end) to place in time.")
    found = document(conn, doc)
    length = len(found.text)
    if start is None and end is None:
        start, end = 0, length
    if start is None or end is None or isinstance(start, bool) or isinstance(end, bool) or not (
            float(start).is_integer() and float(end).is_integer()):
        raise TriangulationError(21, f"{found.name}: give both start and end as whole "
                                 "character offsets (or neither, for the whole document).")
    start, end = int(start), int(end)
    if not 0 <= start < end <= length:
        raise TriangulationError(21, f"{found.name}: the passage {start}-{end} is not inside the "
                                 f"document (0-{length}).")
    return found.doc_id, start, end


def refer(conn: sqlite3.Connection, *, actor: str, coding_id: str | None = None,
          doc: str | None = None, start: int | None = None, end: int | None = None,
          event_id: str | None = None, period: tuple | None = None) -> str:
    """Link a passage to a timeline event or to a period [start, end); return the reference id.

    Parameters
    ----------
    coding_id : place this coding's passage; or
    doc, start, end : a document (id or name) and optionally a passage of it.
    event_id : a stored timeline event; or
    period : (start, end) on the site's wall clock, dates or date-times; end exclusive.
    """
    doc_id, first, last = _passage(conn, coding_id, doc, start, end)
    if (event_id is None) == (period is None):
        raise TriangulationError(22, "refer() needs either event_id=... (a timeline event) or "
                                 "period=(start, end), not both.")
    period_start = period_end = None
    if event_id is not None:
        event_id = event(conn, event_id).event_id
    else:
        if len(period) != 2:
            raise TriangulationError(23, "period must be (start, end), e.g. ('2025-04-01', "
                                     "'2025-04-08').")
        period_start, period_end = (wall_clock(v, "period") for v in period)
        if period_end <= period_start:
            raise TriangulationError(23, f"the period ends ({period_end}) before or when it "
                                     f"starts ({period_start}).")
    reference_id, stamp = new_id("reference"), now()
    values = (reference_id, doc_id, first, last, event_id,
              None if period_start is None else period_start.isoformat(),
              None if period_end is None else period_end.isoformat(), actor, stamp)
    conn.execute(
        'INSERT INTO time_references (reference_id, doc_id, start, "end", event_id, '
        "period_start, period_end, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        values)
    append_audit(conn, actor=actor, action="refer", entity="time_reference",
                 entity_id=reference_id, after=dict(zip(REFERENCE_COLUMNS, values, strict=True)))
    return reference_id


def unrefer(conn: sqlite3.Connection, reference_id: str, actor: str) -> None:
    """Mark a reference removed (kept in the project and the audit log; deleted, with an audit
    row, only when its event is later left out of the timeline)."""
    row = conn.execute("SELECT status FROM time_references WHERE reference_id = ?",
                       (reference_id,)).fetchone()
    if row is None or row[0] != "active":
        state = "was already removed" if row else "does not exist"
        raise TriangulationError(24, f"reference '{reference_id}' {state}. See "
                                 "project.references().")
    conn.execute("UPDATE time_references SET status = 'removed' WHERE reference_id = ?",
                 (reference_id,))
    append_audit(conn, actor=actor, action="unrefer", entity="time_reference",
                 entity_id=reference_id, before={"status": "active"},
                 after={"status": "removed"})


def references(conn: sqlite3.Connection) -> pd.DataFrame:
    """Active references, one row each, in document and passage order.

    Returns
    -------
    DataFrame : reference_id, doc_id, start, end, event_id, period_start, period_end,
    created_by, created_at.
    """
    rows = conn.execute(
        'SELECT reference_id, doc_id, start, "end", event_id, period_start, period_end, '
        "created_by, created_at FROM time_references WHERE status = 'active' "
        'ORDER BY doc_id, start, "end", reference_id').fetchall()
    frame = pd.DataFrame([tuple(r) for r in rows], columns=REFERENCE_COLUMNS)
    for column in ("period_start", "period_end"):
        frame[column] = pd.to_datetime(frame[column])
    return frame
