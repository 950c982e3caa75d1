"""Merging copies in any order gives the same project: memos edited in several copies (and
in the lead's project) and the same coding made on two machines under two ids."""

from __future__ import annotations

import sqlite3

import pandas as pd

from tests.conftest import P01, span
from tests.team.conftest import doc_id
from workbench import Project


def _leads(lead: Project, folder, orders: list[list]) -> list[pd.DataFrame]:
    """Merge the copies in each order (one merge per copy) into a fresh copy of ``lead``;
    returns, per order, the memos and the codings (every layer) as they end up."""
    ends = []
    for n, order in enumerate(orders):
        lead.copy_for("lead", folder / f"lead{n}")
        with Project.open(folder / f"lead{n}", user="lead") as merged:
            reports = [merged.merge(copy) for copy in order]
            ends.append((merged.memos().sort_values("memo_id").reset_index(drop=True),
                         merged.codings("all").sort_values("coding_id").reset_index(drop=True),
                         reports, merged.history()))
    return ends


def _edit_in_copy(lead: Project, coder: str, folder, memo_id: str, text: str) -> None:
    lead.copy_for(coder, folder)
    with Project.open(folder, user=coder) as copy:
        copy.edit_memo(memo_id, text)


def test_a_memo_edited_in_two_copies_ends_with_the_later_edit_in_any_order(lead, tmp_path):
    memo = lead.memo("document", doc_id(lead), "first reading")
    _edit_in_copy(lead, "ana", tmp_path / "ana", memo, "ana's reading")
    _edit_in_copy(lead, "ben", tmp_path / "ben", memo, "ben's reading")  # edited after ana's
    copies = [tmp_path / "ana", tmp_path / "ben"]
    (memos_ab, _, reports, history), (memos_ba, *_) = _leads(lead, tmp_path,
                                                            [copies, copies[::-1]])
    pd.testing.assert_frame_equal(memos_ab, memos_ba)
    assert memos_ab.set_index("memo_id").loc[memo, "text"] == "ben's reading"
    # ana's text is not lost: merging ben's after ana's lists both and the audit log keeps
    # ana's as the text before ben's
    both = reports[1].to_check().set_index("finding").loc["memo edited on both sides", "detail"]
    assert "ben's reading" in both and "ana's reading" in both
    taken = history[history["action"] == "merge memo edit"]
    assert [t.count("ana's reading") for t in taken["before"]] == [0, 1]


def test_the_leads_own_edit_competes_by_the_same_rule(lead, tmp_path):
    early = lead.memo("project", None, "scope")
    late = lead.memo("project", None, "sampling")
    lead.copy_for("ana", tmp_path / "ana")
    lead.edit_memo(early, "scope, the lead's")  # before ana's edits: ana's is later
    with Project.open(tmp_path / "ana", user="ana") as copy:
        copy.edit_memo(early, "scope, ana's")
        copy.edit_memo(late, "sampling, ana's")
    lead.edit_memo(late, "sampling, the lead's")  # after ana's edits: the lead's is later
    report = lead.merge(tmp_path / "ana")
    texts = lead.memos().set_index("memo_id")["text"]
    assert texts[early] == "scope, ana's"  # the old rule kept the lead's text here
    assert texts[late] == "sampling, the lead's"
    listed = report.findings.query("finding == 'memo edited on both sides'")["detail"]
    assert len(listed) == 2 and all("the lead's" in d and "ana's" in d for d in listed)
    # the text that was not taken stays in the project: in the audit log of the merge
    not_taken = lead.history().query("action == 'merge memo edit (not taken)'")["after"]
    assert ["sampling, ana's" in a for a in not_taken] == [True]
    again = lead.merge(tmp_path / "ana")  # merging again changes no memo
    assert lead.memos().set_index("memo_id")["text"].equals(texts)
    assert again.added().empty


def test_memo_edits_made_at_the_same_instant_are_settled_by_their_text(lead, tmp_path):
    memo = lead.memo("project", None, "scope")
    for coder, text in (("ana", "b: ana's"), ("ben", "a: ben's")):
        _edit_in_copy(lead, coder, tmp_path / coder, memo, text)
    # two laptops' clocks stamping the same microsecond: the copies' files give ben's edit
    # ana's time
    with Project.open(tmp_path / "ana", user="ana") as ana:
        stamp = ana.memos().set_index("memo_id").loc[memo, "updated_at"]
    ben = sqlite3.connect(tmp_path / "ben" / "project.sqlite")
    try:
        with ben:
            ben.execute("UPDATE memos SET updated_at = ? WHERE memo_id = ?", (stamp, memo))
    finally:
        ben.close()
    copies = [tmp_path / "ana", tmp_path / "ben"]
    (memos_ab, *_), (memos_ba, *_) = _leads(lead, tmp_path, [copies, copies[::-1]])
    pd.testing.assert_frame_equal(memos_ab, memos_ba)
    # "b: ana's" sorts after "a: ben's", so it is the later edit by the tie rule
    assert memos_ab["text"].tolist() == ["b: ana's"]


def test_one_coder_making_the_same_coding_on_two_laptops_keeps_the_first_made(lead, tmp_path):
    doc = doc_id(lead)
    made = {}
    for laptop in ("laptop", "desktop"):  # the desktop's coding is made second
        lead.copy_for("ana", tmp_path / laptop)
        with Project.open(tmp_path / laptop, user="ana") as copy:
            made[laptop] = copy.code(doc, *span(P01, "a paper list"), "workaround",
                                     memo=f"noted on the {laptop}").coding_id
    copies = [tmp_path / "laptop", tmp_path / "desktop"]
    first, second = _leads(lead, tmp_path, [copies, copies[::-1]])
    pd.testing.assert_frame_equal(first[1], second[1])
    pd.testing.assert_frame_equal(first[0], second[0])
    # one coding: the laptop's, made first; both memos on it, whichever order
    assert first[1]["coding_id"].tolist() == [made["laptop"]]
    assert sorted(first[0]["text"]) == ["noted on the desktop", "noted on the laptop"]
    assert set(first[0]["target_id"]) == {made["laptop"]}
    # desktop first: the desktop's coding gave way when the laptop's came, kept in history
    history = second[3]
    set_aside = history[(history["entity_id"] == made["desktop"])
                        & history["action"].str.startswith("uncode (the same coding")]
    assert len(set_aside) == 1
    for ends in (first, second):
        found = pd.concat([r.findings for r in ends[2]])
        twice = found[found["finding"] == "same coding under two ids"]
        assert twice["coder"].tolist() == ["ana"] and made["laptop"] in twice["detail"].iloc[0]


def test_the_same_memo_on_the_same_coding_from_two_laptops_is_kept_once(lead, tmp_path):
    doc = doc_id(lead)
    for laptop in ("laptop", "desktop"):
        lead.copy_for("ana", tmp_path / laptop)
        with Project.open(tmp_path / laptop, user="ana") as copy:
            copy.code(doc, *span(P01, "a paper list"), "workaround", memo="on paper")
    copies = [tmp_path / "laptop", tmp_path / "desktop"]
    for memos, codings, *_ in _leads(lead, tmp_path, [copies, copies[::-1]]):
        # one coding, one memo on it, in either order (which laptop's memo id it is depends
        # on the order: README, Team coding across machines)
        assert len(codings) == 1
        assert memos[["target_id", "text"]].values.tolist() == [[codings["coding_id"][0],
                                                                 "on paper"]]
