"""Reading a stored run: the topic table, representative segments, and topic shares by
attribute and over time. Every function takes a run id and returns a tidy DataFrame."""

from __future__ import annotations

import sqlite3

import pandas as pd

from workbench.coding.queries import document_attribute
from workbench.corpus.views import document_table
from workbench.errors import TopicsError
from workbench.topics.runs import assignments, terms

__all__ = ["FREQUENCIES", "representatives", "topic_names", "topic_table", "topic_shares",
           "topics_over_time"]

#: Periods ``topics_over_time`` can count by (pandas period codes).
FREQUENCIES = {"day": "D", "week": "W", "month": "M", "quarter": "Q", "year": "Y"}
#: Terms that make a topic's name.
NAME_TERMS = 3


def topic_names(conn: sqlite3.Connection, run_id: str) -> pd.Series:
    """Each topic's name, its number and first terms (``3: alarm, beeping, night``); topic
    -1 is ``-1: no topic``. Indexed by topic."""
    listed = terms(conn, run_id)
    names = listed[listed["rank"] < NAME_TERMS].groupby("topic")["term"].agg(", ".join)
    names = pd.Series({t: f"{t}: {words}" for t, words in names.items()}, dtype=object)
    if -1 in names.index:
        names[-1] = "-1: no topic"
    return names.rename("name")


def representatives(conn: sqlite3.Connection, run_id: str, n: int = 3) -> pd.DataFrame:
    """The ``n`` segments of each topic closest to its centre: topic, rank, doc_id, document,
    speaker, start, end, closeness, text (topic -1 has none: it has no centre)."""
    assigned = assignments(conn, run_id)
    best = (assigned[assigned["topic"] >= 0]
            .sort_values(["topic", "closeness", "document", "start"],
                         ascending=[True, False, True, True], kind="stable")
            .groupby("topic").head(n))
    best = best.assign(rank=best.groupby("topic").cumcount())
    return best[["topic", "rank", "doc_id", "document", "speaker", "start", "end",
                 "closeness", "text"]].reset_index(drop=True)


def topic_table(conn: sqlite3.Connection, run_id: str) -> pd.DataFrame:
    """One row per topic: topic, name, size (segments), share (of the run's segments),
    terms (``term weight`` pairs, c-TF-IDF, heaviest first), example (the segment closest to
    the topic's centre), example_document, example_speaker."""
    assigned = assignments(conn, run_id)
    sizes = assigned.groupby("topic").size().rename("size")
    listed = terms(conn, run_id)
    weighted = (listed["term"] + " " + listed["weight"].map("{:.3f}".format)).groupby(
        listed["topic"]).agg(", ".join).rename("terms")
    first = representatives(conn, run_id, n=1).set_index("topic")
    table = pd.concat([topic_names(conn, run_id), sizes, weighted], axis=1)
    table = table[table["size"].notna()].assign(
        size=lambda t: t["size"].astype(int),
        share=lambda t: t["size"] / len(assigned),
        example=first["text"], example_document=first["document"],
        example_speaker=first["speaker"])
    table.index.name = "topic"
    return table.reset_index()[["topic", "name", "size", "share", "terms", "example",
                                "example_document", "example_speaker"]]


def _values(conn: sqlite3.Connection, assigned: pd.DataFrame, by: str) -> pd.Series:
    """Each assigned segment's value of ``by``: speaker, document, or an attribute."""
    if by in ("speaker", "document"):
        return assigned[by]
    return assigned["doc_id"].map(document_attribute(conn, by))


def topic_shares(conn: sqlite3.Connection, run_id: str, by: str) -> pd.DataFrame:
    """How each value of ``by`` (an attribute, ``speaker`` or ``document``) divides among the
    topics: one row per (value, topic) with segments and share (of that value's segments).
    Segments with no value of ``by`` are counted under ``(none)``."""
    assigned = assignments(conn, run_id)
    values = _values(conn, assigned, by).astype(object).where(lambda v: v.notna(), "(none)")
    counts = (assigned.assign(**{by: values.astype(str)})
              .groupby([by, "topic"]).size().rename("segments").reset_index())
    counts["share"] = counts["segments"] / counts.groupby(by)["segments"].transform("sum")
    counts["name"] = counts["topic"].map(topic_names(conn, run_id))
    return counts[[by, "topic", "name", "segments", "share"]]


def topics_over_time(conn: sqlite3.Connection, run_id: str, every: str = "month"
                     ) -> pd.DataFrame:
    """Topic shares per period of the documents' dates: period (its first day), topic, name,
    segments, share (of that period's segments). Segments of undated documents are left out;
    ``undated`` in ``attrs`` says how many.

    Raises
    ------
    TopicsError
        WB-TOPICS-008 for a period not in :data:`FREQUENCIES`, WB-TOPICS-009 when no document
        of the run has a date.
    """
    if every not in FREQUENCIES:
        raise TopicsError(8, f"every={every!r} is not one of: {', '.join(FREQUENCIES)}.")
    assigned = assignments(conn, run_id)
    dates = pd.to_datetime(assigned["doc_id"].map(document_table(conn)["date"]),
                           errors="coerce", format="ISO8601")
    if dates.isna().all():
        raise TopicsError(9, "no document of this run has a date, so topics cannot be placed "
                          "in time. Give documents a date (a 'date' attribute or header) and "
                          "run the topics again.")
    dated = assigned[dates.notna()].assign(
        period=dates[dates.notna()].dt.to_period(FREQUENCIES[every]).dt.start_time)
    counts = dated.groupby(["period", "topic"]).size().rename("segments").reset_index()
    counts["share"] = counts["segments"] / counts.groupby("period")["segments"].transform(
        "sum")
    counts["name"] = counts["topic"].map(topic_names(conn, run_id))
    counts.attrs["undated"] = int(dates.isna().sum())
    return counts[["period", "topic", "name", "segments", "share"]]
