"""Read and check a REFI-QDA project file (``.qde`` inside a ``.qdpx``) before storing any of it.

The XML is read by :func:`workbench.safe_input.xml_data.parse_lxml`: refused before it is read
when too large, streamed through a gate (no DTD, so no external entities and no entity
expansion; bounded depth, element count and text length), then parsed once with lxml, whose
elements know their line for messages.
Every reference is checked (codings to codes, cases and sets to sources, notes, variables),
every text selection must lie inside its source, and each source's positions are mapped onto
workbench's canonical text (see :mod:`workbench.refi_qda._positions`).
"""

from __future__ import annotations

from lxml import etree

from workbench.corpus.normalise import decode
from workbench.errors import ImportError_, InteropError
from workbench.refi_qda._archive import Archive
from workbench.refi_qda._positions import SourceText, cut_share, unit_for
from workbench.refi_qda._qde_parts import PartsReader
from workbench.refi_qda._qde_records import NAMESPACE, Parsed, Passage, Source, guid_key
from workbench.refi_qda.qdc_read import read_codes
from workbench.safe_input import check_size, parse_lxml

_MEDIA = ("PictureSource", "AudioSource", "VideoSource")
_REFERENCES = {"CodeRef": ("code", 29), "SourceRef": ("source", 30),
               "MemberSource": ("source", 30), "MemberCode": ("code", 29),
               "SelectionRef": ("selection", 30), "NoteRef": ("note", 30),
               "MemberNote": ("note", 30), "VariableRef": ("variable", 30)}
_KINDS = {"code": ("Code",),
          "source": ("TextSource", "PDFSource", *_MEDIA),
          "selection": ("PlainTextSelection", "PictureSelection", "PDFSelection",
                        "AudioSelection", "VideoSelection", "TranscriptSelection"),
          "note": ("Note",), "variable": ("Variable",), "coding": ("Coding",)}
_AGAIN = "Nothing was imported. Export the project again from the program that made it."


def project_entry(archive: Archive) -> str:
    """The archive's project file: ``project.qde``, or the one ``<name>.qde`` (ATLAS.ti)."""
    found = [name for name in archive.names()
             if "/" not in name.strip("/") and name.lower().endswith(".qde")]
    named = [name for name in found if name.lower() == "project.qde"]
    if named or len(found) == 1:
        return (named or found)[0]
    what = "no .qde project file" if not found else f"{len(found)} .qde files ({', '.join(found)})"
    raise InteropError(
        25, f"{archive.name}: holds {what} at its top level, where a REFI-QDA project (.qdpx) "
        "has exactly one. Is this a .qdpx project export? A codebook alone is a .qdc file.")


def read_project(archive: Archive, *, user: str, position_unit: str | None = None) -> Parsed:
    """Read the archive's project file into checked records; store nothing.

    ``user`` is who imports: the coder and author of whatever the file names nobody for.
    """
    entry = project_entry(archive)
    where = f"{archive.name}: {entry}"
    check_size(archive.size(entry), where)
    root = parse_lxml(archive.read(entry), source_name=where)
    namespace = etree.QName(root).namespace or ""
    if etree.QName(root).localname != "Project":
        raise InteropError(
            26, f"{where} line {root.sourceline}: the root element is "
            f"<{etree.QName(root).localname}>, where a REFI-QDA project has <Project>. "
            f"{_AGAIN}")
    origin = root.get("origin") or "an unnamed program"
    parsed = Parsed(name=root.get("name") or archive.path.stem, origin=origin,
                    unit=position_unit or unit_for(root.get("origin")))
    reader = _SourceReader(archive, entry, namespace, root, parsed, user)
    if namespace != NAMESPACE:
        parsed.warnings.append(f"{where}: the namespace is '{namespace}', not '{NAMESPACE}'; "
                               "read as version 1.0.")
    reader.check_references()
    reader.read_codebook()
    parts = PartsReader(reader)
    parsed.coders = parts.read_users()
    for element in reader.children(root, "Sources", "*"):
        reader.read_source(element, parts)
    parts.read_cases()
    parts.read_sets()
    parts.read_notes(reader)
    parts.read_leftovers()
    return parsed


class _SourceReader:
    """Reads the codebook and the sources with their selections and codings."""

    def __init__(self, archive: Archive, entry: str, namespace: str, root: etree._Element,
                 parsed: Parsed, user: str) -> None:
        self.archive = archive
        self.where = f"{archive.name}: {entry}"
        self.ns = namespace
        self.root = root
        self.parsed = parsed
        users = {guid_key(u.get("guid")) for u in self.children(root, "Users", "User")}
        creator = guid_key(root.get("creatingUserGUID"))
        #: Who a coding or note without a creatingUser is by: the project's creator, else
        #: the user who imports.
        self.creator = creator if creator in users else None
        self.user = user
        #: The GUIDs of the codings stored for each selection GUID, for notes on selections.
        self.codings_of: dict[str, list[str]] = {}
        self.stored_sources: dict[str, Source] = {}

    def tag(self, local: str) -> str:
        return f"{{{self.ns}}}{local}"

    def children(self, element, *path: str) -> list[etree._Element]:
        """Child elements along ``path`` of local names (``*``: any element)."""
        found = [element]
        for step in path:
            tag = self.tag(step) if step != "*" else etree.Element
            found = [c for e in found for c in e.iterchildren(tag)]
        return found

    def line(self, element: etree._Element) -> str:
        return f"{self.where} line {element.sourceline}"

    def check_references(self) -> None:
        """Refuse a GUID given to two codes, sources, selections, codings, notes or variables
        (references to it, and the import report, would be ambiguous) and any reference to an
        unknown GUID."""
        known: dict[str, set[str]] = {kind: set() for kind in _KINDS}
        for kind, locals_ in _KINDS.items():
            for local in locals_:
                for element in self.root.iter(self.tag(local)):
                    key = guid_key(element.get("guid"))
                    if key in known[kind] and (key or kind in ("code", "source")):
                        raise InteropError(
                            31, f"{self.line(element)}: the {kind} GUID {element.get('guid')} "
                            f"is used twice, so references to it are ambiguous. {_AGAIN}")
                    known[kind].add(key)
        for local, (kind, number) in _REFERENCES.items():
            for element in self.root.iter(self.tag(local)):
                target = element.get("targetGUID")
                if guid_key(target) not in known[kind]:
                    holder = etree.QName(element.getparent()).localname
                    raise InteropError(
                        number, f"{self.line(element)}: a <{local}> in a <{holder}> refers to "
                        f"{kind} GUID {target}, but the project has no {kind} with that GUID. "
                        f"The file is damaged or was edited by hand. {_AGAIN}")

    def read_codebook(self) -> None:
        codes = self.children(self.root, "CodeBook", "Codes")
        if not codes:
            return
        placeholder = f"(imported from {self.parsed.origin} without a description)"
        self.parsed.codes, ids, warnings = read_codes(codes[0], self.ns, self.where,
                                                      placeholder=placeholder)
        self.parsed.code_ids = {guid_key(g): code_id for g, code_id in ids.items()}
        self.parsed.warnings += warnings

    def read_source(self, element: etree._Element, parts: PartsReader) -> None:
        kind = etree.QName(element).localname
        name = element.get("name") or ""
        if kind == "TextSource":
            self._read_text_source(element, element, name, parts)
        elif kind == "PDFSource":
            area = self.children(element, "PDFSelection")
            if area:
                self.skip(f"{len(area)} PDF area selection(s) in '{name}'",
                          "workbench codes text, not areas of a page")
            representation = self.children(element, "Representation")
            if representation:
                self._read_text_source(representation[0], element, name, parts)
            else:
                self.skip(f"PDF source '{name}'", "it has no plain-text representation")
        else:
            inside = sum(1 for e in element.iter(self.tag("Coding")))
            label = f"{kind.removesuffix('Source').lower()} source '{name or element.get('guid')}'"
            self.skip(label + (f" with {inside} coding(s)" if inside else ""),
                      "workbench imports text; pictures, audio and video are not stored")

    def skip(self, what: str, why: str) -> None:
        self.parsed.skipped.append((what, why))

    def _read_text_source(self, text_element, element, name: str, parts: PartsReader) -> None:
        guid = element.get("guid")
        raw, entry, encoding = self.source_text(text_element, name or guid)
        if not name:
            name = entry.rsplit("/", 1)[-1] if entry != "inline" else f"source {guid}"
        if text_element.get("richTextPath"):
            self.skip(f"rich-text original of '{name}' ({text_element.get('richTextPath')})",
                      "its plain-text version was taken; selections refer to that text")
        source_text = SourceText(raw, self.parsed.unit)
        if not source_text.text.strip():
            self.skip(f"source '{name}'", "it has no text")
            return
        source = Source(guid_key(guid), name, entry, source_text.text, encoding,
                        parts.variable_values(element))
        self.parsed.sources.append(source)
        self.stored_sources[source.guid] = source
        selections = self.children(text_element, "PlainTextSelection")
        for selection in selections:
            self._read_selection(selection, source, source_text, name)
        self._check_unit(raw, source_text, selections, name)
        # Codings of a whole source (of a PDF, or of its text representation).
        whole = self.children(text_element, "Coding")
        if element is not text_element:
            whole += self.children(element, "Coding")
        for coding in whole:
            self._add_passage(coding, source, 0, len(source.text), None)

    def source_text(self, element, label: str) -> tuple[str, str, str]:
        """(text, archive entry or 'inline', encoding) of a TextSource."""
        path = element.get("plainTextPath")
        if path is None:
            content = self.children(element, "PlainTextContent")
            if not content:
                raise InteropError(
                    27, f"{self.line(element)}: source '{label}' has neither a plainTextPath "
                    f"nor PlainTextContent, so it has no text to import. {_AGAIN}")
            return content[0].text or "", "inline", "utf-8"
        scheme, _, rest = path.partition("://")
        if not rest:
            scheme, rest = "internal", path
        if scheme.lower() != "internal":
            raise InteropError(
                27, f"{self.line(element)}: source '{label}' is kept outside the archive "
                f"({path}); workbench imports only sources inside the .qdpx. Export the "
                "project again with its sources embedded.")
        entry = next((e for e in (f"sources/{rest}", rest) if self.archive.find(e)), None)
        if entry is None:
            raise InteropError(
                27, f"{self.line(element)}: source '{label}' names the file '{path}', which "
                f"is not in {self.archive.name} (looked in sources/). {_AGAIN}")
        entry = self.archive.find(entry)
        try:
            decoded = decode(self.archive.read(entry), entry)
        except ImportError_ as err:
            raise InteropError(36, f"{self.archive.name}: {err.message}") from err
        return decoded.text, entry, decoded.encoding

    def _read_selection(self, selection, source: Source, text: SourceText, name: str) -> None:
        start, end = (self._position(selection, a) for a in ("startPosition", "endPosition"))
        where = (f"{self.line(selection)}: selection {selection.get('guid')} in source "
                 f"'{name}' ({start}-{end})")
        unit = "UTF-16 units" if text.unit == "utf16" else "characters"
        if start > end:
            raise InteropError(28, f"{where} is reversed: it starts after it ends. {_AGAIN}")
        if start < 0 or end > text.length:
            raise InteropError(
                28, f"{where} lies outside the source, which has {text.length:,} {unit} as "
                f"{self.parsed.origin} counts them. The file is damaged, or its positions "
                f"count another unit (try position_unit='codepoint' or 'utf16'). {_AGAIN}")
        for position in (start, end):
            if text.splits_character(position):
                raise InteropError(
                    28, f"{where}: position {position} falls inside a character (between the "
                    "two UTF-16 halves of an emoji or rare character). Its positions may "
                    "count code points: try position_unit='codepoint'.")
        codings = self.children(selection, "Coding")
        first, last = text.to_canonical(start), text.to_canonical(end)
        if first == last:
            self.skip(f"selection {selection.get('guid')} in '{name}'",
                      "it selects no text (only a line break, or nothing)")
            return
        if not codings:
            self.skip(f"selection {selection.get('guid')} in '{name}'",
                      "it has no code; workbench keeps coded passages only")
        stored = [self._add_passage(c, source, first, last, selection) for c in codings]
        self.codings_of[guid_key(selection.get("guid"))] = stored

    def _check_unit(self, raw: str, text: SourceText, selections: list, name: str) -> None:
        """Warn when the other unit would put far more quotes on word boundaries."""
        if not (selections and text.has_astral):
            return
        spans = [(self._position(s, "startPosition"), self._position(s, "endPosition"))
                 for s in selections]
        other = SourceText(raw, "codepoint" if text.unit == "utf16" else "utf16")
        own, theirs = cut_share(text, spans), cut_share(other, spans)
        if own > 0.2 and theirs < own / 2:
            self.parsed.warnings.append(
                f"{self.where}: source '{name}': {own:.0%} of its quotes start or end inside "
                f"a word with positions read as {text.unit}, {theirs:.0%} read as "
                f"{other.unit}. Check the quotes, and import again with "
                f"position_unit='{other.unit}' if they are cut.")

    def _position(self, selection, attribute: str) -> int:
        value = selection.get(attribute)
        try:
            return int(value)
        except (TypeError, ValueError):
            raise InteropError(
                34, f"{self.line(selection)}: selection {selection.get('guid')} has "
                f"{attribute}={value!r}, not a whole number. {_AGAIN}") from None

    def _add_passage(self, coding, source: Source, start: int, end: int, selection) -> str:
        code_ref = self.children(coding, "CodeRef")
        if not code_ref:
            raise InteropError(
                29, f"{self.line(coding)}: coding {coding.get('guid')} names no code (it has "
                f"no <CodeRef>). {_AGAIN}")
        coder = self.coder(coding.get("creatingUser")
                           or (selection.get("creatingUser") if selection is not None else None))
        passage = Passage(guid_key(coding.get("guid")), source.guid, start, end,
                          self.parsed.code_ids[guid_key(code_ref[0].get("targetGUID"))], coder,
                          coding.get("creationDateTime"))
        self.parsed.passages.append(passage)
        return passage.guid

    def coder(self, user_guid: str | None) -> str:
        """The name of the user a GUID names; for none, the project's creator, else the user
        who imports."""
        key = guid_key(user_guid or self.creator)
        if not key:
            return self.user
        if key not in self.parsed.coders:
            self.parsed.warnings.append(f"{self.where}: user {user_guid} is not among the "
                                        "project's users; named them by their GUID.")
            self.parsed.coders[key] = f"user {key}"
        return self.parsed.coders[key]
