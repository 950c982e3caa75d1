"""Shared paths and a small codebook built through the library's own API."""

from __future__ import annotations

from pathlib import Path

import pytest
import xmlschema
import yaml

from tests.conftest import REPO, SHARED
from workbench.codebook import Code, Codebook, load_codebook

# Real files from other programs live outside the project and are never copied into it.
REFI_QDA = SHARED / "refi-qda"
SAMPLES = REFI_QDA / "samples"
CODEBOOK_XSD = REFI_QDA / "schemas" / "Codebook.xsd"
SOCIOTECHNICAL = REPO / "codebooks" / "sociotechnical.yaml"

SMALL_YAML = """\
title: Repair study
version: 2
authors: [Maya, Dev]
changelog:
  - {version: 1, date: 2026-01-10, text: First draft.}
  - {version: 2, date: 2026-02-01, text: Added manual verification.}
references: ["Star, S. L., & Strauss, A. (1999). Layers of silence, arenas of voice."]
codes:
  - id: repair
    name: Repair work
    definition: Work that keeps the alert usable.
    color: "#E15759"
  - id: manual-verification
    name: Manual verification
    parent: repair
    definition: Checking the score's inputs by hand.
    when_to_use: A nurse re-checks labs or observations.
    when_not_to_use: Doubt with no checking (use distrust).
    examples: ["I look up the lab myself before I call."]
    references: ["Elish, M. C., & Watkins, E. A. (2020). Repairing innovation."]
    patterns: [double-check, look up the lab]
  - id: distrust
    name: Distrust
    definition: Doubt about the score.
"""


@pytest.fixture
def small() -> Codebook:
    """Three codes, one nested: repair > manual-verification, and distrust at the top."""
    return load_codebook(SMALL_YAML)


@pytest.fixture
def tiny() -> Codebook:
    return Codebook("Tiny", 1, codes=(Code("a", "A", definition="Code a."),))


@pytest.fixture
def raw() -> dict:
    """SMALL_YAML as plain data, for tests that break one field at a time."""
    return yaml.safe_load(SMALL_YAML)


@pytest.fixture(scope="session")
def samples() -> Path:
    """The real .qdc exports described in ../shared/refi-qda/README.md."""
    return SAMPLES


@pytest.fixture(scope="session")
def codebook_schema() -> xmlschema.XMLSchema:
    """The REFI-QDA Codebook 1.0 schema (spec pp. 11-12)."""
    return xmlschema.XMLSchema(str(CODEBOOK_XSD))


@pytest.fixture(scope="session")
def sociotechnical_path() -> Path:
    return SOCIOTECHNICAL
