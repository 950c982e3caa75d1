"""Fixtures for semantic assistance: a small project of real text files; the distilled static
model's folder is the session's (``model_cache`` in tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import write

#: Two interviews about two themes (alerts ignored; labs checked by hand). Hand count: 7
#: sentences in each file (the speaker labels are not part of them), 14 in all; 5 turns each.
ALERTS = ("Interviewer: Tell me about the alerts.\n"
          "P01: The alarm went off all night. We ignored the alarm after a while.\n"
          "Interviewer: Why was that?\n"
          "P01: Too many false alarms, honestly. Nobody trusts the beeping anymore.\n"
          "Interviewer: Thank you.\n")
LABS = ("Interviewer: How do you check results?\n"
        "P02: I check the lab values by hand. The lab numbers are often stale.\n"
        "Interviewer: And then?\n"
        "P02: We phone the laboratory to confirm. Then I write the lab result on paper.\n"
        "Interviewer: Thank you.\n")
#: A third file, imported later: 3 sentences (hand count, the labels included: two lines are
#: too few to be read as turns, so it is a plain document with no turns).
LATER = ("Interviewer: Anything else?\n"
         "P03: The alarms kept ringing. I silenced the alarm.\n")


@pytest.fixture
def offline_models(model_cache) -> Path:
    """The session's folder for the distilled static model (tests/conftest.py sets it)."""
    return model_cache


@pytest.fixture
def interviews(project, tmp_path):
    """The project with the alerts and labs interviews imported."""
    files = [write(tmp_path, "interview_P01.txt", ALERTS),
             write(tmp_path, "interview_P02.txt", LABS)]
    project.import_files(files, progress=False)
    return project
