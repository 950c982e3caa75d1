"""XML that exhausts memory or time, or reaches past a parser's limits, is refused early with a
numbered error naming the file and line, in bounded memory; odd but readable encodings import.

Every file is a real .qdpx (or .qdc) written by the test; each hostile one stays inside the
archive limits (2 GiB in all, 100x expansion), so only the XML limits can stop it.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import textwrap

import pytest

from tests.conftest import write
from tests.refi_qda.conftest import crafted_qde, write_qdpx
from tests.refi_qda.test_qdpx_hostile import refused
from workbench import Project
from workbench.errors import CodebookError
from workbench.refi_qda import import_qdc
from workbench.safe_input.xml_data import MAX_DEPTH, MAX_NODES, MAX_TEXT


def _nested(depth: int, tag: str = "Description") -> str:
    return f"<{tag}>" * depth + f"</{tag}>" * depth


def test_deeply_nested_project_xml_is_refused_at_its_line(tmp_path):
    # 5,000 levels: lxml alone stops at 256 with a raw XMLSyntaxError; the gate stops at
    # MAX_DEPTH (100) on the line where the nesting passes it: line 15, as the crafted file's
    # 'tail' is its line 14 (tests/refi_qda/conftest.py) and the nesting follows a line break.
    archive = write_qdpx(tmp_path / "deep.qdpx", crafted_qde(tail="\n" + _nested(5000)))
    message = refused(tmp_path, archive, 40)
    assert message.startswith("WB-INTEROP-040: deep.qdpx: project.qde line 15: refused: "
                              f"elements nest more than {MAX_DEPTH} deep")
    assert "Export the file again" in message


def test_deeply_nested_codebook_is_a_numbered_error_not_a_recursion_error(tmp_path):
    # 5,000 nested codes: reading the tree recursively overflowed Python's stack before.
    codes = ('<Code name="c" guid="0D62985D-B147-5D01-A9B5-CAE5DCD98342">' * 5000
             + "</Code>" * 5000)
    path = write(tmp_path, "deep.qdc", '<?xml version="1.0"?>\n<CodeBook xmlns='
                 f'"urn:QDA-XML:codebook:1.0">\n<Codes>\n{codes}</Codes></CodeBook>')
    with pytest.raises(CodebookError) as caught:
        import_qdc(path)
    # Line 4: the declaration, <CodeBook>, <Codes>, then the codes on one line.
    assert str(caught.value).startswith("WB-CODEBOOK-020: deep.qdc line 4: refused: elements "
                                        f"nest more than {MAX_DEPTH} deep")
    assert caught.value.__cause__.code == "WB-INTEROP-040"


def test_a_huge_text_node_is_refused_before_lxml_meets_it(tmp_path):
    # One inline text of MAX_TEXT + 1 random letters (random, so that it compresses about
    # 1.2x and passes the archive's ratio limit): lxml's "xmlSAX2Characters: huge text node"
    # before; now the gate names the line of the <PlainTextContent>.
    letters = "".join(random.Random(1).choices("abcdefghij klmnop", k=MAX_TEXT + 1))
    inline = (f'<TextSource guid="6B0F2C1E-0000-4000-8000-0000000000F1" name="big.txt">'
              f"\n<PlainTextContent>{letters}</PlainTextContent></TextSource>")
    archive = write_qdpx(tmp_path / "text.qdpx", crafted_qde(sources_extra=inline))
    message = refused(tmp_path, archive, 42)
    assert message.startswith("WB-INTEROP-042: text.qdpx: project.qde line 13: refused: a text "
                              f"runs over {MAX_TEXT:,} characters")
    assert "its own file in the archive" in message


def test_a_declared_size_over_the_limit_is_refused_before_reading(tmp_path):
    import struct

    # A project file that declares 300 MB, over MAX_XML_BYTES (256 MiB) but under the 2 GiB
    # archive limit; 5 MB of random letters (4.7 bits each) in a comment compress to over 3 MB,
    # so it expands under 100x and passes the ratio limit. It is refused before it is read.
    noise = "".join(random.Random(3).choices("abcdefghijklmnopqrstuvwxyz", k=5_000_000))
    archive = write_qdpx(tmp_path / "big.qdpx", crafted_qde(tail=f"<!-- {noise} -->"))
    data = bytearray(archive.read_bytes())
    # The project.qde entry is written first: its local header is at offset 0 (size field at
    # 22); the central directory's first record (size field at 24) describes it too.
    struct.pack_into("<I", data, 22, 300_000_000)
    struct.pack_into("<I", data, data.find(b"PK\x01\x02") + 24, 300_000_000)
    archive.write_bytes(bytes(data))
    message = refused(tmp_path, archive, 43)
    assert "big.qdpx: project.qde: refused: the XML file is 300,000,000 bytes" in message


MEMORY_LIMITED_IMPORT = textwrap.dedent("""
    import resource, sys
    limit = int(sys.argv[3])
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    from workbench import Project
    from workbench.errors import WorkbenchError
    try:
        Project.import_qdpx(sys.argv[1], sys.argv[2], user="tess")
    except WorkbenchError as err:
        print(err.code)
    else:
        print("imported")
""")


def test_too_many_elements_are_refused_in_bounded_memory(tmp_path):
    # MAX_NODES + 5 nodes: elements of 4 random attributes each (5 nodes), in a <Notes> block
    # that nothing reads. About 20 MB of XML, compressed about 4x: inside the archive limits.
    # Built as trees this took over 1 GiB (a stdlib tree, then an lxml one); the gate keeps
    # counters only, so the import fails with its number inside a 1 GiB address space
    # (Python with pandas and lxml loaded takes about 0.5 GiB of it).
    rng = random.Random(2)
    count = MAX_NODES // 5 + 1
    rows = "".join(f'<x a="{rng.getrandbits(16):x}" b="{rng.getrandbits(16):x}" '
                   f'c="{rng.getrandbits(16):x}" d="{rng.getrandbits(16):x}"/>\n'
                   for _ in range(count))
    archive = write_qdpx(tmp_path / "many.qdpx", crafted_qde(tail=f"<Notes>{rows}</Notes>"))
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    done = subprocess.run(
        [sys.executable, "-c", MEMORY_LIMITED_IMPORT, str(archive), str(tmp_path / "out"),
         str(2**30)], capture_output=True, text=True, env=env, timeout=300)
    assert done.stdout.strip() == "WB-INTEROP-041", done.stderr[-2000:]
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("encoding", "prefix"), [("utf-8", b"\xef\xbb\xbf"),
                                                   ("utf-16", b""), ("windows-1252", b"")])
def test_a_bom_or_another_declared_encoding_is_read_right(tmp_path, encoding, prefix):
    # The code is named "Grüße €" (the euro sign is byte 0x80 in windows-1252); Python's
    # codec writes the UTF-16 byte-order mark itself.
    qde = crafted_qde().replace('encoding="UTF-8"', f'encoding="{encoding}"').replace(
        'name="Greeting"', 'name="Grüße €"')
    archive = write_qdpx(tmp_path / "enc.qdpx", prefix + qde.encode(encoding))
    Project.import_qdpx(archive, tmp_path / "enc", user="tess")
    with Project.open(tmp_path / "enc") as project:
        assert project.codings(coder="*")["code"].tolist() == ["Grüße €"]


def test_an_encoding_workbench_cannot_stream_is_a_numbered_error(tmp_path):
    qde = crafted_qde().replace('encoding="UTF-8"', 'encoding="Shift_JIS"')
    message = refused(tmp_path, write_qdpx(tmp_path / "sjis.qdpx", qde.encode("shift_jis")), 45)
    assert "sjis.qdpx: project.qde: the XML declares an encoding" in message
    assert "save it as UTF-8" in message
