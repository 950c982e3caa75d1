"""Charts of coded material: frequencies, code-by-attribute matrices, co-occurrence.

Each chart labels its marks directly (counts written in the cells, codes on the axis), so a
reader does not have to hunt through a legend. When a table holds several layers (its
``coder`` column, e.g. from ``coder="all"``), each gets its own row of panels: two coders'
counts are never stacked into one mark.
"""

from __future__ import annotations

import altair as alt
import pandas as pd


def frequency_bars(frequencies: pd.DataFrame, by: str, *, value: str = "codings"
                   ) -> alt.Chart:
    """Bars of ``value`` per code, one small panel per value of ``by`` (from
    ``project.frequencies(by)``), codes sorted by their total."""
    totals = frequencies.groupby("code")[value].sum().sort_values(ascending=False)
    base = alt.Chart(frequencies).encode(
        y=alt.Y("code:N", sort=list(totals.index), title=None),
        x=alt.X(f"{value}:Q", title=value),
    )
    bars = base.mark_bar(color="#4c78a8")
    labels = base.mark_text(align="left", dx=3).encode(text=f"{value}:Q")
    return (bars + labels).properties(width=160).facet(
        column=alt.Column(f"{by}:N", title=by), **_rows_by_coder(frequencies)).properties(
        title=f"Codings per code by {by}")


def _rows_by_coder(frame: pd.DataFrame) -> dict:
    """A row facet per coder when ``frame`` holds more than one layer, else nothing."""
    if "coder" in frame and frame["coder"].nunique() > 1:
        return {"row": alt.Row("coder:N", title="coder")}
    return {}


def matrix_heatmap(matrix: pd.DataFrame, attribute: str, *, value: str = "codings"
                   ) -> alt.Chart:
    """Heatmap of a code-by-attribute matrix (``project.code_matrix(attribute)``), with the
    number written in each cell."""
    fmt = ".1%" if value == "share" else "d"
    base = alt.Chart(matrix).encode(
        x=alt.X(f"{attribute}:N", title=attribute),
        y=alt.Y("code:N", title=None),
    )
    cells = base.mark_rect().encode(
        color=alt.Color(f"{value}:Q", scale=alt.Scale(scheme="blues"), legend=None))
    text = base.mark_text(fontSize=11).encode(
        text=alt.Text(f"{value}:Q", format=fmt),
        color=alt.condition(f"datum.{value} > 0", alt.value("black"), alt.value("#bbbbbb")))
    return _per_coder(cells + text, matrix, f"{value} by code and {attribute}")


def cooccurrence_heatmap(pairs: pd.DataFrame, codes: pd.DataFrame | None = None) -> alt.Chart:
    """Heatmap of code co-occurrence (``project.cooccurrence()``), counts in the cells.

    ``codes`` (``project.codes()``) turns code ids into names when given.
    """
    frame = pairs.copy()
    if codes is not None:
        names = codes.set_index("code_id")["name"]
        frame["code_a"] = frame["code_a"].map(names).fillna(frame["code_a"])
        frame["code_b"] = frame["code_b"].map(names).fillna(frame["code_b"])
    base = alt.Chart(frame).encode(x=alt.X("code_a:N", title=None),
                                   y=alt.Y("code_b:N", title=None))
    cells = base.mark_rect().encode(
        color=alt.Color("n:Q", scale=alt.Scale(scheme="oranges"), legend=None))
    text = base.mark_text(fontSize=11).encode(text="n:Q")
    return _per_coder(cells + text, frame, "Codes that occur together")


def _per_coder(chart: alt.LayerChart, frame: pd.DataFrame, title: str) -> alt.Chart:
    """``chart`` titled, in one row of panels per coder when ``frame`` holds several."""
    facet = _rows_by_coder(frame)
    return (chart.facet(**facet) if facet else chart).properties(title=title)
