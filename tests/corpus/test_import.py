"""Importing: stable ids, duplicates, attributes and cases, and every kind of bad input."""

from __future__ import annotations

import sqlite3

import pytest
from reportlab.pdfgen import canvas

from tests.conftest import write
from workbench.errors import ImportError_

TRANSCRIPT = "Interviewer: How was it?\nP01: Long.\nInterviewer: Thanks.\n"


def _state(project):
    """Everything stored, to compare before and after a failed call."""
    conn = project._conn
    return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("documents", "segments", "cases", "attributes", "audit")}


def test_document_ids_are_stable_and_identical_files_are_skipped(tmp_path, project):
    first = write(tmp_path, "interview_P01.txt", TRANSCRIPT)
    copy = write(tmp_path / "copy", "renamed.txt", TRANSCRIPT)
    report = project.import_files([first], progress=False)
    again = project.import_files([first, copy], progress=False)
    assert again.imported == ()
    assert [name for name, _ in again.skipped] == ["interview_P01.txt", "renamed.txt"]
    assert "identical to 'interview_P01.txt'" in again.skipped[1][1]
    assert len(project.documents()) == 1
    # The id depends only on the canonical text: a new project gives the same id.
    from workbench import Project
    with Project.create(tmp_path / "other") as other:
        assert other.import_files([copy], progress=False).doc_ids == report.doc_ids


def test_a_folder_imports_its_supported_files(tmp_path, project):
    write(tmp_path / "in", "a.txt", TRANSCRIPT)
    write(tmp_path / "in", "sub/b.md", "# Note 2025-04-01\n\nA list on the whiteboard.\n")
    write(tmp_path / "in", ".hidden.txt", "not me")
    write(tmp_path / "in", "notes.json", "{}")
    report = project.import_files([tmp_path / "in"], progress=False)
    assert sorted(report.imported) == ["a.txt", "b.md"]


PARTICIPANTS = "participant_id,role,ward,tenure_years,interview_date\n" \
    "P01,staff nurse,4N,6,2025-04-28\nP02,staff nurse,4N,3,2025-04-29\n" \
    "P99,ward clerk,5E,1,2025-05-01\n"


def test_participant_attributes_join_by_id_in_the_file_name_and_form_cases(tmp_path, project):
    a = write(tmp_path, "interview_P01.txt", TRANSCRIPT)
    b = write(tmp_path, "interview_P02.txt", TRANSCRIPT.replace("P01", "P02"))
    sidecar = write(tmp_path, "participants.csv", PARTICIPANTS)
    report = project.import_files([a, b], attributes=sidecar, progress=False)
    assert report.unmatched_attributes == ("line 4 (P99)",)
    cases = project.cases().set_index("case_id")
    assert list(cases.index) == ["P01", "P02"]
    assert cases.loc["P01", "role"] == "staff nurse"
    assert cases.loc["P01", "tenure_years"] == 6
    assert str(cases.loc["P02", "interview_date"].date()) == "2025-04-29"
    assert project.documents().set_index("name").loc["interview_P02.txt", "case_id"] == "P02"


def test_yaml_sidecar_joined_by_file_column_sets_document_attributes(tmp_path, project):
    note = write(tmp_path, "fn_1.md", "# Note\n\nThe phone chirps.\n")
    sidecar = write(tmp_path, "docs.yaml",
                    "- file: fn_1.md\n  ward: 6W\n  date: 2025-04-10\n"
                    "- file: missing.md\n  ward: 4N\n")
    report = project.import_files([note], attributes=sidecar, progress=False)
    assert report.unmatched_attributes == ("line 3 (missing.md)",)
    doc = project.documents().iloc[0]
    assert (doc["ward"], doc["date"]) == ("6W", "2025-04-10")


def test_attributes_can_be_joined_after_import(tmp_path, project):
    project.import_files([write(tmp_path, "interview_P01.txt", TRANSCRIPT)], progress=False)
    unmatched = project.import_attributes(write(tmp_path, "p.csv", PARTICIPANTS))
    assert unmatched == ["line 3 (P02)", "line 4 (P99)"]
    assert project.cases()["case_id"].tolist() == ["P01"]
    assert project.history()["action"].tolist() == ["import", "set attributes"]


# --- bad input: each one names the file and stores nothing -----------------------------


def test_unknown_extension_lists_the_supported_ones(tmp_path, project):
    with pytest.raises(ImportError_, match=r"WB-IMPORT-001: notes.rtf: '.rtf' .*\.docx.*\.vtt"):
        project.import_files([write(tmp_path, "notes.rtf", "{\\rtf1 hi}")], progress=False)
    assert _state(project)["documents"] == 0


def test_empty_file(tmp_path, project):
    with pytest.raises(ImportError_, match="WB-IMPORT-003: empty.txt: the file is empty"):
        project.import_files([write(tmp_path, "empty.txt", "  \n\n")], progress=False)


def test_undecodable_bytes_name_the_file_and_byte_offset(tmp_path, project):
    # Valid UTF-8 for 13 bytes, then bytes no text encoding produces (NULs and 0xff).
    data = b"Interviewer: " + bytes([0xFF, 0x00, 0xFE, 0x00, 0x81]) * 40
    with pytest.raises(ImportError_, match=r"WB-IMPORT-005: garbled.txt: byte 13 \(0xff\)"):
        project.import_files([write(tmp_path, "garbled.txt", data)], progress=False)


@pytest.mark.parametrize(("name", "content", "message"), [
    ("bad.vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v A>hi\n\n00:00:05.000 --> banana\n"
     "<v B>no\n", r'bad.vtt line 6: cue timing "00:00:05.000 --> banana"'),
    ("nohead.vtt", "00:00:01.000 --> 00:00:04.000\nhi\n", "nohead.vtt line 1: a WebVTT file"),
    ("bad.srt", "1\n00:00:01,000 --> 00:00:04,000\nA: hi\n\n2\n00:00:09,000 --> 00:00:05,000\n"
     "B: no\n", r'bad.srt line 6: cue "00:00:09,000 --> 00:00:05,000" ends before it starts'),
])
def test_malformed_captions_name_the_file_and_line(tmp_path, project, name, content, message):
    with pytest.raises(ImportError_, match=message):
        project.import_files([write(tmp_path, name, content)], progress=False)


def test_pdf_without_a_text_layer_says_it_needs_ocr(tmp_path, project):
    pdf = canvas.Canvas(str(tmp_path / "scan.pdf"))
    pdf.rect(72, 72, 200, 300, fill=1)  # a page that is only a picture, like a scan
    pdf.save()
    with pytest.raises(ImportError_, match="WB-IMPORT-010: scan.pdf: .*no text layer.*OCR"):
        project.import_files([tmp_path / "scan.pdf"], progress=False)


def test_a_batch_with_one_bad_file_imports_nothing_and_names_the_file(tmp_path, project):
    project.import_files([write(tmp_path, "earlier.md", "# Note\n\nKept.\n")], progress=False)
    before = _state(project)
    good = [write(tmp_path, f"ok_{i}.txt", TRANSCRIPT + f"P01: {i}\n") for i in range(3)]
    bad = write(tmp_path, "broken.docx", b"PK\x03\x04 this is not really a Word file")
    with pytest.raises(ImportError_, match="broken.docx"):
        project.import_files([*good, bad], progress=False)
    assert _state(project) == before


def test_bad_attribute_file_is_refused_before_anything_is_read(tmp_path, project):
    sidecar = write(tmp_path, "p.csv", "name,role\nAna,nurse\n")
    with pytest.raises(ImportError_, match="WB-IMPORT-025: p.csv: needs a column"):
        project.import_files([write(tmp_path, "a.txt", TRANSCRIPT)], attributes=sidecar,
                             progress=False)
    assert _state(project)["documents"] == 0


def test_unknown_kind_lists_the_kinds(tmp_path, project):
    with pytest.raises(ImportError_, match="kind='memo' is not one of: interview, fieldnote"):
        project.import_files([write(tmp_path, "a.txt", TRANSCRIPT)], kind="memo")


def test_segments_are_never_stored_without_their_document(tmp_path, project):
    # The import copies segments without checking each one's document (it stores exactly
    # those documents); the check is back on after it, whether it succeeded or failed.
    project.import_files([write(tmp_path, "a.txt", TRANSCRIPT)], progress=False)
    with pytest.raises(ImportError_):
        project.import_files([write(tmp_path, "b.txt", TRANSCRIPT + "P01: b\n"),
                              write(tmp_path, "bad.docx", b"PK not Word")], progress=False)
    with pytest.raises(sqlite3.IntegrityError):
        project._conn.execute(
            "INSERT INTO segments VALUES ('nope', 'turn', 0, 0, 1, NULL, NULL, NULL)")


def test_worker_processes_give_the_same_project_as_one_process(tmp_path):
    from workbench import Project

    folder = tmp_path / "batch"
    for i in range(20):
        write(folder, f"t{i:02d}.txt", TRANSCRIPT + f"P01: answer {i % 15}. More.\n")
    results = []
    for workers in (1, 2):
        with Project.create(tmp_path / f"w{workers}") as project:
            report = project.import_files([folder], workers=workers, progress=False)
            segments = project.segments("sentence")[["document", "start", "end", "speaker"]]
            results.append((report.imported, report.skipped, segments))
    assert results[0][0] == results[1][0]
    # t15..t19 repeat t00..t04 (answer i % 15), so 5 are skipped as identical.
    assert len(results[0][1]) == 5 and results[0][1] == results[1][1]
    assert results[0][2].equals(results[1][2])
