"""Write a workbench project as a ``.qdpx`` file (see :mod:`workbench.refi_qda.qdpx`).

GUIDs are derived from workbench ids (a UUID-5 of kind and id), so exporting the same
project twice gives the same GUIDs, and a code has the GUID it has in ``.qdc`` files.
"""

from __future__ import annotations

import os
import re
import sqlite3
import tempfile
import uuid
import zipfile
from collections import defaultdict
from datetime import datetime
from pathlib import Path

from lxml import etree

from workbench import __version__, coding, corpus
from workbench.codebook import Codebook
from workbench.codebook import store as codebook_store
from workbench.corpus.views import attribute_values
from workbench.errors import InteropError
from workbench.refi_qda._qde_records import NAMESPACE
from workbench.refi_qda.qdc_write import GUID_NAMESPACE, NOT_XML, code_guid, write_codes
from workbench.store.audit import now

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?")
_DECIMAL = re.compile(r"[-+]?\d+(\.\d+)?")
_INTEGER = re.compile(r"[-+]?\d+")
SET_PREFIX = "set: "


def guid(kind: str, key: str) -> str:
    """The GUID of a workbench item in exported files, stable across exports."""
    return str(uuid.uuid5(GUID_NAMESPACE, f"{kind}:{key}")).upper()


def write_qdpx(conn: sqlite3.Connection, path: Path, *, name: str, user: str) -> None:
    """Build the project file and the sources, and write them as one zip archive.

    ``name`` is the project's name in the file, ``user`` who exports (its creating user)."""
    writer = _Writer(conn, name, user)
    qde = writer.build()
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(suffix=".qdpx.tmp", dir=path.parent)
    os.close(handle)
    try:
        with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("project.qde", qde)
            for doc_id, source_guid in writer.sources.items():
                text = corpus.document(conn, doc_id).text
                archive.writestr(f"sources/{source_guid}.txt", text.encode("utf-8"))
        os.replace(temporary, path)
    finally:
        Path(temporary).unlink(missing_ok=True)


def _xml_text(value: str, where: str) -> str:
    found = NOT_XML.search(value)
    if found:
        raise InteropError(
            35, f"{where}: holds the control character U+{ord(found.group()):04X}, which a "
            ".qdpx (XML) file cannot hold. Remove it, then export again.")
    return value


def _stamp(value: str | None) -> dict[str, str]:
    return {"creationDateTime": value} if value and _DATETIME.fullmatch(value) else {}


class _Writer:
    """Builds the ``<Project>`` element from a project's store."""

    def __init__(self, conn: sqlite3.Connection, name: str, user: str) -> None:
        self.conn = conn
        self.name = name
        self.creator = user
        self.users: dict[str, str] = {}
        self.sources: dict[str, str] = {}  # doc_id -> source GUID
        self.memos = coding.memos_frame(conn)
        self.codings = coding.codings_frame(conn, coder="all")
        self.notes: dict[tuple[str, str | None], list[str]] = defaultdict(list)
        self.memos["target_id"] = self.memos["target_id"].astype(object).where(
            self.memos["target_id"].notna(), None)
        for memo in self.memos.itertuples():
            self.notes[(memo.target_kind, memo.target_id)].append(guid("memo", memo.memo_id))

    def tag(self, local: str) -> str:
        return f"{{{NAMESPACE}}}{local}"

    def add(self, parent, local: str, attributes: dict | None = None, text: str | None = None):
        element = etree.SubElement(parent, self.tag(local), attributes or {})
        if text is not None:
            element.text = text
        return element

    def user(self, name: str) -> str:
        key = guid("user", name)
        self.users.setdefault(name, key)
        return key

    def note_refs(self, parent, kind: str, target: str | None) -> None:
        for note in self.notes.get((kind, target), []):
            self.add(parent, "NoteRef", {"targetGUID": note})

    def build(self) -> bytes:
        root = etree.Element(self.tag("Project"), nsmap={None: NAMESPACE}, attrib={
            "name": _xml_text(self.name, "the project folder's name"),
            "origin": f"workbench {__version__}",
            "creatingUserGUID": self.user(self.creator), "creationDateTime": now()})
        users = self.add(root, "Users")
        codes = self._codebook()
        documents = _documents(self.conn)
        self.sources = {row["doc_id"]: guid("document", row["doc_id"]) for row in documents}
        attributes = self._attributes(documents)
        variables = self._variables(attributes)
        if codes is not None:
            root.append(codes)
        if variables:
            holder = self.add(root, "Variables")
            for (_, key), (variable, kind) in variables.items():
                self.add(holder, "Variable", {"guid": variable, "name": _xml_text(
                    key, f"attribute '{key}'"), "typeOfVariable": kind})
        self._cases(root, documents, attributes, variables)
        self._sources(root, documents, attributes, variables)
        self._notes(root)
        self._sets(root, attributes)
        self.note_refs(root, "project", None)
        for name, key in self.users.items():
            self.add(users, "User", {"guid": key, "name": _xml_text(name, f"user '{name}'")})
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)

    def _codebook(self):
        stored = codebook_store.stored_codes(self.conn, include_retired=True)
        if not stored:
            return None
        status = codebook_store.status_of(self.conn)
        for code in stored:
            for field in ("name", "definition"):
                _xml_text(getattr(code, field), f"code '{code.id}' field '{field}'")

        def decorate(code, element) -> None:
            if status[code.id] != "active":
                element.set("isCodable", "false")
            self.note_refs(element, "code", code.id)

        codebook = etree.Element(self.tag("CodeBook"))
        write_codes(etree.SubElement(codebook, self.tag("Codes")),
                    Codebook("export", 1, codes=tuple(stored)), namespace=NAMESPACE,
                    decorate=decorate)
        return codebook

    def _attributes(self, documents) -> dict[tuple[str, str], dict[str, tuple[str, str]]]:
        """(entity, id) -> key -> (value, type); a document's kind and date are 'kind' and
        'date' (import reads them back)."""
        found: dict[tuple[str, str], dict[str, tuple[str, str]]] = defaultdict(dict)
        for row in attribute_values(self.conn).itertuples():
            found[(row.entity, row.entity_id)][row.key] = (row.value, row.type)
        for row in documents:
            own = found[("document", row["doc_id"])]
            own.setdefault("kind", (row["kind"], "text"))
            if row["date"]:
                own.setdefault("date", (row["date"], "date"))
        return found

    def _variables(self, attributes) -> dict[tuple[str, str], tuple[str, str]]:
        """(entity, key) -> (Variable GUID, typeOfVariable) for every attribute key."""
        values: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
        for (entity, _), pairs in attributes.items():
            for key, pair in pairs.items():
                if not key.startswith(SET_PREFIX) or entity != "document":
                    values[(entity, key)].append(pair)
        return {(entity, key): (guid(f"variable:{entity}", key), _variable_type(pairs))
                for (entity, key), pairs in sorted(values.items())}

    def _values(self, parent, entity: str, entity_id: str, attributes, variables) -> None:
        for key, (value, _) in attributes.get((entity, entity_id), {}).items():
            if (entity, key) not in variables:
                continue
            variable, kind = variables[(entity, key)]
            holder = self.add(parent, "VariableValue")
            self.add(holder, "VariableRef", {"targetGUID": variable})
            local = {"Integer": "IntegerValue", "Float": "FloatValue", "Date": "DateValue",
                     "DateTime": "DateTimeValue"}.get(kind, "TextValue")
            self.add(holder, local, text=_xml_text(value, f"{entity} '{entity_id}' attribute "
                                                   f"'{key}'"))

    def _cases(self, root, documents, attributes, variables) -> None:
        cases = list(corpus.cases(self.conn)["case_id"])
        if not cases:
            return
        holder = self.add(root, "Cases")
        for case_id in cases:
            case = self.add(holder, "Case", {"guid": guid("case", case_id),
                                             "name": _xml_text(case_id, f"case '{case_id}'")})
            self._values(case, "case", case_id, attributes, variables)
            for row in documents:
                if row["case_id"] == case_id:
                    self.add(case, "SourceRef", {"targetGUID": self.sources[row["doc_id"]]})

    def _sources(self, root, documents, attributes, variables) -> None:
        if not documents:
            return
        by_document = dict(tuple(self.codings.groupby("doc_id")))
        holder = self.add(root, "Sources")
        for row in documents:
            doc_id, key = row["doc_id"], self.sources[row["doc_id"]]
            source = self.add(holder, "TextSource", {
                "guid": key, "name": _xml_text(row["name"], f"document '{row['name']}'"),
                "plainTextPath": f"internal://{key}.txt",
                "creatingUser": self.user(row["imported_by"]), **_stamp(row["imported_at"])})
            mine = by_document.get(doc_id, self.codings.iloc[:0])
            for (start, end), spans in mine.groupby(["start", "end"], sort=True):
                self._selection(source, doc_id, int(start), int(end), spans)
            self.note_refs(source, "document", doc_id)
            self._values(source, "document", doc_id, attributes, variables)

    def _selection(self, source, doc_id: str, start: int, end: int, spans) -> None:
        first = spans.iloc[0]
        quote = NOT_XML.sub("", first["text"])
        selection = self.add(source, "PlainTextSelection", {
            "guid": guid("selection", f"{doc_id}:{start}:{end}"),
            "name": quote if len(quote) <= 60 else quote[:59] + "…",
            "startPosition": str(start), "endPosition": str(end),
            "creatingUser": self.user(first["coder"]), **_stamp(first["created_at"])})
        for span in spans.itertuples():
            coding = self.add(selection, "Coding", {
                "guid": guid("coding", span.coding_id), "creatingUser": self.user(span.coder),
                **_stamp(span.created_at)})
            self.add(coding, "CodeRef", {"targetGUID": code_guid(span.code_id)})
            self.note_refs(coding, "coding", span.coding_id)

    def _notes(self, root) -> None:
        exported = self._exported_targets()
        memos = [m for m in self.memos.itertuples()
                 if m.target_kind == "project" or m.target_id in exported[m.target_kind]]
        if not memos:
            return
        holder = self.add(root, "Notes")
        links = []
        for memo in memos:
            where = f"memo {memo.memo_id}"
            note = self.add(holder, "Note", {
                "guid": guid("memo", memo.memo_id),
                "name": _xml_text(f"Memo on {memo.target_kind} {memo.target_id or ''}".strip(),
                                  where),
                "creatingUser": self.user(memo.author), **_stamp(memo.created_at),
                **({"modifiedDateTime": memo.updated_at}
                   if _DATETIME.fullmatch(memo.updated_at or "") else {})})
            self.add(note, "PlainTextContent", text=_xml_text(memo.text, where))
            if memo.target_kind == "case":
                links.append((memo.memo_id, memo.target_id))
        self._links(root, links)

    def _exported_targets(self) -> dict[str, set[str]]:
        """The ids a memo's NoteRef can point at: memos on anything else are left out."""
        codings = set(self.codings["coding_id"])
        codes = {c.id for c in codebook_store.stored_codes(self.conn)}
        cases = set(corpus.cases(self.conn)["case_id"])
        return {"document": set(self.sources), "coding": codings, "code": codes,
                "case": cases, "project": set()}

    def _links(self, root, links: list[tuple[str, str]]) -> None:
        # A Case has no NoteRef in Project.xsd, so a case memo is a Link from note to case.
        if not links:
            return
        holder = self.add(root, "Links")
        for memo_id, case_id in links:
            self.add(holder, "Link", {"guid": guid("link", memo_id), "name": "memo",
                                      "direction": "OneWay",
                                      "originGUID": guid("memo", memo_id),
                                      "targetGUID": guid("case", case_id)})

    def _sets(self, root, attributes) -> None:
        members: dict[str, list[str]] = defaultdict(list)
        for (entity, entity_id), pairs in attributes.items():
            for key, (value, _) in pairs.items():
                if entity == "document" and key.startswith(SET_PREFIX) and value == "yes" \
                        and entity_id in self.sources:
                    members[key.removeprefix(SET_PREFIX)].append(self.sources[entity_id])
        if not members:
            return
        holder = self.add(root, "Sets")
        for name, sources in sorted(members.items()):
            element = self.add(holder, "Set", {"guid": guid("set", name),
                                               "name": _xml_text(name, f"set '{name}'")})
            for source in sources:
                self.add(element, "MemberSource", {"targetGUID": source})


def _documents(conn: sqlite3.Connection) -> list[dict]:
    """The active documents, by name then id: doc_id, name, kind, case_id, date (None when
    unknown), imported_by, imported_at."""
    frame = corpus.documents(conn).sort_values(["name", "doc_id"], kind="stable")
    columns = ["doc_id", "name", "kind", "case_id", "date", "imported_by", "imported_at"]
    frame = frame[columns].astype(object)
    return frame.where(frame.notna(), None).to_dict("records")


def _variable_type(pairs: list[tuple[str, str]]) -> str:
    """The REFI-QDA variable type that holds every value of an attribute exactly."""
    values = [value for value, _ in pairs]
    kinds = {kind for _, kind in pairs}
    if kinds == {"number"} and all(_INTEGER.fullmatch(v) for v in values):
        return "Integer"
    if kinds == {"number"} and all(_DECIMAL.fullmatch(v) for v in values):
        return "Float"
    if kinds == {"date"} and all(_DATE.fullmatch(v) and _is_date(v) for v in values):
        return "Date"
    if kinds == {"date"} and all(_DATETIME.fullmatch(v) and _is_date(v) for v in values):
        return "DateTime"
    return "Text"


def _is_date(value: str) -> bool:
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True
