"""Merging coders' copies into one project: decided whole (:mod:`.plan`), then written in the
caller's one transaction through the tables' owning modules, then reported."""

from __future__ import annotations

import sqlite3

from workbench.coding.codings import adopt_codings, uncode_many
from workbench.coding.memos import (
    adopt_memo,
    move_coding_memos,
    note_memo_not_taken,
    take_memo_edit,
)
from workbench.corpus.adopt import adopt_documents
from workbench.errors import TeamError
from workbench.store import append_audit, append_audit_rows, set_meta
from workbench.team.plan import Plan, decide
from workbench.team.report import MergeReport
from workbench.team.snapshot import Snapshot, snapshot

#: What a merge can do with a document only a copy has.
DOCUMENTS = ("list", "import")


def coder_names(coders: list[str] | dict[str, str] | None) -> dict[str, str] | None:
    """``coders=`` as a mapping from the copy's coder names to the names used here."""
    if coders is None or isinstance(coders, dict):
        return coders
    return {name: name for name in coders}


def _write(conn: sqlite3.Connection, there: Snapshot, plan: Plan, actor: str) -> None:
    """Store a decided merge inside the caller's transaction."""
    if len(plan.documents):
        adopt_documents(conn, there.database, plan.documents, actor, origin=there.label)
    adopt_codings(conn, plan.add, source=there.label)
    uncode_many(conn, plan.remove, actor, action=f"uncode (in {there.label})")
    same = f"the same coding from {there.label} was made first"
    uncode_many(conn, list(plan.set_aside), actor, action=f"uncode ({same})")
    move_coding_memos(conn, plan.set_aside, actor, action=f"move memo ({same})")
    for memo in plan.memos:
        adopt_memo(conn, memo, source=there.label)
    for memo in plan.memo_edits:
        take_memo_edit(conn, memo, source=there.label)
    for memo in plan.memos_not_taken:
        note_memo_not_taken(conn, memo, source=there.label)
    if len(plan.audit):
        append_audit_rows(conn, plan.audit, origin=there.label)
        set_meta(conn, {f"merged.{there.source_id}": str(int(plan.audit["seq"].max()))})
    counts = plan.findings.groupby("finding")["n"].sum().astype(int).to_dict()
    append_audit(conn, actor=actor, action="merge", entity="project",
                 entity_id=there.source_id, after={"source": there.label, **counts})


def merge_copies(conn: sqlite3.Connection, copies: list[tuple[Snapshot, bool]], *,
                 coders: list[str] | dict[str, str] | None, actor: str,
                 documents: str = "list") -> MergeReport:
    """Merge each copy (a snapshot, and whether its audit rows come along) in turn, inside
    the caller's transaction; a refusal of any raises before its writes, and the caller's
    transaction then drops the earlier ones too. ``documents``: what becomes of documents
    only a copy has, ``"list"`` (listed, their codings left out) or ``"import"``.

    Returns
    -------
    MergeReport : the findings of every copy (see :class:`.report.MergeReport`).
    """
    if documents not in DOCUMENTS:
        raise TeamError(8, f"documents={documents!r} is not one of: {', '.join(DOCUMENTS)}. "
                        "Nothing was merged.")
    names, findings = coder_names(coders), []
    for there, with_audit in copies:
        plan = decide(snapshot(conn, label="this project"), there, coders=names,
                      with_audit=with_audit, documents=documents)
        _write(conn, there, plan, actor)
        findings.append(plan.findings)
    return MergeReport.of(findings)
