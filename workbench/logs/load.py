"""Loading log files into the project's ``logs.duckdb``: validated, all at once or not at all.

Every row of every file ends up in exactly one of two tables: ``events`` (canonical columns,
see :mod:`workbench.logs.events`) or ``rejects`` (file, row, problem, reason and the row as the
site wrote it). The checks, in the order a row is tested:

``missing_value``
    event id, timestamp or event type is empty.
``bad_timestamp``
    the timestamp cannot be read with the mapping's format.
``unknown_event_type`` / ``unknown_value``
    a code the mapping's ``values`` table does not list, a score that is not a number.
``duplicate_event_id``
    an event id seen earlier in this load (the first one is kept) or in an earlier load.
``out_of_order``
    an answer to an alert (delivered, opened, acknowledged, overdue) timestamped before the
    alert fired: a clock or export error that would make a negative time to acknowledge.

A load is one DuckDB transaction: the files are staged, checked, and only then added to (or,
with ``replace=True``, swapped in for) the events, so a failure half-way, a file that cannot be
read, or an interrupted process leaves the previous logs exactly as they were.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from workbench.errors import LogsError
from workbench.logs import _sources, _store
from workbench.logs.events import ALERT_RESPONSES, COLUMNS
from workbench.logs.mapping import Mapping, read_mapping

__all__ = ["LoadReport", "load", "load_files", "loads", "rejects"]

_RESPONSES = ", ".join(f"'{name}'" for name in ALERT_RESPONSES)
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
        conn.execute("BEGIN TRANSACTION")
        try:
            report = _load(conn, sources, types, mapping, digests, actor, replace)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        return report
    finally:
        conn.close()


def _refuse_reload(conn: duckdb.DuckDBPyConnection, digests: dict[str, str]) -> None:
    for load_id, files in conn.execute("SELECT load_id, files FROM loads").fetchall():
        for earlier in json.loads(files):
            for label, digest in digests.items():
                if earlier["sha256"] == digest:
                    raise LogsError(12, f"{label} was already loaded (load {load_id}, as "
                                    f"{earlier['file']}). Loading it again would reject every "
                                    "row as a duplicate; to start over use replace=True "
                                    "(--replace).")


def _load(conn, sources, types, mapping: Mapping, digests, actor: str, replace: bool
          ) -> LoadReport:
    load_id = conn.execute("SELECT coalesce(max(load_id), 0) + 1 FROM loads").fetchone()[0]
    _stage(conn, sources, types, mapping)
    if replace:
        conn.execute("DELETE FROM events")
        conn.execute("DELETE FROM rejects")
    earlier = conn.execute("SELECT EXISTS (SELECT 1 FROM events)").fetchone()[0]
    _check_duplicates(conn, mapping, earlier=earlier)
    if "alert_id" not in mapping.columns:
        _derive_alert_ids(conn)
    _check_order(conn, mapping, earlier=earlier)
    columns = ", ".join(COLUMNS)
    conn.execute(f"INSERT INTO events SELECT {columns}, {load_id} FROM _staging "
                 "WHERE problem IS NULL")
    conn.execute(f"INSERT INTO rejects SELECT {load_id}, name, row, problem, why, "
                 f"coalesce(record, {_sources.record_sql(mapping, raw=False)}) FROM _staging "
                 "JOIN _files USING (file_id) WHERE problem IS NOT NULL ORDER BY seq")
    counts = dict(conn.execute("SELECT coalesce(problem, ''), count(*) FROM _staging "
                               "GROUP BY ALL ORDER BY 2 DESC").fetchall())
    messages = tuple(f"{Path(file).name} row {row}: {reason}" for file, row, reason in
                     conn.execute("SELECT name, row, why FROM _staging JOIN _files USING "
                                  "(file_id) WHERE problem IS NOT NULL ORDER BY seq LIMIT "
                                  f"{SHOWN}").fetchall())
    conn.execute("DROP TABLE _staging")
    conn.execute("DROP TABLE _files")
    loaded = counts.pop("", 0)
    rejected = sum(counts.values())
    files = [{"file": str(s.path), "sha256": digests[s.label]} for s in sources]
    conn.execute("INSERT INTO loads VALUES (?, current_timestamp, ?, ?, ?, ?, ?, ?, ?)",
                 [load_id, actor, json.dumps(files), json.dumps(mapping.as_dict()), replace,
                  loaded + rejected, loaded, rejected])
    return LoadReport(load_id, tuple(s.label for s in sources), loaded + rejected, loaded,
                      rejected, counts, messages)


def _stage(conn, sources, types, mapping: Mapping) -> None:
    # Rows carry a file number, not the file's name: ten million copies of a path are not free.
    conn.execute("CREATE TEMP TABLE _files (file_id INTEGER, name VARCHAR)")
    selects, first = [], 1
    for source, kinds in zip(sources, types, strict=True):
        files = source.files()
        conn.executemany("INSERT INTO _files VALUES (?, ?)",
                         [[first + i, str(f)] for i, f in enumerate(files)])
        selects.append(_sources.staging_select(source, first, mapping, kinds))
        first += len(files)
    union = " UNION ALL BY NAME ".join(selects)
    try:
        conn.execute(f"CREATE TEMP TABLE _staging AS {union}")
    except duckdb.Error as err:
        raise LogsError(11, f"the log files cannot be read: {str(err).splitlines()[0]} Fix "
                        "the file named there or export it again.") from err


def _check_duplicates(conn, mapping: Mapping, *, earlier: bool) -> None:
    # Grouping ten million 64-bit hashes is far cheaper than grouping the ids themselves; the
    # few ids whose hash repeats are then compared exactly.
    column = mapping.columns["event_id"]
    conn.execute("""
        CREATE TEMP TABLE _repeated AS
        SELECT r.*, f.name AS first_file FROM (
            SELECT event_id, min(seq) AS first_seq, arg_min(file_id, seq) AS file_id,
                   arg_min(row, seq) AS first_row
            FROM _staging
            WHERE problem IS NULL AND hash(event_id) IN (
                SELECT hash(event_id) FROM _staging WHERE problem IS NULL
                GROUP BY ALL HAVING count(*) > 1)
            GROUP BY event_id HAVING count(*) > 1) r JOIN _files f USING (file_id)
    """)
    conn.execute(f"""
        UPDATE _staging s SET problem = 'duplicate_event_id',
            why = '{column} ''' || s.event_id || ''' repeats '
                     || regexp_extract(d.first_file, '[^/\\\\]+$') || ' row '
                     || d.first_row || '; the first one was loaded.'
        FROM _repeated d
        WHERE s.event_id = d.event_id AND s.seq > d.first_seq AND s.problem IS NULL
    """)
    conn.execute("DROP TABLE _repeated")
    if earlier:
        conn.execute(f"""
            UPDATE _staging s SET problem = 'duplicate_event_id',
                why = '{column} ''' || s.event_id || ''' was already loaded (load '
                         || e.load_id || ').'
            FROM events e WHERE s.event_id = e.event_id AND s.problem IS NULL
        """)


def _derive_alert_ids(conn) -> None:
    conn.execute(f"""
        UPDATE _staging s SET alert_id = d.alert_id
        FROM (SELECT seq, last_value(CASE WHEN event_type = 'alert_fired' THEN event_id END
                                     IGNORE NULLS) OVER (PARTITION BY entity_id
                                     ORDER BY ts, seq ROWS UNBOUNDED PRECEDING) AS alert_id
              FROM _staging
              WHERE problem IS NULL AND event_type IN ('alert_fired', {_RESPONSES})) d
        WHERE s.seq = d.seq AND s.event_type IN ({_RESPONSES})
    """)


def _check_order(conn, mapping: Mapping, *, earlier: bool) -> None:
    # As for duplicates: find the alerts answered before they fired by their ids' hashes,
    # then compare times exactly for those alerts only.
    relevant = f"problem IS NULL AND event_type IN ('alert_fired', {_RESPONSES})"
    fired = ("SELECT alert_id, event_type, ts, local_ts FROM _staging WHERE " + relevant
             + (" UNION ALL SELECT alert_id, event_type, ts, local_ts FROM events "
                "WHERE event_type = 'alert_fired'" if earlier else ""))
    conn.execute(f"""
        CREATE TEMP TABLE _early AS
        SELECT alert_id, min(ts) FILTER (WHERE event_type = 'alert_fired') AS fired_utc,
               min(local_ts) FILTER (WHERE event_type = 'alert_fired') AS fired
        FROM ({fired})
        WHERE hash(alert_id) IN (
            SELECT hash(alert_id) FROM ({fired}) GROUP BY ALL
            HAVING min(ts) FILTER (WHERE event_type <> 'alert_fired')
                   < min(ts) FILTER (WHERE event_type = 'alert_fired'))
        GROUP BY alert_id
    """)
    column = mapping.columns["ts"]
    conn.execute(f"""
        UPDATE _staging s SET problem = 'out_of_order',
            why = s.event_type || ' at ' || strftime(s.local_ts, '%Y-%m-%d %H:%M:%S')
                     || ' ({column}) answers alert ''' || s.alert_id || ''', which fired later, at '
                     || strftime(f.fired, '%Y-%m-%d %H:%M:%S') || '. Check the clock or export.'
        FROM _early f
        WHERE s.alert_id = f.alert_id AND s.problem IS NULL
          AND s.event_type IN ({_RESPONSES}) AND s.ts < f.fired_utc
    """)
    conn.execute("DROP TABLE _early")


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
