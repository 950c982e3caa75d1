"""Store a checked ``.qdpx`` import in a project, inside the caller's transaction.

Documents go through ``corpus.import_files`` like any text file: each source's canonical text
is written to a scratch ``.txt`` file (behind an empty front matter block, or one holding its
date, so that text which itself starts with ``---`` is kept whole), imported, then given its
name from the ``.qdpx``. Cases and attributes are joined with the importer's
``apply_attributes``; the codebook, codings and memos go through the codebook and coding
modules. Nothing here commits: the caller's ``project.atomic()`` does, or rolls all back.
"""

from __future__ import annotations

import hashlib
import sqlite3
import tempfile
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from workbench import coding, corpus
from workbench.codebook import ChangelogEntry, Codebook
from workbench.codebook import store as codebook_store
from workbench.corpus.cases import AttributeRow, apply_attributes, infer_type
from workbench.corpus.importer import KINDS
from workbench.corpus.manage import rename_document
from workbench.corpus.views import document_by_digest
from workbench.errors import InteropError
from workbench.refi_qda._qde_records import Parsed, Source
from workbench.store.audit import now


@dataclass(frozen=True)
class Stored:
    """What was stored: each source GUID's document id and coding GUID's coding id, and
    sources stored once for two (``(name, name of the first)``)."""

    doc_ids: dict[str, str]
    coding_ids: dict[str, str]
    merged: tuple[tuple[str, str], ...]


def store(conn: sqlite3.Connection, parsed: Parsed, codebook: Codebook | None, *,
          archive: str, user: str, language: str, kind: str | None = None) -> Stored:
    """Store documents, cases, codebook, codings and memos; the caller holds the transaction.

    ``user`` is who imports (the audit log's actor); ``language`` the project's, for
    sentence splitting; ``kind``, when given, every document's kind (else each source's
    ``kind`` variable, else the importer's rule)."""
    doc_ids, merged = _store_documents(conn, parsed, archive, user=user, language=language,
                                       kind=kind)
    if codebook is not None:
        codebook_store.set_codebook(conn, codebook, user)
    coding_ids = _store_codings(conn, parsed, doc_ids)
    targets = {"document": doc_ids, "coding": coding_ids}
    for note in parsed.notes:
        target = targets[note.target_kind][note.target] if note.target_kind in targets \
            else note.target
        coding.write_memo(conn, note.target_kind, target, note.text, note.author)
    return Stored(doc_ids, coding_ids, tuple(merged))


def imported_codebook(parsed: Parsed, archive: str) -> Codebook | None:
    """The codebook of the import, or None when the project has no codes."""
    if not parsed.codes:
        return None
    codes = parsed.codes
    broken = [c.name for c in codes if "\n" in c.name or "\r" in c.name]
    if broken:
        # A workbench code name fits on one line; other programs allow line breaks.
        codes = tuple(replace(c, name=" ".join(c.name.split())) if c.name in broken else c
                      for c in codes)
        parsed.warnings.append(f"{archive}: {len(broken)} code name(s) ran over several lines; "
                               f"joined each into one (e.g. '{' '.join(broken[0].split())}').")
    today = datetime.now(UTC).date()
    return Codebook(
        title=parsed.name, version=1, codes=codes,
        changelog=(ChangelogEntry(1, today, f"Imported from {archive} ({parsed.origin})."),))


def _attribute_types(parsed: Parsed) -> dict[str, str]:
    """One type per attribute key: the file's, else inferred from all its values."""
    values: dict[str, list[str]] = {}
    given: dict[str, str] = {}
    attributes = [a for s in parsed.sources for a in s.attributes]
    attributes += [a for c in parsed.cases for a in c.attributes]
    for attribute in attributes:
        values.setdefault(attribute.key, []).append(attribute.value)
        if attribute.type:
            given.setdefault(attribute.key, attribute.type)
    return {key: given.get(key) or infer_type(found) for key, found in values.items()}


def _scratch_text(source: Source) -> str:
    """The scratch file's content: an empty front matter block, then the source's text.

    The block keeps a text that itself starts with ``---`` from being read as front matter;
    being empty, it adds nothing to the document's id, so a document exported and imported
    again keeps its id. The date comes in as an attribute (``apply_attributes``)."""
    return f"---\n\n---\n{source.text}"


def _kind(source: Source) -> str | None:
    # Workbench writes each document's kind as a variable 'kind'; any program's will do.
    kind = next((a.value for a in source.attributes if a.key == "kind"), None)
    return kind if kind in KINDS else None


def _store_documents(conn: sqlite3.Connection, parsed: Parsed, archive: str, *, user: str,
                     language: str, kind: str | None
                     ) -> tuple[dict[str, str], list[tuple[str, str]]]:
    scratch_names = {s.guid: f"qdpx-source-{n:05d}.txt" for n, s in enumerate(parsed.sources)}
    by_kind: dict[str | None, list[Path]] = defaultdict(list)
    with tempfile.TemporaryDirectory(prefix="workbench-qdpx-") as folder:
        for source in parsed.sources:
            path = Path(folder) / scratch_names[source.guid]
            path.write_text(_scratch_text(source), encoding="utf-8", newline="")
            by_kind[kind or _kind(source)].append(path)
        for each_kind, paths in by_kind.items():
            corpus.import_files(conn, paths, kind=each_kind, actor=user, language=language,
                                progress=False)
    doc_ids, merged, first_of = {}, [], {}
    for source in parsed.sources:
        digest = hashlib.sha256(source.text.encode()).hexdigest()
        # The stored text must be the text the positions were mapped onto: same digest.
        doc_id = document_by_digest(conn, digest, prefer=scratch_names[source.guid])
        if doc_id is None:
            raise InteropError(39, f"{archive}: source '{source.name}' could not be stored with "
                               "its text unchanged, so its codings could not be placed. Nothing "
                               "was imported. Please report this with the file.")
        doc_ids[source.guid] = doc_id
        if doc_id in first_of:
            merged.append((source.name, first_of[doc_id]))
        first_of.setdefault(doc_id, source.name)
    rows = _attribute_rows(parsed, scratch_names, _attribute_types(parsed))
    apply_attributes(conn, rows, user)
    for source in parsed.sources:
        _name_document(conn, doc_ids[source.guid], scratch_names[source.guid], source,
                       f"{archive}:{source.entry}", user)
    return doc_ids, merged


def _attribute_rows(parsed: Parsed, scratch_names: dict[str, str], types: dict[str, str]
                    ) -> list[AttributeRow]:
    """Sidecar rows joining each source's case and attributes to its scratch file name."""
    rows = []
    case_of = {guid: case for case in parsed.cases for guid in case.sources}
    for line, source in enumerate(parsed.sources, start=1):
        values = {a.key: a.value for a in source.attributes if a.key not in ("date", "kind")
                  or (a.key == "kind" and a.value not in KINDS)}
        file = scratch_names[source.guid]
        if values:
            rows.append(AttributeRow(line, file, None, values, types))
        case = case_of.get(source.guid)
        if case is not None:
            rows.append(AttributeRow(line, file, case.case_id,
                                     {a.key: a.value for a in case.attributes}, types))
    return rows


def _name_document(conn, doc_id: str, scratch: str, source: Source, path: str,
                   actor: str) -> None:
    """Give a document imported from a scratch file its name and origin in the .qdpx (one
    that was in the project already keeps its own; a source without a name is named by its
    id)."""
    if corpus.document(conn, doc_id).name == scratch:
        name = source.name if source.name.strip() else f"source {source.guid}"
        rename_document(conn, doc_id, name, actor, source_path=path)


def _store_codings(conn, parsed: Parsed, doc_ids: dict[str, str]) -> dict[str, str]:
    if not parsed.passages:
        return {}
    stamp = now()
    rows = pd.DataFrame({
        "doc_id": [doc_ids[p.source] for p in parsed.passages],
        "start": [p.start for p in parsed.passages],
        "end": [p.end for p in parsed.passages],
        "code": [p.code for p in parsed.passages],
        "coder": [p.coder for p in parsed.passages],
        "created_at": [p.created_at or stamp for p in parsed.passages],
    })
    ids = coding.code_many(conn, rows, None, "imported")
    return {p.guid: coding_id for p, coding_id in zip(parsed.passages, ids, strict=True)}
