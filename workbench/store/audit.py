"""The append-only audit log: who changed what, when, and what it was before and after."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from typing import Any

import pandas as pd


def now() -> str:
    """The current time as an ISO 8601 UTC string, the one time format of the store."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def append_audit(
    conn: sqlite3.Connection,
    *,
    actor: str,
    action: str,
    entity: str,
    entity_id: str,
    before: Any = None,
    after: Any = None,
) -> None:
    """Append one row to the audit log inside the caller's transaction.

    ``before`` and ``after`` are stored as JSON. The table has triggers that refuse UPDATE and
    DELETE, so the log can only grow.
    """
    conn.execute(
        "INSERT INTO audit (at, actor, action, entity, entity_id, before, after) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            now(),
            actor,
            action,
            entity,
            entity_id,
            None if before is None else json.dumps(before, ensure_ascii=False, default=str),
            None if after is None else json.dumps(after, ensure_ascii=False, default=str),
        ),
    )


def append_audit_rows(conn: sqlite3.Connection, rows: pd.DataFrame, *, origin: str) -> int:
    """Append audit rows written elsewhere (another coder's copy), marked with their origin.

    Each row keeps its time, actor, entity and before/after; its action gains
    `` (in <origin>)`` so the log says where it happened. Returns the number appended.
    """
    conn.executemany(
        "INSERT INTO audit (at, actor, action, entity, entity_id, before, after) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(r.at, r.actor, f"{r.action} (in {origin})", r.entity, r.entity_id, r.before, r.after)
         for r in rows.itertuples(index=False)],
    )
    return len(rows)


def history(conn: sqlite3.Connection) -> pd.DataFrame:
    """The audit log, oldest first.

    Returns
    -------
    pandas.DataFrame : seq, at, actor, action, entity, entity_id, before, after (JSON text).
    """
    return pd.read_sql_query("SELECT * FROM audit ORDER BY seq", conn)
