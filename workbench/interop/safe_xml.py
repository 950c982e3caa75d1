"""Parse XML from other programs without the attacks XML allows.

A QDA exchange file can come from anyone: a colleague, a vendor, a download. XML lets such a
file declare entities that read files on this computer ("external entities") or expand a few
hundred bytes into gigabytes ("billion laughs"). A REFI-QDA file never needs a document type
declaration, so every file that carries one is refused before anything is expanded or fetched.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as stdlib_etree
from pathlib import Path

import defusedxml.ElementTree as defused_etree
from defusedxml import DTDForbidden

from workbench.errors import InteropError

__all__ = ["parse_xml"]


def parse_xml(
    source: str | os.PathLike[str] | bytes, *, source_name: str | None = None
) -> stdlib_etree.Element:
    """Parse an XML file or XML bytes and return the root element, refusing any DTD.

    Parameters
    ----------
    source : str, path-like or bytes
        A path to an XML file, or the XML document itself as bytes.
    source_name : str, optional
        The name used in error messages. Defaults to the file name, or ``"XML data"`` for bytes.

    Returns
    -------
    xml.etree.ElementTree.Element
        The root element, with namespaced tags in ``{namespace}Local`` form.

    Raises
    ------
    InteropError
        ``WB-INTEROP-001`` the file cannot be read; ``WB-INTEROP-002`` it is not well-formed XML
        (names the line and column); ``WB-INTEROP-003`` it carries a document type declaration
        and is refused.

    Notes
    -----
    Parsing goes through defusedxml with ``forbid_dtd=True``. Entity declarations can only
    appear inside a document type declaration, so refusing the declaration also refuses
    external entities and entity expansion bombs; nothing in the file is expanded or fetched.

    References
    ----------
    .. [1] OWASP Foundation. XML External Entity Prevention Cheat Sheet.
    .. [2] Tiran, C. defusedxml: XML bomb protection for Python stdlib modules.

    Examples
    --------
    >>> parse_xml(b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"/>').tag
    '{urn:QDA-XML:codebook:1.0}CodeBook'
    """
    if isinstance(source, bytes):
        name = source_name or "XML data"
        data = source
    else:
        path = Path(source)
        name = source_name or path.name
        try:
            data = path.read_bytes()
        except OSError as err:
            raise InteropError(
                1,
                f"{name}: cannot read the file ({err.strerror}). Check the path and that "
                "you may read it.",
            ) from err
    try:
        return defused_etree.fromstring(data, forbid_dtd=True)
    except stdlib_etree.ParseError as err:
        line, column = err.position
        reason = str(err).split(":")[0]
        # expat counts columns from 0; people and editors count from 1.
        raise InteropError(
            2,
            f"{name} line {line}, column {column + 1}: the XML is not well-formed "
            f"({reason}). The file may be cut short or damaged: export it again from the "
            "program that made it.",
        ) from err
    except DTDForbidden as err:
        fetches = f" pointing to '{err.sysid}'" if err.sysid else ""
        raise InteropError(
            3,
            f"{name}: refused: the file carries a document type declaration "
            f"(<!DOCTYPE {err.name}>{fetches}). Such declarations can define entities that read "
            "files on this computer or expand to gigabytes ('billion laughs'), and exchange "
            "files never need one. Export the file again from the program that made it.",
        ) from err
