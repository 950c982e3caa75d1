"""Before and after a timeline event: both strands, with differences and intervals.

"The countermetric moved a little" must be answerable with "we cannot tell" when that is the
truth. For an anchor (a timeline event's start) and a window (``21D``), each log metric and
each code's density is measured in the window before the anchor, [t - w, t), and in the
window after it, [t, t + w), on the site's wall clock; an event exactly at the anchor is
after it. Log metrics come from hourly cells computed on the engine, so an anchor at 07:00
splits the day exactly. Rates pool their events (numerator and denominator summed over the
window), counts are per day, other measures (medians) average their hourly values weighted by
alerts.

The interval of each difference is a percentile bootstrap that resamples 24-hour blocks
counted from the anchor within each window [1]_ (for codes: the pieces of material), so that
a handful of busy days cannot pass for certainty. Blocks keep a day's dependence; dependence
across days is not modelled, so intervals are, if anything, too narrow: "cannot tell" is
then the safe reading. The verdict says "higher after", "lower after" or "cannot tell".

References
----------
.. [1] Efron B, Tibshirani RJ (1993). An Introduction to the Bootstrap. Chapman & Hall,
   chapter 13 (percentile intervals).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from workbench.errors import TriangulationError
from workbench.triangulate.evidence import TimeRules
from workbench.triangulate.keys import ALL, crosswalk
from workbench.triangulate.matrix import placed_evidence
from workbench.triangulate.metrics import COUNTS, RATIOS, hourly_cells, metric_column
from workbench.triangulate.timeline import event

if TYPE_CHECKING:
    import ibis.expr.types as ir

__all__ = ["AROUND_COLUMNS", "around"]

AROUND_COLUMNS = ["measure", "strand", "group", "before", "after", "difference", "ci_low",
                  "ci_high", "n_before", "n_after", "verdict"]
_DAY = pd.Timedelta(days=1)


def _window(text: str) -> pd.Timedelta:
    try:
        width = pd.Timedelta(text)
    except ValueError as err:
        raise TriangulationError(50, f"window '{text}' is not a length of time; write e.g. "
                                 "'21D' or '14D'.") from err
    if width < _DAY or width % _DAY:
        raise TriangulationError(50, f"window '{text}' must be a whole number of days (the "
                                 "bootstrap resamples days).")
    return width


def _verdict(low: float, high: float) -> str:
    if np.isnan(low) or np.isnan(high):
        return "cannot tell"
    return "higher after" if low > 0 else "lower after" if high < 0 else "cannot tell"


def _interval(before: np.ndarray, after: np.ndarray, statistic, resamples: int,
              rng: np.random.Generator, level: float) -> tuple[float, float]:
    """Percentile interval of statistic(after) - statistic(before), resampling rows (blocks)
    within each window."""
    if len(before) == 0 or len(after) == 0:
        return float("nan"), float("nan")
    diffs = np.empty(resamples)
    for i in range(resamples):
        pick_b = before[rng.integers(0, len(before), len(before))]
        pick_a = after[rng.integers(0, len(after), len(after))]
        diffs[i] = statistic(pick_a) - statistic(pick_b)
    diffs = diffs[np.isfinite(diffs)]
    if not len(diffs):
        return float("nan"), float("nan")
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(diffs, [tail, 100 - tail])
    return float(low), float(high)


def _metric_rows(events: ir.Table, names: Sequence[str], anchor: pd.Timestamp,
                 width: pd.Timedelta, by: tuple[str, ...], rules: TimeRules, resamples: int,
                 rng: np.random.Generator, level: float) -> list[dict]:
    """One row per metric and group: pooled before/after values and the interval."""
    parts = [(name, *metric_column(name)) for name in names]
    needed = sorted({c for _, column, _, _ in parts
                     for c in (RATIOS.get(column, ()) or (column,))} | {"alerts"})
    hourly = hourly_cells(events, needed, by=by, shifts=rules.shifts)
    hourly = hourly[(hourly["bucket_start"] >= anchor - width) &
                    (hourly["bucket_start"] < anchor + width)]
    hourly["block"] = ((hourly["bucket_start"] - anchor) // _DAY).astype(int)
    blocks = pd.DataFrame({"block": np.arange(-(width // _DAY), width // _DAY)})
    rows = []
    groups = hourly.groupby(list(by)) if by else [((), hourly)]
    for group, frame in groups:
        daily = blocks.merge(frame.groupby("block")[needed].sum(min_count=1).reset_index(),
                             on="block", how="left")
        weighted = frame.assign(**{c: frame[c] * frame["alerts"] for c in needed})
        daily_w = blocks.merge(weighted.groupby("block")[needed].sum(min_count=1)
                               .reset_index(), on="block", how="left")
        for name, column, _, complement in parts:
            rows.append(_metric_row(name, column, complement, daily, daily_w, group, by,
                                    resamples, rng, level))
    return rows


def _metric_row(name, column, complement, daily, daily_w, group, by, resamples, rng, level):
    """Before/after of one metric for one group, from its 24-hour blocks."""
    sign = -1.0 if complement else 1.0
    if column in RATIOS:
        num, den = RATIOS[column]
        values = daily[[num, den]].fillna(0).to_numpy()

        def statistic(rows):
            return rows[:, 0].sum() / rows[:, 1].sum() if rows[:, 1].sum() else np.nan
    elif column in COUNTS:
        values = daily[[column]].fillna(0).to_numpy()

        def statistic(rows):
            return rows[:, 0].mean()
    else:
        values = np.column_stack([daily_w[column].fillna(0), daily["alerts"].fillna(0)])

        def statistic(rows):
            return rows[:, 0].sum() / rows[:, 1].sum() if rows[:, 1].sum() else np.nan
    before, after = values[daily["block"] < 0], values[daily["block"] >= 0]
    b, a = statistic(before), statistic(after)
    if complement:
        b, a = 1 - b, 1 - a
    low, high = _interval(before, after, statistic, resamples, rng, level)
    if complement:
        low, high = sign * high, sign * low
    return {"measure": name, "strand": "logs", "group": _label(group, by), "before": b,
            "after": a, "difference": a - b, "ci_low": low, "ci_high": high,
            "n_before": f"{len(before)} days", "n_after": f"{len(after)} days",
            "verdict": _verdict(low, high)}


def _label(group, by) -> str:
    values = group if isinstance(group, tuple) else (group,)
    return ", ".join(f"{k}={v}" for k, v in zip(by, values, strict=True)) or "all"


def _code_rows(conn, codes, anchor, width, by, coder, rules, resamples, rng, level):
    """Before/after density of each code in the material placed on each side of the anchor."""
    keys = {k: crosswalk(conn)[k] for k in by}
    material, evidence, _, _ = placed_evidence(conn, keys, codes, coder, rules)
    rows = []
    for side, lo, hi in (("before", anchor - width, anchor), ("after", anchor, anchor + width)):
        for frame in (material, evidence):
            end = frame["t_end"].fillna(anchor + width)
            frame[side] = (frame["t_start"] < hi) & (end > lo)
    groups = [((), material)] if not by else [
        (value, material[(material[by[0]] == value) | (material[by[0]] == ALL)])
        for value in sorted({v for v in material[by[0]].dropna() if v != ALL})]
    for group, pieces in groups:
        for code in codes:
            coded = evidence[evidence["code"] == code]
            rows.append(_code_row(code, group, by, pieces, coded, resamples, rng, level))
    return rows


def _code_row(code, group, by, pieces, coded, resamples, rng, level):
    """Codings per 1,000 words before and after, resampling pieces of material."""
    sides = {}
    for side in ("before", "after"):
        chosen = pieces[pieces[side]]
        hits = coded[coded[side]]
        starts = {doc: np.sort(f["start"].to_numpy()) for doc, f in hits.groupby("doc_id")}
        per_piece = [np.searchsorted(starts.get(p.doc_id, np.empty(0)), p.end, "left") -
                     np.searchsorted(starts.get(p.doc_id, np.empty(0)), p.start, "left")
                     for p in chosen.itertuples()]
        sides[side] = np.column_stack([np.asarray(per_piece, dtype=float).reshape(-1),
                                       chosen["words"].to_numpy(dtype=float)])

    def statistic(rows):
        return rows[:, 0].sum() / rows[:, 1].sum() * 1000 if rows[:, 1].sum() else np.nan

    b, a = (statistic(sides[s]) for s in ("before", "after"))
    low, high = _interval(sides["before"], sides["after"], statistic, resamples, rng, level)
    return {"measure": code, "strand": "codes", "group": _label(group, by), "before": b,
            "after": a, "difference": a - b, "ci_low": low, "ci_high": high,
            "n_before": f"{int(sides['before'][:, 1].sum())} words",
            "n_after": f"{int(sides['after'][:, 1].sum())} words",
            "verdict": _verdict(low, high)}


def around(conn: sqlite3.Connection, events: ir.Table | None, *, event_id: str,
           window: str = "21D", metrics: Sequence[str] = (), codes: Sequence[str] = (),
           by: str | Sequence[str] = (), coder: str | None = None,
           rules: TimeRules | None = None, resamples: int = 2000, seed: int = 0,
           level: float = 0.95) -> pd.DataFrame:
    """Each metric and code density before and after a timeline event; see the module doc.

    Returns
    -------
    DataFrame : measure, strand (logs or codes), group, before, after, difference, ci_low,
    ci_high (the bootstrap interval of the difference), n_before, n_after (days, or words of
    material), verdict (higher after, lower after, cannot tell).
    """
    anchor, width = event(conn, event_id).start, _window(window)
    by = (by,) if isinstance(by, str) else tuple(by)
    if metrics and events is None:
        raise TriangulationError(33, "this project has no deployment logs, so no log metric "
                                 "can be compared. Load them with project.load_logs(...).")
    if not metrics and not codes:
        raise TriangulationError(51, "around() needs metrics=[...] or codes=[...] to compare.")
    rules = rules or TimeRules()
    rng = np.random.default_rng(seed)
    rows = []
    if metrics:
        rows += _metric_rows(events, metrics, anchor, width, by, rules, resamples, rng, level)
    if codes:
        rows += _code_rows(conn, tuple(codes), anchor, width, by, coder, rules, resamples,
                           rng, level)
    return pd.DataFrame(rows, columns=AROUND_COLUMNS)
