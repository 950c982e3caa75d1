"""Captions from recorded calls: WebVTT (.vtt) and SubRip (.srt).

Cues are found by their timing lines, so no cue is lost or merged with another when a
SubRip file leaves out a cue number or the blank line between cues, numbers cues with words,
or has Windows line endings. A line before a timing line is the cue's identifier; text that
belongs to no cue is refused, naming its line, rather than dropped. Cue text is rendered with
webvtt-py (tags such as ``<i>`` and ``<c.x>`` removed, ``<v Name>`` read as the speaker), then
WebVTT character references (``&amp;``, ``&lt;``, ``&#39;``) are decoded, as the WebVTT
specification [1]_ requires; SubRip has no escapes, so its text is kept as written. In WebVTT
a ``-->`` inside cue text ends the cue for a player, so it is refused with the fix (``--&gt;``);
in SubRip a line that is not a timing line is text, whatever it holds.

Consecutive cues of one speaker become one turn, as a person reading the transcript would
see it. The speaker is the cue's voice tag (``<v P07>``) or a ``Name:`` label at the start of
the cue text; a cue with neither continues the previous speaker's turn. WebVTT ``NOTE`` blocks
and the ``NOTE:`` cues that caption tools write into SubRip (which has no comments) are
header text at the top of the document, not a speaker.
The canonical text renders each turn as ``[HH:MM:SS] Speaker: words`` with a blank line
between turns; the turn records the exact start and end times of its cues.

References
----------
.. [1] W3C, "WebVTT: The Web Video Text Tracks Format", Candidate Recommendation 2019,
   section 4.2.2 (cue text escapes) and 6.1 (parsing: a line with "-->" starts a cue).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

import webvtt

from workbench.corpus.header import header_date
from workbench.corpus.normalise import decode, normalise
from workbench.corpus.readers.base import SourceDocument
from workbench.corpus.transcript import LABEL_IN_CUE
from workbench.errors import ImportError_

_TIME = r"(?:(\d{1,}):)?(\d{2}):(\d{2})[.,](\d{3})"
_TIMING = re.compile(rf"^\s*{_TIME}\s+-->\s+{_TIME}(?:\s+.*)?$")
#: WebVTT blocks that are not cues: comments, style sheets and regions.
_VTT_BLOCKS = ("NOTE", "STYLE", "REGION")


@dataclass(frozen=True)
class _Cue:
    """One cue as written: its times in seconds and its text lines."""

    start: float
    end: float
    lines: tuple[str, ...]


def _seconds(h: str | None, m: str, s: str, ms: str) -> float:
    return int(h or 0) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000


def _timing(line: str, number: int, name: str, vtt: bool) -> tuple[float, float]:
    """The start and end of a timing line, or an error naming the line."""
    match = _TIMING.match(line)
    if not match:
        fmt = "HH:MM:SS.mmm --> HH:MM:SS.mmm" if vtt else "HH:MM:SS,mmm --> HH:MM:SS,mmm"
        raise ImportError_(
            12, f'{name} line {number}: cue timing "{line.strip()}" is not {fmt}. '
            "Fix the line or export the transcript again."
        )
    g = match.groups()
    start, end = _seconds(*g[0:4]), _seconds(*g[4:8])
    if end < start:
        raise ImportError_(
            13, f'{name} line {number}: cue "{line.strip()}" ends before it starts. '
            "Fix the times or export the transcript again."
        )
    return start, end


def _first_line(lines: list[str], name: str, vtt: bool) -> int:
    """Index of the first line after the WebVTT header block (0 for SubRip)."""
    if not vtt:
        return 0
    if not lines[0].startswith("WEBVTT"):
        raise ImportError_(
            11, f"{name} line 1: a WebVTT file must start with 'WEBVTT', found "
            f"'{lines[0][:40]}'. Export the captions again as WebVTT."
        )
    return next((i for i, line in enumerate(lines) if not line.strip()), len(lines))


def _cue_body(lines: list[str], i: int, name: str, vtt: bool) -> list[str]:
    """The text lines of the cue whose timing line is ``lines[i - 1]``."""
    body = []
    while i < len(lines) and lines[i].strip() and not _TIMING.match(lines[i]):
        if vtt and "-->" in lines[i]:
            raise ImportError_(
                32, f"{name} line {i + 1}: the cue text holds '-->', which WebVTT keeps for "
                "cue timings (a player ends the cue there and drops the rest). Write it as "
                "'--&gt;' in the file."
            )
        body.append(lines[i])
        i += 1
    if i < len(lines) and body and body[-1].strip().isdigit():
        body.pop()  # the next cue's number, written without a blank line before it
    return body


def _refuse_loose(block: list[tuple[int, str]], name: str, vtt: bool) -> None:
    """Refuse lines between cues that are neither an identifier nor a WebVTT block."""
    if not block or (vtt and block[0][1].startswith(_VTT_BLOCKS)):
        return
    number, line = block[0]
    raise ImportError_(
        33, f"{name} line {number}: '{line.strip()[:60]}' belongs to no cue (no timing line "
        "above it), so it would be lost. Add the cue's timing line, join it to the cue "
        "above (no blank line inside a cue), or remove it."
    )


def _cues(text: str, name: str, *, vtt: bool) -> list[_Cue]:
    """Every cue of a caption file, found by its timing line."""
    lines = text.split("\n")
    cues, block, i = [], [], _first_line(lines, name, vtt)
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            _refuse_loose(block, name, vtt)
            block, i = [], i + 1
        elif "-->" in line and not (vtt and block and block[0][1].startswith(_VTT_BLOCKS)):
            start, end = _timing(line, i + 1, name, vtt)
            _refuse_loose(block[:-1], name, vtt)  # one line before a timing: its identifier
            body = _cue_body(lines, i + 1, name, vtt)
            cues.append(_Cue(start, end, tuple(body)))
            block, i = [], i + 1 + len(body)
            while i < len(lines) and lines[i].strip() and not _TIMING.match(lines[i]):
                block.append((i + 1, lines[i]))  # the next cue's identifier
                i += 1
        else:
            block.append((i + 1, line))
            i += 1
    _refuse_loose(block, name, vtt)
    return cues


def _cue_text(cue: _Cue, vtt: bool) -> tuple[str | None, str]:
    """The speaker named by a voice tag (or None) and the cue's words on one line."""
    caption = webvtt.Caption(_stamp(cue.start), _stamp(cue.end), list(cue.lines))
    words = " ".join(caption.text.split())
    return caption.voice, html.unescape(words) if vtt else words


def _stamp(seconds: float) -> str:
    millis = round(seconds * 1000)
    return f"{millis // 3_600_000:02d}:{millis // 60_000 % 60:02d}:{millis // 1000 % 60:02d}" \
           f".{millis % 1000:03d}"


def _clock(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def _notes(text: str) -> list[str]:
    """The text of WebVTT ``NOTE`` blocks (a recording's header often sits there)."""
    notes = []
    for block in re.split(r"\n\s*\n", text):
        if block.startswith("NOTE"):
            body = " ".join(block[4:].split())
            if body:
                notes.append(body)
    return notes


def _turns_from_cues(cues: list[_Cue], name: str, notes: list[str], *,
                     vtt: bool) -> tuple[str, tuple]:
    """Merge cues into turns; return the rendered text and the explicit turns."""
    merged: list[list] = []  # [speaker, [words...], t_start, t_end]
    header: list[str] = list(notes)
    for cue in cues:
        speaker, words = _cue_text(cue, vtt)
        if not words:
            continue
        if speaker is None:
            label = LABEL_IN_CUE.match(words)
            if label:
                speaker, words = label.group("speaker"), words[label.end():]
        start, end = cue.start, cue.end
        if speaker == "NOTE" or (speaker is None and not merged):
            header.append(words)
        elif speaker is None or (merged and merged[-1][0] == speaker):
            merged[-1][1].append(words)
            merged[-1][3] = end
        else:
            merged.append([speaker, [words], start, end])
    if not merged:
        raise ImportError_(
            14, f"{name}: no captions with text were found. Check that the file holds cues."
        )
    parts = [h + "\n\n" for h in header]
    offset = sum(len(p) for p in parts)
    turns = []
    for speaker, words, t_start, t_end in merged:
        prefix = f"[{_clock(t_start)}] {speaker}: "
        body = " ".join(words)
        turns.append((offset + len(prefix), offset + len(prefix) + len(body), speaker,
                      t_start, t_end))
        parts.append(prefix + body + "\n\n")
        offset += len(prefix) + len(body) + 2
    return normalise("".join(parts)), tuple(turns)


def _read(path: Path, data: bytes, encoding: str | None, fmt: str) -> list[SourceDocument]:
    decoded = decode(data, path, encoding)
    text = normalise(decoded.text)
    vtt = fmt == "vtt"
    cues = _cues(text, path.name, vtt=vtt)
    rendered, turns = _turns_from_cues(cues, path.name, _notes(text) if vtt else [], vtt=vtt)
    # The header (a WebVTT NOTE block, or a first SubRip cue) often dates the recording.
    date = header_date("\n".join(line for line in text.split("\n") if "-->" not in line))
    return [SourceDocument(name=path.name, text=rendered, format=fmt,
                           encoding=decoded.encoding, kind="interview", turns=turns,
                           attributes={"date": date} if date else {})]


def read_vtt(path: Path, data: bytes, *, encoding: str | None = None) -> list[SourceDocument]:
    """Read a WebVTT file (voice tags ``<v Name>`` name the speakers)."""
    return _read(path, data, encoding, "vtt")


def read_srt(path: Path, data: bytes, *, encoding: str | None = None) -> list[SourceDocument]:
    """Read a SubRip file (``Name:`` at the start of a cue names the speaker)."""
    return _read(path, data, encoding, "srt")
