"""project -> .qdpx -> project keeps every document, code, coding, coder, memo and attribute.

The project is built through the library: the Riverside interviews with participants.csv,
the sociotechnical codebook, a field note with non-ASCII and emoji text, codings by two
coders, memos on every kind of target, document attributes and a set.
"""

from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from tests.conftest import REPO, RIVERSIDE, span, write
from workbench import Project
from workbench.corpus.normalise import normalise

NOTE = ("2025-04-02 night shift, ward 5E.\n"
        "Zoë said the 🚨 alert fired twice 👍🏽 before anyone looked.\n"
        "Ça arrive: “la liste papier” stays on the whiteboard.\n")


@pytest.fixture(scope="module")
def original(tmp_path_factory):
    folder = tmp_path_factory.mktemp("roundtrip")
    write(folder, "fn_2025-04-02_5E_night.txt", NOTE)
    write(folder, "notes.csv", "file,observer,set: night shift\n"
          "fn_2025-04-02_5E_night.txt,obs-2,yes\ninterview_P02.txt,,yes\n")
    project = Project.create(folder / "original", user="ana")
    project.import_files([RIVERSIDE / "interviews", folder / "fn_2025-04-02_5E_night.txt"],
                         attributes=RIVERSIDE / "participants.csv", progress=False)
    project.import_attributes(folder / "notes.csv")
    project.set_codebook(REPO / "codebooks" / "sociotechnical.yaml")
    documents = project.documents().set_index("name")["doc_id"]
    note, p02 = documents["fn_2025-04-02_5E_night.txt"], documents["interview_P02.txt"]
    text = project.document(note).text
    codes = project.codes()["code_id"].tolist()
    after_emoji = span(text, "before anyone looked")  # after two emoji: offsets must hold
    first = project.code(note, *after_emoji, codes[0])
    project.code(note, *after_emoji, codes[1], coder="ben")
    project.code(note, *span(text, "Zoë said the 🚨 alert"), codes[2], coder="ben")
    project.code(note, *span(text, "“la liste papier”"), codes[3])
    p02_text = project.document(p02).text
    project.code(p02, 0, 40, codes[4], coder="ben", memo="Opening of the interview.")
    project.code(p02, 20, len(p02_text), codes[0])
    project.memo("project", None, "Round trip, with an emoji 🚨 and “quotes”.")
    project.memo("document", note, "Observer was new to the ward.")
    project.memo("code", codes[0], "Check this code's boundary with the next one.")
    project.memo("coding", first.coding_id, "Second look: still fits.")
    project.memo("case", "P01", "P01 asked to see the transcript.")
    project.export_qdpx(folder / "study.qdpx")
    report = Project.import_qdpx(folder / "study.qdpx", folder / "copy", user="zed")
    copy = Project.open(folder / "copy")
    yield project, copy, folder / "study.qdpx", report
    project.close()
    copy.close()


def test_export_validates_against_the_refi_qda_schema(original, xsd):
    _, _, path, _ = original
    with zipfile.ZipFile(path) as archive:
        xsd.validate(archive.read("project.qde"))
        names = archive.namelist()
    assert names[0] == "project.qde" and all(n.startswith("sources/") for n in names[1:])


def test_documents_keep_name_text_kind_date_case_and_attributes(original):
    project, copy, _, _ = original
    columns = ["name", "kind", "case_id", "date", "n_chars", "observer", "set: night shift"]
    before, after = project.documents(), copy.documents()
    pd.testing.assert_frame_equal(before[columns].reset_index(drop=True),
                                  after[columns].reset_index(drop=True))
    for name in before["name"]:
        assert project.document(name).text == copy.document(name).text


def test_codes_keep_ids_names_parents_colours_and_definitions(original):
    project, copy, _, _ = original
    assert sorted(project.codebook().codes, key=lambda c: c.id) == \
        sorted(copy.codebook().codes, key=lambda c: c.id)


def _codings(project: Project) -> list[tuple]:
    frame = project.codings()
    return sorted(frame[["document", "start", "end", "code_id", "coder", "text", "created_at"]]
                  .itertuples(index=False, name=None))


def test_codings_keep_document_span_code_coder_and_quote(original):
    project, copy, _, report = original
    assert _codings(project) == _codings(copy)
    assert set(copy.codings()["coder"]) == {"ana", "ben"}
    assert report.n_coders == 2 and report.position_unit == "codepoint"


def _memos(project: Project) -> list[tuple]:
    codings = project.codings().set_index("coding_id")
    names = project.documents().set_index("doc_id")["name"]
    rows = []
    for memo in project.memos().itertuples():
        target = memo.target_id
        if memo.target_kind == "document":
            target = names[target]
        elif memo.target_kind == "coding":
            row = codings.loc[target]
            target = (row["document"], row["start"], row["end"], row["code_id"], row["coder"])
        rows.append((memo.target_kind, target, memo.author, memo.text))
    return sorted(rows, key=repr)


def test_project_memos_are_referenced_from_the_project(original):
    _, _, path, _ = original
    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("project.qde"))
    refs = root.findall("{urn:QDA-XML:project:1.0}NoteRef")
    notes = {n.get("guid"): n for n in root.iter("{urn:QDA-XML:project:1.0}Note")}
    assert [notes[r.get("targetGUID")].findtext("{*}PlainTextContent") for r in refs] == \
        ["Round trip, with an emoji 🚨 and “quotes”."]


def test_memos_keep_target_author_and_text(original):
    project, copy, _, _ = original
    assert len(_memos(project)) == 6
    assert _memos(project) == _memos(copy)


def test_cases_keep_their_attributes(original):
    project, copy, _, _ = original
    pd.testing.assert_frame_equal(project.cases(), copy.cases())


def test_a_second_round_trip_writes_the_same_project_file(original, tmp_path):
    # GUIDs come from workbench ids, so the copy exports the same project, but for the
    # project's name and export time (and the users: the copy was imported by another user).
    project, copy, path, _ = original
    copy.export_qdpx(tmp_path / "again.qdpx")
    with zipfile.ZipFile(path) as first, zipfile.ZipFile(tmp_path / "again.qdpx") as second:
        assert sorted(first.namelist()) == sorted(second.namelist())
        for name in first.namelist()[1:]:
            assert first.read(name) == second.read(name)


CODEBOOK = """
title: Property codebook
version: 1
codes:
  - {id: alpha, name: Alpha, definition: First., color: "#112233"}
  - {id: beta, name: Beta, parent: alpha, definition: Second.}
"""

pieces = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")) | st.sampled_from(
    ["\n", "\r\n", "é", "e\u0301", "👍🏽", "🚨", "語", " "])
texts = st.lists(pieces, min_size=1, max_size=40).map("".join).filter(
    lambda t: t.strip() and not t.startswith("---"))


@st.composite
def coded_texts(draw):
    documents = draw(st.lists(texts, min_size=1, max_size=3, unique_by=normalise))
    codings = []
    for index, text in enumerate(documents):
        for _ in range(draw(st.integers(0, 4))):
            start = draw(st.integers(0, len(text) - 1))
            end = draw(st.integers(start + 1, len(text)))
            codings.append((index, start, end, draw(st.sampled_from(["alpha", "beta"])),
                            draw(st.sampled_from(["ana", "bo"]))))
    return documents, codings


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(case=coded_texts())
def test_round_trip_is_lossless_for_any_text_and_spans(case):
    documents, codings = case
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        files = [write(folder, f"doc_{i}.txt", text) for i, text in enumerate(documents)]
        write(folder, "codebook.yaml", CODEBOOK)
        with Project.create(folder / "a", user="ana") as project:
            project.import_files(files, kind="document", progress=False)
            project.set_codebook(folder / "codebook.yaml")
            ids = project.documents().set_index("name")["doc_id"]
            texts_ = {i: project.document(ids[f"doc_{i}.txt"]).text for i in range(len(files))}
            rows = [(ids[f"doc_{i}.txt"], s, e, c, who) for i, s, e, c, who in codings
                    if e <= len(texts_[i])]
            if rows:
                project.code_many(pd.DataFrame(rows, columns=["doc_id", "start", "end", "code",
                                                              "coder"]))
            project.export_qdpx(folder / "a.qdpx")
            Project.import_qdpx(folder / "a.qdpx", folder / "b", user="zed")
            with Project.open(folder / "b") as copy:
                assert _codings(project) == _codings(copy)
                for name in ids.index:
                    assert project.document(name).text == copy.document(name).text
