"""Speaker turns in transcripts: ``Speaker: text``, ``[00:12:31] Speaker:`` and ``Q:``/``A:``.

A turn begins at a line that starts with a speaker label and runs until the next such line,
so a turn may span several lines or paragraphs. The label is markup, not speech: a turn's
span covers what the speaker said, from just after the label to the last non-blank character.

A label counts as a speaker when it carries a timestamp, is ``Q`` or ``A``, is named by the
caller, opens at least two lines, or comes after the first such turn. The rules keep header
lines such as ``Date: 2025-04-28`` from being read as a speaker who spoke once.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

_STAMP = r"[\[(]?(?P<stamp>\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?)[\])]?"
_SPEAKER = r"(?P<speaker>[^\W\d_][\w'’.\-]*(?: [\w'’.\-]+){0,3})"
_STAMP_AFTER = r"[\[(](?P<stamp_after>\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?)[\])]"
LABEL_LINE = re.compile(
    rf"^[ \t]*(?:{_STAMP}[ \t]+)?{_SPEAKER}(?:[ \t]+{_STAMP_AFTER})?[ \t]*:"
    r"(?:[ \t]+(?=[^\n]*\S)|[ \t]*\n(?=[ \t]*\S))",
    re.MULTILINE,
)
#: How a spoken turn's words end, unlike a header value such as a date or a ward.
_SENTENCE_END = re.compile(r"[.?!…][\"'”’)\]]*\Z")
LABEL_IN_CUE = re.compile(rf"^{_SPEAKER}:\s+(?=\S)")
_ALWAYS = {"Q", "A"}


@dataclass(frozen=True)
class Turn:
    """One speaker turn: ``text[start:end]`` is what the speaker said."""

    start: int
    end: int
    speaker: str
    t_start: float | None = None
    t_end: float | None = None
    label_start: int | None = None


def parse_timestamp(stamp: str | None) -> float | None:
    """``01:02:03.5`` -> 3723.5 seconds; ``12:31`` is minutes and seconds."""
    if not stamp:
        return None
    clock, _, fraction = stamp.replace(",", ".").partition(".")
    parts = [int(p) for p in clock.split(":")]
    while len(parts) < 3:
        parts.insert(0, 0)
    hours, minutes, seconds = parts
    return hours * 3600 + minutes * 60 + seconds + (float(f"0.{fraction}") if fraction else 0.0)


def parse_turns(text: str, speakers: set[str] | None = None) -> list[Turn]:
    """Find the speaker turns in ``text``; an empty list when it is not a transcript."""
    matches = list(LABEL_LINE.finditer(text))
    counts = Counter(m.group("speaker") for m in matches)
    named = speakers or set()
    first = next((i for i, m in enumerate(matches)
                  if _stamp(m) or m.group("speaker") in _ALWAYS | named
                  or counts[m.group("speaker")] >= 2), None)
    if first is None:
        return []
    while first > 0 and _opens_the_transcript(text, matches[first - 1], matches[first]):
        first -= 1
    accepted = matches[first:]
    turns: list[Turn] = []
    for i, match in enumerate(accepted):
        limit = accepted[i + 1].start() if i + 1 < len(accepted) else len(text)
        body = text[match.end():limit].rstrip()
        start = match.end() + len(body) - len(body.lstrip())
        if start >= match.end() + len(body):
            continue
        turns.append(Turn(
            start=start, end=match.end() + len(body), speaker=match.group("speaker"),
            t_start=parse_timestamp(_stamp(match)), label_start=match.start(),
        ))
    return _with_end_times(turns)


def _stamp(match: re.Match) -> str | None:
    return match.group("stamp") or match.group("stamp_after")


def _alone(match: re.Match) -> bool:
    """Whether the label stands alone on its line (the words start on the next)."""
    return match.group().endswith("\n")


def _opens_the_transcript(text: str, label: re.Match, first_sure: re.Match) -> bool:
    """Whether a once-only label just before the first sure one is a turn, not a header."""
    if _alone(label) != _alone(first_sure) or bool(_stamp(label)) != bool(_stamp(first_sure)):
        return False
    words = text[label.end():first_sure.start()].strip()
    return _alone(label) or bool(_SENTENCE_END.search(words))


def _with_end_times(turns: list[Turn]) -> list[Turn]:
    """A timestamped turn ends when the next timestamped turn begins."""
    result = []
    for i, turn in enumerate(turns):
        following = turns[i + 1].t_start if i + 1 < len(turns) else None
        if turn.t_start is not None and turn.t_end is None and following is not None:
            turn = Turn(turn.start, turn.end, turn.speaker, turn.t_start, following,
                        turn.label_start)
        result.append(turn)
    return result
