"""Coding a phrase by its words: find it in the canonical text, then code its span.

The phrase must appear exactly as written in the document's canonical text (the text
``project.document(...)`` shows: LF line ends, Unicode NFC, spacing and case as written). Its
occurrences are counted from the start of the text without overlapping, as an editor's "find
next" steps through them.
"""

from __future__ import annotations

import difflib
import re
import sqlite3
import unicodedata

from workbench.coding.codings import Coding, code, whole_number
from workbench.corpus.views import document
from workbench.errors import CodingError

#: How many near misses a refusal shows, and how alike (difflib's ratio) they must be.
_CLOSE_MATCHES, _CLOSE_CUTOFF = 3, 0.6


def phrase_span(doc_name: str, text: str, phrase: str, occurrence: int = 1
                ) -> tuple[int, int]:
    """(start, end) of the ``occurrence``-th (from 1) exact occurrence of ``phrase`` in
    ``text``, or a numbered error naming the document and showing close matches.

    >>> phrase_span("notes.txt", "a list, a paper list", "list", occurrence=2)
    (16, 20)
    """
    wanted = whole_number(occurrence)
    if wanted is None or wanted < 1:
        raise CodingError(44, f"occurrence={occurrence!r}: count occurrences from 1 (the "
                          "first in the document) as a whole number.")
    phrase = unicodedata.normalize("NFC", phrase) if isinstance(phrase, str) else phrase
    if not isinstance(phrase, str) or not phrase.strip():
        raise CodingError(45, f"{doc_name}: the phrase to code is empty ({phrase!r}). Give "
                          "the words to code as they are written in the document.")
    found = [m.span() for m in re.finditer(re.escape(phrase), text)]
    if len(found) >= wanted:
        return found[wanted - 1]
    if found:
        raise CodingError(46, f"{doc_name}: '{phrase}' occurs {len(found)} time(s), so there "
                          f"is no occurrence {wanted}. Ask for occurrence 1 to {len(found)}.")
    near = close_matches(text, phrase)
    hint = (f" Close matches: {'; '.join(repr(n) for n in near)}." if near else
            " Nothing close to it is there either: check the document.")
    raise CodingError(47, f"{doc_name}: '{phrase}' is not in the text (the match is exact: "
                      f"case, spacing and punctuation as written).{hint}")


def close_matches(text: str, phrase: str) -> list[str]:
    """Passages of ``text`` with as many words as ``phrase`` that read most like it."""
    words = text.split()
    width = max(len(phrase.split()), 1)
    windows = dict.fromkeys(" ".join(words[i:i + width])
                            for i in range(max(len(words) - width + 1, 0)))
    return difflib.get_close_matches(phrase, list(windows), n=_CLOSE_MATCHES,
                                     cutoff=_CLOSE_CUTOFF)


def code_text(conn: sqlite3.Connection, doc: str, phrase: str, code_name: str, coder: str,
              *, occurrence: int = 1) -> Coding:
    """Code the ``occurrence``-th exact occurrence of ``phrase`` in document ``doc`` (id or
    name) with ``code_name``, in the caller's transaction; see ``Project.code_text``."""
    found = document(conn, doc)
    start, end = phrase_span(found.name, found.text, phrase, occurrence)
    return code(conn, found.doc_id, start, end, code_name, coder)
