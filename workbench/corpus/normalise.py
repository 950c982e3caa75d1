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

    UTF-8 (with or without BOM) and UTF-16 with a BOM are read as such, and so is UTF-16
    without a BOM, recognised by its zero bytes (:func:`utf16_without_bom`). Other bytes are
    identified with charset-normalizer and accepted only for a common Western encoding and a
    low mess ratio; otherwise the error names the first byte that is not UTF-8. A decoded
    text that holds a NUL character is refused whatever the encoding: no text a person wrote
    contains one, so it means the bytes were read in the wrong encoding.
    """
    decoded = _decode(data, Path(source).name, encoding)
    _refuse_nul(decoded, Path(source).name)
    return decoded


def utf16_without_bom(data: bytes) -> str | None:
    """``'utf-16-le'`` or ``'utf-16-be'`` when ``data`` looks like UTF-16 without a BOM.

    Text in Latin script written as UTF-16 has a zero as the high byte of almost every
    character: at odd offsets in little-endian, at even offsets in big-endian (the heuristic
    of the Unicode Standard's "Detecting encodings" FAQ and of uchardet). Over a quarter of
    the code units with a zero high byte, and none with a zero low byte, is taken as UTF-16.
    """
    if len(data) < 2 or len(data) % 2 or b"\x00" not in data:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    units = len(data) // 2
    if odd > units / 4 and even == 0:
        return "utf-16-le"
    if even > units / 4 and odd == 0:
        return "utf-16-be"
    return None


def _refuse_nul(decoded: Decoded, name: str) -> None:
    position = decoded.text.find("\x00")
    if position >= 0:
        line = decoded.text.count("\n", 0, position) + 1
        raise ImportError_(
            30, f"{name} line {line}: decoding as {decoded.encoding} gives NUL characters, "
            "so the file is in another encoding (often UTF-16 without a byte-order mark) or "
            "is not text. Save it as UTF-8, or pass encoding=... (e.g. encoding='utf-16-le')."
        )


def _decode(data: bytes, name: str, encoding: str | None) -> Decoded:
    if encoding:
        try:
            return Decoded(data.decode(encoding), encoding)
        except (UnicodeDecodeError, LookupError) as err:
            raise ImportError_(
                4, f"{name}: cannot be decoded as {encoding} ({err}). Check the encoding."
            ) from err
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return Decoded(data.decode("utf-16"), "utf-16")
    if utf16 := utf16_without_bom(data):
        try:
            return Decoded(data.decode(utf16), utf16)
        except UnicodeDecodeError as err:
            raise ImportError_(
                31, f"{name}: looks like {utf16.upper()} without a byte-order mark, but byte "
                f"{err.start} is not valid {utf16.upper()}. Save the file as UTF-8."
            ) from err
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
