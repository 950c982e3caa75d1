"""diff lists what a changelog entry should say, one row per change."""

from __future__ import annotations

from dataclasses import replace

from workbench.codebook import CHANGES, Codebook, diff


def changed(book: Codebook, code_id: str, **fields) -> Codebook:
    codes = tuple(replace(code, **fields) if code.id == code_id else code for code in book.codes)
    return replace(book, version=book.version + 1, codes=codes)


def rows(frame):
    return [
        tuple(row) for row in frame[["change", "id", "field", "old", "new"]].itertuples(index=False)
    ]


def test_no_change_gives_an_empty_table_with_the_columns(small):
    frame = diff(small, small)
    assert frame.empty
    assert list(frame.columns) == ["change", "id", "field", "old", "new"]
    assert list(frame["change"].cat.categories) == list(CHANGES)


def test_added(small, tiny):
    new = replace(small, codes=(*small.codes, *tiny.codes))
    assert rows(diff(small, new)) == [("added", "a", "name", None, "A")]


def test_removed(small):
    new = replace(small, codes=small.codes[:2])
    assert rows(diff(small, new)) == [("removed", "distrust", "name", "Distrust", None)]


def test_renamed(small):
    new = changed(small, "distrust", name="Distrust of the score")
    assert rows(diff(small, new)) == [
        ("renamed", "distrust", "name", "Distrust", "Distrust of the score")
    ]


def test_moved(small):
    new = changed(small, "manual-verification", parent=None)
    assert rows(diff(small, new)) == [("moved", "manual-verification", "parent", "repair", None)]


def test_redefined_one_row_per_defining_field(small):
    new = changed(small, "manual-verification", definition="Re-checking.", when_to_use="")
    assert rows(diff(small, new)) == [
        ("redefined", "manual-verification", "definition",
         "Checking the score's inputs by hand.", "Re-checking."),
        ("redefined", "manual-verification", "when_to_use",
         "A nurse re-checks labs or observations.", ""),
    ]  # fmt: skip


def test_other_fields_are_not_reported(small):
    new = changed(small, "repair", color="#000000", examples=("x",), patterns=("fix",))
    assert diff(small, new).empty


def test_several_changes_are_ordered_by_kind_then_codebook_order(small, tiny):
    new = changed(small, "distrust", name="Doubt", parent="manual-verification")
    new = replace(new, codes=(*tiny.codes, *new.codes[1:]))
    # "repair" gives way to "a"; "distrust" is renamed and moved: four rows, in the order
    # CHANGES lists the kinds (added, removed, renamed, moved), not the order of the codes.
    assert [(row[0], row[1]) for row in rows(diff(small, new))] == [
        ("added", "a"),
        ("removed", "repair"),
        ("renamed", "distrust"),
        ("moved", "distrust"),
    ]
