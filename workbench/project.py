"""``Project``: the one object a notebook user touches.

Each method is a short delegation to a domain module; SQL and logic live there.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from workbench import coding, corpus, refi_qda, reliability, store
from workbench._facade_codebook import CodebookFacade
from workbench._facade_learn import LearnFacade
from workbench._facade_semantic import SemanticFacade
from workbench._facade_team import TeamFacade
from workbench._facade_topics import TopicsFacade
from workbench._facade_triangulate import TriangulationFacade
from workbench.corpus.cases import apply_attributes
from workbench.semantic.cache import forget_deleted
from workbench.store import atomic, default_user


class Project(CodebookFacade, SemanticFacade, TopicsFacade, LearnFacade, TriangulationFacade,
              TeamFacade):
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
        conn = store.create_project_file(path, language=language, spacy_model=spacy_model)
        return cls(path, conn, user or default_user())

    @classmethod
    def open(cls, path: str | Path, *, user: str | None = None) -> Project:
        """Open the project in folder ``path`` (or the ``project.sqlite`` file itself).

        An older project is backed up and upgraded; one written by a newer workbench, or a
        folder or file that is not a project, is refused with an error saying what to do.
        """
        folder, conn = store.open_project_file(Path(path))
        return cls(folder, conn, user or default_user())

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
        return store.settings(self._conn)

    # -- corpus ----------------------------------------------------------------------------
    def import_files(self, paths, *, kind: str | None = None, attributes=None,
                     encoding: str | None = None, progress: bool = True,
                     workers: int | None = None, speakers: list[str] | str | None = None,
                     cases: str | None = None) -> corpus.ImportReport:
        """Import transcripts, field notes and survey exports; all of them, or none.

        Parameters
        ----------
        paths : a file, a folder, or a list of them (.txt .md .docx .pdf .vtt .srt .csv).
        kind : interview, fieldnote, survey or document; None decides per file (speaker
            turns found on strong evidence make an interview, a dated header a field note).
        attributes : a CSV or YAML sidecar (or DataFrame) of participant or document
            attributes, joined by a ``file`` column or by participant id in the file name.
        encoding : force a text encoding instead of detecting it.
        workers : processes that read and segment (default: up to 4 on Linux for 16 or more
            files, else 1); the result is the same whatever the number.
        speakers : the speakers, when the automatic rule is wrong: a list of labels (only
            ``Maya:``, ``Dev:`` ... open turns) or a regular expression matched at the start
            of a line (``r"[A-Z][a-z]+ [0-9]:"``).
        cases : ``"speakers"`` makes each speaker of a transcript with no case a case (see
            :meth:`speakers_as_cases`).

        Returns
        -------
        ImportReport : what was imported, skipped (identical documents) and left unmatched.
        """
        settings = self.settings
        return corpus.import_files(
            self._conn, paths, kind=kind, attributes=attributes, actor=self.user,
            language=settings.get("language", "en"),
            model=settings.get("spacy_model") or None, encoding=encoding, progress=progress,
            workers=workers, speakers=speakers, cases=cases,
        )

    def speakers_as_cases(self) -> list[str]:
        """Make each speaker of the transcripts that belong to no case a case (the label as
        written is its id); a coding there counts for the speaker whose turn it starts in.
        Returns the cases formed. See :mod:`workbench.corpus.speakers`."""
        with atomic(self._conn):
            return corpus.speakers_as_cases(self._conn, self.user)

    def import_attributes(self, source) -> list[str]:
        """Join a participants or documents sidecar to documents already imported.

        Returns the sidecar rows that matched no document.
        """
        rows = corpus.read_attributes(source)
        with atomic(self._conn):
            return apply_attributes(self._conn, rows, self.user)

    def delete_document(self, doc_id: str) -> None:
        """Delete a document from view and from coding (kept in the store and history)."""
        with atomic(self._conn):
            corpus.manage.delete_document(self._conn, doc_id, self.user)
            forget_deleted(self._conn)

    def rename_document(self, doc_id: str, name: str) -> None:
        """Rename a document (by id or current name); its text and codings stay as they are."""
        with atomic(self._conn):
            corpus.manage.rename_document(self._conn, doc_id, name, self.user)

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
        return store.history(self._conn)

    def summary(self) -> pd.DataFrame:
        """Counts per document kind: documents, words, turns, paragraphs, sentences, cases."""
        return corpus.summary(self._conn)

    # -- coding ----------------------------------------------------------------------------
    def code(self, doc_id: str, start: int, end: int, code: str, coder: str | None = None,
             memo: str | None = None) -> coding.Coding:
        """Apply ``code`` to ``text[start:end]`` of a document (offsets in code points).

        Offsets are whole numbers (numpy integers such as ``segments()`` gives are fine;
        fractions and booleans are refused); ``coder`` cannot be empty or a name kept for a
        layer (``consensus``, ``all``, ``*``, ``suggestions``)."""
        with atomic(self._conn):
            return coding.code(self._conn, doc_id, start, end, code, coder or self.user,
                               memo=memo)

    def code_text(self, doc: str, phrase: str, code: str, *, occurrence: int = 1,
                  coder: str | None = None) -> coding.Coding:
        """Apply ``code`` to a phrase of document ``doc`` (id or name), found by its exact
        words in the canonical text: its ``occurrence``-th occurrence, counting from 1. A
        phrase that is not there (or not that often) is refused, with close matches."""
        with atomic(self._conn):
            return coding.code_text(self._conn, doc, phrase, code, coder or self.user,
                                    occurrence=occurrence)

    def code_segment(self, segment_id: str, code: str, coder: str | None = None
                     ) -> coding.Coding:
        """Apply ``code`` to a whole segment (a turn, paragraph or sentence)."""
        with atomic(self._conn):
            doc_id, start, end = coding.segment_span(self._conn, segment_id)
            return coding.code(self._conn, doc_id, start, end, code, coder or self.user)

    def code_many(self, rows: pd.DataFrame, *, coder: str | None = None,
                  origin: str = "imported") -> list[str]:
        """Store many codings in one transaction (columns doc_id, start, end, code, and
        optionally coder, origin, created_at); all are checked before any is stored.

        A row with an offset that is not a whole number (NaN, None, 2.5, True), a reserved
        coder name or origin ``consensus`` (written by :meth:`reconcile` only) is refused
        with its row number, and nothing is stored."""
        with atomic(self._conn):
            return coding.code_many(self._conn, rows, coder or self.user, origin,
                                    origins=coding.PERSON_ORIGINS)

    def uncode(self, coding_id: str, coder: str | None = None) -> None:
        """Remove a coding (it stays in history)."""
        with atomic(self._conn):
            coding.uncode(self._conn, coding_id, coder or self.user)

    def codings(self, coder: str | None = None, code: str | None = None,
                include_children: bool = True, doc_id: str | None = None) -> pd.DataFrame:
        """Active codings with their quotes: coding_id, doc_id, document, case_id, start,
        end, code_id, code, coder, origin, created_at, text.

        A listing, each row naming its coder: ``coder=None`` lists the consensus layer where
        it exists and every coder elsewhere, ``"all"`` every layer, a name one coder."""
        return coding.codings_frame(self._conn, coder=coder, code=code,
                                    include_children=include_children, doc_id=doc_id)

    def memo(self, target_kind: str, target_id: str | None, text: str,
             author: str | None = None) -> str:
        """Write a memo on the project (target_id None), a document, case, code or coding."""
        with atomic(self._conn):
            return coding.write_memo(self._conn, target_kind, target_id, text,
                                     author or self.user)

    def edit_memo(self, memo_id: str, text: str, author: str | None = None) -> None:
        """Replace a memo's text (the old text stays in the audit log)."""
        with atomic(self._conn):
            coding.edit_memo(self._conn, memo_id, text, author or self.user)

    def memos(self, target_kind: str | None = None, target_id: str | None = None
              ) -> pd.DataFrame:
        """Memos, oldest first."""
        return coding.memos_frame(self._conn, target_kind, target_id)

    def retrieve(self, code: str, context: int = 0, coder: str | None = None) -> pd.DataFrame:
        """Every quote for a code and its descendants, with speaker, document and case
        attributes (the document's value wins a name both have) and ``context`` characters
        either side. ``coder`` chooses whose codings are counted: a coder's
        name, ``"consensus"``, ``"all"`` (every layer side by side), or None: the consensus
        layer where it exists and the one coder elsewhere; refused (WB-CODING-017, listing
        the coders) when several people coded outside it. See ``workbench.coding.layers``."""
        return coding.retrieve(self._conn, code, context=context, coder=coder)

    def frequencies(self, by: str = "document", coder: str | None = None) -> pd.DataFrame:
        """Code frequencies by document, case, or any attribute, per layer (a ``coder``
        column). ``coder`` chooses whose codings are counted: a coder's
        name, ``"consensus"``, ``"all"`` (every layer side by side), or None: the consensus
        layer where it exists and the one coder elsewhere; refused (WB-CODING-017, listing
        the coders) when several people coded outside it. See ``workbench.coding.layers``."""
        return coding.frequencies(self._conn, by, coder=coder)

    def cooccurrence(self, mode: str = "overlap", *, unit: str = "turn", within: int = 200,
                     coder: str | None = None) -> pd.DataFrame:
        """Pairs of codes occurring together (overlap, proximity, or in one segment), within
        each layer (a ``coder`` column). ``coder`` chooses whose codings are counted: a coder's
        name, ``"consensus"``, ``"all"`` (every layer side by side), or None: the consensus
        layer where it exists and the one coder elsewhere; refused (WB-CODING-017, listing
        the coders) when several people coded outside it. See ``workbench.coding.layers``."""
        return coding.cooccurrence(self._conn, mode, unit=unit, within=within, coder=coder)

    def code_matrix(self, attribute: str, coder: str | None = None) -> pd.DataFrame:
        """Code-by-attribute matrix: codings, cases and share of text per value and layer
        (a ``coder`` column). ``coder`` chooses whose codings are counted: a coder's
        name, ``"consensus"``, ``"all"`` (every layer side by side), or None: the consensus
        layer where it exists and the one coder elsewhere; refused (WB-CODING-017, listing
        the coders) when several people coded outside it. See ``workbench.coding.layers``."""
        return coding.code_matrix(self._conn, attribute, coder=coder)

    def case_matrix(self, value: str = "presence", coder: str | None = None) -> pd.DataFrame:
        """Case x code matrix (presence, count or share) for statistics, indexed by
        (coder, case_id): ``matrix.loc["ana"]`` is one layer's. ``coder`` chooses whose
        codings are counted: a coder's name, ``"consensus"``, ``"all"`` (every layer side by
        side), or None: the consensus layer where it exists and the one coder elsewhere;
        refused (WB-CODING-017, listing the coders) when several people coded outside it.
        See ``workbench.coding.layers``."""
        return coding.case_matrix(self._conn, value, coder=coder)

    def suggest(self, codes: list[str] | None = None) -> pd.DataFrame:
        """Match the codebook's patterns; store and return pending suggestions."""
        with atomic(self._conn):
            return coding.find_suggestions(self._conn, codes=codes,
                                           language=self.settings.get("language", "en"),
                                           actor=self.user)

    def suggestions(self, status: str | None = None) -> pd.DataFrame:
        """Stored suggestions (pending, accepted, rejected)."""
        return coding.suggestions_frame(self._conn, status)

    def accept_suggestion(self, suggestion_id: str, coder: str | None = None
                          ) -> coding.Coding:
        """Accept a suggestion: it becomes a coding by ``coder``."""
        with atomic(self._conn):
            return coding.accept(self._conn, suggestion_id, coder or self.user)

    def reject_suggestion(self, suggestion_id: str, coder: str | None = None) -> None:
        """Reject a suggestion (recorded)."""
        with atomic(self._conn):
            coding.reject(self._conn, suggestion_id, coder or self.user)

    def suggestion_quality(self, coder: str | None = None) -> pd.DataFrame:
        """Precision and recall of suggestions against a coder's manual codings, per code."""
        return coding.quality(self._conn, coder or self.user)

    # -- deployment logs ---------------------------------------------------------------------
    def load_logs(self, paths, mapping, *, replace: bool = False):
        """Load deployment logs (CSV, JSONL, Parquet files or folders) into ``logs.duckdb``
        through a YAML mapping; failing rows go to the rejects table. Returns the report."""
        from workbench import logs

        return logs.load(self, paths, mapping, replace=replace)

    def metrics(self, metric: str = "overview", *, bucket: str = "day", by=("unit",),
                **options) -> pd.DataFrame:
        """A log metric (see ``workbench.logs.METRICS``) by time bucket and grouping keys."""
        from workbench import logs

        return logs.compute(self, metric, bucket=bucket, by=by, **options)

    def log_rejects(self, load_id: int | None = None) -> pd.DataFrame:
        """Log rows that failed validation, with the row number and the reason."""
        from workbench import logs

        return logs.rejects(self, load_id=load_id)

    def log_loads(self) -> pd.DataFrame:
        """Every log load: when, by whom, which files and mapping, rows kept and rejected."""
        from workbench import logs

        return logs.loads(self)

    # -- exchange with other QDA programs ---------------------------------------------------
    def export_qdpx(self, path: str | Path) -> Path:
        """Write the project as a REFI-QDA ``.qdpx`` file (NVivo, ATLAS.ti, MAXQDA, ...)."""
        return refi_qda.export_qdpx(self._conn, path, project_dir=self.path, user=self.user)

    @classmethod
    def import_qdpx(cls, source: str | Path, path: str | Path, *, user: str | None = None,
                    language: str = "en", position_unit: str | None = None,
                    kind: str | None = None):
        """Make a new project in ``path`` from a REFI-QDA ``.qdpx`` file; returns the import
        report (what was taken, skipped and adapted, and why).

        The whole file is checked before anything is written (see
        :func:`workbench.refi_qda.check_qdpx` for what is refused); the project is built in a
        hidden sibling folder and moved into place only when complete, so an import that
        fails or is killed part-way leaves ``path`` as it was, and the retry works.
        ``user`` (default: ``$WORKBENCH_USER`` or the login name) is coder and author of
        whatever the file attributes to nobody; ``position_unit`` (``"codepoint"`` or
        ``"utf16"``) overrides what the file's positions are read as counting; ``kind``
        (interview, fieldnote, survey, document) is every document's kind, overriding the
        file's ``kind`` variables and the transcript rule."""
        user = user or default_user()
        checked = refi_qda.check_qdpx(source, path, user=user, position_unit=position_unit)
        with refi_qda.new_project_folder(path) as folder, \
                cls.create(folder, language=language, user=user) as project, project.atomic():
            return refi_qda.store_qdpx(project._conn, checked, project_dir=path, user=user,
                                       language=language, kind=kind)

    # -- reliability -----------------------------------------------------------------------
    def agreement(self, coders: list[str], unit: str = "segment", *, segment: str = "sentence",
                  codes: list[str] | None = None, n_boot: int = 1000, seed: int = 0
                  ) -> pd.DataFrame:
        """Per-code agreement (alpha with CI, kappa, percent agreement) between coders over
        the documents they all coded; ``"suggestions"`` is the rule-based suggester."""
        return reliability.agreement(self._conn, coders, unit=unit, segment=segment,
                                     codes=codes, n_boot=n_boot, seed=seed)

    def unitizing_agreement(self, coders: list[str], codes: list[str] | None = None
                            ) -> pd.DataFrame:
        """Krippendorff's u-alpha and cu-alpha per code, on the spans as coders drew them."""
        return reliability.unitizing_agreement(self._conn, coders, codes=codes)

    def disagreements(self, coders: list[str], code: str | None = None, *,
                      segment: str = "sentence") -> pd.DataFrame:
        """Each unit and code the coders differ on, with its text and who applied it."""
        return reliability.disagreements(self._conn, coders, code=code, segment=segment)

    def reconcile(self, coders: list[str], decisions, *, default: str | None = None,
                  segment: str = "sentence") -> pd.DataFrame:
        """Build the consensus layer: each disagreement follows a coder, ``"both"`` or
        ``"neither"``; agreed units keep the first coder's codings. Analyses then read the
        consensus layer by default where it exists."""
        with atomic(self._conn):
            return reliability.reconcile(self._conn, coders, decisions, actor=self.user,
                                         segment=segment, default=default)
