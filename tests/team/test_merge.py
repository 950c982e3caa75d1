"""Coders' copies merged back give the project the same codings made in one project would."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.conftest import P01, span, write
from tests.team.conftest import build, code_passages, coded_copy, doc_id, same_codings
from workbench import Project


@pytest.fixture
def together(tmp_path):
    """The same study coded by ana, ben and cy in one project (the reference)."""
    with build(tmp_path / "together", tmp_path / "files2") as project:
        for coder in ("ana", "ben", "cy"):
            code_passages(project, coder)
        yield project


def test_two_copies_merge_into_what_one_project_holds(lead, together, tmp_path):
    copies = [coded_copy(lead, c, tmp_path / c) for c in ("ana", "ben")]
    report = lead.merge(copies)
    assert report.added()[["coder", "n"]].values.tolist() == [["ana", 3], ["ben", 3]]
    expected = same_codings(together)
    pd.testing.assert_frame_equal(same_codings(lead),
                                  expected[expected["coder"] != "cy"].reset_index(drop=True))
    merged = lead.agreement(["ana", "ben"], n_boot=200)
    pd.testing.assert_frame_equal(merged, together.agreement(["ana", "ben"], n_boot=200))
    # Pooled over the 4 codes, the value tests/reliability/test_project_agreement.py derives
    # by hand for these passages: alpha = 79/126.
    pooled = merged.set_index("code_id").loc["(all codes)", "alpha"]
    assert pooled == pytest.approx(79 / 126, abs=1e-9)
    pd.testing.assert_frame_equal(lead.unitizing_agreement(["ana", "ben"]),
                                  together.unitizing_agreement(["ana", "ben"]))


def test_three_copies_and_reconciling_after_the_merge(lead, together, tmp_path):
    copies = [coded_copy(lead, c, tmp_path / c) for c in ("ana", "ben", "cy")]
    lead.merge(copies)
    pd.testing.assert_frame_equal(same_codings(lead), same_codings(together))
    coders = ["ana", "ben", "cy"]
    pd.testing.assert_frame_equal(lead.agreement(coders, n_boot=200),
                                  together.agreement(coders, n_boot=200))
    pd.testing.assert_frame_equal(lead.disagreements(coders).drop(columns="doc_id"),
                                  together.disagreements(coders).drop(columns="doc_id"))
    lead.reconcile(["ana", "ben"], {}, default="ana")
    together.reconcile(["ana", "ben"], {}, default="ana")
    consensus = [p.codings("consensus")[["start", "end", "code_id", "text"]]
                 for p in (lead, together)]
    pd.testing.assert_frame_equal(*consensus)


def test_merged_codings_keep_coder_origin_and_time(lead, tmp_path):
    folder = coded_copy(lead, "ana", tmp_path / "ana")
    with Project.open(folder) as copy:
        made = copy.codings("ana")[["coding_id", "origin", "created_at"]]
    lead.merge(folder)
    pd.testing.assert_frame_equal(lead.codings("ana")[["coding_id", "origin", "created_at"]],
                                  made)


def test_merging_a_copy_twice_adds_nothing(lead, tmp_path):
    folder = coded_copy(lead, "ana", tmp_path / "ana")
    lead.merge(folder)
    codings, history = lead.codings("all"), lead.history()
    again = lead.merge(folder)
    assert again.added().empty
    # the 3 codings ana made in her copy are found already here
    assert again.findings.set_index("finding").loc["codings already here", "n"] == 3
    pd.testing.assert_frame_equal(lead.codings("all"), codings)
    # the copy's history came once: the second merge adds only its own "merge" row
    assert len(lead.history()) == len(history) + 1
    assert lead.history()["action"].iloc[-1] == "merge"


def test_copies_history_comes_with_its_origin(lead, tmp_path):
    folder = coded_copy(lead, "ana", tmp_path / "ana")
    lead.merge(folder)
    history = lead.history()
    carried = history[history["action"].str.endswith("(in copy for ana (ana))")]
    # ana's copy wrote 4 rows after it was made: its "copy for" row and 3 codings
    assert carried["action"].tolist() == ["copy for (in copy for ana (ana))"] + \
        ["code (in copy for ana (ana))"] * 3
    assert (carried["actor"].iloc[1:] == "ana").all()


def test_a_coding_removed_in_a_copy_is_removed_here_whatever_the_order(lead, tmp_path):
    code_passages(lead, "ana")
    removed = lead.codings("ana")["coding_id"].iloc[0]
    lead.copy_for("ana", tmp_path / "ana")
    lead.copy_for("ben", tmp_path / "ben")
    with Project.open(tmp_path / "ana", user="ana") as copy:
        copy.uncode(removed)
    lead.merge([tmp_path / "ben", tmp_path / "ana"])
    assert removed not in set(lead.codings("all")["coding_id"])
    lead.merge(tmp_path / "ben")  # ben's copy still has it active: it does not come back
    assert removed not in set(lead.codings("all")["coding_id"])
    assert len(lead.codings("ana")) == 2


def test_memos_come_along_and_edits_on_both_sides_are_listed(lead, tmp_path):
    doc = doc_id(lead)
    shared = lead.memo("document", doc, "first reading")
    untouched = lead.memo("project", None, "scope")
    lead.copy_for("ana", tmp_path / "ana")
    with Project.open(tmp_path / "ana", user="ana") as copy:
        coding = copy.code(doc, *span(P01, "a paper list"), "workaround")
        copy.memo("coding", coding.coding_id, "whiteboard, not the EHR")
        copy.edit_memo(shared, "second reading")
        copy.edit_memo(untouched, "scope, revised")
    lead.edit_memo(shared, "lead's reading")
    report = lead.merge(tmp_path / "ana")
    memos = lead.memos().set_index("memo_id")["text"]
    assert memos[shared] == "lead's reading"  # edited on both sides: this project's is kept
    assert memos[untouched] == "scope, revised"  # edited in the copy only: taken
    on_coding = lead.memos("coding", coding.coding_id)
    assert on_coding["text"].tolist() == ["whiteboard, not the EHR"]
    both = report.to_check().set_index("finding").loc["memo edited on both sides", "detail"]
    assert "lead's reading" in both and "second reading" in both
    assert len(lead.merge(tmp_path / "ana").findings.query("finding == 'memos added'")) == 0


def test_same_coder_coding_a_passage_differently_on_both_sides_keeps_both(lead, tmp_path):
    lead.copy_for("ana", tmp_path / "ana")
    with Project.open(tmp_path / "ana", user="ana") as copy:
        code_passages(copy, "ana", [("a paper list", "workaround")])
    code_passages(lead, "ana", [("a paper list", "manual-verification")])
    report = lead.merge(tmp_path / "ana")
    assert sorted(lead.codings("ana")["code_id"]) == ["manual-verification", "workaround"]
    clash = report.to_check().query("finding == 'same passage coded differently'")
    assert clash[["coder", "code"]].values.tolist() == [["ana", "workaround"]]


def test_codes_that_differ_are_mapped_through_the_changelog_or_listed(lead, tmp_path):
    lead.copy_for("ana", tmp_path / "ana")
    with Project.open(tmp_path / "ana", user="ana") as copy:
        copy.add_code("Paper trail", definition="Notes kept on paper.", code_id="paper-trail")
        copy.rename_code("trust", "Trust in the score")
        code_passages(copy, "ana", [("a paper list", "workaround"),
                                    ("kept a paper list", "paper-trail"),
                                    ("Not that week.", "trust")])
    lead.merge_codes("workaround", "repair")  # after the copy was made
    report = lead.merge(tmp_path / "ana")
    codes = lead.codings("ana").set_index("text")["code_id"]
    assert codes.to_dict() == {"a paper list": "repair", "Not that week.": "trust"}
    found = report.findings.set_index("finding")
    assert found.loc["code merged here", "code"] == "Workaround"
    assert found.loc["code renamed", "detail"].startswith("named 'Trust in the score'")
    assert found.loc["code only in the copy", "code"] == "Paper trail"
    assert found.loc["codings left out", "n"] == 1
    assert lead.codes().set_index("code_id").loc["trust", "name"] == "Trust"


P03 = ("Interviewer: And days?\n"
       "P03: Days are the rounds. I check the lab results twice, Zoë checks them once.\n")


def test_a_document_only_in_a_copy_is_listed_or_imported_as_asked(lead, tmp_path):
    lead.copy_for("ana", tmp_path / "ana")
    write(tmp_path / "new", "interview_P03.txt", P03)
    write(tmp_path / "new", "participants.csv", "participant_id,role,ward\nP03,doctor,6W\n")
    with Project.open(tmp_path / "ana", user="ana") as copy:
        copy.import_files([tmp_path / "new" / "interview_P03.txt"],
                          attributes=tmp_path / "new" / "participants.csv", progress=False)
        new_doc = doc_id(copy, "interview_P03.txt")
        copy.code(new_doc, *span(P03, "I check the lab results twice"), "manual-verification")
        copy.memo("case", "P03", "recruited late")
        segments = copy.segments("sentence", new_doc)
    listed = lead.merge(tmp_path / "ana")
    only = listed.findings.query("finding == 'document only in the copy'")
    assert only["document"].tolist() == ["interview_P03.txt"]
    assert lead.codings("ana").empty
    imported = lead.merge(tmp_path / "ana", documents="import")
    assert imported.added()["n"].tolist() == [1]
    pd.testing.assert_frame_equal(lead.segments("sentence", new_doc), segments)
    assert lead.codings("ana")["text"].tolist() == ["I check the lab results twice"]
    assert lead.cases().set_index("case_id").loc["P03", "role"] == "doctor"
    assert lead.memos("case", "P03")["text"].tolist() == ["recruited late"]
    again = lead.merge(tmp_path / "ana", documents="import")
    assert again.findings.query("finding == 'document imported'").empty
    assert len(lead.codings("ana")) == 1
