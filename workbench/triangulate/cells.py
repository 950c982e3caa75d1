"""Cells: a key value (unit, role) x a period, aligned with the log metrics' buckets.

Periods are the logs' buckets on the site's wall clock: ``week`` (starting Monday 00:00),
``day`` (midnight), ``shift`` (starting at the day and night shift times, 07:00 and 19:00 at
Riverside, on the date the shift starts). A piece of evidence counts in every bucket its time
extent overlaps (a night-shift field note speaks for the night shift, and for both calendar
days it touches), so "material about this cell" is exact and never smeared by guessing.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from workbench.errors import TriangulationError
from workbench.logs.mapping import Shifts

__all__ = ["PERIODS", "bucket_calendar", "check_period", "explode_keys", "explode_periods",
           "floor", "period_end"]

PERIODS = ("shift", "day", "week")


def check_period(period: str) -> str:
    """Refuse a period the logs' buckets do not have, listing the ones they do."""
    if period not in PERIODS:
        raise TriangulationError(30, f"period '{period}' is not supported; choose one of "
                                 f"{', '.join(PERIODS)}.")
    return period


def floor(times: pd.Series, period: str, shifts: Shifts) -> pd.Series:
    """The start of the bucket holding each time (as the logs' ``bucket_start``)."""
    times = pd.to_datetime(times)
    if period == "day":
        return times.dt.floor("D")
    if period == "week":
        day = times.dt.floor("D")
        return day - pd.to_timedelta(day.dt.weekday, unit="D")
    minute = times.dt.hour * 60 + times.dt.minute
    base = (times - pd.Timedelta(minutes=shifts.day_minute)).dt.floor("D")
    is_day = (minute >= shifts.day_minute) & (minute < shifts.night_minute)
    return base + pd.to_timedelta(np.where(is_day, shifts.day_minute, shifts.night_minute),
                                  unit="min")


def bucket_calendar(first: pd.Timestamp, last: pd.Timestamp, period: str, shifts: Shifts
                    ) -> pd.DatetimeIndex:
    """Every bucket start from the bucket holding ``first`` to the one holding ``last``."""
    start = floor(pd.Series([first]), period, shifts).iloc[0]
    stop = floor(pd.Series([last]), period, shifts).iloc[0]
    if period != "shift":
        return pd.date_range(start, stop, freq="7D" if period == "week" else "D")
    days = pd.date_range(start.floor("D") - pd.Timedelta(days=1), stop.floor("D"), freq="D")
    starts = np.sort(np.concatenate([
        (days + pd.Timedelta(minutes=shifts.day_minute)).to_numpy(),
        (days + pd.Timedelta(minutes=shifts.night_minute)).to_numpy()]))
    index = pd.DatetimeIndex(starts)
    return index[(index >= start) & (index <= stop)]


def explode_periods(frame: pd.DataFrame, period: str, shifts: Shifts, horizon: pd.Timestamp
                    ) -> pd.DataFrame:
    """One row per (row of ``frame``, bucket its [t_start, t_end) overlaps), with
    ``bucket_start``. An open end (NaT: an open-ended event) runs to ``horizon``, the end of
    what the logs cover; it is never closed by guessing beyond that."""
    if frame.empty:
        return frame.assign(bucket_start=pd.Series(dtype="datetime64[ns]"))
    t_end = frame["t_end"].fillna(horizon).where(lambda t: t > frame["t_start"],
                                                  frame["t_start"] + pd.Timedelta(minutes=1))
    first, last = frame["t_start"].min(), max(t_end.max(), frame["t_start"].max())
    calendar = bucket_calendar(first, last, period, shifts)
    values = calendar.to_numpy()
    lo = np.searchsorted(values, frame["t_start"].to_numpy(), side="right") - 1
    hi = np.searchsorted(values, t_end.to_numpy(), side="left") - 1
    hi = np.maximum(hi, lo)
    counts = hi - lo + 1
    rows = np.repeat(np.arange(len(frame)), counts)
    offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    out = frame.iloc[rows].reset_index(drop=True)
    out["bucket_start"] = values[np.repeat(lo, counts) + offsets]
    return out


def explode_keys(frame: pd.DataFrame, by: Sequence[str], every: dict[str, Sequence[str]],
                 all_value: str) -> pd.DataFrame:
    """Replace each key's :data:`~.keys.ALL` value by one row per known value of that key."""
    for key in by:
        known = list(every.get(key, ()))
        is_all = frame[key] == all_value
        if not is_all.any():
            continue
        spread = frame[is_all].drop(columns=key).merge(pd.DataFrame({key: known}), how="cross")
        frame = pd.concat([frame[~is_all], spread[frame.columns]], ignore_index=True)
    return frame


def period_end(start: pd.Timestamp, period: str) -> pd.Timestamp:
    """The end of the bucket starting at ``start`` (a shift is 12 wall-clock hours)."""
    step = {"week": pd.Timedelta(days=7), "day": pd.Timedelta(days=1),
            "shift": pd.Timedelta(hours=12)}[period]
    return start + step
