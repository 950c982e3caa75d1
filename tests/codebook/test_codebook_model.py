"""The Codebook record and its helpers, as a notebook user calls them."""

from __future__ import annotations

import pytest

from workbench.codebook import Code, Codebook
from workbench.errors import CodebookError


def test_code_by_id_children_path_and_depth(small):
    assert small.code("manual-verification").name == "Manual verification"
    assert [code.id for code in small.children(None)] == ["repair", "distrust"]
    assert [code.id for code in small.children("repair")] == ["manual-verification"]
    assert small.children("distrust") == ()
    assert small.path("manual-verification") == "Repair work/Manual verification"
    assert small.path("manual-verification", by="id") == "repair/manual-verification"
    assert small.depth("repair") == 0
    assert small.depth("manual-verification") == 1
    assert [code.id for code in small.ancestors("manual-verification")] == ["repair"]


def test_unknown_id_names_the_closest_ids(small):
    with pytest.raises(CodebookError) as caught:
        small.code("manual-verfication")
    assert caught.value.code == "WB-CODEBOOK-013"
    assert "'manual-verfication'" in str(caught.value)
    assert "manual-verification" in str(caught.value).split("Closest ids:")[1]


def test_path_option_is_checked_against_the_allowed_values(small):
    with pytest.raises(CodebookError, match="WB-CODEBOOK-014.*by='name' or by='id'"):
        small.path("repair", by="label")


def test_helpers_on_a_broken_hierarchy_raise_the_validator_numbers():
    loop = Codebook("Loop", 1, codes=(Code("a", "A", "b", "x"), Code("b", "B", "a", "y")))
    with pytest.raises(CodebookError, match="WB-CODEBOOK-010: code 'a' field 'parent'"):
        loop.depth("a")
    orphan = Codebook("Orphan", 1, codes=(Code("a", "A", "hci", "x"),))
    with pytest.raises(CodebookError, match="WB-CODEBOOK-009: code 'a' field 'parent': 'hci'"):
        orphan.path("a")


def test_to_frame_is_one_row_per_code_with_documented_columns(small):
    frame = small.to_frame()
    assert list(frame.columns) == [
        "id", "name", "parent", "path", "depth", "definition", "when_to_use",
        "when_not_to_use", "examples", "color", "references", "patterns",
    ]  # fmt: skip
    # SMALL_YAML holds three codes.
    assert len(frame) == 3
    row = frame.set_index("id").loc["manual-verification"]
    assert row["parent"] == "repair"
    assert row["path"] == "Repair work/Manual verification"
    assert row["depth"] == 1
    assert row["patterns"] == ("double-check", "look up the lab")
    assert frame.set_index("id")["parent"].isna().to_dict() == {
        "repair": True, "manual-verification": False, "distrust": True,
    }  # fmt: skip


def test_to_frame_of_an_empty_codebook_keeps_the_columns():
    frame = Codebook("Empty", 1).to_frame()
    assert frame.empty
    assert "path" in frame.columns


def test_codes_are_immutable_records(small):
    with pytest.raises(AttributeError):
        small.code("repair").name = "Repairs"
