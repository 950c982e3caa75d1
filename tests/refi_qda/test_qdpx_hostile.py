"""A .qdpx from an unknown sender: every unsafe or broken file is refused, nothing imported.

Each test crafts a real zip file in tmp_path and checks that the error names the entry (and
line, where there is one), says what to do, and that no project folder is left behind.
"""

from __future__ import annotations

import struct
import zipfile

import pytest

from tests.refi_qda.conftest import (
    CODE,
    SAMPLES,
    SOURCE,
    crafted_qde,
    write_qdpx,
)
from workbench import Project
from workbench.errors import InteropError

AGAIN = "export the project again"


def refused(tmp_path, archive, number: int) -> str:
    """Import ``archive``; assert it is refused with ``number`` and nothing is left."""
    target = tmp_path / "imported"
    with pytest.raises(InteropError) as caught:
        Project.import_qdpx(archive, target, user="tess")
    assert caught.value.code == f"WB-INTEROP-{number:03d}", str(caught.value)
    assert not target.exists(), "a refused import must leave no project folder"
    return str(caught.value)


def test_the_crafted_file_itself_imports(tmp_path):
    # The hostile files below are this one with one thing wrong: it must import cleanly.
    report = Project.import_qdpx(write_qdpx(tmp_path / "ok.qdpx", crafted_qde()), tmp_path / "ok",
                         user="tess")
    assert report.n_codings == 1 and len(report.documents) == 1


@pytest.mark.parametrize("entry", ["../evil.txt", "sources/../../evil.txt", "/etc/evil",
                                   "C:/Windows/evil.txt", "..\\evil.txt"])
def test_zip_slip_entries_are_refused(tmp_path, entry):
    archive = write_qdpx(tmp_path / "slip.qdpx", crafted_qde(), {entry: b"gotcha"})
    message = refused(tmp_path, archive, 21)
    assert f"entry '{entry}'" in message and "zip slip" in message
    assert AGAIN in message.lower()


def test_zip_bomb_by_compression_ratio_is_refused(tmp_path):
    # 20 MB of zeros deflates to about 20 kB: a ratio near 1000, where text gives about 3.
    bomb = b"\0" * 20_000_000
    archive = write_qdpx(tmp_path / "bomb.qdpx", crafted_qde(), {"sources/bomb.txt": bomb})
    message = refused(tmp_path, archive, 22)
    assert "entry 'sources/bomb.txt'" in message and "zip bomb" in message


def test_zip_bomb_by_declared_size_is_refused(tmp_path):
    archive = write_qdpx(tmp_path / "huge.qdpx", crafted_qde(), {"sources/huge.txt": b"x" * 10})
    data = bytearray(archive.read_bytes())
    # Declare 3 GB for the last entry in its local header (offset 22) and in the central
    # directory (offset 24), as a crafted archive would; the data stay 10 bytes.
    local = data.rfind(b"PK\x03\x04")
    central = data.rfind(b"PK\x01\x02")
    struct.pack_into("<I", data, local + 22, 3_000_000_000)
    struct.pack_into("<I", data, central + 24, 3_000_000_000)
    archive.write_bytes(bytes(data))
    message = refused(tmp_path, archive, 22)
    assert "'sources/huge.txt'" in message and "3,000,000,000 bytes" in message


EXTERNAL_ENTITY = '<!DOCTYPE Project [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
BILLION_LAUGHS = ("<!DOCTYPE Project [<!ENTITY lol \"lol\">"
                  + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i else "&lol;" * 10}">'
                            for i in range(9))
                  + "]>\n")


@pytest.mark.parametrize("doctype", [EXTERNAL_ENTITY, BILLION_LAUGHS],
                         ids=["external-entity", "billion-laughs"])
def test_xml_entities_are_refused(tmp_path, doctype):
    archive = write_qdpx(tmp_path / "xml.qdpx", crafted_qde(doctype=doctype))
    message = refused(tmp_path, archive, 3)
    assert message.startswith("WB-INTEROP-003: xml.qdpx: project.qde: refused")
    assert "document type declaration" in message and "Export the file again" in message


@pytest.mark.parametrize(("start", "end"), [(0, 29), (-1, 5), (3, 2)])
def test_selection_outside_its_source_is_refused(tmp_path, start, end):
    # The crafted source has 28 characters (tests/refi_qda/conftest.py TEXT).
    archive = write_qdpx(tmp_path / "range.qdpx", crafted_qde(start=start, end=end))
    message = refused(tmp_path, archive, 28)
    assert "range.qdpx: project.qde line 8: selection" in message
    assert "source 'hello.txt'" in message and AGAIN in message.lower()


def test_coding_with_an_unknown_code_guid_is_refused(tmp_path):
    stranger = "00000000-0000-4000-8000-00000000DEAD"
    archive = write_qdpx(tmp_path / "code.qdpx", crafted_qde(code_ref=stranger))
    message = refused(tmp_path, archive, 29)
    assert "code.qdpx: project.qde line 9: a <CodeRef> in a <Coding>" in message
    assert stranger in message and AGAIN in message.lower()


def test_reference_to_an_unknown_source_guid_is_refused(tmp_path):
    stranger = "00000000-0000-4000-8000-00000000BEEF"
    cases = (f'<Cases><Case guid="{CODE[:-1]}9" name="P01">'
             f'<SourceRef targetGUID="{stranger}"/></Case></Cases>')
    archive = write_qdpx(tmp_path / "source.qdpx", crafted_qde(cases=cases))
    message = refused(tmp_path, archive, 30)
    assert "source.qdpx: project.qde line 5: a <SourceRef> in a <Case>" in message
    assert stranger in message


def test_source_file_missing_from_the_archive_is_refused(tmp_path):
    archive = tmp_path / "missing.qdpx"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("project.qde", crafted_qde())
    message = refused(tmp_path, archive, 27)
    assert f"internal://{SOURCE}.txt" in message and "line 7" in message


@pytest.mark.parametrize("keep", [0.5, 0.99])
def test_truncated_archive_is_refused(tmp_path, keep):
    data = (SAMPLES / "qc-1.3.2_demo.qdpx").read_bytes()
    archive = tmp_path / "cut.qdpx"
    archive.write_bytes(data[: int(len(data) * keep)])
    message = refused(tmp_path, archive, 20)
    assert message.startswith("WB-INTEROP-020: cut.qdpx: not a complete zip archive")
    assert "cut short" in message and AGAIN in message.lower()


def test_existing_project_is_not_touched(tmp_path):
    first = Project.import_qdpx(write_qdpx(tmp_path / "ok.qdpx", crafted_qde()), tmp_path / "study",
                        user="tess")
    assert first.n_codings == 1
    with pytest.raises(InteropError) as caught:
        Project.import_qdpx(tmp_path / "ok.qdpx", tmp_path / "study", user="tess")
    assert caught.value.code == "WB-INTEROP-032" and "Choose a new folder" in str(caught.value)
    assert (tmp_path / "study" / "project.sqlite").exists()


def test_a_failure_while_storing_leaves_an_existing_empty_folder_empty(tmp_path, monkeypatch):
    # Everything checked passes; storing the codings then fails (as a full disk would):
    # the transaction rolls back and the project made for the import is removed.
    from workbench.errors import CodingError
    from workbench.refi_qda import _import_store

    def fail(*args, **kwargs):
        raise CodingError(99, "simulated failure while storing codings")

    monkeypatch.setattr(_import_store, "_store_codings", fail)
    folder = tmp_path / "empty"
    folder.mkdir()
    with pytest.raises(CodingError):
        Project.import_qdpx(write_qdpx(tmp_path / "x.qdpx", crafted_qde()), folder, user="tess")
    assert folder.exists() and not any(folder.iterdir())
