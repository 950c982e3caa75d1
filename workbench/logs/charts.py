"""Charts: a metric's time series by unit, with the case's timeline events marked on it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from workbench.errors import LogsError
from workbench.safe_input import load_yaml

if TYPE_CHECKING:
    import altair as alt

__all__ = ["metric_chart", "timeline_marks"]


def timeline_marks(timeline: str | Path | pd.DataFrame) -> pd.DataFrame:
    """The dated events of a ``timeline.yaml``, or of a project's timeline
    (``project.timeline()``): id, start, end (= start for a moment), what.

    Returns
    -------
    DataFrame : id, start, end, what (the first sentence of its description).
    """
    if isinstance(timeline, pd.DataFrame):
        frame = timeline.rename(columns={"event_id": "id", "label": "what"})
        frame = frame.assign(end=frame["end"].fillna(frame["start"]),
                             what=frame["what"].map(lambda w: str(w).split(". ")[0]))
        return frame[["id", "start", "end", "what"]].reset_index(drop=True)
    data = load_yaml(Path(timeline).read_text(encoding="utf-8"))
    rows = []
    for event in data.get("events", []):
        start = event.get("at", event.get("start"))
        if start is None:
            continue
        end = event.get("end", start)
        what = " ".join(str(event.get("what", "")).split()).split(". ")[0]
        rows.append((event["id"], pd.Timestamp(str(start)), pd.Timestamp(str(end)), what))
    return pd.DataFrame(rows, columns=["id", "start", "end", "what"])


def metric_chart(frame: pd.DataFrame, value: str, *, color: str = "unit",
                 timeline: str | Path | pd.DataFrame | None = None,
                 title: str | None = None) -> alt.LayerChart:
    """A line per ``color`` group (default: unit) of ``value`` over ``bucket_start``, with the
    timeline's moments as labelled rules and its periods (the outage) as shaded bands.

    Parameters
    ----------
    frame : a metric's table (:mod:`workbench.logs.metrics`).
    value : the column to plot, e.g. ``median_minutes``.
    color : the grouping column drawn as separate lines; it must be in ``frame``.
    timeline : the events to mark: a project's ``project.timeline()``, a ``timeline.yaml``,
        or None (the default) for none. Nothing is drawn that the caller did not give: a
        chart of your data never shows the example case's events.
    title : the chart's title (default: the value's name).
    """
    import altair as alt

    for column in ("bucket_start", value, color):
        if column not in frame:
            raise LogsError(40, f"the table has no column '{column}'; it has "
                            f"{', '.join(map(str, frame.columns))}.")
    from workbench.charts.offline import enable_offline

    enable_offline()  # drawn in JupyterLab without the internet
    lines = alt.Chart(frame).mark_line(point=True).encode(
        x=alt.X("bucket_start:T", title="time (site's clock)"),
        y=alt.Y(f"{value}:Q", title=value.replace("_", " ")),
        color=alt.Color(f"{color}:N", title=color),
        tooltip=["bucket_start:T", f"{color}:N", alt.Tooltip(f"{value}:Q", format=".2f")])
    layers = [lines]
    if timeline is not None:
        marks = timeline_marks(timeline)
        first, last = frame["bucket_start"].min(), frame["bucket_start"].max()
        marks = marks[(marks["end"] >= first) & (marks["start"] <= last)]
        periods, moments = marks[marks["end"] > marks["start"]], marks[marks["end"] == marks[
            "start"]]
        layers.insert(0, alt.Chart(periods).mark_rect(opacity=0.15, color="gray").encode(
            x="start:T", x2="end:T", tooltip=["id:N", "what:N"]))
        layers.append(alt.Chart(moments).mark_rule(strokeDash=[4, 3], color="gray").encode(
            x="start:T", tooltip=["id:N", "what:N"]))
        layers.append(alt.Chart(marks).mark_text(angle=270, align="right", dx=-4,
                                                  baseline="bottom", fontSize=10,
                                                  color="gray").encode(
            x="start:T", y=alt.value(0), text="id:N"))
    return alt.layer(*layers).properties(title=title or value.replace("_", " "), width=640,
                                         height=260)
