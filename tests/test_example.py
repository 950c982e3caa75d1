"""The fictional Riverside example case, built from corpora/riverside as `make demo` does."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import RIVERSIDE
from workbench.example import build_example
from workbench.report.execute import NOTEBOOKS
from workbench.report.parameters import defined_parameters, read_parameters


@pytest.fixture(scope="module")
def riverside(tmp_path_factory):
    project = build_example(tmp_path_factory.mktemp("riverside") / "study", progress=False)
    yield project
    project.close()


def test_corpus_meets_the_size_the_case_promises(riverside):
    documents = riverside.documents()
    counts = documents["kind"].value_counts().to_dict()
    # 14 interview files, 24 field notes, 52 survey rows (see corpora/riverside/README.md).
    assert counts == {"survey": 52, "fieldnote": 24, "interview": 14}
    interviews = documents[documents["kind"] == "interview"]
    assert interviews["n_words"].between(800, 3000).all()
    assert set(interviews["format"]) == {"docx", "txt", "vtt", "srt"}


def test_every_interview_has_an_interviewer_and_its_participant(riverside):
    interviews = riverside.documents().query("kind == 'interview'")
    for row in interviews.itertuples():
        speakers = set(row.speakers.split(", "))
        # P03 and P10 were transcribed in Q/A form (participants.csv, corpus README).
        assert speakers in ({"Interviewer", row.case_id}, {"Q", "A"}), row.name


def test_participants_and_observation_log_are_joined(riverside):
    cases = riverside.cases().set_index("case_id")
    assert cases.loc["P11", "role"] == "ward manager"
    assert cases.loc["P03", "ward"] == "5E"
    notes = riverside.documents().query("kind == 'fieldnote'")
    assert notes[["date", "ward", "shift", "observer"]].notna().all().all()
    # timeline.yaml: the lab-interface outage ran 2025-03-31 to 2025-04-03, worst on 4N.
    outage = notes[notes["date"].between("2025-03-31", "2025-04-03")]
    assert (outage["ward"] == "4N").sum() >= 4


def test_every_stored_segment_slices_its_document(riverside):
    texts = {d.doc_id: riverside.document(d.doc_id).text
             for d in riverside.documents().itertuples()}
    for unit in ("turn", "paragraph", "sentence"):
        segments = riverside.segments(unit)
        assert len(segments) > 0
        for row in segments.itertuples():
            assert texts[row.doc_id][row.start:row.end] == row.text


def test_the_corpus_says_it_is_fictional(riverside):
    readme = (RIVERSIDE / "README.md").read_text(encoding="utf-8")
    assert "Everything in this folder is fictional" in readme
    documents = riverside.documents().query("kind != 'survey'")
    for row in documents.itertuples():
        # Said in the header text, or in the front matter (then the attribute `fictional`).
        said = "FICTIONAL" in riverside.document(row.doc_id).text[:400]
        assert said or str(row.fictional) == "True", row.name


def test_the_example_hand_coding_is_loaded(riverside):
    codings = riverside.codings(coder="*")
    # corpora/riverside/codings: ana.csv has 816 rows over 38 documents, ben.csv 197 over 6.
    assert codings.groupby("coder")["doc_id"].agg(["size", "nunique"]).values.tolist() == [
        [816, 38], [197, 6]]
    assert set(codings["origin"]) == {"manual"}
    assert (riverside.memos("coding")["author"].isin(["ana", "ben"])).all()


def test_the_projects_report_parameters_fit_the_notebooks(riverside):
    # build_example copies corpora/riverside/report.yaml, which `workbench report` reads; every
    # notebook and parameter it names must exist, or `make demo` stops before running.
    kept = Path(riverside.path) / "report.yaml"
    assert kept.read_bytes() == (RIVERSIDE / "report.yaml").read_bytes()
    defined = {p.stem: defined_parameters(p) for p in sorted(NOTEBOOKS.glob("*.py"))}
    chosen = read_parameters(kept, defined)
    # The example's story (/work/shared/USERS.md): repair work against the outage's stale
    # inputs, the threshold change, the coders ana and ben.
    assert chosen["05_triangulation"]["CODES"] == ["manual-verification", "workarounds"]
    assert chosen["04_logs"]["CHANGE"] == chosen["05_triangulation"]["EVENT"] == \
        "threshold-change"
    assert chosen["03_reliability"]["CODERS"] == ["ana", "ben"]
