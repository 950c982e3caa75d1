"""What an import takes from a rich project, what it leaves out, and the report that says so.

The crafted project follows the ATLAS.ti example of the REFI-QDA 1.5 specification (annex
A): a ``<name>.qde`` project file, a ``Sources/`` folder, a BOM and CRLF, cases with
variables, a PDF with a text representation, audio and a picture, notes, links, sets, graphs.
"""

from __future__ import annotations

import zipfile

import pytest

from tests.refi_qda.conftest import crafted_qde, write_qdpx
from workbench import Project

QDE = """<?xml version="1.0" encoding="utf-8" standalone="yes"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Breakfast" origin="ATLAS.ti 23.4.0"
         creatingUserGUID="{00000000-0000-4000-8000-0000000000A1}">
 <Users>
  <User guid="00000000-0000-4000-8000-0000000000a1" name="Friedrich"/>
  <User guid="00000000-0000-4000-8000-0000000000A2" name="Seb"/>
 </Users>
 <CodeBook><Codes>
  <Code guid="00000000-0000-4000-8000-0000000000C1" name="Feelings" isCodable="true"
        color="#F00082"><Description>thoughts about breakfast foods</Description>
   <NoteRef targetGUID="00000000-0000-4000-8000-0000000000E3"/>
   <Code guid="00000000-0000-4000-8000-0000000000C2" name="happiness" isCodable="true"/>
  </Code>
 </Codes></CodeBook>
 <Variables>
  <Variable guid="00000000-0000-4000-8000-0000000000B1" name="age" typeOfVariable="Integer"/>
  <Variable guid="00000000-0000-4000-8000-0000000000B2" name="city" typeOfVariable="Text"/>
  <Variable guid="00000000-0000-4000-8000-0000000000B3" name="kind" typeOfVariable="Text"/>
 </Variables>
 <Cases>
  <Case guid="00000000-0000-4000-8000-0000000000D1" name="Mabel">
   <Description>Single mum.</Description>
   <VariableValue><VariableRef targetGUID="00000000-0000-4000-8000-0000000000B1"/>
    <IntegerValue>34</IntegerValue></VariableValue>
   <VariableValue><VariableRef targetGUID="00000000-0000-4000-8000-0000000000B2"/>
    <TextValue>Utrecht</TextValue></VariableValue>
   <SourceRef targetGUID="00000000-0000-4000-8000-0000000000F1"/>
   <SelectionRef targetGUID="00000000-0000-4000-8000-000000000051"/>
  </Case>
  <Case guid="00000000-0000-4000-8000-0000000000D2" name="Nobody">
   <VariableValue><VariableRef targetGUID="00000000-0000-4000-8000-0000000000B1"/>
    <IntegerValue>50</IntegerValue></VariableValue>
  </Case>
 </Cases>
 <Sources>
  <TextSource guid="00000000-0000-4000-8000-0000000000F1" name="Mabel.docx"
              plainTextPath="internal://T1.txt" richTextPath="internal://R1.docx">
   <PlainTextSelection guid="00000000-0000-4000-8000-000000000051" startPosition="19"
       endPosition="38" creatingUser="00000000-0000-4000-8000-0000000000A2">
    <Description>Mabel is not the only one.</Description>
    <Coding guid="00000000-0000-4000-8000-000000000061"
            creatingUser="00000000-0000-4000-8000-0000000000A2">
     <CodeRef targetGUID="00000000-0000-4000-8000-0000000000C2"/></Coding>
    <NoteRef targetGUID="00000000-0000-4000-8000-0000000000E2"/>
   </PlainTextSelection>
   <PlainTextSelection guid="00000000-0000-4000-8000-000000000052" startPosition="0"
       endPosition="3"/>
   <VariableValue><VariableRef targetGUID="00000000-0000-4000-8000-0000000000B3"/>
    <TextValue>interview</TextValue></VariableValue>
  </TextSource>
  <PDFSource guid="00000000-0000-4000-8000-0000000000F2" name="Kellogg.pdf"
             path="internal://P1.pdf">
   <PDFSelection guid="00000000-0000-4000-8000-000000000053" page="0" firstX="1" firstY="1"
                 secondX="2" secondY="2">
    <Coding guid="00000000-0000-4000-8000-000000000062">
     <CodeRef targetGUID="00000000-0000-4000-8000-0000000000C1"/></Coding>
   </PDFSelection>
   <Representation guid="00000000-0000-4000-8000-0000000000F3" plainTextPath="internal://RP1.txt">
    <PlainTextSelection guid="00000000-0000-4000-8000-000000000054" startPosition="0"
                        endPosition="7">
     <Coding guid="00000000-0000-4000-8000-000000000063">
      <CodeRef targetGUID="00000000-0000-4000-8000-0000000000C1"/></Coding>
    </PlainTextSelection>
   </Representation>
  </PDFSource>
  <AudioSource guid="00000000-0000-4000-8000-0000000000F4" name="Jeanine.m4a"
               path="relative:///A1.m4a">
   <AudioSelection guid="00000000-0000-4000-8000-000000000055" begin="0" end="1000">
    <Coding guid="00000000-0000-4000-8000-000000000064">
     <CodeRef targetGUID="00000000-0000-4000-8000-0000000000C1"/></Coding>
   </AudioSelection>
   <NoteRef targetGUID="00000000-0000-4000-8000-0000000000E5"/>
  </AudioSource>
  <PictureSource guid="00000000-0000-4000-8000-0000000000F5" name="cornflakes.jpg"
                 path="internal://PI1.jpg"/>
 </Sources>
 <Notes>
  <Note guid="00000000-0000-4000-8000-0000000000E1"
        creatingUser="00000000-0000-4000-8000-0000000000A1">
   <PlainTextContent>General note.</PlainTextContent></Note>
  <Note guid="00000000-0000-4000-8000-0000000000E2"
        creatingUser="00000000-0000-4000-8000-0000000000A2">
   <PlainTextContent>Note on the selection.</PlainTextContent></Note>
  <Note guid="00000000-0000-4000-8000-0000000000E3">
   <PlainTextContent>Note on the code.</PlainTextContent></Note>
  <Note guid="00000000-0000-4000-8000-0000000000E4">
   <PlainTextContent>Note on Mabel.</PlainTextContent></Note>
  <Note guid="00000000-0000-4000-8000-0000000000E5">
   <PlainTextContent>Note on the audio.</PlainTextContent></Note>
 </Notes>
 <Links>
  <Link guid="00000000-0000-4000-8000-000000000071" name="memo"
        originGUID="00000000-0000-4000-8000-0000000000E4"
        targetGUID="00000000-0000-4000-8000-0000000000D1"/>
  <Link guid="00000000-0000-4000-8000-000000000072" name="related"
        originGUID="00000000-0000-4000-8000-0000000000C1"
        targetGUID="00000000-0000-4000-8000-0000000000C2"/>
 </Links>
 <Sets>
  <Set guid="00000000-0000-4000-8000-000000000081" name="Morning people">
   <MemberCode targetGUID="00000000-0000-4000-8000-0000000000C1"/>
   <MemberSource targetGUID="00000000-0000-4000-8000-0000000000F1"/>
  </Set>
 </Sets>
 <Graphs><Graph guid="00000000-0000-4000-8000-000000000091" name="map"/></Graphs>
</Project>
"""
# Code points as the standard counts them: no BOM, the \\r of CRLF counted, so
# "Breakfast is mayhem" (19 characters) starts after "I'm a single mum.\\r\\n" (19).
MABEL = "\ufeffI'm a single mum.\r\nBreakfast is mayhem 👍 but fun.\r\n"


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    folder = tmp_path_factory.mktemp("rich")
    archive = folder / "breakfast.qdpx"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("Breakfast study.qde", QDE)  # ATLAS.ti names it after the project
        zipped.writestr("Sources/T1.txt", MABEL.encode("utf-8"))
        zipped.writestr("Sources/R1.docx", b"PK not really a docx")
        zipped.writestr("Sources/RP1.txt", "granola and more")
        zipped.writestr("Sources/P1.pdf", b"%PDF-1.4 not really a pdf")
    report = Project.import_qdpx(archive, folder / "project", user="importer")
    with Project.open(folder / "project") as project:
        yield report, project


def test_text_sources_and_pdf_representations_become_documents(imported):
    report, project = imported
    documents = project.documents().set_index("name")
    assert sorted(documents.index) == ["Kellogg.pdf", "Mabel.docx"]
    assert project.document("Mabel.docx").text == \
        "I'm a single mum.\nBreakfast is mayhem 👍 but fun.\n"
    assert documents.loc["Mabel.docx", "kind"] == "interview"  # from the variable 'kind'
    assert documents.loc["Mabel.docx", "set: Morning people"] == "yes"
    assert report.position_unit == "codepoint"


def test_codings_quote_the_selected_text_by_their_coder(imported):
    _, project = imported
    codings = project.codings()[["document", "code", "coder", "text"]]
    assert sorted(codings.itertuples(index=False, name=None)) == [
        ("Kellogg.pdf", "Feelings", "Friedrich", "granola"),  # coder: the project's creator
        ("Mabel.docx", "happiness", "Seb", "Breakfast is mayhem"),
    ]


def test_cases_keep_variables_and_documents(imported):
    _, project = imported
    cases = project.cases().set_index("case_id")
    # "Nobody" has no source: a workbench case groups documents, so it is left out.
    assert list(cases.index) == ["Mabel"] and cases.loc["Mabel", "n_documents"] == 1
    assert cases.loc["Mabel", "age"] == 34 and cases.loc["Mabel", "city"] == "Utrecht"
    assert project.documents().set_index("name").loc["Mabel.docx", "case_id"] == "Mabel"


def test_notes_and_descriptions_become_memos_on_their_targets(imported):
    _, project = imported
    memos = project.memos()
    by_kind = {(m.target_kind, m.text, m.author) for m in memos.itertuples()}
    assert by_kind == {
        ("project", "General note.", "Friedrich"),
        ("coding", "Note on the selection.", "Seb"),
        ("coding", "Mabel is not the only one.", "Seb"),
        ("code", "Note on the code.", "Friedrich"),
        ("case", "Note on Mabel.", "Friedrich"),
        ("case", "Single mum.", "Friedrich"),
        ("project", "On AudioSource 'Jeanine.m4a': Note on the audio.", "Friedrich"),
    }
    assert set(memos.loc[memos.target_kind == "case", "target_id"]) == {"Mabel"}


def test_report_lists_what_was_left_out_and_why(imported):
    report, _ = imported
    skipped = dict(report.skipped)
    assert skipped["1 PDF area selection(s) in 'Kellogg.pdf'"].startswith("workbench codes text")
    assert "audio source 'Jeanine.m4a' with 1 coding(s)" in skipped
    assert "picture source 'cornflakes.jpg'" in skipped
    assert "rich-text original of 'Mabel.docx' (internal://R1.docx)" in skipped
    assert skipped["selection 00000000-0000-4000-8000-000000000052 in 'Mabel.docx'"] \
        .endswith("workbench keeps coded passages only")
    assert "link 'related'" in skipped and "1 graph(s)" in skipped
    assert "case 'Mabel': 1 selection(s)" in skipped
    assert skipped["case 'Nobody'"].startswith("none of its sources was imported")
    assert dict(report.sets) == {"Morning people": "document attribute 'set: Morning people' "
                                 "= yes on 1 document(s); 1 code or note member(s) left out"}
    assert report.code_ids == {"00000000-0000-4000-8000-0000000000c1": "feelings",
                               "00000000-0000-4000-8000-0000000000c2": "happiness"}
    text = str(report)
    assert text.startswith("imported breakfast.qdpx (from ATLAS.ti 23.4.0)")
    assert "2 document(s), 2 code(s), 2 coding(s) by 2 coder(s), 7 memo(s), 1 case(s)" in text


def test_code_names_over_several_lines_are_joined(tmp_path):
    # XML keeps a line break in an attribute only as a character reference (&#10;).
    qde = crafted_qde().replace('name="Greeting"', 'name="Greet&#10;ing  words"')
    report = Project.import_qdpx(write_qdpx(tmp_path / "lines.qdpx", qde), tmp_path / "p", user="t")
    with Project.open(tmp_path / "p") as project:
        assert project.codes()["name"].tolist() == ["Greet ing words"]
    assert any("ran over several lines" in warning for warning in report.warnings)
