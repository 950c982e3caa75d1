"""Copies that cannot be merged are refused whole (or per document), and change nothing."""

from __future__ import annotations

import hashlib
import sqlite3

import pandas as pd
import pytest

from tests.conftest import P01
from tests.team.conftest import build, code_passages, coded_copy, doc_id
from workbench import Project
from workbench.errors import TeamError


def _unchanged(project: Project):
    """What must stay as it was when a merge is refused."""
    return project.codings("all"), project.memos(), len(project.history())


def _assert_unchanged(project: Project, before) -> None:
    codings, memos, history = before
    pd.testing.assert_frame_equal(project.codings("all"), codings)
    pd.testing.assert_frame_equal(project.memos(), memos)
    assert len(project.history()) == history


def test_a_copy_of_a_different_project_is_refused(lead, tmp_path):
    with Project.create(tmp_path / "other", user="ana") as other:
        other.import_files([_text(tmp_path, "unrelated.txt", "Something else entirely.\n")],
                           progress=False)
    before = _unchanged(lead)
    with pytest.raises(TeamError, match=r"WB-TEAM-005: .*shares no document.*unrelated\.txt"):
        lead.merge(tmp_path / "other")
    _assert_unchanged(lead, before)


def test_a_copy_from_a_newer_workbench_is_refused(lead, tmp_path):
    folder = coded_copy(lead, "ana", tmp_path / "ana")
    # what a later workbench would have recorded after upgrading the copy
    with sqlite3.connect(folder / "project.sqlite") as db:
        db.execute("INSERT INTO migrations VALUES (99, 'from the future', '2030-01-01')")
    before = _unchanged(lead)
    with pytest.raises(TeamError, match=r"WB-TEAM-004: .*schema version 99"):
        lead.merge(folder)
    _assert_unchanged(lead, before)


def test_a_document_whose_text_changed_is_refused_for_itself_and_listed(lead, tmp_path):
    edited = P01.replace("by hand", "manually")
    with build(tmp_path / "edited", tmp_path / "files2", p01=edited) as other:
        doc = other.document("interview_P01.txt").doc_id
        other.code(doc, 0, 11, "trust", coder="ana")
        other.code(other.document("interview_P02.txt").doc_id, 0, 11, "trust", coder="ana")
    report = lead.merge(tmp_path / "edited")
    differs = report.to_check().query("finding == 'document text differs'")
    assert differs["document"].tolist() == ["interview_P01.txt"]
    # ana's coding in P02 (same text on both sides) came in; the one in P01 did not
    assert lead.codings("ana")["document"].tolist() == ["interview_P02.txt"]


def test_a_consensus_layer_made_in_a_copy_is_refused_unless_left_out(lead, tmp_path):
    lead.copy_for("ana", tmp_path / "ana")
    with Project.open(tmp_path / "ana", user="ana") as copy:
        code_passages(copy, "ana")
        code_passages(copy, "ben")
        copy.reconcile(["ana", "ben"], {}, default="ana")
    before = _unchanged(lead)
    with pytest.raises(TeamError, match=r"WB-TEAM-006: .*'consensus'.*project.reconcile"):
        lead.merge(tmp_path / "ana")
    _assert_unchanged(lead, before)
    lead.merge(tmp_path / "ana", coders=["ana", "ben"])
    assert sorted(set(lead.codings("all")["coder"])) == ["ana", "ben"]


def test_renaming_a_coder_to_a_reserved_name_is_refused(lead, tmp_path):
    folder = coded_copy(lead, "ana", tmp_path / "ana")
    with pytest.raises(TeamError, match=r"WB-TEAM-006: .*'all' .*reserved"):
        lead.merge(folder, coders={"ana": "all"})


def test_asking_for_a_coder_the_copy_does_not_have_lists_its_coders(lead, tmp_path):
    folder = coded_copy(lead, "ana", tmp_path / "ana")
    with pytest.raises(TeamError, match=r"WB-TEAM-007: coders=\['bob'\].*coders are: ana"):
        lead.merge(folder, coders=["bob"])


def test_renaming_keeps_a_coder_apart(lead, tmp_path):
    folder = coded_copy(lead, "ana", tmp_path / "ana")
    lead.merge(folder, coders={"ana": "ana-laptop"})
    assert set(lead.codings("all")["coder"]) == {"ana-laptop"}


def test_a_folder_that_is_not_a_project_is_refused(lead, tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(TeamError, match="WB-TEAM-003: .*neither a workbench project"):
        lead.merge(tmp_path / "empty")
    (tmp_path / "empty" / "project.sqlite").write_bytes(b"not a database at all, honestly")
    with pytest.raises(TeamError, match="WB-TEAM-003: .*not a workbench project database"):
        lead.merge(tmp_path / "empty")


def test_one_refused_copy_stops_the_whole_merge(lead, tmp_path):
    good = coded_copy(lead, "ana", tmp_path / "ana")
    bad = coded_copy(lead, "ben", tmp_path / "ben")
    with sqlite3.connect(bad / "project.sqlite") as db:
        db.execute("INSERT INTO migrations VALUES (99, 'from the future', '2030-01-01')")
    before = _unchanged(lead)
    with pytest.raises(TeamError, match="WB-TEAM-004"):
        lead.merge([good, bad])
    _assert_unchanged(lead, before)


def test_copies_for_a_reserved_name_or_into_a_project_are_refused(lead, tmp_path):
    with pytest.raises(TeamError, match=r"WB-TEAM-001: .*'consensus'.*reserved"):
        lead.copy_for("consensus", tmp_path / "c")
    with pytest.raises(TeamError, match="WB-TEAM-002: .*already holds a project"):
        lead.copy_for("ana", lead.path)
    with lead.atomic(), pytest.raises(TeamError, match="WB-TEAM-009: .*after the block"):
        lead.copy_for("ana", tmp_path / "c")
    assert not (tmp_path / "c").exists()
    assert doc_id(lead)  # the project is still there and readable


def _text(folder, name, text):
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_an_unknown_documents_option_lists_the_allowed_ones(lead, tmp_path):
    folder = coded_copy(lead, "ana", tmp_path / "ana")
    with pytest.raises(TeamError, match=r"WB-TEAM-008: documents='copy' is not one of: list, "
                                        "import"):
        lead.merge(folder, documents="copy")


def test_a_document_edited_inside_a_copy_is_refused_for_itself(lead, tmp_path):
    folder = coded_copy(lead, "ana", tmp_path / "ana")
    with Project.open(folder, user="ana") as copy:
        copy.code(doc_id(copy, "interview_P02.txt"), 0, 11, "trust")
    # the transcript's text changed in the copy under the same id (edited by another tool)
    edited = P01.replace("by hand", "manually")
    with sqlite3.connect(folder / "project.sqlite") as db:
        db.execute("UPDATE documents SET text = ?, sha256 = ? WHERE name = ?",
                   (edited, hashlib.sha256(edited.encode()).hexdigest(), "interview_P01.txt"))
    report = lead.merge(folder)
    differs = report.to_check().query("finding == 'document text differs'")
    assert differs["document"].tolist() == ["interview_P01.txt"]
    # ana's 3 codings in P01 stay out (conftest PASSAGES); her one in P02 comes in
    assert lead.codings("ana")["document"].tolist() == ["interview_P02.txt"]
    assert report.findings.query("finding == 'codings left out'")["n"].tolist() == [3]
