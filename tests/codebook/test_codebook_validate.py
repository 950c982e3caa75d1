"""Every validation problem names the code and the field, and says what to do."""

from __future__ import annotations

import pytest

from workbench.codebook import Code, Codebook, check, load_codebook, validate
from workbench.errors import CodebookError


def only_problem(raw):
    problems = validate(raw)
    assert len(problems) == 1, [str(problem) for problem in problems]
    return problems[0]


def code(raw, code_id):
    return next(entry for entry in raw["codes"] if entry.get("id") == code_id)


def test_the_small_codebook_is_valid(raw, small):
    assert validate(raw) == []
    assert validate(small) == []


def test_duplicate_ids(raw):
    raw["codes"][2]["id"] = "repair"
    problem = only_problem(raw)
    assert (problem.number, problem.code_id, problem.field) == (8, "repair", "id")
    # The first and the third code carry the id.
    assert "code 'repair' field 'id': 2 codes use this id (codes #1, #3)" in problem.message
    assert "Give each code its own id" in problem.message


def test_unknown_parent_suggests_the_closest_ids(raw):
    code(raw, "distrust")["parent"] = "repiar"
    problem = only_problem(raw)
    assert (problem.number, problem.code_id, problem.field) == (9, "distrust", "parent")
    assert "code 'distrust' field 'parent': 'repiar' is not a code in this codebook" in str(problem)
    assert "closest: repair" in problem.message
    assert "leave 'parent' out for a top-level code" in problem.message


def test_a_loop_in_the_parent_chain_is_reported_once(raw):
    code(raw, "repair")["parent"] = "manual-verification"
    problem = only_problem(raw)
    assert (problem.number, problem.field) == (10, "parent")
    assert "repair → manual-verification → repair" in problem.message


def test_a_code_that_is_its_own_parent_is_a_loop(raw):
    code(raw, "distrust")["parent"] = "distrust"
    problem = only_problem(raw)
    assert problem.message.startswith("code 'distrust' field 'parent': the parent chain loops")


@pytest.mark.parametrize("definition", [None, "", "   \n"])
def test_missing_or_empty_definition(raw, definition):
    if definition is None:
        del code(raw, "distrust")["definition"]
    else:
        code(raw, "distrust")["definition"] = definition
    problem = only_problem(raw)
    assert (problem.number, problem.code_id, problem.field) == (11, "distrust", "definition")
    assert "code 'distrust' field 'definition': missing or empty. Write" in problem.message


@pytest.mark.parametrize("color", ["red", "#12345", "#1234567", "E15759", 15000000])
def test_invalid_colour(raw, color):
    code(raw, "repair")["color"] = color
    problem = only_problem(raw)
    assert (problem.number, problem.code_id, problem.field) == (12, "repair", "color")
    assert "#RRGGBB" in problem.message


def test_unknown_code_key_suggests_the_closest_allowed_key(raw):
    entry = code(raw, "distrust")
    entry["defintion"] = entry.pop("definition")
    messages = [problem.message for problem in validate(raw)]
    assert (
        "code 'distrust' has an unknown field 'defintion'. Did you mean 'definition'?"
        in (messages[0])
    )
    # Without its definition the code also fails the definition check.
    assert messages[1].startswith("code 'distrust' field 'definition': missing")


def test_unknown_codebook_key_suggests_the_closest_allowed_key(raw):
    raw["referenses"] = raw.pop("references")
    problem = only_problem(raw)
    assert (problem.number, problem.code_id, problem.field) == (4, None, "referenses")
    assert "Did you mean 'references'?" in problem.message


def test_unknown_key_with_nothing_close_lists_the_allowed_keys(raw):
    code(raw, "repair")["colour_scheme_of_the_week"] = "x"
    assert "Allowed fields: id, name, parent, definition," in only_problem(raw).message


@pytest.mark.parametrize(
    ("bad_id", "suggestion"),
    [("Alert Fatigue", "alert-fatigue"), ("alert_fatigue", "alert-fatigue"), ("-a", "a")],
)
def test_ids_must_be_slugs(raw, bad_id, suggestion):
    code(raw, "distrust")["id"] = bad_id
    problem = only_problem(raw)
    assert (problem.number, problem.code_id, problem.field) == (7, bad_id, "id")
    assert f"is not a slug (lower-case letters, digits and single hyphens). Use '{suggestion}'" in (
        problem.message
    )


def test_missing_id_and_name_name_the_code_by_position(raw):
    del raw["codes"][2]["id"]
    del raw["codes"][2]["name"]
    problems = validate(raw)
    assert [(problem.number, problem.code_id, problem.field) for problem in problems] == [
        (5, "#3", "id"),
        (5, "#3", "name"),
    ]
    assert problems[0].message.startswith("code '#3' field 'id': missing")


def test_codebook_fields_are_checked(raw):
    del raw["title"]
    raw["version"] = "two"
    raw["changelog"][0]["date"] = "10 January"
    found = {(problem.number, problem.field) for problem in validate(raw)}
    assert found == {(5, "title"), (6, "version"), (6, "changelog")}


def test_lists_of_text_and_one_line_names(raw):
    code(raw, "manual-verification")["examples"] = "I look it up."
    code(raw, "distrust")["name"] = "Distrust\nof the score"
    problems = validate(raw)
    assert [(p.number, p.code_id, p.field) for p in problems] == [
        (6, "manual-verification", "examples"),
        (6, "distrust", "name"),
    ]


@pytest.mark.parametrize("document", [None, ["a", "list"], "just text"])
def test_a_document_that_is_not_a_mapping(document):
    problem = only_problem(document)
    assert (problem.number, problem.field) == (3, "codebook")


def test_a_codebook_object_is_validated_too():
    book = Codebook("Objects", 1, codes=(Code("a", "A", "missing", "x", color="blue"),))
    # Checks of single codes come before checks across codes (ids, parents, loops).
    assert [(p.number, p.field) for p in validate(book)] == [(12, "color"), (9, "parent")]


def test_loading_raises_one_error_listing_every_problem(raw, tmp_path):
    path = tmp_path / "study.yaml"
    path.write_text(
        "title: Study\nversion: 1\ncodes:\n"
        "  - {id: a, name: A, definition: x, parent: hci}\n"
        "  - {id: a, name: B, definition: y, colour: '#FFFFFF'}\n",
        encoding="utf-8",
    )
    with pytest.raises(CodebookError) as caught:
        load_codebook(path)
    message = str(caught.value)
    # The first problem (code-level unknown key) sets the number; all three are listed.
    assert message.startswith("WB-CODEBOOK-004: study.yaml: code 'a' has an unknown field 'colour'")
    assert "2 more problem(s) in study.yaml:" in message
    assert "WB-CODEBOOK-008: code 'a' field 'id'" in message
    assert "WB-CODEBOOK-009: code 'a' field 'parent': 'hci'" in message


def test_check_returns_quietly_for_a_valid_codebook(small):
    assert check(small) is None
