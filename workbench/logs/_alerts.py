"""Building blocks of the metrics, as Ibis expressions over the canonical events table.

Nothing here runs a query: each function returns an expression, which Ibis compiles to the
SQL of whatever engine holds the events (DuckDB, Spark, Trino, BigQuery, Postgres).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from workbench.errors import LogsError
from workbench.logs.mapping import Shifts

if TYPE_CHECKING:
    import ibis.expr.types as ir

#: A grouping key or several.
By = str | Sequence[str]
#: Shift times used unless the caller passes the site's own (07:00 and 19:00).
SITE_SHIFTS = Shifts()
#: Keys an alert can be grouped by, and keys for events that belong to a place, not a person.
ALERT_KEYS = ("unit", "role", "actor", "shift", "hour_of_day")
PLACE_KEYS = ("unit", "shift", "hour_of_day")

#: Time buckets: the site's wall-clock hour, shift (day or night, starting at the mapping's
#: shift times), calendar day, ISO week (starting on Monday 00:00), or calendar month
#: (starting on its first day at 00:00), all on the site's clock.
BUCKETS = ("hour", "shift", "day", "week", "month")
#: Grouping keys and the column each is read from; ``shift`` (day/night) and ``hour_of_day``
#: (0-23) come from the local time, so patterns by time of day can be seen across weeks.
KEYS = ("unit", "role", "actor", "shift", "hour_of_day", "interface")
_SOURCE = {"unit": "unit", "role": "actor_role", "actor": "actor_id", "interface": "entity_id"}


def check_options(bucket: str, by: Sequence[str], *, buckets: Sequence[str] = BUCKETS,
                  keys: Sequence[str] = KEYS[:-1], metric: str) -> tuple[str, ...]:
    """Refuse a bucket or a key the metric does not support, listing the allowed ones."""
    if bucket not in buckets:
        raise LogsError(20, f"{metric}: bucket '{bucket}' is not supported; choose one of "
                        f"{', '.join(buckets)}.")
    by = (by,) if isinstance(by, str) else tuple(by)
    for key in by:
        if key not in keys:
            raise LogsError(21, f"{metric}: cannot group by '{key}'; choose from "
                            f"{', '.join(keys)}.")
    return by


def shift_is_day(local: ir.TimestampValue, shifts: Shifts) -> ir.BooleanValue:
    minute = local.hour() * 60 + local.minute()
    return (minute >= shifts.day_minute) & (minute < shifts.night_minute)


def bucket_start(local: ir.TimestampValue, bucket: str, shifts: Shifts) -> ir.TimestampValue:
    """The local time at which the bucket holding ``local`` starts.

    A shift belongs to the date on which it starts: 02:00 on 1 April is in the night shift
    that started on 31 March at 19:00.
    """
    import ibis

    if bucket == "hour":
        return local.truncate("h")
    if bucket == "day":
        return local.truncate("D")
    if bucket == "week":
        return local.truncate("W")
    if bucket == "month":
        return local.truncate("M")
    base = (local - ibis.interval(minutes=shifts.day_minute)).truncate("D")
    return ibis.ifelse(shift_is_day(local, shifts),
                       base + ibis.interval(minutes=shifts.day_minute),
                       base + ibis.interval(minutes=shifts.night_minute))


def grouped(table: ir.Table, local: str, bucket: str, by: Sequence[str], shifts: Shifts
            ) -> ir.Table:
    """``table`` with ``bucket_start`` and one column per grouping key, named as the key."""
    import ibis

    moment = table[local]
    columns = {"bucket_start": bucket_start(moment, bucket, shifts)}
    for key in by:
        if key == "shift":
            columns[key] = ibis.ifelse(shift_is_day(moment, shifts), "day", "night")
        elif key == "hour_of_day":
            columns[key] = moment.hour()
        else:
            columns[key] = table[_SOURCE[key]]
    return table.mutate(**columns)


def alerts(events: ir.Table) -> ir.Table:
    """One row per alert: when and where it fired, to whom, and its first acknowledgement.

    Columns: alert_id, entity_id, ts, local_ts, unit, actor_role, actor_id, score, threshold,
    inputs_stale, acknowledged_ts, action, reason, wait_minutes (fired to first
    acknowledgement, from the UTC times; null when never acknowledged).
    """
    import ibis

    fired = events.filter(events.event_type == "alert_fired").select(
        "alert_id", "entity_id", "ts", "local_ts", "unit", "actor_role", "actor_id", "score",
        "threshold", "inputs_stale")
    acks = events.filter(events.event_type == "alert_acknowledged")
    first = acks.mutate(n=ibis.row_number().over(group_by=acks.alert_id, order_by=acks.ts))
    first = first.filter(first.n == 0).select(
        "alert_id", acknowledged_ts=first.ts, action=first.action, reason=first.reason)
    joined = fired.left_join(first, "alert_id").select(fired, "acknowledged_ts", "action",
                                                       "reason")
    wait = (joined.acknowledged_ts.epoch_seconds() - joined.ts.epoch_seconds()) / 60
    return joined.mutate(wait_minutes=wait)


def deteriorations_alerted(events: ir.Table, horizon_hours: float) -> ir.Table:
    """One row per deterioration, with ``alerted``: was an alert fired on the same entity in
    the ``horizon_hours`` before it (the countermetric's window; P12: twelve hours)?"""
    import ibis

    deteriorations = events.filter(events.event_type == "deterioration").select(
        "event_id", "entity_id", "unit", "local_ts", at=events.ts.epoch_seconds())
    fired = events.filter(events.event_type == "alert_fired").select(
        fired_entity=events.entity_id, fired_at=events.ts.epoch_seconds())
    window = horizon_hours * 3600
    hits = deteriorations.join(fired, [
        deteriorations.entity_id == fired.fired_entity,
        fired.fired_at < deteriorations.at, fired.fired_at >= deteriorations.at - window,
    ]).select("event_id").distinct()
    hits = hits.mutate(alerted=ibis.literal(True))
    return deteriorations.left_join(hits, "event_id").select(
        deteriorations, alerted=ibis.coalesce(hits.alerted, False))


def alerts_followed(events: ir.Table, horizon_hours: float) -> ir.Table:
    """:func:`alerts` with ``followed``: did a deterioration of the same entity follow within
    ``horizon_hours``?"""
    import ibis

    table = alerts(events)
    outcomes = events.filter(events.event_type == "deterioration").select(
        outcome_entity=events.entity_id, outcome_at=events.ts.epoch_seconds())
    fired_at = table.ts.epoch_seconds()
    hits = table.join(outcomes, [
        table.entity_id == outcomes.outcome_entity,
        outcomes.outcome_at > fired_at, outcomes.outcome_at <= fired_at + horizon_hours * 3600,
    ]).select("alert_id").distinct().mutate(followed=ibis.literal(True))
    return table.left_join(hits, "alert_id").select(
        table, followed=ibis.coalesce(hits.followed, False))


def ratio(numerator: ir.NumericValue, denominator: ir.NumericValue) -> ir.FloatingValue:
    """numerator / denominator, null (not an error) when the denominator is zero."""
    return numerator / denominator.nullif(0)


def execute(expression: ir.Table, by: Sequence[str]) -> pd.DataFrame:
    """Run ``expression`` on its engine; sort by bucket and keys; same dtypes on every engine."""
    frame = expression.to_pandas()
    order = ["bucket_start", *by]
    frame = frame.sort_values(order, kind="stable", ignore_index=True)
    frame["bucket_start"] = pd.to_datetime(frame["bucket_start"]).astype("datetime64[us]")
    for column in frame.columns:
        if pd.api.types.is_integer_dtype(frame[column]):
            frame[column] = frame[column].astype("int64")
        elif pd.api.types.is_float_dtype(frame[column]):
            frame[column] = frame[column].astype("float64")
        elif column in ("unit", "role", "actor", "shift", "interface", "reason"):
            frame[column] = frame[column].astype(object)
    return frame
