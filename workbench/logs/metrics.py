"""Deployment metrics, each defined once over the canonical events table.

Every metric takes an Ibis table of canonical events (from :func:`workbench.logs.connect`:
DuckDB by default, or Spark, Trino, BigQuery, Postgres) and returns a tidy pandas DataFrame:
one row per time bucket and grouping key, columns ``bucket_start`` (the bucket's start on the
site's wall clock), the grouping keys (``unit``, ``role``, ``actor``, ``shift``, ``hour_of_day``),
then the metric's own columns, documented below. Buckets: ``hour``, ``shift``, ``day``,
``week`` (from Monday 00:00), ``month`` (from the first at 00:00). Alerts are placed in the
bucket in which they fired, whenever they were answered.

The metrics against patient outcomes (positive predictive value, sensitivity, missed
deteriorations, rapid response calls) are in :mod:`workbench.logs.outcomes`; :data:`METRICS`
names them all.

Validated against: hand counts on small event tables (tests/logs/test_metrics.py), and the same
numbers from DuckDB and from Spark on the Riverside example (tests/logs/test_backends.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pandas as pd

from workbench.logs._alerts import (
    ALERT_KEYS,
    SITE_SHIFTS,
    By,
    alerts,
    check_options,
    execute,
    grouped,
    ratio,
)
from workbench.logs.events import NURSE_ROLES
from workbench.logs.mapping import Shifts
from workbench.logs.outcomes import (
    missed_deteriorations,
    positive_predictive_value,
    rapid_response_calls,
    sensitivity,
)

if TYPE_CHECKING:
    import ibis.expr.types as ir

__all__ = [
    "METRICS",
    "acknowledgement_rates",
    "alert_volume",
    "alerts_per_nurse_shift",
    "dismissal_reasons",
    "dismissals",
    "downtime",
    "overview",
    "stale_input_share",
    "time_to_acknowledge",
]


def alert_volume(events: ir.Table, *, bucket: str = "day", by: By = ("unit",),
                 shifts: Shifts = SITE_SHIFTS) -> pd.DataFrame:
    """Alerts fired.

    Definition: the number of ``alert_fired`` events in the bucket. Grouped by role or actor,
    an alert counts for the staff member it was sent to.

    Returns
    -------
    DataFrame : bucket_start, *by, alerts.
    """
    by = check_options(bucket, by, metric="alert_volume")
    table = grouped(alerts(events), "local_ts", bucket, by, shifts)
    return execute(table.group_by(["bucket_start", *by]).aggregate(alerts=table.count()), by)


def alerts_per_nurse_shift(events: ir.Table, *, bucket: str = "shift", by: By = ("unit",),
                           shifts: Shifts = SITE_SHIFTS) -> pd.DataFrame:
    """Alerts per staff member per shift: the load an alert puts on each nurse.

    Definition: alerts fired in the bucket divided by nurse-shifts in it, where a nurse-shift
    is a ``shift_started`` event (a nurse or charge nurse signing on to a ward phone). For a
    day, a week or a month this is the mean over its shifts, weighted by staffing. Grouped by
    actor: the alerts sent to that nurse divided by the shifts she signed on for. Buckets in
    which nobody signed on are left out.

    Returns
    -------
    DataFrame : bucket_start, *by, alerts, nurse_shifts, alerts_per_nurse_shift.
    """
    import ibis

    by = check_options(bucket, by, buckets=("shift", "day", "week", "month"),
                       keys=("unit", "role", "actor", "shift"), metric="alerts_per_nurse_shift")
    keys = ["bucket_start", *by]
    fired = grouped(alerts(events), "local_ts", bucket, by, shifts)
    fired = fired.group_by(keys).aggregate(alerts=fired.count())
    staff = events.filter((events.event_type == "shift_started")
                          & events.actor_role.isin(NURSE_ROLES))
    staff = grouped(staff, "local_ts", bucket, by, shifts)
    staff = staff.group_by(keys).aggregate(nurse_shifts=staff.count())
    joined = staff.left_join(fired, keys).select(staff, alerts=ibis.coalesce(fired.alerts, 0))
    result = joined.mutate(alerts_per_nurse_shift=ratio(joined.alerts, joined.nurse_shifts))
    return execute(result.select(*keys, "alerts", "nurse_shifts", "alerts_per_nurse_shift"), by)


def time_to_acknowledge(events: ir.Table, *, bucket: str = "day", by: By = ("unit",),
                        shifts: Shifts = SITE_SHIFTS) -> pd.DataFrame:
    """Minutes from an alert firing to its first acknowledgement: median and 90th percentile.

    Definition: for each acknowledged alert, the first ``alert_acknowledged`` event's time
    minus the ``alert_fired`` time (from UTC times, so a daylight-saving change adds nothing).
    Quantiles are exact, by linear interpolation between order statistics (Hyndman and Fan's
    definition 7 [1]_: DuckDB ``quantile_cont``, Spark ``percentile``). Alerts never
    acknowledged are not in the quantiles; see :func:`acknowledgement_rates`.

    Returns
    -------
    DataFrame : bucket_start, *by, alerts, acknowledged, median_minutes, p90_minutes.

    References
    ----------
    .. [1] Hyndman RJ, Fan Y (1996). Sample quantiles in statistical packages. The American
       Statistician 50(4):361-365.
    """
    by = check_options(bucket, by, keys=ALERT_KEYS, metric="time_to_acknowledge")
    table = grouped(alerts(events), "local_ts", bucket, by, shifts)
    result = table.group_by(["bucket_start", *by]).aggregate(**_wait_measures(table))
    return execute(result, by)


def _wait_measures(table: ir.Table) -> dict:
    return {"alerts": table.count(), "acknowledged": table.acknowledged_ts.count(),
            "median_minutes": table.wait_minutes.quantile(0.5),
            "p90_minutes": table.wait_minutes.quantile(0.9)}


def acknowledgement_rates(events: ir.Table, *, bucket: str = "day", by: By = ("unit",),
                          shifts: Shifts = SITE_SHIFTS, target_minutes: float = 30
                          ) -> pd.DataFrame:
    """Shares of alerts acknowledged at all, within the policy's target, and escalated.

    Definitions, each over the alerts fired in the bucket:
    ``acknowledged_rate`` = alerts with an acknowledgement / alerts;
    ``within_target_rate`` = alerts acknowledged within ``target_minutes`` (Riverside's policy:
    30) / alerts; ``escalation_rate`` = alerts whose first acknowledgement is
    ``escalated_to_provider`` or ``called_rapid_response`` / alerts.

    Returns
    -------
    DataFrame : bucket_start, *by, alerts, acknowledged, within_target, escalated,
    acknowledged_rate, within_target_rate, escalation_rate.
    """
    by = check_options(bucket, by, keys=ALERT_KEYS, metric="acknowledgement_rates")
    table = grouped(alerts(events), "local_ts", bucket, by, shifts)
    counts = table.group_by(["bucket_start", *by]).aggregate(
        **_response_counts(table, target_minutes))
    return execute(counts.mutate(**_response_rates(counts)), by)


def _response_counts(table: ir.Table, target_minutes: float) -> dict:
    escalating = table.action.isin(["escalated_to_provider", "called_rapid_response"])
    return {"alerts": table.count(), "acknowledged": table.acknowledged_ts.count(),
            "within_target": table.alert_id.count(where=table.wait_minutes <= target_minutes),
            "escalated": table.alert_id.count(where=escalating)}


def _response_rates(counts: ir.Table) -> dict:
    return {"acknowledged_rate": ratio(counts.acknowledged, counts.alerts),
            "within_target_rate": ratio(counts.within_target, counts.alerts),
            "escalation_rate": ratio(counts.escalated, counts.alerts)}


def dismissals(events: ir.Table, *, bucket: str = "day", by: By = ("unit",),
               shifts: Shifts = SITE_SHIFTS) -> pd.DataFrame:
    """Override (dismissal) rate, and how terse the reasons are.

    Definitions: ``dismissal_rate`` = acknowledged alerts whose first acknowledgement is
    ``dismissed`` / acknowledged alerts (the override rate of the alert-fatigue literature
    [1]_); ``one_word_share`` = dismissals whose reason is a single word ("ok", "known") /
    dismissals with a reason.

    Returns
    -------
    DataFrame : bucket_start, *by, acknowledged, dismissed, dismissal_rate, one_word_share.

    References
    ----------
    .. [1] Ancker JS, Edwards A, Nosal S, et al. (2017). Effects of workload, work complexity,
       and repeated alerts on alert fatigue in a clinical decision support system. BMC Medical
       Informatics and Decision Making 17:36.
    """
    by = check_options(bucket, by, keys=ALERT_KEYS, metric="dismissals")
    table = grouped(alerts(events), "local_ts", bucket, by, shifts)
    counts = table.group_by(["bucket_start", *by]).aggregate(**_dismissal_counts(table))
    result = counts.mutate(**_dismissal_rates(counts))
    return execute(result.drop("with_reason", "one_word"), by)


def _dismissal_counts(table: ir.Table) -> dict:
    dismissed = table.action == "dismissed"
    reason = table.reason.strip()
    one_word = dismissed & reason.notnull() & (reason != "") & ~reason.contains(" ")
    return {"acknowledged": table.acknowledged_ts.count(),
            "dismissed": table.alert_id.count(where=dismissed),
            "with_reason": table.alert_id.count(where=dismissed & (reason != "")),
            "one_word": table.alert_id.count(where=one_word)}


def _dismissal_rates(counts: ir.Table) -> dict:
    return {"dismissal_rate": ratio(counts.dismissed, counts.acknowledged),
            "one_word_share": ratio(counts.one_word, counts.with_reason)}


def dismissal_reasons(events: ir.Table, *, bucket: str = "week", by: By = ("unit",),
                      shifts: Shifts = SITE_SHIFTS, top: int = 10) -> pd.DataFrame:
    """The most frequent dismissal reasons, as typed (lower-cased, trimmed).

    Definition: dismissals per reason in the bucket, and each reason's share of the bucket's
    dismissals; the ``top`` most frequent per bucket and key (ties by reason, alphabetically).

    Returns
    -------
    DataFrame : bucket_start, *by, reason, dismissals, share.
    """
    import ibis

    by = check_options(bucket, by, keys=ALERT_KEYS, metric="dismissal_reasons")
    table = grouped(alerts(events), "local_ts", bucket, by, shifts)
    table = table.filter(table.action == "dismissed").mutate(
        reason=ibis.coalesce(table.reason.strip().lower(), ""))
    keys = ["bucket_start", *by]
    counts = table.group_by([*keys, "reason"]).aggregate(dismissals=table.count())
    group = ibis.window(group_by=keys)
    ranked = counts.mutate(
        share=counts.dismissals / counts.dismissals.sum().over(group),
        rank=ibis.row_number().over(group_by=keys, order_by=[ibis.desc(counts.dismissals),
                                                             counts.reason]))
    result = ranked.filter(ranked["rank"] < top).drop("rank")
    frame = execute(result, by)
    return frame.sort_values([*keys, "dismissals", "reason"], ascending=[True] * len(keys) + [
        False, True], ignore_index=True)


def stale_input_share(events: ir.Table, *, bucket: str = "day", by: By = ("unit",),
                      shifts: Shifts = SITE_SHIFTS) -> pd.DataFrame:
    """Share of alerts computed on stale inputs.

    Definition: alerts whose ``inputs_stale`` flag is true (an input older than the system's
    staleness limit, Lookout: 12 hours) / alerts that carry the flag.

    Returns
    -------
    DataFrame : bucket_start, *by, alerts, stale_alerts, stale_share.
    """
    by = check_options(bucket, by, keys=ALERT_KEYS, metric="stale_input_share")
    table = grouped(alerts(events), "local_ts", bucket, by, shifts)
    counts = table.group_by(["bucket_start", *by]).aggregate(**_stale_counts(table))
    return execute(counts.mutate(**_stale_rates(counts)).drop("flagged"), by)


def _stale_counts(table: ir.Table) -> dict:
    return {"alerts": table.count(), "flagged": table.inputs_stale.count(),
            "stale_alerts": table.alert_id.count(where=table.inputs_stale)}


def _stale_rates(counts: ir.Table) -> dict:
    return {"stale_share": ratio(counts.stale_alerts, counts.flagged)}


def downtime(events: ir.Table, *, bucket: str = "day", by: By = ("unit",),
             shifts: Shifts = SITE_SHIFTS) -> pd.DataFrame:
    """Minutes during which an interface was down, split over the buckets it spans.

    Definition: each ``interface_down`` event opens an interval that the next
    ``interface_up`` of the same interface (``entity_id``) and unit closes; one still open
    runs to the last event in the log. Minutes are counted on the site's wall clock. Buckets
    without downtime are not listed.

    Returns
    -------
    DataFrame : bucket_start, *by, downtime_minutes.
    """
    import ibis

    by = check_options(bucket, by, keys=("unit", "interface"), metric="downtime")
    interface = events.filter(events.event_type.isin(["interface_down", "interface_up"]))
    order = ibis.window(group_by=[interface.entity_id, interface.unit], order_by=interface.ts)
    interface = interface.mutate(next_type=interface.event_type.lead().over(order),
                                 next_local=interface.local_ts.lead().over(order))
    last = events.local_ts.max().to_pandas()
    down = interface.filter(interface.event_type == "interface_down")
    down = down.mutate(start=down.local_ts, end=ibis.ifelse(
        down.next_type == "interface_up", down.next_local, ibis.literal(last, "timestamp")))
    span = down.aggregate(first=down.start.min(), last=down.end.max()).to_pandas()
    if span.empty or pd.isna(span["first"].iloc[0]):
        return pd.DataFrame(columns=["bucket_start", *by, "downtime_minutes"])
    calendar = ibis.memtable(_calendar(span["first"].iloc[0], span["last"].iloc[0], bucket,
                                       shifts))
    overlap = down.join(calendar, [calendar.bucket_start < down.end,
                                   calendar.bucket_end > down.start])
    minutes = (ibis.least(overlap.end, overlap.bucket_end).epoch_seconds()
               - ibis.greatest(overlap.start, overlap.bucket_start).epoch_seconds()) / 60
    overlap = overlap.mutate(minutes=minutes, interface=overlap.entity_id)
    result = overlap.group_by(["bucket_start", *by]).aggregate(
        downtime_minutes=overlap.minutes.sum())
    return execute(result, by)


def _calendar(first, last, bucket: str, shifts: Shifts) -> pd.DataFrame:
    """Bucket starts and ends (local wall clock) covering ``first`` to ``last``."""
    first, last = pd.Timestamp(first), pd.Timestamp(last)
    if bucket == "shift":
        days = pd.date_range(first.normalize() - pd.Timedelta(days=1), last.normalize(),
                             freq="D")
        starts = sorted([d + pd.Timedelta(minutes=m) for d in days
                         for m in (shifts.day_minute, shifts.night_minute)])
        starts = pd.DatetimeIndex(starts)
    else:
        unit = {"hour": "h", "day": "D", "week": "W", "month": "M"}[bucket]
        start = first.to_period(unit).start_time
        starts = pd.date_range(start, last,
                               freq={"h": "h", "D": "D", "W": "7D", "M": "MS"}[unit])
    ends = list(starts[1:]) + [_next_start(starts[-1], bucket, shifts)]
    return pd.DataFrame({"bucket_start": starts.astype("datetime64[us]"),
                         "bucket_end": pd.DatetimeIndex(ends).astype("datetime64[us]")})


def _next_start(start: pd.Timestamp, bucket: str, shifts: Shifts) -> pd.Timestamp:
    """Where the bucket starting at ``start`` ends: the next bucket's start (a month's length
    varies; a shift ends where the other shift starts)."""
    if bucket == "month":
        return start + pd.offsets.MonthBegin(1)
    if bucket == "shift":
        minute = start.hour * 60 + start.minute
        if minute == shifts.day_minute:
            return start.normalize() + pd.Timedelta(minutes=shifts.night_minute)
        return start.normalize() + pd.Timedelta(days=1, minutes=shifts.day_minute)
    return start + {"hour": pd.Timedelta(hours=1), "day": pd.Timedelta(days=1),
                    "week": pd.Timedelta(days=7)}[bucket]


def overview(events: ir.Table, *, bucket: str = "day", by: By = ("unit",),
             shifts: Shifts = SITE_SHIFTS, target_minutes: float = 30) -> pd.DataFrame:
    """The main figures side by side, one row per bucket and key.

    Definition: the columns of :func:`alert_volume`, :func:`time_to_acknowledge`,
    :func:`acknowledgement_rates`, :func:`dismissals`, :func:`stale_input_share` (computed
    together, in one pass over the alerts), :func:`alerts_per_nurse_shift` (bucket shift, day
    week or month; by unit or shift) and :func:`downtime` (by unit), as each defines them.

    Returns
    -------
    DataFrame : bucket_start, *by, alerts, median_minutes, p90_minutes, within_target_rate,
    escalation_rate, dismissal_rate, stale_share, [alerts_per_nurse_shift], [downtime_minutes].
    """
    by = check_options(bucket, by, keys=ALERT_KEYS, metric="overview")
    keys = ["bucket_start", *by]
    table = grouped(alerts(events), "local_ts", bucket, by, shifts)
    measures = {**_wait_measures(table), **_response_counts(table, target_minutes),
                **_dismissal_counts(table), **_stale_counts(table)}  # shared names agree
    counts = table.group_by(keys).aggregate(**measures)
    counts = counts.mutate(**_response_rates(counts), **_dismissal_rates(counts),
                           **_stale_rates(counts))
    frame = execute(counts.select(*keys, "alerts", "median_minutes", "p90_minutes",
                                  "within_target_rate", "escalation_rate", "dismissal_rate",
                                  "stale_share"), by)
    options = {"bucket": bucket, "by": by, "shifts": shifts}
    if bucket != "hour" and set(by) <= {"unit", "shift"}:
        per_nurse = alerts_per_nurse_shift(events, **options)
        frame = frame.merge(per_nurse[[*keys, "alerts_per_nurse_shift"]], on=keys, how="outer")
    if set(by) <= {"unit"}:
        frame = frame.merge(downtime(events, **options), on=keys, how="outer")
        frame["downtime_minutes"] = frame["downtime_minutes"].fillna(0.0)
    return frame.sort_values(keys, ignore_index=True)


#: Every metric by name, for the command line and for running the whole suite.
METRICS: dict[str, Callable[..., pd.DataFrame]] = {
    "overview": overview,
    "alert_volume": alert_volume,
    "alerts_per_nurse_shift": alerts_per_nurse_shift,
    "time_to_acknowledge": time_to_acknowledge,
    "acknowledgement_rates": acknowledgement_rates,
    "dismissals": dismissals,
    "dismissal_reasons": dismissal_reasons,
    "stale_input_share": stale_input_share,
    "positive_predictive_value": positive_predictive_value,
    "sensitivity": sensitivity,
    "missed_deteriorations": missed_deteriorations,
    "rapid_response_calls": rapid_response_calls,
    "downtime": downtime,
}
