"""Projects for the team tests: a lead's project, coders' copies, and the same codings made
in one project, all built through the library's own API."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import CODEBOOK, P01, P02, span, write
from workbench import Project

#: What each coder marks in interview P01 (the passages of tests/reliability's two coders,
#: and a third coder's), as (passage, code).
PASSAGES = {
    "ana": [("I checked the labs by hand.", "manual-verification"),
            ("a paper list", "workaround"),
            ("too many alerts", "alert-fatigue")],
    "ben": [("checked the labs", "manual-verification"),
            ("Not that week.", "trust"),
            ("There were too many alerts", "alert-fatigue")],
    "cy": [("I checked the labs by hand.", "manual-verification"),
           ("kept a paper list on the whiteboard", "workaround"),
           ("too many alerts, honestly", "alert-fatigue")],
}
#: What a coding is, whichever project it was made in (ids and times differ by project).
SAME = ["document", "start", "end", "code_id", "code", "coder", "origin", "text"]


def build(folder: Path, files: Path, *, user: str = "lead", p01: str = P01) -> Project:
    """A project with interviews P01 and P02, their participants and the test codebook."""
    write(files, "interview_P01.txt", p01)
    write(files, "interview_P02.txt", P02)
    write(files, "participants.csv",
          "participant_id,role,ward\nP01,staff nurse,4N\nP02,staff nurse,5E\n")
    write(files, "codebook.yaml", CODEBOOK)
    project = Project.create(folder, user=user)
    project.import_files([files / "interview_P01.txt", files / "interview_P02.txt"],
                         attributes=files / "participants.csv", progress=False)
    project.set_codebook(files / "codebook.yaml")
    return project


def doc_id(project: Project, name: str = "interview_P01.txt") -> str:
    """The id of a document, by name."""
    return project.document(name).doc_id


def code_passages(project: Project, coder: str, passages=None) -> None:
    """Code ``coder``'s passages of P01 (default: ``PASSAGES[coder]``) in ``project``."""
    doc = doc_id(project)
    for passage, code in passages or PASSAGES[coder]:
        project.code(doc, *span(P01, passage), code, coder=coder)


def same_codings(project: Project) -> pd.DataFrame:
    """Every layer's codings as the comparable fields, in one order."""
    return (project.codings("all")[SAME].sort_values(SAME).reset_index(drop=True))


@pytest.fixture
def lead(tmp_path: Path) -> Project:
    """The lead's project, before anyone has coded."""
    with build(tmp_path / "lead", tmp_path / "files") as project:
        yield project


def coded_copy(lead: Project, coder: str, folder: Path, passages=None, *,
               blind: bool = True) -> Path:
    """A copy of ``lead`` for ``coder``, coded by them; returns its folder."""
    lead.copy_for(coder, folder, blind=blind)
    with Project.open(folder, user=coder) as copy:
        code_passages(copy, coder, passages)
    return folder
