"""Stored topic runs: the one module that writes ``topic_runs``, ``topic_assignments`` and
``topic_terms`` (schema migration 7).

A run is kept whole (its parameters, the embedding backend and its version, the method, the
package versions, who ran it and when, every segment's topic and every topic's terms), so it
can be listed, reopened by id and cited after the corpus or the packages have changed.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

import pandas as pd

from workbench.errors import TopicsError

__all__ = ["TopicRun", "assignments", "latest_run_id", "list_runs", "open_run", "store_run",
           "terms"]

RUN_COLUMNS = ["run_id", "unit", "backend", "version", "method", "seed", "n_segments",
               "n_topics", "parameters", "packages", "created_at", "created_by"]
ASSIGNMENT_COLUMNS = ["run_id", "doc_id", "document", "start", "end", "speaker", "topic",
                      "closeness", "text"]


@dataclass(frozen=True)
class TopicRun:
    """One stored run: what was asked (``parameters``: n_topics, where, backend), how it was
    done (``method`` and its settings inside ``parameters``, the backend's ``version``, the
    ``packages`` and their versions) and what it found (``n_topics``, -1 not counted)."""

    run_id: str
    unit: str
    backend: str
    version: str
    method: str
    seed: int
    n_segments: int
    n_topics: int
    parameters: dict
    packages: dict
    created_at: str
    created_by: str


def store_run(conn: sqlite3.Connection, run: TopicRun, assigned: pd.DataFrame,
              topic_terms: pd.DataFrame) -> None:
    """Write ``run`` with its assignments (doc_id, start, end, topic, closeness) and terms
    (topic, rank, term, weight), in the caller's transaction."""
    conn.execute("INSERT INTO topic_runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", (
        run.run_id, run.unit, run.backend, run.version, run.method, run.seed, run.n_segments,
        run.n_topics, json.dumps(run.parameters, sort_keys=True),
        json.dumps(run.packages, sort_keys=True), run.created_at, run.created_by))
    conn.executemany("INSERT INTO topic_assignments VALUES (?, ?, ?, ?, ?, ?)", zip(
        [run.run_id] * len(assigned), assigned["doc_id"], assigned["start"].astype(int),
        assigned["end"].astype(int), assigned["topic"].astype(int),
        assigned["closeness"].astype(float), strict=True))
    conn.executemany("INSERT INTO topic_terms VALUES (?, ?, ?, ?, ?)", zip(
        [run.run_id] * len(topic_terms), topic_terms["topic"].astype(int),
        topic_terms["rank"].astype(int), topic_terms["term"],
        topic_terms["weight"].astype(float), strict=True))


def _run(row: tuple) -> TopicRun:
    values = dict(zip(RUN_COLUMNS, row, strict=True))
    values["parameters"] = json.loads(values["parameters"])
    values["packages"] = json.loads(values["packages"])
    return TopicRun(**values)


def open_run(conn: sqlite3.Connection, run_id: str) -> TopicRun:
    """The stored run ``run_id``.

    Raises
    ------
    TopicsError
        WB-TOPICS-006 when no run has that id (it lists the stored ones).
    """
    row = conn.execute("SELECT * FROM topic_runs WHERE run_id = ?", (run_id,)).fetchone()
    if row is None:
        known = [r[0] for r in conn.execute(
            "SELECT run_id FROM topic_runs ORDER BY created_at DESC LIMIT 5")]
        raise TopicsError(6, f"no topic run has the id {run_id!r}. Recent runs: "
                          f"{', '.join(known) or 'none yet: run project.topics() first'}.")
    return _run(tuple(row))


def latest_run_id(conn: sqlite3.Connection) -> str:
    """The id of the most recent run; WB-TOPICS-006 when there is none."""
    row = conn.execute("SELECT run_id FROM topic_runs ORDER BY created_at DESC, run_id DESC "
                       "LIMIT 1").fetchone()
    if row is None:
        raise TopicsError(6, "the project has no topic run yet. Run project.topics() (or "
                          "'workbench topics DIR') first.")
    return row[0]


def list_runs(conn: sqlite3.Connection) -> pd.DataFrame:
    """One row per stored run, newest first: run_id, unit, backend, version, method, seed,
    n_segments, n_topics, parameters and packages (JSON text), created_at, created_by."""
    return pd.read_sql_query("SELECT * FROM topic_runs ORDER BY created_at DESC, run_id DESC",
                             conn)[RUN_COLUMNS]


def assignments(conn: sqlite3.Connection, run_id: str) -> pd.DataFrame:
    """Each segment of run ``run_id`` with its topic: run_id, doc_id, document, start, end,
    speaker, topic (-1: in no topic), closeness (cosine to the topic's centre), text; in
    document-name then position order."""
    run = open_run(conn, run_id)
    frame = pd.read_sql_query(
        """SELECT a.run_id, a.doc_id, d.name AS document, a.start, a."end", s.speaker,
                  a.topic, a.closeness, substr(d.text, a.start + 1, a."end" - a.start) AS text
           FROM topic_assignments a JOIN documents d USING (doc_id)
           LEFT JOIN segments s ON s.doc_id = a.doc_id AND s.unit = ? AND s.start = a.start
           WHERE a.run_id = ? ORDER BY d.name, a.doc_id, a.start""",
        conn, params=(run.unit, run_id))
    return frame[ASSIGNMENT_COLUMNS]


def terms(conn: sqlite3.Connection, run_id: str) -> pd.DataFrame:
    """Each topic's terms in run ``run_id``: topic, rank (0 the heaviest), term, weight
    (c-TF-IDF)."""
    open_run(conn, run_id)
    return pd.read_sql_query("SELECT topic, rank, term, weight FROM topic_terms "
                             "WHERE run_id = ? ORDER BY topic, rank", conn, params=(run_id,))
