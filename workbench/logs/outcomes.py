"""Metrics against patient outcomes: how often an alert was right, what it missed, and the
calls for help made with or without it.

Like :mod:`workbench.logs.metrics` (whose conventions these follow: an Ibis table of canonical
events in, a tidy DataFrame by bucket and key out), but they need outcome events
(``deterioration``, from the site's quality register) loaded with the alert log.

Validated against: hand counts on small event tables (tests/logs/test_metrics.py), and the same
numbers from DuckDB and from Spark on the Riverside example (tests/logs/test_backends.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from workbench.errors import LogsError
from workbench.logs._alerts import (
    ALERT_KEYS,
    PLACE_KEYS,
    SITE_SHIFTS,
    By,
    alerts_followed,
    check_options,
    deteriorations_alerted,
    execute,
    grouped,
    ratio,
)
from workbench.logs.mapping import Shifts

if TYPE_CHECKING:
    import ibis.expr.types as ir

__all__ = ["missed_deteriorations", "positive_predictive_value", "rapid_response_calls",
           "sensitivity"]


def positive_predictive_value(events: ir.Table, *, bucket: str = "week", by: By = ("unit",),
                              shifts: Shifts = SITE_SHIFTS, horizon_hours: float = 12
                              ) -> pd.DataFrame:
    """Positive predictive value of the alert for deterioration.

    Definition: alerts followed, within ``horizon_hours``, by a ``deterioration`` event of the
    same entity / alerts [1]_ [2]_. Needs outcome events in the log.

    Returns
    -------
    DataFrame : bucket_start, *by, alerts, followed, ppv.

    References
    ----------
    .. [1] Altman DG, Bland JM (1994). Diagnostic tests 2: predictive values. BMJ 309:102.
    .. [2] Wong A, Otles E, Donnelly JP, et al. (2021). External validation of a widely
       implemented proprietary sepsis prediction model in hospitalized patients. JAMA
       Internal Medicine 181(8):1065-1070.
    """
    by = check_options(bucket, by, keys=ALERT_KEYS, metric="positive_predictive_value")
    _require_outcomes(events)
    table = grouped(alerts_followed(events, horizon_hours), "local_ts", bucket, by, shifts)
    counts = table.group_by(["bucket_start", *by]).aggregate(
        alerts=table.count(), followed=table.alert_id.count(where=table.followed))
    return execute(counts.mutate(ppv=ratio(counts.followed, counts.alerts)), by)


def sensitivity(events: ir.Table, *, bucket: str = "week", by: By = ("unit",),
                shifts: Shifts = SITE_SHIFTS, horizon_hours: float = 12) -> pd.DataFrame:
    """Sensitivity of the alert: the share of deteriorations it warned of.

    Definition: ``deterioration`` events with an alert on the same entity in the
    ``horizon_hours`` before / deterioration events [1]_. Deteriorations are bucketed by when
    they happened. Needs outcome events in the log.

    Returns
    -------
    DataFrame : bucket_start, *by, deteriorations, alerted, sensitivity.

    References
    ----------
    .. [1] Altman DG, Bland JM (1994). Diagnostic tests 1: sensitivity and specificity. BMJ
       308:1552.
    """
    by = check_options(bucket, by, keys=PLACE_KEYS, metric="sensitivity")
    _require_outcomes(events)
    table = grouped(deteriorations_alerted(events, horizon_hours), "local_ts", bucket, by,
                    shifts)
    counts = table.group_by(["bucket_start", *by]).aggregate(
        deteriorations=table.count(), alerted=table.event_id.count(where=table.alerted))
    return execute(counts.mutate(sensitivity=ratio(counts.alerted, counts.deteriorations)), by)


def missed_deteriorations(events: ir.Table, *, bucket: str = "week", by: By = (),
                          shifts: Shifts = SITE_SHIFTS, horizon_hours: float = 12
                          ) -> pd.DataFrame:
    """The countermetric: deteriorations with no alert before them.

    Definition (Riverside's, set before go-live, P12): deteriorations (rapid response calls,
    unplanned ICU transfers, cardiac arrests) with no alert on the same entity in the
    ``horizon_hours`` (12) before. A balancing measure in the sense of the Model for
    Improvement [1]_: it watches for harm that a change meant to reduce alerts could cause.
    Counts are small; compare periods with an exact test before reading a change into them.

    Returns
    -------
    DataFrame : bucket_start, *by, deteriorations, missed, missed_share.

    References
    ----------
    .. [1] Langley GJ, Moen RD, Nolan KM, et al. (2009). The Improvement Guide, 2nd ed.
       Jossey-Bass (balancing measures).
    """
    by = check_options(bucket, by, keys=PLACE_KEYS, metric="missed_deteriorations")
    _require_outcomes(events)
    table = grouped(deteriorations_alerted(events, horizon_hours), "local_ts", bucket, by,
                    shifts)
    counts = table.group_by(["bucket_start", *by]).aggregate(
        deteriorations=table.count(), missed=table.event_id.count(where=~table.alerted))
    return execute(counts.mutate(missed_share=ratio(counts.missed, counts.deteriorations)), by)


def rapid_response_calls(events: ir.Table, *, bucket: str = "day", by: By = ("unit",),
                         shifts: Shifts = SITE_SHIFTS) -> pd.DataFrame:
    """Calls to the rapid response team, automatic and by staff, with or without an alert.

    Definitions: ``calls`` = ``rapid_response_called`` events; ``auto_pages`` = those with
    action ``auto_page`` (score at or above the auto-page level); ``without_alert`` = calls
    by staff not linked to an alert (a nurse's own judgement, e.g. when the score is not
    trusted).

    Returns
    -------
    DataFrame : bucket_start, *by, calls, auto_pages, without_alert.
    """
    by = check_options(bucket, by, keys=PLACE_KEYS, metric="rapid_response_calls")
    table = events.filter(events.event_type == "rapid_response_called")
    table = grouped(table, "local_ts", bucket, by, shifts)
    result = table.group_by(["bucket_start", *by]).aggregate(
        calls=table.count(), auto_pages=table.event_id.count(where=table.action == "auto_page"),
        without_alert=table.event_id.count(where=(table.action != "auto_page")
                                           & table.alert_id.isnull()))
    return execute(result, by)


def _require_outcomes(events: ir.Table) -> None:
    if events.filter(events.event_type == "deterioration").count().to_pandas() == 0:
        raise LogsError(22, "the logs hold no deterioration events, so PPV, sensitivity and "
                        "the missed-deterioration countermetric cannot be computed. Load the "
                        "outcome register with the alert log (event type deterioration).")
