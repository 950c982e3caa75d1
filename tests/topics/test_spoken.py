"""A topic run reads what people said: in documents with speaker turns, headings and headers
outside every turn are left out (they repeat across documents and would make topics of their
own); documents without turns are read whole."""

from __future__ import annotations

from tests.conftest import write
from tests.topics.conftest import BACKEND

#: A header line, then six turns (hand count: three interviewer questions, three answers).
INTERVIEW = """Interview {n} (fictional transcript)

Interviewer: How are the alarms on nights?

P0{n}: The alarm rings all night and we silence the alarm.

Interviewer: And the lab results?

P0{n}: I check the lab values by hand because the lab feed is stale.

Interviewer: Anything else?

P0{n}: Staffing is short, two nurses for twenty beds most nights.
"""
#: A field note: three paragraphs, no turns.
FIELD_NOTE = """The ward was quiet until the alarm sounded twice.

A nurse rechecked the lab value on paper.

Two nurses covered twenty beds overnight.
"""


def _project(project, tmp_path):
    files = [write(tmp_path, f"interview_P0{n}.txt", INTERVIEW.format(n=n)) for n in (1, 2, 3)]
    files.append(write(tmp_path, "fieldnote.md", FIELD_NOTE))
    project.import_files(files, progress=False)
    return project


def test_headers_outside_turns_are_left_out_and_field_notes_read_whole(project, tmp_path):
    study = _project(project, tmp_path)
    assigned = study.topics("paragraph", n_topics=2, backend=BACKEND)
    texts = assigned["text"].tolist()
    assert not any(t.startswith("Interview ") for t in texts)
    interviews = assigned[assigned["document"] != "fieldnote.md"]
    # 3 interviews x 6 turns (hand count above), every one with its speaker
    assert len(interviews) == 18 and interviews["speaker"].notna().all()
    # the field note's 3 paragraphs, no speaker (it has no turns)
    assert (assigned["document"] == "fieldnote.md").sum() == 3
    assert study.topic_run().parameters["spoken_only"] is True


def test_everything_can_be_read_when_asked(project, tmp_path):
    study = _project(project, tmp_path)
    assigned = study.topics("paragraph", n_topics=2, backend=BACKEND, spoken_only=False)
    # the three header paragraphs come back: 18 turns + 3 headers + 3 field-note paragraphs
    assert len(assigned) == 24
    assert sum(t.startswith("Interview ") for t in assigned["text"]) == 3
    assert study.topic_run().parameters["spoken_only"] is False
