"""A timeline event and its before/after windows as the periods of a mixed matrix.

``mixed_matrix(period="lab-interface-outage")`` cuts time into three windows around the
event instead of weeks: **before** [start - w, start), **during** [start, end) and **after**
[end, end + w), where w is the event's own length unless ``window=`` says otherwise (a moment,
or an open-ended event, has no length: its windows are ``window`` long, 21 days unless told;
a moment has no "during", an open-ended event no "after" and runs to the end of the logs).
Evidence counts in every window its time extent overlaps; log metrics are pooled from hourly
cells computed on the engine (rates from their numerators and denominators, counts summed,
medians as the alerts-weighted mean of their hourly values).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from workbench.errors import TriangulationError
from workbench.logs.mapping import Shifts
from workbench.triangulate.metrics import hourly_cells, needed_columns, pooled
from workbench.triangulate.timeline import TimelineEvent

if TYPE_CHECKING:
    import ibis.expr.types as ir

__all__ = ["WINDOW_COLUMNS", "event_windows", "explode_windows", "window_metrics"]

WINDOW_COLUMNS = ["window", "bucket_start", "bucket_end"]
DEFAULT_WIDTH = pd.Timedelta(days=21)


def _width(text: str | None) -> pd.Timedelta | None:
    if text is None:
        return None
    try:
        width = pd.Timedelta(text)
    except ValueError as err:
        raise TriangulationError(52, f"window '{text}' is not a length of time; write e.g. "
                                 "'21D' or '14D'.") from err
    if width <= pd.Timedelta(0):
        raise TriangulationError(52, f"window '{text}' must be longer than nothing.")
    return width


def event_windows(event: TimelineEvent, window: str | None, horizon: pd.Timestamp
                  ) -> pd.DataFrame:
    """The before, during and after windows of ``event`` (see the module doc).

    Returns
    -------
    DataFrame : window (before, during, after), bucket_start, bucket_end (exclusive).
    """
    start, end = event.start, event.end
    length = None if end is None or end == start else end - start
    width = _width(window) or length or DEFAULT_WIDTH
    rows = [("before", start - width, start)]
    if end is None:
        rows.append(("during", start, max(horizon, start + pd.Timedelta(minutes=1))))
    elif end > start:
        rows.append(("during", start, end))
    if end is not None:
        rows.append(("after", end, end + width))
    return pd.DataFrame(rows, columns=WINDOW_COLUMNS)


def explode_windows(frame: pd.DataFrame, windows: pd.DataFrame, horizon: pd.Timestamp
                    ) -> pd.DataFrame:
    """One row per (row of ``frame``, window its [t_start, t_end) overlaps), with the
    window's ``bucket_start``; an open end runs to ``horizon``."""
    if frame.empty:
        return frame.assign(bucket_start=pd.Series(dtype="datetime64[us]"))
    t_end = frame["t_end"].fillna(horizon).to_numpy()
    t_start = frame["t_start"].to_numpy()
    parts = []
    for window in windows.itertuples(index=False):
        hit = (t_start < np.datetime64(window.bucket_end)) & (
            t_end > np.datetime64(window.bucket_start))
        parts.append(frame[hit].assign(bucket_start=window.bucket_start))
    return pd.concat(parts, ignore_index=True)


def window_metrics(events: ir.Table, metrics: Sequence[str], windows: pd.DataFrame, *,
                   by: Sequence[str], shifts: Shifts) -> pd.DataFrame:
    """The metrics pooled over each window from hourly cells on the engine.

    Returns
    -------
    DataFrame : bucket_start (the window's start), *by, then one column per metric.
    """
    hourly = hourly_cells(events, needed_columns(metrics), by=by, shifts=shifts)
    parts = []
    for window in windows.itertuples(index=False):
        inside = hourly[(hourly["bucket_start"] >= window.bucket_start) &
                        (hourly["bucket_start"] < window.bucket_end)]
        if inside.empty:
            continue
        group = list(by) or ["_all"]
        values = pooled(inside.assign(_all=0), metrics, group)
        parts.append(values.drop(columns=[c for c in ["_all"] if c in values]).assign(
            bucket_start=window.bucket_start))
    if not parts:
        return pd.DataFrame(columns=["bucket_start", *by, *metrics])
    frame = pd.concat(parts, ignore_index=True)
    return frame[["bucket_start", *by, *metrics]]
