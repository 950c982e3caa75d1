"""REFI-QDA codebook exchange, on real exports from ATLAS.ti and Taguette and on hostile XML."""

from __future__ import annotations

import uuid
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from lxml import etree

from tests.codebook.codebook_strategies import codebooks, xml_text
from workbench.codebook import Code, Codebook, load_codebook, validate
from workbench.errors import CodebookError, InteropError
from workbench.refi_qda import code_guid, export_qdc, import_qdc
from workbench.refi_qda.qdc_write import GUID_NAMESPACE, NAMESPACE
from workbench.safe_input import parse_xml

NS = {"qdc": NAMESPACE}


def by_id(book: Codebook) -> dict[str, Code]:
    return {code.id: code for code in book.codes}


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# ---- export ---------------------------------------------------------------------------------


def test_export_is_valid_against_the_refi_qda_codebook_schema(small, tmp_path, codebook_schema):
    path = tmp_path / "small.qdc"
    export_qdc(small, path)
    codebook_schema.validate(str(path))
    tree = etree.parse(str(path))
    # SMALL_YAML nests manual-verification under repair; distrust is top-level.
    assert tree.xpath("/qdc:CodeBook/qdc:Codes/qdc:Code/@name", namespaces=NS) == [
        "Repair work", "Distrust",
    ]  # fmt: skip
    child = tree.xpath("//qdc:Code[@name='Repair work']/qdc:Code", namespaces=NS)[0]
    assert child.get("name") == "Manual verification"
    assert child.get("isCodable") == "true"
    assert child.get("guid") == str(uuid.uuid5(GUID_NAMESPACE, "manual-verification")).upper()
    assert tree.xpath("//qdc:Code[@name='Repair work']/@color", namespaces=NS) == ["#E15759"]
    description = child.findtext("qdc:Description", namespaces=NS)
    assert description.startswith("Checking the score's inputs by hand.\n\n--- workbench ---\n")
    assert "id: manual-verification\n" in description
    assert "- look up the lab\n" in description


def test_sociotechnical_export_is_valid_and_nested(tmp_path, codebook_schema, sociotechnical_path):
    book = load_codebook(sociotechnical_path)
    path = tmp_path / "sociotechnical.qdc"
    export_qdc(book, path)
    codebook_schema.validate(str(path))
    tree = etree.parse(str(path))
    assert len(tree.xpath("//qdc:Code", namespaces=NS)) == len(book.codes)
    # Ten families at the top level of sociotechnical.yaml (listed in codebooks/README.md).
    assert len(tree.xpath("/qdc:CodeBook/qdc:Codes/qdc:Code", namespaces=NS)) == 10
    staffing = tree.xpath("//qdc:Code[@name='Staffing']", namespaces=NS)[0]
    assert [code.get("name") for code in staffing.iterancestors(f"{{{NAMESPACE}}}Code")] == [
        "Labour conditions", "Power and inequality",
    ]  # fmt: skip


def test_export_is_deterministic_with_stable_guids(small, tmp_path):
    export_qdc(small, tmp_path / "one.qdc")
    export_qdc(small, tmp_path / "two.qdc")
    assert (tmp_path / "one.qdc").read_bytes() == (tmp_path / "two.qdc").read_bytes()
    assert code_guid("repair") == code_guid("repair") != code_guid("distrust")


def test_export_refuses_what_xml_cannot_hold_and_writes_nothing(small, tmp_path):
    codes = (replace(small.codes[0], definition="Bell\x07 in the text."), *small.codes[1:])
    with pytest.raises(
        CodebookError, match="WB-CODEBOOK-022: code 'repair' field 'definition'.*U\\+0007"
    ):
        export_qdc(replace(small, codes=codes), tmp_path / "bell.qdc")
    with pytest.raises(
        CodebookError, match="WB-CODEBOOK-023: empty.qdc: codebook 'Empty' has no codes"
    ):
        export_qdc(Codebook("Empty", 1), tmp_path / "empty.qdc")
    invalid = replace(small, codes=(Code("a", "A", "nowhere", "x"),))
    with pytest.raises(
        CodebookError, match="WB-CODEBOOK-009: invalid.qdc: code 'a' field 'parent'"
    ):
        export_qdc(invalid, tmp_path / "invalid.qdc")
    assert list(tmp_path.iterdir()) == []


# ---- round trips ----------------------------------------------------------------------------


def test_round_trip_keeps_every_code_field(tmp_path, sociotechnical_path):
    book = load_codebook(sociotechnical_path)
    export_qdc(book, tmp_path / "sociotechnical.qdc")
    again, warnings = import_qdc(tmp_path / "sociotechnical.qdc")
    assert warnings == []
    # sociotechnical.yaml lists its codes in tree order, so even the order survives.
    assert again.codes == book.codes
    # What the format has no place for: the title comes from the file name, version 1.
    assert (again.title, again.version, again.authors, again.changelog, again.references) == (
        "sociotechnical", 1, (), (), ()
    )  # fmt: skip


@settings(
    max_examples=75, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(book=codebooks(text=xml_text, min_codes=1))
def test_round_trip_property(book, tmp_path, codebook_schema):
    path = tmp_path / "book.qdc"
    export_qdc(book, path)
    codebook_schema.validate(str(path))
    again, warnings = import_qdc(path)
    assert warnings == []
    assert by_id(again) == by_id(book)
    # Sibling order survives; the overall order becomes tree order.
    for code in (None, *book.codes):
        parent = None if code is None else code.id
        assert again.children(parent) == book.children(parent)


# ---- real exports from other programs -------------------------------------------------------


def test_atlasti_codebook(samples):
    book, warnings = import_qdc(samples / "atlasti-win-23.4_codebook.qdc")
    # The ATLAS.ti sample holds 1 Code element, "code1", colour #46AA00, Description
    # "description", and 1 Set "code group 1" (counted in the file).
    assert [(c.id, c.name, c.parent, c.color, c.definition) for c in book.codes] == [
        ("code1", "code1", None, "#46AA00", "description")
    ]
    assert book.title == "atlasti-win-23.4_codebook"
    assert warnings == [
        "atlasti-win-23.4_codebook.qdc: left out 1 code group(s) ('code group 1'): workbench "
        "codebooks have no code groups. Use parent codes to group codes."
    ]


def test_taguette_codebook_is_read_with_warnings_and_its_hierarchy_rebuilt(
    samples, codebook_schema
):
    path = samples / "taguette-1.5.2_codebook.qdc"
    # The file fails the schema: <Sets/> must hold at least one <Set>.
    assert not codebook_schema.is_valid(str(path))
    book, warnings = import_qdc(path)
    # The Taguette sample holds 3 Code elements: interesting, people, interesting\places
    # (counted in the file); no colours, no Descriptions.
    assert [(c.id, c.name, c.parent) for c in book.codes] == [
        ("interesting", "interesting", None),
        ("people", "people", None),
        ("places", "places", "interesting"),
    ]
    assert book.path("places") == "interesting/places"
    assert all(code.color is None and code.definition == "" for code in book.codes)
    assert "<Sets> is empty" in warnings[0]
    assert "read the '\\' in 1 code name(s) as hierarchy" in warnings[1]
    assert "'interesting\\places'" in warnings[1]
    # One more warning per code without a definition; validate() asks for them too.
    assert warnings[2:] == [
        f"taguette-1.5.2_codebook.qdc: code '{code_id}' field 'definition': the file gives no "
        "description. Write a definition before coding with this codebook."
        for code_id in ("interesting", "people", "places")
    ]
    assert [(problem.number, problem.code_id) for problem in validate(book)] == [
        (11, "interesting"), (11, "people"), (11, "places"),
    ]  # fmt: skip


def test_truncated_atlasti_codebook_names_file_and_line(samples):
    with pytest.raises(CodebookError) as caught:
        import_qdc(samples / "atlasti-win-23.4_codebook_truncated.qdc")
    # The file stops inside the start tag "<Code " that opens at line 17, column 5 (its last
    # line, counted in the file).
    assert caught.value.code == "WB-CODEBOOK-020"
    assert str(caught.value).startswith(
        "WB-CODEBOOK-020: atlasti-win-23.4_codebook_truncated.qdc line 17, column 5: the XML is "
        "not well-formed (unclosed token)."
    )
    assert "export it again" in str(caught.value)
    assert isinstance(caught.value.__cause__, InteropError)


# ---- lenient reading of what other programs write -------------------------------------------


def test_backslash_parents_that_are_not_defined_are_created(tmp_path):
    path = write(
        tmp_path,
        "made.qdc",
        '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
        '<Code guid="0D62985D-B147-5D01-A9B5-CAE5DCD98342" name="a\\b\\c" isCodable="true"/>'
        '<Code guid="DFE5C38E-9449-5959-A1F7-E3D895CFA87F" name="a" isCodable="true" color="#abc">'
        "<Description>First.</Description></Code>"
        "</Codes></CodeBook>",
    )
    book, warnings = import_qdc(path)
    # "a" is defined after "a\b\c" and fills the place made for it; "a\b" is never defined.
    assert [(c.id, c.name, c.parent, c.color, c.definition) for c in book.codes] == [
        ("a", "a", None, "#aabbcc", "First."),
        ("b", "b", "a", None, ""),
        ("c", "c", "b", None, ""),
    ]
    assert "made.qdc: code 'a/b' is named as a parent but not defined; created it." in warnings


def test_clashing_names_get_distinct_ids_and_odd_attributes_are_reported(tmp_path):
    path = write(
        tmp_path,
        "clash.qdc",
        '<CodeBook xmlns="urn:QDA-XML:codebook:0:4"><Codes>'
        '<Code guid="0D62985D-B147-5D01-A9B5-CAE5DCD98342" name="Trust" isCodable="false"'
        ' color="blue"><Description>  Reliance.  </Description>'
        '<Code guid="DFE5C38E-9449-5959-A1F7-E3D895CFA87F" name="Trust" isCodable="true"/>'
        "</Code></Codes></CodeBook>",
    )
    book, warnings = import_qdc(path)
    assert [(c.id, c.parent, c.definition) for c in book.codes] == [
        ("trust", None, "Reliance."),
        ("trust-trust", "trust", ""),
    ]
    assert warnings[:3] == [
        "clash.qdc: the namespace is 'urn:QDA-XML:codebook:0:4', not "
        "'urn:QDA-XML:codebook:1.0'; read as version 1.0.",
        "clash.qdc: code 'Trust' is marked not codable; workbench lets every code be applied.",
        "clash.qdc: code 'Trust' has the colour 'blue', which is not #RRGGBB; left it out.",
    ]


def test_a_damaged_workbench_part_keeps_the_whole_description(tmp_path):
    path = write(
        tmp_path,
        "damaged.qdc",
        '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
        '<Code guid="0D62985D-B147-5D01-A9B5-CAE5DCD98342" name="X" isCodable="true">'
        "<Description>Meaning.\n\n--- workbench ---\nid: [unclosed\n</Description>"
        "</Code></Codes></CodeBook>",
    )
    book, warnings = import_qdc(path)
    assert book.codes[0].definition == "Meaning.\n\n--- workbench ---\nid: [unclosed"
    assert "code 'X': the Description's workbench part is damaged" in warnings[0]


def test_an_xml_file_that_is_not_a_codebook(tmp_path):
    path = write(tmp_path, "project.qde", '<Project xmlns="urn:QDA-XML:project:1.0"/>')
    with pytest.raises(CodebookError, match="WB-CODEBOOK-021: project.qde: .* holds <Project>"):
        import_qdc(path)


# ---- hostile XML ----------------------------------------------------------------------------

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE CodeBook [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>
<Code guid="0D62985D-B147-5D01-A9B5-CAE5DCD98342" name="&lol9;" isCodable="true"/>
</Codes></CodeBook>
"""


def external_entity(secret_path) -> str:
    return f"""<?xml version="1.0"?>
<!DOCTYPE CodeBook [<!ENTITY secret SYSTEM "file://{secret_path}">]>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>
<Code guid="0D62985D-B147-5D01-A9B5-CAE5DCD98342" name="x" isCodable="true">
<Description>&secret;</Description></Code>
</Codes></CodeBook>
"""


def test_billion_laughs_is_refused(tmp_path):
    path = write(tmp_path, "laughs.qdc", BILLION_LAUGHS)
    with pytest.raises(CodebookError) as caught:
        import_qdc(path)
    message = str(caught.value)
    assert message.startswith("WB-CODEBOOK-020: laughs.qdc: refused: the file carries a document")
    assert "<!DOCTYPE CodeBook>" in message and "billion laughs" in message
    assert caught.value.__cause__.code == "WB-INTEROP-003"


def test_external_entity_is_refused_and_nothing_is_read(tmp_path):
    secret = write(tmp_path, "secret.txt", "patient list")
    path = write(tmp_path, "xxe.qdc", external_entity(secret))
    with pytest.raises(CodebookError) as caught:
        import_qdc(path)
    assert "refused" in str(caught.value)
    assert "patient list" not in str(caught.value)
    with pytest.raises(InteropError, match="WB-INTEROP-003: XML data: refused"):
        parse_xml(external_entity(secret).encode())


def test_an_external_dtd_is_refused_and_named(tmp_path):
    document = b'<!DOCTYPE CodeBook SYSTEM "http://example.invalid/qdc.dtd"><CodeBook/>'
    with pytest.raises(InteropError) as caught:
        parse_xml(document, source_name="remote.qdc")
    assert "remote.qdc: refused" in str(caught.value)
    assert "pointing to 'http://example.invalid/qdc.dtd'" in str(caught.value)


def test_parse_xml_reads_files_and_reports_unreadable_ones(tmp_path, samples):
    root = parse_xml(samples / "taguette-1.5.2_codebook.qdc")
    assert root.tag == f"{{{NAMESPACE}}}CodeBook"
    with pytest.raises(InteropError, match="WB-INTEROP-001: missing.qdc: cannot read the file"):
        parse_xml(tmp_path / "missing.qdc")
