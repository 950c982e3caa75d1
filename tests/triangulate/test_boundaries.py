"""Where evidence lands in time and in units, at the edges: small projects built through the
public API from real files, every expected value counted by hand in a comment.

Word counts are whitespace-separated words, as the import counts them: "02:10 - A nurse
checks the lab results by hand." is 10 words (the clock time and the dash count).
"""

from __future__ import annotations

import pandas as pd
import pytest

from tests.conftest import write
from tests.triangulate.conftest import code, load_alerts, note, start

T = pd.Timestamp


def _cells(matrix, *columns):
    return [tuple(row) for row in matrix.cells[list(columns)].itertuples(index=False)]


def test_around_counts_an_event_at_the_anchor_after(project, tmp_path):
    notes = [note(tmp_path, "fn_go_live.md", [
        "06:59 - The last check before go-live.",                  # 7 words, before
        "07:00 - Go-live: the first alert arrives on the phone.",  # 10 words, at the anchor
    ], date="2025-03-17", ward="4N", shift="day")]
    start(project, tmp_path, notes)
    code(project, "fn_go_live.md", "07:00")
    load_alerts(project, tmp_path, [
        ("2025-03-15 12:00:00", "4N"),        # outside the window: counted nowhere
        ("2025-03-16 07:00:00", "4N"),        # at anchor - 1 day: the first minute before
        ("2025-03-17 06:59:00", "4N"),        # before
        ("2025-03-17 07:00:00", "4N", True),  # at the anchor: after
        ("2025-03-18 07:00:00", "4N", True),  # at anchor + 1 day: outside [t, t + w)
    ])
    project.set_timeline([{"id": "go-live", "at": "2025-03-17T07:00", "what": "Go-live"}])
    result = project.around("go-live", "1D", metrics=["alerts", "stale_share"],
                            codes=["workarounds"]).set_index("measure")
    # alerts per day: 2 before (03-16 07:00, 03-17 06:59), 1 after (03-17 07:00).
    assert (result.at["alerts", "before"], result.at["alerts", "after"]) == (2.0, 1.0)
    # The only stale alert in the window is the one at the anchor: 0 of 2 before, 1 of 1 after.
    assert (result.at["stale_share", "before"], result.at["stale_share", "after"]) == (0, 1)
    # Codes: the 07:00 jotting (10 words, coded once) is after: 1 / 10 * 1000 = 100; the
    # 06:59 jotting (7 words, not coded) before: 0.
    row = result.loc["workarounds"]
    assert (row["before"], row["after"], row["n_before"], row["n_after"]) == (
        0.0, 100.0, "7 words", "10 words")


NIGHT = ["20:15 - Handover done, the ward is settling.",        # 8 words, 03-04 20:15
         "02:10 - A nurse checks the lab results by hand.",     # 10 words, 03-05 02:10
         "Reflection: a long and quiet night."]                 # 6 words, the whole shift


def test_a_night_note_across_midnight(project, tmp_path):
    notes = [note(tmp_path, "fn_night.md", NIGHT, date="2025-03-04", ward="4N",
                  shift="night")]
    start(project, tmp_path, notes)
    code(project, "fn_night.md", "02:10")
    by_day = project.mixed_matrix("unit", "day", codes=["workarounds"])
    # 03-04: the 20:15 jotting (8) and the reflection (6) = 14 words; 03-05: the 02:10
    # jotting (10), after midnight so on the next calendar day, and the reflection (6) = 16.
    # The note counts once as a document on both days; the coding only on 03-05.
    assert _cells(by_day, "unit", "bucket_start", "documents", "words", "workarounds") == [
        ("4N", T("2025-03-04"), 1, 14, 0), ("4N", T("2025-03-05"), 1, 16, 1)]
    assert by_day.evidence[["precision", "basis"]].values.tolist() == [
        ["minute", "jotting 02:10"]]
    by_shift = project.mixed_matrix("unit", "shift", codes=["workarounds"])
    # All of it (8 + 10 + 6 = 24 words) in the one night shift starting 19:00 on its date.
    assert _cells(by_shift, "unit", "bucket_start", "documents", "words", "workarounds") == [
        ("4N", T("2025-03-04 19:00"), 1, 24, 1)]


@pytest.mark.parametrize(("date", "jotting", "alerts"), [
    # Spring forward: 2025-03-09 02:00 CST became 03:00 CDT; the night of 03-08 lasted 11 h.
    ("2025-03-08", "03:30 - A stale score after the clocks went forward.",
     ["2025-03-08 20:00:00", "2025-03-09 03:30:00", "2025-03-09 06:30:00"]),
    # Fall back: 2025-11-02 02:00 CDT became 01:00 CST; the night of 11-01 lasted 13 h.
    ("2025-11-01", "04:30 - The clocks went back and the lab is slow again.",
     ["2025-11-01 20:00:00", "2025-11-02 04:30:00", "2025-11-02 06:30:00"]),
])
def test_a_night_shift_across_the_change_to_or_from_daylight_saving(project, tmp_path, date,
                                                                    jotting, alerts):
    notes = [note(tmp_path, "fn_dst.md", [jotting], date=date, ward="4N", shift="night")]
    start(project, tmp_path, notes)
    code(project, "fn_dst.md", jotting[:5])
    load_alerts(project, tmp_path, [(ts, "4N") for ts in alerts])
    matrix = project.mixed_matrix("unit", "shift", codes=["workarounds"], metrics=["alerts"])
    # Buckets are wall-clock shifts, as the logs': the three alerts (20:00, and 03:30 or
    # 04:30 and 06:30 after the change) and the jotting all fall in the night shift that
    # starts at 19:00 on the note's date, whatever the UTC offset did in between (in UTC the
    # 06:30 alert would be in the next day shift, 11:30 or 12:30 UTC).
    rows = _cells(matrix, "bucket_start", "alerts", "workarounds")
    assert rows == [(T(f"{date} 19:00"), 3, 1)]
    assert matrix.notes == ("keys: unit from attribute 'ward'.",)


#: 5 + 14 + 2 = 21 words; P01's turn without its label, "Since ... scores.", is 13.
INTERVIEW = ("Interviewer: What changed on 4N?\n\n"
             "P01: Since the lab outage we keep a paper list of the stale scores.\n\n"
             "Interviewer: Thanks.\n")


def _interview(project, folder, *, ward: str) -> None:
    """Import the interview with its participant (a case) working on ``ward``."""
    write(folder, "interview_P01.txt", INTERVIEW)
    write(folder, "participants.csv", f"participant_id,role,ward\nP01,staff nurse,{ward}\n")
    project.import_files(folder / "interview_P01.txt", attributes=folder / "participants.csv",
                         progress=False)


def test_an_open_ended_event_runs_to_the_end_of_the_logs(project, tmp_path):
    _interview(project, tmp_path, ward="4N")
    start(project, tmp_path)
    coding = code(project, "interview_P01.txt", "Since", unit="turn")
    project.set_timeline([{"id": "paper-list", "start": "2025-03-12T08:00", "units": ["4N"],
                           "what": "Paper list of stale scores"}])
    project.refer(coding, event="paper-list")
    # The logs cover 2025-03-10 to the end of 2025-03-14.
    load_alerts(project, tmp_path, [("2025-03-10 08:00:00", "4N"),
                                    ("2025-03-14 08:00:00", "4N")])
    matrix = project.mixed_matrix("unit", "day", codes=["workarounds"], metrics=["alerts"])
    with_material = matrix.cells[matrix.cells["has_material"]]
    # The event starts 03-12 08:00 and never ends: its passage (P01's turn, 13 words) speaks
    # for 03-12, 03-13 and 03-14, the last day the logs cover, and for no day after it.
    assert with_material[["bucket_start", "words", "workarounds"]].values.tolist() == [
        [T("2025-03-12"), 13, 1], [T("2025-03-13"), 13, 1], [T("2025-03-14"), 13, 1]]
    assert matrix.cells["bucket_start"].max() == T("2025-03-14")


def test_what_cannot_be_placed_is_listed_with_the_reason(project, tmp_path):
    notes = [note(tmp_path, "fn_dated.md", ["A dated note on 4N."], date="2025-03-18",
                  ward="4N", shift="day"),
             note(tmp_path, "fn_no_date.md", ["A note without a date."], ward="4N",
                  shift="day"),
             note(tmp_path, "fn_no_ward.md", ["A note without a ward."], date="2025-03-18",
                  shift="day")]
    project.import_files(notes, kind="fieldnote", progress=False)
    _interview(project, tmp_path, ward="4N")
    start(project, tmp_path)
    code(project, "interview_P01.txt", "Since", unit="turn")
    code(project, "fn_no_date.md", "A note", unit="paragraph")
    matrix = project.mixed_matrix("unit", "day", codes=["workarounds"])
    reasons = matrix.unplaced.set_index(["what", "document"])["reason"]
    assert reasons.to_dict() == {
        ("material", "fn_no_date.md"): "field note without a date",
        ("material", "interview_P01.txt"): "retrospective: no reference places it in time",
        ("material", "fn_no_ward.md"): "no unit for this document",
        ("coding", "interview_P01.txt"): "retrospective: no reference places it in time",
        # A coding is unplaced for its document's reason, not as retrospective talk.
        ("coding", "fn_no_date.md"): "field note without a date"}
    # Only the dated note with a ward is placed: 5 words on 03-18, nothing guessed.
    assert _cells(matrix, "unit", "bucket_start", "words", "workarounds") == [
        ("4N", T("2025-03-18"), 5, 0)]


def test_a_survey_answer_speaks_for_the_window_before_it_was_submitted(project, tmp_path):
    write(tmp_path, "survey.csv", "respondent_id,submitted_at,ward,q_changed_work\n"
          "R001,2025-03-20T08:00:00,4N,We keep a paper list now.\n")
    project.import_files(tmp_path / "survey.csv", progress=False)
    start(project, tmp_path)
    words = int(project.documents()["n_words"].iloc[0])
    matrix = project.mixed_matrix("unit", "day", survey_window="7D")
    # Submitted 03-20 08:00 with a 7-day window: [03-13 08:00, 03-20 08:00) touches the 8
    # days 03-13 to 03-20, each with the whole answer; nothing after the submission.
    assert _cells(matrix, "bucket_start", "words") == [
        (day, words) for day in pd.date_range("2025-03-13", "2025-03-20")]
    assert matrix.unplaced.empty


def test_a_document_attribute_wins_over_its_case(project, tmp_path):
    _interview(project, tmp_path, ward="5E")
    # The participant works on 5E, but this interview is about a shift on 4N.
    write(tmp_path, "documents.csv", "file,ward\ninterview_P01.txt,4N\n")
    assert project.import_attributes(tmp_path / "documents.csv") == []
    start(project, tmp_path)
    project.refer(doc="interview_P01.txt", period=("2025-03-10", "2025-03-11"))
    matrix = project.mixed_matrix("unit", "day")
    # The whole interview (21 words) on 03-10, on 4N and not on 5E.
    assert _cells(matrix, "unit", "bucket_start", "words") == [("4N", T("2025-03-10"), 21)]


def test_a_crosswalk_with_every_unit_and_an_unmapped_value(project, tmp_path):
    notes = [note(tmp_path, "fn_all.md", ["Bed managers meet for all wards."],   # 6 words
                  date="2025-03-04", ward="hospital-wide", shift="day"),
             note(tmp_path, "fn_four_north.md", ["A quiet day on four north."],   # 6 words
                  date="2025-03-05", ward="Four North", shift="day"),
             note(tmp_path, "fn_9z.md", ["A ward the logs do not know."],         # 7 words
                  date="2025-03-06", ward="9Z", shift="day")]
    start(project, tmp_path, notes, keys={"attribute": "ward", "values": {
        "hospital-wide": "*", "Four North": "4N"}})
    load_alerts(project, tmp_path, [("2025-03-04 08:00:00", "4N"),
                                    ("2025-03-04 09:00:00", "5E")])
    matrix = project.mixed_matrix("unit", "day", metrics=["alerts"])
    # Cells outside the logs have no alert count (NaN, shown as 0 below), not zero alerts.
    assert matrix.cells["alerts"].isna().tolist() == [False, True, False, True]
    # "*" puts the hospital-wide note in every unit the logs know (4N and 5E) on 03-04;
    # "Four North" is 4N; 9Z is taken as it is, matches no unit in the logs, and keeps a
    # cell of its own without log metrics.
    cells = matrix.cells.fillna({"alerts": 0})
    assert [tuple(r) for r in cells[["unit", "bucket_start", "words", "alerts"]].values] == [
        ("4N", T("2025-03-04"), 6, 1), ("4N", T("2025-03-05"), 6, 0),
        ("5E", T("2025-03-04"), 6, 1), ("9Z", T("2025-03-06"), 7, 0)]
    assert any("unit value(s) 9Z in the evidence match no unit in the logs (4N, 5E)" in n
               for n in matrix.notes)
