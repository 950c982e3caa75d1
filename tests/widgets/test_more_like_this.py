"""CodingView's "More like this" on a selection, kernel side: the front end's messages, the
passages listed, and opening one of them."""

from __future__ import annotations

import pytest

from tests.conftest import span
from tests.widgets.test_coding_view import send
from workbench.widgets import CodingView


@pytest.fixture
def view(study):
    """The widget on interview_N07, with the default (static) backend."""
    return CodingView(study, coder="ana", document="interview_N07.txt")


def test_more_like_this_lists_passages_like_the_selection(view, study):
    start, end = span(view.text, "we had to recheck everything by hand")
    status = send(view, "more_like_this", doc_id=view.doc_id, start=start, end=end,
                  outside=False)
    assert status["kind"] == "info" and status["message"].startswith("10 passages like")
    found = view.similar
    assert len(found) == 10 and [r["score"] for r in found] == sorted(
        (r["score"] for r in found), reverse=True)
    # the sentence selected from is left out; Zoë's rechecking is the nearest passage
    assert all(not (r["doc_id"] == view.doc_id and r["start"] < end and r["end"] > start)
               for r in found)
    assert (found[0]["document"], found[0]["text"]) == ("interview_Z02.txt",
                                                          "I'd recheck the obs myself.")
    # offsets slice the document's text, so the front end can select the passage
    assert all(study.document(r["doc_id"]).text[r["start"]:r["end"]] == r["text"]
               for r in found)
    # opening the passage's document (the front end then selects it) keeps the list
    send(view, "open", doc_id=found[0]["doc_id"])
    assert view.document_name == "interview_Z02.txt" and view.similar == found


@pytest.mark.parametrize(("content", "expected"), [
    ({"start": None, "end": None}, "Nothing to search for: select a passage"),
    ({"start": 0, "end": 10, "outside": True}, "Nothing searched: the selection goes beyond"),
    ({"start": 0, "end": 10, "doc_id": "another"}, "Nothing searched: the selection was made"),
])
def test_a_bad_selection_searches_nothing_and_says_why(view, content, expected):
    status = send(view, "more_like_this", **{"doc_id": view.doc_id, "outside": False,
                                             **content})
    assert status["kind"] == "error" and status["message"].startswith(expected)
    assert view.similar == []
