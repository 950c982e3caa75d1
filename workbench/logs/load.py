"""Loading log files into the project's ``logs.duckdb``: validated, all at once or not at all.

Every row of every file ends up in exactly one of two tables: ``events`` (canonical columns,
see :mod:`workbench.logs.events`) or ``rejects`` (file, row, problem, reason and the row as the
site wrote it). The checks, in the order a row is tested:

``wrong_field_count`` / ``unreadable_row``
    a CSV record with more or fewer fields than the header, or one that cannot be split.
``missing_value``
    event id, timestamp or event type is empty.
``bad_timestamp``
    the timestamp cannot be read with the mapping's format.
``nonexistent_time`` / ``ambiguous_time``
    a wall-clock time the zone's clocks skipped, or showed twice (see
    :mod:`workbench.logs._times`).
``unknown_event_type`` / ``unknown_value``
    a code the mapping's ``values`` table does not list, a score that is not a (finite)
    number.
``duplicate_event_id``
    an event id seen earlier in this load (the first one is kept) or in an earlier load.
``out_of_order``
    an answer to an alert (delivered, opened, acknowledged, overdue) timestamped before the
    alert fired: a clock or export error that would make a negative time to acknowledge.

A load is one DuckDB transaction: the rows are checked, then written to ``events`` (each with its
file, listed in ``source_files``, and row) or ``rejects``; with ``replace=True`` the earlier
events and rejects are deleted first. Until the commit nobody sees any of it, so a failure
half-way, a file that cannot be read, or an interrupted process leaves the previous logs exactly
as they were.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from workbench.errors import LogsError
from workbench.logs import _sources, _store, _times
from workbench.logs.events import ALERT_RESPONSES, COLUMNS
from workbench.logs.mapping import Mapping, read_mapping

if TYPE_CHECKING:
    import duckdb

__all__ = ["LoadReport", "load", "load_files", "loads", "rejects"]

_RESPONSES = ", ".join(f"'{name}'" for name in ALERT_RESPONSES)
#: The load's scratch folder in the project folder (see :func:`_scratch`).
SCRATCH = "logs.load.tmp"
#: How many reject messages a report shows; all of them are in the rejects table.
SHOWN = 20


@dataclass(frozen=True)
class LoadReport:
    """What one load did: counts, rejects by problem, and the first reject messages."""

    load_id: int
    files: tuple[str, ...]
    rows_read: int
    rows_loaded: int
    rows_rejected: int
    rejected_by_problem: dict[str, int] = field(default_factory=dict)
    messages: tuple[str, ...] = ()

    def __str__(self) -> str:
        lines = [f"load {self.load_id}: {self.rows_loaded:,} of {self.rows_read:,} rows loaded "
                 f"from {', '.join(self.files)}; {self.rows_rejected:,} rejected"]
        lines += [f"  {problem}: {n:,}" for problem, n in self.rejected_by_problem.items()]
        lines += [f"  - {message}" for message in self.messages]
        if self.rows_rejected > len(self.messages):
            lines.append("  (all rejects: workbench.logs.rejects(project))")
        return "\n".join(lines)


def load(project, paths, mapping, *, replace: bool = False) -> LoadReport:
    """Load log files into ``project``'s logs database, acting as ``project.user``.

    See :func:`load_files` for the parameters.
    """
    return load_files(project.path, paths, mapping, actor=project.user, replace=replace)


def load_files(folder: str | Path, paths, mapping: str | Path | dict | Mapping, *, actor: str,
               replace: bool = False, memory_limit: str = _store.MEMORY_LIMIT) -> LoadReport:
    """Validate log files and add their rows to ``events`` (or ``rejects``) in one transaction.

    Parameters
    ----------
    folder : the project folder holding (or to hold) ``logs.duckdb``.
    paths : a file or folder, or a list of them: CSV, JSON Lines, Parquet, or a folder of
        (hive-partitioned) Parquet files read as one dataset.
    mapping : a YAML file, dict or :class:`~workbench.logs.mapping.Mapping`.
    actor : who loads, recorded in the ``loads`` table.
    replace : start over: the new rows replace all events and rejects loaded before.
    memory_limit : DuckDB's memory budget; larger logs spill to disk.

    Returns
    -------
    LoadReport

    Raises
    ------
    LogsError
        A bad mapping, a missing or unreadable file, a column the mapping names that a file
        lacks, or a file already loaded. Nothing is changed.
    """
    mapping = read_mapping(mapping)
    sources = _sources.find_sources(paths)
    conn = _store.connect(Path(folder), memory_limit=memory_limit)
    try:
        digests = {s.label: s.digest() for s in sources}
        if not replace:
            _refuse_reload(conn, digests)
        types = [_sources.columns_of(conn, s, mapping) for s in sources]
        scratch = _scratch(Path(folder))
        conn.execute("BEGIN TRANSACTION")
        try:
            report = _load(conn, sources, types, mapping, digests, actor, replace, scratch)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        return report
    finally:
        # Before the lock is let go: the next holder's scratch folder has the same name.
        shutil.rmtree(Path(folder) / SCRATCH, ignore_errors=True)
        conn.close()


def _scratch(folder: Path) -> Path:
    """An empty scratch folder for the load's parsed text files, beside the database (where
    DuckDB spills too: the room a big load needs is there). One fixed name, emptied first: a
    load killed before it could clean up (kill -9, a crashed kernel) leaves its files for the
    next load to remove, never a pile of them. Only the holder of the database's lock calls
    this, so no other load is using it."""
    scratch = folder / SCRATCH
    if scratch.exists():
        shutil.rmtree(scratch)
    scratch.mkdir()
    return scratch


def _refuse_reload(conn: duckdb.DuckDBPyConnection, digests: dict[str, str]) -> None:
    for load_id, files in conn.execute("SELECT load_id, files FROM loads").fetchall():
        for earlier in json.loads(files):
            for label, digest in digests.items():
                if earlier["sha256"] == digest:
                    raise LogsError(12, f"{label} was already loaded (load {load_id}, as "
                                    f"{earlier['file']}). Loading it again would reject every "
                                    "row as a duplicate; to start over use replace=True "
                                    "(--replace).")


def _load(conn, sources, types, mapping: Mapping, digests, actor: str, replace: bool,
          scratch: Path) -> LoadReport:
    import duckdb

    load_id = conn.execute("SELECT coalesce(max(load_id), 0) + 1 FROM loads").fetchone()[0]
    if replace:
        conn.execute("DELETE FROM events")
        conn.execute("DELETE FROM rejects")
    _stage(conn, sources, types, mapping, load_id, scratch)
    _hold(conn)
    _check_duplicates(conn, mapping, load_id)
    _check_order(conn, mapping)
    columns = ", ".join(COLUMNS)
    insert = (f"INSERT INTO events ({columns}, load_id, file_id, row) SELECT {columns}, "
              f"{load_id}, file_id, row FROM")
    try:
        loaded = conn.execute(f"{insert} _staged WHERE problem IS NULL AND NOT ({_HELD})"
                              ).fetchone()[0]
    except duckdb.Error as err:
        raise _unreadable(err) from err
    loaded += conn.execute(f"{insert} _held WHERE problem IS NULL ORDER BY seq").fetchone()[0]
    rejected_rows = ("FROM _held JOIN source_files USING (file_id) WHERE problem IS NOT NULL "
                     f"AND load_id = {load_id} ORDER BY seq")
    conn.execute(f"INSERT INTO rejects SELECT {load_id}, file, row, problem, why, coalesce("
                 f"record, {_sources.record_sql(mapping, raw=False)}) {rejected_rows}")
    counts = dict(conn.execute("SELECT problem, count(*) FROM _held WHERE problem IS NOT NULL "
                               "GROUP BY ALL ORDER BY 2 DESC, 1").fetchall())
    messages = tuple(f"{Path(file).name} row {row}: {reason}" for file, row, reason in
                     conn.execute(f"SELECT file, row, why {rejected_rows} LIMIT {SHOWN}"
                                  ).fetchall())
    conn.execute("DROP VIEW _staged")
    for name in ("_held", "_repeated_ids", "_early_alerts", _times.CLOCK_CHANGES):
        conn.execute(f"DROP TABLE {name}")
    for n in range(len(sources)):  # DuckDB's record of malformed CSV records (see _stage)
        conn.execute(f"DROP TABLE IF EXISTS _malformed_{n}")
        conn.execute(f"DROP TABLE IF EXISTS _malformed_{n}_scan")
    rejected = sum(counts.values())
    files = [{"file": str(s.path), "sha256": digests[s.label]} for s in sources]
    conn.execute("INSERT INTO loads VALUES (?, current_timestamp, ?, ?, ?, ?, ?, ?, ?)",
                 [load_id, actor, json.dumps(files), json.dumps(mapping.as_dict()), replace,
                  loaded + rejected, loaded, rejected])
    return LoadReport(load_id, tuple(s.label for s in sources), loaded + rejected, loaded,
                      rejected, counts, messages)


#: The staged rows a check may reject: those whose event id's hash repeats, and every row of
#: an alert whose hash shows an answer before the alert (see :func:`_hold`).
_HELD = ("hash(event_id) IN (SELECT h FROM _repeated_ids) OR (alert_id IS NOT NULL AND "
         "hash(alert_id) IN (SELECT h FROM _early_alerts))")


def _unreadable(err: duckdb.Error) -> LogsError:
    return LogsError(11, f"the log files cannot be read: {str(err).splitlines()[0]} Fix the "
                     "file named there or export it again.")


def _stage(conn, sources, types, mapping: Mapping, load_id: int, scratch: Path) -> None:
    """Number the files (``source_files``) and define ``_staged``: every row of every file
    in canonical columns with its first row-level problem, read afresh by each query.

    Nothing is materialised: a hundred million staged rows would spill to disk uncompressed
    and be read back by every check. Rows are read instead from the (compressed, columnar)
    files a few times: twice for the hashes that find candidates for the checks that need the
    whole load, once for the rows a check may reject (``_hold``), once into ``events``. CSV
    and JSON Lines files are parsed once, into Parquet in ``scratch``, for that.
    """
    _times.create_clock_changes(conn, mapping.timezone)
    selects, first = [], 1
    for n, (source, kinds) in enumerate(zip(sources, types, strict=True)):
        files = source.files()
        conn.executemany("INSERT INTO source_files VALUES (?, ?, ?)",
                         [[load_id, first + i, str(f)] for i, f in enumerate(files)])
        malformed = f"_malformed_{n}"
        scan = _sources.columnar(conn, source, scratch / f"source-{n}.parquet", malformed)
        selects.append(_sources.staging_select(
            source, first, mapping, kinds, scan,
            _sources.malformed_rows(conn, source, first, malformed, len(kinds) - 2)))
        first += len(files)
    union = " UNION ALL BY NAME ".join(selects)
    if "alert_id" not in mapping.columns:
        union = _derived_alert_ids(union)
    conn.execute(f"CREATE TEMP VIEW _staged AS {union}")


def _derived_alert_ids(staged: str) -> str:
    """Staged rows where each answer to an alert carries the id of the alert that fired last
    before it for the same patient (for sites whose log has no alert id)."""
    return f"""
        SELECT * REPLACE (CASE WHEN event_type IN ({_RESPONSES}) THEN
            last_value(CASE WHEN problem IS NULL AND event_type = 'alert_fired' THEN event_id
                       END IGNORE NULLS) OVER (PARTITION BY entity_id ORDER BY ts, seq
                                               ROWS UNBOUNDED PRECEDING)
            ELSE alert_id END AS alert_id)
        FROM ({staged})
    """


def _hold(conn) -> None:
    """Set aside the rows a whole-load check may reject, and those failing a row check.

    Grouping ten million 64-bit hashes is far cheaper than grouping the ids themselves: the
    event ids whose hash repeats (in this load or against earlier loads; counting rows that
    fail a row check too, which costs less than checking them) and the alerts whose hash shows
    an answer before the alert fired are found first; their rows, few, are then checked exactly
    in ``_held``. An alert with a possibly repeated row is held whole, since rejecting a repeat
    can change when it fired.
    """
    import duckdb

    try:
        conn.execute("""
            CREATE TEMP TABLE _repeated_ids AS
            SELECT hash(event_id) AS h
            FROM (SELECT event_id FROM _staged WHERE event_id IS NOT NULL
                  UNION ALL SELECT event_id FROM events)
            GROUP BY ALL HAVING count(*) > 1
        """)
        conn.execute(f"""
            CREATE TEMP TABLE _early_alerts AS
            SELECT hash(alert_id) AS h
            FROM (SELECT alert_id, event_type, ts FROM _staged
                  WHERE problem IS NULL AND event_type IN ('alert_fired', {_RESPONSES})
                    AND hash(event_id) NOT IN (SELECT h FROM _repeated_ids)
                  UNION ALL SELECT alert_id, event_type, ts FROM events
                  WHERE event_type = 'alert_fired')
            GROUP BY ALL
            HAVING min(ts) FILTER (WHERE event_type <> 'alert_fired')
                   < min(ts) FILTER (WHERE event_type = 'alert_fired')
            UNION
            SELECT DISTINCT hash(alert_id) FROM _staged
            WHERE alert_id IS NOT NULL AND hash(event_id) IN (SELECT h FROM _repeated_ids)
        """)
        conn.execute(f"CREATE TEMP TABLE _held AS SELECT * FROM _staged "
                     f"WHERE problem IS NOT NULL OR {_HELD}")
    except duckdb.Error as err:
        raise _unreadable(err) from err


def _check_duplicates(conn, mapping: Mapping, load_id: int) -> None:
    """Reject the repeats of an event id, keeping the first (of an earlier load, or in file
    and row order in this one)."""
    said = f"{_sources.quote(mapping.columns['event_id'] + ' ' + chr(39))} || s.event_id || "
    conn.execute(f"""
        UPDATE _held s SET problem = 'duplicate_event_id',
            why = CASE WHEN d.load_id IS NOT NULL
                       THEN {said} ''' was already loaded (load ' || d.load_id || ').'
                       ELSE {said} ''' repeats ' || regexp_extract(f.file, '[^/\\\\]+$')
                            || ' row ' || d.first_row || '; the first one was loaded.' END
        FROM (SELECT h.event_id, min(e.load_id) AS load_id, arg_min(h.file_id, h.seq) AS
                     file_id, arg_min(h.row, h.seq) AS first_row, min(h.seq) AS first_seq
              FROM _held h LEFT JOIN events e USING (event_id)
              WHERE h.problem IS NULL AND hash(h.event_id) IN (SELECT h FROM _repeated_ids)
              GROUP BY h.event_id) d
        JOIN source_files f ON f.file_id = d.file_id
                           AND f.load_id = {load_id}
        WHERE s.event_id = d.event_id AND s.problem IS NULL
          AND (d.load_id IS NOT NULL OR s.seq > d.first_seq)
    """)


def _check_order(conn, mapping: Mapping) -> None:
    """Reject answers to an alert timestamped before the alert fired (in this load or an
    earlier one)."""
    relevant = f"problem IS NULL AND event_type IN ('alert_fired', {_RESPONSES})"
    column = mapping.columns["ts"]
    conn.execute(f"""
        UPDATE _held s SET problem = 'out_of_order',
            why = s.event_type || ' at ' || strftime(s.local_ts, '%Y-%m-%d %H:%M:%S') ||
                  {_sources.quote(f' ({column}) answers alert ' + chr(39))} || s.alert_id ||
                  ''', which fired later, at ' || strftime(f.fired, '%Y-%m-%d %H:%M:%S') ||
                  '. Check the clock or export.'
        FROM (SELECT alert_id, min(ts) FILTER (WHERE event_type = 'alert_fired') AS fired_utc,
                     min(local_ts) FILTER (WHERE event_type = 'alert_fired') AS fired
              FROM (SELECT alert_id, event_type, ts, local_ts FROM _held WHERE {relevant}
                    UNION ALL SELECT alert_id, event_type, ts, local_ts FROM events
                    WHERE event_type = 'alert_fired'
                      AND hash(alert_id) IN (SELECT h FROM _early_alerts))
              GROUP BY alert_id) f
        WHERE s.alert_id = f.alert_id AND s.problem IS NULL
          AND s.event_type IN ({_RESPONSES}) AND s.ts < f.fired_utc
    """)


def rejects(project, *, load_id: int | None = None) -> pd.DataFrame:
    """Rows that failed validation: load_id, file, row, problem, reason, record (site's JSON)."""
    return _query(project, "SELECT * FROM rejects"
                  + ("" if load_id is None else f" WHERE load_id = {int(load_id)}")
                  + " ORDER BY load_id, file, row")


def loads(project) -> pd.DataFrame:
    """Every load: load_id, loaded_at, actor, files and mapping (JSON), replace, row counts."""
    return _query(project, "SELECT * FROM loads ORDER BY load_id")


def _query(project, sql: str) -> pd.DataFrame:
    if not (Path(project.path) / _store.DB_NAME).exists():
        raise LogsError(13, f"{project.path} has no logs yet. Load some with "
                        "project.load_logs(paths, mapping) or `workbench logs load`.")
    conn = _store.connect(Path(project.path))
    try:
        return conn.execute(sql).df()
    finally:
        conn.close()
