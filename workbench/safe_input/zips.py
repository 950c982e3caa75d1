"""Zip archives (.docx) opened only after their sizes are checked.

A zip entry declares its compressed and uncompressed size, and deflate compresses a run of
zeros about 1,000 to 1: a 188 KB ``.docx`` can stand for gigabytes ("zip bomb", [1]_).
:func:`check_zip` refuses an archive before any library opens it when it has too many
entries, when an entry or the whole archive declares more than the bounds below, or when a
large entry compresses more than any real document does; then it decompresses every entry
in bounded chunks and stops as soon as one grows past its declared size, so an archive that
lies about its sizes is caught with at most one chunk over the bound in memory. The limits
follow OWASP's advice for archive uploads [2]_.

References
----------
.. [1] D. Fifield, "A better zip bomb", USENIX WOOT 2019.
.. [2] OWASP, "File Upload Cheat Sheet" (compressed files: check the uncompressed size,
   the number of files and the ratio before extracting).
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

__all__ = ["MAX_ZIP_ENTRIES", "MAX_ZIP_RATIO", "MAX_ZIP_TOTAL", "UnsafeZip", "check_zip",
           "over_ratio"]

#: The most entries an archive may hold (a Word document has 10 to 50).
MAX_ZIP_ENTRIES = 2_000
#: The most bytes all entries together may decompress to (a 300-page report with figures is
#: under 50 MB).
MAX_ZIP_TOTAL = 128 * 2**20
#: The highest compression ratio allowed for an entry that decompresses to more than
#: ``_RATIO_FLOOR`` bytes; Word's XML compresses 5 to 30 to 1, a bomb about 1,000 to 1.
MAX_ZIP_RATIO = 150
_RATIO_FLOOR = 2**20
_CHUNK = 2**20
#: The fixed part of a zip local file header (PKWARE APPNOTE.TXT, section 4.3.7).
_LOCAL_HEADER = 30


class UnsafeZip(ValueError):
    """An archive refused because it would decompress beyond the bounds, or lies about it."""


def check_zip(data: bytes, *, max_entries: int = MAX_ZIP_ENTRIES,
              max_total: int = MAX_ZIP_TOTAL, max_ratio: float = MAX_ZIP_RATIO) -> None:
    """Refuse a zip archive that would decompress beyond the bounds.

    Parameters
    ----------
    data : the archive's bytes.
    max_entries, max_total, max_ratio : the bounds (see the module's constants).

    Raises
    ------
    UnsafeZip
        with a sentence naming the entry and the bound it passes.
    zipfile.BadZipFile
        the bytes are not a zip archive.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = archive.infolist()
        if len(entries) > max_entries:
            raise UnsafeZip(f"it holds {len(entries):,} entries, more than {max_entries:,}")
        declared = sum(entry.file_size for entry in entries)
        if declared > max_total:
            raise UnsafeZip(f"it would decompress to {declared:,} bytes, more than "
                            f"{max_total:,}")
        for entry in entries:
            ratio = over_ratio(entry, max_ratio)
            if ratio is not None:
                raise UnsafeZip(f"'{entry.filename}' is compressed {ratio:,.0f} to 1, more "
                                f"than {max_ratio:,.0f} to 1 as no real document is")
        for entry in entries:
            _read_within(data, entry)


def over_ratio(entry: zipfile.ZipInfo, max_ratio: float) -> float | None:
    """The ratio of an entry's declared size to its compressed size when it passes
    ``max_ratio``, else None; entries that expand to 1 MiB or less pass whatever their ratio
    (a small file cannot hurt, and tiny files compress oddly).

    >>> entry = zipfile.ZipInfo("bomb.xml")
    >>> entry.file_size, entry.compress_size = 2**30, 2**20
    >>> over_ratio(entry, 150)
    1024.0
    """
    ratio = entry.file_size / max(entry.compress_size, 1)
    return ratio if entry.file_size > _RATIO_FLOOR and ratio > max_ratio else None


def _read_within(data: bytes, entry: zipfile.ZipInfo) -> None:
    """Inflate an entry's raw bytes in bounded chunks; refuse it once it passes its declared
    size (zipfile itself would stop there silently, leaving a truncated part)."""
    if entry.compress_type == zipfile.ZIP_STORED:
        if entry.compress_size != entry.file_size:
            raise UnsafeZip(f"'{entry.filename}' is stored uncompressed in "
                            f"{entry.compress_size:,} bytes but declares {entry.file_size:,}")
        return
    if entry.compress_type != zipfile.ZIP_DEFLATED:
        raise UnsafeZip(f"'{entry.filename}' uses compression method {entry.compress_type}; "
                        "Word documents use deflate")
    name_length, extra_length = struct.unpack_from("<HH", data, entry.header_offset + 26)
    start = entry.header_offset + _LOCAL_HEADER + name_length + extra_length
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    pending, seen = data[start:start + entry.compress_size], 0
    while pending and not inflater.eof:
        seen += len(inflater.decompress(pending, _CHUNK))
        pending = inflater.unconsumed_tail
        if seen > entry.file_size:
            raise UnsafeZip(f"'{entry.filename}' decompresses to more than the "
                            f"{entry.file_size:,} bytes it declares")
