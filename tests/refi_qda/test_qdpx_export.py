"""Export: valid against Project.xsd in every state a project can be in; bad input refused."""

from __future__ import annotations

import zipfile

import pytest
from lxml import etree

from tests.conftest import span
from workbench import Project
from workbench.errors import InteropError
from workbench.refi_qda import code_guid


def _qde(path) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read("project.qde")


def test_an_empty_project_exports_a_valid_file(project, tmp_path, xsd):
    path = project.export_qdpx(tmp_path / "empty.qdpx")
    xsd.validate(_qde(path))


def test_a_retired_code_keeps_its_codings_and_is_not_codable(coded, tmp_path, xsd):
    project, docs = coded
    text = project.document(docs["interview_P01.txt"]).text
    project.code(docs["interview_P01.txt"], *span(text, "paper list"), "workaround")
    project.retire_code("workaround")
    path = project.export_qdpx(tmp_path / "retired.qdpx")
    xsd.validate(_qde(path))
    root = etree.fromstring(_qde(path))
    code = next(c for c in root.iter("{*}Code") if c.get("guid") == code_guid("workaround"))
    assert code.get("isCodable") == "false"
    Project.import_qdpx(path, tmp_path / "copy", user="zed")
    with Project.open(tmp_path / "copy") as copy:
        assert copy.codings()["text"].tolist() == ["paper list"]


def test_case_memos_are_linked_to_their_case(coded, tmp_path, xsd):
    project, _ = coded
    project.memo("case", "P02", "Works nights only.")
    path = project.export_qdpx(tmp_path / "memo.qdpx")
    xsd.validate(_qde(path))
    root = etree.fromstring(_qde(path))
    link = next(root.iter("{*}Link"))
    case = next(c for c in root.iter("{*}Case") if c.get("name") == "P02")
    assert link.get("targetGUID") == case.get("guid")


def test_a_memo_with_a_control_character_is_refused_and_nothing_written(project, tmp_path):
    project.memo("project", None, "page\x0cbreak")
    with pytest.raises(InteropError) as caught:
        project.export_qdpx(tmp_path / "bad.qdpx")
    assert caught.value.code == "WB-INTEROP-035" and "U+000C" in str(caught.value)
    assert "memo memo-" in str(caught.value)
    assert not list(tmp_path.glob("bad.qdpx*"))


def test_the_file_must_be_called_qdpx(project, tmp_path):
    with pytest.raises(InteropError) as caught:
        project.export_qdpx(tmp_path / "study.zip")
    assert caught.value.code == "WB-INTEROP-038"


def test_position_unit_must_be_one_of_the_allowed(tmp_path):
    with pytest.raises(InteropError) as caught:
        Project.import_qdpx(tmp_path / "x.qdpx", tmp_path / "p", position_unit="bytes")
    assert caught.value.code == "WB-INTEROP-033" and "codepoint, utf16" in str(caught.value)
