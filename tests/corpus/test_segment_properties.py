"""Property: for any text and any transcript shape, every segment slices exactly its text."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.corpus import normalise, parse_turns, segment, sentence_pipeline

NLP = sentence_pipeline("en")

# No line or paragraph separators inside words, so that a turn has at most four lines and
# always meets the rule's least share of lines that open a turn (one in five).
words = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")),
    min_size=1, max_size=12,
).filter(lambda w: w.strip() and ":" not in w)
sentence = st.lists(words, min_size=1, max_size=8).map(" ".join).map(lambda s: s + ".")
speaker = st.sampled_from(["Interviewer", "P01", "Q", "A", "Dr Ruiz", "Renée"])
stamp = st.one_of(st.none(), st.tuples(st.integers(0, 2), st.integers(0, 59),
                                       st.integers(0, 59)))
line_break = st.sampled_from(["\n", "\r\n", "\n\n", "\n \n\t\n", "\r"])


@st.composite
def transcripts(draw):
    """Header lines, then turns with optional timestamps, multi-line and multi-paragraph."""
    parts = [draw(sentence) + draw(line_break) for _ in range(draw(st.integers(0, 2)))]
    expected = []
    for _ in range(draw(st.integers(1, 8))):
        who, when = draw(speaker), draw(stamp)
        prefix = f"[{when[0]:02d}:{when[1]:02d}:{when[2]:02d}] " if when else ""
        lines = draw(st.lists(sentence, min_size=1, max_size=4))
        body = draw(line_break).join(lines)
        parts.append(f"{prefix}{who}: {body}{draw(line_break)}")
        expected.append((who, when is not None))
    return "".join(parts), _expected_speakers(expected)


def _expected_speakers(turns: list[tuple[str, bool]]) -> list[str]:
    """The documented rule: turns count from the first timestamped, Q/A or repeated label,
    and from the once-only labels just before it laid out alike (every generated turn is
    inline and ends a sentence, so alike means: timestamped if and only if it is); without
    a timestamp or Q/A among them, only when two speakers or more take turns and the speaker
    changes at least every other turn (issue 17: a repeated label alone is no conversation)."""
    names = [who for who, _ in turns]
    for i, (who, stamped) in enumerate(turns):
        if stamped or who in ("Q", "A") or names.count(who) >= 2:
            first = i
            while first > 0 and turns[first - 1][1] == stamped:
                first -= 1
            return names[first:] if _converses(turns[first:]) else []
    return []


def _converses(turns: list[tuple[str, bool]]) -> bool:
    names = [who for who, _ in turns]
    changes = sum(a != b for a, b in zip(names, names[1:], strict=False))
    return any(stamped or who in ("Q", "A") for who, stamped in turns) or (
        len(set(names)) >= 2 and changes >= 0.5 * (len(names) - 1))


def _check(text, turns):
    found = list(segment(text, turns, NLP))
    for seg in found:
        piece = text[seg.start:seg.end]
        assert 0 <= seg.start < seg.end <= len(text)
        assert piece == piece.strip(), "segments are trimmed of white space"
    for unit in ("turn", "paragraph", "sentence"):
        ordinals = [s.ordinal for s in found if s.unit == unit]
        assert ordinals == list(range(len(ordinals)))
        starts = [s.start for s in found if s.unit == unit]
        assert starts == sorted(starts)
    return found


@settings(max_examples=300, deadline=None)
@given(transcripts())
def test_transcript_turns_and_segments_slice_their_text(shape):
    raw, speakers = shape
    text = normalise(raw)
    turns = parse_turns(text)
    assert [t.speaker for t in turns] == speakers
    found = _check(text, turns)
    for sentence_segment in (s for s in found if s.unit == "sentence"):
        inside = [t for t in turns if t.start <= sentence_segment.start < t.end]
        if inside:
            assert sentence_segment.end <= inside[0].end, "sentences never cross turns"
            assert sentence_segment.speaker == inside[0].speaker


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=1, max_size=400))
def test_any_text_segments_into_exact_slices(raw):
    text = normalise(raw)
    _check(text, parse_turns(text))


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(transcripts())
def test_stored_segment_text_equals_the_python_slice(tmp_path_factory, shape):
    """SQLite's substr and Python's slicing agree (both count code points, emoji included)."""
    from workbench import Project

    folder = tmp_path_factory.mktemp("p")
    (folder / "t.txt").write_text(shape[0] + " 👍🏽 e\u0301", encoding="utf-8")
    with Project.create(folder / "study") as project:
        project.import_files([folder / "t.txt"], progress=False)
        text = project.document("t.txt").text
        for unit in ("turn", "paragraph", "sentence"):
            for row in project.segments(unit).itertuples():
                assert text[row.start:row.end] == row.text


def _spacy_sentences(text):
    return [(s.start_char, s.end_char) for s in NLP(text).sents] if text else []


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab .!?\n\t,;:'\"()-…。！"))
               | st.characters(exclude_categories=("Cs",)),
               max_size=200))
def test_fast_sentence_spans_equal_spacys_sentencizer(text):
    """The array version of the sentencizer rule splits exactly where spaCy's does."""
    from workbench.corpus.segment import sentence_spans

    assert next(sentence_spans(NLP, [text])) == _spacy_sentences(text)


def test_fast_sentence_spans_equal_spacys_sentencizer_on_the_example_corpus():
    from tests.conftest import RIVERSIDE
    from workbench.corpus.segment import sentence_spans

    texts = [p.read_text(encoding="utf-8-sig") for p in RIVERSIDE.glob("fieldnotes/*.md")]
    texts += [p.read_text(encoding="utf-8-sig") for p in RIVERSIDE.glob("interviews/*.txt")]
    assert len(texts) == 24 + 6  # 24 field notes, 6 plain-text transcripts
    assert list(sentence_spans(NLP, texts)) == [_spacy_sentences(t) for t in texts]


def _sentences(text):
    return [text[s.start:s.end] for s in segment(text, [], NLP) if s.unit == "sentence"]


def test_an_opening_quote_or_bracket_starts_the_sentence_it_opens():
    # Split by hand; spaCy's sentencizer alone ends 'He left.' with the opening quote.
    text = ('He left. "Come back," she said. (Nobody came.) He said "stop." '
            "Then: “Why?” ‘Fine.’ One. \"(Two.)\" Three.")
    assert _sentences(text) == ["He left.", '"Come back," she said.', "(Nobody came.)",
                                'He said "stop."', "Then: “Why?”", "‘Fine.’", "One.",
                                '"(Two.)"', "Three."]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab .!?\n\"'()“‘[")), max_size=120))
def test_no_sentence_but_a_paragraphs_last_ends_on_an_opening_mark(raw):
    from workbench.corpus.segment import OPENING_MARKS

    text = normalise(raw)
    found = _check(text, [])
    paragraphs = [s for s in found if s.unit == "paragraph"]
    sentences = [s for s in found if s.unit == "sentence"]
    for first, second in zip(sentences, sentences[1:], strict=False):
        if not any(p.start <= first.start and second.end <= p.end for p in paragraphs):
            continue  # the last sentence of its paragraph
        assert not (text[first.end - 1] in OPENING_MARKS
                    and first.end - 1 > first.start and text[first.end - 2].isspace()), (
            text[first.start:first.end])
