"""Users and GUIDs of an imported .qdpx: every coding stays with the person who made it.

Each test writes a real .qdpx: the crafted project of tests/refi_qda/conftest.py with a second
user and a second coding ("world", positions 6-11 of its text) by that user.
"""

from __future__ import annotations

from pathlib import Path

from tests.refi_qda.conftest import CODE, CODING, SELECTION, USER, crafted_qde, write_qdpx
from tests.refi_qda.test_qdpx_hostile import refused
from workbench import Project

ROOT = Path(__file__).resolve().parents[2]
OTHER = "6B0F2C1E-0000-4000-8000-0000000000A2"


def two_users(name: str, *, guid: str = OTHER, selection: str = "0000000000B1",
              coding: str = "0000000000C1") -> str:
    """The crafted project with a user ``name`` (GUID ``guid``) who codes "world"."""
    second = (f'<PlainTextSelection guid="6B0F2C1E-0000-4000-8000-{selection}" '
              f'startPosition="6" endPosition="11"><Coding guid="6B0F2C1E-0000-4000-8000-'
              f'{coding}" creatingUser="{guid}"><CodeRef targetGUID="{CODE}"/></Coding>'
              "</PlainTextSelection>\n    </TextSource>")
    return (crafted_qde()
            .replace(f'<User guid="{USER}" name="tess"/>',
                     f'<User guid="{USER}" name="tess"/>\n  <User guid="{guid}" name="{name}"/>')
            .replace("</TextSource>", second, 1))


def coders_and_quotes(folder) -> list[tuple[str, str]]:
    with Project.open(folder) as project:
        table = project.codings(coder="*")
    return sorted(zip(table["coder"], table["text"], strict=True))


def test_two_users_sharing_a_guid_are_refused_naming_both(tmp_path):
    # Before, the second user's name silently took both users' codings.
    archive = write_qdpx(tmp_path / "shared.qdpx", two_users("uma", guid=USER))
    message = refused(tmp_path, archive, 46)
    # Users are on line 3 of the crafted file; the second user is on line 4.
    assert message.startswith(f"WB-INTEROP-046: shared.qdpx: project.qde line 4: users 'tess' "
                              f"(line 3) and 'uma' share the GUID {USER}")
    assert "export it again" in message


def test_two_users_with_one_name_are_kept_apart(tmp_path):
    report = Project.import_qdpx(write_qdpx(tmp_path / "names.qdpx", two_users("tess")),
                         tmp_path / "names", user="importer")
    # "Hello" (0-5) by the first tess, "world" (6-11) by the second.
    assert coders_and_quotes(tmp_path / "names") == [("tess", "Hello"),
                                                     ("tess (2)", "world")]
    assert report.n_coders == 2
    assert any("user 'tess' is the name of another user" in w for w in report.warnings)


def test_a_user_called_consensus_is_renamed_and_survives_reconcile(tmp_path):
    report = Project.import_qdpx(write_qdpx(tmp_path / "cons.qdpx", two_users("consensus")),
                         tmp_path / "cons", user="importer")
    assert any("user 'consensus' is reserved in workbench; their codings and notes are under "
               "'consensus (imported)'" in w for w in report.warnings)
    assert coders_and_quotes(tmp_path / "cons") == [("consensus (imported)", "world"),
                                                    ("tess", "Hello")]
    with Project.open(tmp_path / "cons") as project:
        project.reconcile(["tess", "consensus (imported)"], {}, default="both")
        layer = project.codings(coder="consensus")
        # Both coded the crafted text's first sentence "Hello world.": an agreed unit, which
        # keeps the first coder's coding. The renamed user's own coding is untouched.
        assert layer["text"].tolist() == ["Hello"]
        assert set(layer["origin"]) == {"consensus"}
        assert len(project.codings(coder="consensus (imported)")) == 1


def test_a_guid_given_to_two_selections_or_codings_is_refused(tmp_path):
    # The crafted file's own selection and coding GUIDs (tests/refi_qda/conftest.py), given
    # again to the second user's selection or coding.
    for what, guid, qde in (("selection", SELECTION, two_users("uma", selection=SELECTION[-12:])),
                            ("coding", CODING, two_users("uma", coding=CODING[-12:]))):
        archive = write_qdpx(tmp_path / f"{what}.qdpx", qde)
        message = refused(tmp_path, archive, 31)
        assert f"the {what} GUID {guid} is used twice" in message


def test_every_coder_is_exported_from_a_reconciled_document(tmp_path):
    # Before, the export read project.codings(), which in a reconciled document holds only the
    # consensus layer: ana's and ben's own codings were silently left out of the .qdpx.
    text = tmp_path / "interview_P01.txt"
    text.write_text("P01: The score was stale. We checked labs by hand.\n"
                    "Q: And then?\nP01: We phoned the lab.\n", encoding="utf-8")
    project = Project.create(tmp_path / "p", user="ana")
    project.import_files([text], progress=False)
    project.set_codebook(ROOT / "codebooks" / "sociotechnical.yaml")
    doc = project.documents()["doc_id"].iloc[0]
    body = project.document(doc).text
    start = body.index("We checked labs by hand.")
    project.code(doc, start, start + len("We checked labs by hand."), "workarounds", coder="ana")
    project.code(doc, start, start + len("We checked labs"), "workarounds", coder="ben")
    project.reconcile(["ana", "ben"], {}, default="ana")
    project.export_qdpx(tmp_path / "out.qdpx")
    project.close()
    Project.import_qdpx(tmp_path / "out.qdpx", tmp_path / "again")
    coders = [coder for coder, _ in coders_and_quotes(tmp_path / "again")]
    # One coding each by ana and ben, and the consensus layer's one (renamed on import, as
    # 'consensus' is reserved): 3 codings, hand-counted from the calls above.
    assert sorted(coders) == ["ana", "ben", "consensus (imported)"]
