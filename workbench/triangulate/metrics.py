"""Which log metric yields each column a triangulation can ask for, computed on the engine.

Log metrics are aggregated where the logs live (DuckDB, or Spark through Ibis) into cells of
the same buckets and keys as the evidence; only those aggregated cells are joined to coded
evidence, never raw events (at 100M alerts a raw join took 711 s, the aggregate 6.5 s).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from workbench.errors import LogsError, TriangulationError
from workbench.logs.mapping import Shifts
from workbench.logs.metrics import METRICS

if TYPE_CHECKING:
    import ibis.expr.types as ir

__all__ = ["COUNTS", "METRIC_COLUMNS", "RATIOS", "hourly_cells", "metric_cells", "pooled"]

#: A metric column -> the metric that computes it (the first, cheapest one that has it).
#: tests/triangulate/test_metrics.py checks each against the metric's real output.
METRIC_COLUMNS = {
    "alerts": "alert_volume",
    "nurse_shifts": "alerts_per_nurse_shift",
    "alerts_per_nurse_shift": "alerts_per_nurse_shift",
    "acknowledged": "time_to_acknowledge",
    "median_minutes": "time_to_acknowledge",
    "p90_minutes": "time_to_acknowledge",
    "within_target": "acknowledgement_rates",
    "escalated": "acknowledgement_rates",
    "acknowledged_rate": "acknowledgement_rates",
    "within_target_rate": "acknowledgement_rates",
    "escalation_rate": "acknowledgement_rates",
    "dismissed": "dismissals",
    "dismissal_rate": "dismissals",
    "one_word_share": "dismissals",
    "stale_alerts": "stale_input_share",
    "stale_share": "stale_input_share",
    "followed": "positive_predictive_value",
    "ppv": "positive_predictive_value",
    "deteriorations": "missed_deteriorations",
    "missed": "missed_deteriorations",
    "missed_share": "missed_deteriorations",
    "sensitivity": "sensitivity",
    "alerted": "sensitivity",
    "calls": "rapid_response_calls",
    "auto_pages": "rapid_response_calls",
    "without_alert": "rapid_response_calls",
    "downtime_minutes": "downtime",
}
#: Rates and shares as numerator / denominator columns, so that a window's value pools its
#: events (a rate over three weeks is not the mean of 21 daily rates).
RATIOS = {
    "stale_share": ("stale_alerts", "alerts"),
    "missed_share": ("missed", "deteriorations"),
    "sensitivity": ("alerted", "deteriorations"),
    "ppv": ("followed", "alerts"),
    "dismissal_rate": ("dismissed", "acknowledged"),
    "acknowledged_rate": ("acknowledged", "alerts"),
    "within_target_rate": ("within_target", "alerts"),
    "escalation_rate": ("escalated", "alerts"),
    "alerts_per_nurse_shift": ("alerts", "nurse_shifts"),
}
#: Counts: a window's value is their mean per day (a day without events counts as 0).
COUNTS = ("alerts", "nurse_shifts", "acknowledged", "within_target", "escalated", "dismissed",
          "stale_alerts", "followed", "deteriorations", "missed", "calls", "auto_pages",
          "without_alert", "downtime_minutes")
#: Log-side grouping keys for each evidence key.
LOG_BY = {"unit": "unit", "role": "role"}


def metric_column(name: str) -> tuple[str, str, bool]:
    """(column, metric, complement): ``"1 - ppv"`` asks for one minus a rate."""
    text = " ".join(str(name).split())
    complement = text.startswith("1 - ") or text.startswith("1-")
    column = text.split("-", 1)[1].strip() if complement else text
    if column not in METRIC_COLUMNS:
        raise TriangulationError(31, f"'{name}' is not a log metric column; choose from "
                                 f"{', '.join(sorted(METRIC_COLUMNS))} (or '1 - <rate>').")
    return column, METRIC_COLUMNS[column], complement


def metric_cells(events: ir.Table, columns: Sequence[str], *, period: str, by: Sequence[str],
                 shifts: Shifts) -> pd.DataFrame:
    """The asked-for metric columns per (bucket_start, *by), each metric run once on the engine.

    A column that a metric already run returns is taken from its result: most alert metrics
    return ``alerts`` (the same count of ``alert_fired`` events), so ``alert_volume`` runs
    only when nothing else gives it (at 10M events each metric is a pass over the logs).

    Returns
    -------
    DataFrame : bucket_start, *by, then one column per name in ``columns`` (a complement
    ``"1 - ppv"`` keeps that name).
    """
    wanted: dict[str, list[tuple[str, str, bool]]] = {}
    for name in columns:
        column, metric, complement = metric_column(name)
        wanted.setdefault(metric, []).append((name, column, complement))
    keys = ["bucket_start", *by]
    frames, results = [], []
    for metric in sorted(wanted, key=lambda m: m == "alert_volume"):
        asks = wanted[metric]
        result = next((r for r in results if all(c in r for _, c, _ in asks)), None)
        if result is None:
            result = METRICS[metric](events, bucket=period, by=tuple(LOG_BY[k] for k in by),
                                     shifts=shifts)
            results.append(result)
        out = result[keys].copy()
        for name, column, complement in asks:
            out[name] = 1 - result[column] if complement else result[column]
        frames.append(out)
    if not frames:
        return pd.DataFrame(columns=keys)
    merged = frames[0]
    for frame in frames[1:]:
        merged = merged.merge(frame, on=keys, how="outer")
    ordered = merged[[*keys, *dict.fromkeys(columns)]]
    return ordered.sort_values(keys, kind="stable", ignore_index=True)


def hourly_cells(events: ir.Table, needed: Sequence[str], *, by: Sequence[str],
                 shifts: Shifts) -> pd.DataFrame:
    """The needed metric columns in hourly cells, so that any window can be cut exactly at
    an hour; a metric without hourly buckets (alerts per nurse shift) comes in shift cells,
    cut at the shift starts."""
    frames = []
    for column in dict.fromkeys(needed):
        try:
            frame = metric_cells(events, [column], period="hour", by=by, shifts=shifts)
        except LogsError as err:
            if err.code != "WB-LOGS-020":
                raise
            frame = metric_cells(events, [column], period="shift", by=by, shifts=shifts)
        frames.append(frame.set_index(["bucket_start", *by]))
    return pd.concat(frames, axis=1).reset_index()


def needed_columns(names: Sequence[str]) -> list[str]:
    """The counted columns the pooled values of ``names`` are computed from."""
    columns = {"alerts"}
    for name in names:
        column = metric_column(name)[0]
        columns.update(RATIOS.get(column, (column,)))
    return sorted(columns)


def pooled(cells: pd.DataFrame, names: Sequence[str], group: Sequence[str]) -> pd.DataFrame:
    """Metric values of longer cells pooled from hourly ones: a rate from its summed
    numerator and denominator, a count summed, anything else (a median) the mean of its
    hourly values weighted by alerts (an approximation, said in the docs)."""
    sums = cells.groupby(list(group))[needed_columns(names)].sum(min_count=1)
    weighted = cells.assign(**{c: cells[c] * cells["alerts"] for c in needed_columns(names)})
    weighted_sums = weighted.groupby(list(group))[needed_columns(names)].sum(min_count=1)
    out = pd.DataFrame(index=sums.index)
    for name in names:
        column, _, complement = metric_column(name)
        if column in RATIOS:
            num, den = RATIOS[column]
            value = sums[num] / sums[den].where(sums[den] > 0)
        elif column in COUNTS:
            value = sums[column].fillna(0)
        else:
            value = weighted_sums[column] / sums["alerts"].where(sums["alerts"] > 0)
        out[name] = 1 - value if complement else value
    return out.reset_index()
