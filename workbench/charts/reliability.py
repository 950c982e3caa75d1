"""Charts of intercoder agreement."""

from __future__ import annotations

import altair as alt
import pandas as pd

#: Krippendorff (2004, p. 241): rely on variables with alpha >= .800; consider tentative
#: conclusions only for .667 <= alpha < .800.
THRESHOLDS = (0.667, 0.8)


def agreement_chart(table: pd.DataFrame) -> alt.Chart:
    """Alpha per code with its bootstrap interval (``project.agreement``), best first, with
    Krippendorff's .667 and .800 marked."""
    frame = table.dropna(subset=["alpha"])
    order = frame.sort_values("alpha", ascending=False)["code"].tolist()
    base = alt.Chart(frame).encode(y=alt.Y("code:N", sort=order, title=None))
    interval = base.mark_rule(color="#888888").encode(
        x=alt.X("ci_low:Q", title="Krippendorff's alpha", scale=alt.Scale(domain=[-0.2, 1])),
        x2="ci_high:Q")
    points = base.mark_point(filled=True, size=60, color="#4c78a8").encode(
        x="alpha:Q", tooltip=["code", alt.Tooltip("alpha:Q", format=".3f"),
                              alt.Tooltip("ci_low:Q", format=".3f"),
                              alt.Tooltip("ci_high:Q", format=".3f"), "units"])
    labels = base.mark_text(align="left", dx=8, fontSize=10).encode(
        x="alpha:Q", text=alt.Text("alpha:Q", format=".2f"))
    rules = alt.Chart(pd.DataFrame({"alpha": THRESHOLDS})).mark_rule(
        strokeDash=[4, 4], color="#c0392b").encode(x="alpha:Q")
    return (interval + points + labels + rules).properties(
        title="Agreement per code (dashed: .667 and .800)")


def disagreement_heatmap(disagreements: pd.DataFrame) -> alt.Chart:
    """Number of disagreements per document and code (``project.disagreements``)."""
    counts = disagreements.groupby(["document", "code"]).size().rename("n").reset_index()
    base = alt.Chart(counts).encode(x=alt.X("code:N", title=None),
                                    y=alt.Y("document:N", title=None))
    cells = base.mark_rect().encode(
        color=alt.Color("n:Q", scale=alt.Scale(scheme="reds"), legend=None))
    return (cells + base.mark_text(fontSize=11).encode(text="n:Q")).properties(
        title="Where the coders disagree")
