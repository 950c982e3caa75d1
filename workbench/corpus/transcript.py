"""Speaker turns in transcripts: ``Speaker: text``, ``[00:12:31] Speaker:`` and ``Q:``/``A:``.

A turn begins at a line that starts with a speaker label and runs until the next such line,
so a turn may span several lines or paragraphs. The label is markup, not speech: a turn's
span covers what the speaker said, from just after the label to the last non-blank character.

Found automatically, a text is a transcript only on strong evidence, so that comment threads,
minutes and notes full of ``Note:`` or ``Re:`` lines are not read as conversations:

- a label counts as a speaker when it carries a timestamp, is ``Q`` or ``A``, or looks like a
  name or speaker id (it starts with a capital letter or is a code such as ``P01``) and is not
  a field or annotation word (``Note``, ``Comment``, ``Reply``, ``Subject``, ...: see
  :data:`NOT_SPEAKERS`);
- the transcript starts at the first timestamped, ``Q``/``A`` or repeated speaker label (a
  once-only label just before it opens it too, unless it reads like a header such as
  ``Date: 2025-04-28``);
- without timestamps or ``Q``/``A``, at least two speakers take turns, one of them at least
  twice; the speaker changes at least every other turn (:data:`MIN_CHANGES`); and at least
  one non-blank line in five, from the first turn on, opens a turn (:data:`MIN_LABEL_SHARE`).

A caller who knows the speakers says so instead (``speakers=``: a list of labels or a regular
expression), and then only those labels open turns, with no evidence asked for.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
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
#: Labels that head fields, comments and annotations rather than name a speaker (compared
#: without case). English only: in other languages name the speakers (``speakers=``).
NOT_SPEAKERS = frozenset({
    "action", "actions", "agenda", "attendees", "author", "bcc", "cc", "comment", "comments",
    "date", "decision", "edit", "edited", "example", "from", "link", "location", "note",
    "notes", "nb", "posted", "posted by", "ps", "quote", "re", "reply", "replies", "sent",
    "source", "status", "subject", "summary", "tags", "thread", "time", "title", "to", "todo",
    "topic", "update", "updated", "url", "warning",
})
#: The least share of consecutive turns by different speakers (a conversation alternates).
MIN_CHANGES = 0.5
#: The least share of the non-blank lines, from the first turn on, that open a turn.
MIN_LABEL_SHARE = 0.2


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


def parse_turns(text: str, speakers: Sequence[str] | str | None = None) -> list[Turn]:
    """Find the speaker turns in ``text``; an empty list when it is not a transcript.

    Parameters
    ----------
    text : the canonical text of a document.
    speakers : None to find the speakers on the evidence the module describes; a list of
        labels (only these open turns, as ``Maya:`` or ``[00:01:02] Maya:``); or a regular
        expression matched at the start of each line, whose match is the label (its
        ``speaker`` group, else the match without the colon, is the speaker; a ``stamp``
        group is read as the turn's time).
    """
    if speakers is not None:
        return _turns(text, list(named_labels(speakers).finditer(text)))
    matches = [m for m in LABEL_LINE.finditer(text) if _looks_like_a_speaker(m)]
    counts = Counter(m.group("speaker") for m in matches)
    first = next((i for i, m in enumerate(matches)
                  if _sure(m) or counts[m.group("speaker")] >= 2), None)
    if first is None:
        return []
    while first > 0 and _opens_the_transcript(text, matches[first - 1], matches[first]):
        first -= 1
    accepted = matches[first:]
    if not any(_sure(m) for m in accepted) and not _converses(text, accepted):
        return []
    return _turns(text, accepted)


def named_labels(speakers: Sequence[str] | str) -> re.Pattern:
    """The pattern of the labels a caller names: a list of labels, or a regular expression.

    A list becomes the usual label line with only these names as the speaker; a string is
    compiled as it is, matched at the start of each line.
    """
    if isinstance(speakers, str):
        return re.compile(speakers if speakers.startswith("^") else f"^{speakers}",
                          re.MULTILINE)
    names = "|".join(re.escape(s) for s in sorted(speakers, key=len, reverse=True))
    return re.compile(LABEL_LINE.pattern.replace(_SPEAKER, f"(?P<speaker>{names})"),
                      re.MULTILINE)


def _turns(text: str, labels: list[re.Match]) -> list[Turn]:
    """The turns that ``labels`` open: each runs to the next label (or the end)."""
    turns: list[Turn] = []
    for i, match in enumerate(labels):
        limit = labels[i + 1].start() if i + 1 < len(labels) else len(text)
        body = text[match.end():limit].rstrip()
        start = match.end() + len(body) - len(body.lstrip())
        if start >= match.end() + len(body):
            continue
        turns.append(Turn(
            start=start, end=match.end() + len(body), speaker=_speaker(match),
            t_start=parse_timestamp(_stamp(match)), label_start=match.start(),
        ))
    return _with_end_times(turns)


def _speaker(match: re.Match) -> str:
    """The speaker a label names: its ``speaker`` group, else the label without its colon."""
    named = match.groupdict().get("speaker")
    return named if named else match.group().strip().rstrip(":").strip()


def _sure(match: re.Match) -> bool:
    """A timestamped label, or ``Q``/``A``: a transcript's mark whatever else the text holds."""
    return bool(_stamp(match)) or match.group("speaker") in _ALWAYS


def _looks_like_a_speaker(match: re.Match) -> bool:
    """A name or speaker id (``Maya``, ``Dr. Okafor``, ``P01``), not a field word."""
    label = match.group("speaker")
    return _sure(match) or (label[0].isupper() and label.lower() not in NOT_SPEAKERS)


def _converses(text: str, labels: list[re.Match]) -> bool:
    """Whether untimed labels read as a conversation (see the module's evidence rules)."""
    speakers = [m.group("speaker") for m in labels]
    changes = sum(a != b for a, b in zip(speakers, speakers[1:], strict=False))
    lines = sum(1 for line in text[labels[0].start():].splitlines() if line.strip())
    return (len(set(speakers)) >= 2 and changes >= MIN_CHANGES * (len(speakers) - 1)
            and len(labels) >= MIN_LABEL_SHARE * lines)


def _stamp(match: re.Match) -> str | None:
    groups = match.groupdict()
    return groups.get("stamp") or groups.get("stamp_after")


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
