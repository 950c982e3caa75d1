"""Selection positions of each program map onto workbench's canonical text exactly."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.corpus.normalise import normalise
from workbench.refi_qda._positions import SourceText, unit_for


@pytest.mark.parametrize(("origin", "unit"), [
    ("NVivo for Windows 12.6", "utf16"), ("NVivo for Mac 12.7.0", "utf16"),
    ("qc 1.3.2", "codepoint"), ("ATLAS.ti 8.4.0 573 , macOS", "codepoint"),
    ("workbench 0.1.0", "codepoint"), (None, "codepoint")])
def test_unit_by_program(origin, unit):
    assert unit_for(origin) == unit


def test_crlf_and_bom_as_nvivo_for_windows_counts_them():
    # Hand count: BOM not counted; "a\r\n" is 3 units, so "bé" starts at 3 and ends at 5.
    text = SourceText("\ufeffa\r\nbé\r\n", "utf16")
    assert text.text == "a\nbé\n" and text.length == 7
    assert text.text[text.to_canonical(3):text.to_canonical(5)] == "bé"
    # A position between \r and \n lands on the line end.
    assert text.to_canonical(2) == text.to_canonical(1) == 1


def test_emoji_count_two_utf16_units_and_one_code_point():
    raw = "👍 ok 🚨 go"  # hand count: 9 code points, 11 UTF-16 units; "go" is the last 2
    as_utf16, as_code_points = SourceText(raw, "utf16"), SourceText(raw, "codepoint")
    assert (as_utf16.length, as_code_points.length) == (11, 9)
    assert raw[as_utf16.to_canonical(9):as_utf16.to_canonical(11)] == "go"
    assert raw[as_code_points.to_canonical(7):as_code_points.to_canonical(9)] == "go"
    assert as_utf16.splits_character(1) and not as_utf16.splits_character(2)
    assert not as_code_points.splits_character(1)


def test_decomposed_text_maps_onto_its_composed_form():
    raw = "Zoe\u0308 said e\u0301"  # NFC composes each pair into one character
    text = SourceText(raw, "codepoint")
    assert text.text == "Zoë said é"
    assert text.text[text.to_canonical(5):text.to_canonical(9)] == "said"


def test_lone_carriage_returns_are_line_ends_of_the_same_length():
    text = SourceText("one\rtwo", "codepoint")
    assert text.text == "one\ntwo" and text.to_canonical(4) == 4


PIECES = ["a", "Z", " ", ".", "é", "e\u0301", "語", "👍", "🚨", "\n", "\r\n", "\u00a0"]


@given(pieces=st.lists(st.sampled_from(PIECES), min_size=1, max_size=40),
       bom=st.booleans(), unit=st.sampled_from(["utf16", "codepoint"]), data=st.data())
def test_every_selection_quotes_the_normalised_slice(pieces, bom, unit, data):
    raw = "".join(pieces)
    # Selection boundaries fall between pieces, as a person's selection does.
    bounds = [0]
    for piece in pieces:
        bounds.append(bounds[-1] + len(piece))
    first = data.draw(st.integers(0, len(pieces) - 1))
    last = data.draw(st.integers(first + 1, len(pieces)))
    start, end = bounds[first], bounds[last]

    def in_unit(index: int) -> int:
        return len(raw[:index].encode("utf-16-le")) // 2 if unit == "utf16" else index

    text = SourceText(("\ufeff" if bom else "") + raw, unit)
    assert text.text == normalise(raw)
    quote = text.text[text.to_canonical(in_unit(start)):text.to_canonical(in_unit(end))]
    assert quote == normalise(raw[start:end])
