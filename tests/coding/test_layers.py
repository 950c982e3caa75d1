"""Which layer a count reads: one coder, the consensus layer, or every coder side by side;
names kept for layers; offsets that are not whole numbers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.conftest import P01, P02, span, write
from workbench.errors import CodingError

LABS = "I checked the labs by hand."


@pytest.fixture
def two_on_one(coded):
    """ana and ben both code P01's labs sentence for manual verification; ana also codes
    the paper list (workaround) inside P01's same turn, ben codes it as trust."""
    project, docs = coded
    p01 = docs["interview_P01.txt"]
    for coder in ("ana", "ben"):
        project.code(p01, *span(P01, LABS), "manual-verification", coder=coder)
    project.code(p01, *span(P01, "we kept a paper list"), "workaround", coder="ana")
    project.code(p01, *span(P01, "we kept a paper list"), "trust", coder="ben")
    return project, docs


def test_counts_refuse_to_add_two_coders_up_and_say_how_to_choose(two_on_one):
    project, _ = two_on_one
    calls = [lambda: project.frequencies(), lambda: project.retrieve("repair"),
             lambda: project.code_matrix("ward"), lambda: project.case_matrix("count"),
             lambda: project.cooccurrence("overlap")]
    for call in calls:
        with pytest.raises(CodingError, match="WB-CODING-017") as err:
            call()
        assert "(ana, ben)" in str(err.value) and 'coder="all"' in str(err.value)
        assert "coder='ana'" in str(err.value)


def test_coder_all_counts_each_coder_side_by_side_never_summed(two_on_one):
    project, _ = two_on_one
    table = project.frequencies(coder="all").set_index(["code_id", "coder"])
    # Hand count: the labs sentence once by ana and once by ben; summed it would say 2.
    assert table.loc[("manual-verification", "ana"), "codings"] == 1
    assert table.loc[("manual-verification", "ben"), "codings"] == 1
    assert project.case_matrix("count", coder="all").loc[("ben", "P01"),
                                                          "manual-verification"] == 1
    quotes = project.retrieve("manual-verification", coder="all")
    assert sorted(quotes["coder"]) == ["ana", "ben"]
    # ana's workaround and ben's trust lie on the same words, but two coders' codings never
    # make a co-occurrence: nothing overlaps within one coder's layer.
    assert project.cooccurrence("overlap", coder="all").empty
    assert project.cooccurrence("segment", unit="turn", coder="all")[
        ["code_a", "code_b", "coder"]].values.tolist() == [
        ["manual-verification", "trust", "ben"], ["manual-verification", "workaround", "ana"],
        ["trust", "manual-verification", "ben"], ["workaround", "manual-verification", "ana"]]


def test_one_named_coder_is_counted_and_an_unknown_name_is_refused(two_on_one):
    project, _ = two_on_one
    table = project.frequencies(coder="ben")
    assert set(table["coder"]) == {"ben"}
    assert sorted(table["code_id"]) == ["manual-verification", "trust"]  # ben's two codings
    with pytest.raises(CodingError, match="WB-CODING-018.*'Ana' has no codings.*ana, ben"):
        project.frequencies(coder="Ana")


def test_default_reads_consensus_where_it_exists_and_the_one_coder_elsewhere(two_on_one):
    project, docs = two_on_one
    ids = project.disagreements(["ana", "ben"]).set_index("code_id")["disagreement_id"]
    project.reconcile(["ana", "ben"], {ids["workaround"]: "ana", ids["trust"]: "neither"})
    project.code(docs["interview_P02.txt"], *span(P02, "I recheck everything"),
                 "manual-verification", coder="ana")
    table = project.frequencies("document").set_index(["code_id", "document"])
    # P01 is reconciled (labs agreed, ana's workaround kept); P02 was coded by ana alone.
    assert table.loc[("manual-verification", "interview_P01.txt"), "coder"] == "consensus"
    assert table.loc[("manual-verification", "interview_P01.txt"), "codings"] == 1
    assert table.loc[("manual-verification", "interview_P02.txt"), "coder"] == "ana"
    assert len(table) == 3  # labs (consensus), paper list (consensus), recheck (ana)


def test_a_coder_cannot_take_a_layers_name(coded):
    project, docs = coded
    p01 = docs["interview_P01.txt"]
    before = len(project.history())
    for name in ("consensus", "all", "*", "suggestions", "Consensus ", "", "  "):
        with pytest.raises(CodingError, match="WB-CODING-015"):
            project.code(p01, 0, 5, "trust", coder=name or " ")
    rows = pd.DataFrame({"doc_id": [p01, p01], "start": [0, 10], "end": [5, 20],
                         "code": ["trust", "trust"], "coder": ["ana", "consensus"]})
    with pytest.raises(CodingError, match="WB-CODING-015: row 1: coder name 'consensus' is "
                       "reserved"):
        project.code_many(rows)
    with pytest.raises(CodingError, match="WB-CODING-016: row 0: origin 'consensus'"):
        project.code_many(rows.iloc[:1], origin="consensus")
    with pytest.raises(CodingError, match="WB-CODING-016"):
        project.code_many(rows.assign(origin="consensus"))
    with pytest.raises(CodingError, match="WB-CODING-015: memo author name 'consensus'"):
        project.memo("project", None, "A note.", author="consensus")
    suggestion = project.suggest()["suggestion_id"].iloc[0]
    with pytest.raises(CodingError, match="WB-CODING-015"):
        project.accept_suggestion(suggestion, coder="all")
    assert project.codings(coder="all").empty and project.memos().empty
    # Only the suggestion run was recorded: every refusal above stored nothing.
    assert project.history()["action"].tolist()[before:] == ["suggest"]


def test_code_takes_the_numpy_offsets_segments_gives(coded):
    project, _ = coded
    turn = project.segments("turn").query("speaker == 'P02'").iloc[0]
    assert isinstance(turn["start"], np.integer)
    coding = project.code(turn["doc_id"], turn["start"], turn["end"], "trust", coder="ana")
    assert (coding.start, coding.end) == (int(turn["start"]), int(turn["end"]))
    assert type(project._conn.execute("SELECT start FROM codings").fetchone()[0]) is int


@pytest.mark.parametrize("start", [2.5, True, float("nan"), None, "3"])
def test_code_refuses_offsets_that_are_not_whole_numbers(coded, start):
    project, docs = coded
    with pytest.raises(CodingError, match="WB-CODING-003"):
        project.code(docs["interview_P01.txt"], start, 10, "trust", coder="ana")
    assert project.codings().empty


@pytest.mark.parametrize(("starts", "row"), [([0, np.nan], 1), ([0.0, 2.5], 1),
                                             ([None, 2], 0), ([0, True], 1)])
def test_code_many_refuses_offsets_that_are_not_whole_numbers_naming_the_row(
        coded, tmp_path, starts, row):
    project, docs = coded
    p01 = docs["interview_P01.txt"]
    rows = pd.DataFrame({"doc_id": [p01, p01], "start": pd.Series(starts, dtype=object),
                         "end": [5, 9], "code": ["trust", "trust"]})
    with pytest.raises(CodingError, match=f"WB-CODING-003: row {row}: start"):
        project.code_many(rows, coder="ana")
    assert project.codings().empty


def test_code_many_reads_integral_floats_from_a_csv_as_whole_numbers(coded, tmp_path):
    project, docs = coded
    p01 = docs["interview_P01.txt"]
    start, end = span(P01, LABS)
    # A column with an empty cell is read as float by pandas; the filled rows stay exact.
    path = write(tmp_path, "codings.csv", f"doc_id,start,end,code,note\n{p01},{start}.0,"
                 f"{end},manual-verification,\n")
    project.code_many(pd.read_csv(path), coder="ana")
    assert project.codings()["text"].tolist() == [LABS]


def test_retrieve_carries_document_and_case_attributes_the_document_winning(coded, tmp_path):
    project, docs = coded
    write(tmp_path, "notes/fn_2025-03-04_6W.md",
          "---\ndate: 2025-03-04\nward: 6W\nshift: day\n---\n# Day\n\nThe nurse checked the "
          "labs by hand at the station.\n")
    project.import_files(tmp_path / "notes", kind="fieldnote", progress=False)
    note = project.documents().set_index("name")["doc_id"]["fn_2025-03-04_6W.md"]
    text = project.document(note).text
    project.code(note, *span(text, "checked the labs by hand"), "manual-verification",
                 coder="ana")
    # A documents sidecar gives P01's interview its own ward; its case P01 says 4N.
    write(tmp_path, "documents.csv", "file,ward\ninterview_P01.txt,ICU\n")
    project.import_attributes(tmp_path / "documents.csv")
    project.code(docs["interview_P01.txt"], *span(P01, LABS), "manual-verification",
                 coder="ana")
    project.code(docs["interview_P02.txt"], *span(P02, "I recheck everything"),
                 "manual-verification", coder="ana")
    wards = project.retrieve("manual-verification").set_index("document")
    assert wards.loc["fn_2025-03-04_6W.md", "ward"] == "6W"  # the field note's own ward
    assert wards.loc["fn_2025-03-04_6W.md", "shift"] == "day"
    assert wards.loc["interview_P01.txt", "ward"] == "ICU"  # the document's wins over 4N
    assert wards.loc["interview_P02.txt", "ward"] == "5E"  # only the case has one
    assert wards.loc["interview_P02.txt", "role"] == "staff nurse"
