"""Shared fixtures: projects are built through the library's own API, never by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench import Project

REPO = Path(__file__).resolve().parents[1]
RIVERSIDE = REPO / "corpora" / "riverside"
SHARED = REPO.parent / "shared"


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
