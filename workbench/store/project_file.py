"""The project folder and its database file: creating, opening, and the stored settings.

A project is a folder holding ``project.sqlite``. Creating one refuses a folder that holds a
project already; opening one refuses a file that is not a workbench project and backs up and
upgrades an older one (see :func:`workbench.store.schema.migrate`).
"""

from __future__ import annotations

import getpass
import os
import sqlite3
from pathlib import Path

from workbench.errors import ProjectError
from workbench.store.connection import DB_NAME, atomic, connect
from workbench.store.schema import SCHEMA_VERSION, migrate


def default_user() -> str:
    """Who is acting: ``$WORKBENCH_USER``, else the operating-system login name."""
    return os.environ.get("WORKBENCH_USER") or getpass.getuser()


def connect_checked(db: Path) -> sqlite3.Connection:
    """Connect to ``db`` if it is a workbench project; refuse any other file unchanged.

    The file is probed read-only through SQLite, not with ``open()``: closing a plain file
    handle would drop this process's SQLite locks on it (POSIX locks belong to the process),
    and a foreign database must not be switched to WAL by the probe.
    """
    try:
        probe = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
        try:
            ours = probe.execute(
                "SELECT 1 FROM sqlite_master WHERE name = 'migrations'").fetchone()
        finally:
            probe.close()
    except sqlite3.DatabaseError as err:
        raise ProjectError(5, f"{db} is not a workbench project database (not SQLite: "
                           f"{err}). Did you pick the wrong file?") from err
    if not ours:
        raise ProjectError(5, f"{db} is an SQLite database but not a workbench project. "
                           "Did you pick the wrong file?")
    return connect(db)


def create_project_file(path: Path, *, language: str, spacy_model: str | None
                        ) -> sqlite3.Connection:
    """Make the folder ``path`` (unless it exists) and a new, migrated project database in it.

    Parameters
    ----------
    path : the project folder; it must not hold a project already, nor be a file.
    language : the spaCy language code stored in ``meta``.
    spacy_model : an installed spaCy pipeline to split sentences with, or None.

    Returns
    -------
    sqlite3.Connection : open on the new ``project.sqlite``.
    """
    if (path / DB_NAME).exists():
        raise ProjectError(1, f"{path} already holds a project. Open it with "
                           "Project.open(...) or choose another folder.")
    if path.exists() and not path.is_dir():
        raise ProjectError(2, f"{path} is a file, not a folder. Choose a folder name.")
    path.mkdir(parents=True, exist_ok=True)
    conn = connect(path / DB_NAME)
    migrate(conn, path / DB_NAME)
    with atomic(conn):
        conn.executemany("INSERT INTO meta VALUES (?, ?)", [
            ("language", language), ("spacy_model", spacy_model or ""),
        ])
    return conn


def open_project_file(path: Path) -> tuple[Path, sqlite3.Connection]:
    """Open the project in folder ``path`` (or the ``project.sqlite`` file itself).

    Returns
    -------
    (Path, sqlite3.Connection) : the project folder and a connection to its upgraded database.
    """
    db = path if path.is_file() else path / DB_NAME
    if not db.exists():
        raise ProjectError(4, f"{path} is not a workbench project (no {DB_NAME}). Create "
                           "one with `workbench init` or Project.create(...).")
    # Checked through SQLite itself: opening the file with open() and closing it would
    # drop this process's SQLite locks on it (POSIX locks are per process and file).
    conn = connect_checked(db)
    try:
        migrate(conn, db)
    except ProjectError:
        conn.close()
        raise
    return db.parent, conn


def set_meta(conn: sqlite3.Connection, values: dict[str, str]) -> None:
    """Store (or replace) entries of ``meta`` inside the caller's transaction, e.g. where a
    coder's copy came from (``workbench.team``)."""
    conn.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", list(values.items()))


def settings(conn: sqlite3.Connection) -> dict[str, str]:
    """The project's stored settings: language, spaCy model, schema version, creator."""
    rows = conn.execute("SELECT key, value FROM meta").fetchall()
    return {**{r["key"]: r["value"] for r in rows}, "schema_version": str(SCHEMA_VERSION)}
