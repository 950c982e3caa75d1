"""The metrics are defined once and give the same numbers on DuckDB and on Spark."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from workbench.errors import LogsError
from workbench.logs import METRICS, compute, connect

#: Each metric with the bucket and keys it is run with on both engines.
SUITE = {
    name: {"bucket": "week", "by": ("unit",)} for name in METRICS
} | {
    "alerts_per_nurse_shift": {"bucket": "shift", "by": ("unit", "shift")},
    "time_to_acknowledge": {"bucket": "day", "by": ("unit", "shift")},
    "missed_deteriorations": {"bucket": "week", "by": ()},
    "dismissal_reasons": {"bucket": "week", "by": ("shift",)},
    "downtime": {"bucket": "hour", "by": ("unit", "interface")},
}


@pytest.fixture(scope="module")
def spark_events(riverside, spark, tmp_path_factory):
    """The Riverside events exported from DuckDB to Parquet and registered in Spark."""
    path = tmp_path_factory.mktemp("export") / "events.parquet"
    conn = duckdb.connect(str(riverside.path / "logs.duckdb"), read_only=True)
    try:
        conn.execute(f"COPY (SELECT * EXCLUDE (load_id, file_id, row) FROM events) TO '{path}' "
                     "(FORMAT parquet)")
    finally:
        conn.close()
    spark.read.parquet(str(path)).createOrReplaceTempView("events")
    return connect(spark)


@pytest.mark.spark
def test_the_metric_suite_gives_the_same_numbers_on_spark(riverside, spark_events):
    on_duckdb = connect(riverside)
    try:
        for name, options in SUITE.items():
            expected = compute(on_duckdb, name, **options)
            got = compute(spark_events, name, **options)
            assert len(expected) > 0, name
            pd.testing.assert_frame_equal(got, expected, check_dtype=False, obj=name)
    finally:
        on_duckdb.get_backend().disconnect()


def test_connect_refuses_what_it_cannot_use(tmp_path):
    with pytest.raises(LogsError, match="WB-LOGS-013.*has no logs yet"):
        connect(tmp_path)
    with pytest.raises(LogsError, match="WB-LOGS-030.*cannot use a int"):
        connect(3)


def test_a_warehouse_table_without_the_canonical_columns_is_refused():
    import ibis
    backend = ibis.duckdb.connect()
    backend.create_table("events", pd.DataFrame({"event_id": ["1"], "ts": ["x"]}))
    with pytest.raises(LogsError, match="WB-LOGS-031.*lacks the canonical column.*local_ts"):
        connect(backend)


def test_an_unknown_metric_lists_the_known_ones(riverside):
    with pytest.raises(LogsError, match="WB-LOGS-023.*unknown metric 'volume'.*alert_volume"):
        compute(riverside, "volume")
