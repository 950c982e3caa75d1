"""Log files as DuckDB scans, and the SQL that turns one into canonical columns.

A *source* is one CSV or JSON Lines file, or one Parquet file or folder of (partitioned)
Parquet files read as a single dataset. Every row keeps where it came from: the file and its
row number, counted from 1 over data records (in a CSV file the header is not counted, so row 1
is line 2; in JSON Lines row N is line N; in Parquet the N-th row of the file).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import duckdb

from workbench.errors import LogsError
from workbench.logs.events import COLUMNS, EVENT_TYPES, REQUIRED
from workbench.logs.mapping import Mapping

KINDS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl",
         ".parquet": "parquet"}
#: Prefix of the columns that carry a source value as read, to explain a reject in its words.
RAW = "raw:"
#: DuckDB's number types, which need no check on the way to a score or threshold.
NUMERIC = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT",
           "UINTEGER", "UBIGINT", "FLOAT", "DOUBLE"}
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

    def scan(self) -> str:
        """A DuckDB table function reading the source, with ``_file`` and ``_row`` columns."""
        where = quote(str(self.path))
        if self.kind == "csv":
            return (f"(SELECT *, {where} AS _file, row_number() OVER () AS _row FROM "
                    f"read_csv({where}, header = true, all_varchar = true, null_padding = true))")
        if self.kind == "jsonl":
            return (f"(SELECT *, {where} AS _file, row_number() OVER () AS _row FROM "
                    f"read_json({where}, format = 'newline_delimited'))")
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
    try:
        rows = conn.execute(f"DESCRIBE SELECT * FROM {source.scan()}").fetchall()
    except duckdb.Error as err:
        raise LogsError(11, f"{source.label} cannot be read as {source.kind}: "
                        f"{str(err).splitlines()[0]} Fix the file or export it again.") from err
    types = {name: kind for name, kind, *_ in rows}
    for canonical, column in mapping.columns.items():
        if column not in types:
            shown = ", ".join(c for c in types if not c.startswith("_"))
            raise LogsError(10, f"{source.label}: the mapping reads {canonical} from column "
                            f"'{column}', which this file lacks (its columns: {shown}). Fix "
                            f"columns.{canonical} in {mapping.source} or check the file.")
    return types


def columnar(conn: duckdb.DuckDBPyConnection, source: Source, staged: Path) -> str:
    """A scan of the source that is cheap to repeat: a Parquet source as it is; a CSV or JSON
    Lines file parsed once into the Parquet file ``staged`` (a load reads its rows four
    times, and parsing text is most of the cost of reading it)."""
    if source.kind == "parquet":
        return source.scan()
    try:
        conn.execute(f"COPY (SELECT * FROM {source.scan()}) TO {quote(str(staged))} "
                     "(FORMAT parquet)")
    except duckdb.Error as err:
        raise LogsError(11, f"{source.label} cannot be read as {source.kind}: "
                        f"{str(err).splitlines()[0]} Fix the file or export it again.") from err
    return f"read_parquet({quote(str(staged))})"


def staging_select(source: Source, first_file: int, mapping: Mapping, types: dict[str, str],
                   scan: str) -> str:
    """SQL reading one source (through ``scan``, see :func:`columnar`) in a single pass:
    canonical columns, where each row came from (seq, file_id, row: files are numbered from
    ``first_file`` in the order of :meth:`Source.files`), and the first problem of each row
    with its reason and, for a reject, the row as the site wrote it (``record``, JSON)."""
    names = ", ".join(quote(str(f)) for f in source.files())
    file_id = (f"{first_file} - 1 + list_position([{names}], _file)" if source.path.is_dir()
               else str(first_file))
    rows = [f"({file_id}) * 1099511627776 + _row AS seq", f"CAST({file_id} AS INTEGER) AS "
            "file_id", "_row AS row"]
    for name, kind in COLUMNS.items():
        column = mapping.columns.get("ts" if name == "local_ts" else name)
        if column is None:
            rows.append(f"CAST(NULL AS {kind}) AS {name}")
            continue
        kind_of_source = types[column]
        if name == "local_ts":
            rows.append(f"{_local(_ident(column), kind_of_source, mapping)} AS local_ts")
            continue
        rows.append(f"{_canonical(name, _ident(column), kind_of_source, mapping)} AS {name}")
        rows.append(f"{_ident(column)} AS {_ident(RAW + name)}")
    problem, why = problems_sql(mapping, types)
    canonical = ", ".join(
        "CASE WHEN event_type = 'alert_fired' THEN coalesce(alert_id, event_id) ELSE alert_id "
        "END AS alert_id" if name == "alert_id" else name for name in COLUMNS)
    return (f"SELECT {canonical}, seq, file_id, row, problem, why, CASE WHEN problem IS NOT NULL "
            f"THEN {record_sql(mapping, raw=True)} END AS record "
            f"FROM (SELECT *, {problem} AS problem, {why} AS why "
            f"FROM (SELECT {', '.join(rows)} FROM {scan}))")


def _canonical(name: str, column: str, kind: str, mapping: Mapping) -> str:
    text = f"NULLIF(TRIM(CAST({column} AS VARCHAR)), '')"
    if name == "ts":
        return _timestamp(column, kind, mapping)
    if name in mapping.values:
        cases = " ".join(f"WHEN {quote(code)} THEN {_literal(value)}"
                         for code, value in mapping.values[name].items())
        return f"CASE {text} {cases} END"
    if name == "event_type":
        return f"CASE WHEN {text} IN ({', '.join(map(quote, EVENT_TYPES))}) THEN {text} END"
    if name in ("score", "threshold"):
        return (f"CAST({column} AS DOUBLE)" if _typed(name, kind, mapping)
                else f"TRY_CAST({text} AS DOUBLE)")
    if name == "inputs_stale":
        return column if _typed(name, kind, mapping) else f"TRY_CAST({text} AS BOOLEAN)"
    return text


def _numeric(kind: str) -> bool:
    return kind in NUMERIC or kind.startswith("DECIMAL")


def _typed(name: str, kind: str, mapping: Mapping) -> bool:
    """True if the source's type already guarantees the canonical one (no value can fail)."""
    if name in mapping.values:
        return False
    return (name in ("score", "threshold") and _numeric(kind)) or (
        name == "inputs_stale" and kind == "BOOLEAN")


def _timestamp(column: str, kind: str, mapping: Mapping) -> str:
    """The event time in UTC: a local wall-clock time is placed in the mapping's time zone."""
    if kind == "TIMESTAMP WITH TIME ZONE":
        return column
    return f"timezone({quote(mapping.timezone)}, {_local(column, kind, mapping)})"


def _local(column: str, kind: str, mapping: Mapping) -> str:
    """The event time on the site's wall clock (parsed text, or the source's own timestamp)."""
    if kind == "TIMESTAMP WITH TIME ZONE":
        return f"timezone({quote(mapping.timezone)}, {column})"
    if kind.startswith("TIMESTAMP") or kind == "DATE":
        return f"CAST({column} AS TIMESTAMP)"
    text = f"NULLIF(TRIM(CAST({column} AS VARCHAR)), '')"
    return (f"try_strptime({text}, {quote(mapping.timestamp_format)})"
            if mapping.timestamp_format else f"TRY_CAST({text} AS TIMESTAMP)")


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
    expected = mapping.timestamp_format or "ISO 8601, e.g. 2025-03-31 06:40:00"
    checks.append(("local_ts IS NULL", "bad_timestamp", _said(
        mapping.columns["ts"], _raw("ts"), f" is not a timestamp (expected {expected}).")))
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
            tail = " is not a number."
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
