"""An import's scratch files: where documents wait between reading and the final copy.

Each process that prepares files writes the documents it reads and their segments to its own
scratch SQLite file, shaped like the project's tables; the main process notes in a staging
file which of them to store. The final copy into the project is :func:`copy_rows`.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path
from typing import NamedTuple


class Staged(NamedTuple):
    """A document noted for storing: a row of the staging file's ``doc_meta``."""

    doc_id: str
    name: str
    kind: str
    n_words: int
    case_id: str | None
    case_attributes: str
    attributes: str
    types: str
    n_segments: int
    scratch_file: str


def _scratch_tables(path: Path, conn: sqlite3.Connection, tables: tuple[str, ...]
                    ) -> sqlite3.Connection:
    """A scratch SQLite file with tables shaped like the project's (no constraints)."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = OFF")
    db.execute("PRAGMA synchronous = OFF")
    for table in tables:
        columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
        db.execute(f"CREATE TABLE IF NOT EXISTS {table} "
                   f"({', '.join(repr(c) for c in columns)})")
    return db


class Staging:
    """The main process's scratch file: what it keeps of each document to store, in file
    order (the documents themselves are in the scratch files of the processes that read them)."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / "staging.sqlite"
        self.db = sqlite3.connect(self.path, isolation_level=None)
        self.db.execute("PRAGMA journal_mode = OFF")
        self.db.execute(f"CREATE TABLE doc_meta ({', '.join(Staged._fields)})")
        self.db.execute("BEGIN")


#: Each process's scratch file for the import running in a folder, by (folder, process id):
#: a worker keeps its file open across the files it prepares, and writes there the documents
#: it reads and their segments.
_SCRATCH_FILES: dict[tuple[str, int], tuple[sqlite3.Connection, set[str]]] = {}


def scratch_file(folder: str, template: Path) -> tuple[Path, sqlite3.Connection, set[str]]:
    """This process's scratch file for the import in ``folder`` (made from the project file
    ``template`` the first time): its path, connection, and the doc_ids written to it."""
    key = (folder, os.getpid())
    path = Path(folder) / f"scratch-{os.getpid()}.sqlite"
    if key not in _SCRATCH_FILES:
        project = sqlite3.connect(template)
        _SCRATCH_FILES[key] = (_scratch_tables(path, project, ("documents", "segments")), set())
        project.close()
    db, written = _SCRATCH_FILES[key]
    return path, db, written


def write_document(db: sqlite3.Connection, document: tuple, segments: list[tuple]) -> None:
    """Write one document (its ``documents`` columns but case_id and status) and its segment
    rows (without doc_id) to a scratch file, in one transaction."""
    doc_id = document[0]
    db.execute("BEGIN")
    db.execute("INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, "
               "'active')", document)
    # The id is hex digits: safe in the statement, and not bound for every row.
    db.executemany(f"INSERT INTO segments VALUES ('{doc_id}', ?, ?, ?, ?, ?, ?, ?)", segments)
    db.execute("COMMIT")


def close_scratch_files(folder: str) -> None:
    """Close this process's scratch connections for an import (workers' close on exit)."""
    for key in [k for k in _SCRATCH_FILES if k[0] == folder]:
        _SCRATCH_FILES.pop(key)[0].close()


def copy_rows(conn: sqlite3.Connection, source: Path, alias: str, table: str,
          doc_ids: list[str]) -> None:
    """Copy the rows of ``doc_ids`` from a scratch file's table into the project's.

    Outside a caller's transaction the scratch file is attached (as ``alias``) and SQLite
    copies in one statement, several times faster; inside one, where SQLite cannot attach,
    rows stream through Python in chunks.
    """
    wanted = json.dumps(doc_ids)
    if alias in {row[1] for row in conn.execute("PRAGMA database_list")}:
        conn.execute(f"INSERT INTO main.{table} SELECT * FROM {alias}.{table} "
                     "WHERE doc_id IN (SELECT value FROM json_each(?))", (wanted,))
        return
    scratch = sqlite3.connect(source)
    try:
        cursor = scratch.execute(f"SELECT * FROM {table} WHERE doc_id IN "
                                 "(SELECT value FROM json_each(?))", (wanted,))
        marks = ", ".join("?" * len(cursor.description))
        while rows := cursor.fetchmany(5000):
            conn.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
    finally:
        scratch.close()
