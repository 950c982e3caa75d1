"""Handing out copies: one copy of the project per coder, for coding on another machine.

A copy is made with SQLite's ``VACUUM INTO``, which writes a consistent, compacted image of
the database even while it is open in another kernel (a file copy of a database in use can
catch it half-written). It is built in a hidden sibling folder and moved into place only when
complete. The copy's ``meta`` table records where it came from (``copy.*`` keys, see
:data:`.snapshot.COPY_KEYS`), which is how :func:`.merge.merge_copies` knows what the copy
shared with its project when it was made.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from workbench.codebook.store import current_version
from workbench.coding.codings import forget_codings, stored_codings
from workbench.coding.layers import check_person
from workbench.coding.memos import forget_memos, memos_frame
from workbench.coding.suggest import forget_decisions
from workbench.errors import CodingError, TeamError
from workbench.refi_qda import new_project_folder
from workbench.store import DB_NAME, append_audit, atomic, connect, set_meta
from workbench.store.audit import now
from workbench.store.ids import new_id


def _leave_out_others(copy: sqlite3.Connection, coder: str) -> int:
    """Delete every other coder's codings (and the consensus layer) from a blind copy, with
    the memos on them and the suggestion decisions that made them; returns how many."""
    codings = stored_codings(copy)
    others = codings.loc[codings["coder"] != coder, "coding_id"].tolist()
    memos = memos_frame(copy, "coding")
    forget_decisions(copy, others)
    forget_memos(copy, memos.loc[memos["target_id"].isin(others), "memo_id"].tolist())
    forget_codings(copy, others)
    return len(others)


def copy_for(conn: sqlite3.Connection, project_dir: Path, coder: str, out: Path, *,
             blind: bool, actor: str) -> Path:
    """Write a copy of the project in ``project_dir`` to the new folder ``out`` for ``coder``.

    Parameters
    ----------
    conn : the project's store; no transaction may be open on it (WB-TEAM-009).
    coder : who codes in the copy; not empty, not a layer's name (WB-TEAM-001).
    out : a folder that does not hold a project yet (WB-TEAM-002).
    blind : leave every other coder's codings out of the copy (and the consensus layer),
        for blind double coding. The copy's audit log still holds their history: it is
        append-only and travels whole.
    actor : who hands the copy out (recorded in both audit logs).

    Returns
    -------
    Path : the copy's folder.
    """
    try:
        check_person(coder)
    except CodingError as err:
        raise TeamError(1, f"cannot make a copy for {coder!r}: {err.message}") from err
    if conn.in_transaction:
        raise TeamError(9, "a copy is made of what is stored, so not inside project.atomic(): "
                        "make the copy after the block. Nothing was copied.")
    if (out / DB_NAME).exists() or (out.exists() and not out.is_dir()):
        raise TeamError(2, f"{out} already holds a project or is a file; a copy goes to a "
                        "new folder. Choose another folder.")
    copy_id, stamp = new_id("copy"), now()
    with new_project_folder(out) as folder:
        conn.execute("VACUUM INTO ?", (str(folder / DB_NAME),))
        copy = connect(folder / DB_NAME)
        try:
            with atomic(copy):
                seq = copy.execute("SELECT coalesce(max(seq), 0) FROM audit").fetchone()[0]
                left_out = _leave_out_others(copy, coder) if blind else 0
                set_meta(copy, {"copy.id": copy_id, "copy.of": str(project_dir.resolve()),
                                "copy.coder": coder, "copy.made_at": stamp,
                                "copy.audit_seq": str(seq), "copy.blind": str(blind).lower(),
                                "copy.codebook_version": str(current_version(copy))})
                append_audit(copy, actor=actor, action="copy for", entity="project",
                             entity_id=copy_id, after={"coder": coder, "blind": blind,
                                                       "codings_left_out": left_out})
        finally:
            copy.close()
    with atomic(conn):
        append_audit(conn, actor=actor, action="copy for", entity="project", entity_id=copy_id,
                     after={"coder": coder, "blind": blind, "folder": str(out)})
    return out
