"""YAML aliases that expand without bound are refused wherever workbench reads YAML.

Issue 13, item 6: 398 bytes of front matter took 62 s and 5.6 GB before these checks.
"""

from __future__ import annotations

import time

import pytest

from workbench import Project
from workbench.codebook.io import load_codebook
from workbench.errors import CodebookError, ImportError_, LogsError
from workbench.logs.mapping import read_mapping
from workbench.safe_input import UnsafeYaml, load_yaml


def _laughs(levels: int = 9) -> str:
    """The YAML "billion laughs": each level lists the one before nine times (9^9 values)."""
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels):
        lines.append(f"l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_shared_values_within_the_bound_are_read():
    # 2 + 2 lists of two scalars, well under the bound: read as plain data, aliases expanded.
    assert load_yaml("a: &x [1, 2]\nb: *x\n") == {"a": [1, 2], "b": [1, 2]}


def test_the_billion_laughs_is_refused_fast():
    started = time.perf_counter()
    with pytest.raises(UnsafeYaml, match="aliases"):
        load_yaml(_laughs())
    # Counting is linear in the text: a few milliseconds, where expanding took a minute.
    assert time.perf_counter() - started < 2


def test_an_alias_inside_itself_and_deep_nesting_are_refused():
    with pytest.raises(UnsafeYaml, match="contains it"):
        load_yaml("a: &a [1, *a]\n")
    with pytest.raises(UnsafeYaml, match="too deeply"):
        load_yaml("[" * 50_000)


def test_front_matter_bomb_is_refused_and_nothing_is_stored(tmp_path):
    project = Project.create(tmp_path / "p")
    note = tmp_path / "fn.md"
    note.write_text("---\n" + _laughs() + "---\nThe ward was quiet.\n", encoding="utf-8")
    with pytest.raises(ImportError_, match="WB-IMPORT-029: fn.md line 2"):
        project.import_files([note])
    assert project.documents().empty


def test_attributes_sidecar_bomb_is_refused(tmp_path):
    project = Project.create(tmp_path / "p")
    transcript = tmp_path / "interview_P01.txt"
    transcript.write_text("P01: It was fine.\nP01: Mostly.\n", encoding="utf-8")
    sidecar = tmp_path / "participants.yaml"
    sidecar.write_text(_laughs(), encoding="utf-8")
    with pytest.raises(ImportError_, match="WB-IMPORT-029: participants.yaml"):
        project.import_files([transcript], attributes=sidecar)
    assert project.documents().empty


def test_codebook_and_logs_mapping_bombs_are_refused(tmp_path):
    codebook = tmp_path / "codebook.yaml"
    codebook.write_text(_laughs(), encoding="utf-8")
    with pytest.raises(CodebookError, match="WB-CODEBOOK-003: codebook.yaml"):
        load_codebook(codebook)
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(_laughs(), encoding="utf-8")
    with pytest.raises(LogsError, match="WB-LOGS-014: mapping.yaml"):
        read_mapping(mapping)
