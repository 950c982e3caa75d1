"""Importing files into a project: read, normalise, segment, then store in one transaction.

Files stream through the pipeline (in worker processes where there are several cores and
many files) and their rows are staged in a scratch
SQLite file, so memory does not grow with the corpus and the project's write lock is held
only for the final copy. Any error in any file aborts the whole batch: nothing is stored
and the error names the file.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import sqlite3
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from tqdm.auto import tqdm

from workbench.corpus.cases import AttributeRow, infer_type, matches, read_attributes
from workbench.corpus.readers import READERS, SourceDocument, read_file
from workbench.corpus.segment import segment, sentence_pipeline
from workbench.corpus.transcript import Turn, parse_turns
from workbench.errors import ImportError_, WorkbenchError
from workbench.store import append_audit, atomic
from workbench.store.audit import now

KINDS = ("interview", "fieldnote", "survey", "document")


@dataclass(frozen=True)
class ImportReport:
    """What an import did: documents stored, files skipped and why, attribute rows unused."""

    imported: tuple[str, ...] = ()
    doc_ids: tuple[str, ...] = ()
    skipped: tuple[tuple[str, str], ...] = ()
    unmatched_attributes: tuple[str, ...] = ()
    n_segments: int = 0
    n_words: int = 0
    messages: tuple[str, ...] = field(default=())

    def __str__(self) -> str:
        lines = [f"imported {len(self.imported)} document(s), {self.n_words:,} words, "
                 f"{self.n_segments:,} segments"]
        lines += [f"skipped {name}: {why}" for name, why in self.skipped]
        lines += [f"attribute row matched no document: {row}" for row in self.unmatched_attributes]
        return "\n".join(lines)

    def to_frame(self) -> pd.DataFrame:
        """One row per file outcome: name, status (imported/skipped), detail."""
        rows = [{"name": n, "status": "imported", "detail": d}
                for n, d in zip(self.imported, self.doc_ids, strict=True)]
        rows += [{"name": n, "status": "skipped", "detail": why} for n, why in self.skipped]
        rows += [{"name": r, "status": "unmatched attributes", "detail": ""}
                 for r in self.unmatched_attributes]
        return pd.DataFrame(rows, columns=["name", "status", "detail"])


def expand_paths(paths) -> list[Path]:
    """Files as given, and the supported files inside any folder given (hidden ones left out)."""
    if isinstance(paths, str | Path):
        paths = [paths]
    files = []
    for path in map(Path, paths):
        if path.is_dir():
            files += sorted(
                p for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in READERS
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        else:
            files.append(path)
    return files


def document_id(source: SourceDocument) -> str:
    """Stable id from the canonical text (and, for survey rows, the respondent)."""
    digest = hashlib.sha256(f"{source.identity}\0{source.text}".encode()).hexdigest()
    return digest[:16]


def _kind_and_turns(source: SourceDocument, kind: str | None, date: str | None):
    """Decide the kind (unless given) and find speaker turns where the kind has them."""
    if source.turns is not None:
        turns = [Turn(*t) for t in source.turns]
        return kind or source.kind or "interview", turns
    wanted = kind or source.kind
    if wanted in ("fieldnote", "document"):
        return wanted, []
    turns = parse_turns(source.text)
    if wanted is None:
        speakers = {t.speaker for t in turns}
        if len(speakers) >= 2 and len(turns) >= 3:
            wanted = "interview"
        else:
            wanted, turns = ("fieldnote" if date else "document"), []
    return wanted, turns


class _Staging:
    """A scratch database with the project's documents and segments columns."""

    def __init__(self, conn: sqlite3.Connection, folder: Path) -> None:
        self.path = folder / "staging.sqlite"
        self.db = sqlite3.connect(self.path, isolation_level=None)
        self.db.execute("PRAGMA journal_mode = OFF")
        self.db.execute("PRAGMA synchronous = OFF")
        for table in ("documents", "segments"):
            columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
            quoted = ", ".join(f'"{c}"' for c in columns)
            self.db.execute(f"CREATE TABLE {table} ({quoted})")
        self.db.execute(
            "CREATE TABLE doc_meta (doc_id, case_id, case_attributes, attributes, types)")
        self.db.execute("BEGIN")


@dataclass(frozen=True)
class _Prepared:
    """A document read and segmented, ready to stage: the work a worker process does."""

    source: SourceDocument
    path: str
    doc_id: str
    kind: str
    date: str | None
    rows: list


def _prepare_file(job: tuple) -> list[_Prepared]:
    """Read one file and segment its documents (runs in a worker process or in-process)."""
    path, kind, encoding, language, model = job
    try:
        prepared = []
        for source in read_file(path, encoding=encoding):
            doc_id = document_id(source)
            date = source.attributes.get("date")
            date = None if date is None else str(date)
            doc_kind, turns = _kind_and_turns(source, kind, date)
            rows = [
                (doc_id, s.unit, s.ordinal, s.start, s.end, s.speaker, s.t_start, s.t_end)
                for s in segment(source.text, turns, sentence_pipeline(language, model))
            ]
            prepared.append(_Prepared(source, str(path), doc_id, doc_kind, date, rows))
        return prepared
    except WorkbenchError:
        raise
    except Exception as err:  # a reader library failed in a way it does not document
        raise ImportError_(
            28, f"{path.name}: could not be read ({type(err).__name__}: {err}). "
            "Nothing from this batch was imported; remove or repair the file."
        ) from err


#: Below this many files the import runs in-process: starting workers would cost more.
_MIN_FILES_FOR_WORKERS = 16


def _prepared_files(jobs: list[tuple], workers: int | None) -> Iterator[list[_Prepared]]:
    """Prepare files in order, in worker processes where that pays (Linux, several cores).

    Reading and segmenting is CPU-bound Python and spaCy, so on a multi-core machine worker
    processes (forked, so they share the loaded pipeline) multiply throughput; the main
    process only writes to the database. Results arrive in file order, so an import is
    deterministic whatever the number of workers.
    """
    if workers is None:
        workers = min(os.cpu_count() or 1, 4) if len(jobs) >= _MIN_FILES_FOR_WORKERS else 1
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods() \
            or sys.platform != "linux":
        yield from map(_prepare_file, jobs)
        return
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        yield from pool.imap(_prepare_file, jobs, chunksize=1)


def import_files(
    conn: sqlite3.Connection,
    paths,
    *,
    kind: str | None = None,
    attributes=None,
    actor: str,
    language: str = "en",
    model: str | None = None,
    encoding: str | None = None,
    progress: bool = True,
    workers: int | None = None,
) -> ImportReport:
    """Import files into the project behind ``conn``; see :meth:`workbench.Project.import_files`."""
    if kind is not None and kind not in KINDS:
        raise ImportError_(26, f"kind={kind!r} is not one of: {', '.join(KINDS)}.")
    files = expand_paths(paths)
    if not files:
        raise ImportError_(27, "no files to import. Name files, or a folder that holds some.")
    sidecar = read_attributes(attributes) if attributes is not None else []
    sentence_pipeline(language, model)  # load (or fail) once, before any worker starts
    jobs = [(path, kind, encoding, language, model) for path in files]
    with tempfile.TemporaryDirectory(prefix="workbench-import-") as folder:
        staging = _Staging(conn, Path(folder))
        seen: dict[str, str] = {}
        skipped: list[tuple[str, str]] = []
        results = tqdm(_prepared_files(jobs, workers), total=len(jobs), desc="importing",
                       unit="file", disable=not progress)
        for prepared in results:
            for document in prepared:
                _stage(conn, staging, document, seen, skipped)
        staging.db.execute("COMMIT")
        try:
            return _commit(conn, staging, sidecar, actor, skipped)
        finally:
            staging.db.close()


def _stage(conn, staging: _Staging, prepared: _Prepared, seen, skipped) -> None:
    source, doc_id = prepared.source, prepared.doc_id
    existing = conn.execute("SELECT name FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
    if existing or doc_id in seen:
        other = existing["name"] if existing else seen[doc_id]
        skipped.append((source.name, f"identical to '{other}', already "
                        f"{'in the project' if existing else 'in this batch'}"))
        return
    seen[doc_id] = source.name
    text = source.text
    staging.db.executemany("INSERT INTO segments VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                           prepared.rows)
    staging.db.execute(
        "INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, '', '', ?, ?, 'active')",
        (doc_id, source.name, prepared.kind, source.format, text,
         hashlib.sha256(text.encode()).hexdigest(), prepared.path, source.encoding,
         prepared.date, len(text), len(text.split())),
    )
    staging.db.execute(
        "INSERT INTO doc_meta VALUES (?, ?, ?, ?, ?)",
        (doc_id, source.case_id, repr_json(source.case_attributes),
         repr_json({k: v for k, v in source.attributes.items() if k != "date"}),
         repr_json(source.types)),
    )


def repr_json(value: dict) -> str:
    """Attributes as JSON for the staging table."""
    return json.dumps(value, ensure_ascii=False, default=str)


def _copy(conn: sqlite3.Connection, staging: _Staging, table: str, leave_out: set[str]) -> None:
    """Copy a staged table into the project's table of the same name, less ``leave_out``.

    Outside a caller's transaction the scratch file is attached and copied by SQLite in one
    statement (about five times faster); inside one, where SQLite cannot attach, rows stream
    through Python in chunks.
    """
    if "staging" in {row[1] for row in conn.execute("PRAGMA database_list")}:
        conn.execute(f"INSERT INTO main.{table} SELECT * FROM staging.{table} "
                     "WHERE doc_id NOT IN (SELECT value FROM json_each(?))",
                     (json.dumps(sorted(leave_out)),))
        return
    cursor = staging.db.execute(f"SELECT * FROM {table}")
    marks = ", ".join("?" * len(cursor.description))
    doc_column = [d[0] for d in cursor.description].index("doc_id")
    while rows := cursor.fetchmany(5000):
        conn.executemany(f"INSERT INTO {table} VALUES ({marks})",
                         [r for r in rows if r[doc_column] not in leave_out])


def _commit(conn, staging: _Staging, sidecar: list[AttributeRow], actor: str,
            skipped: list[tuple[str, str]]) -> ImportReport:
    """Copy the staged rows into the project and join attributes, in one transaction."""
    stamp = now()
    source = staging.db
    source.execute("UPDATE documents SET imported_at = ?, imported_by = ?", (stamp, actor))
    staged = source.execute(
        "SELECT d.doc_id, d.name, d.kind, d.n_words, m.case_id, m.case_attributes, "
        "m.attributes, m.types, coalesce(n.n_segments, 0) "
        "FROM documents d JOIN doc_meta m USING (doc_id) LEFT JOIN "
        "(SELECT doc_id, count(*) AS n_segments FROM segments GROUP BY doc_id) n USING (doc_id) "
        "ORDER BY d.rowid"
    ).fetchall()
    attach = not conn.in_transaction
    if attach:
        conn.execute("ATTACH DATABASE ? AS staging", (str(staging.path),))
    try:
        with atomic(conn):
            # Another coder may have imported the same file while this batch was being read.
            raced = {r[0] for r in staged if conn.execute(
                "SELECT 1 FROM documents WHERE doc_id = ?", (r[0],)).fetchone()}
            skipped += [(r[1], "imported by someone else while this import ran")
                        for r in staged if r[0] in raced]
            new = [r for r in staged if r[0] not in raced]
            _copy(conn, staging, "documents", raced)
            _copy(conn, staging, "segments", raced)
            for row in new:
                _store_document_meta(conn, row, stamp, actor)
            unmatched = apply_attributes(conn, sidecar, actor)
    finally:
        if attach:
            conn.execute("DETACH DATABASE staging")
    return ImportReport(
        imported=tuple(r[1] for r in new),
        doc_ids=tuple(r[0] for r in new),
        skipped=tuple(skipped),
        unmatched_attributes=tuple(unmatched),
        n_segments=sum(r[8] for r in new),
        n_words=sum(r[3] for r in new),
    )


def _store_document_meta(conn, row, stamp: str, actor: str) -> None:
    doc_id, name, kind, n_words, case_id, case_attributes, attributes, types, _ = row
    types = json.loads(types)
    if case_id:
        case_attributes = json.loads(case_attributes)
        _ensure_case(conn, case_id, stamp)
        conn.execute("UPDATE documents SET case_id = ? WHERE doc_id = ?", (case_id, doc_id))
        _set_attributes(conn, "case", case_id, case_attributes,
                        {k: types.get(k) or infer_type([v]) for k, v in case_attributes.items()})
    attributes = json.loads(attributes)
    _set_attributes(conn, "document", doc_id, attributes,
                    {k: types.get(k) or infer_type([v]) for k, v in attributes.items()})
    append_audit(conn, actor=actor, action="import", entity="document", entity_id=doc_id,
                 after={"name": name, "kind": kind, "n_words": n_words, "case_id": case_id})


def _ensure_case(conn, case_id: str, stamp: str) -> None:
    conn.execute("INSERT OR IGNORE INTO cases VALUES (?, ?)", (case_id, stamp))


def _set_attributes(conn, entity: str, entity_id: str, values: dict, types: dict) -> None:
    conn.executemany(
        "INSERT OR REPLACE INTO attributes VALUES (?, ?, ?, ?, ?)",
        [(entity, entity_id, k, str(v), types.get(k, "text")) for k, v in values.items()],
    )


def apply_attributes(conn, rows: list[AttributeRow], actor: str) -> list[str]:
    """Join sidecar rows to the project's documents; return the rows that matched none.

    Runs inside the caller's transaction. A row with a case id forms that case, links its
    documents to it and sets case attributes; a row with only a file name sets document
    attributes (a ``date`` column also sets the document's date).
    """
    if not rows:
        return []
    documents = conn.execute(
        "SELECT doc_id, name FROM documents WHERE status = 'active'"
    ).fetchall()
    unmatched, stamp = [], now()
    for row in rows:
        hits = [d["doc_id"] for d in documents if matches(row, d["name"])]
        label = f"line {row.line} ({row.case_id or row.file})"
        if not hits:
            unmatched.append(label)
            continue
        if row.case_id:
            _ensure_case(conn, row.case_id, stamp)
            conn.executemany("UPDATE documents SET case_id = ? WHERE doc_id = ?",
                             [(row.case_id, h) for h in hits])
            _set_attributes(conn, "case", row.case_id, row.values, row.types)
            target = ("case", row.case_id)
        else:
            for hit in hits:
                _set_attributes(conn, "document", hit, row.values, row.types)
                if "date" in row.values:
                    conn.execute("UPDATE documents SET date = ? WHERE doc_id = ?",
                                 (row.values["date"], hit))
            target = ("document", ",".join(hits))
        append_audit(conn, actor=actor, action="set attributes", entity=target[0],
                     entity_id=target[1], after=row.values)
    return unmatched
