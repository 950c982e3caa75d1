"""Time of evidence, never guessed: each piece of material gets a time extent and a precision.

What the project knows places text in time, and nothing else does:

* a **field note** speaks for its date and shift (the shift window on the site's clock, cut
  exactly as the logs cut shifts: a night shift runs from 19:00 to 07:00 the next morning);
  a paragraph that opens with a clock time (``02:10 - ...``, a jotting) narrows to that minute,
  on the next calendar day when the night shift has passed midnight;
* a **survey answer** speaks for the period before it was submitted (``survey_window``, four
  weeks unless told), ending at its ``submitted_at``;
* an **interview** (and any other document) is retrospective: its passages are placed only by a
  researcher's reference to a timeline event or a period (:mod:`.references`), which also
  overrides the rules above for the passage it covers.

Everything else is returned as **unplaced** with the reason, so that an analysis can list it.
Precision labels: ``minute``, ``shift``, ``day``, ``submission``, ``reference``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from workbench.logs.mapping import Shifts

__all__ = ["PIECE_COLUMNS", "TimeRules", "place_codings", "place_material"]

#: A jotting: a paragraph that starts with a 24-hour clock time and a dash or colon.
JOTTING = re.compile(r"^\s*([01]?\d|2[0-3])[:.]([0-5]\d)\s*[-\u2013\u2014:]")
PIECE_COLUMNS = ["doc_id", "start", "end", "words", "t_start", "t_end", "precision", "basis",
                 "event_id"]
UNPLACED_COLUMNS = ["doc_id", "start", "end", "words", "reason"]
MINUTE = pd.Timedelta(minutes=1)


@dataclass(frozen=True)
class TimeRules:
    """How text is placed in time: the site's shift times and a survey answer's window."""

    shifts: Shifts = field(default_factory=Shifts)
    survey_window: pd.Timedelta = pd.Timedelta(days=28)


def _shift_windows(dates: pd.Series, labels: pd.Series, shifts: Shifts):
    """(start, end, precision) of each field note's date and shift on the site's clock: a
    ``day`` or ``night`` shift's window, else the whole calendar day."""
    day_start = dates + pd.Timedelta(minutes=shifts.day_minute)
    night_start = dates + pd.Timedelta(minutes=shifts.night_minute)
    day, night = labels == "day", labels == "night"
    start = dates.mask(day, day_start).mask(night, night_start)
    end = (dates + pd.Timedelta(days=1)).mask(day, night_start).mask(
        night, day_start + pd.Timedelta(days=1))
    return start, end, pd.Series(np.where(day | night, "shift", "day"), index=dates.index)


def _jotting_times(texts: list[str], dates: pd.Series, night: pd.Series, shifts: Shifts
                   ) -> pd.Series:
    """The minute each jotting names (NaT for a paragraph that is not one); after midnight
    on a night shift, on the next day."""
    found = [JOTTING.match(text) for text in texts]
    minute = pd.Series([int(m.group(1)) * 60 + int(m.group(2)) if m else np.nan
                        for m in found], index=dates.index)
    moved = (night & (minute < shifts.day_minute)).astype("int64")
    at = dates + pd.to_timedelta(moved, unit="D") + pd.to_timedelta(minute, unit="min")
    return at.where(minute.notna()).astype(dates.dtype)


def _words(text: str) -> int:
    """Words as the import counts them (whitespace-separated)."""
    return len(text.split())


def _fieldnote_pieces(paragraphs: pd.DataFrame, docs: pd.DataFrame, rules: TimeRules):
    """One piece per field-note paragraph: its jotting minute, or the note's shift or day.

    Vectorised over paragraphs: a loop over rows took 8.6 s for 65,000 paragraphs
    (``benchmarks/bench_triangulate.py``).
    """
    rows = paragraphs[["doc_id", "start", "end", "text"]].merge(
        docs[["doc_id", "date", "shift"]], on="doc_id", how="left")
    texts = rows["text"].tolist()
    words = [_words(text) for text in texts]
    labels = rows["shift"].map(lambda s: s.strip().lower() if isinstance(s, str) else "")
    at = _jotting_times(texts, rows["date"], labels == "night", rules.shifts)
    start, end, precision = _shift_windows(rows["date"], labels, rules.shifts)
    jotting = at.notna()
    basis = ("field note " + rows["date"].dt.strftime("%Y-%m-%d")).where(
        precision == "day", "field note " + rows["date"].dt.strftime("%Y-%m-%d") + ", "
        + rows["shift"].astype(str) + " shift")
    columns = (rows["doc_id"], rows["start"], rows["end"], words, start.mask(jotting, at),
               end.mask(jotting, at + MINUTE), precision.mask(jotting, "minute"),
               basis.mask(jotting, "jotting " + at.dt.strftime("%H:%M")))
    dated = rows["date"].notna().tolist()
    placed = [(*piece, None) for piece, keep in zip(
        zip(*(list(c) for c in columns), strict=True), dated, strict=True) if keep]
    unplaced = [(*piece, "field note without a date") for piece, keep in zip(
        zip(*(list(c) for c in columns[:4]), strict=True), dated, strict=True) if not keep]
    return placed, unplaced


def _survey_pieces(docs: pd.DataFrame, rules: TimeRules):
    """One piece per survey answer: the window before its submission."""
    pieces, unplaced = [], []
    for row in docs.itertuples(index=False):
        if pd.isna(row.submitted_at):
            unplaced.append((row.doc_id, 0, row.n_chars, row.n_words,
                             "survey answer without submitted_at"))
            continue
        end = pd.Timestamp(row.submitted_at)
        pieces.append((row.doc_id, 0, row.n_chars, row.n_words, end - rules.survey_window, end,
                       "submission", f"submitted {end:%Y-%m-%d %H:%M}", None))
    return pieces, unplaced


def _reference_pieces(references: pd.DataFrame, events: pd.DataFrame, texts: dict[str, str]):
    """One piece per reference: its event's extent (a moment is one minute) or its period."""
    pieces = []
    extent = events.set_index("event_id")
    for row in references.itertuples(index=False):
        words = _words(texts[row.doc_id][row.start:row.end])
        if row.event_id is not None and not pd.isna(row.event_id):
            found = extent.loc[row.event_id]
            end = found["end"]
            end = found["start"] + MINUTE if end == found["start"] else end
            pieces.append((row.doc_id, row.start, row.end, words, found["start"],
                           None if pd.isna(end) else end, "reference",
                           f"refers to {row.event_id}", row.event_id))
        else:
            pieces.append((row.doc_id, row.start, row.end, words, row.period_start,
                           row.period_end, "reference",
                           f"refers to {row.period_start:%Y-%m-%d}-{row.period_end:%Y-%m-%d}",
                           None))
    return pieces


def _minus_references(pieces: list[tuple], references: pd.DataFrame, texts: dict[str, str]):
    """Base pieces with the passages that references cover taken out of their words."""
    by_doc = {doc: list(zip(group["start"], group["end"], strict=True))
              for doc, group in references.groupby("doc_id")}
    kept = []
    for piece in pieces:
        covered = [(max(s, piece[1]), min(e, piece[2])) for s, e in by_doc.get(piece[0], [])
                   if s < piece[2] and e > piece[1]]
        if not covered:
            kept.append(piece)
            continue
        mask = np.ones(piece[2] - piece[1], dtype=bool)
        for s, e in covered:
            mask[s - piece[1]:e - piece[1]] = False
        text = texts[piece[0]][piece[1]:piece[2]]
        rest = "".join(ch if keep else " " for ch, keep in zip(text, mask, strict=True))
        if rest.strip():
            kept.append((piece[0], piece[1], piece[2], _words(rest), *piece[4:]))
    return kept


def place_material(docs: pd.DataFrame, paragraphs: pd.DataFrame, references: pd.DataFrame,
                   events: pd.DataFrame, texts: dict[str, str], rules: TimeRules
                   ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every piece of material with its time extent, and what could not be placed.

    Parameters
    ----------
    docs : one row per document: doc_id, kind, date, shift, submitted_at, n_chars, n_words.
    paragraphs : paragraph segments (doc_id, start, end, text) of the field notes.
    references : active references (:func:`.references.references`).
    events : the timeline (:func:`.timeline.timeline`).
    texts : doc_id -> canonical text, for the documents with references.

    Returns
    -------
    (pieces, unplaced) : pieces with columns doc_id, start, end, words, t_start, t_end (NaT
    for an open-ended event), precision, basis, event_id; unplaced with doc_id, start, end,
    words, reason.
    """
    notes, note_gaps = _fieldnote_pieces(
        paragraphs[paragraphs["doc_id"].isin(docs.loc[docs["kind"] == "fieldnote", "doc_id"])],
        docs, rules)
    surveys, survey_gaps = _survey_pieces(docs[docs["kind"] == "survey"], rules)
    base = _minus_references(notes + surveys, references, texts)
    referenced = _reference_pieces(references, events, texts)
    retrospective = docs[~docs["kind"].isin(["fieldnote", "survey"])]
    gaps = note_gaps + survey_gaps + [
        (r.doc_id, 0, r.n_chars, r.n_words, "retrospective: no reference places it in time")
        for r in retrospective.itertuples(index=False)]
    pieces = pd.DataFrame(base + referenced, columns=PIECE_COLUMNS)
    for column in ("t_start", "t_end"):
        pieces[column] = pd.to_datetime(pieces[column])
    return (pieces.sort_values(["doc_id", "start", "end", "t_start"], kind="stable",
                               ignore_index=True),
            pd.DataFrame(gaps, columns=UNPLACED_COLUMNS))


def place_codings(codings: pd.DataFrame, pieces: pd.DataFrame
                  ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each coding's time extents: the references overlapping it, else its piece's extent.

    A coding overlapping several references speaks for each of their times. A coding in no
    piece (an interview passage nobody placed) is returned as unplaced.

    Returns
    -------
    (placed, unplaced) : placed is ``codings`` joined with t_start, t_end, precision, basis,
    event_id (one row per extent); unplaced is ``codings`` with a ``reason``.
    """
    keep = ["t_start", "t_end", "precision", "basis", "event_id"]
    if codings.empty:
        empty = codings.assign(**{k: pd.Series(dtype=object) for k in keep})
        return empty, codings.assign(reason=pd.Series(dtype=object))
    refs = pieces[pieces["precision"] == "reference"]
    pairs = codings.reset_index(names="_row").merge(
        refs[["doc_id", "start", "end", *keep]].rename(columns={"start": "_s", "end": "_e"}),
        on="doc_id")
    by_reference = pairs[(pairs["_s"] < pairs["end"]) & (pairs["_e"] > pairs["start"])]
    rest = codings.reset_index(names="_row")
    rest = rest[~rest["_row"].isin(by_reference["_row"])]
    base = pieces[pieces["precision"] != "reference"].sort_values("start", kind="stable")
    located = pd.merge_asof(
        rest.sort_values("start", kind="stable"),
        base[["doc_id", "start", "end", *keep]].rename(columns={"start": "_s", "end": "_e"}),
        left_on="start", right_on="_s", by="doc_id", direction="backward")
    inside = located["_e"].notna() & (located["start"] < located["_e"])
    placed = pd.concat([by_reference, located[inside]], ignore_index=True)
    placed = placed.sort_values(["_row", "t_start"], kind="stable").drop(columns=["_s", "_e"])
    unplaced = located[~inside].drop(columns=["_s", "_e", *keep])
    unplaced = unplaced.assign(reason="retrospective: no reference places it in time")
    return (placed.drop(columns="_row").reset_index(drop=True),
            unplaced.sort_values("_row").drop(columns="_row").reset_index(drop=True))
