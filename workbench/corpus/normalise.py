"""Decoding and normalising text once, so that every offset refers to one canonical string.

The canonical text of a document is: decoded to Unicode (UTF-8, or the encoding detected or
given), byte-order mark removed, CRLF and lone CR turned into LF, and composed to Unicode
Normalization Form C. Nothing else is changed: spacing, punctuation and case stay as written.
"""

from __future__ import annotations

import codecs
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes

from workbench.errors import ImportError_

#: Encodings we accept from detection, most likely first: the ones researchers' files arrive
#: in (Word and Excel on Windows write cp1252). Detection often rates several single-byte
#: code pages alike; among near-equals the earlier one here wins.
_PREFERRED = ("cp1252", "latin_1", "iso8859_15", "mac_roman", "cp1250", "iso8859_2", "cp850")
#: Detection is trusted only below this "chaos" (mess) ratio of charset-normalizer ...
_MAX_CHAOS = 0.1
#: ... and a preferred encoding may be this much messier than the best guess.
_CHAOS_MARGIN = 0.1


@dataclass(frozen=True)
class Decoded:
    """Text decoded from bytes, with the encoding that was used."""

    text: str
    encoding: str


def normalise(text: str) -> str:
    """Return the canonical form: no BOM, LF line ends, Unicode NFC."""
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def decode(data: bytes, source: Path | str, encoding: str | None = None) -> Decoded:
    """Decode ``data`` read from ``source``.

    UTF-8 (with or without BOM) and UTF-16 with a BOM are read as such. Other bytes are
    identified with charset-normalizer and accepted only for a common Western encoding and a
    low mess ratio; otherwise the error names the first byte that is not UTF-8.
    """
    name = Path(source).name
    if encoding:
        try:
            return Decoded(data.decode(encoding), encoding)
        except (UnicodeDecodeError, LookupError) as err:
            raise ImportError_(
                4, f"{name}: cannot be decoded as {encoding} ({err}). Check the encoding."
            ) from err
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return Decoded(data.decode("utf-16"), "utf-16")
    try:
        return Decoded(data.decode("utf-8-sig"), "utf-8")
    except UnicodeDecodeError as err:
        first_bad = err.start
    guesses = list(from_bytes(data))
    if guesses:
        floor = min(g.chaos for g in guesses)
        likely = sorted(
            (g for g in guesses if g.encoding in _PREFERRED and g.chaos <= _MAX_CHAOS
             and g.chaos <= floor + _CHAOS_MARGIN and "\x00" not in str(g)),
            key=lambda g: _PREFERRED.index(g.encoding),
        )
        if likely:
            return Decoded(str(likely[0]), likely[0].encoding)
    raise ImportError_(
        5,
        f"{name}: byte {first_bad} (0x{data[first_bad]:02x}) is not valid UTF-8 and the "
        "encoding could not be recognised. Save the file as UTF-8, or pass encoding=... "
        "(e.g. encoding='cp1252').",
    )
