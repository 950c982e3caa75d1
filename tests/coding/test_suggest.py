"""Rule-based suggestions on lemmas; accepting, rejecting, and measuring them."""

from __future__ import annotations

import pytest

from tests.coding.test_queries import PASSAGES, span
from workbench.errors import CodingError


def test_patterns_match_on_lemmas_whatever_the_case_and_form(coded):
    project, _ = coded
    found = project.suggest()
    by_code = found.groupby("code_id")["text"].apply(list).to_dict()
    # "check the lab" matches "checked the labs"; "recheck" matches "recheck".
    assert by_code["manual-verification"] == ["I checked the labs by hand.",
                                              "I recheck everything, Zoë 👍 does too."]
    assert by_code["workaround"] == ["Then we kept a paper list on the whiteboard."]
    assert by_code["trust"] == ["Did you trust the score?"]
    assert by_code["alert-fatigue"] == ["There were too many alerts, honestly."]
    assert project.codings().empty, "a suggestion is never a coding until accepted"
    assert len(project.suggest()) == 5, "running again adds nothing"


def test_accept_and_reject_are_recorded(coded):
    project, _ = coded
    found = project.suggest().set_index("code_id")
    coding = project.accept_suggestion(found.loc["workaround", "suggestion_id"], coder="ana")
    project.reject_suggestion(found.loc["trust", "suggestion_id"], coder="ana")
    assert coding.origin == "suggestion-accepted"
    assert project.codings()["text"].tolist() == [
        "Then we kept a paper list on the whiteboard."]
    assert project.suggestions("rejected")["code_id"].tolist() == ["trust"]
    assert project.history()["action"].tolist()[-3:] == ["code", "accept suggestion",
                                                          "reject suggestion"]
    with pytest.raises(CodingError, match="already rejected by ana"):
        project.accept_suggestion(found.loc["trust", "suggestion_id"], coder="ben")


def test_quality_is_precision_and_recall_against_a_coders_manual_codings(coded):
    project, docs = coded
    for name, text, passage, code in PASSAGES.values():
        project.code(docs[name], *span(text, passage), code, coder="ana")
    project.suggest()
    table = project.suggestion_quality("ana").set_index("code_id")
    # Hand count: both manual-verification suggestions overlap ana's A and F; the trust
    # suggestion is the interviewer's question, which ana did not code (she coded P01's
    # answer "Not that week."); "repair" has no patterns, so its coding C is never found.
    assert table.loc["manual-verification", ["suggestions", "confirmed", "codings",
                                             "found"]].tolist() == [2, 2, 2, 2]
    assert table.loc["trust", "precision"] == 0 and table.loc["trust", "recall"] == 0
    assert table.loc["alert-fatigue", "precision"] == 1
    assert table.loc["repair", "recall"] == 0
    assert table["precision"].isna().loc["repair"]
