"""Each metric on a tiny hand-built log whose answers are worked out by hand below.

The log (times UTC = the site's clock; shifts 07:00 and 19:00), Monday 2025-03-03:

unit A: nurse n1 and charge nurse n2 sign on for the day shift, n3 for the night shift.
  a1 08:00 to n1, score 65, fresh inputs; acknowledged 08:10, assessed_no_action (10 min)
  a2 09:00 to n1, score 72, stale inputs; acknowledged 09:40, dismissed "ok"       (40 min)
  a3 18:50 to n2, score 61, fresh inputs; acknowledged 19:10, escalated_to_provider (20 min)
  a4 20:00 to n3, score 90, stale inputs; never acknowledged (overdue at 20:30); auto-page
  deterioration d1 on a1's patient at 14:00 (6 h after a1: alerted); d2 at 21:00 on a
  patient who never alerted (missed), after a nurse's own rapid response call at 21:00.
  The lab interface is down from 22:00 to 02:00 the next day (240 minutes).
unit B: nurse m1 signs on for the day shift.
  a5 10:00 to m1, score 63, fresh; acknowledged 10:05, dismissed "pain, analgesia given"
  deterioration d3 on a5's patient at 00:00 on 03-04, 14 h after a5: outside 12 h, missed.
"""

from __future__ import annotations

import pandas as pd
import pytest

from tests.logs.conftest import CANONICAL, write_csv
from workbench.errors import LogsError
from workbench.logs import connect, load
from workbench.logs import metrics as m


def _event(event_id, ts, event_type, **fields):
    return {"event_id": event_id, "ts": f"2025-03-{ts}", "event_type": event_type,
            **{k: None for k in CANONICAL["columns"] if k not in ("event_id", "ts",
                                                                  "event_type")}, **fields}


def _alert(name, ts, unit, nurse, score, stale, role="nurse"):
    return _event(f"{name}-fired", ts, "alert_fired", alert_id=name, entity_id=f"e{name[1]}",
                  unit=unit, actor_role=role, actor_id=nurse, score=score, threshold=60,
                  inputs_stale=stale)


def _ack(name, ts, unit, nurse, action, reason=None):
    return _event(f"{name}-ack", ts, "alert_acknowledged", alert_id=name,
                  entity_id=f"e{name[1]}", unit=unit, actor_role="nurse", actor_id=nurse,
                  action=action, reason=reason)


ROWS = [
    _event("s1", "03 07:05:00", "shift_started", unit="A", actor_role="nurse", actor_id="n1"),
    _event("s2", "03 07:06:00", "shift_started", unit="A", actor_role="charge_nurse",
           actor_id="n2"),
    _event("s3", "03 19:05:00", "shift_started", unit="A", actor_role="nurse", actor_id="n3"),
    _event("s4", "03 07:04:00", "shift_started", unit="B", actor_role="nurse", actor_id="m1"),
    _alert("a1", "03 08:00:00", "A", "n1", 65, "false"),
    _ack("a1", "03 08:10:00", "A", "n1", "assessed_no_action"),
    _alert("a2", "03 09:00:00", "A", "n1", 72, "true"),
    _ack("a2", "03 09:40:00", "A", "n1", "dismissed", "ok"),
    _alert("a3", "03 18:50:00", "A", "n2", 61, "false", role="charge_nurse"),
    _ack("a3", "03 19:10:00", "A", "n2", "escalated_to_provider"),
    _alert("a4", "03 20:00:00", "A", "n3", 90, "true"),
    _event("a4-overdue", "03 20:30:00", "alert_overdue", alert_id="a4", entity_id="e4",
           unit="A", actor_role="charge_nurse", actor_id="n9"),
    _event("r1", "03 20:00:30", "rapid_response_called", alert_id="a4", entity_id="e4",
           unit="A", actor_role="system", actor_id="lookout", action="auto_page"),
    _event("r2", "03 21:00:00", "rapid_response_called", entity_id="e9", unit="A",
           actor_role="nurse", actor_id="n3", action="nurse_call"),
    _event("d1", "03 14:00:00", "deterioration", entity_id="e1", unit="A",
           outcome="unplanned_icu_transfer"),
    _event("d2", "03 21:00:00", "deterioration", entity_id="e9", unit="A",
           outcome="rapid_response_call"),
    _event("i1", "03 22:00:00", "interface_down", entity_id="LAB", unit="A"),
    _event("i2", "04 02:00:00", "interface_up", entity_id="LAB", unit="A"),
    _alert("a5", "03 10:00:00", "B", "m1", 63, "false"),
    _ack("a5", "03 10:05:00", "B", "m1", "dismissed", "pain, analgesia given"),
    _event("d3", "04 00:00:00", "deterioration", entity_id="e5", unit="B",
           outcome="rapid_response_call"),
]


@pytest.fixture(scope="module")
def events(tmp_path_factory):
    from workbench import Project
    folder = tmp_path_factory.mktemp("hand")
    with Project.create(folder / "study", user="ana") as project:
        report = load(project, write_csv(folder / "log.csv", ROWS), CANONICAL)
        assert report.rows_rejected == 0
        table = connect(project)
        yield table
        table.get_backend().disconnect()


def _rows(frame, *columns):
    return [tuple(row) for row in frame[list(columns)].itertuples(index=False)]


def test_alert_volume(events):
    # A: a1-a4 on 03-03; B: a5.
    assert _rows(m.alert_volume(events), "unit", "alerts") == [("A", 4), ("B", 1)]


def test_alerts_per_nurse_shift(events):
    # A day shift: a1, a2, a3 (18:50 is still the day shift) over n1 and n2 = 1.5;
    # A night: a4 over n3 = 1.0; B day: a5 over m1 = 1.0.
    frame = m.alerts_per_nurse_shift(events, bucket="shift", by=("unit", "shift"))
    assert _rows(frame, "unit", "shift", "alerts", "nurse_shifts", "alerts_per_nurse_shift") == [
        ("A", "day", 3, 2, 1.5), ("B", "day", 1, 1, 1.0), ("A", "night", 1, 1, 1.0)]
    by_actor = m.alerts_per_nurse_shift(events, bucket="day", by="actor")
    assert dict(_rows(by_actor, "actor", "alerts")) == {"n1": 2, "n2": 1, "n3": 1, "m1": 1}


def test_time_to_acknowledge(events):
    # A: waits 10, 40, 20 (a4 never acknowledged): median 20; p90 by linear interpolation
    # at position 0.9 * (3 - 1) = 1.8 of [10, 20, 40]: 20 + 0.8 * 20 = 36. B: 5 and 5.
    frame = m.time_to_acknowledge(events)
    assert _rows(frame, "unit", "alerts", "acknowledged", "median_minutes", "p90_minutes") == [
        ("A", 4, 3, 20.0, pytest.approx(36.0)), ("B", 1, 1, 5.0, 5.0)]


def test_acknowledgement_rates(events):
    # A: 3 of 4 acknowledged; within 30 min a1 and a3 (2 of 4); escalated a3 (1 of 4).
    frame = m.acknowledgement_rates(events)
    assert _rows(frame, "unit", "acknowledged_rate", "within_target_rate",
                 "escalation_rate") == [("A", 0.75, 0.5, 0.25), ("B", 1.0, 1.0, 0.0)]
    # With a 45-minute target a2 (40 min) counts too: 3 of 4.
    assert m.acknowledgement_rates(events, target_minutes=45)["within_target_rate"][0] == 0.75


def test_dismissals_and_their_reasons(events):
    # A: a2 dismissed of 3 acknowledged, reason "ok" is one word; B: 1 of 1, several words.
    frame = m.dismissals(events)
    assert _rows(frame, "unit", "dismissed", "dismissal_rate", "one_word_share") == [
        ("A", 1, pytest.approx(1 / 3), 1.0), ("B", 1, 1.0, 0.0)]
    reasons = m.dismissal_reasons(events)
    assert _rows(reasons, "unit", "reason", "dismissals", "share") == [
        ("A", "ok", 1, 1.0), ("B", "pain, analgesia given", 1, 1.0)]


def test_stale_input_share(events):
    # A: a2 and a4 stale of 4; B: none.
    assert _rows(m.stale_input_share(events), "unit", "stale_alerts", "stale_share") == [
        ("A", 2, 0.5), ("B", 0, 0.0)]


def test_positive_predictive_value_and_sensitivity(events):
    # A: a1 is followed by d1 within 12 h: 1 of 4 alerts. B: d3 comes 14 h after a5: 0 of 1.
    ppv = m.positive_predictive_value(events)
    assert _rows(ppv, "unit", "alerts", "followed", "ppv") == [("A", 4, 1, 0.25),
                                                                ("B", 1, 0, 0.0)]
    # A: d1 alerted, d2 not; B: d3 not (the alert was 14 h before).
    sens = m.sensitivity(events)
    assert _rows(sens, "unit", "deteriorations", "alerted", "sensitivity") == [
        ("A", 2, 1, 0.5), ("B", 1, 0, 0.0)]
    # With a 15-hour window a5 reaches d3.
    assert m.sensitivity(events, horizon_hours=15)["alerted"].tolist() == [1, 1]


def test_missed_deteriorations(events):
    # d2 and d3 had no alert in the 12 h before: 2 of 3.
    frame = m.missed_deteriorations(events)
    assert _rows(frame, "deteriorations", "missed") == [(3, 2)]
    assert frame["missed_share"][0] == pytest.approx(2 / 3)


def test_rapid_response_calls(events):
    # A: the auto-page for a4 and n3's own call for e9 (no alert).
    assert _rows(m.rapid_response_calls(events), "unit", "calls", "auto_pages",
                 "without_alert") == [("A", 2, 1, 1)]


def test_downtime_is_split_over_the_days_it_spans(events):
    # 22:00 to 02:00: 120 minutes on 03-03 and 120 on 03-04.
    frame = m.downtime(events)
    assert _rows(frame, "unit", "downtime_minutes") == [("A", 120.0), ("A", 120.0)]
    assert frame["bucket_start"].dt.day.tolist() == [3, 4]
    by_shift = m.downtime(events, bucket="shift", by=("unit", "interface"))
    assert _rows(by_shift, "interface", "downtime_minutes") == [("LAB", 240.0)]


def test_hour_of_day_and_shift_keys(events):
    # a3 fired at 18:50 in the day shift; a4 at 20:00 in the night shift.
    frame = m.alert_volume(events, bucket="week", by=("shift", "hour_of_day"))
    assert _rows(frame, "shift", "hour_of_day", "alerts") == [
        ("day", 8, 1), ("day", 9, 1), ("day", 10, 1), ("day", 18, 1), ("night", 20, 1)]


def test_overview_puts_the_figures_side_by_side(events):
    frame = m.overview(events)
    row = frame.iloc[0]  # A on 03-03; A on 03-04 has only the night's downtime
    assert row["unit"] == "A"
    assert (row["alerts"], row["median_minutes"], row["dismissal_rate"]) == (
        4, 20.0, pytest.approx(1 / 3))
    assert frame["downtime_minutes"].tolist() == [120.0, 0.0, 120.0]


def test_options_outside_the_allowed_set_are_refused(events):
    with pytest.raises(LogsError,
                       match="WB-LOGS-020.*bucket 'year'.*hour, shift, day, week, month"):
        m.alert_volume(events, bucket="year")
    with pytest.raises(LogsError, match="WB-LOGS-021.*cannot group by 'ward'"):
        m.alert_volume(events, by="ward")
    with pytest.raises(LogsError, match="WB-LOGS-020.*alerts_per_nurse_shift.*'hour'"):
        m.alerts_per_nurse_shift(events, bucket="hour")


def test_a_month_bucket_starts_on_the_first_at_midnight_for_every_metric_that_takes_week(
        events):
    # Every event is on 3 or 4 March 2025 (site's clock), so every month bucket starts on
    # 2025-03-01 00:00 (issue 17); a metric that takes week must take month.
    for name, metric in m.METRICS.items():
        try:
            metric(events, bucket="week")
        except LogsError:
            continue
        frame = metric(events, bucket="month")
        assert set(pd.to_datetime(frame["bucket_start"])) == {pd.Timestamp("2025-03-01")}, name
    # The same counts as by day and week: A a1-a4, B a5; A's lab down 22:00-02:00 = 240 min.
    assert _rows(m.alert_volume(events, bucket="month"), "unit", "alerts") == [("A", 4), ("B", 1)]
    assert _rows(m.downtime(events, bucket="month"), "unit", "downtime_minutes") == [("A", 240.0)]


@pytest.mark.parametrize(("bucket", "expected"), [
    # One outage 12:00-13:00 inside one bucket of each kind: 60 minutes in it. Before, a
    # single bucket was taken to last 12 hours whatever its kind, so a day starting at 00:00
    # ended at 12:00 and this outage counted nothing.
    ("hour", [60.0]), ("day", [60.0]), ("week", [60.0]), ("month", [60.0]),
    ("shift", [60.0]),
])
def test_a_short_outage_in_a_single_bucket_is_counted(tmp_path, bucket, expected):
    from workbench import Project

    rows = [_event("d1", "12 12:00:00", "interface_down", entity_id="LAB", unit="A"),
            _event("u1", "12 13:00:00", "interface_up", entity_id="LAB", unit="A")]
    with Project.create(tmp_path / "study", user="ana") as project:
        load(project, write_csv(tmp_path / "log.csv", rows), CANONICAL)
        table = connect(project)
        try:
            frame = m.downtime(table, bucket=bucket)
        finally:
            table.get_backend().disconnect()
    assert frame["downtime_minutes"].tolist() == expected
