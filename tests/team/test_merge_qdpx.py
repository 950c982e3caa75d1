"""A coder who coded in another QDA program sends a .qdpx: it merges like a workbench copy."""

from __future__ import annotations

import zipfile

import pandas as pd

from tests.conftest import P01, span
from tests.refi_qda.conftest import SAMPLES
from tests.team.conftest import PASSAGES, build, code_passages, same_codings
from workbench import Project

USER = "0C0DE000-0000-4000-8000-0000000000B0"
SOURCE = "0C0DE000-0000-4000-8000-0000000000D1"
CODES = {"manual-verification": "Manual verification", "trust": "Trust",
         "alert-fatigue": "Alert fatigue"}


def _guid(n: int) -> str:
    return f"0C0DE000-0000-4000-8000-{n:012d}"


def ben_in_another_program(path, *, coder: str = "ben", created: str | None = None):
    """A .qdpx as another program writes it: its own GUIDs, the codebook's code names, the
    transcript P01 as a text source, and ben's three passages (tests/team/conftest.py),
    coded by ``coder`` at ``created`` (a creationDateTime; none by default)."""
    stamp = f' creationDateTime="{created}"' if created else ""
    code_guid = {code: _guid(100 + i) for i, code in enumerate(CODES)}
    codes = "".join(f'<Code guid="{code_guid[c]}" name="{name}" isCodable="true"/>'
                    for c, name in CODES.items())
    selections = "".join(
        f'<PlainTextSelection guid="{_guid(200 + i)}" startPosition="{start}" '
        f'endPosition="{end}"><Coding guid="{_guid(300 + i)}" creatingUser="{USER}"{stamp}>'
        f'<CodeRef targetGUID="{code_guid[code]}"/></Coding></PlainTextSelection>'
        for i, (passage, code) in enumerate(PASSAGES["ben"])
        for start, end in [span(P01, passage)])
    qde = f"""<?xml version="1.0" encoding="UTF-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="ben's coding" origin="QualCoder 3.5">
  <Users><User guid="{USER}" name="{coder}"/></Users>
  <CodeBook><Codes>{codes}</Codes></CodeBook>
  <Sources>
    <TextSource guid="{SOURCE}" name="P01 transcript" plainTextPath="internal://{SOURCE}.txt">
      {selections}
    </TextSource>
  </Sources>
</Project>
"""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", qde)
        archive.writestr(f"sources/{SOURCE}.txt", P01.encode("utf-8"))
    return path


def test_a_qdpx_from_another_program_merges_like_a_copy(lead, tmp_path):
    code_passages(lead, "ana")
    qdpx = ben_in_another_program(tmp_path / "ben.qdpx")
    report = lead.merge(qdpx)
    assert report.added()[["source", "coder", "n"]].values.tolist() == [["ben.qdpx", "ben", 3]]
    with build(tmp_path / "together", tmp_path / "files2") as together:
        for coder in ("ana", "ben"):
            code_passages(together, coder)
        # the program's codings are "imported", the workbench ones "manual": compare the rest
        pd.testing.assert_frame_equal(same_codings(lead).drop(columns="origin"),
                                      same_codings(together).drop(columns="origin"))
        pd.testing.assert_frame_equal(lead.agreement(["ana", "ben"], n_boot=200),
                                      together.agreement(["ana", "ben"], n_boot=200))
    # P02 is not in the file: listed, nothing to merge
    only_here = report.findings.query("finding == 'document only here'")["document"]
    assert only_here.tolist() == ["interview_P02.txt"]


def test_merging_the_same_qdpx_twice_adds_nothing(lead, tmp_path):
    qdpx = ben_in_another_program(tmp_path / "ben.qdpx")
    lead.merge(qdpx)
    codings = lead.codings("all")
    again = lead.merge(qdpx)
    assert again.added().empty
    assert again.findings.set_index("finding").loc["codings already here", "n"] == 3
    pd.testing.assert_frame_equal(lead.codings("all"), codings)


def test_a_real_nvivo_export_merged_into_the_project_made_from_it_adds_nothing(tmp_path):
    sample = SAMPLES / "nvivo-win-12.6_small.qdpx"
    Project.import_qdpx(sample, tmp_path / "p", user="tester")
    with Project.open(tmp_path / "p", user="tester") as project:
        codings = project.codings("all")
        report = project.merge(sample)
        pd.testing.assert_frame_equal(project.codings("all"), codings)
    assert report.added().empty
    # 97 codings in the sample (hand count, tests/refi_qda/test_qdpx_samples.py EXPECTED)
    assert report.findings.query("finding == 'codings already here'")["n"].sum() == 97


def test_a_qdpx_coding_made_before_the_same_one_here_is_kept_and_merges_again_unchanged(
        lead, tmp_path):
    doc = lead.document("interview_P01.txt").doc_id
    rows = pd.DataFrame([(doc, *span(P01, passage), code) for passage, code in PASSAGES["ben"]],
                        columns=["doc_id", "start", "end", "code"])
    # made here at 10:30 UTC, half an hour after the program's below
    mine = set(lead.code_many(rows.assign(created_at="2020-01-01T10:30:00.000000+00:00"),
                              coder="ben"))
    # 10:00 UTC written with the offset +02:00, as programs do: as text it sorts after 10:30
    qdpx = ben_in_another_program(tmp_path / "ben.qdpx", created="2020-01-01T12:00:00+02:00")
    report = lead.merge(qdpx)
    kept = lead.codings("ben")
    assert len(kept) == 3 and not mine & set(kept["coding_id"])  # the program's 3 are kept
    assert set(kept["created_at"]) == {"2020-01-01T12:00:00+02:00"}
    assert report.findings.query("finding == 'same coding under two ids'")["n"].sum() == 3
    again = lead.merge(qdpx)  # read with new coding ids, made at the same instant: no swap
    assert again.added().empty
    pd.testing.assert_frame_equal(lead.codings("ben"), kept)
