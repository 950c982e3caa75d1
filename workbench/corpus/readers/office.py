"""Word (.docx, via python-docx) and PDF (.pdf with a text layer, via pypdf)."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from pathlib import Path

import docx
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from workbench.corpus.header import header_date
from workbench.corpus.normalise import normalise
from workbench.corpus.readers.base import SourceDocument
from workbench.errors import ImportError_


def read_docx(path: Path, data: bytes, *, encoding: str | None = None) -> list[SourceDocument]:
    """Read the body paragraphs of a Word document, one blank line between paragraphs.

    Empty paragraphs are dropped; tables, headers, footers and comments are not read.
    """
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as err:
        raise ImportError_(
            8, f"{path.name}: not a readable Word .docx file ({err}). Open it in Word and "
            "save it again as .docx."
        ) from err
    paragraphs = [normalise(p.text).strip() for p in document.paragraphs]
    text = "\n\n".join(p for p in paragraphs if p)
    if not text:
        raise ImportError_(3, f"{path.name}: the document has no text. Remove it.")
    return [_dated(SourceDocument(name=path.name, text=text + "\n", format="docx"))]


def read_pdf(path: Path, data: bytes, *, encoding: str | None = None) -> list[SourceDocument]:
    """Read the text layer of a PDF, one blank line between pages."""
    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [normalise(page.extract_text() or "").strip() for page in reader.pages]
    except (PdfReadError, ValueError, KeyError) as err:
        raise ImportError_(
            9, f"{path.name}: not a readable PDF ({err}). Export it again as PDF."
        ) from err
    text = "\n\n".join(p for p in pages if p)
    if not text:
        raise ImportError_(
            10,
            f"{path.name}: the PDF has no text layer (it is a scanned image). It needs OCR "
            "first, e.g. `ocrmypdf in.pdf out.pdf`, then import the result.",
        )
    return [_dated(SourceDocument(name=path.name, text=text + "\n", format="pdf"))]


def _dated(document: SourceDocument) -> SourceDocument:
    date = header_date(document.text)
    return replace(document, attributes={"date": date}) if date else document
