"""Importing files into a project: read, normalise, segment, then store in one transaction.

Files stream through the pipeline (in worker processes where there are several cores and
many files); each process writes the segments it makes to its own scratch SQLite file, and
the main process stages the documents in another, so memory does not grow with the corpus
and the project's write lock is held only for the final copy. Any error in any file aborts
the whole batch: nothing is stored and the error names the file.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import re
import sqlite3
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd
from tqdm.auto import tqdm

from workbench.corpus._scratch import (
    Staged,
    Staging,
    close_scratch_files,
    copy_rows,
    scratch_file,
    write_document,
)
from workbench.corpus.cases import (
    AttributeRow,
    apply_attributes,
    ensure_case,
    infer_type,
    read_attributes,
    set_attributes,
    stored_attributes,
)
from workbench.corpus.folders import expand_paths
from workbench.corpus.manage import set_case
from workbench.corpus.readers import SourceDocument, read_file
from workbench.corpus.segment import segment_rows, sentence_pipeline
from workbench.corpus.speakers import speakers_as_cases
from workbench.corpus.transcript import Turn, named_labels, parse_turns
from workbench.corpus.views import find_document
from workbench.errors import ImportError_, WorkbenchError
from workbench.store import append_audit, atomic
from workbench.store.audit import now

KINDS = ("interview", "fieldnote", "survey", "document")
#: What ``cases=`` may ask of an import: each speaker of a transcript with no case a case.
CASES = ("speakers",)


@dataclass(frozen=True)
class ImportReport:
    """What an import did: documents stored, files skipped and why, attribute rows unused."""

    imported: tuple[str, ...] = ()
    doc_ids: tuple[str, ...] = ()
    skipped: tuple[tuple[str, str], ...] = ()
    unmatched_attributes: tuple[str, ...] = ()
    n_segments: int = 0
    n_words: int = 0
    cases_formed: tuple[str, ...] = ()

    def __str__(self) -> str:
        lines = [f"imported {len(self.imported)} document(s), {self.n_words:,} words, "
                 f"{self.n_segments:,} segments"]
        lines += [f"skipped {name}: {why}" for name, why in self.skipped]
        lines += [f"attribute row matched no document: {row}" for row in self.unmatched_attributes]
        if self.cases_formed:
            lines.append(f"speakers made cases: {', '.join(self.cases_formed)}")
        return "\n".join(lines)

    def to_frame(self) -> pd.DataFrame:
        """One row per file outcome: name, status (imported/skipped), detail."""
        rows = [{"name": n, "status": "imported", "detail": d}
                for n, d in zip(self.imported, self.doc_ids, strict=True)]
        rows += [{"name": n, "status": "skipped", "detail": why} for n, why in self.skipped]
        rows += [{"name": r, "status": "unmatched attributes", "detail": ""}
                 for r in self.unmatched_attributes]
        return pd.DataFrame(rows, columns=["name", "status", "detail"])


def document_id(source: SourceDocument) -> str:
    """Stable id from the canonical text and the source's identity (a survey row's file and
    respondent, a field note's front matter)."""
    digest = hashlib.sha256(f"{source.identity}\0{source.text}".encode()).hexdigest()
    return digest[:16]


def _kind_and_turns(source: SourceDocument, kind: str | None, date: str | None,
                    speakers: list[str] | str | None = None):
    """Decide the kind (unless given) and find speaker turns where the kind has them.

    Undecided, a text is an interview when its turns are found on strong evidence (see
    :mod:`workbench.corpus.transcript`) by at least two speakers, or when any turn opens with
    a label the caller named in ``speakers``."""
    if source.turns is not None:
        turns = [Turn(*t) for t in source.turns]
        return kind or source.kind or "interview", turns
    wanted = kind or source.kind
    if wanted in ("fieldnote", "document"):
        return wanted, []
    turns = parse_turns(source.text, speakers)
    if wanted is None:
        if (speakers is not None and turns) or (
                len({t.speaker for t in turns}) >= 2 and len(turns) >= 3):
            wanted = "interview"
        else:
            wanted, turns = ("fieldnote" if date else "document"), []
    return wanted, turns


@dataclass(frozen=True)
class _Prepared:
    """A document read, segmented and written to a scratch file: the work a worker process
    does. The main process gets only this much of it back, not the text."""

    doc_id: str
    name: str
    kind: str
    n_words: int
    n_segments: int
    scratch_file: str
    case_id: str | None
    case_attributes: dict
    attributes: dict
    types: dict
    #: The id an earlier workbench gave this text (before front matter counted in its id),
    #: and the document's date, to recognise the same file imported by that version.
    legacy: tuple[str, str | None] | None = None


@dataclass(frozen=True)
class _Job:
    """One file to prepare and how (pickled to a worker process, so plain values only)."""

    path: Path
    kind: str | None
    encoding: str | None
    language: str
    model: str | None
    folder: str
    template: Path
    stamp: str
    actor: str
    speakers: list[str] | str | None = None


def _prepare_file(job: _Job) -> list[_Prepared]:
    """Read one file, segment its documents and write them and their segments to this
    process's scratch file (runs in a worker process, or in-process)."""
    path = job.path
    try:
        prepared = []
        scratch_path, db, written = scratch_file(job.folder, job.template)
        for source in read_file(path, encoding=job.encoding):
            doc_id = document_id(source)
            date = source.attributes.get("date")
            date = None if date is None else str(date)
            doc_kind, turns = _kind_and_turns(source, job.kind, date, job.speakers)
            rows = list(segment_rows(source.text, turns,
                                     sentence_pipeline(job.language, job.model)))
            text, n_words = source.text, len(source.text.split())
            if doc_id not in written:  # the same text twice in a batch is stored once
                write_document(db, (doc_id, source.name, doc_kind, source.format, text,
                                    hashlib.sha256(text.encode()).hexdigest(), str(path),
                                    source.encoding, date, job.stamp, job.actor, len(text),
                                    n_words), rows)
                written.add(doc_id)
            legacy = ((document_id(replace(source, identity="")), date) if source.identity
                      and source.format in ("txt", "md") else None)
            prepared.append(_Prepared(
                doc_id, source.name, doc_kind, n_words, len(rows), str(scratch_path),
                source.case_id, source.case_attributes,
                {k: v for k, v in source.attributes.items() if k != "date"}, source.types,
                legacy))
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


def _prepared_files(jobs: list[_Job], workers: int | None) -> Iterator[list[_Prepared]]:
    """Prepare files in order, in worker processes where that pays (Linux, several cores).

    Reading and segmenting is CPU-bound Python and spaCy, so on a multi-core machine worker
    processes (forked, so they share the loaded pipeline) multiply throughput; the main
    process only stages documents. The first 2% of the files are prepared before the workers
    fork, so that they inherit a warm tokenizer cache instead of each warming its own. Results
    arrive in file order, so an import is deterministic whatever the number of workers.
    """
    if workers is None:
        workers = min(os.cpu_count() or 1, 4) if len(jobs) >= _MIN_FILES_FOR_WORKERS else 1
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods() \
            or sys.platform != "linux":
        yield from map(_prepare_file, jobs)
        return
    warm = max(1, len(jobs) // 50)
    yield from map(_prepare_file, jobs[:warm])
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        yield from pool.imap(_prepare_file, jobs[warm:], chunksize=4)


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
    speakers: list[str] | str | None = None,
    cases: str | None = None,
) -> ImportReport:
    """Import files into the project behind ``conn``; see :meth:`workbench.Project.import_files`."""
    if kind is not None and kind not in KINDS:
        raise ImportError_(26, f"kind={kind!r} is not one of: {', '.join(KINDS)}.")
    if cases is not None and cases not in CASES:
        raise ImportError_(38, f"cases={cases!r} is not one of: {', '.join(CASES)}. Leave it "
                           "out to take cases from an attributes file only.")
    speakers = _checked_speakers(speakers)
    files, links = expand_paths(paths)
    if not files:
        raise ImportError_(27, "no files to import. Name files, or a folder that holds some"
                           + "".join(f"; skipped {name}: {why}" for name, why in links) + ".")
    sidecar = read_attributes(attributes) if attributes is not None else []
    sentence_pipeline(language, model)  # load (or fail) once, before any worker starts
    template = conn.execute("PRAGMA database_list").fetchone()[2]
    with tempfile.TemporaryDirectory(prefix="workbench-import-") as folder:
        stamp = now()
        jobs = [_Job(path, kind, encoding, language, model, folder, template, stamp, actor,
                     speakers) for path in files]
        staging = Staging(Path(folder))
        seen: dict[str, str] = {}
        skipped: list[tuple[str, str]] = list(links)
        try:
            results = tqdm(_prepared_files(jobs, workers), total=len(jobs), desc="importing",
                           unit="file", disable=not progress)
            for prepared in results:
                for document in prepared:
                    _stage(conn, staging, document, seen, skipped)
            staging.db.execute("COMMIT")
            close_scratch_files(folder)
            return _commit(conn, staging, sidecar, actor, stamp, skipped, cases)
        finally:
            close_scratch_files(folder)
            staging.db.close()


def _checked_speakers(speakers) -> list[str] | str | None:
    """``speakers=`` as given, once checked: a list of labels, or a regular expression."""
    if speakers is None:
        return None
    if isinstance(speakers, str):
        try:
            named_labels(speakers)
        except re.error as err:
            raise ImportError_(39, f"speakers={speakers!r} is not a regular expression "
                               f"({err}). Fix the pattern, or give a list of labels.") from err
        return speakers
    labels = [s.strip() if isinstance(s, str) else s for s in speakers]
    if not labels or not all(isinstance(s, str) and s for s in labels):
        raise ImportError_(40, f"speakers={speakers!r}: give the speaker labels as a list of "
                           "names as they open the lines (['Maya', 'Dev']), or a pattern.")
    return labels


def _stage(conn, staging: Staging, prepared: _Prepared, seen, skipped) -> None:
    doc_id = prepared.doc_id
    existing = find_document(conn, doc_id, by_name=False, active=False)
    if existing or doc_id in seen:
        other = existing["name"] if existing else seen[doc_id]
        skipped.append((prepared.name, f"identical to '{other}', already "
                        f"{'in the project' if existing else 'in this batch'}"))
        return
    earlier = _stored_by_an_earlier_version(conn, prepared)
    if earlier:
        skipped.append((prepared.name, f"identical to '{earlier}', already in the project "
                        "(imported by an earlier workbench, with the same front matter)"))
        return
    seen[doc_id] = prepared.name
    staging.db.execute(
        "INSERT INTO doc_meta VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (doc_id, prepared.name, prepared.kind, prepared.n_words, prepared.case_id,
         repr_json(prepared.case_attributes), repr_json(prepared.attributes),
         repr_json(prepared.types), prepared.n_segments, prepared.scratch_file),
    )


def _stored_by_an_earlier_version(conn, prepared: _Prepared) -> str | None:
    """The name of a document an earlier workbench stored under this text's old id (before
    front matter counted in the id) with the same attributes, if there is one."""
    if prepared.legacy is None:
        return None
    legacy_id, date = prepared.legacy
    row = find_document(conn, legacy_id, by_name=False)
    if row is None or row["date"] != date:
        return None
    stored = stored_attributes(conn, "document", legacy_id)
    given = {str(k): str(v).strip() for k, v in prepared.attributes.items() if v is not None}
    return row["name"] if all(stored.get(k) == v for k, v in given.items()) else None


def repr_json(value: dict) -> str:
    """Attributes as JSON for the staging table."""
    return json.dumps(value, ensure_ascii=False, default=str)


def _commit(conn, staging: Staging, sidecar: list[AttributeRow], actor: str, stamp: str,
            skipped: list[tuple[str, str]], cases: str | None) -> ImportReport:
    """Copy the staged documents and segments into the project, join attributes and (with
    ``cases="speakers"``) form the speakers' cases, in one transaction."""
    staged = [Staged(*r) for r in staging.db.execute(
        f"SELECT {', '.join(Staged._fields)} FROM doc_meta ORDER BY rowid")]
    files = {f: f"scratch_{i}" for i, f in enumerate(sorted({r.scratch_file for r in staged}))}
    attach = not conn.in_transaction
    if attach:
        for path, alias in files.items():
            conn.execute(f"ATTACH DATABASE ? AS {alias}", (str(path),))
        # Checking each segment's document costs a fifth of the copy, and cannot fail: the
        # copy takes the segments of exactly the documents it stores, in this transaction.
        conn.execute("PRAGMA foreign_keys = OFF")
    try:
        with atomic(conn):
            # Another coder may have imported the same file while this batch was being read.
            raced = {r.doc_id for r in staged
                     if find_document(conn, r.doc_id, by_name=False, active=False)}
            skipped += [(r.name, "imported by someone else while this import ran")
                        for r in staged if r.doc_id in raced]
            new = [r for r in staged if r.doc_id not in raced]
            for table in ("documents", "segments"):
                for path, alias in files.items():
                    copy_rows(conn, Path(path), alias, table,
                          [r.doc_id for r in new if r.scratch_file == path])
            for row in new:
                _store_document_meta(conn, row, stamp, actor)
            unmatched = apply_attributes(conn, sidecar, actor)
            formed = (speakers_as_cases(conn, actor, [r.doc_id for r in new])
                      if cases == "speakers" else [])
    finally:
        if attach:
            conn.execute("PRAGMA foreign_keys = ON")
            for alias in files.values():
                conn.execute(f"DETACH DATABASE {alias}")
    return ImportReport(
        imported=tuple(r.name for r in new),
        doc_ids=tuple(r.doc_id for r in new),
        skipped=tuple(skipped),
        unmatched_attributes=tuple(unmatched),
        n_segments=sum(r.n_segments for r in new),
        n_words=sum(r.n_words for r in new),
        cases_formed=tuple(formed),
    )


def _store_document_meta(conn, row: Staged, stamp: str, actor: str) -> None:
    types = json.loads(row.types)
    if row.case_id:
        case_attributes = json.loads(row.case_attributes)
        ensure_case(conn, row.case_id, stamp)
        set_case(conn, [row.doc_id], row.case_id)
        set_attributes(conn, "case", row.case_id, case_attributes,
                       {k: types.get(k) or infer_type([v]) for k, v in case_attributes.items()})
    attributes = json.loads(row.attributes)
    set_attributes(conn, "document", row.doc_id, attributes,
                   {k: types.get(k) or infer_type([v]) for k, v in attributes.items()})
    append_audit(conn, actor=actor, action="import", entity="document", entity_id=row.doc_id,
                 after={"name": row.name, "kind": row.kind, "n_words": row.n_words,
                        "case_id": row.case_id})
