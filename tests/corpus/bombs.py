"""Files that are small on disk and huge when read, written byte by byte for the tests."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import docx


def deflated_zeros(size: int) -> bytes:
    """A raw deflate stream of ``size`` zero bytes, made without holding them: 1 MiB blocks
    compressed once, each ending in a full flush so the copies can follow one another."""
    block = 2**20
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    one = compressor.compress(bytes(block)) + compressor.flush(zlib.Z_FULL_FLUSH)
    tail = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    rest = size % block
    return one * (size // block) + tail.compress(bytes(rest)) + tail.flush()


def docx_bomb(declared: int, actual: int) -> bytes:
    """A real Word document whose ``word/document.xml`` is replaced by ``actual`` zero bytes
    that the archive declares as ``declared`` bytes (PKWARE APPNOTE.TXT 4.3.7 and 4.3.12)."""
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    parts = {}
    with zipfile.ZipFile(buffer) as source:
        for info in source.infolist():
            parts[info.filename] = source.read(info)
    parts.pop("word/document.xml")
    out, central = bytearray(), bytearray()
    entries = [(name, zlib.compress(body)[2:-4], len(body), zlib.crc32(body))
               for name, body in parts.items()]
    entries.append(("word/document.xml", deflated_zeros(actual), declared, 0))
    for name, packed, size, crc in entries:
        encoded = name.encode()
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(packed),
                           size, len(encoded), 0) + encoded + packed
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc,
                               len(packed), size, len(encoded), 0, 0, 0, 0, 0,
                               offset) + encoded
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries),
                      len(central), len(out), 0)
    return bytes(out + central + end)


def pdf_bomb(size: int) -> bytes:
    """A one-page PDF whose content stream inflates to ``size`` bytes of spaces (ISO 32000-1,
    7.3.8 streams with /FlateDecode; cross-reference offsets computed as written)."""
    stream = _zlib_spaces(size)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream
               + b"\nendstream"]
    out, offsets = bytearray(b"%PDF-1.7\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def _zlib_spaces(size: int) -> bytes:
    """A zlib stream (RFC 1950) of ``size`` spaces, built from full-flushed 1 MiB blocks."""
    block = 2**20
    compressor = zlib.compressobj(9)
    head = compressor.compress(b" " * block) + compressor.flush(zlib.Z_FULL_FLUSH)
    header, first = head[:2], head[2:]
    tail = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS).flush()
    checksum = 1
    for _ in range(size // block):
        checksum = zlib.adler32(b" " * block, checksum)
    return header + first * (size // block) + tail + struct.pack(">I", checksum)
