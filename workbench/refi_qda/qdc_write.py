"""Write codebooks as REFI-QDA codebook files (``.qdc``) for other QDA programs.

A ``.qdc`` file holds, per code, a GUID, a name, a colour, whether it may be applied, a
free-text Description and nested child codes [1]_. Workbench writes each code's definition
first in the Description, then its other fields under a marker line, as YAML::

    Alerts lose their force because staff meet too many of them.

    --- workbench ---
    id: alert-fatigue
    when_to_use: ...
    examples:
    - 'Night nurse: By four in the morning I batch them.'

Another program shows this as readable text; ``import_qdc`` reads it back into the fields.

What a round trip through a ``.qdc`` file keeps and loses:

* kept: every code's id, name, parent, definition, when_to_use, when_not_to_use, examples,
  colour, references and patterns; the order of sibling codes;
* lost: the codebook's title (the file name's stem is used instead), version (1 on import),
  authors, changelog and codebook-level references, which the format has no place for; the
  overall order of codes, which comes back as tree order (each code followed by its children).

References
----------
.. [1] REFI-QDA Working Group (2019). REFI-QDA Standard, version 1.5: Codebook Exchange
   (pp. 11-12, Codebook.xsd). https://www.qdasoftware.org
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Callable
from pathlib import Path

from lxml import etree

from workbench.codebook.io import dump_yaml, save_codebook
from workbench.codebook.model import Code, Codebook
from workbench.codebook.validate import check
from workbench.errors import CodebookError

__all__ = ["EXTRA_FIELDS", "GUID_NAMESPACE", "MARKER", "NAMESPACE", "NOT_XML", "code_guid",
           "export_qdc", "write_codes"]

NAMESPACE = "urn:QDA-XML:codebook:1.0"
# Fixed once for workbench: changing it would change every GUID ever exported.
GUID_NAMESPACE = uuid.UUID("3194cdd2-5406-4df5-9064-4f2df448b8f8")
MARKER = "--- workbench ---"
EXTRA_FIELDS = ("when_to_use", "when_not_to_use", "examples", "references", "patterns")
# Characters XML 1.0 cannot hold, even escaped.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def code_guid(code_id: str) -> str:
    """Return the GUID a code gets in exported files: the same id always gives the same GUID.

    >>> code_guid("alert-fatigue") == code_guid("alert-fatigue")
    True
    """
    return str(uuid.uuid5(GUID_NAMESPACE, code_id)).upper()


def export_qdc(codebook: Codebook, path: str | os.PathLike[str]) -> None:
    """Write a codebook as a REFI-QDA codebook file that validates against ``Codebook.xsd``.

    Parameters
    ----------
    codebook : Codebook
        Checked first; an invalid codebook writes nothing.
    path : str or path-like
        The ``.qdc`` file to write.

    Notes
    -----
    Every code is written codable (``isCodable="true"``), with a GUID from ``code_guid`` and its
    fields in the Description as the module docstring shows.
    """
    path = Path(path)
    check(codebook, source=path.name)
    if not codebook.codes:
        raise CodebookError(
            23,
            f"{path.name}: codebook '{codebook.title}' has no codes, and a .qdc file must "
            "hold at least one. Add a code first.",
        )
    for code in codebook.codes:
        for field in ("name", "definition"):
            found = NOT_XML.search(getattr(code, field))
            if found:
                raise CodebookError(
                    22,
                    f"code '{code.id}' field '{field}': holds the control character "
                    f"U+{ord(found.group()):04X}, which a .qdc (XML) file cannot hold. Remove it.",
                )
    root = etree.Element(_tag("CodeBook"), nsmap={None: NAMESPACE}, origin="workbench")
    write_codes(etree.SubElement(root, _tag("Codes")), codebook)
    etree.ElementTree(root).write(
        str(path), xml_declaration=True, encoding="UTF-8", pretty_print=True
    )


def write_codes(
    codes_element: etree._Element,
    codebook: Codebook,
    *,
    namespace: str = NAMESPACE,
    decorate: Callable[[Code, etree._Element], None] | None = None,
) -> None:
    """Write the code tree under ``codes_element`` (shared by ``.qdc`` and ``.qdpx`` export).

    ``decorate(code, element)`` is called after each code's Description, before its children.
    """
    for code in codebook.children(None):
        _add_code(codes_element, code, codebook, namespace, decorate)


def _tag(local: str, namespace: str = NAMESPACE) -> str:
    return f"{{{namespace}}}{local}"


def _add_code(parent_element: etree._Element, code: Code, codebook: Codebook,
              namespace: str = NAMESPACE, decorate=None) -> None:
    attributes = {"guid": code_guid(code.id), "name": code.name, "isCodable": "true"}
    if code.color:
        attributes["color"] = code.color
    element = etree.SubElement(parent_element, _tag("Code", namespace), attributes)
    etree.SubElement(element, _tag("Description", namespace)).text = _description(code)
    if decorate is not None:
        decorate(code, element)
    for child in codebook.children(code.id):
        _add_code(element, child, codebook, namespace, decorate)


def _description(code: Code) -> str:
    fields = {"id": code.id}
    for field in EXTRA_FIELDS:
        value = getattr(code, field)
        if value:
            fields[field] = list(value) if isinstance(value, tuple) else value
    return f"{code.definition}\n\n{MARKER}\n{dump_yaml(fields)}"



def write_codebook(codebook: Codebook, path: Path) -> Path:
    """Write ``codebook`` as YAML (``.yaml``, ``.yml``) or REFI-QDA (``.qdc``), by the name's
    extension; any other extension is refused (``WB-CODEBOOK-043``)."""
    writers = {".yaml": save_codebook, ".yml": save_codebook, ".qdc": export_qdc}
    if path.suffix.lower() not in writers:
        raise CodebookError(43, f"{path.name}: export the codebook as .yaml or .qdc.")
    writers[path.suffix.lower()](codebook, path)
    return path
