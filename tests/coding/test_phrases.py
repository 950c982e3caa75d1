"""Coding a phrase by its words (issue 17, item 7): ``project.code_text``."""

from __future__ import annotations

import pytest

from tests.conftest import P01
from workbench.errors import CodingError


def test_a_phrase_is_coded_at_its_occurrence(coded):
    project, docs = coded
    coding = project.code_text("interview_P01.txt", "Interviewer", "trust", occurrence=2)
    # P01's second "Interviewer" opens its third line: at the offset str.find gives.
    second = P01.find("Interviewer", 1)
    assert (coding.start, coding.end, coding.text) == (second, second + 11, "Interviewer")
    assert project.codings(code="trust")["coder"].tolist() == ["ana"]


def test_a_phrase_not_in_the_text_is_refused_with_close_matches(coded):
    project, _ = coded
    with pytest.raises(CodingError, match=r"WB-CODING-047: interview_P01.txt: 'paper lists' "
                       r"is not in the text.*Close matches: 'paper list'"):
        project.code_text("interview_P01.txt", "paper lists", "workaround")
    with pytest.raises(CodingError, match=r"WB-CODING-046: interview_P01.txt: 'paper list' "
                       r"occurs 1 time\(s\), so there is no occurrence 2"):
        project.code_text("interview_P01.txt", "paper list", "workaround", occurrence=2)
    with pytest.raises(CodingError, match="WB-CODING-044"):
        project.code_text("interview_P01.txt", "paper list", "workaround", occurrence=0)
    assert project.codings(code="workaround").empty, "nothing refused was stored"
