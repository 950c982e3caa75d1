"""Read REFI-QDA codebook files (``.qdc``) from other QDA programs, leniently.

What a file workbench wrote keeps, and how other programs' files are adapted, is described in
:mod:`workbench.refi_qda.qdc_write`; every adaptation becomes a warning naming the file and
the code.

References
----------
.. [1] REFI-QDA Working Group (2019). REFI-QDA Standard, version 1.5: Codebook Exchange
   (pp. 11-12, Codebook.xsd). https://www.qdasoftware.org
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import Element

import yaml

from workbench.codebook.model import Code, Codebook
from workbench.codebook.validate import COLOR, SLUG, slugify
from workbench.errors import CodebookError, InteropError
from workbench.refi_qda.qdc_write import EXTRA_FIELDS, MARKER, NAMESPACE
from workbench.safe_input import load_yaml, parse_xml

__all__ = ["import_qdc", "read_codes"]

SHORT_COLOR = re.compile(r"#[0-9A-Fa-f]{3}")


def import_qdc(path: str | os.PathLike[str]) -> tuple[Codebook, list[str]]:
    """Read a REFI-QDA codebook file from any program, leniently, and say what was adapted.

    Reads the code hierarchy (nested ``<Code>`` elements, and also names written ``a\\b``, as
    Taguette writes its hierarchy), names, colours and Descriptions. Files workbench wrote
    come back with every code field (see the module docstring). Ids for codes from other
    programs are made from their names. Deviations from the schema that still leave the
    codebook readable (an empty ``<Sets/>``, another namespace version) become warnings.

    Parameters
    ----------
    path : str or path-like

    Returns
    -------
    codebook : Codebook
        Titled after the file name, version 1. Codes without a Description have an empty
        definition: ``validate`` reports them until one is written.
    warnings : list of str
        One sentence each, naming the file and the code, saying what was adapted or left out.

    Raises
    ------
    CodebookError
        ``WB-CODEBOOK-020`` the file cannot be read, is not well-formed XML (names the line
        and column) or is refused as unsafe; ``-021`` it is not a codebook file.

    Notes
    -----
    Validated against codebooks exported by ATLAS.ti Windows 23.4 and Taguette 1.5.2.
    """
    path = Path(path)
    name = path.name
    try:
        root = parse_xml(path, source_name=name)
    except InteropError as err:
        raise CodebookError(20, err.message) from err
    namespace, local = _split_tag(root.tag)
    codes_element = root.find(f"{{{namespace}}}Codes")
    if local != "CodeBook" or codes_element is None:
        found = f"<{local}>" if local != "CodeBook" else "a <CodeBook> without <Codes>"
        raise CodebookError(
            21,
            f"{name}: this is not a REFI-QDA codebook: it holds {found}, where a codebook "
            "file has <CodeBook> with <Codes>. Export the codebook again as a .qdc file.",
        )
    reader = _Reader(name, namespace)
    if namespace != NAMESPACE:
        reader.warn(f"the namespace is '{namespace}', not '{NAMESPACE}'; read as version 1.0")
    reader.read_sets(root.find(f"{{{namespace}}}Sets"))
    for element in codes_element.findall(f"{{{namespace}}}Code"):
        reader.read_code(element, parent=None)
    codes = reader.codes()
    return Codebook(title=path.stem, version=1, codes=codes), reader.warnings


def read_codes(
    codes_element: Element, namespace: str, source_name: str, *, placeholder: str | None = None
) -> tuple[tuple[Code, ...], dict[str, str], list[str]]:
    """Read the code tree under ``codes_element`` as ``import_qdc`` does (shared with ``.qdpx``
    import); return (codes, each ``<Code>`` GUID -> its code id, warnings).

    Codes without a Description get the definition ``placeholder`` (one warning for all), if
    given; otherwise an empty definition and a warning each.
    """
    reader = _Reader(source_name, namespace)
    for element in codes_element.findall(f"{{{namespace}}}Code"):
        reader.read_code(element, parent=None)
    codes = reader.codes(placeholder)
    ids = {entry.guid: code.id for entry, code in zip(reader.entries, codes, strict=True)
           if entry.guid}
    return codes, ids, reader.warnings


def _split_tag(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        namespace, local = tag[1:].split("}", 1)
        return namespace, local
    return "", tag


@dataclass(frozen=True)
class _Entry:
    """A code as read from the file, before the hierarchy and ids are settled."""

    name: str
    parent: int | None
    color: str | None
    definition: str
    fields: Mapping[str, object]
    guid: str | None = None


class _Reader:
    """Collects codes and warnings while walking one file."""

    def __init__(self, source_name: str, namespace: str) -> None:
        self.source_name = source_name
        self.namespace = namespace
        self.entries: list[_Entry] = []
        self.warnings: list[str] = []

    def warn(self, text: str) -> None:
        self.warnings.append(f"{self.source_name}: {text}.")

    def read_sets(self, sets: Element | None) -> None:
        if sets is None:
            return
        members = sets.findall(f"{{{self.namespace}}}Set")
        if not members:
            self.warn(
                "<Sets> is empty, which the Codebook schema does not allow (it wants at least "
                "one <Set>); ignored it"
            )
            return
        names = ", ".join(f"'{member.get('name')}'" for member in members)
        self.warn(
            f"left out {len(members)} code group(s) ({names}): workbench codebooks have no "
            "code groups. Use parent codes to group codes"
        )

    def read_code(self, element: Element, parent: int | None) -> None:
        name = element.get("name") or ""
        if not name.strip():
            name = f"Unnamed code {len(self.entries) + 1}"
            self.warn(f"a <Code> has no name; called it '{name}'")
        if element.get("isCodable", "true").strip() in ("false", "0"):
            self.warn(f"code '{name}' is marked not codable; workbench lets every code be applied")
        description = element.find(f"{{{self.namespace}}}Description")
        definition, fields = self._read_description(
            name, "" if description is None else description.text or ""
        )
        self.entries.append(
            _Entry(name, parent, self._read_color(name, element.get("color")), definition, fields,
                   element.get("guid"))
        )
        index = len(self.entries) - 1
        for child in element.findall(f"{{{self.namespace}}}Code"):
            self.read_code(child, parent=index)

    def _read_color(self, name: str, color: str | None) -> str | None:
        if color is None or COLOR.fullmatch(color):
            return color
        if SHORT_COLOR.fullmatch(color):
            return "#" + "".join(digit * 2 for digit in color[1:])
        self.warn(f"code '{name}' has the colour {color!r}, which is not #RRGGBB; left it out")
        return None

    def _read_description(self, name: str, text: str) -> tuple[str, Mapping[str, object]]:
        cut = text.rfind(f"\n\n{MARKER}\n")
        if cut < 0:
            return text.strip(), {}
        try:
            fields = load_yaml(text[cut + len(MARKER) + 3 :])
        except yaml.YAMLError:
            fields = None
        if not isinstance(fields, Mapping):
            self.warn(
                f"code '{name}': the Description's workbench part is damaged; kept the whole "
                "Description as the definition"
            )
            return text.strip(), {}
        return text[:cut], fields

    def codes(self, placeholder: str | None = None) -> tuple[Code, ...]:
        """Settle the hierarchy and the ids, and build the codes in file order."""
        self._split_backslash_names()
        ids = self._assign_ids()
        codes = []
        undefined = [index for index, entry in enumerate(self.entries)
                     if not entry.definition.strip()]
        if placeholder and undefined:
            self.warn(f"{len(undefined)} code(s) have no description; gave them the definition "
                      f"'{placeholder}'. Write real definitions before coding with them")
        for index, entry in enumerate(self.entries):
            extras = self._extras(ids[index], entry.fields)
            if placeholder and not entry.definition.strip():
                entry = _Entry(entry.name, entry.parent, entry.color, placeholder, entry.fields)
            elif not entry.definition.strip():
                self.warn(
                    f"code '{ids[index]}' field 'definition': the file gives no description. "
                    "Write a definition before coding with this codebook"
                )
            codes.append(
                Code(
                    id=ids[index],
                    name=entry.name,
                    parent=None if entry.parent is None else ids[entry.parent],
                    definition=entry.definition,
                    color=entry.color,
                    **extras,
                )
            )
        return tuple(codes)

    def _split_backslash_names(self) -> None:
        # Taguette has no nesting: it writes a child "b" of "a" as a top-level code "a\b".
        entries, self.entries = self.entries, []
        paths: dict[tuple[str, ...], int] = {}
        placeholders: set[int] = set()
        new_index: dict[int, int] = {}
        split = []
        for old_index, entry in enumerate(entries):
            parent = None if entry.parent is None else new_index[entry.parent]
            own = entry.name
            if "id" not in entry.fields and "\\" in entry.name:
                *above, own = entry.name.split("\\")
                parent = self._ensure_path(self._path(parent) + tuple(above), paths, placeholders)
                split.append(entry.name)
            read = _Entry(own, parent, entry.color, entry.definition, entry.fields, entry.guid)
            path = self._path(parent) + (own,)
            if paths.get(path) in placeholders:
                # Named earlier as the parent of a code, defined only now.
                position = paths[path]
                self.entries[position] = read
                placeholders.remove(position)
            else:
                self.entries.append(read)
                position = len(self.entries) - 1
                paths.setdefault(path, position)
            new_index[old_index] = position
        if split:
            self.warn(
                f"read the '\\' in {len(split)} code name(s) as hierarchy, the way Taguette "
                f"writes it (e.g. '{split[0]}')"
            )
        for index in sorted(placeholders):
            self.warn(
                f"code '{'/'.join(self._path(index))}' is named as a parent but not defined; "
                "created it"
            )

    def _path(self, index: int | None) -> tuple[str, ...]:
        if index is None:
            return ()
        entry = self.entries[index]
        return (*self._path(entry.parent), entry.name)

    def _ensure_path(
        self, path: tuple[str, ...], paths: dict[tuple[str, ...], int], placeholders: set[int]
    ) -> int | None:
        if not path:
            return None
        if path not in paths:
            parent = self._ensure_path(path[:-1], paths, placeholders)
            self.entries.append(_Entry(path[-1], parent, None, "", {}))
            paths[path] = len(self.entries) - 1
            placeholders.add(paths[path])
        return paths[path]

    def _assign_ids(self) -> list[str]:
        ids: list[str | None] = [None] * len(self.entries)
        taken: set[str] = set()
        for index, entry in enumerate(self.entries):
            given = entry.fields.get("id")
            if isinstance(given, str) and SLUG.fullmatch(given) and given not in taken:
                ids[index] = given
                taken.add(given)
            elif given is not None:
                self.warn(
                    f"code '{entry.name}': the id {given!r} is not a free slug; made a new one"
                )
        for index, entry in enumerate(self.entries):
            if ids[index] is not None:
                continue
            candidate = slugify(entry.name)
            if candidate in taken:
                candidate = slugify("-".join(self._path(index)))
            base, number = candidate, 2
            while candidate in taken:
                candidate, number = f"{base}-{number}", number + 1
            ids[index] = candidate
            taken.add(candidate)
        return ids

    def _extras(self, code_id: str, fields: Mapping[str, object]) -> dict[str, object]:
        extras: dict[str, object] = {}
        for field in EXTRA_FIELDS:
            if field not in fields:
                continue
            value = fields[field]
            if field.startswith("when") and isinstance(value, str):
                extras[field] = value
            elif isinstance(value, list) and all(isinstance(item, str) for item in value):
                extras[field] = tuple(value)
            else:
                self.warn(f"code '{code_id}' field '{field}': not text as expected; left it out")
        return extras
