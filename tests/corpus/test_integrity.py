"""Issue 13, "Integrity first": odd input is read right or refused, never stored wrong."""

from __future__ import annotations

import hashlib
import os

import pytest

from tests.conftest import write
from tests.corpus.bombs import docx_bomb, pdf_bomb
from workbench.errors import ImportError_

CUE_1 = "00:00:01,000 --> 00:00:02,000\nAna: Hello there.\n"
CUE_2 = "00:00:03,000 --> 00:00:04,000\nBen: I am Ben.\n"
CUE_3 = "00:00:05,000 --> 00:00:06,000\nAna: And me.\n"


def _turns(project):
    turns = project.segments("turn")
    return list(zip(turns["speaker"], turns["text"], strict=True))


# Hand count: three cues, three speakers' turns, whatever the file leaves out.
THREE_TURNS = [("Ana", "Hello there."), ("Ben", "I am Ben."), ("Ana", "And me.")]


@pytest.mark.parametrize("content", [
    f"1\n{CUE_1}\n{CUE_2}\n3\n{CUE_3}",  # the second cue has no number
    f"1\n{CUE_1}\n2\n{CUE_2}\n3\n{CUE_3}".replace("\n", "\r\n"),  # Windows line endings
    f"1\n{CUE_1}2\n{CUE_2}3\n{CUE_3}",  # no blank line between cues
    f"{CUE_1}{CUE_2}{CUE_3}",  # neither numbers nor blank lines
    f"one\n{CUE_1}\ntwo\n{CUE_2}\nthree\n{CUE_3}",  # cue numbers written as words
])
def test_srt_cues_are_found_by_their_timing_lines(tmp_path, project, content):
    project.import_files([write(tmp_path, "call.srt", content)], progress=False)
    assert _turns(project) == THREE_TURNS
    # The second turn is the second cue's: 3 s to 4 s, as its timing line says.
    assert project.segments("turn")[["t_start", "t_end"]].iloc[1].tolist() == [3.0, 4.0]


def test_srt_text_outside_any_cue_is_refused_not_dropped(tmp_path, project):
    path = write(tmp_path, "call.srt", f"1\n{CUE_1}\nstray words\n\n2\n{CUE_2}")
    with pytest.raises(ImportError_, match=r"WB-IMPORT-033: call.srt line 5: 'stray words'"):
        project.import_files([path], progress=False)
    assert project.documents().empty


def test_srt_text_holding_an_arrow_is_text(tmp_path, project):
    path = write(tmp_path, "call.srt", f"1\n{CUE_1}\n2\n00:00:03,000 --> 00:00:04,000\n"
                 "Ben: from A --> B\n")
    project.import_files([path], progress=False)
    assert _turns(project)[1] == ("Ben", "from A --> B")


def test_webvtt_tags_are_removed_and_character_references_decoded(tmp_path, project):
    path = write(tmp_path, "call.vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n"
                 "<v.loud Ana>Fish &amp; chips &lt;3 it&#39;s <i>fine</i>, <c.x>A</c> --&gt; B"
                 "\n\n00:00:03.000 --> 00:00:04.000\n<v Ben>&#x4F;k &gt; &quot;no&quot;\n")
    project.import_files([path], progress=False)
    # WebVTT 4.2.2: &amp; &lt; &gt; &quot; and numeric references stand for & < > " ' O.
    assert _turns(project) == [("Ana", "Fish & chips <3 it's fine, A --> B"),
                               ("Ben", 'Ok > "no"')]


def test_webvtt_arrow_in_cue_text_is_refused_with_its_line(tmp_path, project):
    path = write(tmp_path, "call.vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n"
                 "<v Ana>from A\nto B --> C\n")
    with pytest.raises(ImportError_, match=r"WB-IMPORT-032: call.vtt line 5: .*'--&gt;'"):
        project.import_files([path], progress=False)


def test_survey_with_an_unclosed_quote_names_the_line_where_it_opened(tmp_path, project):
    path = write(tmp_path, "survey.csv", 'id,answer\nr1,The rota changes every week\n'
                 'r2,"I think the system is good\nr3,The night shift is hard work\n'
                 "r4,We need more staff on nights\n")
    with pytest.raises(ImportError_, match=r"WB-IMPORT-016: survey.csv line 3: a quote "
                       "opened in this row is never closed"):
        project.import_files([path], progress=False)
    assert project.documents().empty


def test_survey_answers_with_quoted_newlines_load(tmp_path, project):
    path = write(tmp_path, "survey.csv", 'id,answer\r\nr1,"I think the system\r\nis good, '
                 'mostly"\r\nr2,The night shift is hard work\r\nr3,"We said ""more staff"" '
                 'again"\r\n')
    project.import_files([path], progress=False)
    # Three rows, three respondents; RFC 4180: "" inside quotes is one quote.
    assert [text for _, text in _turns(project)] == [
        "I think the system\nis good, mostly", "The night shift is hard work",
        'We said "more staff" again']


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_read_without_nul_characters(tmp_path, project, codec):
    text = "Field note 2025-03-31, ward 4N: Renée's list on the whiteboard.\n"
    project.import_files([write(tmp_path, "note.txt", text.encode(codec))], progress=False)
    doc = project.documents().iloc[0]
    assert project.document(doc["doc_id"]).text == text
    assert doc["encoding"] == codec


def test_a_decoding_that_gives_nul_characters_is_refused(tmp_path, project):
    path = write(tmp_path, "note.txt", "Night on 4N.\n".encode("utf-16-le"))
    with pytest.raises(ImportError_, match="WB-IMPORT-030: note.txt line 1: decoding as "
                       "latin-1 gives NUL characters"):
        project.import_files([path], encoding="latin-1", progress=False)


def test_rev_style_labels_on_their_own_line_are_turns(tmp_path, project):
    path = write(tmp_path, "rev.txt", "Speaker 1 (00:00):\nHello and welcome, thanks for\n"
                 "coming in.\n\nSpeaker 2 (00:05):\nThanks for having me.\n\n"
                 "Speaker 1 (01:10):\nSo, nights?\n")
    project.import_files([path], progress=False)
    assert _turns(project) == [("Speaker 1", "Hello and welcome, thanks for\ncoming in."),
                               ("Speaker 2", "Thanks for having me."),
                               ("Speaker 1", "So, nights?")]
    # (00:05) is 5 s; the turn ends when the next begins, (01:10) = 70 s.
    assert project.segments("turn")[["t_start", "t_end"]].iloc[1].tolist() == [5.0, 70.0]


def test_a_first_speaker_who_speaks_once_is_a_turn_but_a_header_line_is_not(tmp_path, project):
    path = write(tmp_path, "call.txt", "Date: 2025-04-28\n\nAutomation: This call is being\n"
                 "recorded.\n\nSpeaker 1: Hello and welcome.\n\nSpeaker 2: Thanks.\n\n"
                 "Speaker 1: So.\n")
    project.import_files([path], progress=False)
    assert _turns(project)[0] == ("Automation", "This call is being\nrecorded.")
    assert len(_turns(project)) == 4  # Automation, Speaker 1, 2, 1: the date is header


def test_same_body_different_front_matter_keeps_both(tmp_path, project):
    body = "Quiet night. The list is back on the whiteboard.\n"
    first = write(tmp_path, "a.md", f"---\ndate: 2025-03-31\nward: 4N\n---\n{body}")
    second = write(tmp_path, "b.md", f"---\ndate: 2025-04-01\nward: 5E\n---\n{body}")
    report = project.import_files([first, second], progress=False)
    assert report.imported == ("a.md", "b.md")
    docs = project.documents().set_index("name")
    assert (docs.loc["a.md", "ward"], docs.loc["b.md", "ward"]) == ("4N", "5E")
    assert (docs.loc["a.md", "date"], docs.loc["b.md", "date"]) == ("2025-03-31", "2025-04-01")
    again = project.import_files([second], progress=False)
    assert again.imported == () and "identical to 'b.md'" in again.skipped[0][1]


def test_links_out_of_the_folder_are_skipped_and_reported(tmp_path, project):
    outside = write(tmp_path / "elsewhere", "secret.txt", "Not part of the study.\n")
    inside = write(tmp_path / "study", "note.txt", "Night on 4N, 2025-03-31. Quiet.\n")
    os.symlink(outside, tmp_path / "study" / "link.txt")
    os.symlink(inside, tmp_path / "study" / "same.txt")
    os.symlink(tmp_path / "elsewhere", tmp_path / "study" / "more")
    report = project.import_files([tmp_path / "study"], progress=False)
    # note.txt is read; same.txt points to it (skipped as identical); the rest are links out.
    assert report.imported == ("note.txt",)
    reasons = dict(report.skipped)
    assert "outside the folder" in reasons["link.txt"]
    assert "links to folders are not followed" in reasons["more"]
    assert "identical to 'note.txt'" in reasons["same.txt"]
    assert f"skipped link.txt: a link to {outside}" in str(report)
    assert "Not part of the study" not in "".join(
        project.document(d).text for d in project.documents()["doc_id"])


@pytest.mark.parametrize(("declared", "actual", "message"), [
    (2**30, 2**30, "would decompress to 1,074,"),  # 1 GiB declared and real
    (100 * 2**20, 100 * 2**20, "compressed 1,0"),  # within the total, ratio ~1,000 to 1
    (1_000, 50 * 2**20, "decompresses to more than the 1,000 bytes it declares"),
])
def test_docx_bombs_are_refused_before_python_docx_opens_them(tmp_path, project, declared,
                                                             actual, message):
    path = write(tmp_path, "bomb.docx", docx_bomb(declared, actual))
    with pytest.raises(ImportError_, match=f"WB-IMPORT-034: bomb.docx: refused .*{message}"):
        project.import_files([path], progress=False)


def test_pdf_stream_bomb_is_refused_not_read_as_a_scan(tmp_path, project):
    path = write(tmp_path, "bomb.pdf", pdf_bomb(200 * 2**20))
    with pytest.raises(ImportError_, match="WB-IMPORT-035: bomb.pdf: refused"):
        project.import_files([path], progress=False)


def test_a_note_stored_by_an_earlier_version_is_not_stored_twice(tmp_path, project):
    # Before front matter counted in a document's id, a note's id was the hash of its text
    # alone. Importing the same file again must not store a second copy under the new id;
    # a note with the same body but another date is still a new observation.
    body = "Quiet night. The list is back on the whiteboard.\n"
    note = write(tmp_path, "a.md", f"---\ndate: 2025-03-31\nward: 4N\n---\n{body}")
    project.import_files([note], progress=False)
    new_id = project.documents()["doc_id"].iloc[0]
    text = project.document(new_id).text
    legacy = hashlib.sha256(f"\0{text}".encode()).hexdigest()[:16]
    with project.atomic() as conn:  # the rows as the earlier version stored them
        conn.execute("PRAGMA defer_foreign_keys = ON")
        conn.execute("UPDATE documents SET doc_id = ? WHERE doc_id = ?", (legacy, new_id))
        conn.execute("UPDATE segments SET doc_id = ? WHERE doc_id = ?", (legacy, new_id))
        conn.execute("UPDATE attributes SET entity_id = ? WHERE entity = 'document' AND "
                     "entity_id = ?", (legacy, new_id))
    again = project.import_files([note], progress=False)
    assert again.imported == () and "earlier workbench" in again.skipped[0][1]
    later = write(tmp_path, "b.md", f"---\ndate: 2025-04-01\nward: 4N\n---\n{body}")
    assert project.import_files([later], progress=False).imported == ("b.md",)
    assert len(project.documents()) == 2
