"""Changing documents after import: deleting one (kept, hidden, and audited)."""

from __future__ import annotations

import sqlite3

from workbench.errors import ProjectError
from workbench.store import append_audit


def delete_document(conn: sqlite3.Connection, doc_id: str, actor: str) -> None:
    """Mark a document deleted: views hide it and it cannot be coded; its rows and codings
    stay, so the audit log and past reports still resolve."""
    row = conn.execute("SELECT doc_id, name FROM documents WHERE (doc_id = ? OR name = ?) "
                       "AND status = 'active'", (doc_id, doc_id)).fetchone()
    if row is None:
        raise ProjectError(10, f"no document '{doc_id}' to delete. See project.documents().")
    conn.execute("UPDATE documents SET status = 'deleted' WHERE doc_id = ?", (row["doc_id"],))
    append_audit(conn, actor=actor, action="delete document", entity="document",
                 entity_id=row["doc_id"], before={"status": "active", "name": row["name"]},
                 after={"status": "deleted"})
