"""Semantic assistance: offline segment embeddings, their cache, and semantic search.

:func:`embeddings` gives a unit's segments and their L2-normalised vectors from a named
backend (:data:`BACKENDS`: ``static``, the default, ``minilm`` and ``tfidf-svd``), computed
once and stored in the project; :func:`similar` finds the passages nearest in meaning to a
text or a coding. Nothing is downloaded: see the README's "Semantic search and the offline
model".
"""

from workbench.semantic.backends import BACKENDS, DEFAULT_BACKEND, Backend, encoder, find_backend
from workbench.semantic.cache import embeddings, forget_deleted
from workbench.semantic.search import SIMILAR_COLUMNS, similar

__all__ = [
    "BACKENDS",
    "DEFAULT_BACKEND",
    "SIMILAR_COLUMNS",
    "Backend",
    "embeddings",
    "encoder",
    "find_backend",
    "forget_deleted",
    "similar",
]
