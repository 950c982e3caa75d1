"""Speakers and cases (issue 17, items 4 and 5): speakers as cases, named speakers, case ids
in file names, and texts that are not transcripts read as such."""

from __future__ import annotations

import pytest

from tests.conftest import CODEBOOK, write
from workbench.cli import main
from workbench.corpus import parse_turns
from workbench.errors import CodingError, ImportError_

MEETING = ("Ward meeting, 4N, 2025-04-02\n\n"
           "Maya: The paper list is back on the whiteboard.\n"
           "Dev: I check the labs by hand before the round.\n"
           "Maya: Too many alerts again last night.\n"
           "Lena: I trust the score more since the fix.\n"
           "Dev: Not me.\n")

#: A comment thread as NVivo exports one: repeated ``Word:`` prefixes, none a speaker.
THREAD = ("Thread: night shift handover board\n"
          "Posted by: charge nurse 4N\n\n"
          "Comment: the board is hard to read at 3am.\n"
          "Reply: agreed, the colours are too pale.\n"
          "Edit: colours changed on 12 March.\n"
          "Comment: better now, but the lab column is cut off.\n"
          "Reply: raised with IT.\n"
          "Note: see the minutes of the ward meeting.\n"
          "Update: the lab column is back.\n")


def test_speakers_become_cases_and_the_case_matrix_counts_per_speaker(tmp_path, project):
    path = write(tmp_path, "meeting_4N.txt", MEETING)
    report = project.import_files([path], cases="speakers", progress=False)
    assert report.cases_formed == ("Dev", "Lena", "Maya")
    assert project.cases()[["case_id", "n_documents"]].values.tolist() == [
        ["Dev", 1], ["Lena", 1], ["Maya", 1]]
    project.set_codebook(write(tmp_path, "codebook.yaml", CODEBOOK))
    project.code_text("meeting_4N.txt", "paper list", "workaround")  # in Maya's turn
    project.code_text("meeting_4N.txt", "Too many alerts", "alert-fatigue")  # Maya's
    project.code_text("meeting_4N.txt", "check the labs by hand", "manual-verification")  # Dev
    counts = project.case_matrix("count").loc["ana"]
    # Hand count: Maya has workaround and alert-fatigue once each, Dev manual-verification,
    # Lena nothing.
    assert counts.loc["Maya", ["workaround", "alert-fatigue"]].tolist() == [1, 1]
    assert counts.loc["Dev", "manual-verification"] == 1
    assert counts.loc["Lena"].sum() == 0 and counts.loc["Maya"].sum() == 2
    quotes = project.retrieve("alert-fatigue")
    assert quotes[["speaker", "case_id"]].values.tolist() == [["Maya", "Maya"]]


def test_speakers_as_cases_after_import_and_a_participants_file_gives_them_attributes(
        tmp_path, project):
    project.import_files([write(tmp_path, "meeting_4N.txt", MEETING)], progress=False)
    assert project.cases().empty
    assert project.speakers_as_cases() == ["Dev", "Lena", "Maya"]
    assert project.speakers_as_cases() == [], "speakers that are cases already stay as they are"
    project.set_codebook(write(tmp_path, "codebook.yaml", CODEBOOK))
    project.code_text("meeting_4N.txt", "Not me.", "trust")
    assert project.frequencies(by="case")[["code_id", "case"]].values.tolist() == [
        ["trust", "Dev"]]


def test_case_matrix_without_cases_says_why(tmp_path, project):
    project.import_files([write(tmp_path, "notes.txt", "Quiet night on 4N.\n")],
                         progress=False)
    project.set_codebook(write(tmp_path, "codebook.yaml", CODEBOOK))
    with pytest.raises(CodingError, match=r"WB-CODING-048: this project has no cases.*"
                       r"import_attributes.*speakers_as_cases"):
        project.case_matrix()


def test_a_participant_id_with_a_hyphen_matches_its_file_name(tmp_path, project):
    files = [write(tmp_path, "interview_admin-1.txt", "Interviewer: Hello?\nadmin-1: Hi.\n"),
             write(tmp_path, "interview_P10.txt", "Interviewer: Hello?\nP10: Hi.\n")]
    sidecar = write(tmp_path, "participants.csv",
                    "participant_id,role\nadmin-1,administrator\nP1,nurse\n")
    report = project.import_files(files, attributes=sidecar, progress=False)
    documents = project.documents().set_index("name")
    assert documents.loc["interview_admin-1.txt", "case_id"] == "admin-1"
    # P1 is not P10: a digit touches it, so the row matches no document and says so.
    assert documents["case_id"].isna().sum() == 1
    assert report.unmatched_attributes == ("line 3 (P1)",)


def test_named_speakers_are_the_only_turns(tmp_path, project):
    text = ("Maya: We start with the board.\n"
            "Note: the lab column was cut off.\n"
            "Dev: It is back now.\n"
            "Maya: Good.\n")
    project.import_files([write(tmp_path, "m.txt", text)], speakers=["Maya", "Dev"],
                         progress=False)
    turns = project.segments("turn")
    assert turns["speaker"].tolist() == ["Maya", "Dev", "Maya"]
    # "Note:" opens no turn: its line stays in Maya's first turn.
    assert turns["text"].iloc[0] == "We start with the board.\nNote: the lab column was cut off."


def test_a_speaker_pattern_names_labels_the_automatic_rule_misses(tmp_path, project):
    text = ("Nurse 1: the alerts came all night.\n"
            "nurse 2: I muted two of them.\n"
            "Nurse 1: which two?\n")
    path = write(tmp_path, "focus.txt", text)
    project.import_files([path], speakers=r"[Nn]urse \d:", progress=False)
    assert project.segments("turn")["speaker"].tolist() == ["Nurse 1", "nurse 2", "Nurse 1"]
    assert project.documents().loc[0, "kind"] == "interview"


def test_a_bad_speaker_pattern_is_refused_and_nothing_imported(tmp_path, project):
    path = write(tmp_path, "focus.txt", "Nurse 1: hello.\n")
    with pytest.raises(ImportError_, match=r"WB-IMPORT-039: speakers='\[Nn' is not a regular"):
        project.import_files([path], speakers="[Nn", progress=False)
    with pytest.raises(ImportError_, match="WB-IMPORT-040"):
        project.import_files([path], speakers=["Maya", ""], progress=False)
    with pytest.raises(ImportError_, match="WB-IMPORT-038: cases='people'"):
        project.import_files([path], cases="people", progress=False)
    assert project.documents().empty


def test_the_import_command_takes_speakers_and_cases(tmp_path, project, capsys):
    path = write(tmp_path, "m.txt", "Maya: one.\nNote: two.\nDev: three.\nMaya: four.\n")
    assert main(["import", str(project.path), str(path), "--speaker", "Maya", "--speaker",
                 "Dev", "--cases", "speakers"]) == 0
    assert "speakers made cases: Dev, Maya" in capsys.readouterr().out
    assert project.segments("turn")["speaker"].tolist() == ["Maya", "Dev", "Maya"]


def test_a_comment_thread_is_not_read_as_an_interview(tmp_path, project):
    project.import_files([write(tmp_path, "thread.txt", THREAD)], progress=False)
    # Comment, Reply, Edit, Note, Update are field words, not speakers: no turn at all.
    assert project.segments("turn").empty
    assert project.documents().loc[0, "kind"] == "document"


def test_a_name_in_passing_is_not_a_transcript(tmp_path, project):
    prose = "".join(f"Line {i} of the minutes, with nothing said by anyone in it.\n"
                    for i in range(20))
    text = (prose + "Maya: asked for the list.\nDev: agreed.\n" + prose
            + "Maya: will send it.\nDev: thanks.\n" + prose)
    project.import_files([write(tmp_path, "minutes.txt", text)], progress=False)
    # 4 labelled lines in 64 non-blank lines from the first one (1 in 16): under 1 in 5.
    assert project.segments("turn").empty


def test_one_repeated_label_is_no_conversation():
    # A list of one person's notes: before issue 17 any repeated label was a speaker.
    assert parse_turns("Maya: order paper.\nMaya: call the lab.\nMaya: fix the board.\n") == []
