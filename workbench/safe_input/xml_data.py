"""Parse XML from other programs without the attacks XML allows, in bounded memory.

A QDA exchange file can come from anyone: a colleague, a vendor, a download. XML lets such a
file declare entities that read files on this computer ("external entities") or expand a few
hundred bytes into gigabytes ("billion laughs"). A REFI-QDA file never needs a document type
declaration, so every file that carries one is refused before anything is expanded or fetched.

XML without any declaration can still exhaust a computer: hundreds of megabytes of tiny
elements, elements nested thousands deep (which also overflow a reader that walks them
recursively), or one text of gigabytes. So every file first streams through a gate that keeps
nothing but counters, and is refused at the first limit it passes; only then is a tree built.
The limits are far above what an exchange file of text sources holds (the largest sample, an
NVivo project of 3 interviews, has 1,134 elements, 12 deep).
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as stdlib_etree
from pathlib import Path
from xml.sax import SAXParseException
from xml.sax.handler import ContentHandler, feature_namespaces

import defusedxml.ElementTree as defused_etree
import defusedxml.sax
from defusedxml import DTDForbidden
from lxml import etree

from workbench.errors import InteropError

__all__ = ["MAX_DEPTH", "MAX_NODES", "MAX_TEXT", "MAX_XML_BYTES", "check_size", "parse_lxml",
           "parse_xml"]

#: The largest XML file read. A project file keeps its sources' text in separate entries; 256
#: MiB holds several hundred thousand codings.
MAX_XML_BYTES = 256 * 2**20
#: Elements and attributes together. A coding costs about 11 (selection, coding and code
#: reference with their attributes), so this allows about 270,000 codings, and bounds the
#: tree built in memory to under a gigabyte.
MAX_NODES = 3_000_000
#: How deep elements may nest. A code tree 90 levels deep would still fit.
MAX_DEPTH = 100
#: The longest text or attribute value: libxml2's own limit without ``huge_tree``
#: (``XML_MAX_TEXT_LENGTH``), which lxml applies anyway.
MAX_TEXT = 10_000_000
_CHUNK = 1 << 20
_AGAIN = "Export the file again from the program that made it"
_LONG_TEXT = ", with each source's text in its own file in the archive (plainTextPath)"


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
        and is refused; ``-040`` to ``-043`` it passes a limit (:func:`check_xml`).

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
    name, data = _read(source, source_name)
    check_xml(data, name)
    return defused_etree.fromstring(data, forbid_dtd=True)


def parse_lxml(data: bytes, *, source_name: str) -> etree._Element:
    """Parse XML bytes with lxml (elements know their line), after the same checks.

    lxml reads any encoding the file declares; its own limits (``huge_tree`` off) stay on.

    Raises
    ------
    InteropError
        As :func:`parse_xml`; ``-044`` lxml refuses the file where the gate did not.
    """
    check_xml(data, source_name)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as err:
        raise InteropError(
            44, f"{source_name} line {err.lineno}: the XML cannot be read ({err.msg}). "
            f"{_AGAIN}.") from err


def check_size(size: int, source_name: str) -> None:
    """Refuse an XML file larger than ``MAX_XML_BYTES`` before it is read (``-043``)."""
    if size > MAX_XML_BYTES:
        raise InteropError(
            43, f"{source_name}: refused: the XML file is {size:,} bytes, more than the "
            f"{MAX_XML_BYTES:,} workbench reads. A real exchange file keeps its texts in "
            f"separate files and stays far smaller. {_AGAIN}, or split the project.")


def check_xml(data: bytes, source_name: str) -> None:
    """Stream ``data`` through defusedxml's parser, keeping only counters; refuse it at the
    first problem, before any tree is built.

    Raises
    ------
    InteropError
        ``-002`` not well-formed (line and column); ``-003`` a document type declaration;
        ``-040`` elements nested deeper than ``MAX_DEPTH``; ``-041`` more than ``MAX_NODES``
        elements and attributes; ``-042`` a text or attribute value longer than ``MAX_TEXT``
        characters; ``-043`` more than ``MAX_XML_BYTES``; ``-045`` an encoding that cannot be
        read.
    """
    check_size(len(data), source_name)
    parser = defusedxml.sax.make_parser()
    parser.forbid_dtd = True
    parser.setFeature(feature_namespaces, True)
    parser.setContentHandler(_Limits(parser, source_name))
    view = memoryview(data)
    try:
        for offset in range(0, len(data), _CHUNK):
            parser.feed(view[offset:offset + _CHUNK])
        parser.close()
    except SAXParseException as err:
        # expat counts columns from 0; people and editors count from 1.
        raise InteropError(
            2, f"{source_name} line {err.getLineNumber()}, column {err.getColumnNumber() + 1}: "
            f"the XML is not well-formed ({err.getMessage()}). The file may be cut short or "
            "damaged: export it again from the program that made it.") from err
    except DTDForbidden as err:
        fetches = f" pointing to '{err.sysid}'" if err.sysid else ""
        raise InteropError(
            3, f"{source_name}: refused: the file carries a document type declaration "
            f"(<!DOCTYPE {err.name}>{fetches}). Such declarations can define entities that read "
            "files on this computer or expand to gigabytes ('billion laughs'), and exchange "
            f"files never need one. {_AGAIN}.") from err
    except (LookupError, ValueError) as err:
        raise InteropError(
            45, f"{source_name}: the XML declares an encoding that cannot be read ({err}). "
            "REFI-QDA files are UTF-8: export it again from the program that made it, or "
            "save it as UTF-8.") from err


def _read(source: str | os.PathLike[str] | bytes, source_name: str | None
          ) -> tuple[str, bytes]:
    """(name for messages, bytes) of an XML file or of XML bytes, the size checked first."""
    if isinstance(source, bytes):
        return source_name or "XML data", source
    path = Path(source)
    name = source_name or path.name
    try:
        check_size(path.stat().st_size, name)
        return name, path.read_bytes()
    except OSError as err:
        raise InteropError(
            1, f"{name}: cannot read the file ({err.strerror}). Check the path and that "
            "you may read it.") from err


class _Limits(ContentHandler):
    """Counts depth, nodes and text length while the parser streams; raises at a limit."""

    def __init__(self, parser, source_name: str) -> None:
        super().__init__()
        self.parser = parser
        self.source_name = source_name
        self.depth = self.nodes = self.text = 0

    def startElementNS(self, name, qname, attributes) -> None:  # noqa: N802 (SAX API)
        self.depth += 1
        self.nodes += 1 + len(attributes)
        self.text = 0
        if self.depth > MAX_DEPTH:
            self._refuse(40, f"elements nest more than {MAX_DEPTH} deep")
        if self.nodes > MAX_NODES:
            self._refuse(41, f"the file holds more than {MAX_NODES:,} elements and attributes")
        longest = max((len(v) for v in attributes.values()), default=0)
        if longest > MAX_TEXT:
            self._refuse(42, f"an attribute value is {longest:,} characters long, more than "
                         f"{MAX_TEXT:,}", _LONG_TEXT)

    def endElementNS(self, name, qname) -> None:  # noqa: N802 (SAX API)
        self.depth -= 1
        self.text = 0

    def characters(self, content: str) -> None:
        self.text += len(content)
        if self.text > MAX_TEXT:
            self._refuse(42, f"a text runs over {MAX_TEXT:,} characters", _LONG_TEXT)

    def _refuse(self, number: int, what: str, fix: str = "") -> None:
        line = self.parser.getLineNumber()
        raise InteropError(
            number, f"{self.source_name} line {line}: refused: {what}, beyond what workbench "
            "reads (a file like this exhausts memory or time, and no exchange file of text "
            f"sources needs it). {_AGAIN}{fix}.")
