"""Read the parts of a REFI-QDA project around its sources: users, variables, cases, sets,
notes and what workbench leaves out (graphs, links other than memo links).

Decisions, each said in the import report:

* A **Case** becomes a workbench case named after it, with its variables as case attributes
  and its sources as the case's documents (a document belongs to one case: the first case
  that names it). A case's codes and selections are not kept; a case without any imported
  source is left out (a workbench case is a group of documents), its notes kept as project
  memos.
* A **Set** of sources becomes a document attribute ``set: <name>`` = ``yes`` on each member
  (workbench has no sets; export writes such attributes back as Sets). Sets of codes or notes
  are listed in the report only.
* A **Note** becomes a memo on what its NoteRef points at: the project, a document, a code or
  a coding. A note on a selection goes to the selection's first coding; a note on a case comes
  from a Link from the note to the case (cases have no NoteRef); a note on anything else
  becomes a project memo that says what it was about. Descriptions of the project, sources,
  selections and cases are memos too.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from lxml import etree

from workbench.corpus.normalise import normalise
from workbench.errors import InteropError
from workbench.refi_qda._qde_records import VARIABLE_TYPES, Attribute, Case, Note, guid_key

if TYPE_CHECKING:
    from workbench.refi_qda._qde_read import _SourceReader

#: Coder names with a meaning in workbench: the consensus layer ``reconcile`` builds, the
#: rule-based suggester as a pseudo-coder in agreement, and ``coder="*"`` (every coder).
RESERVED_CODERS = ("consensus", "suggestions", "*")
_VALUES = ("TextValue", "BooleanValue", "IntegerValue", "FloatValue", "DateValue",
           "DateTimeValue")


class PartsReader:
    """Reads users, variables, cases, sets and notes, sharing the source reader's state."""

    def __init__(self, reader: _SourceReader) -> None:
        self.reader = reader
        self.parsed = reader.parsed
        self.variables = {
            guid_key(v.get("guid")): (v.get("name") or v.get("guid"), v.get("typeOfVariable"))
            for v in reader.children(reader.root, "Variables", "Variable")}
        #: Case GUID -> case id, of the cases stored; and of every case read.
        self.case_ids: dict[str, str] = {}
        self.case_names: dict[str, str] = {}

    def read_users(self) -> dict[str, str]:
        """User GUID -> coder name (the user's name, else id, else 'user <GUID>').

        Codings and notes name their user by GUID only, so two users sharing one GUID are
        refused: whose work is whose cannot be told. Two users with one name are kept
        apart (the second becomes 'name (2)'), and a name workbench reserves ('consensus',
        the layer ``reconcile`` builds; 'suggestions', the suggester; '*', every coder)
        becomes 'name (imported)', each with a warning.
        """
        names: dict[str, str] = {}
        lines: dict[str, int] = {}
        coders: dict[str, str] = {}
        for user in self.reader.children(self.reader.root, "Users", "User"):
            key = guid_key(user.get("guid"))
            name = user.get("name") or user.get("id") or f"user {user.get('guid')}"
            if key in names:
                raise InteropError(
                    46, f"{self.reader.line(user)}: users '{names[key]}' (line {lines[key]}) "
                    f"and '{name}' share the GUID {user.get('guid')}. Codings name their coder "
                    "by GUID only, so whose codings are whose cannot be told. Nothing was "
                    "imported. Give each user their own GUID (or merge them) in the program "
                    "that made the file, and export it again.")
            names[key], lines[key] = name, user.sourceline
            coders[key] = self._free_name(name, set(coders.values()))
        return coders

    def _free_name(self, name: str, taken: set[str]) -> str:
        """``name``, or a variant that is neither reserved nor taken (with a warning)."""
        free = f"{name} (imported)" if name.strip() in RESERVED_CODERS else name
        number = 2
        while free in taken:
            free, number = f"{name} ({number})", number + 1
        if free != name:
            why = ("is reserved in workbench" if name.strip() in RESERVED_CODERS
                   else "is the name of another user with another GUID")
            self.parsed.warnings.append(
                f"{self.reader.where}: user '{name}' {why}; their codings and notes are "
                f"under '{free}'.")
        return free

    def variable_values(self, element: etree._Element) -> tuple[Attribute, ...]:
        """The VariableValues of a case or source as attributes."""
        found = []
        for value in self.reader.children(element, "VariableValue"):
            reference = self.reader.children(value, "VariableRef")
            if not reference:
                continue
            name, kind = self.variables[guid_key(reference[0].get("targetGUID"))]
            given = [c for c in value.iterchildren(etree.Element)
                     if etree.QName(c).localname in _VALUES]
            if given and (given[0].text or "").strip():
                found.append(Attribute(name, given[0].text.strip(), VARIABLE_TYPES.get(kind)))
        return tuple(found)

    def read_cases(self) -> None:
        owner: dict[str, str] = {}
        stored = self.reader.stored_sources
        for element in self.reader.children(self.reader.root, "Cases", "Case"):
            case_id = self._unique_case_id(element)
            sources = []
            for reference in self.reader.children(element, "SourceRef"):
                key = guid_key(reference.get("targetGUID"))
                if key not in stored:
                    self.reader.skip(f"case '{case_id}': source {reference.get('targetGUID')}",
                                     "that source was not imported (see above)")
                elif key in owner:
                    self.reader.skip(
                        f"case '{case_id}': document '{stored[key].name}'",
                        f"it already belongs to case '{owner[key]}'; a workbench document "
                        "belongs to one case")
                else:
                    owner[key] = case_id
                    sources.append(key)
            for local, what in (("CodeRef", "code(s)"), ("SelectionRef", "selection(s)")):
                refs = self.reader.children(element, local)
                if refs:
                    self.reader.skip(f"case '{case_id}': {len(refs)} {what}",
                                     "workbench cases group documents only")
            if not sources:
                del self.case_ids[guid_key(element.get("guid"))]
                self.reader.skip(f"case '{case_id}'", "none of its sources was imported, and a "
                                 "workbench case is a group of documents")
                self._description(element, "project", None, f"On case '{case_id}': ")
                continue
            self.parsed.cases.append(Case(case_id, self.variable_values(element), tuple(sources)))
            self._description(element, "case", case_id)

    def _unique_case_id(self, element: etree._Element) -> str:
        base = (element.get("name") or "").strip() or f"case {element.get('guid')}"
        case_id, number = base, 2
        while case_id in self.case_ids.values() or case_id in self.case_names.values():
            case_id, number = f"{base} ({number})", number + 1
        if case_id != base:
            self.parsed.warnings.append(f"two cases are called '{base}'; the second is "
                                        f"'{case_id}'.")
        self.case_ids[guid_key(element.get("guid"))] = case_id
        self.case_names[guid_key(element.get("guid"))] = case_id
        return case_id

    def read_sets(self) -> None:
        stored = self.reader.stored_sources
        for element in self.reader.children(self.reader.root, "Sets", "Set"):
            name = element.get("name")
            members = [guid_key(m.get("targetGUID"))
                       for m in self.reader.children(element, "MemberSource")]
            members = [m for m in members if m in stored]
            others = (len(self.reader.children(element, "MemberCode"))
                      + len(self.reader.children(element, "MemberNote")))
            key = f"set: {name}"
            self.parsed.sources = [
                dataclasses.replace(s, attributes=(*s.attributes, Attribute(key, "yes", "text")))
                if s.guid in members else s for s in self.parsed.sources]
            kept = f"document attribute '{key}' = yes on {len(members)} document(s)"
            left = f"; {others} code or note member(s) left out" if others else ""
            self.parsed.sets.append((name, kept + left))

    def read_notes(self, reader: _SourceReader) -> None:
        notes = {guid_key(n.get("guid")): n for n in reader.children(reader.root, "Notes", "Note")}
        attached: set[str] = set()
        for reference in reader.root.iter(reader.tag("NoteRef")):
            key = guid_key(reference.get("targetGUID"))
            attached.add(key)
            self._attach(notes[key], reference.getparent())
        for link in reader.children(reader.root, "Links", "Link"):
            origin, target = guid_key(link.get("originGUID")), guid_key(link.get("targetGUID"))
            if origin in notes and target in self.case_ids:
                attached.add(origin)
                self._add(notes[origin], "case", self.case_ids[target])
            elif origin in notes and target in self.case_names:
                attached.add(origin)
                self._add(notes[origin], "project", None,
                          f"On case '{self.case_names[target]}': ")
            else:
                reader.skip(f"link '{link.get('name') or link.get('guid')}'",
                            "workbench has no links between items")
        for key, note in notes.items():
            if key not in attached:
                self._add(note, "project", None)
        self._description(reader.root, "project", None)
        for source in reader.root.iter(reader.tag("TextSource"), reader.tag("PDFSource")):
            if guid_key(source.get("guid")) in reader.stored_sources:
                self._description(source, "document", guid_key(source.get("guid")))
        for selection in reader.root.iter(reader.tag("PlainTextSelection")):
            self._description(selection, *self._target(selection))

    def read_leftovers(self) -> None:
        graphs = self.reader.children(self.reader.root, "Graphs", "Graph")
        if graphs:
            self.reader.skip(f"{len(graphs)} graph(s)", "workbench has no graphs")

    def _attach(self, note: etree._Element, holder: etree._Element) -> None:
        self._add(note, *self._target(holder))

    def _target(self, holder: etree._Element) -> tuple[str, str | None, str]:
        """(target kind, target, prefix) of a memo on ``holder``."""
        local = etree.QName(holder).localname
        key = guid_key(holder.get("guid"))
        if local == "Representation":
            holder = holder.getparent()
            local, key = etree.QName(holder).localname, guid_key(holder.get("guid"))
        stored = {p.guid for p in self.parsed.passages}
        if local == "Project":
            return "project", None, ""
        if local in ("TextSource", "PDFSource") and key in self.reader.stored_sources:
            return "document", key, ""
        if local == "Code":
            return "code", self.parsed.code_ids[key], ""
        if local == "Coding" and key in stored:
            return "coding", key, ""
        if local == "PlainTextSelection" and self.reader.codings_of.get(key):
            return "coding", self.reader.codings_of[key][0], ""
        name = holder.get("name") or holder.get("guid")
        return "project", None, f"On {local} '{name}': "

    def _add(self, note: etree._Element, kind: str, target: str | None, prefix: str = ""
             ) -> None:
        content = self.reader.children(note, "PlainTextContent")
        if content or note.get("plainTextPath") is None:
            text = content[0].text if content else ""
        else:
            text = normalise(self.reader.source_text(note, note.get("name") or note.get("guid"))[0])
        self._store(text or "", note.get("name") or note.get("guid"), kind, target, prefix,
                    note.get("creatingUser"))

    def _description(self, element: etree._Element, kind: str, target: str | None,
                     prefix: str = "") -> None:
        found = self.reader.children(element, "Description")
        if found and (found[0].text or "").strip():
            self._store(found[0].text, f"description of {etree.QName(element).localname}",
                        kind, target, prefix, element.get("creatingUser"))

    def _store(self, text: str, label: str, kind: str, target: str | None, prefix: str,
               user: str | None) -> None:
        if not text.strip():
            self.reader.skip(f"note '{label}'", "it has no text")
            return
        author = self.reader.coder(user)
        self.parsed.notes.append(Note(kind, target, author, prefix + text))
