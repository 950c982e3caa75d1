"""Renaming and deleting documents after import: audited, and nothing else changes."""

from __future__ import annotations

import json

import pytest

from tests.conftest import P01, span
from workbench.errors import ProjectError


def test_a_renamed_document_keeps_its_text_segments_and_codings(coded):
    project, docs = coded
    doc = docs["interview_P01.txt"]
    project.code(doc, *span(P01, "too many alerts"), "trust", coder="ana")
    before = project.segments("sentence").query("doc_id == @doc")[["start", "end"]]
    project.rename_document("interview_P01.txt", "P01, first interview")
    row = project.documents().set_index("doc_id").loc[doc]
    assert row["name"] == "P01, first interview"
    after = project.segments("sentence").query("doc_id == @doc")[["start", "end"]]
    assert after.equals(before)
    quote = project.retrieve("trust").iloc[0]
    assert (quote["document"], quote["text"]) == ("P01, first interview", "too many alerts")
    change = project.history().query("action == 'rename document'").iloc[-1]
    assert change["entity_id"] == doc
    assert json.loads(change["before"])["name"] == "interview_P01.txt"
    assert json.loads(change["after"])["name"] == "P01, first interview"


def test_renaming_refuses_an_unknown_document_and_an_empty_name(coded):
    project, docs = coded
    history = len(project.history())
    with pytest.raises(ProjectError, match="WB-PROJECT-010: no document 'nope' to rename"):
        project.rename_document("nope", "x")
    with pytest.raises(ProjectError, match="WB-PROJECT-013: a document needs a name"):
        project.rename_document(docs["interview_P02.txt"], "  ")
    assert sorted(project.documents()["name"]) == ["interview_P01.txt", "interview_P02.txt"]
    assert len(project.history()) == history


def test_document_look_ups_find_by_id_or_name_and_skip_deleted_ones(coded):
    from workbench.corpus import views

    project, docs = coded
    doc = docs["interview_P01.txt"]
    conn = project._conn
    assert views.require_document(conn, "interview_P01.txt")["doc_id"] == doc
    assert views.require_document(conn, doc)["name"] == "interview_P01.txt"
    assert views.document_names(conn)[doc] == "interview_P01.txt"
    project.delete_document(doc)
    with pytest.raises(ProjectError, match="WB-PROJECT-008: no document 'interview_P01.txt'"):
        views.require_document(conn, "interview_P01.txt")
    assert doc not in views.document_names(conn)
    assert views.document_names(conn, active=False)[doc] == "interview_P01.txt"
    assert views.find_document(conn, doc, by_name=False, active=False)["status"] == "deleted"
