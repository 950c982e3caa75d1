"""Semantic search: passages like a text or a coding, best first, and bad queries refused."""

from __future__ import annotations

import pytest

from tests.conftest import CODEBOOK, write
from workbench.errors import SemanticError
from workbench.semantic import BACKENDS, SIMILAR_COLUMNS

#: The four sentences about alarms in interview_P01 (tests/semantic/conftest.py).
ALARM = {"The alarm went off all night.", "We ignored the alarm after a while.",
         "Too many false alarms, honestly."}

#: The other sentences about lab results in interview_P02.
LAB = {"The lab numbers are often stale.", "We phone the laboratory to confirm.",
       "Then I write the lab result on paper."}


@pytest.mark.parametrize("name", BACKENDS)
def test_a_text_finds_the_passages_on_its_theme(interviews, offline_models, name):
    found = interviews.similar("the alarm was ignored all night", top=3, backend=name)
    assert list(found.columns) == SIMILAR_COLUMNS
    assert len(found) == 3
    assert found["text"].iloc[0] in ALARM
    assert found["score"].is_monotonic_decreasing
    assert set(found["speaker"]) <= {"P01", "P02", "Interviewer"}
    # offsets slice the document's own text
    row = found.iloc[0]
    assert interviews.document(row["doc_id"]).text[row["start"]:row["end"]] == row["text"]


def test_a_coding_finds_passages_like_it_but_not_itself(interviews, offline_models, tmp_path):
    interviews.set_codebook(write(tmp_path, "codebook.yaml", CODEBOOK))
    segments = interviews.segments("sentence").set_index("text")
    lab = segments.loc["I check the lab values by hand."]
    coding = interviews.code(lab["doc_id"], lab["start"], lab["end"], "manual-verification")
    found = interviews.similar(coding.coding_id, top=3)
    assert "I check the lab values by hand." not in set(found["text"])
    assert found["text"].iloc[0] in LAB


def test_equal_scores_keep_document_order(project, tmp_path, offline_models):
    # the same sentence in two documents scores the same: the document named first comes first
    # (two identical files would be imported once: the second is a duplicate)
    project.import_files([write(tmp_path, "b.txt", "The alarm rang. Lunch was late."),
                          write(tmp_path, "a.txt", "The alarm rang. Coffee was cold.")],
                         progress=False)
    found = project.similar("The alarm rang.", top=2)
    assert found["document"].tolist() == ["a.txt", "b.txt"]
    assert found["score"].iloc[0] == found["score"].iloc[1]
    assert project.similar("The alarm rang.", top=2).equals(found)


def test_top_larger_than_the_project_returns_every_segment(interviews, offline_models):
    assert len(interviews.similar("alarm", top=100)) == 14  # 7 + 7 sentences (hand count)


@pytest.mark.parametrize(("query", "top", "number"), [
    ("   ", 5, "006"),
    ("coding-01JD5X4M8Q3V6W2R9T0B7N1K4C", 5, "007"),
    ("alarm", 0, "008"),
])
def test_bad_queries_are_refused(interviews, offline_models, query, top, number):
    with pytest.raises(SemanticError, match=f"WB-SEMANTIC-{number}"):
        interviews.similar(query, top=top)


def test_a_query_of_unknown_words_is_refused(interviews):
    with pytest.raises(SemanticError, match="WB-SEMANTIC-009: none of the words of 'zqxv'"):
        interviews.similar("zqxv", backend="tfidf-svd")
