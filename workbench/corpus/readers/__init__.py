"""One reader per file format. Each turns a file into one or more :class:`SourceDocument`.

A reader decodes and normalises the text (see :mod:`workbench.corpus.normalise`), so that the
text it returns is canonical; it never segments.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from workbench.corpus.readers.base import SourceDocument
from workbench.corpus.readers.captions import read_srt, read_vtt
from workbench.corpus.readers.office import read_docx, read_pdf
from workbench.corpus.readers.plain import read_plain
from workbench.corpus.readers.survey import read_survey
from workbench.errors import ImportError_

#: The largest file an import reads (bytes on disk): with the decompression bounds of
#: ``office`` and ``safe_input.zips`` this keeps the import of one file within the memory
#: bound stated in the README (tests/corpus/test_memory_bound.py).
MAX_FILE_BYTES = 32 * 2**20

Reader = Callable[..., list[SourceDocument]]

READERS: dict[str, Reader] = {
    ".txt": read_plain,
    ".md": read_plain,
    ".docx": read_docx,
    ".pdf": read_pdf,
    ".vtt": read_vtt,
    ".srt": read_srt,
    ".csv": read_survey,
}

__all__ = ["MAX_FILE_BYTES", "READERS", "SourceDocument", "read_file"]


def read_file(path: Path, *, encoding: str | None = None) -> list[SourceDocument]:
    """Read ``path`` with the reader for its extension; refuse unknown and empty files."""
    suffix = path.suffix.lower()
    reader = READERS.get(suffix)
    if reader is None:
        raise ImportError_(
            1,
            f"{path.name}: '{suffix or '(no extension)'}' files cannot be imported. Supported: "
            f"{', '.join(sorted(READERS))}. Convert the file (e.g. save as .docx or .txt).",
        )
    if not path.is_file():
        raise ImportError_(2, f"{path}: no such file. Check the path.")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ImportError_(
            37, f"{path.name}: {size:,} bytes is more than the {MAX_FILE_BYTES:,} one file may "
            "hold. Split it into smaller files (e.g. one per interview) and import those."
        )
    data = path.read_bytes()
    if not data.strip():
        raise ImportError_(3, f"{path.name}: the file is empty. Remove it from the import.")
    return reader(path, data, encoding=encoding)
