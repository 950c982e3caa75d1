"""Log files as DuckDB scans, and the SQL that turns one into canonical columns.

A *source* is one CSV or JSON Lines file, or one Parquet file or folder of (partitioned)
Parquet files read as a single dataset. Every row keeps where it came from: the file and its
row number as a spreadsheet or an editor counts it. In a CSV file the header is row 1 and the
first data record row 2 (a spreadsheet's row; an editor's line too, unless a quoted value
spans lines); in JSON Lines row N is line N; in Parquet the N-th row of the file. (Inside a
load, ``_row`` counts data records from 1; the header is added in the ``row`` column.)
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.errors import LogsError
from workbench.logs import _times
from workbench.logs.events import COLUMNS, EVENT_TYPES, REQUIRED
from workbench.logs.mapping import Mapping

if TYPE_CHECKING:
    import duckdb

KINDS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl",
         ".parquet": "parquet"}
#: Prefix of the columns that carry a source value as read, to explain a reject in its words.
RAW = "raw:"
#: DuckDB's floating-point types: their values may be NaN or infinite, which are refused.
FLOATING = {"FLOAT", "DOUBLE"}
#: DuckDB's exact number types, which need no check on the way to a score or threshold.
EXACT = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT",
         "UINTEGER", "UBIGINT"}
NUMERIC = EXACT | FLOATING
#: Canonical columns that a value can fail to map into.
CHECKED = ("ts", "event_type", "unit", "actor_role", "action", "outcome", "inputs_stale",
           "score", "threshold")


@dataclass(frozen=True)
class Source:
    """One readable log: a file, or a folder of Parquet files read together."""

    path: Path
    kind: str

    @property
    def label(self) -> str:
        return self.path.name

    def scan(self, malformed: str | None = None) -> str:
        """A DuckDB table function reading the source, with ``_file`` and ``_row`` columns.

        A CSV record with more or fewer fields than the header is neither padded nor cut: it
        is left out and, given ``malformed`` (a table name), described in that table (DuckDB's
        ``store_rejects``; see :func:`columnar`). JSON text is never guessed to be a date
        (DuckDB would drop an offset): the mapping reads timestamps (:mod:`._times`).
        """
        where = quote(str(self.path))
        if self.kind == "csv":
            rejects = ("ignore_errors = true" if malformed is None else
                       f"store_rejects = true, rejects_table = {quote(malformed)}, "
                       f"rejects_scan = {quote(malformed + '_scan')}")
            return (f"(SELECT *, {where} AS _file, row_number() OVER () AS _row FROM "
                    f"read_csv({where}, header = true, all_varchar = true, {rejects}))")
        if self.kind == "jsonl":
            return (f"(SELECT *, {where} AS _file, row_number() OVER () AS _row FROM "
                    f"read_json({where}, format = 'newline_delimited', dateformat = '%%', "
                    "timestampformat = '%%'))")
        pattern = quote(str(self.path / "**" / "*.parquet")) if self.path.is_dir() else where
        return (f"(SELECT * EXCLUDE (filename, file_row_number), filename AS _file, "
                f"file_row_number + 1 AS _row FROM read_parquet({pattern}, filename = true, "
                "file_row_number = true, hive_partitioning = true))")

    def files(self) -> list[Path]:
        """The files behind the source, in a stable order."""
        if self.path.is_dir():
            return sorted(self.path.rglob("*.parquet"))
        return [self.path]

    def digest(self) -> str:
        """SHA-256 over the source's files (names and bytes), to recognise a reload."""
        digest = hashlib.sha256()
        for file in self.files():
            digest.update(file.name.encode())
            with file.open("rb") as handle:
                while block := handle.read(1 << 22):
                    digest.update(block)
        return digest.hexdigest()


def find_sources(paths) -> list[Source]:
    """Files and folders to sources. A folder holding Parquet files is one dataset; its CSV and
    JSON Lines files are sources of their own; other files in a folder are ignored."""
    paths = [paths] if isinstance(paths, str | Path) else list(paths)
    sources: list[Source] = []
    for path in map(Path, paths):
        if not path.exists():
            raise LogsError(8, f"{path} does not exist. Check the path of the log file or "
                            "folder.")
        if path.is_file():
            kind = KINDS.get(path.suffix.lower())
            if kind is None:
                raise LogsError(9, f"{path.name}: logs are read from .csv, .jsonl (.ndjson, "
                                ".json) or .parquet files. Export the log in one of these.")
            sources.append(Source(path.resolve(), kind))
            continue
        if any(path.rglob("*.parquet")):
            sources.append(Source(path.resolve(), "parquet"))
        sources += [Source(f.resolve(), KINDS[f.suffix.lower()]) for f in sorted(path.rglob("*"))
                    if f.is_file() and KINDS.get(f.suffix.lower()) in ("csv", "jsonl")]
    if not sources:
        raise LogsError(8, "no log files (.csv, .jsonl, .parquet) in "
                        f"{', '.join(map(str, paths))}.")
    return sources


def columns_of(conn: duckdb.DuckDBPyConnection, source: Source, mapping: Mapping
               ) -> dict[str, str]:
    """The source's columns and types; every column the mapping names must be among them."""
    import duckdb

    try:
        rows = conn.execute(f"DESCRIBE SELECT * FROM {source.scan()}").fetchall()
    except duckdb.Error as err:
        raise LogsError(11, f"{source.label} cannot be read as {source.kind}: "
                        f"{str(err).splitlines()[0]} Fix the file or export it again.") from err
    types = {name: kind for name, kind, *_ in rows}
    if source.kind == "csv":
        _refuse_repeated_names(conn, source)
    for canonical, column in mapping.columns.items():
        if column not in types:
            shown = ", ".join(c for c in types if not c.startswith("_"))
            raise LogsError(10, f"{source.label}: the mapping reads {canonical} from column "
                            f"'{column}', which this file lacks (its columns: {shown}). Fix "
                            f"columns.{canonical} in {mapping.source} or check the file.")
    return types


def _refuse_repeated_names(conn: duckdb.DuckDBPyConnection, source: Source) -> None:
    """Refuse a CSV header naming a column twice: DuckDB would rename the second one, and which
    of the two the mapping reads would be a guess. Names differing only in case count as the
    same (column names are not case-sensitive in SQL)."""
    header = conn.execute(f"SELECT * FROM read_csv({quote(str(source.path))}, header = false, "
                          "all_varchar = true) LIMIT 1").fetchone() or ()
    seen: dict[str, int] = {}
    for position, name in enumerate(header, start=1):
        key = (name or "").strip().lower()
        if key and key in seen:
            raise LogsError(15, f"{source.label}: the header names column '{name}' twice "
                            f"(fields {seen[key]} and {position}), so which one holds the "
                            "values is unclear. Rename one in the file and load it again.")
        seen[key] = position


def columnar(conn: duckdb.DuckDBPyConnection, source: Source, staged: Path, malformed: str
             ) -> str:
    """A scan of the source that is cheap to repeat: a Parquet source as it is; a CSV or JSON
    Lines file parsed once into the Parquet file ``staged`` (a load reads its rows four
    times, and parsing text is most of the cost of reading it).

    A CSV file's records with the wrong number of fields are described in the table
    ``malformed`` (see :func:`malformed_rows`); the rows read keep their record numbers.
    """
    import duckdb

    if source.kind == "parquet":
        return source.scan()
    try:
        conn.execute(f"COPY (SELECT * FROM {source.scan(malformed)}) TO {quote(str(staged))} "
                     "(FORMAT parquet)")
    except duckdb.Error as err:
        raise LogsError(11, f"{source.label} cannot be read as {source.kind}: "
                        f"{str(err).splitlines()[0]} Fix the file or export it again.") from err
    scan = f"read_parquet({quote(str(staged))})"
    if source.kind != "csv" or not _has_rows(conn, malformed):
        return scan
    # The k-th left-out record (record number r) follows r - k records that were read: a read
    # row numbered g follows every left-out record whose r - k is below g.
    return f"""(SELECT p.* REPLACE (p._row + coalesce(b.k, 0) AS _row) FROM {scan} p
        ASOF LEFT JOIN (SELECT before, max(k) AS k
                        FROM (SELECT line - 1 - row_number() OVER (ORDER BY line) AS before,
                                     row_number() OVER (ORDER BY line) AS k
                              FROM (SELECT DISTINCT line FROM {malformed}))
                        GROUP BY before) b
        ON p._row > b.before)"""


def _has_rows(conn: duckdb.DuckDBPyConnection, table: str) -> bool:
    import duckdb

    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] > 0
    except duckdb.CatalogException:
        return False


def malformed_rows(conn: duckdb.DuckDBPyConnection, source: Source, first_file: int,
                   malformed: str, fields: int) -> str | None:
    """SQL for a CSV file's records DuckDB could not split into the header's ``fields``
    fields, as staged rejects (``wrong_field_count``, or ``unreadable_row`` for a broken quote
    or bad UTF-8), each with its record number and the line as written; None if there are
    none. A record's row is DuckDB's line number, the header being row 1 (DuckDB counts a
    quoted line break as part of its record, as a spreadsheet does)."""
    if source.kind != "csv" or not _has_rows(conn, malformed):
        return None
    wrong = ("'MISSING COLUMNS'", "'TOO MANY COLUMNS'")
    return f"""SELECT {first_file} * 1099511627776 + line - 1 AS seq,
            CAST({first_file} AS INTEGER) AS file_id, line AS row,
            CASE WHEN error_type IN ({', '.join(wrong)}) THEN 'wrong_field_count'
                 ELSE 'unreadable_row' END AS problem,
            CASE WHEN error_type = 'MISSING COLUMNS'
                 THEN 'has fewer fields than the header ({fields}): a value or separator is '
                      || 'missing. Fix the row or export the file again; it was not padded.'
                 WHEN error_type = 'TOO MANY COLUMNS'
                 THEN 'has more fields than the header ({fields}): a separator inside a value '
                      || 'may lack its quotes. Fix the row or export the file again; it was '
                      || 'not cut.'
                 ELSE 'cannot be read (' || error_message || '). Fix the row or export the '
                      || 'file again.' END AS why,
            CAST(to_json(csv_line) AS VARCHAR) AS record
        FROM {malformed} QUALIFY row_number() OVER (PARTITION BY line ORDER BY byte_position) = 1"""


def staging_select(source: Source, first_file: int, mapping: Mapping, types: dict[str, str],
                   scan: str, malformed: str | None = None) -> str:
    """SQL reading one source (through ``scan``, see :func:`columnar`) in a single pass:
    canonical columns, where each row came from (seq, file_id, row: files are numbered from
    ``first_file`` in the order of :meth:`Source.files`), and the first problem of each row
    with its reason and, for a reject, the row as the site wrote it (``record``, JSON); with
    the ``malformed`` rows (:func:`malformed_rows`) added as rejects."""
    names = ", ".join(quote(str(f)) for f in source.files())
    file_id = (f"{first_file} - 1 + list_position([{names}], _file)" if source.path.is_dir()
               else str(first_file))
    header = 1 if source.kind == "csv" else 0  # a CSV header is row 1, as a spreadsheet counts
    rows = [f"({file_id}) * 1099511627776 + _row AS seq", f"CAST({file_id} AS INTEGER) AS "
            f"file_id", f"_row + {header} AS row"]
    for name, kind in COLUMNS.items():
        column = mapping.columns.get("ts" if name == "local_ts" else name)
        if column is None:
            rows.append(f"CAST(NULL AS {kind}) AS {name}")
            continue
        kind_of_source = types[column]
        if name == "local_ts":
            time = _event_time(_ident(column), kind_of_source, mapping)
            rows.append(f"{time.local_ts} AS local_ts")
            rows.append(f"{time.wall or 'CAST(NULL AS TIMESTAMP)'} AS _wall")
            continue
        rows.append(f"{_canonical(name, _ident(column), kind_of_source, mapping)} AS {name}")
        rows.append(f"{_ident(column)} AS {_ident(RAW + name)}")
    problem, why = problems_sql(mapping, types)
    canonical = ", ".join(
        "CASE WHEN event_type = 'alert_fired' THEN coalesce(alert_id, event_id) ELSE alert_id "
        "END AS alert_id" if name == "alert_id" else name for name in COLUMNS)
    select = (f"SELECT {canonical}, seq, file_id, row, problem, why, CASE WHEN problem IS NOT "
              f"NULL THEN {record_sql(mapping, raw=True)} END AS record "
              f"FROM (SELECT *, {problem} AS problem, {why} AS why "
              f"FROM (SELECT {', '.join(rows)} FROM {scan}))")
    return select if malformed is None else f"{select} UNION ALL BY NAME {malformed}"


def _canonical(name: str, column: str, kind: str, mapping: Mapping) -> str:
    text = f"NULLIF(TRIM(CAST({column} AS VARCHAR)), '')"
    if name == "ts":
        return _event_time(column, kind, mapping).ts
    if name in mapping.values:
        cases = " ".join(f"WHEN {quote(code)} THEN {_literal(value)}"
                         for code, value in mapping.values[name].items())
        return f"CASE {text} {cases} END"
    if name == "event_type":
        return f"CASE WHEN {text} IN ({', '.join(map(quote, EVENT_TYPES))}) THEN {text} END"
    if name in ("score", "threshold"):
        if _typed(name, kind, mapping):
            return f"CAST({column} AS DOUBLE)"
        number = column if kind in FLOATING else f"TRY_CAST({text} AS DOUBLE)"
        return f"CASE WHEN isfinite({number}) THEN CAST({number} AS DOUBLE) END"
    if name == "inputs_stale":
        return column if _typed(name, kind, mapping) else f"TRY_CAST({text} AS BOOLEAN)"
    return text


def _exact(kind: str) -> bool:
    return kind in EXACT or kind.startswith("DECIMAL")


def _typed(name: str, kind: str, mapping: Mapping) -> bool:
    """True if the source's type already guarantees the canonical one (no value can fail: a
    floating-point column can still hold NaN or infinity)."""
    if name in mapping.values:
        return False
    return (name in ("score", "threshold") and _exact(kind)) or (
        name == "inputs_stale" and kind == "BOOLEAN")


def _event_time(column: str, kind: str, mapping: Mapping) -> _times.EventTime:
    return _times.event_time(column, kind, mapping.timezone, mapping.timestamp_format,
                             quote)


def problems_sql(mapping: Mapping, types: dict[str, str]) -> tuple[str, str]:
    """SQL expressions for a row's first problem (a code) and its reason (a sentence), for a
    source whose columns have ``types``.

    A timestamp is bad when the wall-clock time cannot be read (the UTC time exists exactly
    when it does, and is dearer to compute); a column whose type already guarantees the value
    (a number, a boolean) is not checked.
    """
    checks: list[tuple[str, str, str]] = []
    for name in REQUIRED:
        column = mapping.columns[name]
        checks.append((f"NOT {_present(name, types[column])}", "missing_value",
                       quote(f"{column} is empty; {name} is required. Fill it in or remove "
                              "the row.")))
    expected = mapping.timestamp_format or ("ISO 8601, e.g. 2025-03-31 06:40:00, or with an "
                                            "offset, 2025-03-31 06:40:00-05:00")
    checks.append(("local_ts IS NULL", "bad_timestamp", _said(
        mapping.columns["ts"], _raw("ts"), f" is not a timestamp (expected {expected}).")))
    for condition, problem, tail in _times.clock_checks("_wall", mapping.timezone, quote):
        checks.append((condition, problem, _said(mapping.columns["ts"], _raw("ts"), tail)))
    for name in CHECKED[1:]:
        if name not in mapping.columns:
            continue
        column = mapping.columns[name]
        if _typed(name, types[column], mapping):
            continue
        problem = "unknown_event_type" if name == "event_type" else "unknown_value"
        if name in mapping.values:
            known = ", ".join(list(mapping.values[name])[:12])
            tail = f" is not in values.{name} of the mapping (it knows {known}). Add it there."
        elif name == "event_type":
            tail = f" is not an event type (known: {', '.join(EVENT_TYPES)})."
        elif name == "inputs_stale":
            tail = " is not true or false."
        elif name in ("score", "threshold"):
            tail = " is not a number (NaN and infinity are refused)."
        else:
            continue
        checks.append((f"{_present(name, types[column])} AND {name} IS NULL", problem,
                       _said(column, _raw(name), tail)))
    problem = "CASE " + " ".join(f"WHEN {c} THEN {quote(p)}" for c, p, _ in checks) + " END"
    reason = "CASE " + " ".join(f"WHEN {c} THEN {r}" for c, _, r in checks) + " END"
    return problem, reason


def _present(name: str, kind: str) -> str:
    """SQL true when the source gave a value for ``name`` (text that is not blank)."""
    if kind in NUMERIC or kind.startswith(("TIMESTAMP", "DATE", "BOOLEAN")):
        return f"({_ident(RAW + name)} IS NOT NULL)"
    text = _ident(RAW + name) if kind == "VARCHAR" else _raw(name)
    return f"(NULLIF(TRIM({text}), '') IS NOT NULL)"


def record_sql(mapping: Mapping, *, raw: bool) -> str:
    """SQL building a row's JSON record under the site's column names: the values as read
    (``raw``) or, for a row found wanting only after mapping, its canonical values."""
    pairs = [f"{quote(column)}, {_raw(name) if raw else f'CAST({name} AS VARCHAR)'}"
             for name, column in mapping.columns.items()]
    return f"CAST(json_object({', '.join(pairs)}) AS VARCHAR)"


def _raw(name: str) -> str:
    return f"CAST({_ident(RAW + name)} AS VARCHAR)"


def _said(column: str, raw: str, tail: str) -> str:
    """SQL for the sentence ``COLUMN 'value' tail`` about one row."""
    head, rest = quote(column + " '"), quote("'" + tail)
    return f"{head} || {raw} || {rest}"


def _literal(value) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return quote(str(value))


def quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
