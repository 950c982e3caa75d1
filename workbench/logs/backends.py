"""Where the events live: the project's DuckDB file by default, or any engine Ibis speaks to.

A health system's alert logs often sit in a warehouse (Spark/Databricks, Trino, BigQuery,
Postgres) and are too big to copy out. The metrics are Ibis expressions over the canonical
events table, so they run there unchanged: :func:`connect` returns that table, and every
function of :mod:`workbench.logs.metrics` takes it. The warehouse table must have the canonical
columns (:mod:`workbench.logs.events`); a view that renames the site's columns is enough.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from workbench.errors import LogsError
from workbench.logs import _store
from workbench.logs.events import COLUMNS
from workbench.logs.mapping import Shifts, read_mapping
from workbench.logs.metrics import METRICS

if TYPE_CHECKING:
    import ibis.expr.types as ir

__all__ = ["compute", "connect", "has_logs", "site_shifts"]


def connect(source=None, *, table: str = "events", memory_limit: str = _store.MEMORY_LIMIT
            ) -> ir.Table:
    """The canonical events table on an engine, as an Ibis table for the metrics.

    Parameters
    ----------
    source : one of
        - a :class:`~workbench.Project` or a project folder: its ``logs.duckdb``, read-only;
        - a ``pyspark.sql.SparkSession``: the table ``table`` in Spark's catalog;
        - an Ibis backend (``ibis.trino.connect(...)``, ``ibis.bigquery.connect(...)``,
          ``ibis.postgres.connect(...)``, ...): its table ``table``.
    table : the events table's name on a warehouse.
    memory_limit : DuckDB's memory budget (DuckDB spills to disk beyond it).

    Returns
    -------
    ibis Table with the canonical columns. Close its engine with
    ``events.get_backend().disconnect()`` when done.
    """
    import ibis

    if source is None:
        raise LogsError(30, "connect() needs a project, a project folder, a Spark session or "
                        "an Ibis backend.")
    if isinstance(source, str | Path) or hasattr(source, "path"):
        return _duckdb(Path(getattr(source, "path", source)), memory_limit)
    if type(source).__name__ == "SparkSession":
        source = ibis.pyspark.connect(source)
    if not hasattr(source, "table"):
        raise LogsError(30, f"connect() cannot use a {type(source).__name__}; give a project, "
                        "a Spark session or an Ibis backend.")
    return _checked(source.table(table), table)


def _duckdb(folder: Path, memory_limit: str) -> ir.Table:
    import duckdb
    import ibis

    database = folder / _store.DB_NAME
    if not database.exists():
        raise LogsError(13, f"{folder} has no logs yet. Load some with "
                        "project.load_logs(paths, mapping) or `workbench logs load`.")
    try:
        backend = ibis.duckdb.connect(str(database), read_only=True, memory_limit=memory_limit,
                                      temp_directory=str(folder / "logs.duckdb.tmp"))
    except duckdb.IOException as err:
        raise _store.busy(folder, err) from err
    return backend.table("events")


def _checked(events: ir.Table, name: str) -> ir.Table:
    missing = [column for column in COLUMNS if column not in events.columns]
    if missing:
        raise LogsError(31, f"table {name} lacks the canonical column(s) {', '.join(missing)}. "
                        "Create a view that renames your columns to the canonical names "
                        "(see workbench.logs.events).")
    return events


def compute(source, metric: str = "overview", *, bucket: str = "day", by=("unit",),
            **options) -> pd.DataFrame:
    """One metric on a project's logs (or on an events table from :func:`connect`).

    Parameters
    ----------
    source : a Project, a project folder, or an Ibis events table.
    metric : a name from :data:`workbench.logs.metrics.METRICS` (default: ``overview``).
    bucket, by : time bucket and grouping keys, as each metric documents.
    options : the metric's own keyword options (``horizon_hours``, ``target_minutes``,
        ``top``, ``shifts``). A project's shift times come from its latest load's mapping.

    Returns
    -------
    DataFrame : the metric's tidy table.
    """
    import ibis.expr.types as ir

    if metric not in METRICS:
        raise LogsError(23, f"unknown metric '{metric}'; choose one of {', '.join(METRICS)}.")
    if isinstance(source, ir.Table):
        return METRICS[metric](source, bucket=bucket, by=by, **options)
    events = connect(source)
    try:
        options.setdefault("shifts", site_shifts(events))
        return METRICS[metric](events, bucket=bucket, by=by, **options)
    finally:
        events.get_backend().disconnect()


def site_shifts(events: ir.Table) -> Shifts:
    """The shift times of the mapping of the latest load (07:00 and 19:00 without one)."""
    import ibis

    loads = events.get_backend().table("loads")
    latest = loads.order_by(ibis.desc(loads.load_id)).limit(1).mapping.to_pandas()
    return read_mapping(json.loads(latest.iloc[0])).shifts if len(latest) else Shifts()


def has_logs(folder: str | Path) -> bool:
    """Whether the project folder holds deployment logs (a ``logs.duckdb``)."""
    return (Path(folder) / _store.DB_NAME).exists()
