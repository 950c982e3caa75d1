"""The semantic part of the ``Project`` facade: each method delegates to
:mod:`workbench.semantic` with the project's connection."""

from __future__ import annotations

import numpy as np
import pandas as pd


class SemanticFacade:
    """Methods ``Project`` offers for embeddings and semantic search."""

    def embeddings(self, unit: str = "sentence", *, backend: str | None = None
                   ) -> tuple[pd.DataFrame, np.ndarray]:
        """The segments of ``unit`` and their L2-normalised vectors from an offline backend
        (``static``, the default, ``minilm`` or ``tfidf-svd``), computed once and stored in
        the project; see :func:`workbench.semantic.embeddings`."""
        from workbench import semantic

        return semantic.embeddings(self._conn, unit, backend)

    def similar(self, query: str, *, unit: str = "sentence", top: int = 20,
                backend: str | None = None, leave_out: tuple[str, int, int] | None = None
                ) -> pd.DataFrame:
        """The passages nearest in meaning to a text or a coding id (``coding-...``), best
        first: doc_id, document, start, end, speaker, text, score (cosine, -1 to 1);
        ``leave_out`` (doc_id, start, end) leaves out the passage the text came from. See
        :func:`workbench.semantic.similar`."""
        from workbench import semantic

        return semantic.similar(self._conn, query, unit=unit, top=top, backend=backend,
                                leave_out=leave_out)
