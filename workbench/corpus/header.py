"""Dates written in a document's header, such as ``Field note - 4N - 2025-03-31``."""

from __future__ import annotations

import re
from datetime import datetime

_ISO_DATE = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")
_LONG_DATE = re.compile(r"\b(\d{1,2} [A-Z][a-z]+ \d{4}|[A-Z][a-z]+ \d{1,2}, \d{4})\b")
#: How many non-blank lines count as the header.
HEADER_LINES = 5


def header_date(text: str) -> str | None:
    """An ISO date from the first lines of ``text``, if one is written there.

    Accepts ``2025-03-31``, ``31 March 2025`` and ``March 31, 2025``; the first found wins.
    """
    lines = [line for line in text.split("\n", 40) if line.strip()][:HEADER_LINES]
    head = "\n".join(lines)
    if match := _ISO_DATE.search(head):
        return match.group(1)
    if match := _LONG_DATE.search(head):
        for fmt in ("%d %B %Y", "%B %d, %Y"):
            try:
                return datetime.strptime(match.group(1), fmt).date().isoformat()
            except ValueError:
                continue
    return None
