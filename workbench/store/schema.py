"""The schema of ``project.sqlite`` and its numbered forward migrations.

Each migration is a function registered in :data:`MIGRATIONS`; ``migrate`` applies the ones a
database lacks, each in one transaction together with its row in ``migrations``. The schema
is never probed: the recorded version says what a database holds.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

from workbench import __version__
from workbench.errors import ProjectError
from workbench.store.audit import now
from workbench.store.connection import atomic

_V1 = """
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE cases (
  case_id    TEXT PRIMARY KEY,
  created_at TEXT NOT NULL
);
CREATE TABLE documents (
  doc_id       TEXT PRIMARY KEY,
  name         TEXT NOT NULL,
  kind         TEXT NOT NULL,
  format       TEXT NOT NULL,
  text         TEXT NOT NULL,
  sha256       TEXT NOT NULL,
  source_path  TEXT,
  encoding     TEXT NOT NULL,
  case_id      TEXT REFERENCES cases (case_id),
  date         TEXT,
  imported_at  TEXT NOT NULL,
  imported_by  TEXT NOT NULL,
  n_chars      INTEGER NOT NULL,
  n_words      INTEGER NOT NULL,
  status       TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'deleted'))
);
CREATE INDEX documents_case ON documents (case_id);
CREATE TABLE segments (
  doc_id     TEXT NOT NULL REFERENCES documents (doc_id),
  unit       TEXT NOT NULL CHECK (unit IN ('turn', 'paragraph', 'sentence')),
  ordinal    INTEGER NOT NULL,
  start      INTEGER NOT NULL,
  "end"      INTEGER NOT NULL,
  speaker    TEXT,
  t_start    REAL,
  t_end      REAL,
  CHECK (0 <= start AND start < "end"),
  PRIMARY KEY (doc_id, unit, ordinal)
) WITHOUT ROWID;
CREATE TABLE attributes (
  entity    TEXT NOT NULL CHECK (entity IN ('case', 'document')),
  entity_id TEXT NOT NULL,
  key       TEXT NOT NULL,
  value     TEXT,
  type      TEXT NOT NULL CHECK (type IN ('text', 'number', 'date')),
  PRIMARY KEY (entity, entity_id, key)
);
CREATE TABLE codes (
  code_id         TEXT PRIMARY KEY,
  name            TEXT NOT NULL,
  parent_id       TEXT REFERENCES codes (code_id),
  definition      TEXT NOT NULL,
  when_to_use     TEXT,
  when_not_to_use TEXT,
  examples        TEXT NOT NULL DEFAULT '[]',
  color           TEXT,
  refs            TEXT NOT NULL DEFAULT '[]',
  patterns        TEXT NOT NULL DEFAULT '[]',
  ordinal         INTEGER NOT NULL DEFAULT 0,
  status          TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'retired'))
);
CREATE TABLE codebook_versions (
  version   INTEGER PRIMARY KEY,
  at        TEXT NOT NULL,
  actor     TEXT NOT NULL,
  changelog TEXT NOT NULL,
  snapshot  TEXT NOT NULL
);
CREATE TABLE codings (
  coding_id  TEXT PRIMARY KEY,
  doc_id     TEXT NOT NULL REFERENCES documents (doc_id),
  start      INTEGER NOT NULL,
  "end"      INTEGER NOT NULL,
  code_id    TEXT NOT NULL REFERENCES codes (code_id),
  coder      TEXT NOT NULL,
  origin     TEXT NOT NULL
             CHECK (origin IN ('manual', 'suggestion-accepted', 'imported', 'consensus')),
  created_at TEXT NOT NULL,
  status     TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'removed')),
  CHECK (0 <= start AND start < "end")
);
CREATE INDEX codings_doc ON codings (doc_id, start);
CREATE INDEX codings_code ON codings (code_id);
CREATE TABLE memos (
  memo_id     TEXT PRIMARY KEY,
  target_kind TEXT NOT NULL
              CHECK (target_kind IN ('project', 'document', 'code', 'coding', 'case')),
  target_id   TEXT,
  author      TEXT NOT NULL,
  text        TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);
CREATE TABLE audit (
  seq       INTEGER PRIMARY KEY AUTOINCREMENT,
  at        TEXT NOT NULL,
  actor     TEXT NOT NULL,
  action    TEXT NOT NULL,
  entity    TEXT NOT NULL,
  entity_id TEXT,
  before    TEXT,
  after     TEXT
);
CREATE TRIGGER audit_append_only_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_append_only_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
"""


def _run_script(conn: sqlite3.Connection, script: str) -> None:
    """Run ``;``-separated statements inside the caller's transaction (``executescript``
    would commit it)."""
    for statement in script.split(";\n"):
        if statement.strip():
            conn.execute(statement)


def _v1_initial(conn: sqlite3.Connection) -> None:
    """Documents, segments, cases and attributes, codebook, codings, memos, audit."""
    _run_script(conn, _V1)
    conn.execute("INSERT INTO meta VALUES ('created_by', ?)", (__version__,))
    conn.execute("INSERT INTO meta VALUES ('created_at', ?)", (now(),))


_V2 = """
CREATE TABLE suggestions (
  suggestion_id TEXT PRIMARY KEY,
  doc_id        TEXT NOT NULL REFERENCES documents (doc_id),
  start         INTEGER NOT NULL,
  "end"         INTEGER NOT NULL,
  code_id       TEXT NOT NULL REFERENCES codes (code_id),
  rule          TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  status        TEXT NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'accepted', 'rejected')),
  decided_by    TEXT,
  decided_at    TEXT,
  coding_id     TEXT REFERENCES codings (coding_id),
  CHECK (0 <= start AND start < "end"),
  UNIQUE (doc_id, start, "end", code_id)
);
CREATE INDEX segments_position ON segments (doc_id, unit, start);
CREATE INDEX codings_coder ON codings (coder, code_id);
CREATE INDEX memos_target ON memos (target_kind, target_id);
"""


def _v2_coding(conn: sqlite3.Connection) -> None:
    """Suggestions and their decisions; indexes for retrieval by position and coder."""
    _run_script(conn, _V2)


def _v3_segments_by_key(conn: sqlite3.Connection) -> None:
    """Drop the index of segments by position: keeping it up to date cost a third of an
    import's final copy (a million segments). Segments stay keyed by (doc_id, unit, ordinal),
    which orders a unit's segments by position too, so the one query that used the index, the
    speaker of a quote (:func:`workbench.coding.retrieval.retrieve`), walks that key instead."""
    conn.execute("DROP INDEX segments_position")


_V4 = """
CREATE TABLE key_crosswalk (
  log_key    TEXT PRIMARY KEY CHECK (log_key IN ('unit', 'role')),
  attribute  TEXT NOT NULL,
  value_map  TEXT NOT NULL DEFAULT '{}',
  set_at     TEXT NOT NULL,
  set_by     TEXT NOT NULL
);
CREATE TABLE timeline_events (
  event_id TEXT PRIMARY KEY,
  label    TEXT NOT NULL,
  start    TEXT NOT NULL,
  "end"    TEXT,
  units    TEXT NOT NULL DEFAULT '[]',
  ordinal  INTEGER NOT NULL,
  CHECK ("end" IS NULL OR "end" >= start)
);
CREATE TABLE time_references (
  reference_id TEXT PRIMARY KEY,
  doc_id       TEXT NOT NULL REFERENCES documents (doc_id),
  start        INTEGER NOT NULL,
  "end"        INTEGER NOT NULL,
  event_id     TEXT REFERENCES timeline_events (event_id),
  period_start TEXT,
  period_end   TEXT,
  created_by   TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  status       TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'removed')),
  CHECK (0 <= start AND start < "end"),
  CHECK ((event_id IS NULL) <> (period_start IS NULL)),
  CHECK (period_start IS NULL OR period_end > period_start)
);
CREATE INDEX time_references_doc ON time_references (doc_id, start);
"""


def _v4_triangulation(conn: sqlite3.Connection) -> None:
    """The key crosswalk between qualitative attributes and log keys, timeline events, and
    references that place a passage in time (an event or a period)."""
    _run_script(conn, _V4)


_V5 = """
CREATE TABLE inferences (
  inference_id TEXT PRIMARY KEY,
  claim        TEXT NOT NULL,
  fit          TEXT NOT NULL,
  framework    TEXT NOT NULL,
  theme        TEXT NOT NULL,
  quantitative TEXT,
  rationale    TEXT NOT NULL DEFAULT '',
  author       TEXT NOT NULL,
  memo_id      TEXT NOT NULL REFERENCES memos (memo_id),
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL,
  status       TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'retracted'))
);
CREATE TABLE inference_evidence (
  inference_id TEXT NOT NULL REFERENCES inferences (inference_id),
  ordinal      INTEGER NOT NULL,
  kind         TEXT NOT NULL CHECK (kind IN ('coding', 'code')),
  target_id    TEXT NOT NULL,
  code_id      TEXT NOT NULL REFERENCES codes (code_id),
  PRIMARY KEY (inference_id, ordinal)
) WITHOUT ROWID;
"""


def _v5_inferences(conn: sqlite3.Connection) -> None:
    """Meta-inferences (a claim, its fit between the strands, the metric query behind it as
    JSON, the project memo mirroring it) and their qualitative evidence: codings and codes,
    each with the code it had when recorded."""
    _run_script(conn, _V5)


_V6 = """
CREATE TABLE embeddings (
  backend     TEXT NOT NULL,
  version     TEXT NOT NULL,
  unit        TEXT NOT NULL CHECK (unit IN ('turn', 'paragraph', 'sentence')),
  doc_id      TEXT NOT NULL REFERENCES documents (doc_id),
  n_segments  INTEGER NOT NULL CHECK (n_segments > 0),
  dimension   INTEGER NOT NULL CHECK (dimension > 0),
  vectors     BLOB NOT NULL,
  created_at  TEXT NOT NULL,
  CHECK (length(vectors) = 4 * n_segments * dimension),
  PRIMARY KEY (backend, unit, doc_id, version)
) WITHOUT ROWID;
"""


def _v6_embeddings(conn: sqlite3.Connection) -> None:
    """Cached segment embeddings: per backend (name and version), segment unit and document,
    one float32 matrix (one L2-normalised row per segment, in segment order); written only by
    :mod:`workbench.semantic.cache`."""
    _run_script(conn, _V6)


_V7 = """
CREATE TABLE topic_runs (
  run_id      TEXT PRIMARY KEY,
  unit        TEXT NOT NULL CHECK (unit IN ('turn', 'paragraph', 'sentence')),
  backend     TEXT NOT NULL,
  version     TEXT NOT NULL,
  method      TEXT NOT NULL,
  seed        INTEGER NOT NULL,
  n_segments  INTEGER NOT NULL CHECK (n_segments > 0),
  n_topics    INTEGER NOT NULL CHECK (n_topics >= 0),
  parameters  TEXT NOT NULL,
  packages    TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  created_by  TEXT NOT NULL
);
CREATE TABLE topic_assignments (
  run_id     TEXT NOT NULL REFERENCES topic_runs (run_id),
  doc_id     TEXT NOT NULL REFERENCES documents (doc_id),
  start      INTEGER NOT NULL,
  "end"      INTEGER NOT NULL,
  topic      INTEGER NOT NULL CHECK (topic >= -1),
  closeness  REAL NOT NULL,
  CHECK (0 <= start AND start < "end"),
  PRIMARY KEY (run_id, doc_id, start)
) WITHOUT ROWID;
CREATE TABLE topic_terms (
  run_id  TEXT NOT NULL REFERENCES topic_runs (run_id),
  topic   INTEGER NOT NULL,
  rank    INTEGER NOT NULL CHECK (rank >= 0),
  term    TEXT NOT NULL,
  weight  REAL NOT NULL,
  PRIMARY KEY (run_id, topic, rank)
) WITHOUT ROWID;
"""


def _v7_topics(conn: sqlite3.Connection) -> None:
    """Topic runs (unit, embedding backend and version, method, seed, parameters and package
    versions as JSON, who and when), each segment's topic (-1: none) with its closeness to the
    topic's centre, and each topic's terms with their c-TF-IDF weights; written only by
    :mod:`workbench.topics.runs`."""
    _run_script(conn, _V7)


_V8 = """
ALTER TABLE suggestions ADD COLUMN model TEXT;
ALTER TABLE suggestions ADD COLUMN model_version TEXT;
ALTER TABLE suggestions ADD COLUMN score REAL CHECK (score IS NULL OR (0 <= score AND score <= 1))
"""


def _v8_learned_suggestions(conn: sqlite3.Connection) -> None:
    """What made a learned suggestion: the model (classifier, embedding backend, the coder it
    learned from), its version (packages, backend version, seed) and its score (the predicted
    probability, 0-1); NULL for a pattern's suggestions. Written only by
    :mod:`workbench.coding.suggest`."""
    _run_script(conn, _V8)


#: Every migration, in order: (version, name, function). Append; never edit a released one.
MIGRATIONS: list[tuple[int, str, Callable[[sqlite3.Connection], None]]] = [
    (1, "initial", _v1_initial),
    (2, "coding", _v2_coding),
    (3, "segments by key", _v3_segments_by_key),
    (4, "triangulation", _v4_triangulation),
    (5, "inferences", _v5_inferences),
    (6, "embeddings", _v6_embeddings),
    (7, "topics", _v7_topics),
    (8, "learned suggestions", _v8_learned_suggestions),
]
SCHEMA_VERSION = MIGRATIONS[-1][0]


def schema_version(conn: sqlite3.Connection) -> int:
    """The version recorded in the database, 0 for an empty one."""
    has = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'migrations'"
    ).fetchone()
    if not has:
        return 0
    row = conn.execute("SELECT max(version) FROM migrations").fetchone()
    return row[0] or 0


def migrate(conn: sqlite3.Connection, db_path: Path, target: int = SCHEMA_VERSION) -> list[int]:
    """Apply the migrations the database lacks, up to ``target``; return the versions applied.

    An existing project is copied to ``project.sqlite.bak-v<N>`` before it is upgraded, so a
    researcher can always go back. A database newer than this workbench is refused.
    """
    current = schema_version(conn)
    if current > SCHEMA_VERSION:
        raise ProjectError(
            3,
            f"{db_path} was written by a newer workbench (schema version {current}; this "
            f"workbench {__version__} knows up to {SCHEMA_VERSION}). Upgrade workbench "
            "(pip install -U workbench) to open it; nothing was changed.",
        )
    pending = [m for m in MIGRATIONS if current < m[0] <= target]
    if pending and current > 0:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        shutil.copy2(db_path, db_path.with_name(f"{db_path.name}.bak-v{current}"))
    if current == 0:
        conn.execute(
            "CREATE TABLE IF NOT EXISTS migrations "
            "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
    for version, name, apply in pending:
        with atomic(conn):
            apply(conn)
            conn.execute("INSERT INTO migrations VALUES (?, ?, ?)", (version, name, now()))
    return [m[0] for m in pending]
