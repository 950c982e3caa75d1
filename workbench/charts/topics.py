"""Charts of a topic run: sizes, topic by attribute, topics over time.

Each takes the table the project gives (``project.topic_table()``, ``topic_shares(by)``,
``topics_over_time()``) and writes its numbers on the marks; topics are named by their first
terms, so the chart reads without a legend.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

__all__ = ["topic_heatmap", "topic_sizes", "topics_over_time_chart"]


def topic_sizes(table: pd.DataFrame) -> alt.Chart:
    """Bars of segments per topic (``project.topic_table()``), largest first; topic -1 (the
    segments in no topic) greyed."""
    order = table.sort_values("size", ascending=False)["name"].tolist()
    base = alt.Chart(table).encode(y=alt.Y("name:N", sort=order, title=None),
                                   x=alt.X("size:Q", title="segments"))
    bars = base.mark_bar().encode(color=alt.condition(
        "datum.topic < 0", alt.value("#bbbbbb"), alt.value("#4c78a8")),
        tooltip=["name", "size", alt.Tooltip("share:Q", format=".1%"), "terms"])
    labels = base.mark_text(align="left", dx=3).encode(text="size:Q")
    return (bars + labels).properties(title="Segments per topic")


def topic_heatmap(shares: pd.DataFrame, by: str) -> alt.Chart:
    """Heatmap of topic shares per value of ``by`` (``project.topic_shares(by)``): each
    column sums to 100%, the share written in each cell."""
    base = alt.Chart(shares).encode(x=alt.X(f"{by}:N", title=by),
                                    y=alt.Y("name:N", title=None))
    cells = base.mark_rect().encode(
        color=alt.Color("share:Q", scale=alt.Scale(scheme="blues"), legend=None),
        tooltip=[by, "name", "segments", alt.Tooltip("share:Q", format=".1%")])
    text = base.mark_text(fontSize=11).encode(text=alt.Text("share:Q", format=".0%"))
    return (cells + text).properties(title=f"Share of each {by}'s segments by topic")


def topics_over_time_chart(over_time: pd.DataFrame) -> alt.Chart:
    """Lines of each topic's share per period (``project.topics_over_time()``), one small
    panel per topic so the lines do not cross each other."""
    line = alt.Chart(over_time).mark_line(point=True).encode(
        x=alt.X("period:T", title=None),
        y=alt.Y("share:Q", title="share of the period's segments", axis=alt.Axis(format="%")),
        tooltip=["name", alt.Tooltip("period:T"), "segments",
                 alt.Tooltip("share:Q", format=".1%")])
    return line.properties(width=180, height=90).facet(
        facet=alt.Facet("name:N", title=None), columns=3).properties(
        title="Topics over time")
