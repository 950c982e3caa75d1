"""Segmentation into speaker turns, paragraphs and sentences with exact character offsets.

For every segment ``document.text[start:end] == segment text``: segments are spans of the
canonical text, never copies. Paragraphs are blocks between blank lines, trimmed of
surrounding white space and of a leading speaker label. Sentences come from spaCy
(Honnibal et al., spaCy: Industrial-strength NLP, 2020) run over each paragraph; the
default pipeline is ``spacy.blank(lang)`` with the rule-based ``sentencizer``, which works
offline; an opening quote or bracket it leaves at the end of a sentence moves to the next.
Paragraphs and sentences inherit the speaker and times of the turn they fall in.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
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
    import spacy

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


def _rule_based(nlp: Language) -> bool:
    """True for the default pipeline: a tokenizer followed by the sentencizer alone."""
    return nlp.pipe_names == ["sentencizer"]


@lru_cache(maxsize=8)
def _final_flag(nlp: Language) -> int:
    """A lexeme flag, set once per vocabulary, for the sentencizer's sentence-final characters.

    A flag is computed once per distinct word and read back with ``Doc.to_array`` in C, so no
    Python runs per token.
    """
    finals = frozenset(nlp.get_pipe("sentencizer").punct_chars)
    return nlp.vocab.add_flag(lambda text: text in finals)


def _sentencizer_spans(columns: list[np.ndarray]) -> list[list[tuple[int, int]]]:
    """Sentence character spans of a batch of tokenized texts, as spaCy's ``Sentencizer``
    would split them, computed on arrays for the whole batch at once.

    ``columns`` holds, per text, its tokens' (final flag, IS_PUNCT, IDX, LENGTH). The rule,
    from ``spacy/pipeline/sentencizer.pyx``: a text's first token starts a sentence, and so
    does every token that is neither punctuation nor a sentence-final character when a
    sentence-final character has been seen since the previous sentence start. Since every
    such token with a final character before it starts a sentence, "since the previous
    start" equals "since the previous such token (or the text's start)", which a cumulative
    sum answers for every token of every text without a Python object per token.
    """
    sizes = np.array([len(c) for c in columns])
    if sizes.sum() == 0:
        return [[] for _ in columns]
    table = np.concatenate([c for c in columns if len(c)])
    text_start = np.repeat(np.cumsum(sizes) - sizes, sizes)  # each token's text's first token
    final = table[:, 0] == 1
    candidate = (table[:, 1] == 0) & ~final
    seen = np.concatenate(([0], np.cumsum(final)))  # final characters before each token
    positions = np.flatnonzero(candidate)
    previous = np.concatenate(([-1], positions[:-1]))
    bound = np.maximum(previous + 1, text_start[positions])
    firsts = (np.cumsum(sizes) - sizes)[sizes > 0]
    starts = np.union1d(firsts, positions[seen[positions] - seen[bound] > 0])
    ends = np.append(starts[1:], len(table)) - 1  # a text's first token closes the one before
    spans = zip(table[starts, 2].tolist(), (table[ends, 2] + table[ends, 3]).tolist(),
                strict=True)
    owner = np.repeat(np.arange(len(columns)), sizes)[starts]
    out: list[list[tuple[int, int]]] = [[] for _ in columns]
    for text, span in zip(owner.tolist(), spans, strict=True):
        out[text].append(span)
    return out


def sentence_spans(nlp: Language, texts) -> Iterator[list[tuple[int, int]]]:
    """Character spans of the sentences of each text, one list per text, as spaCy splits them.

    The default pipeline takes a fast path with the same result as ``nlp.pipe`` followed by
    ``doc.sents`` (tested); any other pipeline runs in full.
    """
    from spacy.attrs import IDX, IS_PUNCT, LENGTH

    if not _rule_based(nlp):
        for doc in nlp.pipe(texts, batch_size=256):
            yield [(sent.start_char, sent.end_char) for sent in doc.sents]
        return
    attributes = [_final_flag(nlp), IS_PUNCT, IDX, LENGTH]
    batch: list[np.ndarray] = []
    for doc in nlp.tokenizer.pipe(texts, batch_size=256):
        batch.append(doc.to_array(attributes).reshape(-1, 4).astype(np.int64))
        if len(batch) == 512:
            yield from _sentencizer_spans(batch)
            batch = []
    if batch:
        yield from _sentencizer_spans(batch)


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


#: Marks that open a quotation or an aside: when the sentencizer leaves one at the end of a
#: sentence, it belongs to the next.
OPENING_MARKS = frozenset('"\'“‘«‹([{¿¡')


def _opening_cut(text: str, start: int, end: int, floor: int) -> int:
    """Where the opening marks that end the sentence ``text[start:end]`` begin (``end`` if
    none do): marks that the next sentence should start with.

    spaCy's rule-based sentencizer starts a sentence at the first token after a sentence-final
    character that is not punctuation, so in ``He left. "Come back," she said.`` the opening
    quote stays with ``He left.``. A mark counts as opening when white space (or the start of
    its paragraph, ``floor``) comes before it; ``he said "stop."`` keeps its closing quote.
    """
    run = end  # the sentence's tail of marks and white space begins here
    while run > start and (text[run - 1] in OPENING_MARKS or text[run - 1].isspace()):
        run -= 1
    return next((k for k in range(run, end) if text[k] in OPENING_MARKS
                 and (k == floor or text[k - 1].isspace())), end)


def segment_rows(text: str, turns: list[Turn], nlp: Language) -> Iterator[tuple]:
    """The segments of one document as plain tuples (unit, ordinal, start, end, speaker,
    t_start, t_end), in text order: the import's hot path, with no object per segment."""
    for ordinal, turn in enumerate(turns):
        yield ("turn", ordinal, turn.start, turn.end, turn.speaker, turn.t_start, turn.t_end)
    starts = [t.start for t in turns]
    paragraphs = paragraph_spans(text, turns)
    sentence_ordinal = 0
    spans = sentence_spans(nlp, (text[s:e] for s, e in paragraphs))
    for ordinal, ((p_start, p_end), sentences) in enumerate(zip(paragraphs, spans, strict=True)):
        turn = _turn_at(turns, starts, p_start)
        who = (turn.speaker, turn.t_start, turn.t_end) if turn else (None, None, None)
        yield ("paragraph", ordinal, p_start, p_end, *who)
        moved, last = None, len(sentences) - 1
        for k, (s_start, s_end) in enumerate(sentences):
            start, end = (p_start + s_start if moved is None else moved), p_start + s_end
            moved = None
            if k < last and text[end - 1] in OPENING_MARKS:
                cut = _opening_cut(text, start, end, p_start)
                if cut < end:
                    end, moved = cut, cut
            if text[start].isspace() or text[end - 1].isspace():
                start, end = _trim(text, start, end)
            if start < end:
                yield ("sentence", sentence_ordinal, start, end, *who)
                sentence_ordinal += 1


def segment(text: str, turns: list[Turn], nlp: Language) -> Iterator[Segment]:
    """Yield the turn, paragraph and sentence segments of one document, in text order."""
    for row in segment_rows(text, turns, nlp):
        yield Segment(*row)
