"""Real .qdpx exports (NVivo for Windows and Mac, qc) import with the quotes people coded.

The samples are real public comments: the tests compare counts and offsets and never print
or store their text. Expected counts are hand counts of each sample's project.qde
(``<TextSource>``, ``<Code>``, ``<PlainTextSelection>``, ``<Coding>`` elements), matching the
table in ../shared/refi-qda/README.md.
"""

from __future__ import annotations

import zipfile
from collections import Counter

import pytest
from lxml import etree

from tests.refi_qda.conftest import SAMPLES
from workbench import Project
from workbench.corpus.normalise import normalise

# name: (sources, codes, selections, codings, unit the program's positions count)
EXPECTED = {
    "nvivo-win-12.6_small": (1, 60, 97, 97, "utf16"),
    "nvivo-mac-12.7": (2, 152, 297, 297, "utf16"),
    "qc-1.3.2_demo": (2, 262, 158, 205, "codepoint"),
}


def _mid_word(text: str, position: int) -> bool:
    return 0 < position < len(text) and text[position - 1].isalnum() and text[position].isalnum()


def _expected_quotes(sample: str) -> Counter:
    """Each coding's quote, read from the raw sample independently of workbench: the file's
    text after its BOM, sliced in the program's unit, then normalised (BOM, CRLF, NFC)."""
    archive = zipfile.ZipFile(SAMPLES / f"{sample}.qdpx")
    names = {n.lower(): n for n in archive.namelist()}
    root = etree.fromstring(archive.read("project.qde"))
    quotes = Counter()
    for source in root.iter("{*}TextSource"):
        path = source.get("plainTextPath").removeprefix("internal://")
        raw = archive.read(names[f"sources/{path}".lower()]).decode("utf-8-sig")
        for selection in source.iter("{*}PlainTextSelection"):
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            if EXPECTED[sample][4] == "utf16":
                units = raw.encode("utf-16-le")
                quote = units[2 * start:2 * end].decode("utf-16-le")
            else:
                quote = raw[start:end]
            quotes[normalise(quote)] += len(selection.findall("{*}Coding"))
    return quotes


@pytest.fixture(scope="module", params=sorted(EXPECTED))
def imported(request, tmp_path_factory):
    sample = request.param
    folder = tmp_path_factory.mktemp("samples") / sample
    report = Project.import_qdpx(SAMPLES / f"{sample}.qdpx", folder, user="tester")
    with Project.open(folder) as project:
        yield sample, report, project


def test_counts(imported):
    sample, report, project = imported
    sources, codes, selections, codings, unit = EXPECTED[sample]
    assert len(project.documents()) == sources == len(report.documents)
    assert len(project.codes()) == codes == len(report.code_ids)
    frame = project.codings()
    assert len(frame) == codings == report.n_codings
    spans = frame.groupby(["doc_id", "start", "end"]).ngroups
    # NVivo writes one selection per code; several of its selections share a span.
    assert spans <= selections
    assert report.position_unit == unit
    assert set(frame["origin"]) == {"imported"}


def test_quotes_are_the_text_the_coders_selected(imported):
    sample, _, project = imported
    stored = Counter(project.codings()["text"])
    assert stored == _expected_quotes(sample)


def test_nearly_all_quotes_start_and_end_on_word_boundaries(imported):
    # People select words and sentences; a quote cut mid-word shows a misread offset unit.
    # NVivo for Mac 12.7: 3 of 297 selections are cut mid-word in the file itself (checked
    # by hand: a selection starting one letter into a word, two ending inside one).
    sample, _, project = imported
    frame = project.codings()
    texts = {doc_id: project.document(doc_id).text for doc_id in frame["doc_id"].unique()}
    cut = sum(_mid_word(texts[r.doc_id], r.start) or _mid_word(texts[r.doc_id], r.end)
              for r in frame.itertuples())
    assert cut / len(frame) <= 0.015, f"{cut} of {len(frame)} quotes cut mid-word"


@pytest.mark.parametrize("sample", ["nvivo-win-12.6_small", "nvivo-mac-12.7"])
def test_nvivo_positions_read_as_code_points_would_cut_words(sample, tmp_path):
    # The evidence for NVivo's unit: read as code points, most quotes fall mid-word
    # (60/97 and 58/297 whole; see workbench/refi_qda/_positions.py).
    report = Project.import_qdpx(SAMPLES / f"{sample}.qdpx", tmp_path / "p", user="t",
                         position_unit="codepoint")
    # ... and the report says so, naming the unit to try.
    assert any("position_unit='utf16'" in warning for warning in report.warnings)
    with Project.open(tmp_path / "p") as project:
        frame = project.codings()
        texts = {d: project.document(d).text for d in frame["doc_id"].unique()}
        cut = sum(_mid_word(texts[r.doc_id], r.start) or _mid_word(texts[r.doc_id], r.end)
                  for r in frame.itertuples())
    assert cut / len(frame) > 0.3


def test_report_says_what_was_left_out_and_adapted(imported):
    sample, report, _ = imported
    text = str(report)
    assert f"{len(report.documents)} document(s)" in text
    if sample.startswith("nvivo"):
        # NVivo sends a .docx original with each plain text: left out, and said so.
        assert any("rich-text original" in what for what, _ in report.skipped)
    assert any("have no description" in w for w in report.warnings)
    assert not any("position_unit" in w for w in report.warnings)
    frame = report.to_frame()
    assert set(frame["status"]) >= {"imported", "warning"}


def test_sources_without_a_name_are_named_after_their_file(imported):
    sample, report, _ = imported
    if sample == "qc-1.3.2_demo":  # qc writes <TextSource> without a name attribute
        assert sorted(name for name, _ in report.documents) == ["admin-1.txt", "board_2017.txt"]


def test_codes_keep_their_hierarchy_and_descriptions(imported):
    sample, report, project = imported
    codes = project.codes()
    root = etree.fromstring(zipfile.ZipFile(SAMPLES / f"{sample}.qdpx").read("project.qde"))
    for element in root.iter("{*}Code"):
        code_id = report.code_ids[element.get("guid").lower()]
        row = codes.set_index("code_id").loc[code_id]
        assert row["name"] == element.get("name")
        parent = element.getparent()
        expected_parent = (report.code_ids[parent.get("guid").lower()]
                           if etree.QName(parent).localname == "Code" else None)
        assert (row["parent_id"] if isinstance(row["parent_id"], str) else None) \
            == expected_parent
        description = element.find("{*}Description")
        if description is not None and (description.text or "").strip():
            assert row["definition"] == description.text.strip()
        else:
            assert row["definition"].startswith("(imported from ")
