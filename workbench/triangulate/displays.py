"""Joint displays as tidy tables: both strands of evidence side by side.

Mixed-methods researchers integrate their qualitative and quantitative strands in **joint
displays** [1]_; the four built here are the two most common in Guetterman et al.'s review
(side-by-side, statistics by theme), the case-ordered display (O'Cathain et al.'s mixed methods
matrix with its cases sorted by a metric [2]_) and a display no QDA tool draws: a metric's
series per unit with timeline events as bands and coded passages placed at their time.

Every function takes DataFrames (a mixed matrix's cells and evidence, quotes with their
sources) and returns one tidy DataFrame; :mod:`workbench.charts.displays` draws them. Quotes
are exact slices ``text[start:end]`` of the stored documents and name their document, speaker
(the turn the passage starts in) and date. A theme, group or cell without data is kept as a
row with the ``reason``, never dropped: an empty cell is a finding about the data.

References
----------
.. [1] Guetterman, T. C., Fetters, M. D., & Creswell, J. W. (2015). Integrating quantitative
   and qualitative results in health science mixed methods research through joint displays.
   Annals of Family Medicine 13(6), 554-561.
.. [2] O'Cathain, A., Murphy, E., & Nicholl, J. (2010). Three techniques for integrating data
   in mixed methods studies. BMJ 341:c4587.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from workbench.logs.mapping import Shifts

__all__ = ["QUOTE_COLUMNS", "by_theme", "case_ordered", "side_by_side", "sourced_quotes",
           "timeline_display"]

QUOTE_COLUMNS = ["quote", "document", "speaker", "date", "coding_id"]
NO_INFERENCE = "no meta-inference recorded"
MINUTE = pd.Timedelta(minutes=1)


def sourced_quotes(codings: pd.DataFrame, texts: Mapping[str, str], turns: pd.DataFrame,
                   dates: Mapping[str, object]) -> pd.DataFrame:
    """``codings`` with each passage's exact text and its source.

    Parameters
    ----------
    codings : at least coding_id, doc_id, document, start, end.
    texts : doc_id -> the document's stored text.
    turns : turn segments (doc_id, start, end, speaker) from ``project.segments("turn")``.
    dates : doc_id -> the document's date (missing when it has none).

    Returns
    -------
    ``codings`` with quote (``text[start:end]``), speaker (of the turn the passage starts in;
    missing in a document without turns, such as a field note) and date added.
    """
    frame = codings.reset_index(drop=True).copy()
    frame["quote"] = [texts[d][s:e] for d, s, e in
                      zip(frame["doc_id"], frame["start"], frame["end"], strict=True)]
    frame["date"] = frame["doc_id"].map(dates)
    frame["speaker"] = pd.Series(pd.NA, index=frame.index, dtype=object)
    spoken = turns.dropna(subset=["speaker"])
    if len(frame) and len(spoken):
        found = pd.merge_asof(
            frame[["doc_id", "start"]].reset_index().astype({"start": "int64"})
            .sort_values("start", kind="stable"),
            spoken[["doc_id", "start", "end", "speaker"]].astype({"start": "int64"})
            .rename(columns={"start": "turn_start", "end": "turn_end"})
            .sort_values("turn_start", kind="stable"),
            left_on="start", right_on="turn_start", by="doc_id", direction="backward")
        inside = found["turn_end"].notna() & (found["start"] < found["turn_end"])
        frame.loc[found.loc[inside, "index"], "speaker"] = found.loc[inside, "speaker"].values
    return frame


def _exemplars(quotes: pd.DataFrame, n: int) -> pd.DataFrame:
    """Up to ``n`` quotes, one per document first: documents with the most codings of the
    theme lead (ties by name), each with its first passage."""
    if quotes.empty:
        return quotes
    counts = quotes.groupby("document")["coding_id"].transform("nunique")
    ordered = quotes.assign(_n=counts).sort_values(["_n", "document", "start"],
                                                   ascending=[False, True, True], kind="stable")
    first = ordered.drop_duplicates("document")
    rest = ordered.drop(first.index)
    return pd.concat([first, rest]).head(n).drop(columns="_n")


def _mean_interval(values: np.ndarray, seed: int, resamples: int = 2000):
    """The mean and its 95% percentile bootstrap interval (Efron & Tibshirani 1993, ch. 13)."""
    if len(values) == 0:
        return np.nan, np.nan, np.nan
    rng = np.random.default_rng(seed)
    means = values[rng.integers(0, len(values), size=(resamples, len(values)))].mean(axis=1)
    low, high = np.percentile(means, [2.5, 97.5])
    return float(values.mean()), float(low), float(high)


def _inference_for(theme: str, names: Sequence[str], inferences: pd.DataFrame | None):
    """(fit, meta_inference, inference_evidence, inference_id, flags) of the active
    meta-inferences on a theme."""
    if inferences is None or inferences.empty:
        return None
    wanted = {str(n).casefold() for n in names}
    active = inferences[(inferences["status"] == "active")
                        & inferences["theme"].astype(str).str.casefold().isin(wanted)]
    if active.empty:
        return None
    flags = [str(f) for listed in active["flags"]
             for f in (listed if isinstance(listed, list | tuple) else [listed])
             if isinstance(f, str) and f]
    queried = [_query_text(q, v) for q, v in zip(
        active.get("quantitative", [None] * len(active)),
        active.get("current_value", [None] * len(active)), strict=True)]
    return ("; ".join(dict.fromkeys(active["fit"])), " | ".join(active["claim"]),
            " | ".join(q for q in queried if q), ", ".join(active["inference_id"]),
            "; ".join(flags))


def _query_text(query, current) -> str:
    """An inference's quantitative evidence in words: ``stale_share (unit=4N,
    bucket_start=2025-03-31) = 0.574``, with the value re-run now where there is one."""
    if not isinstance(query, dict) or "metric" not in query:
        return ""
    filters = ", ".join(f"{k}={v}" for k, v in (query.get("filters") or {}).items())
    value = current if current is not None and not pd.isna(current) else query.get("value")
    shown = f"{value:.4g}" if isinstance(value, int | float) else str(value)
    return f"{query['metric']}" + (f" ({filters})" if filters else "") + f" = {shown}"


def side_by_side(themes: Mapping[str, str], cells: pd.DataFrame, quotes: pd.DataFrame, *,
                 names: Mapping[str, Sequence[str]] | None = None,
                 inferences: pd.DataFrame | None = None, per_theme: int = 3,
                 seed: int = 0) -> pd.DataFrame:
    """The side-by-side display: per theme, its quantitative result, exemplar quotes, the fit
    and the meta-inference [1]_.

    Parameters
    ----------
    themes : theme (a code) -> the log metric column that speaks to it.
    cells : a mixed matrix's cells holding each metric column.
    quotes : :func:`sourced_quotes` of the themes' codings, with a ``theme`` column.
    names : theme -> the names it may go by in ``inferences`` (its code id and name).
    inferences : ``project.inferences()`` (theme, fit, claim, inference_id, status, flags).
    per_theme : how many exemplar quotes.

    Returns
    -------
    One row per theme and exemplar quote (one row with empty quote columns when the theme has
    none): theme, metric, value (the metric's mean over the cells that have it), ci_low,
    ci_high (95% bootstrap interval of that mean), cells, quote_rank, quote, document,
    speaker, date, coding_id, fit, meta_inference, inference_evidence (each inference's
    metric query in words with its value re-run now), inference_id, flags, reason.
    """
    rows = []
    for number, (theme, metric) in enumerate(themes.items()):
        values = cells[metric].dropna().to_numpy(dtype=float) if metric in cells else np.array(
            [])
        value, low, high = _mean_interval(values, seed + number)
        chosen = _exemplars(quotes[quotes["theme"] == theme], per_theme)
        found = _inference_for(theme, (names or {}).get(theme, (theme,)), inferences)
        reasons = ([] if len(values) else [f"no log value for {metric}"]) + (
            [] if len(chosen) else ["no coded passage for this theme"]) + (
            [] if found else [NO_INFERENCE])
        head = {"theme": theme, "metric": metric, "value": value, "ci_low": low,
                "ci_high": high, "cells": len(values)}
        tail = dict(zip(["fit", "meta_inference", "inference_evidence", "inference_id",
                         "flags"], found or (None,) * 5, strict=True))
        tail["reason"] = "; ".join(reasons) or None
        if chosen.empty:
            rows.append({**head, "quote_rank": 0, **dict.fromkeys(QUOTE_COLUMNS), **tail})
        for rank, quote in enumerate(chosen.itertuples(index=False), start=1):
            rows.append({**head, "quote_rank": rank,
                         **{c: getattr(quote, c) for c in QUOTE_COLUMNS}, **tail})
    columns = ["theme", "metric", "value", "ci_low", "ci_high", "cells", "quote_rank",
               *QUOTE_COLUMNS, "fit", "meta_inference", "inference_evidence", "inference_id",
               "flags", "reason"]
    return pd.DataFrame(rows, columns=columns)


def _groups(cells: pd.DataFrame, metric: str, split, shifts: Shifts):
    """(group per cell, the rule in words): high/low around a threshold, or day/night."""
    if split == "shift":
        minute = cells["bucket_start"].dt.hour * 60 + cells["bucket_start"].dt.minute
        return (pd.Series(np.where(minute == shifts.day_minute, "day", "night"),
                          index=cells.index), "day and night shifts")
    values = cells[metric]
    threshold = float(values.median()) if split == "median" else float(split)
    label = f"{metric} >= {threshold:.4g}" + (" (the median)" if split == "median" else "")
    group = pd.Series(np.where(values >= threshold, "high", "low"), index=cells.index)
    return group.where(values.notna()), label


def by_theme(cells: pd.DataFrame, evidence: pd.DataFrame, codes: Sequence[str], metric: str,
             *, by: Sequence[str], split="median", shifts: Shifts | None = None
             ) -> pd.DataFrame:
    """Statistics by theme: each code's prevalence in groups of cells a log metric defines
    [1]_, with a quote from each group.

    Parameters
    ----------
    cells, evidence : a mixed matrix's cells (with ``metric``) and evidence.
    split : ``"median"`` (cells with the metric at or above its median are ``high``, the rest
        ``low``), a number (the same with that threshold), or ``"shift"`` (``day`` and
        ``night`` cells of a matrix by shift).

    Returns
    -------
    One row per code and group: code, group, rule, cells, cells_with_material, words,
    codings (distinct codings in the group's cells), per_1000 (codings per 1,000 words of the
    group's material; empty without material), then one quote and its source, and reason. A
    group with no material is kept with the reason.
    """
    shifts = shifts or Shifts()
    keys = [*by, "bucket_start"]
    group, rule = _groups(cells, metric, split, shifts)
    grouped = cells.assign(group=group).dropna(subset=["group"])
    placed = evidence.merge(grouped[[*keys, "group"]], on=keys)
    labels = ["day", "night"] if split == "shift" else ["high", "low"]
    rows = []
    for code in codes:
        for label in labels:
            mine = grouped[grouped["group"] == label]
            coded = placed[(placed["group"] == label) & (placed["code"] == code)]
            words = int(mine["words"].sum())
            quote = coded.sort_values(["document", "start"], kind="stable").head(1)
            reason = (None if words and len(coded) else "no material in this group" if not words
                      else "material, but no passage coded with this code")
            rows.append({"code": code, "group": label, "rule": rule, "cells": len(mine),
                         "cells_with_material": int(mine["has_material"].sum()),
                         "words": words, "codings": int(coded["coding_id"].nunique()),
                         "per_1000": coded["coding_id"].nunique() / words * 1000 if words
                         else np.nan,
                         **{c: (quote[c].iloc[0] if len(quote) else None)
                            for c in QUOTE_COLUMNS},
                         "reason": reason})
    return pd.DataFrame(rows)


def _code_list(coded: pd.DataFrame) -> str:
    counts = coded.groupby("code")["coding_id"].nunique().sort_values(ascending=False,
                                                                    kind="stable")
    return ", ".join(f"{code} ({n})" for code, n in counts.items())


def case_ordered(cells: pd.DataFrame, evidence: pd.DataFrame, metric: str, *,
                 by: Sequence[str]) -> pd.DataFrame:
    """The case-ordered display: cells (key value x period) sorted by a metric, highest
    first, with the codes coded there and a quote each [2]_.

    Returns
    -------
    One row per cell: rank, the ``by`` keys, bucket_start, metric, value, words, codes
    (``code (codings)``, most first), then a quote (the cell's first coded passage by document
    and offset) and its source, and reason (no log value, no material, nothing coded). Cells
    without a value come last.
    """
    keys = [*by, "bucket_start"]
    order = cells.sort_values([metric, *keys], ascending=[False, *[True] * len(keys)],
                              na_position="last", kind="stable").reset_index(drop=True)
    grouped = {k: g.sort_values(["document", "start"], kind="stable")
               for k, g in evidence.groupby(keys)} if len(evidence) else {}
    rows = []
    for rank, cell in enumerate(order.itertuples(index=False), start=1):
        key = tuple(getattr(cell, k) for k in keys)
        coded = grouped.get(key if len(keys) > 1 else key[0], evidence.iloc[0:0])
        value = getattr(cell, metric)
        reason = ("no log value" if pd.isna(value) else "no material in this cell"
                  if not cell.has_material else "material, but nothing coded with these codes"
                  if coded.empty else None)
        rows.append({"rank": rank, **dict(zip(keys, key, strict=True)), "metric": metric,
                     "value": value, "words": cell.words, "codes": _code_list(coded) or None,
                     **{c: (coded[c].iloc[0] if len(coded) else None) for c in QUOTE_COLUMNS},
                     "reason": reason})
    return pd.DataFrame(rows)


def _event_rows(events: pd.DataFrame, units: Sequence[str], horizon: pd.Timestamp):
    """One band per event and unit it touched (no units listed: every unit)."""
    rows = []
    for event in events.itertuples(index=False):
        end = horizon if pd.isna(event.end) else event.end
        for unit in (event.units or units):
            if unit in units:
                rows.append({"layer": "event", "unit": unit, "t_start": event.start,
                             "t_end": max(end, event.start + MINUTE), "label": event.event_id,
                             "precision": "moment" if event.moment else
                             "open-ended" if event.open_ended else "span"})
    return rows


def timeline_display(cells: pd.DataFrame, evidence: pd.DataFrame, events: pd.DataFrame,
                     metric: str, *, period_length: pd.Timedelta,
                     unit: str = "unit") -> pd.DataFrame:
    """The time-aligned display as one long table, ``layer`` saying what each row is.

    Parameters
    ----------
    cells, evidence : a mixed matrix by ``unit`` (cells with ``metric``) and its evidence.
    events : the project's own timeline (``project.timeline()``).
    period_length : the length of one bucket (the series' step).

    Returns
    -------
    Rows of three layers, columns layer, unit, t_start, t_end, value, label, precision,
    mark, code, then the quote and its source: ``metric`` (one per cell with a value: the
    bucket and the metric's value), ``event`` (one band per timeline event and unit it
    touched; a moment is one minute wide; an open-ended event runs to the last bucket's end),
    ``coding`` (one per coded passage and unit, at its time extent; mark ``point`` when the
    extent is one minute or less, as for a field-note jotting, else ``span``, as for a shift).
    """
    series = cells.dropna(subset=[metric])
    units = sorted({str(u) for u in cells[unit].dropna()})
    horizon = (series["bucket_start"].max() + period_length if len(series)
               else pd.Timestamp(cells["bucket_start"].max()) + period_length)
    metric_rows = pd.DataFrame({"layer": "metric", "unit": series[unit],
                                "t_start": series["bucket_start"],
                                "t_end": series["bucket_start"] + period_length,
                                "value": series[metric], "label": metric})
    coded = evidence.drop_duplicates(["coding_id", unit, "t_start"]).copy()
    coded["t_end"] = coded["t_end"].fillna(horizon)
    width = coded["t_end"] - coded["t_start"]
    coding_rows = coded.assign(layer="coding", label=coded["code"],
                               mark=np.where(width <= MINUTE, "point", "span"))
    columns = ["layer", "unit", "t_start", "t_end", "value", "label", "precision", "mark",
               "code", *QUOTE_COLUMNS]
    frame = pd.concat([metric_rows, pd.DataFrame(_event_rows(events, units, horizon)),
                       coding_rows.rename(columns={unit: "unit"})], ignore_index=True)
    return frame.reindex(columns=columns).sort_values(
        ["unit", "layer", "t_start"], kind="stable", ignore_index=True)
