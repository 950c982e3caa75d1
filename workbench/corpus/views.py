"""Reading the corpus: tidy views of documents, segments and cases, and the look-ups of
document rows every other package uses (``find_document``, ``document_names``, ...)."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

import pandas as pd

from workbench.corpus.segment import UNITS
from workbench.errors import ProjectError

DOCUMENT_COLUMNS = [
    "doc_id", "name", "kind", "format", "case_id", "date", "n_chars", "n_words", "n_turns",
    "speakers", "encoding", "imported_at", "imported_by",
]
SEGMENT_COLUMNS = [
    "segment_id", "doc_id", "document", "unit", "ordinal", "start", "end", "speaker",
    "t_start", "t_end", "text",
]


@dataclass(frozen=True)
class Document:
    """One document with its canonical text; every offset in the project refers to ``text``."""

    doc_id: str
    name: str
    kind: str
    format: str
    text: str
    case_id: str | None
    date: str | None


def _typed(frame: pd.DataFrame, types: dict[str, str]) -> pd.DataFrame:
    for column, kind in types.items():
        if kind == "number":
            frame[column] = pd.to_numeric(frame[column], errors="coerce")
        elif kind == "date":
            frame[column] = pd.to_datetime(frame[column], errors="coerce", format="ISO8601")
    return frame


def attributes_wide(conn: sqlite3.Connection, entity: str, index: str) -> pd.DataFrame:
    """Case or document attributes, one row per case or document, one typed column per key."""
    rows = pd.read_sql_query(
        "SELECT entity_id, key, value, type FROM attributes WHERE entity = ?", conn,
        params=(entity,),
    )
    if rows.empty:
        return pd.DataFrame(columns=[index])
    wide = rows.pivot(index="entity_id", columns="key", values="value").reset_index()
    wide.columns.name = None
    wide = wide.rename(columns={"entity_id": index})
    types = rows.drop_duplicates("key").set_index("key")["type"].to_dict()
    return _typed(wide, types)


def documents(conn: sqlite3.Connection) -> pd.DataFrame:
    """One row per document.

    Columns: doc_id, name, kind (interview, fieldnote, survey, document), format (file
    format), case_id, date (ISO date or empty), n_chars, n_words (white-space words), n_turns,
    speakers (comma-separated, in order of first turn), encoding, imported_at, imported_by,
    then one column per document attribute.
    """
    frame = pd.read_sql_query(
        """
        SELECT d.doc_id, d.name, d.kind, d.format, d.case_id, d.date, d.n_chars, d.n_words,
               (SELECT count(*) FROM segments s WHERE s.doc_id = d.doc_id AND s.unit = 'turn')
                 AS n_turns,
               (SELECT group_concat(speaker, ', ') FROM (
                  SELECT speaker, min(ordinal) AS first FROM segments s
                  WHERE s.doc_id = d.doc_id AND s.unit = 'turn' GROUP BY speaker ORDER BY first
               )) AS speakers,
               d.encoding, d.imported_at, d.imported_by
        FROM documents d WHERE d.status = 'active' ORDER BY d.name
        """,
        conn,
    )
    attributes = attributes_wide(conn, "document", "doc_id")
    return frame.merge(attributes, on="doc_id", how="left", suffixes=("", "_attribute"))


def segments(conn: sqlite3.Connection, unit: str = "sentence", doc_id: str | None = None
             ) -> pd.DataFrame:
    """One row per segment of ``unit`` (turn, paragraph or sentence), in document order.

    Columns: segment_id (stable: ``<doc_id>-<t|p|s><ordinal>``), doc_id, document (name),
    unit, ordinal (0-based within the document), start, end (character offsets into the
    document's text, end exclusive), speaker, t_start, t_end (seconds from the start of the
    recording, where known), text (the slice ``text[start:end]``).
    """
    if unit not in UNITS:
        raise ProjectError(7, f"unit={unit!r} is not one of: {', '.join(UNITS)}.")
    query = """
        SELECT s.doc_id || '-' || substr(s.unit, 1, 1) || printf('%05d', s.ordinal)
                 AS segment_id,
               s.doc_id, d.name AS document, s.unit, s.ordinal, s.start, s."end",
               s.speaker, s.t_start, s.t_end,
               substr(d.text, s.start + 1, s."end" - s.start) AS text
        FROM segments s JOIN documents d USING (doc_id)
        WHERE s.unit = ? AND d.status = 'active' {extra}
        ORDER BY d.name, s.ordinal
    """
    params: tuple = (unit,)
    extra = ""
    if doc_id is not None:
        extra, params = "AND s.doc_id = ?", (unit, doc_id)
    frame = pd.read_sql_query(query.format(extra=extra), conn, params=params)
    return frame[SEGMENT_COLUMNS]


def cases(conn: sqlite3.Connection) -> pd.DataFrame:
    """One row per case: case_id, n_documents (the active documents it belongs to or, as a
    speaker, speaks in: see ``workbench.corpus.speakers``), then one typed column per case
    attribute."""
    frame = pd.read_sql_query(
        """
        WITH linked AS (
          SELECT case_id, doc_id FROM documents WHERE status = 'active' AND case_id IS NOT NULL
          UNION
          SELECT s.speaker, s.doc_id FROM segments s JOIN documents d USING (doc_id)
          WHERE s.unit = 'turn' AND d.case_id IS NULL AND d.status = 'active')
        SELECT c.case_id, count(l.doc_id) AS n_documents
        FROM cases c LEFT JOIN linked l ON l.case_id = c.case_id
        GROUP BY c.case_id ORDER BY c.case_id
        """,
        conn,
    )
    return frame.merge(attributes_wide(conn, "case", "case_id"), on="case_id", how="left")


def find_document(conn: sqlite3.Connection, id_or_name: str, *, by_name: bool = True,
                  active: bool = True) -> sqlite3.Row | None:
    """The document stored under an id (or, with ``by_name``, a name), or None.

    The one look-up of a document row. Its columns: doc_id, name, kind, format, case_id,
    date, n_chars, source_path, status (``active`` or ``deleted``; with ``active`` only
    active documents are found). The text is left out: read it with :func:`document` or
    :func:`quote`.
    """
    where = "(doc_id = ? OR name = ?)" if by_name else "doc_id = ?"
    params = (id_or_name, id_or_name) if by_name else (id_or_name,)
    status = " AND status = 'active'" if active else ""
    return conn.execute(
        "SELECT doc_id, name, kind, format, case_id, date, n_chars, source_path, status "
        f"FROM documents WHERE {where}{status}", params).fetchone()


def require_document(conn: sqlite3.Connection, id_or_name: str) -> sqlite3.Row:
    """The active document with this id or name (see :func:`find_document`), or an error."""
    row = find_document(conn, id_or_name)
    if row is None:
        raise ProjectError(8, f"no document '{id_or_name}' in this project. See "
                           "project.documents().")
    return row


def document(conn: sqlite3.Connection, doc_id: str) -> Document:
    """The document ``doc_id`` (or the one whose name is ``doc_id``)."""
    row = require_document(conn, doc_id)
    text = conn.execute("SELECT text FROM documents WHERE doc_id = ?",
                        (row["doc_id"],)).fetchone()[0]
    return Document(doc_id=row["doc_id"], name=row["name"], kind=row["kind"],
                    format=row["format"], text=text, case_id=row["case_id"], date=row["date"])


def quote(conn: sqlite3.Connection, doc_id: str, start: int, end: int) -> str:
    """The text of a span, sliced in SQL (SQLite's substr counts code points, as Python does)."""
    return conn.execute("SELECT substr(text, ?, ?) FROM documents WHERE doc_id = ?",
                        (start + 1, end - start, doc_id)).fetchone()[0]


def document_names(conn: sqlite3.Connection, *, active: bool = True) -> dict[str, str]:
    """doc_id -> name of the active documents (of every stored one with ``active=False``)."""
    status = " WHERE status = 'active'" if active else ""
    return dict(conn.execute(f"SELECT doc_id, name FROM documents{status}").fetchall())


def document_lengths(conn: sqlite3.Connection) -> pd.Series:
    """Each active document's length in code points (``n_chars``), indexed by doc_id."""
    return pd.read_sql_query("SELECT doc_id, n_chars FROM documents WHERE status = 'active'",
                             conn).set_index("doc_id")["n_chars"]


def document_texts(conn: sqlite3.Connection, doc_ids) -> dict[str, str]:
    """doc_id -> canonical text of the documents ``doc_ids`` (any status)."""
    rows = conn.execute("SELECT doc_id, text FROM documents WHERE doc_id IN "
                        "(SELECT value FROM json_each(?))", (json.dumps(list(doc_ids)),))
    return dict(rows.fetchall())


def document_table(conn: sqlite3.Connection) -> pd.DataFrame:
    """The active documents' own fields, indexed by doc_id: document (name), case, kind,
    date, n_chars."""
    return pd.read_sql_query("SELECT doc_id, name AS document, case_id AS 'case', kind, date, "
                             "n_chars FROM documents WHERE status = 'active'",
                             conn).set_index("doc_id")


def summary(conn: sqlite3.Connection) -> pd.DataFrame:
    """Counts per document kind of the active documents.

    Returns
    -------
    pandas.DataFrame : kind, documents, words (white-space words), turns, paragraphs,
        sentences, cases (distinct); one row per kind, in alphabetical order.
    """
    return pd.read_sql_query(
        """
        SELECT d.kind, count(*) AS documents, sum(d.n_words) AS words,
               sum((SELECT count(*) FROM segments s WHERE s.doc_id = d.doc_id
                    AND s.unit = 'turn')) AS turns,
               sum((SELECT count(*) FROM segments s WHERE s.doc_id = d.doc_id
                    AND s.unit = 'paragraph')) AS paragraphs,
               sum((SELECT count(*) FROM segments s WHERE s.doc_id = d.doc_id
                    AND s.unit = 'sentence')) AS sentences,
               count(DISTINCT d.case_id) AS cases
        FROM documents d WHERE d.status = 'active' GROUP BY d.kind ORDER BY d.kind
        """,
        conn,
    )


def document_digests(conn: sqlite3.Connection) -> pd.DataFrame:
    """Every document (deleted ones too) with the SHA-256 of its canonical text: doc_id,
    name, sha256, case_id, status; for matching documents across copies of a project."""
    return pd.read_sql_query("SELECT doc_id, name, sha256, case_id, status FROM documents "
                             "ORDER BY doc_id", conn)


def document_by_digest(conn: sqlite3.Connection, sha256: str, *,
                          prefer: str | None = None) -> str | None:
    """The id of a document whose canonical text has the SHA-256 hex digest ``sha256``
    (the one named ``prefer`` first, if any has that name), or None when no text has it."""
    row = conn.execute("SELECT doc_id FROM documents WHERE sha256 = ? ORDER BY name = ? DESC",
                       (sha256, prefer)).fetchone()
    return None if row is None else row["doc_id"]


def attribute_values(conn: sqlite3.Connection) -> pd.DataFrame:
    """Every attribute value as stored (text), one row per entity and key, by key.

    Columns: entity (``case`` or ``document``), entity_id, key, value, type (text, number,
    date); keys without a value are left out.
    """
    return pd.read_sql_query("SELECT entity, entity_id, key, value, type FROM attributes "
                             "WHERE value IS NOT NULL ORDER BY key", conn)
