"""The mixed matrix: coded evidence and log metrics in the same cells (key value x period).

One row per key value (unit, role) and period, with the **material** observed in or spoken
about that cell (documents and words: the exposure, so that "no data" is never read as "no
mention"), each code's count and density per 1,000 words of material, and the log metrics of
the same cell. It is O'Cathain, Murphy and Nicholl's mixed methods matrix [1]_ with the logs'
cells as its cases; densities follow the "exposure before density" rule of
``shared/DESIGN.md``: a cell without material has no density (NaN), not zero.

References
----------
.. [1] O'Cathain A, Murphy E, Nicholl J (2010). Three techniques for integrating data in mixed
   methods studies. BMJ 341:c4587.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from workbench.coding.codings import CODING_COLUMNS, code_and_descendants, codings_frame
from workbench.coding.queries import document_attribute
from workbench.corpus.views import document, documents, segments
from workbench.errors import CodingError, TriangulationError
from workbench.logs.mapping import Shifts
from workbench.triangulate.cells import (
    PERIODS,
    explode_keys,
    explode_periods,
    period_end,
)
from workbench.triangulate.evidence import TimeRules, place_codings, place_material
from workbench.triangulate.keys import ALL, LOG_KEYS, crosswalk, key_values
from workbench.triangulate.metrics import metric_cells
from workbench.triangulate.references import references
from workbench.triangulate.timeline import event, timeline
from workbench.triangulate.windows import (
    WINDOW_COLUMNS,
    event_windows,
    explode_windows,
    window_metrics,
)

if TYPE_CHECKING:
    import ibis.expr.types as ir

__all__ = ["MixedMatrix", "mixed_matrix"]


@dataclass(frozen=True)
class MixedMatrix:
    """A mixed matrix and what stands behind it.

    Attributes
    ----------
    cells : one row per cell: the ``by`` keys, bucket_start, documents, words, has_material,
        then ``<code>`` (codings) and ``<code>_per_1000`` (per 1,000 words of material) for
        each code, then each log metric column.
    evidence : one row per coding and cell it speaks for: keys, bucket_start, code (the code
        asked for), coding_id, doc_id, document, coder, start, end, text, t_start, t_end (its
        time extent on the site's clock; t_end NaT for an open-ended event), precision, basis.
    unplaced : codings and material that no rule places in a cell, with the reason.
    notes : plain-language remarks: the crosswalk used, key values the logs do not know,
        cells outside the logs' coverage.
    """

    cells: pd.DataFrame
    evidence: pd.DataFrame
    unplaced: pd.DataFrame
    notes: tuple[str, ...]
    by: tuple[str, ...]
    period: str
    codes: tuple[str, ...]
    metrics: tuple[str, ...]

    def quotes(self, **cell) -> pd.DataFrame:
        """The coded quotes behind one cell: ``quotes(unit="4N", bucket_start="2025-03-31")``."""
        frame = self.evidence
        for key, value in cell.items():
            if key not in frame:
                raise TriangulationError(32, f"'{key}' is not a key of this matrix; use "
                                         f"{', '.join([*self.by, 'bucket_start', 'code'])}.")
            frame = frame[frame[key] == (pd.Timestamp(value) if key == "bucket_start"
                                         else value)]
        return frame.reset_index(drop=True)

    def _repr_html_(self) -> str:
        return self.cells._repr_html_()


def _code_ids(conn: sqlite3.Connection, codes: Sequence[str]) -> pd.DataFrame:
    """(code asked for, code_id) pairs: each code with its descendants."""
    pairs = [(code, code_id) for code in codes for code_id in code_and_descendants(conn, code)]
    return pd.DataFrame(pairs, columns=["code", "code_id"])


def _document_facts(conn: sqlite3.Connection) -> pd.DataFrame:
    """What placing in time needs of each document: kind, date, shift, submitted_at, sizes."""
    docs = documents(conn)[["doc_id", "kind", "date", "n_chars", "n_words"]].copy()
    docs["date"] = pd.to_datetime(docs["date"], errors="coerce", format="ISO8601")
    for name in ("shift", "submitted_at"):
        try:
            values = document_attribute(conn, name)
        except CodingError:  # no document or case has it: every value is missing
            values = pd.Series(dtype=object)
        docs[name] = docs["doc_id"].map(values)
    docs["submitted_at"] = pd.to_datetime(docs["submitted_at"], errors="coerce",
                                          format="ISO8601")
    return docs


def mixed_matrix(conn: sqlite3.Connection, events: ir.Table | None, *,
                 by: str | Sequence[str] = "unit", period: str = "week",
                 codes: Sequence[str] = (), metrics: Sequence[str] = (),
                 coder: str | None = None, rules: TimeRules | None = None,
                 window: str | None = None) -> MixedMatrix:
    """Coded evidence and log metrics per cell (key value x period); see the module doc.

    Parameters
    ----------
    events : the canonical events table (:func:`workbench.logs.connect`), or None when the
        project has no logs (then ``metrics`` must be empty).
    by : ``unit`` and/or ``role``, read through the project's crosswalk.
    period : ``shift``, ``day`` or ``week`` (the logs' buckets), or the id of a timeline event:
        then the cells are its before, during and after windows (:mod:`.windows`; a
        ``window`` column names them).
    codes : code names or slugs; each counts its own codings and its descendants'.
    metrics : log metric columns (``stale_share``, ``median_minutes``, ``1 - ppv`` ...).
    coder : the layer to count (a coder, ``consensus``); None follows the counting rule of
        :mod:`workbench.coding.layers` (refuses to add several coders up).
    rules : shift times and the survey window; by default the logs' shift times.
    window : with an event as ``period``, the length of the before and after windows
        (``"21D"``); by default the event's own length.
    """
    by = (by,) if isinstance(by, str) else tuple(by)
    for key in by:
        if key not in LOG_KEYS:
            raise TriangulationError(1, f"cannot link by '{key}'; use {' or '.join(LOG_KEYS)}.")
    anchor = None if period in PERIODS else _event_period(conn, period)
    if metrics and events is None:
        raise TriangulationError(33, "this project has no deployment logs, so no log metric "
                                 "can be joined. Load them with project.load_logs(...), or "
                                 "ask for codes only.")
    rules = rules or TimeRules()
    codes = tuple(codes)
    keys = {k: crosswalk(conn)[k] for k in by}
    material, evidence, unplaced, notes = placed_evidence(conn, keys, codes, coder, rules)
    if anchor is None:
        logged = (metric_cells(events, metrics or ("alerts",), period=period, by=by,
                               shifts=rules.shifts) if events is not None else None)
        horizon = _horizon(logged, material, period, rules.shifts)
    else:
        horizon = _coverage_end(events, material)
        windows = event_windows(anchor, window, horizon)
        logged = (window_metrics(events, metrics or ("alerts",), windows, by=by,
                                 shifts=rules.shifts) if events is not None else None)
    known = _known_values(by, logged, material)
    notes += _unknown_values(material, by, known, logged is not None)
    material, evidence = (explode_keys(f, by, known, ALL) for f in (material, evidence))
    if anchor is None:
        material, evidence = (explode_periods(f, period, rules.shifts, horizon)
                              for f in (material, evidence))
    else:
        material, evidence = (explode_windows(f, windows, horizon)
                              for f in (material, evidence))
    cells = _cells(material, evidence, logged, by, codes, tuple(metrics))
    if anchor is not None:
        cells = windows.merge(cells, on="bucket_start", how="left").dropna(subset=list(by))
        cells = cells[[*by, *WINDOW_COLUMNS, *[c for c in cells if c not in (
            *by, *WINDOW_COLUMNS)]]].reset_index(drop=True)
    if logged is not None:
        outside = cells["has_material"] & ~cells.set_index(["bucket_start", *by]).index.isin(
            logged.set_index(["bucket_start", *by]).index)
        if outside.any():
            notes += (f"{int(outside.sum())} cell(s) with material lie outside what the logs "
                      "cover: their metrics are empty.",)
    columns = [*by, "bucket_start", "code", "coding_id", "doc_id", "document", "coder",
               "start", "end", "text", "t_start", "t_end", "precision", "basis"]
    evidence = evidence.sort_values([*by, "bucket_start", "code", "document", "start"],
                                    kind="stable", ignore_index=True)[columns]
    return MixedMatrix(cells, evidence, unplaced, notes, by, period, codes, tuple(metrics))


def _event_period(conn: sqlite3.Connection, period: str):
    """The timeline event a ``period`` names; anything else is refused with the choices."""
    events = timeline(conn)["event_id"].tolist()
    if period not in events:
        raise TriangulationError(30, f"period '{period}' is not supported; choose one of "
                                 f"{', '.join(PERIODS)}, or a timeline event's id ("
                                 f"{', '.join(events) or 'none stored: project.set_timeline'}"
                                 ").")
    return event(conn, period)


def placed_evidence(conn, keys, codes, coder, rules):
    """Material pieces and coded evidence with their keys; what has no key or time."""
    by = tuple(keys)
    docs = _document_facts(conn)
    paragraphs = segments(conn, "paragraph")
    refs = references(conn)
    texts = {doc_id: document(conn, doc_id).text for doc_id in refs["doc_id"].unique()}
    pieces, unplaced_material = place_material(docs, paragraphs, refs, timeline(conn), texts,
                                               rules)
    values = key_values(conn, keys)
    pieces = pieces.merge(values, on="doc_id")
    names = documents(conn).set_index("doc_id")["name"]
    # No codes asked: no codings, with the columns the evidence keeps (as a merge would give).
    codings = pd.DataFrame(columns=[c if c != "code" else "code_" for c in CODING_COLUMNS]
                           + ["code"])
    if codes:
        wanted = _code_ids(conn, codes)
        codings = codings_frame(conn, coder=coder, counting=True).merge(wanted, on="code_id",
                                                                          suffixes=("_", ""))
    placed, unplaced_codings = place_codings(codings, pieces.drop(columns=list(by)))
    # A coding in a field note without a date (or a survey answer without a submission
    # time) is unplaced for its document's reason, not as retrospective talk.
    why = unplaced_material.drop_duplicates("doc_id").set_index("doc_id")["reason"]
    unplaced_codings["reason"] = unplaced_codings["doc_id"].map(why).fillna(
        unplaced_codings["reason"])
    placed = placed.merge(values, on="doc_id")
    missing = pieces[list(by)].isna().any(axis=1)
    no_key = placed[list(by)].isna().any(axis=1)
    unplaced = pd.concat([
        unplaced_material.assign(what="material"),
        pieces[missing][["doc_id", "start", "end", "words"]].assign(
            what="material", reason=f"no {' or '.join(by)} for this document"),
        unplaced_codings.assign(what="coding"),
        placed[no_key].assign(what="coding", reason=f"no {' or '.join(by)} for this document"),
    ], ignore_index=True)
    unplaced["document"] = unplaced["doc_id"].map(names)
    keep = ["what", "document", "doc_id", "start", "end", "words", "coding_id", "code", "text",
            "reason"]
    unplaced = unplaced.reindex(columns=keep)
    crosswalk_note = "; ".join(
        f"{k} from attribute '{key.attribute}'" + (f" with {len(key.values)} translated "
                                                   "value(s)" if key.values else "")
        for k, key in keys.items())
    return (pieces[~missing], placed[~no_key].assign(document=lambda f: f["doc_id"].map(names)),
            unplaced, (f"keys: {crosswalk_note}.",))


def _known_values(by, logged, material) -> dict[str, list[str]]:
    """The values each key takes: the logs' where there are logs, else the evidence's own."""
    known = {}
    for key in by:
        source = logged[key] if logged is not None else material[key]
        known[key] = sorted({str(v) for v in source.dropna() if v != ALL})
    return known


def _unknown_values(material, by, known, have_logs: bool) -> tuple[str, ...]:
    """Notes for evidence key values that match nothing in the logs (a crosswalk gap)."""
    if not have_logs:
        return ()
    notes = []
    for key in by:
        strange = sorted({str(v) for v in material[key].dropna()} - set(known[key]) - {ALL})
        if strange:
            notes.append(f"{key} value(s) {', '.join(strange)} in the evidence match no {key} "
                         f"in the logs ({', '.join(known[key])}): add them to the crosswalk "
                         f"(project.set_keys) or they stay cells without log metrics.")
    return tuple(notes)


def _coverage_end(events, material) -> pd.Timestamp:
    """The end of the last hour the logs cover (else the last time any evidence names)."""
    if events is not None:
        last = events.local_ts.max().to_pandas()
        if last is not None and not pd.isna(last):
            return pd.Timestamp(last).floor("h") + pd.Timedelta(hours=1)
    times = pd.concat([material["t_start"], material["t_end"]]).dropna()
    return times.max() if len(times) else pd.Timestamp("2262-01-01")


def _horizon(logged, material, period: str, shifts: Shifts) -> pd.Timestamp:
    """Where open-ended evidence stops: the end of the logs' last bucket, else the last time
    any evidence names."""
    if logged is not None and len(logged):
        return period_end(pd.Timestamp(logged["bucket_start"].max()), period)
    times = pd.concat([material["t_start"], material["t_end"]]).dropna()
    return times.max() if len(times) else pd.Timestamp("2262-01-01")


def _cells(material, evidence, logged, by, codes, metrics) -> pd.DataFrame:
    """Material, code counts and densities, and metrics per cell; all cells of either side."""
    keys = [*by, "bucket_start"]
    exposure = material.groupby(keys).agg(documents=("doc_id", "nunique"),
                                          words=("words", "sum")).reset_index()
    cells = exposure
    if logged is not None:
        cells = exposure.merge(logged[[*keys, *metrics]], on=keys, how="outer")
    cells["documents"] = cells["documents"].fillna(0).astype("int64")
    cells["words"] = cells["words"].fillna(0).astype("int64")
    cells["has_material"] = cells["words"] > 0
    counts = (evidence.groupby([*keys, "code"])["coding_id"].nunique().unstack("code")
              if len(evidence) else pd.DataFrame())
    for code in codes:
        column = counts[code] if code in counts else pd.Series(dtype="float64")
        cells = cells.merge(column.rename(code).reset_index(), on=keys, how="left") if len(
            column) else cells.assign(**{code: 0})
        cells[code] = cells[code].fillna(0).astype("int64")
        cells[f"{code}_per_1000"] = (cells[code] / cells["words"] * 1000).where(
            cells["has_material"])
    ordered = [*by, "bucket_start", "documents", "words", "has_material"]
    ordered += [c for code in codes for c in (code, f"{code}_per_1000")]
    cells = cells[[*ordered, *metrics]]
    return cells.sort_values(keys, kind="stable", ignore_index=True)
