"""Importing files into a project: read, normalise, segment, then store in one transaction.

Files stream through the pipeline one at a time and their rows are staged in a scratch
SQLite file, so memory does not grow with the corpus and the project's write lock is held
only for the final copy. Any error in any file aborts the whole batch: nothing is stored
and the error names the file.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import tempfile
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
) -> ImportReport:
    """Import files into the project behind ``conn``; see :meth:`workbench.Project.import_files`."""
    if kind is not None and kind not in KINDS:
        raise ImportError_(26, f"kind={kind!r} is not one of: {', '.join(KINDS)}.")
    files = expand_paths(paths)
    if not files:
        raise ImportError_(27, "no files to import. Name files, or a folder that holds some.")
    sidecar = read_attributes(attributes) if attributes is not None else []
    nlp = sentence_pipeline(language, model)
    with tempfile.TemporaryDirectory(prefix="workbench-import-") as folder:
        staging = _Staging(conn, Path(folder))
        seen: dict[str, str] = {}
        skipped: list[tuple[str, str]] = []
        for path in tqdm(files, desc="importing", unit="file", disable=not progress):
            try:
                sources = read_file(path, encoding=encoding)
                for source in sources:
                    _stage(conn, staging, source, path, kind, nlp, seen, skipped)
            except WorkbenchError:
                raise
            except Exception as err:  # a reader library failed in a way it does not document
                raise ImportError_(
                    28, f"{path.name}: could not be read ({type(err).__name__}: {err}). "
                    "Nothing from this batch was imported; remove or repair the file."
                ) from err
        staging.db.execute("COMMIT")
        try:
            return _commit(conn, staging, sidecar, actor, skipped)
        finally:
            staging.db.close()


def _stage(conn, staging: _Staging, source: SourceDocument, path: Path, kind, nlp, seen,
           skipped) -> None:
    doc_id = document_id(source)
    existing = conn.execute("SELECT name FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
    if existing or doc_id in seen:
        other = existing["name"] if existing else seen[doc_id]
        skipped.append((source.name, f"identical to '{other}', already "
                        f"{'in the project' if existing else 'in this batch'}"))
        return
    seen[doc_id] = source.name
    date = source.attributes.get("date")
    date = None if date is None else str(date)
    doc_kind, turns = _kind_and_turns(source, kind, date)
    text = source.text
    rows = [
        (f"{doc_id}-{s.unit[0]}{s.ordinal:05d}", doc_id, s.unit, s.ordinal, s.start, s.end,
         s.speaker, s.t_start, s.t_end)
        for s in segment(text, turns, nlp)
    ]
    staging.db.executemany("INSERT INTO segments VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    staging.db.execute(
        "INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, '', '', ?, ?, 'active')",
        (doc_id, source.name, doc_kind, source.format, text,
         hashlib.sha256(text.encode()).hexdigest(), str(path), source.encoding, date,
         len(text), len(text.split())),
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


def _copy(source: sqlite3.Connection, conn: sqlite3.Connection, table: str,
          leave_out: set[str], chunk: int = 5000) -> None:
    """Stream a staged table into the project's table of the same name."""
    cursor = source.execute(f"SELECT * FROM {table}")
    marks = ", ".join("?" * len(cursor.description))
    doc_column = [d[0] for d in cursor.description].index("doc_id")
    while rows := cursor.fetchmany(chunk):
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
        "m.attributes, m.types, "
        "(SELECT count(*) FROM segments s WHERE s.doc_id = d.doc_id) AS n_segments "
        "FROM documents d JOIN doc_meta m USING (doc_id) ORDER BY d.rowid"
    ).fetchall()
    with atomic(conn):
        # Another coder may have imported the same file while this batch was being read.
        raced = {r[0] for r in staged if conn.execute(
            "SELECT 1 FROM documents WHERE doc_id = ?", (r[0],)).fetchone()}
        skipped += [(r[1], "imported by someone else while this import ran")
                    for r in staged if r[0] in raced]
        new = [r for r in staged if r[0] not in raced]
        _copy(source, conn, "documents", raced)
        _copy(source, conn, "segments", raced)
        for row in new:
            _store_document_meta(conn, row, stamp, actor)
        unmatched = apply_attributes(conn, sidecar, actor)
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
