"""Changing documents after import: renaming one, deleting one (kept, hidden), both audited;
and linking documents to their case or date (audited by the sidecar or import that does it).

After the import's copy, this is the one module that writes the ``documents`` table."""

from __future__ import annotations

import sqlite3

from workbench.corpus.views import find_document
from workbench.errors import ProjectError
from workbench.store import append_audit


def _active(conn: sqlite3.Connection, doc_id: str, verb: str) -> sqlite3.Row:
    """The active document named by id or name, or a numbered error."""
    row = find_document(conn, doc_id)
    if row is None:
        raise ProjectError(10, f"no document '{doc_id}' to {verb}. See project.documents().")
    return row


def delete_document(conn: sqlite3.Connection, doc_id: str, actor: str) -> None:
    """Mark a document deleted: views hide it and it cannot be coded; its rows and codings
    stay, so the audit log and past reports still resolve."""
    row = _active(conn, doc_id, "delete")
    conn.execute("UPDATE documents SET status = 'deleted' WHERE doc_id = ?", (row["doc_id"],))
    append_audit(conn, actor=actor, action="delete document", entity="document",
                 entity_id=row["doc_id"], before={"status": "active", "name": row["name"]},
                 after={"status": "deleted"})


def rename_document(conn: sqlite3.Connection, doc_id: str, name: str, actor: str, *,
                    source_path: str | None = None) -> None:
    """Give a document a new name (and, for one read from an exchange file, the place in it
    the document came from). Its id, text, segments and codings do not change."""
    row = _active(conn, doc_id, "rename")
    if not name.strip():
        raise ProjectError(13, f"a document needs a name; '{row['name']}' keeps its own. Give "
                           "a name with at least one letter or digit.")
    path = row["source_path"] if source_path is None else source_path
    conn.execute("UPDATE documents SET name = ?, source_path = ? WHERE doc_id = ?",
                 (name, path, row["doc_id"]))
    append_audit(conn, actor=actor, action="rename document", entity="document",
                 entity_id=row["doc_id"],
                 before={"name": row["name"], "source_path": row["source_path"]},
                 after={"name": name, "source_path": path})


def set_case(conn: sqlite3.Connection, doc_ids: list[str], case_id: str) -> None:
    """Link documents to a case that exists (the caller forms the case and audits)."""
    conn.executemany("UPDATE documents SET case_id = ? WHERE doc_id = ?",
                     [(case_id, doc_id) for doc_id in doc_ids])


def set_date(conn: sqlite3.Connection, doc_id: str, date: str) -> None:
    """Set a document's date (ISO text; the caller audits)."""
    conn.execute("UPDATE documents SET date = ? WHERE doc_id = ?", (date, doc_id))
