"""What has happened to a meta-inference's evidence since it was recorded.

Qualitative evidence is checked against the codings and codes tables (read through
:func:`workbench.coding.codings.coding_states` and :mod:`workbench.codebook.store`, merges as
:func:`~workbench.codebook.store.merges` reads them); quantitative evidence by re-running its
query on the logs (:func:`~._inference_query.run_queries`). Nothing here raises for a broken
piece of evidence: each problem becomes a flag in plain words.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Mapping
from typing import TYPE_CHECKING

import pandas as pd

from workbench.codebook.store import merges, status_of
from workbench.coding.codings import coding_states
from workbench.logs.mapping import Shifts
from workbench.triangulate._inference_query import MetricQuery, matches, run_queries
from workbench.triangulate.timeline import TimelineEvent, timeline

if TYPE_CHECKING:
    import ibis.expr.types as ir


def timeline_events(conn: sqlite3.Connection) -> dict[str, TimelineEvent]:
    """The project's timeline events by id."""
    return {row.event_id: TimelineEvent(row.event_id, row.label, row.start,
                                        None if pd.isna(row.end) else row.end, row.units)
            for row in timeline(conn).itertuples()}


def _code_flag(code_id: str, status: Mapping[str, str], merged: Mapping[str, str]) -> str | None:
    if status.get(code_id) == "active":
        return None
    if code_id in merged:
        return f"code '{code_id}' was merged into '{merged[code_id]}'"
    if code_id not in status:
        return f"code '{code_id}' is no longer in the codebook"
    return f"code '{code_id}' was retired"


def _coding_flag(link, state, status, merged) -> str | None:
    coding = f"coding {link.target_id}"
    if state is None:
        return f"{coding} is no longer in the project"
    if state.status != "active":
        return f"{coding} was removed"
    if state.doc_status != "active":
        return f"{coding}: its document {state.doc_id} was deleted"
    if state.code_id != link.code_id:
        if merged.get(link.code_id) == state.code_id:
            return (f"{coding}: its code '{link.code_id}' was merged into "
                    f"'{state.code_id}'")
        return f"{coding} was recoded from '{link.code_id}' to '{state.code_id}'"
    return None


def evidence_flags(conn: sqlite3.Connection, links: pd.DataFrame) -> dict[str, list[str]]:
    """Each inference's flags about its codings and codes (``links``: rows of
    ``inference_evidence``), in evidence order; inferences with none are absent."""
    status, merged = status_of(conn), merges(conn)
    states = coding_states(conn, links.loc[links["kind"] == "coding", "target_id"].tolist())
    by_id = {row.coding_id: row for row in states.itertuples()}
    flags: dict[str, list[str]] = {}
    for link in links.itertuples():
        flag = (_coding_flag(link, by_id.get(link.target_id), status, merged)
                if link.kind == "coding" else _code_flag(link.target_id, status, merged))
        if flag:
            flags.setdefault(link.inference_id, []).append(flag)
    return flags


def query_flags(conn: sqlite3.Connection, events: ir.Table | None, shifts: Shifts,
                queries: Mapping[str, MetricQuery]
                ) -> tuple[dict[str, float], dict[str, list[str]]]:
    """(current value, flags) per inference id, re-running every query on the logs. A query
    that fails gives a NaN value and the flag "the query no longer runs: <why>"."""
    ids = list(queries)
    results: list[float | str] = (
        run_queries(events, [queries[i] for i in ids], timeline_events(conn), shifts)
        if events is not None else ["the project has no deployment logs"] * len(ids))
    current: dict[str, float] = {}
    flags: dict[str, list[str]] = {}
    for inference_id, result in zip(ids, results, strict=True):
        query = queries[inference_id]
        if isinstance(result, str):
            current[inference_id] = math.nan
            flags[inference_id] = [f"the query no longer runs: {result}"]
            continue
        current[inference_id] = result
        if not matches(query, result):
            flags[inference_id] = [f"recorded value {query.value:.10g} no longer matches "
                                   f"the re-run {result:.10g}"]
    return current, flags
