"""Memos: notes on the project, a document, a case, a code or a coding."""

from __future__ import annotations

import sqlite3

import pandas as pd

from workbench.coding.layers import check_person
from workbench.errors import CodingError
from workbench.store import append_audit
from workbench.store.audit import now
from workbench.store.ids import new_id

TARGETS = {"project": None, "document": ("documents", "doc_id"), "case": ("cases", "case_id"),
           "code": ("codes", "code_id"), "coding": ("codings", "coding_id")}


def write_memo(conn: sqlite3.Connection, target_kind: str, target_id: str | None, text: str,
               author: str) -> str:
    """Store a memo on a target; returns its id."""
    if target_kind not in TARGETS:
        raise CodingError(20, f"memos attach to {', '.join(TARGETS)}; not {target_kind!r}.")
    if not text or not text.strip():
        raise CodingError(21, "a memo needs some text.")
    check_person(author, role="memo author")
    table = TARGETS[target_kind]
    if table and not conn.execute(f"SELECT 1 FROM {table[0]} WHERE {table[1]} = ?",
                                  (target_id,)).fetchone():
        raise CodingError(22, f"no {target_kind} '{target_id}' in this project to write a "
                          "memo on.")
    memo_id, stamp = new_id("memo"), now()
    conn.execute("INSERT INTO memos VALUES (?, ?, ?, ?, ?, ?, ?)",
                 (memo_id, target_kind, target_id, author, text, stamp, stamp))
    append_audit(conn, actor=author, action="write memo", entity="memo", entity_id=memo_id,
                 after={"target_kind": target_kind, "target_id": target_id, "text": text})
    return memo_id


def edit_memo(conn: sqlite3.Connection, memo_id: str, text: str, author: str) -> None:
    """Replace a memo's text; the old text stays in the audit log."""
    row = conn.execute("SELECT text FROM memos WHERE memo_id = ?", (memo_id,)).fetchone()
    if row is None:
        raise CodingError(23, f"no memo '{memo_id}'. See project.memos().")
    if not text or not text.strip():
        raise CodingError(21, "a memo needs some text; the memo keeps its own.")
    check_person(author, role="memo author")
    conn.execute("UPDATE memos SET text = ?, updated_at = ? WHERE memo_id = ?",
                 (text, now(), memo_id))
    append_audit(conn, actor=author, action="edit memo", entity="memo", entity_id=memo_id,
                 before={"text": row[0]}, after={"text": text})


def adopt_memo(conn: sqlite3.Connection, memo: dict, *, source: str) -> None:
    """Store a memo written in another copy of the project with its id, author and times,
    audited as ``merge memo`` with its ``source`` (the caller, ``team``, has checked it)."""
    check_person(memo["author"], role="memo author")
    conn.execute("INSERT INTO memos VALUES (?, ?, ?, ?, ?, ?, ?)",
                 tuple(memo[k] for k in ("memo_id", "target_kind", "target_id", "author",
                                         "text", "created_at", "updated_at")))
    append_audit(conn, actor=memo["author"], action="merge memo", entity="memo",
                 entity_id=memo["memo_id"], after={**memo, "source": source})


def take_memo_edit(conn: sqlite3.Connection, memo: dict, *, source: str) -> None:
    """Give a memo the text and ``updated_at`` of its edit in another copy of the project
    (the caller, ``team``, has decided it is the later edit), audited as ``merge memo edit``
    with the text and time before and after and the ``source``."""
    row = conn.execute("SELECT text, updated_at FROM memos WHERE memo_id = ?",
                       (memo["memo_id"],)).fetchone()
    if row is None:
        raise CodingError(23, f"no memo '{memo['memo_id']}'. See project.memos().")
    conn.execute("UPDATE memos SET text = ?, updated_at = ? WHERE memo_id = ?",
                 (memo["text"], memo["updated_at"], memo["memo_id"]))
    append_audit(conn, actor=memo["author"], action="merge memo edit", entity="memo",
                 entity_id=memo["memo_id"], before=dict(row),
                 after={"text": memo["text"], "updated_at": memo["updated_at"],
                        "source": source})


def note_memo_not_taken(conn: sqlite3.Connection, memo: dict, *, source: str) -> None:
    """Record in the audit log a memo text from another copy that lost to a later edit
    here (``team``), so that no text a coder wrote is lost; the memo is unchanged."""
    append_audit(conn, actor=memo["author"], action="merge memo edit (not taken)",
                 entity="memo", entity_id=memo["memo_id"],
                 after={"text": memo["text"], "updated_at": memo["updated_at"],
                        "source": source})


def move_coding_memos(conn: sqlite3.Connection, moves: dict[str, str], actor: str, *,
                      action: str) -> None:
    """Move the memos on codings ``moves`` names (old coding id -> new coding id) to the
    new coding, each audited with its target before and after; text and times stay."""
    for old, new in moves.items():
        memo_ids = [r[0] for r in conn.execute(
            "SELECT memo_id FROM memos WHERE target_kind = 'coding' AND target_id = ?",
            (old,))]
        conn.execute("UPDATE memos SET target_id = ? WHERE target_kind = 'coding' AND "
                     "target_id = ?", (new, old))
        for memo_id in memo_ids:
            append_audit(conn, actor=actor, action=action, entity="memo", entity_id=memo_id,
                         before={"target_id": old}, after={"target_id": new})


def forget_memos(conn: sqlite3.Connection, memo_ids: list[str]) -> None:
    """Delete memos from a coder's blind copy (``team.copy_for``), never from a project."""
    conn.executemany("DELETE FROM memos WHERE memo_id = ?", [(m,) for m in memo_ids])


def memos_frame(conn: sqlite3.Connection, target_kind: str | None = None,
                target_id: str | None = None) -> pd.DataFrame:
    """Memos, oldest first: memo_id, target_kind, target_id, author, text, created_at,
    updated_at."""
    where, params = [], []
    if target_kind:
        where.append("target_kind = ?")
        params.append(target_kind)
    if target_id:
        where.append("target_id = ?")
        params.append(target_id)
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    return pd.read_sql_query(f"SELECT * FROM memos {clause} ORDER BY created_at", conn,
                             params=params)
