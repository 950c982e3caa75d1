"""Segmentation into speaker turns, paragraphs and sentences with exact character offsets.

For every segment ``document.text[start:end] == segment text``: segments are spans of the
canonical text, never copies. Paragraphs are blocks between blank lines, trimmed of
surrounding white space and of a leading speaker label. Sentences come from spaCy
(Honnibal et al., spaCy: Industrial-strength NLP, 2020) run over each paragraph; the
default pipeline is ``spacy.blank(lang)`` with the rule-based ``sentencizer``, which works
offline. Paragraphs and sentences inherit the speaker and times of the turn they fall in.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import spacy
from spacy.language import Language

from workbench.corpus.transcript import Turn
from workbench.errors import ProjectError

UNITS = ("turn", "paragraph", "sentence")
_BLANK_LINES = re.compile(r"\n[ \t]*\n\s*")


@dataclass(frozen=True)
class Segment:
    """A span of a document: ``text[start:end]``."""

    unit: str
    ordinal: int
    start: int
    end: int
    speaker: str | None = None
    t_start: float | None = None
    t_end: float | None = None


@lru_cache(maxsize=4)
def sentence_pipeline(language: str = "en", model: str | None = None) -> Language:
    """The spaCy pipeline that splits sentences: a named installed one, or blank + sentencizer.

    Only what sentence splitting needs is run: an installed pipeline keeps its parser or
    senter and drops the rest (taggers and NER would cost time at import for nothing).
    """
    if model is None:
        nlp = spacy.blank(language)
        nlp.add_pipe("sentencizer")
        return nlp
    try:
        nlp = spacy.load(model)
    except OSError as err:
        raise ProjectError(
            6, f"the spaCy pipeline '{model}' is not installed. Install it with pip, or use "
            "the default (no model) which splits sentences offline."
        ) from err
    keep = {"parser", "senter", "sentencizer", "tok2vec", "transformer"}
    for name in list(nlp.pipe_names):
        if name not in keep:
            nlp.remove_pipe(name)
    if not {"parser", "senter", "sentencizer"} & set(nlp.pipe_names):
        nlp.add_pipe("sentencizer")
    return nlp


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def paragraph_spans(text: str, turns: list[Turn]) -> list[tuple[int, int]]:
    """Blocks between blank lines, also cut where a turn begins, trimmed, labels cut off."""
    content_starts = {}
    for turn in turns:
        label_start = turn.label_start
        if label_start is None:
            label_start = text.rfind("\n", 0, turn.start) + 1
        content_starts[label_start] = turn.start
    cuts = sorted(content_starts)
    spans, begin = [], 0
    for separator in [*_BLANK_LINES.finditer(text), None]:
        stop = separator.start() if separator else len(text)
        inner = cuts[bisect.bisect_right(cuts, begin):bisect.bisect_left(cuts, stop)]
        for a, b in zip([begin, *inner], [*inner, stop], strict=True):
            start, end = _trim(text, a, b)
            start = content_starts.get(start, start)
            if start < end:
                spans.append((start, end))
        if separator:
            begin = separator.end()
    return spans


def _turn_at(turns: list[Turn], starts: list[int], position: int) -> Turn | None:
    index = bisect.bisect_right(starts, position) - 1
    if index >= 0 and turns[index].start <= position < turns[index].end:
        return turns[index]
    return None


def segment(text: str, turns: list[Turn], nlp: Language) -> Iterator[Segment]:
    """Yield the turn, paragraph and sentence segments of one document, in text order."""
    for ordinal, turn in enumerate(turns):
        yield Segment("turn", ordinal, turn.start, turn.end, turn.speaker, turn.t_start,
                      turn.t_end)
    starts = [t.start for t in turns]
    paragraphs = paragraph_spans(text, turns)
    sentence_ordinal = 0
    docs = nlp.pipe((text[s:e] for s, e in paragraphs), batch_size=256)
    for ordinal, ((p_start, p_end), doc) in enumerate(zip(paragraphs, docs, strict=True)):
        turn = _turn_at(turns, starts, p_start)
        who = (turn.speaker, turn.t_start, turn.t_end) if turn else (None, None, None)
        yield Segment("paragraph", ordinal, p_start, p_end, *who)
        for sent in doc.sents:
            start, end = _trim(text, p_start + sent.start_char, p_start + sent.end_char)
            if start < end:
                yield Segment("sentence", sentence_ordinal, start, end, *who)
                sentence_ordinal += 1
