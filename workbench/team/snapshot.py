"""What a merge compares: one copy of a project read whole into frames (a ``Snapshot``).

The project being merged into and each coder's copy are read the same way, through the
owning modules' read functions, so the merge itself (:mod:`.plan`) works on DataFrames only.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from workbench.codebook.store import code_names, merges, status_of
from workbench.coding.codings import stored_codings
from workbench.coding.memos import memos_frame
from workbench.corpus.views import cases, document_digests
from workbench.errors import ProjectError, TeamError
from workbench.store import DB_NAME, SCHEMA_VERSION, connect_checked, history, schema_version

#: ``meta`` keys a copy made by ``copy_for`` carries (see :mod:`.copies`).
COPY_KEYS = ("copy.id", "copy.of", "copy.coder", "copy.made_at", "copy.audit_seq",
             "copy.blind", "copy.codebook_version")


@dataclass(frozen=True)
class Snapshot:
    """One copy of a project, read whole.

    Attributes
    ----------
    label : how reports and the audit log name it (``copy for ana`` or the folder's name).
    source_id : what identifies it across merges (the copy's id, else its creation time).
    documents : doc_id, name, sha256, case_id, status (every document).
    codes : code_id, name, status (every code).
    merged_codes : code merged away -> the code its codings went to (from the audit log).
    codings : every coding, removed ones too (see ``coding.codings.stored_codings``).
    memos : every memo. case_ids : the cases. audit : the audit log.
    meta : the ``meta`` table.
    database : the copy's ``project.sqlite`` (None for the project merged into).
    """

    label: str
    source_id: str
    documents: pd.DataFrame
    codes: pd.DataFrame
    merged_codes: dict[str, str]
    codings: pd.DataFrame
    memos: pd.DataFrame
    case_ids: frozenset[str]
    audit: pd.DataFrame
    meta: dict[str, str]
    database: Path | None = None

    @property
    def copied_at(self) -> str | None:
        """When this copy was handed out (None for a project that is not a copy)."""
        return self.meta.get("copy.made_at")

    @property
    def audit_from(self) -> int:
        """The last audit row the copy shared with its project when it was made."""
        return int(self.meta.get("copy.audit_seq", 0))


def snapshot(conn: sqlite3.Connection, *, label: str) -> Snapshot:
    """Read a project's documents, codes, codings, memos, cases and audit log."""
    meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
    names, status = code_names(conn), status_of(conn)
    codes = pd.DataFrame({"code_id": list(names), "name": list(names.values()),
                          "status": [status[c] for c in names]})
    source_id = meta.get("copy.id") or f"project created {meta.get('created_at', '?')}"
    return Snapshot(label, source_id, document_digests(conn), codes, merges(conn),
                    stored_codings(conn), memos_frame(conn), frozenset(cases(conn)["case_id"]),
                    history(conn), meta)


def read_copy(path: Path, *, label: str | None = None) -> Snapshot:
    """Read the workbench project in folder ``path`` (or its ``project.sqlite``) to merge it.

    Refused: a path with no project (WB-TEAM-003), a file that is not a workbench project
    (WB-TEAM-003), a project written by a newer workbench (WB-TEAM-004). An older copy is
    read as it is (nothing in it is upgraded or changed).
    """
    db = path if path.is_file() else path / DB_NAME
    if not db.exists():
        raise TeamError(3, f"{path} is neither a workbench project folder (no {DB_NAME}) nor "
                        "a .qdpx file. Give the folder of a coder's copy (made with "
                        "`workbench copy-for`) or a .qdpx exported by another program.")
    try:
        conn = connect_checked(db)
    except ProjectError as err:
        raise TeamError(3, f"{err.message} Nothing was merged.") from err
    try:
        version = schema_version(conn)
        if version > SCHEMA_VERSION:
            raise TeamError(4, f"{db} was written by a newer workbench (schema version "
                            f"{version}; this one knows up to {SCHEMA_VERSION}). Upgrade "
                            "workbench here (pip install -U workbench) and merge again; "
                            "nothing was merged.")
        copy = snapshot(conn, label="")
    finally:
        conn.close()
    coder = copy.meta.get("copy.coder")
    name = label or (f"copy for {coder} ({db.parent.name})" if coder else db.parent.name)
    return replace(copy, label=name, database=db)
