"""Shared fixtures: projects are built through the library's own API, never by hand."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from workbench import Project

#: Shared fixtures defined beside their helpers: ``browser`` (one headless Chromium a module).
pytest_plugins = ("tests.widgets.lab",)

REPO = Path(__file__).resolve().parents[1]
#: Where browser tests write their screenshots: a temporary folder, so that a test run leaves
#: the tree as it was; ``WORKBENCH_SCREENSHOTS=docs/img make test`` refreshes the README's.
SCREENSHOTS = Path(os.environ.get("WORKBENCH_SCREENSHOTS") or tempfile.mkdtemp(
    prefix="workbench-screenshots-"))
RIVERSIDE = REPO / "corpora" / "riverside"
SHARED = REPO.parent / "shared"


#: The start of a script run in a fresh process to prove something works offline: every
#: socket connection fails and is recorded in ``attempts`` (the script dumps it) before
#: workbench or any Hugging Face library is imported.
NO_NETWORK = '''
import json, socket, sys
attempts = []

def refuse(*args, **kwargs):
    attempts.append(repr(args[1:] or args))
    raise OSError("the network is unreachable in this test")

socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
'''


@pytest.fixture(scope="session", autouse=True)
def model_cache(tmp_path_factory) -> Path:
    """One folder for the static model distilled from the bundled MiniLM (30-130 s on two
    cores), set as ``WORKBENCH_MODEL_CACHE`` for the whole session, kernels and subprocesses
    included, so it is distilled once per test run and never read from the user's cache."""
    folder = tmp_path_factory.mktemp("models")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("WORKBENCH_MODEL_CACHE", str(folder))
        yield folder


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """An empty project in a temporary folder, acting as coder 'ana'."""
    with Project.create(tmp_path / "study", user="ana") as created:
        yield created


def write(folder: Path, name: str, content: str | bytes) -> Path:
    """Write a file for a test: text as UTF-8 exactly as given (no newline translation)."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


CODEBOOK = """
title: Test codebook
version: 1
codes:
  - id: repair
    name: Repair work
    definition: Work people do to make the system work.
    color: "#aa0000"
  - id: manual-verification
    name: Manual verification
    parent: repair
    definition: Checking the system's inputs by hand.
    patterns: [check the lab, recheck]
  - id: workaround
    name: Workaround
    parent: repair
    definition: Getting round the system.
    patterns: [paper list]
  - id: trust
    name: Trust
    definition: Relying on the score.
    patterns: [trust the score]
  - id: alert-fatigue
    name: Alert fatigue
    definition: Too many alerts.
    patterns: [too many alerts]
"""

P01 = ("Interviewer: What happened on Monday?\n"
       "P01: I checked the labs by hand. Then we kept a paper list on the whiteboard.\n"
       "Interviewer: Did you trust the score?\n"
       "P01: Not that week. There were too many alerts, honestly.\n")
P02 = ("Interviewer: Nights?\n"
       "P02: Nights are busy. I recheck everything, Zoë 👍 does too.\n"
       "Interviewer: Thanks.\n")


@pytest.fixture
def coded(project, tmp_path):
    """The project with documents, cases and the test codebook; returns (project, docs)."""
    write(tmp_path, "interview_P01.txt", P01)
    write(tmp_path, "interview_P02.txt", P02)
    write(tmp_path, "participants.csv",
          "participant_id,role,ward\nP01,staff nurse,4N\nP02,staff nurse,5E\n")
    write(tmp_path, "codebook.yaml", CODEBOOK)
    project.import_files([tmp_path / "interview_P01.txt", tmp_path / "interview_P02.txt"],
                         attributes=tmp_path / "participants.csv", progress=False)
    project.set_codebook(tmp_path / "codebook.yaml")
    docs = project.documents().set_index("name")["doc_id"].to_dict()
    return project, docs


def span(text: str, passage: str) -> tuple[int, int]:
    """Offsets of the first occurrence of ``passage`` in ``text`` (a hand count, in code)."""
    start = text.index(passage)
    return start, start + len(passage)
