"""Fixtures for the logs tests: a canonical mapping, small log files, the Riverside example
loaded once, and one local Spark session shared by the whole run."""

from __future__ import annotations

import csv
import json
import os
import sys
from pathlib import Path

import pytest

from tests.conftest import RIVERSIDE
from workbench import Project
from workbench.logs import load

#: A mapping for test files written with canonical column names (times in UTC).
CANONICAL = {
    "timezone": "UTC",
    "columns": {name: name for name in (
        "event_id", "ts", "event_type", "entity_id", "alert_id", "unit", "actor_role",
        "actor_id", "score", "threshold", "inputs_stale", "action", "reason", "outcome",
        "comment")},
}
RIVERSIDE_LOGS = RIVERSIDE / "logs"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "spark: needs a local Spark session (pyspark, Java)")


def write_csv(path: Path, rows: list[dict]) -> Path:
    """Write rows as a CSV file with a header, as a site's export would be."""
    path.parent.mkdir(parents=True, exist_ok=True)
    columns = list(dict.fromkeys(key for row in rows for key in row))
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    """Write rows as JSON Lines, leaving out keys whose value is None."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps({k: v for k, v in row.items() if v is not None}) + "\n"
                            for row in rows), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def riverside(tmp_path_factory) -> Project:
    """A project holding the committed Riverside example logs (loaded once per run)."""
    folder = tmp_path_factory.mktemp("riverside")
    project = Project.create(folder / "study", user="example")
    load(project, RIVERSIDE_LOGS / "events", RIVERSIDE_LOGS / "mapping.yaml")
    yield project
    project.close()


@pytest.fixture(scope="session")
def spark(tmp_path_factory):
    """One local Spark session for the whole test run (starting one takes ~15 s)."""
    pyspark = pytest.importorskip("pyspark.sql")
    warehouse = tmp_path_factory.mktemp("spark-warehouse")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    session = (pyspark.SparkSession.builder.master("local[2]").appName("workbench-tests")
               .config("spark.sql.session.timeZone", "UTC")
               .config("spark.sql.shuffle.partitions", "2")
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.warehouse.dir", str(warehouse))
               .config("spark.driver.extraJavaOptions", f"-Dderby.system.home={warehouse}")
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
