"""The logs database (``logs.duckdb`` in the project folder): opening it and its migrations.

DuckDB runs with a memory limit and a spill folder next to the database, so a log larger than
memory is loaded and measured by spilling to disk rather than by exhausting the machine.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.errors import LogsError
from workbench.logs.events import COLUMNS

if TYPE_CHECKING:
    import duckdb

DB_NAME = "logs.duckdb"
#: DuckDB's memory budget (buffer pool) unless the caller gives another; it spills beyond it.
MEMORY_LIMIT = "2GB"

_EVENTS = ", ".join(f"{name} {kind}" for name, kind in COLUMNS.items())


def _v1_tables(conn: duckdb.DuckDBPyConnection) -> None:
    conn.execute(f"CREATE TABLE events ({_EVENTS}, load_id INTEGER NOT NULL)")
    conn.execute("""
        CREATE TABLE loads (
            load_id INTEGER PRIMARY KEY, loaded_at TIMESTAMPTZ NOT NULL, actor VARCHAR NOT NULL,
            files VARCHAR NOT NULL, mapping VARCHAR NOT NULL, replace BOOLEAN NOT NULL,
            rows_read BIGINT NOT NULL, rows_loaded BIGINT NOT NULL, rows_rejected BIGINT NOT NULL)
    """)
    conn.execute("""
        CREATE TABLE rejects (
            load_id INTEGER NOT NULL, file VARCHAR NOT NULL, row BIGINT NOT NULL,
            problem VARCHAR NOT NULL, reason VARCHAR NOT NULL, record VARCHAR)
    """)


def _v2_provenance(conn: duckdb.DuckDBPyConnection) -> None:
    """Each event's file and row (events loaded before this migration have none)."""
    conn.execute("ALTER TABLE events ADD COLUMN file_id INTEGER")
    conn.execute("ALTER TABLE events ADD COLUMN row BIGINT")
    conn.execute("""
        CREATE TABLE source_files (
            load_id INTEGER NOT NULL, file_id INTEGER NOT NULL, file VARCHAR NOT NULL,
            PRIMARY KEY (load_id, file_id))
    """)


#: Numbered migrations, each applied once in its own transaction with its row in `migrations`.
MIGRATIONS: tuple[Callable[[duckdb.DuckDBPyConnection], None], ...] = (_v1_tables,
                                                                      _v2_provenance)


def connect(folder: Path, *, memory_limit: str = MEMORY_LIMIT,
            read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (creating and migrating if needed) the logs database in a project folder."""
    import duckdb

    config = {"memory_limit": memory_limit,
              "temp_directory": str(folder / "logs.duckdb.tmp"),
              "preserve_insertion_order": True}
    try:
        conn = duckdb.connect(str(folder / DB_NAME), read_only=read_only, config=config)
    except duckdb.IOException as err:
        raise busy(folder, err) from err
    if not read_only:
        migrate(conn)
    return conn


def busy(folder: Path, err: duckdb.Error) -> Exception:
    """The error for a logs database another process holds (DuckDB locks the file while a
    load or another kernel has it open for writing), or ``err`` unchanged for any other
    failure to open it."""
    if "lock" not in str(err).lower():
        return err
    return LogsError(16, f"the logs in {folder} are busy: another process (a load running in "
                     "another notebook, kernel or terminal) has logs.duckdb open. Retry when "
                     "that load finishes.")


def migrate(conn: duckdb.DuckDBPyConnection) -> None:
    """Apply the migrations the database has not seen yet, each in one transaction."""
    conn.execute("CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY, "
                 "applied_at TIMESTAMPTZ DEFAULT current_timestamp)")
    done = {row[0] for row in conn.execute("SELECT version FROM migrations").fetchall()}
    for version, step in enumerate(MIGRATIONS, start=1):
        if version in done:
            continue
        conn.execute("BEGIN TRANSACTION")
        try:
            step(conn)
            conn.execute("INSERT INTO migrations (version) VALUES (?)", [version])
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")


def latest_mapping(conn: duckdb.DuckDBPyConnection) -> dict | None:
    """The mapping (as plain data) used by the most recent load, or None before any load."""
    row = conn.execute("SELECT mapping FROM loads ORDER BY load_id DESC LIMIT 1").fetchone()
    return json.loads(row[0]) if row else None
