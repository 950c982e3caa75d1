"""Each supported format imported from a real file of that format."""

from __future__ import annotations

import docx
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from tests.conftest import write


def _only(project, unit):
    return project.segments(unit)


def test_txt_with_timestamped_turns_and_multiline_turns(tmp_path, project):
    path = write(tmp_path, "interview_P02.txt",
                 "Riverside study, interview P02, 2025-04-29\n\n"
                 "[00:00:05] Interviewer: How was the night?\n\n"
                 "[00:00:09] P02: Busy. The phone went\noff all night.\n\n"
                 "[00:01:10] Interviewer: Thanks.\n")
    project.import_files([path], progress=False)
    turns = _only(project, "turn")
    assert turns["speaker"].tolist() == ["Interviewer", "P02", "Interviewer"]
    assert turns["text"].tolist() == ["How was the night?", "Busy. The phone went\noff all night.",
                                      "Thanks."]
    # [00:00:09] is 9 s; the turn ends when the next begins, at [00:01:10] = 70 s.
    assert turns[["t_start", "t_end"]].iloc[1].tolist() == [9.0, 70.0]
    assert project.documents().loc[0, "date"] == "2025-04-29"
    assert project.documents().loc[0, "kind"] == "interview"


def test_q_and_a_prefixes(tmp_path, project):
    path = write(tmp_path, "qa.txt", "Q: What changed?\n\nA: More calls.\nA lot more.\n\nQ: Why?\n")
    project.import_files([path], progress=False)
    turns = _only(project, "turn")
    assert turns["speaker"].tolist() == ["Q", "A", "Q"]
    assert turns["text"].tolist()[1] == "More calls.\nA lot more."


def test_markdown_front_matter_becomes_attributes_and_leaves_the_text(tmp_path, project):
    path = write(tmp_path, "fn.md", "---\ndate: 2025-03-31\nward: 4N\nshift: night\n---\n"
                 "# Night on 4N\n\n02:10 - the outage list is on the whiteboard.\n")
    project.import_files([path], progress=False)
    doc = project.documents().iloc[0]
    assert (doc["kind"], doc["date"], doc["ward"], doc["shift"]) == (
        "fieldnote", "2025-03-31", "4N", "night")
    assert project.document(doc["doc_id"]).text.startswith("# Night on 4N")


def test_field_note_date_from_a_header_line(tmp_path, project):
    path = write(tmp_path, "fn.md", "# Field note - 5E, night shift - 8 April 2025\n\nQuiet.\n")
    project.import_files([path], progress=False)
    assert project.documents().loc[0, "date"] == "2025-04-08"


def test_docx_paragraphs_and_continuation_paragraphs(tmp_path, project):
    document = docx.Document()
    for text in ["Interview P01, 2025-04-28", "Interviewer: What happened on the Monday?",
                 "P01: The potassium was from the day before.", "So I rang the lab myself.",
                 "Interviewer: And then?", "P01: Then the outage list went up."]:
        document.add_paragraph(text)
    document.save(tmp_path / "interview_P01.docx")
    project.import_files([tmp_path / "interview_P01.docx"], progress=False)
    turns = _only(project, "turn")
    assert turns["speaker"].tolist() == ["Interviewer", "P01", "Interviewer", "P01"]
    assert turns["text"].iloc[1] == ("The potassium was from the day before.\n\n"
                                     "So I rang the lab myself.")
    paragraphs = _only(project, "paragraph")
    # 6 paragraphs in the file; the labels are cut off the turn-opening ones.
    assert paragraphs["text"].tolist()[2:4] == ["The potassium was from the day before.",
                                                "So I rang the lab myself."]
    assert paragraphs["speaker"].tolist()[3] == "P01"


def test_pdf_with_a_text_layer(tmp_path, project):
    pdf = canvas.Canvas(str(tmp_path / "note.pdf"), pagesize=A4)
    pdf.drawString(72, 800, "Field note 2025-04-02, 4N night.")
    pdf.drawString(72, 780, "The nurse keeps a paper list of patients.")
    pdf.showPage()
    pdf.drawString(72, 800, "Second page: the lab calls back.")
    pdf.save()
    project.import_files([tmp_path / "note.pdf"], kind="fieldnote", progress=False)
    text = project.document("note.pdf").text
    assert "paper list of patients" in text and "Second page: the lab calls back." in text
    assert project.documents().loc[0, "date"] == "2025-04-02"


VTT = """WEBVTT

NOTE recorded call

00:00:01.000 --> 00:00:04.500
<v Interviewer>Can you hear me?

00:00:05.000 --> 00:00:08.250
<v P07>Yes. During the outage

00:00:08.250 --> 00:00:12.000
<v P07>the phone rang nonstop from 4N.

00:00:12.500 --> 00:00:14.000
<v Interviewer>Nonstop?
"""


def test_vtt_cues_merge_into_turns_with_exact_times(tmp_path, project):
    project.import_files([write(tmp_path, "call.vtt", VTT)], progress=False)
    turns = _only(project, "turn")
    assert turns["speaker"].tolist() == ["Interviewer", "P07", "Interviewer"]
    assert turns["text"].iloc[1] == "Yes. During the outage the phone rang nonstop from 4N."
    # The P07 turn runs from its first cue's start (5.000) to its last cue's end (12.000).
    assert turns[["t_start", "t_end"]].iloc[1].tolist() == [5.0, 12.0]
    assert project.document("call.vtt").text.startswith("recorded call\n\n")


SRT = """1
00:00:00,000 --> 00:00:03,000
NOTE: FICTIONAL interview P13

2
00:00:03,500 --> 00:00:06,000
Interviewer: What broke?

3
00:00:06,500 --> 00:00:09,000
P13: A certificate expired.

4
00:00:09,000 --> 00:00:12,750
Nobody watched the message flow.
"""


def test_srt_labels_start_turns_and_unlabelled_cues_continue_them(tmp_path, project):
    project.import_files([write(tmp_path, "call.srt", SRT)], progress=False)
    turns = _only(project, "turn")
    assert turns["speaker"].tolist() == ["Interviewer", "P13"]
    assert turns["text"].iloc[1] == "A certificate expired. Nobody watched the message flow."
    assert turns[["t_start", "t_end"]].iloc[1].tolist() == [6.5, 12.75]


SURVEY = (
    "respondent_id,role,ward,trust,q_changed_work,q_other\n"
    'R001,staff nurse,4N,2,"More phone calls, more charting, and I check labs by hand now.",\n'
    'R002,hospitalist,5E,4,"It sees trends we miss, honestly it does.","Keep it."\n'
    "R003,staff nurse,6W,,,\n"
    'R004,resident,4N,3,"I look at the number before the patient, which worries me.",'
    '"The panel helps: it says why."\n'
)


def test_survey_rows_become_documents_and_cases(tmp_path, project):
    project.import_files([write(tmp_path, "survey.csv", SURVEY)], progress=False)
    documents = project.documents()
    # R003 answered no open question, so 3 of the 4 rows are documents.
    assert documents["name"].tolist() == ["survey.csv#R001", "survey.csv#R002", "survey.csv#R004"]
    assert set(documents["kind"]) == {"survey"}
    cases = project.cases().set_index("case_id")
    assert cases.loc["R002", "role"] == "hospitalist"
    assert cases.loc["R002", "trust"] == 4
    turns = project.segments("turn")
    assert turns.loc[turns["document"] == "survey.csv#R002", "text"].tolist() == [
        "It sees trends we miss, honestly it does.", "Keep it."]
    assert set(turns["speaker"]) == {"R001", "R002", "R004"}


@pytest.mark.parametrize(("name", "data", "encoding"), [
    ("bom.txt", "\ufeffInterviewer: café\r\nP01: naïve\r\nInterviewer: ok\r\n".encode(), "utf-8"),
    ("utf16.txt", "Interviewer: café\nP01: naïve\nInterviewer: ok\n".encode("utf-16"), "utf-16"),
    ("cp1252.txt", ("Interviewer: The café – a naïve façade, über déjà vu.\n" * 20
                    + "P01: Señor José’s résumé.\n" * 20).encode("cp1252"), "cp1252"),
])
def test_text_is_decoded_and_normalised_once(tmp_path, project, name, data, encoding):
    project.import_files([write(tmp_path, name, data)], progress=False)
    doc = project.documents().iloc[0]
    text = project.document(doc["doc_id"]).text
    assert doc["encoding"] == encoding
    assert "\r" not in text and "\ufeff" not in text
    assert "café" in text


def test_unicode_is_composed_to_nfc(tmp_path, project):
    # "Zoe" + COMBINING DIAERESIS (2 code points) becomes "Zoë" (1 code point).
    path = write(tmp_path, "nfc.txt",
                 "Interviewer: Zoe\u0308 said so.\nP01: Yes.\nInterviewer: ok\n")
    project.import_files([path], progress=False)
    assert project.segments("turn")["text"].iloc[0] == "Zo\u00eb said so."
