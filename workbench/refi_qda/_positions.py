"""What a REFI-QDA selection's ``startPosition``/``endPosition`` count, per program.

The standard says text positions count Unicode code points of the plain-text file, from 0
(REFI-QDA 1.5, section 10.2); its own example has ``endPosition - startPosition`` equal to the
length of the quoted text, so the end is exclusive. Real exports differ in the unit:

================  ==========================================================================
program           positions count
================  ==========================================================================
NVivo (Windows    UTF-16 code units (.NET and Cocoa strings) of the file's text after its BOM,
and Mac)          every ``\\r`` of CRLF counted. Evidence: in the samples an emoji (outside
                  the Basic Multilingual Plane, two UTF-16 units) shifts every later quote by
                  one character per emoji if read as code points: 97/97 NVivo 12.6 (Windows)
                  and 294/297 NVivo 12.7 (Mac) selections start and end on word boundaries
                  read as UTF-16 units, 60/97 and 58/297 read as code points. Counting the
                  BOM gives 33/97.
qc                Code points (Python ``len``; its writer sums ``len(line)``); its sample is
                  ASCII, where every unit agrees, and all 158 selections are whole lines.
others            Code points, as the standard says (workbench writes code points).
================  ==========================================================================

Positions index the file's own text, so a CRLF file's positions count the ``\\r``. Workbench
stores the canonical text (no BOM, LF line ends, NFC; :func:`workbench.corpus.normalise`), so
every position is mapped onto it: a position between ``\\r`` and ``\\n`` lands on the line end.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from functools import cached_property

from workbench.corpus.normalise import normalise

#: The units a program's positions may count.
POSITION_UNITS = ("codepoint", "utf16")
#: Programs known to count otherwise than the standard, by the start of their ``origin``.
_PROGRAM_UNITS = (("nvivo", "utf16"),)
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def unit_for(origin: str | None) -> str:
    """The unit a program's positions count, from the Project's ``origin`` attribute.

    >>> unit_for("NVivo for Windows 12.6"), unit_for("qc 1.3.2"), unit_for(None)
    ('utf16', 'codepoint', 'codepoint')
    """
    origin = (origin or "").strip().lower()
    return next((unit for prefix, unit in _PROGRAM_UNITS if origin.startswith(prefix)),
                "codepoint")


class SourceText:
    """A source's text as the program saw it, and the map from its positions to workbench's.

    Parameters
    ----------
    raw : the decoded plain-text file (a leading BOM is dropped, line ends kept).
    unit : one of ``POSITION_UNITS``.
    """

    def __init__(self, raw: str, unit: str) -> None:
        self.raw = raw.removeprefix("\ufeff")
        self.unit = unit
        self.text = normalise(self.raw)
        self._lf_text = self.raw.replace("\r\n", "\n").replace("\r", "\n")
        # Code-point indices of the \r of each CRLF, and UTF-16 starts of astral characters.
        self._crlf = [m.start() for m in re.finditer("\r\n", self.raw)]
        self._astral = [m.start() + n for n, m in enumerate(_ASTRAL.finditer(self.raw))]

    @property
    def has_astral(self) -> bool:
        """Whether code points and UTF-16 units differ in this text (emoji and the like)."""
        return bool(self._astral)

    @property
    def length(self) -> int:
        """The text's length in the program's unit: the largest valid position."""
        if self.unit == "utf16":
            return len(self.raw) + len(self._astral)
        return len(self.raw)

    @cached_property
    def _composed(self) -> bool:
        return unicodedata.is_normalized("NFC", self._lf_text)

    def splits_character(self, position: int) -> bool:
        """Whether a UTF-16 position falls between the two halves of one character."""
        index = bisect.bisect_left(self._astral, position)
        return self.unit == "utf16" and index > 0 and self._astral[index - 1] == position - 1

    def to_canonical(self, position: int) -> int:
        """Map a position (0 <= position <= length) onto the canonical text."""
        if self.unit == "utf16":
            position -= bisect.bisect_left(self._astral, position)
        position -= bisect.bisect_left(self._crlf, position)
        if self._composed:
            return position
        # Composing can shorten the text; the prefix's composed length is the position.
        return len(unicodedata.normalize("NFC", self._lf_text[:position]))


def cut_share(source: SourceText, spans: list[tuple[int, int]]) -> float:
    """The share of spans (positions in the source's unit) that start or end inside a word.

    People select words and sentences, so a high share means the positions are read in the
    wrong unit. Spans beyond the text count as cut.
    """
    text = source.text

    def inside(position: int) -> bool:
        index = source.to_canonical(position)
        return 0 < index < len(text) and text[index - 1].isalnum() and text[index].isalnum()

    cut = sum(end > source.length or inside(start) or inside(end) for start, end in spans)
    return cut / len(spans) if spans else 0.0
