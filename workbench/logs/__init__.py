"""Deployment logs: load a site's event logs, validate them, and measure the deployment.

A YAML mapping (:mod:`~workbench.logs.mapping`) turns the site's columns and codes into the
canonical events table (:mod:`~workbench.logs.events`); :func:`load` validates the files and
stores them in the project's ``logs.duckdb`` with every failing row kept in ``rejects``;
the metrics (:mod:`~workbench.logs.metrics`, and :mod:`~workbench.logs.outcomes` for those
against patient outcomes) are defined once as Ibis expressions and run on DuckDB or, through
:func:`connect`, on the warehouse where the logs live.
"""

from workbench.logs.backends import compute, connect
from workbench.logs.charts import metric_chart, timeline_marks
from workbench.logs.events import COLUMNS, EVENT_TYPES
from workbench.logs.load import LoadReport, load, load_files, loads, rejects
from workbench.logs.mapping import Mapping, Shifts, read_mapping
from workbench.logs.metrics import (
    METRICS,
    acknowledgement_rates,
    alert_volume,
    alerts_per_nurse_shift,
    dismissal_reasons,
    dismissals,
    downtime,
    overview,
    stale_input_share,
    time_to_acknowledge,
)
from workbench.logs.outcomes import (
    missed_deteriorations,
    positive_predictive_value,
    rapid_response_calls,
    sensitivity,
)

__all__ = [
    "COLUMNS",
    "EVENT_TYPES",
    "METRICS",
    "LoadReport",
    "Mapping",
    "Shifts",
    "acknowledgement_rates",
    "alert_volume",
    "alerts_per_nurse_shift",
    "compute",
    "connect",
    "dismissal_reasons",
    "dismissals",
    "downtime",
    "load",
    "load_files",
    "loads",
    "metric_chart",
    "missed_deteriorations",
    "overview",
    "positive_predictive_value",
    "rapid_response_calls",
    "read_mapping",
    "rejects",
    "sensitivity",
    "stale_input_share",
    "time_to_acknowledge",
    "timeline_marks",
]
