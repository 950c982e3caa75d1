"""Documents brought in from another copy of the project (a coder's copy being merged).

They enter through the import's one copy of rows (:func:`._scratch.copy_rows`), read from the
copy's database file instead of a scratch file: same ids, text, segments and offsets.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pandas as pd

from workbench.corpus._scratch import copy_rows
from workbench.corpus.cases import copy_attributes, ensure_case
from workbench.store import append_audit
from workbench.store.audit import now


def adopt_documents(conn: sqlite3.Connection, source: Path, documents: pd.DataFrame,
                    actor: str, *, origin: str) -> None:
    """Bring documents from another copy of the project (the database file ``source``):
    their rows and segments as they are there (same ids, text and offsets), their cases and
    the documents' and cases' attributes (this project's values win a key both have). Each
    is audited as ``merge document`` with its ``origin``. The caller (``team``) has checked
    that this project has none of them."""
    stamp = now()
    cases = sorted({c for c in documents["case_id"] if isinstance(c, str)})
    for case_id in cases:
        ensure_case(conn, case_id, stamp)
    ids = documents["doc_id"].tolist()
    copy_rows(conn, source, "copy", "documents", ids)
    copy_rows(conn, source, "copy", "segments", ids)
    other = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    try:
        copy_attributes(conn, other, "document", ids)
        copy_attributes(conn, other, "case", cases)
    finally:
        other.close()
    for doc in documents.itertuples(index=False):
        append_audit(conn, actor=actor, action="merge document", entity="document",
                     entity_id=doc.doc_id, after={"name": doc.name, "source": origin})
