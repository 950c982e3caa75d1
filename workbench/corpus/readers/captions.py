"""Captions from recorded calls: WebVTT (.vtt) and SubRip (.srt), parsed with webvtt-py.

Consecutive cues of one speaker become one turn, as a person reading the transcript would
see it. The speaker is the cue's voice tag (``<v P07>``) or a ``Name:`` label at the start of
the cue text; a cue with neither continues the previous speaker's turn. WebVTT ``NOTE`` blocks
and the ``NOTE:`` cues that caption tools write into SubRip (which has no comments) are
header text at the top of the document, not a speaker.
The canonical text renders each turn as ``[HH:MM:SS] Speaker: words`` with a blank line
between turns; the turn records the exact start and end times of its cues.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import webvtt
from webvtt.errors import MalformedCaptionError, MalformedFileError

from workbench.corpus.header import header_date
from workbench.corpus.normalise import decode, normalise
from workbench.corpus.readers.base import SourceDocument
from workbench.corpus.transcript import LABEL_IN_CUE
from workbench.errors import ImportError_

_TIME = r"(?:(\d{1,}):)?(\d{2}):(\d{2})[.,](\d{3})"
_TIMING = re.compile(rf"^\s*{_TIME}\s+-->\s+{_TIME}(?:\s+.*)?$")


def _seconds(h: str | None, m: str, s: str, ms: str) -> float:
    return int(h or 0) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000


def _check_timings(text: str, name: str, *, vtt: bool) -> None:
    """Name the first line whose cue timing is malformed; webvtt-py does not say which."""
    lines = text.split("\n")
    if vtt and not lines[0].startswith("WEBVTT"):
        raise ImportError_(
            11, f"{name} line 1: a WebVTT file must start with 'WEBVTT', found "
            f"'{lines[0][:40]}'. Export the captions again as WebVTT."
        )
    fmt = "HH:MM:SS.mmm --> HH:MM:SS.mmm" if vtt else "HH:MM:SS,mmm --> HH:MM:SS,mmm"
    for number, line in enumerate(lines, start=1):
        if "-->" not in line:
            continue
        match = _TIMING.match(line)
        if not match:
            raise ImportError_(
                12, f'{name} line {number}: cue timing "{line.strip()}" is not {fmt}. '
                "Fix the line or export the transcript again."
            )
        g = match.groups()
        if _seconds(*g[4:8]) < _seconds(*g[0:4]):
            raise ImportError_(
                13, f'{name} line {number}: cue "{line.strip()}" ends before it starts. '
                "Fix the times or export the transcript again."
            )


def _clock(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def _cue_seconds(stamp: str) -> float:
    return _seconds(*re.fullmatch(_TIME, stamp.strip()).groups())


def _notes(text: str) -> list[str]:
    """The text of WebVTT ``NOTE`` blocks (a recording's header often sits there)."""
    notes = []
    for block in re.split(r"\n\s*\n", text):
        if block.startswith("NOTE"):
            body = " ".join(block[4:].split())
            if body:
                notes.append(body)
    return notes


def _turns_from_cues(captions, name: str, notes: list[str]) -> tuple[str, tuple]:
    """Merge cues into turns; return the rendered text and the explicit turns."""
    merged: list[list] = []  # [speaker, [words...], t_start, t_end]
    header: list[str] = list(notes)
    for caption in captions:
        words = " ".join(caption.text.split())
        if not words:
            continue
        speaker = caption.voice
        if speaker is None:
            label = LABEL_IN_CUE.match(words)
            if label:
                speaker, words = label.group("speaker"), words[label.end():]
        start, end = _cue_seconds(caption.start), _cue_seconds(caption.end)
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
    _check_timings(text, path.name, vtt=fmt == "vtt")
    try:
        captions = webvtt.from_buffer(io.StringIO(text), format=fmt)
    except (MalformedFileError, MalformedCaptionError) as err:
        raise ImportError_(
            15, f"{path.name}: not a valid {fmt.upper()} file ({err}). Export it again."
        ) from err
    rendered, turns = _turns_from_cues(captions, path.name,
                                       _notes(text) if fmt == "vtt" else [])
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
