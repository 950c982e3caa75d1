"""CodingView's Python side: every action goes through the project and reports plainly.

These tests call the widget as its front end does (``_on_message``) and as a notebook does
(its methods), without a browser; ``test_coding_view_browser.py`` drives the real thing.
"""

from __future__ import annotations

import asyncio
import colorsys
import threading

import pytest

from tests.conftest import span
from tests.widgets.conftest import NURSE, ZOE, doc_ids
from workbench import Project
from workbench.widgets import CodingView
from workbench.widgets._view_data import child_shade


def send(view: CodingView, action: str, **content) -> dict:
    """What the front end sends for one action; returns the status the person sees."""
    view._on_message(view, {"action": action, "seq": "test:1", **content}, [])
    return view.status


def select(view: CodingView, passage: str, code: str) -> dict:
    start, end = span(view.text, passage)
    return send(view, "code", doc_id=view.doc_id, start=start, end=end, code_id=code,
                outside=False)


def test_opens_the_first_document_with_turns_codes_and_suggestions(study):
    view = CodingView(study, coder="ana")
    assert view.document_name == "interview_N07.txt"
    assert view.text == NURSE
    assert [t["speaker"] for t in view.turns] == ["Interviewer", "N07"] * 3
    assert len(view.codes) == 60 and view.codes[0]["depth"] == 0
    # The tree lists each code after its parent.
    position = {c["code_id"]: i for i, c in enumerate(view.codes)}
    assert all(position[c["parent_id"]] < i for i, c in enumerate(view.codes) if c["parent_id"])
    assert {s["code_id"] for s in view.suggestions} >= {"manual-verification", "workarounds"}
    assert view.status["kind"] == "info"


def test_a_selection_is_stored_with_its_exact_offsets(study):
    view = CodingView(study, coder="ana", document="interview_Z02.txt")
    status = select(view, "📋 on the whiteboard", "workarounds")
    assert status == {"seq": "test:1", "n": status["n"], "kind": "saved",
                      "message": "Saved: “📋 on the whiteboard” coded Workarounds."}
    stored = study.codings(coder="ana")
    assert stored["text"].tolist() == ["📋 on the whiteboard"]
    # Hand count: 📋 is code point 224 of ZOE (UTF-16 unit 226: 👍 and 😕 come before it); the
    # passage is 19 code points long.
    assert (stored["start"][0], stored["end"][0]) == (224, 243)
    assert [c["coding_id"] for c in view.codings] == stored["coding_id"].tolist()


@pytest.mark.parametrize(("content", "expected"), [
    ({"start": None, "end": None}, "nothing is selected"),
    ({"start": 5, "end": 5}, "nothing is selected"),
    ({"start": 0, "end": 10, "outside": True}, "goes beyond this document"),
    ({"start": 0, "end": 10, "doc_id": "another"}, "made in another document"),
    ({"start": 0, "end": 10, "code_id": "no-such-code"}, "is not a code in this project"),
    ({"start": 0, "end": 10_000}, "is outside document"),
])
def test_bad_selections_store_nothing_and_say_why(study, content, expected):
    view = CodingView(study, coder="ana")
    message = {"doc_id": view.doc_id, "code_id": "trust", "outside": False, **content}
    status = send(view, "code", **message)
    assert status["kind"] == "error"
    assert status["message"].startswith("Not saved: ") and expected in status["message"]
    assert "WB-" not in status["message"] and "Traceback" not in status["message"]
    assert study.codings().empty


def test_a_code_retired_while_the_widget_is_open_is_refused(study):
    view = CodingView(study, coder="ana")
    with Project.open(study.path, user="maya") as colleague:
        colleague.retire_code("alert-fatigue")
    status = select(view, "too many alerts", "alert-fatigue")
    assert status["kind"] == "error" and "retired" in status["message"]
    assert study.codings().empty
    # The picker is refreshed, so the retired code is no longer offered.
    assert {c["code_id"]: c["status"] for c in view.codes}["alert-fatigue"] == "retired"


def test_remove_a_coding_but_only_ones_own(study):
    doc = doc_ids(study)["interview_N07.txt"]
    theirs = study.code(doc, *span(NURSE, "paper list"), "workarounds", coder="ben")
    view = CodingView(study, coder="ana")
    select(view, "recheck everything by hand", "manual-verification")
    mine = study.codings(coder="ana")["coding_id"][0]
    status = send(view, "uncode", coding_id=theirs.coding_id)
    assert status["kind"] == "error" and "ben's" in status["message"]
    assert send(view, "uncode", coding_id=mine)["kind"] == "saved"
    assert study.codings()["coding_id"].tolist() == [theirs.coding_id]
    again = send(view, "uncode", coding_id=mine)
    assert again["kind"] == "error" and "no longer in this document" in again["message"]


def test_blind_mode_shows_only_the_coders_own_codings(study):
    doc = doc_ids(study)["interview_N07.txt"]
    study.code(doc, *span(NURSE, "paper list"), "workarounds", coder="ben")
    mine = study.code(doc, *span(NURSE, "paper list"), "workarounds", coder="ana")
    assert len(CodingView(study, coder="ana").codings) == 2
    blind = CodingView(study, coder="ana", blind=True)
    assert [c["coding_id"] for c in blind.codings] == [mine.coding_id]
    blind.blind = False
    assert len(blind.codings) == 2


def test_memos_on_the_document_and_on_a_coding(study):
    view = CodingView(study, coder="ana")
    select(view, "paper list", "workarounds")
    coding = view.codings[0]["coding_id"]
    assert send(view, "memo", text="Lists kept by hand.", coding_id=coding)["kind"] == "saved"
    assert send(view, "memo", text="Night shift.", coding_id=None)["kind"] == "saved"
    assert {(m["target_kind"], m["text"]) for m in view.memos} == {
        ("coding", "Lists kept by hand."), ("document", "Night shift.")}
    empty = send(view, "memo", text="  ", coding_id=None)
    assert empty["kind"] == "error" and "needs some text" in empty["message"]
    assert len(study.memos()) == 2


def test_a_memo_is_changed_and_its_old_text_kept_in_the_history(study):
    view = CodingView(study, coder="ben")
    send(view, "memo", text="Night shift.", coding_id=None)
    memo_id = view.memos[0]["memo_id"]
    status = send(view, "edit_memo", memo_id=memo_id, text="Night shift, ward 5E.")
    assert status["kind"] == "saved" and "memo changed" in status["message"]
    assert [m["text"] for m in view.memos] == ["Night shift, ward 5E."]
    edit = study.history().iloc[-1]
    assert (edit["action"], edit["actor"]) == ("edit memo", "ben")
    assert "Night shift." in edit["before"]
    empty = send(view, "edit_memo", memo_id=memo_id, text=" ")
    assert empty["kind"] == "error" and "needs some text" in empty["message"]
    gone = send(view, "edit_memo", memo_id="memo_nope", text="x")
    assert gone["kind"] == "error" and "no longer shown here" in gone["message"]
    assert study.memos()["text"].tolist() == ["Night shift, ward 5E."]


def test_accept_and_reject_suggestions(study):
    view = CodingView(study, coder="ana")
    first, second = view.suggestions[:2]
    assert send(view, "accept", suggestion_id=first["suggestion_id"])["kind"] == "saved"
    assert send(view, "reject", suggestion_id=second["suggestion_id"])["kind"] == "saved"
    codings = study.codings(coder="ana")
    assert codings["origin"].tolist() == ["suggestion-accepted"]
    assert (codings["start"][0], codings["end"][0]) == (first["start"], first["end"])
    decided = study.suggestions().set_index("suggestion_id")["status"]
    assert decided[first["suggestion_id"]] == "accepted"
    assert decided[second["suggestion_id"]] == "rejected"
    assert first["suggestion_id"] not in {s["suggestion_id"] for s in view.suggestions}
    twice = send(view, "accept", suggestion_id=first["suggestion_id"])
    assert twice["kind"] == "error" and "already accepted" in twice["message"]


def test_move_between_documents(study):
    view = CodingView(study, coder="ana")
    send(view, "next")
    assert view.document_name == "interview_Z02.txt" and view.text == ZOE
    send(view, "next")
    assert view.document_name == "interview_N07.txt"
    send(view, "previous")
    assert view.document_name == "interview_Z02.txt"
    send(view, "open", doc_id=doc_ids(study)["interview_N07.txt"])
    assert view.document_name == "interview_N07.txt"
    missing = send(view, "open", doc_id="nope")
    assert missing["kind"] == "error" and missing["message"].startswith("Could not open it:")
    assert view.document_name == "interview_N07.txt"


def test_messages_from_another_thread_run_on_the_projects_thread(study):
    """ipykernel 7 may deliver widget messages on a subshell thread; SQLite connections serve
    one thread, so the view hands them to the event loop of the thread that made it."""
    async def in_a_kernel_like_loop():
        view = CodingView(study, coder="ana")
        worker = threading.Thread(target=select, args=(view, "paper list", "workarounds"))
        worker.start()
        worker.join()
        assert study.codings().empty  # not yet: the loop runs it when this cell yields
        await asyncio.sleep(0)
        return view

    view = asyncio.run(in_a_kernel_like_loop())
    assert view.status["kind"] == "saved"
    assert study.codings(coder="ana")["text"].tolist() == ["paper list"]


def test_refresh_reads_changes_made_elsewhere(study):
    view = CodingView(study, coder="ana")
    study.code(view.doc_id, *span(NURSE, "paper list"), "workarounds", coder="ben")
    assert view.codings == []
    assert send(view, "refresh")["kind"] == "info"
    assert [c["coder"] for c in view.codings] == ["ben"]


def test_unknown_action_and_empty_project(project):
    view = CodingView(project, coder="ana")
    assert view.text == "" and "no documents yet" in view.status["message"]
    assert send(view, "dance")["kind"] == "error"
    assert repr(view) == "CodingView(no document, coder='ana', 0 codings shown)"


def test_what_is_shown_after_actions_is_what_the_project_holds(study):
    """The view updates its lists from what each action returned; a fresh view reads them
    from the project. Both must show the same."""
    view = CodingView(study, coder="ana")
    select(view, "paper list", "workarounds")
    select(view, "recheck everything by hand", "manual-verification")
    send(view, "memo", text="Two kinds of repair.", coding_id=view.codings[0]["coding_id"])
    send(view, "uncode", coding_id=view.codings[1]["coding_id"])
    send(view, "accept", suggestion_id=view.suggestions[0]["suggestion_id"])
    send(view, "reject", suggestion_id=view.suggestions[0]["suggestion_id"])
    fresh = CodingView(study, coder="ana")

    def by_id(rows: list[dict], key: str) -> dict:
        return {row[key]: row for row in rows}

    assert by_id(view.codings, "coding_id") == by_id(fresh.codings, "coding_id")
    assert by_id(view.suggestions, "suggestion_id") == by_id(fresh.suggestions, "suggestion_id")
    assert by_id(view.memos, "memo_id") == by_id(fresh.memos, "memo_id")


def test_codes_without_a_colour_take_a_shade_of_their_parents(coded):
    project, _ = coded
    colours = {c["code_id"]: c["color"] for c in CodingView(project, coder="ana").codes}
    # tests/conftest.py's codebook colours only 'repair' (#aa0000); its two children have none.
    # Each takes a shade of it: the same hue, one lighter (first child), one darker (second),
    # so the three are told apart in the tree and in the text. The top-level codes without
    # a colour get distinct colours from the palette.
    assert colours["repair"] == "#aa0000"
    shades = [colours["manual-verification"], colours["workaround"]]
    assert shades == [child_shade("#aa0000", 0), child_shade("#aa0000", 1)]
    assert len({"#AA0000", *shades}) == 3
    # Hue kept, lightness up for the first child and down for the second (HLS).
    hls = [colorsys.rgb_to_hls(*(int(c[i:i + 2], 16) / 255 for i in (1, 3, 5)))
           for c in ("#aa0000", *shades)]
    assert {round(h[0], 2) for h in hls} == {0.0}
    assert hls[1][1] > hls[0][1] > hls[2][1]
    assert len({colours["trust"], colours["alert-fatigue"], "#aa0000"}) == 3


def test_a_child_shade_is_the_same_every_time_and_stays_readable():
    # A very light and a very dark parent: a step past the range 0.15-0.85 wraps round.
    for parent in ("#F8F8F8", "#101010", "#4E79A7"):
        shades = [child_shade(parent, n) for n in range(8)]
        assert shades == [child_shade(parent, n) for n in range(8)]
        assert len({parent.upper(), *shades}) == 9  # eight siblings, all told apart
        for shade in shades:
            rgb = (int(shade[i:i + 2], 16) / 255 for i in (1, 3, 5))
            assert 0.14 <= colorsys.rgb_to_hls(*rgb)[1] <= 0.86
