"""YAML files in and out: lossless round trips, and errors that point at the line."""

from __future__ import annotations

from datetime import date

import pytest
import yaml
from hypothesis import HealthCheck, given, settings

from tests.codebook.codebook_strategies import codebooks
from workbench.codebook import (
    ChangelogEntry,
    Code,
    Codebook,
    load_codebook,
    save_codebook,
    to_markdown_table,
)
from workbench.errors import CodebookError


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(book=codebooks())
def test_yaml_round_trip_is_lossless(book, tmp_path):
    path = tmp_path / "book.yaml"
    save_codebook(book, path)
    again = load_codebook(path)
    assert again == book
    save_codebook(again, path)
    assert load_codebook(path) == book


def test_round_trip_of_a_hand_written_file(small, tmp_path):
    save_codebook(small, tmp_path / "saved.yaml")
    assert load_codebook(tmp_path / "saved.yaml") == small
    assert small.changelog[1] == ChangelogEntry(2, date(2026, 2, 1), "Added manual verification.")


def test_saved_file_leaves_out_empty_optional_fields(small, tmp_path):
    save_codebook(small, tmp_path / "saved.yaml")
    saved = yaml.safe_load((tmp_path / "saved.yaml").read_text(encoding="utf-8"))
    assert saved["codes"][2] == {
        "id": "distrust",
        "name": "Distrust",
        "definition": "Doubt about the score.",
    }


def test_yaml_syntax_error_names_file_line_and_column(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text(
        "title: Study\nversion: 1\ncodes:\n  - id: a\n    name: A\n   definition: bad indent\n",
        encoding="utf-8",
    )
    with pytest.raises(CodebookError) as caught:
        load_codebook(path)
    # Line 6 is the under-indented 'definition:' line written above.
    assert caught.value.code == "WB-CODEBOOK-002"
    assert str(caught.value).startswith("WB-CODEBOOK-002: broken.yaml line 6, column 4:")
    assert "Check the indentation" in str(caught.value)


def test_yaml_text_is_read_directly_and_named_in_errors():
    with pytest.raises(CodebookError, match="WB-CODEBOOK-002: codebook text line 2"):
        load_codebook("title: [unclosed\nversion: 1\n")


def test_missing_file_and_non_utf8_file(tmp_path):
    with pytest.raises(CodebookError, match="WB-CODEBOOK-001: .*nowhere.yaml: no such file"):
        load_codebook(tmp_path / "nowhere.yaml")
    latin1 = tmp_path / "latin1.yaml"
    latin1.write_bytes("title: Études\n".encode("latin-1"))
    with pytest.raises(CodebookError, match="WB-CODEBOOK-001: latin1.yaml: byte 7 is not UTF-8"):
        load_codebook(latin1)


def test_an_empty_file_says_what_a_codebook_needs(tmp_path):
    (tmp_path / "empty.yaml").write_text("", encoding="utf-8")
    with pytest.raises(CodebookError, match="WB-CODEBOOK-003: empty.yaml: .*is empty"):
        load_codebook(tmp_path / "empty.yaml")


def test_saving_an_invalid_codebook_writes_nothing(small, tmp_path):
    path = tmp_path / "book.yaml"
    save_codebook(small, path)
    before = path.read_bytes()
    broken = Codebook(small.title, small.version, codes=(Code("Bad Id", "X", definition="x"),))
    with pytest.raises(CodebookError, match="WB-CODEBOOK-007: book.yaml: code 'Bad Id' field 'id'"):
        save_codebook(broken, path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.yaml"]


def test_markdown_table_has_one_row_per_code(small):
    lines = to_markdown_table(small).splitlines()
    # A header, a rule, and SMALL_YAML's three codes.
    assert len(lines) == 5
    assert lines[3] == (
        "| manual-verification | Manual verification | repair | Checking the score's inputs by "
        "hand. | Elish & Watkins 2020 |"
    )


def test_markdown_table_escapes_pipes_and_line_breaks():
    book = Codebook("T", 1, codes=(Code("a", "A | B", definition="One\nline. Two."),))
    assert to_markdown_table(book).splitlines()[2] == "| a | A \\| B |  | One line. |  |"
