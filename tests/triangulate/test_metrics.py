"""Every column a triangulation can ask for is really a column of the metric said to give it."""

from __future__ import annotations

import pytest

from tests.triangulate.conftest import load_alerts
from workbench.logs import connect
from workbench.logs.mapping import Shifts
from workbench.logs.metrics import METRICS
from workbench.triangulate import METRIC_COLUMNS
from workbench.triangulate.metrics import metric_cells


@pytest.fixture
def events(project, tmp_path):
    """A day on 4N with every kind of event a metric reads, loaded from a CSV export."""
    load_alerts(project, tmp_path, [("2025-03-04 08:00:00", "4N", True),
                                    ("2025-03-04 20:00:00", "4N")], others=[
        {"event_id": "s0", "ts": "2025-03-04 07:05:00", "event_type": "shift_started",
         "unit": "4N", "actor_role": "nurse", "actor_id": "n1"},
        {"event_id": "k0", "ts": "2025-03-04 08:10:00", "event_type": "alert_acknowledged",
         "entity_id": "enc0", "alert_id": "a0", "unit": "4N", "actor_role": "nurse",
         "actor_id": "n1", "action": "dismissed", "reason": "known"},
        {"event_id": "r0", "ts": "2025-03-04 10:00:00", "event_type": "rapid_response_called",
         "entity_id": "enc0", "unit": "4N", "actor_role": "nurse", "actor_id": "n1",
         "action": "nurse_call"},
        {"event_id": "d0", "ts": "2025-03-04 10:00:00", "event_type": "deterioration",
         "entity_id": "enc0", "unit": "4N", "outcome": "rapid_response_call"},
        {"event_id": "i0", "ts": "2025-03-04 23:00:00", "event_type": "interface_down",
         "entity_id": "LAB", "unit": "4N"},
        {"event_id": "i1", "ts": "2025-03-05 01:00:00", "event_type": "interface_up",
         "entity_id": "LAB", "unit": "4N"}])
    table = connect(project)
    yield table
    table.get_backend().disconnect()


def test_every_metric_column_is_a_column_of_its_metric(events):
    outputs = {metric: set(METRICS[metric](events, bucket="day", by=("unit",),
                                           shifts=Shifts()).columns)
               for metric in sorted(set(METRIC_COLUMNS.values()))}
    missing = {column: metric for column, metric in METRIC_COLUMNS.items()
               if column not in outputs[metric]}
    assert missing == {}


def test_every_metric_column_can_be_asked_for(events):
    cells = metric_cells(events, list(METRIC_COLUMNS), period="day", by=("unit",),
                         shifts=Shifts())
    assert list(cells.columns) == ["bucket_start", "unit", *METRIC_COLUMNS]
    # Counted by hand from the log above. 4N on 2025-03-04: 2 alerts, 1 stale; 1
    # acknowledged, by dismissal; 1 deterioration (after a0: alerted); the lab interface down
    # from 23:00 to midnight (60 minutes). On 2025-03-05 only its last 60 minutes (no alert:
    # the alert metrics are empty, NaN, shown as -1).
    assert cells[["alerts", "stale_alerts", "stale_share", "dismissed", "deteriorations",
                  "alerted", "downtime_minutes"]].fillna(-1).values.tolist() == [
        [2, 1, 0.5, 1, 1, 1, 60], [-1, -1, -1, -1, -1, -1, 60]]
