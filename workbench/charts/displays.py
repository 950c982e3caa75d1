"""Charts of the joint displays (:mod:`workbench.triangulate.displays`): one per display.

Each takes the display's tidy table and draws it without a legend hunt: the side-by-side
display as columns of text, the statistics by theme as a labelled heatmap, the case-ordered
display as sorted bars with the codes written beside them, the timeline as one panel per
unit. Quotes are cut short on the chart (the full text is in the tooltip and in the table an
exported page carries); empty groups and cells say why they are empty.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

__all__ = ["by_theme_chart", "case_ordered_chart", "side_by_side_chart", "timeline_chart"]

SOURCE = ["document:N", "speaker:N", "date:N", "quote:N"]


def _cited(frame: pd.DataFrame) -> pd.Series:
    """'document, speaker, date: "quote"' (what is known of the source), the source first so
    that a quote cut short on the chart still names it."""
    def one(row) -> str:
        if not isinstance(row["quote"], str):
            return ""
        source = ", ".join(str(row[c]) for c in ("document", "speaker", "date")
                           if isinstance(row[c], str) and row[c])
        return f"{source}: \u201c{' '.join(row['quote'].split())}\u201d"
    return frame.apply(one, axis=1) if len(frame) else pd.Series(dtype=object)


def _column(frame: pd.DataFrame, field: str, title: str, width: int) -> alt.Chart:
    """One text column of a chart-as-table, rows in ``row`` order."""
    return alt.Chart(frame, title=title, width=width).mark_text(
        align="left", baseline="middle", limit=width, fontSize=11).encode(
        y=alt.Y("row:O", axis=None), x=alt.value(0), text=f"{field}:N",
        tooltip=["theme:N", "result:N", *SOURCE, "fit:N", "meta_inference:N", "reason:N"])


def side_by_side_chart(frame: pd.DataFrame) -> alt.HConcatChart:
    """Theme | quantitative result | exemplar quotes | fit and meta-inference, one line per
    quote (Guetterman et al. 2015's side-by-side joint display)."""
    data = frame.copy()
    data["row"] = range(len(data))
    first = data["quote_rank"] <= 1
    data["result"] = [
        f"{m} = {v:.3g} [{lo:.3g}, {hi:.3g}], {n} cells" if pd.notna(v) else f"{m}: no value"
        for m, v, lo, hi, n in zip(data["metric"], data["value"], data["ci_low"],
                                   data["ci_high"], data["cells"], strict=True)]
    data["cited"] = _cited(data)
    evidence = data["inference_evidence"] if "inference_evidence" in data else [None] * len(
        data)
    data["integration"] = [
        (f"{f}: {c}" + (f" [{e}]" if isinstance(e, str) and e else "")) if isinstance(f, str)
        else (r or "") for f, c, e, r in
        zip(data["fit"], data["meta_inference"], evidence, data["reason"], strict=True)]
    for column in ("theme", "result", "integration"):
        data[f"shown_{column}"] = data[column].where(first, "")
    return alt.hconcat(
        _column(data, "shown_theme", "theme", 150),
        _column(data, "shown_result", "quantitative result (mean, 95% interval)", 260),
        _column(data, "cited", "exemplar quotes", 430),
        _column(data, "shown_integration", "fit: meta-inference", 260),
        spacing=8).properties(title="Side-by-side joint display").configure_view(stroke=None)


def by_theme_chart(frame: pd.DataFrame) -> alt.LayerChart:
    """Codings per 1,000 words per code and group, the number (or why it is empty) in each
    cell."""
    data = frame.copy()
    data["label"] = [f"{v:.2f}" if pd.notna(v) else "no material"
                     for v in data["per_1000"]]
    base = alt.Chart(data).encode(x=alt.X("group:N", title=str(data["rule"].iloc[0])
                                          if len(data) else None),
                                  y=alt.Y("code:N", title=None))
    cells = base.mark_rect().encode(
        color=alt.Color("per_1000:Q", scale=alt.Scale(scheme="blues"),
                        title="per 1,000 words"),
        tooltip=["code:N", "group:N", "cells:Q", "words:Q", "codings:Q",
                 alt.Tooltip("per_1000:Q", format=".2f"), *SOURCE, "reason:N"])
    text = base.mark_text(fontSize=11).encode(text="label:N")
    return (cells + text).properties(
        width=240, title="Statistics by theme: codings per 1,000 words of material")


def case_ordered_chart(frame: pd.DataFrame, *, by) -> alt.LayerChart:
    """Cells sorted by the metric, highest first, with their codes written beside the bar."""
    data = frame.copy()
    data["cell"] = [" ".join([*(str(r[k]) for k in by), f"{r['bucket_start']:%Y-%m-%d}"])
                    for _, r in data.iterrows()]
    data["beside"] = data["codes"].fillna(data["reason"].fillna(""))
    metric = str(data["metric"].iloc[0]) if len(data) else "metric"
    base = alt.Chart(data).encode(y=alt.Y("cell:N", sort=list(data["cell"]), title=None))
    bars = base.mark_bar(color="#4c78a8").encode(
        x=alt.X("value:Q", title=metric),
        tooltip=["cell:N", alt.Tooltip("value:Q", format=".3f"), "words:Q", "codes:N",
                 *SOURCE, "reason:N"])
    text = base.mark_text(align="left", dx=4, fontSize=10, limit=360).encode(
        x="value:Q", text="beside:N")
    return (bars + text).properties(width=360, title=f"Cells ordered by {metric}")


def _lanes(frame: pd.DataFrame) -> pd.DataFrame:
    """Coded passages drawn above each unit's series, one lane per code."""
    data = frame.copy()
    top = data[data["layer"] == "metric"].groupby("unit")["value"].max()
    codes = {c: i for i, c in enumerate(sorted(data["code"].dropna().unique()))}
    coded = data["layer"] == "coding"
    height = data.loc[coded, "unit"].map(top).fillna(1.0).clip(lower=1e-9)
    data.loc[coded, "value"] = height * (1.08 + 0.06 * data.loc[coded, "code"].map(codes))
    return data


def timeline_chart(frame: pd.DataFrame, metric: str) -> alt.FacetChart:
    """Per unit: timeline events as grey bands (a moment as a dashed rule), the metric's
    series as a line, coded passages above it at their time (a span as a bar, a minute as a
    point), the quote in the tooltip."""
    data = _lanes(frame)
    data["cited"] = _cited(data)
    x = alt.X("t_start:T", title=None)
    bands = alt.Chart().mark_rect(color="#999999", opacity=0.18).encode(
        x=x, x2="t_end:T", tooltip=["label:N", "precision:N", "t_start:T", "t_end:T"]
    ).transform_filter((alt.datum.layer == "event") & (alt.datum.precision != "moment"))
    moments = alt.Chart().mark_rule(color="#777777", strokeDash=[3, 3]).encode(
        x=x, tooltip=["label:N", "t_start:T"]).transform_filter(
        (alt.datum.layer == "event") & (alt.datum.precision == "moment"))
    line = alt.Chart().mark_line(color="#4c78a8", point=True).encode(
        x=x, y=alt.Y("value:Q", title=metric),
        tooltip=["t_start:T", alt.Tooltip("value:Q", format=".3f")]
    ).transform_filter(alt.datum.layer == "metric")
    tooltip = ["code:N", "precision:N", "t_start:T", "t_end:T", "cited:N"]
    spans = alt.Chart().mark_rule(strokeWidth=4).encode(
        x=x, x2="t_end:T", y="value:Q", color=alt.Color("code:N", title="coded"),
        tooltip=tooltip).transform_filter(
        (alt.datum.layer == "coding") & (alt.datum.mark == "span"))
    points = alt.Chart().mark_point(filled=True, size=50, shape="diamond").encode(
        x=x, y="value:Q", color="code:N", tooltip=tooltip).transform_filter(
        (alt.datum.layer == "coding") & (alt.datum.mark == "point"))
    return alt.layer(bands, moments, line, spans, points, data=data).properties(
        width=720, height=140).facet(row=alt.Row("unit:N", title=None)).properties(
        title=f"{metric} per unit, timeline events (grey) and coded passages at their time")
