"""Word (.docx, via python-docx) and PDF (.pdf with a text layer, via pypdf).

Both formats compress, so a small file can stand for gigabytes. A ``.docx`` is checked with
:func:`workbench.safe_input.check_zip` before python-docx opens it. A PDF is read with
pypdf's decompression limits set here rather than left to its defaults: each stream may
decompress to at most ``PDF_MAX_STREAM`` bytes, and the text read from all pages together
may hold at most ``MAX_TEXT`` characters; past either the file is refused.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.corpus.header import header_date
from workbench.corpus.normalise import normalise
from workbench.corpus.readers.base import SourceDocument
from workbench.errors import ImportError_
from workbench.safe_input import UnsafeZip, check_zip

if TYPE_CHECKING:
    from pypdf import PdfReader

#: The most bytes one PDF stream may decompress to (a page of text is a few kilobytes to a
#: megabyte; pypdf's own default is 75 MB).
PDF_MAX_STREAM = 32_000_000
#: The most characters of text one PDF may yield (some 8 million words).
MAX_TEXT = 50_000_000
_PDF_LIMITS = {name: PDF_MAX_STREAM for name in (
    "maximum_declared_stream_length", "array_based_stream_maximum_output_length",
    "jbig2_maximum_output_length", "lzw_maximum_output_length",
    "run_length_maximum_output_length", "zlib_maximum_output_length",
    "brotli_maximum_output_length")}


def read_docx(path: Path, data: bytes, *, encoding: str | None = None) -> list[SourceDocument]:
    """Read the body paragraphs of a Word document, one blank line between paragraphs.

    Empty paragraphs are dropped; tables, headers, footers and comments are not read.
    """
    import docx

    try:
        check_zip(data)
        document = docx.Document(io.BytesIO(data))
    except UnsafeZip as err:
        raise ImportError_(
            34, f"{path.name}: refused before opening, as it could take more memory than "
            f"any document needs: {err}. If it is a real document, open it in Word and save "
            "it again as .docx (or save it as .txt)."
        ) from err
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
    from pypdf import PdfReader, apply_configuration
    from pypdf.errors import LimitReachedError, PdfReadError

    try:
        with apply_configuration(**_PDF_LIMITS):
            pages = _pdf_pages(PdfReader(io.BytesIO(data)), path.name)
    except LimitReachedError as err:
        raise ImportError_(
            35, f"{path.name}: refused, as a compressed stream in it decompresses to more "
            f"than {PDF_MAX_STREAM:,} bytes ({err}), more than any page of text needs. "
            "Print it to a new PDF, or save it as text, and import that."
        ) from err
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


def _pdf_pages(reader: PdfReader, name: str) -> list[str]:
    """Each page's text, normalised; refuse a PDF whose text passes ``MAX_TEXT``."""
    pages, total = [], 0
    for number, page in enumerate(reader.pages, start=1):
        page.get_contents()  # extract_text swallows pypdf's LimitReachedError; this raises it
        pages.append(normalise(page.extract_text() or "").strip())
        total += len(pages[-1])
        if total > MAX_TEXT:
            raise ImportError_(
                36, f"{name} page {number}: the text passes {MAX_TEXT:,} characters. "
                "Split the PDF into smaller files and import those."
            )
    return pages


def _dated(document: SourceDocument) -> SourceDocument:
    date = header_date(document.text)
    return replace(document, attributes={"date": date}) if date else document
