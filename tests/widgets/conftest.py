"""Fixtures for the widget tests: a small coded project in a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import REPO, write
from workbench import Project

#: Fictional interview excerpts written for these tests. The second has non-ASCII letters
#: and emoji outside the Basic Multilingual Plane (two UTF-16 code units each), so browser
#: offsets and Python offsets differ after them unless the widget converts.
NURSE = (
    "Interviewer: Can you tell me about the week the lab feed went down?\n"
    "N07: The score kept showing values from yesterday, so we had to recheck everything by "
    "hand. I kept a paper list on the whiteboard for the night team.\n"
    "Interviewer: Did you trust the score after that?\n"
    "N07: Honestly, not really. There were too many alerts and half of them were stale. We "
    "would ring the outreach nurse instead.\n"
    "Interviewer: How did new staff cope?\n"
    "N07: I had to show the new starters how to look up the lab results themselves. Nobody "
    "tells you that in training.\n"
)
ZOE = (
    "Interviewer: What did nights look like in März?\n"
    "Zoë: Zoë said 👍 then café, and the alert fired twice before the rounds. Ça arrive: the "
    "score was from yesterday 😕.\n"
    "Interviewer: And the paper list?\n"
    "Zoë: We kept our own list — 📋 on the whiteboard — because the screen lagged. I'd "
    "recheck the obs myself.\n"
)
SOCIOTECHNICAL = REPO / "codebooks" / "sociotechnical.yaml"


def build_study(folder: Path, user: str = "ana") -> Project:
    """A project with the two interviews, the sociotechnical codebook and suggestions."""
    write(folder, "interview_N07.txt", NURSE)
    write(folder, "interview_Z02.txt", ZOE)
    project = Project.create(folder / "study", user=user)
    project.import_files([folder / "interview_N07.txt", folder / "interview_Z02.txt"],
                         progress=False)
    project.set_codebook(SOCIOTECHNICAL)
    project.suggest()
    return project


@pytest.fixture
def study(tmp_path: Path) -> Project:
    with build_study(tmp_path) as project:
        yield project


def doc_ids(project: Project) -> dict[str, str]:
    return project.documents().set_index("name")["doc_id"].to_dict()
