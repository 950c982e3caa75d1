"""``Project``: the one object a notebook user touches.

Each method is a short delegation to a domain module; SQL and logic live there.
"""

from __future__ import annotations

import getpass
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from workbench import corpus
from workbench.errors import ProjectError
from workbench.store import DB_NAME, SCHEMA_VERSION, atomic, connect, migrate

_SQLITE_MAGIC = b"SQLite format 3\x00"


def default_user() -> str:
    """Who is acting: ``$WORKBENCH_USER``, else the operating-system login name."""
    return os.environ.get("WORKBENCH_USER") or getpass.getuser()


class Project:
    """A research project: a folder holding ``project.sqlite`` (and later ``logs.duckdb``).

    Create one with :meth:`create`, open one with :meth:`open`. Every method that writes is
    one transaction: it is stored whole or not at all.
    """

    def __init__(self, path: Path, conn: sqlite3.Connection, user: str) -> None:
        self.path = path
        self.user = user
        self._conn = conn

    # -- lifecycle -------------------------------------------------------------------------
    @classmethod
    def create(cls, path: str | Path, *, language: str = "en", spacy_model: str | None = None,
               user: str | None = None) -> Project:
        """Make a new project folder at ``path`` (it must not hold a project already).

        ``language`` is the spaCy language code used to split sentences; ``spacy_model`` names
        an installed spaCy pipeline to use instead of the offline default.
        """
        path = Path(path)
        if (path / DB_NAME).exists():
            raise ProjectError(1, f"{path} already holds a project. Open it with "
                               "Project.open(...) or choose another folder.")
        if path.exists() and not path.is_dir():
            raise ProjectError(2, f"{path} is a file, not a folder. Choose a folder name.")
        path.mkdir(parents=True, exist_ok=True)
        conn = connect(path / DB_NAME)
        migrate(conn, path / DB_NAME)
        with atomic(conn):
            conn.executemany("INSERT INTO meta VALUES (?, ?)", [
                ("language", language), ("spacy_model", spacy_model or ""),
            ])
        return cls(path, conn, user or default_user())

    @classmethod
    def open(cls, path: str | Path, *, user: str | None = None) -> Project:
        """Open the project in folder ``path`` (or the ``project.sqlite`` file itself).

        An older project is backed up and upgraded; one written by a newer workbench, or a
        folder or file that is not a project, is refused with an error saying what to do.
        """
        path = Path(path)
        db = path if path.is_file() else path / DB_NAME
        if not db.exists():
            raise ProjectError(4, f"{path} is not a workbench project (no {DB_NAME}). Create "
                               "one with `workbench init` or Project.create(...).")
        with db.open("rb") as handle:
            if handle.read(16) != _SQLITE_MAGIC:
                raise ProjectError(5, f"{db} is not a workbench project database (not "
                                   "SQLite). Did you pick the wrong file?")
        conn = connect(db)
        has_meta = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE name = 'migrations'").fetchone()
        if not has_meta:
            conn.close()
            raise ProjectError(5, f"{db} is an SQLite database but not a workbench project. "
                               "Did you pick the wrong file?")
        try:
            migrate(conn, db)
        except ProjectError:
            conn.close()
            raise
        return cls(db.parent, conn, user or default_user())

    def close(self) -> None:
        """Close the database connection."""
        self._conn.close()

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Project({str(self.path)!r}, user={self.user!r})"

    @contextmanager
    def atomic(self) -> Iterator[sqlite3.Connection]:
        """Group several writes into one transaction (savepoints when nested)."""
        with atomic(self._conn) as conn:
            yield conn

    @property
    def settings(self) -> dict[str, str]:
        """The project's stored settings: language, spaCy model, schema version, creator."""
        rows = self._conn.execute("SELECT key, value FROM meta").fetchall()
        return {**{r["key"]: r["value"] for r in rows}, "schema_version": str(SCHEMA_VERSION)}

    # -- corpus ----------------------------------------------------------------------------
    def import_files(self, paths, *, kind: str | None = None, attributes=None,
                     encoding: str | None = None, progress: bool = True
                     ) -> corpus.ImportReport:
        """Import transcripts, field notes and survey exports; all of them, or none.

        Parameters
        ----------
        paths : a file, a folder, or a list of them (.txt .md .docx .pdf .vtt .srt .csv).
        kind : interview, fieldnote, survey or document; None decides per file (speaker
            turns make an interview, a dated header a field note).
        attributes : a CSV or YAML sidecar (or DataFrame) of participant or document
            attributes, joined by a ``file`` column or by participant id in the file name.
        encoding : force a text encoding instead of detecting it.

        Returns
        -------
        ImportReport : what was imported, skipped (identical documents) and left unmatched.
        """
        settings = self.settings
        return corpus.import_files(
            self._conn, paths, kind=kind, attributes=attributes, actor=self.user,
            language=settings.get("language", "en"),
            model=settings.get("spacy_model") or None, encoding=encoding, progress=progress,
        )

    def import_attributes(self, source) -> list[str]:
        """Join a participants or documents sidecar to documents already imported.

        Returns the sidecar rows that matched no document.
        """
        rows = corpus.read_attributes(source)
        with atomic(self._conn):
            return corpus.importer.apply_attributes(self._conn, rows, self.user)

    def documents(self) -> pd.DataFrame:
        """All documents; see :func:`workbench.corpus.documents` for the columns."""
        return corpus.documents(self._conn)

    def document(self, doc_id: str) -> corpus.Document:
        """One document with its canonical text, by id or by name."""
        return corpus.document(self._conn, doc_id)

    def segments(self, unit: str = "sentence", doc_id: str | None = None) -> pd.DataFrame:
        """Turns, paragraphs or sentences; see :func:`workbench.corpus.segments`."""
        return corpus.segments(self._conn, unit, doc_id)

    def cases(self) -> pd.DataFrame:
        """Cases (participants, respondents) with their attributes."""
        return corpus.cases(self._conn)

    def history(self) -> pd.DataFrame:
        """The audit log, oldest first: seq, at, actor, action, entity, entity_id, before, after."""
        return pd.read_sql_query("SELECT * FROM audit ORDER BY seq", self._conn)

    def summary(self) -> pd.DataFrame:
        """Counts per document kind: documents, words, turns, paragraphs, sentences, cases."""
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
            self._conn,
        )
