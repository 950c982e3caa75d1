"""Opening the project database and running units of work in one transaction."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import count
from pathlib import Path

DB_NAME = "project.sqlite"

#: How long a writer waits for another process's transaction before giving up (ms). Two coders'
#: kernels share one project; their writes are short, an import's final copy a few seconds.
BUSY_TIMEOUT_MS = 60_000

_savepoints = count()


def connect(path: Path) -> sqlite3.Connection:
    """Open ``path`` in autocommit mode with WAL, foreign keys and a busy timeout.

    Autocommit (``isolation_level=None``) leaves transaction control to :func:`atomic`, which
    issues ``BEGIN IMMEDIATE`` so that a writer takes the lock before it reads what it will
    change: two processes can then never both read, both write and lose one update.
    """
    conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    return conn


@contextmanager
def atomic(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """Run the block as one transaction: all of it is stored, or none of it.

    Nested calls become savepoints, so a public operation built from smaller ones still
    commits once. Any exception rolls back to where the block began and is re-raised.
    """
    if conn.in_transaction:
        name = f"wb_sp_{next(_savepoints)}"
        conn.execute(f"SAVEPOINT {name}")
        try:
            yield conn
        except BaseException:
            conn.execute(f"ROLLBACK TO {name}")
            conn.execute(f"RELEASE {name}")
            raise
        conn.execute(f"RELEASE {name}")
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
