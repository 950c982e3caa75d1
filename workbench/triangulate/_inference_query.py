"""The quantitative side of a meta-inference: a metric query over mixed-matrix cells.

A meta-inference keeps the query, not only the number, so the number can be re-run on the
project's logs later and a drift seen (:func:`check_query`). The query names one metric column
(:data:`~workbench.triangulate.metrics.METRIC_COLUMNS`), the period and keys of the cells
(:func:`~workbench.triangulate.metrics.metric_cells`, the same cells as the mixed matrix) and
filters choosing cells; its value pools the chosen cells.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from workbench.errors import TriangulationError, WorkbenchError
from workbench.logs.mapping import Shifts
from workbench.triangulate.cells import check_period, floor
from workbench.triangulate.metrics import COUNTS, LOG_BY, RATIOS, metric_cells, metric_column
from workbench.triangulate.timeline import TimelineEvent, wall_clock

if TYPE_CHECKING:
    import ibis.expr.types as ir

#: A re-run matches the recorded value within this relative tolerance (floating-point
#: summation order may differ between engines; nothing else may).
RELATIVE_TOLERANCE = 1e-9
_QUERY_KEYS = ("metric", "period", "by", "filters", "value", "decimals")


@dataclass(frozen=True)
class MetricQuery:
    """A metric query: ``metric`` per ``period`` and ``by`` keys, over the cells ``filters``
    choose; ``value`` as recorded (rounded to ``decimals`` places when given)."""

    metric: str
    period: str = "week"
    by: tuple[str, ...] = ("unit",)
    filters: Mapping[str, object] = field(default_factory=dict)
    value: float | None = None
    decimals: int | None = None

    def to_dict(self) -> dict:
        """The query as stored and listed: metric, period, by, filters, value, decimals."""
        return {"metric": self.metric, "period": self.period, "by": list(self.by),
                "filters": dict(self.filters), "value": self.value, "decimals": self.decimals}

    def describe(self) -> str:
        """The query in words, e.g. "stale_share per week by unit, where unit = 4N,
        bucket_start = 2025-03-31T00:00:00: 0.5736 as recorded"."""
        by = f" by {', '.join(self.by)}" if self.by else ""
        where = ", ".join(f"{k} = {v}" for k, v in self.filters.items())
        value = "" if self.value is None else f": {self.value:.10g} as recorded"
        return f"{self.metric} per {self.period}{by}{', where ' + where if where else ''}{value}"


def _by(value) -> tuple[str, ...]:
    keys = (value,) if isinstance(value, str) else tuple(value or ())
    unknown = [k for k in keys if k not in LOG_BY]
    if unknown or len(set(keys)) != len(keys):
        raise TriangulationError(72, f"quantitative 'by' {list(keys)} must name distinct log "
                                 f"keys among {', '.join(LOG_BY)} (or none).")
    return keys


def _filters(given, by: tuple[str, ...]) -> dict[str, object]:
    if not isinstance(given, Mapping):
        raise TriangulationError(72, "quantitative 'filters' must be a mapping such as "
                                 "{'unit': '4N', 'bucket_start': '2025-03-31'}.")
    allowed = (*by, "bucket_start", "event")
    out: dict[str, object] = {}
    for key, value in given.items():
        if key not in allowed:
            raise TriangulationError(72, f"quantitative filter '{key}' is not one of "
                                     f"{', '.join(allowed)} (a filter on a key needs it in "
                                     "'by').")
        if key == "bucket_start":
            pair = isinstance(value, Sequence) and not isinstance(value, str)
            stamps = [wall_clock(v, "filter bucket_start") for v in (value if pair else [value])]
            if len(stamps) not in (1, 2):
                raise TriangulationError(72, "filter bucket_start is one date or a pair "
                                         "[start, end) of dates.")
            text = [s.isoformat() for s in stamps]
            out[key] = text if pair else text[0]
        elif key in by:
            values = [value] if isinstance(value, str) else list(value)
            if not values or not all(isinstance(v, str) and v for v in values):
                raise TriangulationError(72, f"filter {key} must be a value or a list of "
                                         f"values as the logs write them, not {value!r}.")
            out[key] = values[0] if isinstance(value, str) else values
        elif not isinstance(value, str) or not value:
            raise TriangulationError(72, f"filter event must be a timeline event id, not "
                                     f"{value!r}.")
        else:
            out[key] = value
    return dict(sorted(out.items()))


def _number(value, what: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise TriangulationError(72, f"quantitative '{what}' must be a finite number, not "
                                 f"{value!r}.")
    return float(value)


def parse_query(given: Mapping) -> MetricQuery:
    """Check a quantitative query as a researcher writes it; refuse what cannot run.

    Parameters
    ----------
    given : mapping with ``metric`` (a metric column or ``"1 - <rate>"``), ``period``
        (shift, day, week; default week), ``by`` (``unit``, ``role``, both or none; default
        unit), ``filters`` (a key's value or values, ``bucket_start`` as one date or a pair
        [start, end), ``event`` a timeline event id: the cells its span overlaps), ``value``
        (the number as recorded; computed when omitted) and ``decimals`` (the places
        ``value`` was rounded to).
    """
    if not isinstance(given, Mapping) or "metric" not in given:
        raise TriangulationError(72, "quantitative must be a mapping with at least 'metric', "
                                 "e.g. {'metric': 'stale_share', 'by': 'unit', 'filters': "
                                 "{'unit': '4N', 'bucket_start': '2025-03-31'}}.")
    unknown = sorted(set(given) - set(_QUERY_KEYS))
    if unknown:
        raise TriangulationError(72, f"quantitative has unknown field(s) {', '.join(unknown)}; "
                                 f"the fields are {', '.join(_QUERY_KEYS)}.")
    metric_column(given["metric"])
    by = _by(given.get("by", ("unit",)))
    decimals = given.get("decimals")
    if decimals is not None and (isinstance(decimals, bool) or not isinstance(decimals, int)
                                 or not 0 <= decimals <= 15):
        raise TriangulationError(72, f"quantitative 'decimals' must be a whole number 0-15, "
                                 f"not {decimals!r}.")
    return MetricQuery(metric=" ".join(str(given["metric"]).split()),
                       period=check_period(given.get("period", "week")), by=by,
                       filters=_filters(given.get("filters") or {}, by),
                       value=_number(given.get("value"), "value"), decimals=decimals)


def _reason(err: Exception) -> str:
    return err.message if isinstance(err, WorkbenchError) else f"{type(err).__name__}: {err}"


def _columns(query: MetricQuery) -> list[str]:
    """The metric columns to fetch: the metric, and its numerator and denominator if a rate."""
    column = metric_column(query.metric)[0]
    return [query.metric, *RATIOS.get(column, ())]


def _chosen(cells: pd.DataFrame, query: MetricQuery, events: Mapping[str, TimelineEvent],
            shifts: Shifts) -> pd.DataFrame:
    keep = pd.Series(True, index=cells.index)
    for key, value in query.filters.items():
        if key in query.by:
            keep &= cells[key].isin([value] if isinstance(value, str) else value)
        elif key == "bucket_start":
            bounds = [pd.Timestamp(v) for v in ([value] if isinstance(value, str) else value)]
            keep &= (cells[key] == bounds[0]) if len(bounds) == 1 else (
                (cells[key] >= bounds[0]) & (cells[key] < bounds[1]))
        else:
            if value not in events:
                raise TriangulationError(73, f"the timeline has no event '{value}' any more.")
            found = events[value]
            first = floor(pd.Series([found.start]), query.period, shifts).iloc[0]
            starts = cells["bucket_start"]
            keep &= starts >= first
            if found.end is not None:
                # A bucket overlaps a span when it starts before the span ends; a moment
                # (start = end) lies in the bucket holding it.
                keep &= (starts < found.end) | (starts == first)
    return cells[keep]


def query_value(cells: pd.DataFrame, query: MetricQuery, events: Mapping[str, TimelineEvent],
                shifts: Shifts) -> float:
    """The query's value on metric cells: one cell's value; over several, a rate pools its
    numerators and denominators and a count is summed. A median or percentile over several
    cells, or no cell at all, raises (``WB-TRIANGULATE-073``)."""
    chosen = _chosen(cells, query, events, shifts)
    column, _, complement = metric_column(query.metric)
    if chosen.empty:
        raise TriangulationError(73, f"no cell matches the filters {dict(query.filters)}.")
    if len(chosen) == 1:
        return float(chosen[query.metric].iloc[0])
    if column in RATIOS:
        numerator, denominator = (chosen[c].sum() for c in RATIOS[column])
        pooled = numerator / denominator if denominator else math.nan
        return float(1 - pooled if complement else pooled)
    if column in COUNTS and not complement:
        return float(chosen[query.metric].sum())
    raise TriangulationError(73, f"{query.metric} cannot be pooled over {len(chosen)} cells; "
                             "narrow the filters to one cell.")


def run_queries(events: ir.Table, queries: Sequence[MetricQuery],
                timeline: Mapping[str, TimelineEvent], shifts: Shifts) -> list[float | str]:
    """Each query's current value on the logs, or why it does not run (text), in order. The
    metric is computed once per (period, by) for every query that shares them; an engine
    error stops only the queries of that group."""
    import duckdb
    import ibis.common.exceptions

    # What a stored query can meet when the logs changed under it (a column gone, a file
    # unreadable): reported as "the query no longer runs", never raised from a listing.
    engine_errors = (WorkbenchError, ibis.common.exceptions.IbisError, duckdb.Error, OSError)
    groups: dict[tuple, list[int]] = {}
    for index, query in enumerate(queries):
        groups.setdefault((query.period, query.by), []).append(index)
    results: list[float | str] = [math.nan] * len(queries)
    for (period, by), indices in groups.items():
        columns = list(dict.fromkeys(c for i in indices for c in _columns(queries[i])))
        try:
            cells = metric_cells(events, columns, period=period, by=by, shifts=shifts)
        except engine_errors as err:
            for index in indices:
                results[index] = _reason(err)
            continue
        for index in indices:
            try:
                results[index] = query_value(cells, queries[index], timeline, shifts)
            except TriangulationError as err:
                results[index] = err.message
    return results


def matches(query: MetricQuery, current: float) -> bool:
    """Whether a re-run ``current`` matches the recorded value: equal after rounding to the
    recorded ``decimals``, else within :data:`RELATIVE_TOLERANCE`."""
    if query.value is None or math.isnan(current):
        return False
    if query.decimals is not None:
        return round(current, query.decimals) == round(query.value, query.decimals)
    return math.isclose(current, query.value, rel_tol=RELATIVE_TOLERANCE, abs_tol=1e-12)
