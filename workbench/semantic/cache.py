"""The embeddings cache: segment vectors stored in the project, per backend and unit.

This is the one module that writes the ``embeddings`` table (schema migration 6): one row
per (backend, version, unit, document) holding the document's segments' vectors as one
float32 matrix in segment order. :func:`embeddings` computes only what is missing (the
segments of documents imported since), drops what no longer applies (other versions of the
backend, deleted documents) and keeps the assembled matrix in memory for the next call.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections import OrderedDict

import numpy as np
import pandas as pd

from workbench.corpus.segment import UNITS
from workbench.corpus.views import segments as segment_table
from workbench.errors import SemanticError
from workbench.semantic.backends import Backend, encoder, find_backend
from workbench.store import atomic
from workbench.store.audit import now

__all__ = ["cache_version", "embeddings", "embeddings_of", "forget_deleted"]

#: Assembled (segments, matrix) pairs kept in memory, the most recent few.
_HELD: OrderedDict[tuple, tuple[tuple, pd.DataFrame, np.ndarray]] = OrderedDict()
_HOLD = 4


def _inventory(conn: sqlite3.Connection, unit: str) -> tuple[tuple[str, str, int], ...]:
    """(doc_id, text digest, number of segments) of each active document with segments of
    ``unit``, by doc_id: what the cache must cover."""
    # A unit's ordinals count 0, 1, 2 ... in each document, so the last one (one seek in the
    # segments' key) gives the count: a scan of every segment took 50 ms at 50,000.
    rows = conn.execute(
        """SELECT doc_id, sha256, (SELECT max(s.ordinal) FROM segments s
                                   WHERE s.doc_id = d.doc_id AND s.unit = ?) AS last
           FROM documents d WHERE status = 'active' ORDER BY doc_id""", (unit,)).fetchall()
    return tuple((doc_id, digest, last + 1) for doc_id, digest, last in rows
                 if last is not None)


def cache_version(chosen: Backend, inventory: tuple) -> str:
    """The version the cache stores ``chosen``'s vectors under: the backend's version and,
    for a backend fitted on the corpus, a fingerprint of the documents it was fitted on
    (their ids and text digests: segments never change after import)."""
    if not chosen.fitted_on_corpus:
        return chosen.version
    digest = hashlib.sha256(repr([(d, s) for d, s, _ in inventory]).encode()).hexdigest()
    return f"{chosen.version};corpus={digest[:16]}"


def _stored(conn: sqlite3.Connection, name: str, unit: str, version: str) -> dict[str, int]:
    """doc_id -> number of segments stored for this backend version and unit."""
    return dict(conn.execute(
        "SELECT doc_id, n_segments FROM embeddings WHERE backend = ? AND unit = ? "
        "AND version = ?", (name, unit, version)).fetchall())


def _compute(conn: sqlite3.Connection, chosen: Backend, unit: str, version: str,
             table: pd.DataFrame, missing: list[str]) -> None:
    """Embed the segments of the ``missing`` documents and store them, with whatever the
    cache holds for this backend and unit under another version, in one transaction."""
    corpus = table["text"].tolist() if chosen.fitted_on_corpus else None
    todo = table[table["doc_id"].isin(missing)]
    vectors = encoder(chosen, corpus, version)(todo["text"].tolist()) if len(todo) else None
    stamp = now()
    rows = []
    for doc_id, positions in todo.groupby("doc_id", sort=False).indices.items():
        block = np.ascontiguousarray(vectors[positions], dtype="<f4")
        rows.append((chosen.name, version, unit, doc_id, len(positions), block.shape[1],
                     block.tobytes(), stamp))
    with atomic(conn):
        conn.execute("DELETE FROM embeddings WHERE backend = ? AND unit = ? AND version <> ?",
                     (chosen.name, unit, version))
        conn.executemany("DELETE FROM embeddings WHERE backend = ? AND unit = ? AND doc_id = ?",
                         [(chosen.name, unit, doc_id) for doc_id in missing])
        conn.executemany("INSERT INTO embeddings VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
        forget_deleted(conn)


def forget_deleted(conn: sqlite3.Connection) -> int:
    """Drop the cached vectors of documents that are deleted (or gone); return how many
    documents' rows went. Runs in the caller's transaction."""
    return conn.execute("DELETE FROM embeddings WHERE doc_id NOT IN "
                        "(SELECT doc_id FROM documents WHERE status = 'active')").rowcount


def _load(conn: sqlite3.Connection, name: str, unit: str, version: str,
          table: pd.DataFrame) -> np.ndarray:
    """The stored vectors of ``table``'s segments, one row each, in ``table``'s order."""
    blocks = {doc_id: np.frombuffer(blob, dtype="<f4").reshape(n, dimension)
              for doc_id, n, dimension, blob in conn.execute(
                  "SELECT doc_id, n_segments, dimension, vectors FROM embeddings "
                  "WHERE backend = ? AND unit = ? AND version = ?", (name, unit, version))}
    order = pd.unique(table["doc_id"])
    return np.vstack([blocks[doc_id] for doc_id in order]).astype(np.float32, copy=False)


def embeddings(conn: sqlite3.Connection, unit: str = "sentence", backend: str | None = None
               ) -> tuple[pd.DataFrame, np.ndarray]:
    """The project's segments of ``unit`` and their vectors, computed once and cached.

    Parameters
    ----------
    conn
        The project's connection.
    unit
        ``turn``, ``paragraph`` or ``sentence``.
    backend
        A name from :data:`workbench.semantic.BACKENDS`; None for the default.

    Returns
    -------
    segments : pandas.DataFrame
        One row per segment of the active documents, as :func:`workbench.corpus.segments`
        (segment_id, doc_id, document, unit, ordinal, start, end, speaker, t_start, t_end,
        text), in document-name then segment order.
    vectors : numpy.ndarray
        float32, one L2-normalised row per segment, in the same order (a segment with no
        word the backend knows has a row of zeros).
    """
    segments, vectors, _ = embeddings_of(conn, unit, find_backend(backend))
    return segments, vectors


def embeddings_of(conn: sqlite3.Connection, unit: str, chosen: Backend
                  ) -> tuple[pd.DataFrame, np.ndarray, str]:
    """:func:`embeddings` with the backend record already found, and the version the
    vectors are cached under (the key of a corpus-fitted backend's fit)."""
    if unit not in UNITS:
        raise SemanticError(4, f"unit={unit!r} is not one of: {', '.join(UNITS)}.")
    inventory = _inventory(conn, unit)
    if not inventory:
        raise SemanticError(5, f"the project has no {unit} segments in its active documents. "
                            "Import documents first (project.import_files) or choose another "
                            f"unit ({', '.join(UNITS)}).")
    version = cache_version(chosen, inventory)
    key = (id(conn), unit, chosen.name, version)
    held = _HELD.get(key)
    if held is not None and held[0] == inventory:
        _HELD.move_to_end(key)
        return held[1], held[2], version
    # corpus.segments orders by document name; the doc_id breaks ties between namesakes
    table = segment_table(conn, unit).sort_values(
        ["document", "doc_id", "ordinal"], kind="stable", ignore_index=True)
    stored = _stored(conn, chosen.name, unit, version)
    missing = [doc_id for doc_id, _, n in inventory if stored.get(doc_id) != n]
    if missing or set(stored) - {doc_id for doc_id, _, _ in inventory}:
        _compute(conn, chosen, unit, version, table, missing)
    vectors = _load(conn, chosen.name, unit, version, table)
    _HELD[key] = (inventory, table, vectors)
    while len(_HELD) > _HOLD:
        _HELD.popitem(last=False)
    return table, vectors, version
