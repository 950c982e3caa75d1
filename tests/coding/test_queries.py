"""Retrieval, frequencies, co-occurrence, matrices and quantitizing, on hand-counted codings."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.conftest import P01, P02, span
from workbench.errors import CodingError

PASSAGES = {  # the codings every test here starts from (all by coder "ana")
    "A": ("interview_P01.txt", P01, "I checked the labs by hand.", "manual-verification"),
    "B": ("interview_P01.txt", P01, "we kept a paper list", "workaround"),
    "C": ("interview_P01.txt", P01,
          "I checked the labs by hand. Then we kept a paper list on the whiteboard.", "repair"),
    "D": ("interview_P01.txt", P01, "too many alerts", "alert-fatigue"),
    "E": ("interview_P01.txt", P01, "Not that week.", "trust"),
    "F": ("interview_P02.txt", P02, "I recheck everything", "manual-verification"),
}


@pytest.fixture
def six(coded):
    project, docs = coded
    for name, text, passage, code in PASSAGES.values():
        project.code(docs[name], *span(text, passage), code, coder="ana")
    return project, docs


def _pairs(frame):
    assert set(frame["coder"]) == {"ana"}  # one coder: the default reads her layer
    return {(a, b): n for a, b, _, n in frame.itertuples(index=False)}


def test_retrieve_gives_quotes_speakers_context_and_case_attributes(six):
    project, _ = six
    table = project.retrieve("repair", context=10)
    # "repair" and its children: A, B, C in P01 and F in P02.
    assert sorted(table["text"]) == sorted(PASSAGES[k][2] for k in "ABCF")
    row = table[table["text"] == "we kept a paper list"].iloc[0]
    assert (row["speaker"], row["role"], row["ward"]) == ("P01", "staff nurse", "4N")
    assert row["before"] == "and. Then " and row["after"] == " on the wh"
    first = table[table["document"] == "interview_P02.txt"].iloc[0]
    assert first["before"] == "are busy. " and first["speaker"] == "P02"


def test_a_quote_outside_every_turn_has_no_speaker(coded):
    project, docs = coded
    doc = docs["interview_P01.txt"]
    project.code(doc, *span(P01, "P01: I checked"), "trust", coder="ana")  # starts on a label
    project.code(doc, *span(P01, "What happened"), "trust", coder="ana")
    project.code(doc, *span(P01, "Not that week."), "trust", coder="ana")
    speaker = project.retrieve("trust").set_index("text")["speaker"]
    # P01 by hand: the label "P01: " is between the interviewer's turn and P01's.
    assert pd.isna(speaker["P01: I checked"])
    assert (speaker["What happened"], speaker["Not that week."]) == ("Interviewer", "P01")


def test_frequencies_by_attribute(six):
    project, _ = six
    table = project.frequencies(by="ward").set_index(["code_id", "ward"])
    # Hand count from PASSAGES: manual verification once on each ward, the rest on 4N only.
    assert table.loc[("manual-verification", "4N"), "codings"] == 1
    assert table.loc[("manual-verification", "5E"), "codings"] == 1
    assert table.loc[("repair", "4N"), "characters"] == len(PASSAGES["C"][2])
    assert len(table) == 6


def test_cooccurrence_by_overlap_segment_and_proximity(six):
    project, _ = six
    # Overlapping spans: C contains A and B; A and B do not touch; D and E are apart.
    assert _pairs(project.cooccurrence("overlap")) == {
        ("manual-verification", "repair"): 1, ("repair", "manual-verification"): 1,
        ("repair", "workaround"): 1, ("workaround", "repair"): 1}
    # P01's second turn holds A, B, C; its fourth holds D and E.
    assert _pairs(project.cooccurrence("segment", unit="turn")) == {
        ("manual-verification", "repair"): 1, ("manual-verification", "workaround"): 1,
        ("repair", "manual-verification"): 1, ("repair", "workaround"): 1,
        ("workaround", "manual-verification"): 1, ("workaround", "repair"): 1,
        ("alert-fatigue", "trust"): 1, ("trust", "alert-fatigue"): 1}
    # Within 20 characters: A-B are 6 apart (" Then "), E-D 12 apart (" There were ").
    near = _pairs(project.cooccurrence("proximity", within=20))
    assert near[("manual-verification", "workaround")] == 1
    assert near[("alert-fatigue", "trust")] == 1
    assert len(near) == 8
    with pytest.raises(CodingError, match="mode='nearby' is not one of"):
        project.cooccurrence("nearby")


def test_code_matrix_counts_cases_and_share_of_text(six):
    project, docs = six
    table = project.code_matrix("ward").set_index(["code_id", "ward"])
    p01_chars = len(project.document(docs["interview_P01.txt"]).text)
    assert table.loc[("workaround", "4N"), "cases"] == 1
    assert table.loc[("workaround", "4N"), "share"] == pytest.approx(20 / p01_chars)


def test_case_matrix_presence_count_share_and_export(six, tmp_path):
    project, docs = six
    presence = project.case_matrix("presence")
    assert presence.index.names == ["coder", "case_id"]
    presence = presence.loc["ana"]
    assert presence.loc["P01"].to_dict() == {
        "repair": 1, "manual-verification": 1, "workaround": 1, "trust": 1, "alert-fatigue": 1}
    assert presence.loc["P02"].sum() == 1
    share = project.case_matrix("share").loc["ana"]
    p02_chars = len(project.document(docs["interview_P02.txt"]).text)
    assert share.loc["P02", "manual-verification"] == pytest.approx(20 / p02_chars)
    from workbench.coding import export_table

    export_table(presence, tmp_path / "cases.csv")
    export_table(presence, tmp_path / "cases.parquet")
    assert pd.read_csv(tmp_path / "cases.csv", index_col=0).equals(presence)
    assert pd.read_parquet(tmp_path / "cases.parquet").equals(presence)
