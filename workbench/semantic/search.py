"""Semantic search: the passages nearest in meaning to a text or to a coded passage.

Scores are cosine similarities between L2-normalised vectors (a dot product), from -1 to 1;
higher is nearer. The segments' vectors come from the cache (:func:`embeddings`), held in
memory after the first call, so a search over 50,000 segments is one matrix-vector product.
"""

from __future__ import annotations

import re
import sqlite3

import numpy as np
import pandas as pd

from workbench.coding.codings import coding_span
from workbench.corpus.views import quote
from workbench.errors import CodingError, SemanticError
from workbench.semantic.backends import encoder, find_backend
from workbench.semantic.cache import embeddings_of

__all__ = ["SIMILAR_COLUMNS", "similar"]

#: The columns :func:`similar` returns.
SIMILAR_COLUMNS = ["doc_id", "document", "start", "end", "speaker", "text", "score"]
#: A coding id, as :func:`workbench.store.ids.new_id` makes them.
_CODING_ID = re.compile(r"coding-[0-9A-HJKMNP-TV-Z]{26}")


def _query_text(conn: sqlite3.Connection, query: str) -> tuple[str, tuple | None]:
    """The text to search for and, for a coding id, the coded span (doc_id, start, end)."""
    if not isinstance(query, str) or not query.strip():
        raise SemanticError(6, "the query is empty. Give a passage of text, or the id of a "
                            "coding (see project.codings()) to find passages like it.")
    if not _CODING_ID.fullmatch(query.strip()):
        return query, None
    try:
        span = coding_span(conn, query.strip())
    except CodingError as err:
        raise SemanticError(7, f"coding '{query.strip()}' does not exist or was removed, so "
                            "there is no passage to search like. See project.codings() for "
                            "the codings there are.") from err
    return quote(conn, *span), span


def _ranked(scores: np.ndarray, top: int) -> np.ndarray:
    """Positions of the ``top`` highest scores, best first; equal scores keep the segments'
    order (document name, then position in the document)."""
    if top < len(scores):
        kth = np.partition(scores, len(scores) - top)[len(scores) - top]
        candidates = np.flatnonzero(scores >= kth)
    else:
        candidates = np.arange(len(scores))
    order = np.lexsort((candidates, -scores[candidates]))
    return candidates[order][:top]


def similar(conn: sqlite3.Connection, query: str, *, unit: str = "sentence", top: int = 20,
            backend: str | None = None, leave_out: tuple[str, int, int] | None = None
            ) -> pd.DataFrame:
    """The ``top`` segments of ``unit`` nearest in meaning to ``query``, best first.

    Parameters
    ----------
    conn
        The project's connection.
    query
        A passage of text, or a coding id (``coding-...``): then the coded passage is the
        query and the segments overlapping it are left out of the results.
    unit
        ``turn``, ``paragraph`` or ``sentence``.
    top
        How many passages to return (fewer if the project has fewer).
    backend
        An embedding backend (:data:`workbench.semantic.BACKENDS`); None for the default.
    leave_out
        A passage (doc_id, start, end) whose overlapping segments are left out: the
        selection a text query was taken from. A coding id leaves out its own passage.

    Returns
    -------
    pandas.DataFrame
        One row per passage: doc_id, document (name), start, end (character offsets into
        the document's text), speaker, text, score (cosine similarity, -1 to 1). Ties keep
        document-name and text order, so the same query always gives the same rows.
    """
    if isinstance(top, bool) or not isinstance(top, (int, np.integer)) or top < 1:
        raise SemanticError(8, f"top={top!r} must be a whole number of passages, 1 or more.")
    text, span = _query_text(conn, query)
    chosen = find_backend(backend)
    segments, vectors, version = embeddings_of(conn, unit, chosen)
    corpus = segments["text"] if chosen.fitted_on_corpus else None
    wanted = encoder(chosen, corpus, version)([text])[0]
    if not wanted.any():
        raise SemanticError(9, f"none of the words of '{text[:80]}' is known to the "
                            f"'{chosen.name}' backend, so nothing can be compared with it. "
                            "Use other words, or another backend.")
    scores = vectors @ wanted
    span = span or leave_out
    if span is not None:
        doc_id, start, end = span
        inside = ((segments["doc_id"] == doc_id) & (segments["start"] < end)
                  & (segments["end"] > start)).to_numpy()
        scores = np.where(inside, -np.inf, scores)
        top = min(top, int((~inside).sum()))
    best = _ranked(scores, top)
    found = segments.iloc[best][SIMILAR_COLUMNS[:-1]].reset_index(drop=True)
    return found.assign(score=scores[best].astype(float))
