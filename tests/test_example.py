"""The fictional Riverside example case, built from corpora/riverside as `make demo` does."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pandas as pd
import pytest

from tests.conftest import RIVERSIDE
from tests.own_projects import outputs
from workbench.contents import SKIPPED
from workbench.errors import ProjectError
from workbench.example import build_example, record_inferences
from workbench.report.execute import NOTEBOOKS, run_report
from workbench.report.parameters import defined_parameters, read_parameters
from workbench.safe_input import load_yaml


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


def _listed():
    """ana's meta-inferences as corpora/riverside/inferences.yaml lists them."""
    return load_yaml((RIVERSIDE / "inferences.yaml").read_text(encoding="utf-8"))


def test_the_example_records_anas_meta_inferences_with_their_evidence(riverside):
    listed = _listed()
    found = riverside.inferences(check=True)
    # inferences.yaml: three entries by ana (outage repair work, threshold change, informal
    # training), in that order; none retracted, none with changed or broken evidence.
    assert found["fit"].tolist() == ["agreement", "partial agreement", "silence"]
    assert set(found["author"]) == {"ana"} and set(found["status"]) == {"active"}
    assert found["flags"].map(len).tolist() == [0, 0, 0]
    codings = riverside.codings(coder="ana").set_index("coding_id")
    for entry, row in zip(listed["inferences"], found.itertuples(), strict=True):
        assert row.claim == " ".join(entry["claim"].split())
        given = entry["qualitative"]
        # The codes first, then each coding found by document, code and quote in ana.csv.
        assert row.qualitative[:len(given["codes"])] == given["codes"]
        resolved = codings.loc[row.qualitative[len(given["codes"]):]]
        assert [(c.document, c.code_id, c.text) for c in resolved.itertuples()] == [
            (c["document"], c["code"], c["quote"]) for c in given["codings"]]
        if "quantitative" in entry:
            assert row.quantitative["metric"] == entry["quantitative"]["metric"]
            assert row.current_value == pytest.approx(row.quantitative["value"])
        else:
            assert row.quantitative is None


def test_the_outage_inference_rests_on_the_week_of_stale_inputs(riverside):
    claim = riverside.inferences().iloc[0]
    cells = riverside.mixed_matrix(by="unit", period="week", metrics=["stale_share"]).cells
    on_4n = cells[cells["unit"] == "4N"].set_index("bucket_start")["stale_share"]
    # timeline.yaml: the outage (31 March - 3 April) falls in the week of 31 March, worst on
    # 4N; that week's share is the query's value and the highest of 4N's twelve weeks.
    assert claim["quantitative"]["value"] == pytest.approx(on_4n[pd.Timestamp("2025-03-31")])
    assert on_4n.idxmax() == pd.Timestamp("2025-03-31")


@pytest.mark.parametrize(("text", "number", "said"), [
    ("- just a list\n", 14, "must hold 'author: <coder>'"),
    ("author: ana\ninferences:\n  - claim: no fit given\n", 14, "entry 1: each entry"),
    ("author: ana\ninferences:\n  - claim: c\n    fit: agreement\n    qualitative:\n"
     "      codings:\n        - {document: interview_P01.docx, code: trust, quote: not said}\n",
     15, "entry 1: no 'trust' coding of 'not said' in 'interview_P01.docx'"),
    ("author: ana\ninferences:\n  - claim: fine\n    fit: silence\n"
     "    qualitative: {codes: [informal-training]}\n"
     "  - claim: wrong fit\n    fit: convergent\n    qualitative: {codes: [trust]}\n",
     16, "entry 2: WB-TRIANGULATE-070"),
    ("author: ana\ninferences: [{claim: c, fit: agreement, qualitative: {codes: [trust]},\n",
     14, "is not readable YAML"),
])
def test_a_malformed_inferences_file_is_refused_and_nothing_recorded(riverside, tmp_path,
                                                                      text, number, said):
    path = tmp_path / "inferences.yaml"
    path.write_text(text, encoding="utf-8")
    before = len(riverside.inferences(check=False))
    with pytest.raises(ProjectError) as refused:
        record_inferences(riverside, path)
    assert refused.value.code == f"WB-PROJECT-{number:03d}"
    assert str(path) in str(refused.value) and said in str(refused.value)
    # The first entry of the fourth file was valid: the whole file is one transaction.
    assert len(riverside.inferences(check=False)) == before


def test_the_report_shows_the_examples_claims(riverside, tmp_path):
    run = run_report(riverside.path, ["08_report"], out=tmp_path, progress=False)
    shown = outputs(nbformat.read(run / "08_report.ipynb", as_version=4))
    for claim in riverside.inferences()["claim"]:
        assert claim in shown
    assert SKIPPED["inferences"] not in shown
