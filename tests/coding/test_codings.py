"""Coding API: code, code a segment, remove, bulk, memos; bad input stores nothing."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.conftest import P01, P02, span
from workbench.errors import CodingError


def _counts(project):
    conn = project._conn
    return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("codings", "memos", "audit")}


def test_code_stores_offsets_quote_coder_and_origin(coded):
    project, docs = coded
    start, end = span(P01, "I checked the labs by hand.")
    coding = project.code(docs["interview_P01.txt"], start, end, "manual-verification",
                          coder="ana", memo="Repair during the outage.")
    assert coding.text == "I checked the labs by hand."
    table = project.codings()
    assert table[["start", "end", "code_id", "coder", "origin", "text"]].iloc[0].tolist() == [
        start, end, "manual-verification", "ana", "manual", "I checked the labs by hand."]
    assert project.memos("coding", coding.coding_id)["text"].tolist() == [
        "Repair during the outage."]
    assert project.history()["action"].tolist()[-2:] == ["code", "write memo"]


def test_codes_can_be_named_by_name_and_overlap(coded):
    project, docs = coded
    doc = docs["interview_P01.txt"]
    a = project.code(doc, *span(P01, "I checked the labs by hand. Then we kept a paper list"),
                     "Repair work", coder="ana")
    b = project.code(doc, *span(P01, "we kept a paper list"), "workaround", coder="ana")
    assert a.code_id == "repair" and b.code_id == "workaround"
    assert len(project.codings()) == 2


def test_non_ascii_and_emoji_offsets_count_code_points(coded):
    project, docs = coded
    start, end = span(P02, "Zoë 👍 does too.")
    coding = project.code(docs["interview_P02.txt"], start, end, "manual-verification",
                          coder="ana")
    assert coding.text == "Zoë 👍 does too."
    assert end - start == 15  # 15 code points: "Zoë" is 3, the emoji 1 (UTF-16 would say 16)


def test_code_segment_codes_the_whole_turn(coded):
    project, docs = coded
    turn = project.segments("turn").query("speaker == 'P02'").iloc[0]
    coding = project.code_segment(turn["segment_id"], "alert-fatigue", coder="ben")
    assert (coding.start, coding.end, coding.text) == (turn["start"], turn["end"], turn["text"])


def test_uncode_hides_the_coding_and_keeps_it_in_history(coded):
    project, docs = coded
    coding = project.code(docs["interview_P01.txt"], 0, 5, "trust", coder="ana")
    project.uncode(coding.coding_id, coder="ana")
    assert project.codings().empty
    assert project.history()["action"].tolist()[-1] == "uncode"
    with pytest.raises(CodingError, match="already removed"):
        project.uncode(coding.coding_id, coder="ana")


def test_retrieving_by_parent_includes_children(coded):
    project, docs = coded
    doc = docs["interview_P01.txt"]
    project.code(doc, *span(P01, "I checked the labs by hand."), "manual-verification")
    project.code(doc, *span(P01, "we kept a paper list"), "workaround")
    project.code(doc, *span(P01, "too many alerts"), "alert-fatigue")
    assert len(project.codings(code="repair")) == 2
    assert len(project.codings(code="repair", include_children=False)) == 0


def test_code_many_stores_all_rows_with_audit(coded):
    project, docs = coded
    rows = pd.DataFrame({
        "doc_id": [docs["interview_P01.txt"]] * 3,
        "start": [0, 13, 40], "end": [11, 30, 60],
        "code": ["trust", "repair", "Workaround"], "coder": ["ana", "ana", "ben"]})
    ids = project.code_many(rows)
    assert len(ids) == 3 == len(set(ids))
    stored = project.codings().sort_values("start")
    assert stored["code_id"].tolist() == ["trust", "repair", "workaround"]
    assert stored["origin"].unique().tolist() == ["imported"]
    assert (project.history()["action"] == "code").sum() == 3


@pytest.mark.parametrize(("args", "message"), [
    (("interview_P01.txt", 0, 5, "trsut"), r"'trsut' is not a code.*Did you mean: trust"),
    (("interview_P01.txt", 10, 5, "trust"), "reversed"),
    (("interview_P01.txt", 5, 5, "trust"), "empty"),
    (("interview_P01.txt", 0, 10_000, "trust"), "outside document"),
    (("interview_P01.txt", -1, 5, "trust"), "outside document"),
    (("nope", 0, 5, "trust"), "no document 'nope'"),
])
def test_bad_codings_are_refused_and_nothing_is_stored(coded, args, message):
    project, docs = coded
    before = _counts(project)
    doc = docs.get(args[0], args[0])
    with pytest.raises(CodingError, match=message):
        project.code(doc, *args[1:], coder="ana", memo="should not be stored")
    assert _counts(project) == before


def test_retired_codes_and_deleted_documents_cannot_be_coded(coded):
    project, docs = coded
    project.retire_code("alert-fatigue")
    with pytest.raises(CodingError, match="retired"):
        project.code(docs["interview_P01.txt"], 0, 5, "alert-fatigue")
    project.delete_document(docs["interview_P02.txt"])
    with pytest.raises(CodingError, match="deleted"):
        project.code(docs["interview_P02.txt"], 0, 5, "trust")
    assert project.codings().empty


def test_code_many_checks_every_row_before_storing_any(coded):
    project, docs = coded
    before = _counts(project)
    rows = pd.DataFrame({"doc_id": [docs["interview_P01.txt"]] * 2, "start": [0, 50],
                         "end": [10, 10_000], "code": ["trust", "trust"]})
    with pytest.raises(CodingError, match="outside document"):
        project.code_many(rows, coder="ana")
    assert _counts(project) == before


def test_memos_on_project_document_and_code(coded):
    project, docs = coded
    project.memo("project", None, "Start with the outage.")
    memo_id = project.memo("document", docs["interview_P01.txt"], "Rich on repair.")
    project.memo("code", "trust", "Split trust in score vs in people?")
    project.edit_memo(memo_id, "Rich on repair work.")
    assert project.memos()["text"].tolist() == [
        "Start with the outage.", "Rich on repair work.", "Split trust in score vs in people?"]
    with pytest.raises(CodingError, match="no code 'nope'"):
        project.memo("code", "nope", "x")
    edit = project.history().iloc[-1]
    assert edit["action"] == "edit memo" and "Rich on repair." in edit["before"]
    with pytest.raises(CodingError, match="WB-CODING-021: a memo needs some text"):
        project.edit_memo(memo_id, "   ")
    assert project.memos()["text"].tolist()[1] == "Rich on repair work."


def test_uncode_many_removes_each_coding_and_audits_it_as_uncode_does(coded):
    from workbench import coding

    project, docs = coded
    doc = docs["interview_P01.txt"]
    ids = [project.code(doc, s, s + 5, "trust", coder="ana").coding_id for s in (0, 10)]
    with project.atomic() as conn:
        coding.uncode_many(conn, ids, "ben")
    assert project.codings().empty
    removed = project.history().tail(2)
    # two audit rows, one per coding, each with the stored row before, as uncode writes it
    assert removed["action"].tolist() == ["uncode", "uncode"]
    assert removed["entity_id"].tolist() == ids
    assert removed["actor"].tolist() == ["ben", "ben"]
    assert all('"status": "active"' in b and '"coder": "ana"' in b for b in removed["before"])


def test_uncode_many_with_one_removed_coding_changes_none(coded):
    from workbench import coding

    project, docs = coded
    doc = docs["interview_P01.txt"]
    kept = project.code(doc, 0, 5, "trust", coder="ana").coding_id
    gone = project.code(doc, 10, 15, "trust", coder="ana").coding_id
    project.uncode(gone, coder="ana")
    before = _counts(project)
    refused = f"WB-CODING-024: coding '{gone}' was already removed"
    with pytest.raises(CodingError, match=refused), project.atomic() as conn:
        coding.uncode_many(conn, [kept, gone], "ana")
    assert _counts(project) == before
    assert project.codings()["coding_id"].tolist() == [kept]


def test_recode_many_moves_codings_to_a_code_and_audits_each(coded):
    from workbench import coding

    project, docs = coded
    doc = docs["interview_P01.txt"]
    ids = [project.code(doc, s, s + 5, "trust", coder="ana").coding_id for s in (0, 10)]
    with project.atomic() as conn:
        coding.recode_many(conn, ids, "Repair work", "ben", action="recode")
    table = project.codings()
    # the spans, coder and ids stay; only the code changes (named by name, stored by id)
    assert table[["coding_id", "start", "code_id", "coder"]].values.tolist() == [
        [ids[0], 0, "repair", "ana"], [ids[1], 10, "repair", "ana"]]
    audit = project.history().tail(2)
    assert audit["action"].tolist() == ["recode", "recode"]
    assert audit["before"].tolist() == ['{"code_id": "trust"}'] * 2
    assert audit["after"].tolist() == ['{"code_id": "repair"}'] * 2


def test_recode_many_to_an_unknown_code_changes_nothing(coded):
    from workbench import coding

    project, docs = coded
    kept = project.code(docs["interview_P01.txt"], 0, 5, "trust", coder="ana").coding_id
    before = _counts(project)
    with pytest.raises(CodingError, match="WB-CODING-007"), project.atomic() as conn:
        coding.recode_many(conn, [kept], "no-such-code", "ana")
    assert _counts(project) == before
    assert project.codings()["code_id"].tolist() == ["trust"]
