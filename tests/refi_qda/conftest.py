"""Shared helpers for the REFI-QDA tests: the real samples, the schema, crafted archives."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
import xmlschema

# The codebook fixtures the .qdc tests share with tests/codebook (one definition each):
# imported here, pytest registers them for this folder too.
from tests.codebook.conftest import (  # noqa: F401
    codebook_schema,
    samples,
    small,
    sociotechnical_path,
)
from tests.conftest import SHARED

REFI = SHARED / "refi-qda"
SAMPLES = REFI / "samples"
PROJECT_XSD = REFI / "schemas" / "Project-mrt2019.xsd"

USER = "6B0F2C1E-0000-4000-8000-000000000001"
CODE = "6B0F2C1E-0000-4000-8000-000000000002"
SOURCE = "6B0F2C1E-0000-4000-8000-000000000003"
SELECTION = "6B0F2C1E-0000-4000-8000-000000000004"
CODING = "6B0F2C1E-0000-4000-8000-000000000005"
#: The crafted source's text: 28 characters, so positions 0-28 are inside it.
TEXT = "Hello world. Goodbye world.\n"


def crafted_qde(*, start: int = 0, end: int = 5, code_ref: str = CODE, cases: str = "",
                doctype: str = "", sources_extra: str = "", tail: str = "") -> str:
    """A small, valid REFI-QDA project: one user, one code, one text source coded once."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
{doctype}<Project xmlns="urn:QDA-XML:project:1.0" name="crafted" origin="crafted test file">
  <Users><User guid="{USER}" name="tess"/></Users>
  <CodeBook><Codes><Code guid="{CODE}" name="Greeting" isCodable="true"/></Codes></CodeBook>
  {cases}
  <Sources>
    <TextSource guid="{SOURCE}" name="hello.txt" plainTextPath="internal://{SOURCE}.txt">
      <PlainTextSelection guid="{SELECTION}" startPosition="{start}" endPosition="{end}">
        <Coding guid="{CODING}" creatingUser="{USER}"><CodeRef targetGUID="{code_ref}"/></Coding>
      </PlainTextSelection>
    </TextSource>
    {sources_extra}
  </Sources>
  {tail}
</Project>
"""


def write_qdpx(path: Path, qde: str | bytes, entries: dict | None = None,
               qde_name: str = "project.qde") -> Path:
    """Write a .qdpx archive: the project file, the crafted source, and ``entries``.

    ``entries`` maps an entry name (written exactly as given, even '../x') to its bytes.
    """
    files = {qde_name: qde.encode() if isinstance(qde, str) else qde,
             f"sources/{SOURCE}.txt": TEXT.encode(), **(entries or {})}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(zipfile.ZipInfo(name), data, zipfile.ZIP_DEFLATED)
    return path


@pytest.fixture(scope="session")
def xsd() -> xmlschema.XMLSchema:
    """The official Project schema (QDA-XML 1.0, 18 March 2019)."""
    return xmlschema.XMLSchema(PROJECT_XSD)
