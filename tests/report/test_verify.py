"""Verifying an executed report: a fresh run passes; a changed document, log load record,
stored output cell or recorded digest fails and is named (issue 18, `workbench verify`)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import duckdb
import nbformat
import pytest

from workbench import Project
from workbench.cli import main
from workbench.errors import ReportError
from workbench.example import build_example
from workbench.report import run_report, verify
from workbench.report.signing import load_private_key, sign_manifest

#: The shortest notebook that reads the example corpus (about 4 s on the 2-core machine).
NOTEBOOK = "01_corpus"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, str]:
    """The example project and the name of one report run of 01_corpus on it."""
    folder = tmp_path_factory.mktemp("verify")
    build_example(folder / "study", progress=False).close()
    run = run_report(folder / "study", [NOTEBOOK], progress=False)
    return folder / "study", run.name


@pytest.fixture
def study(built, tmp_path) -> tuple[Path, Path]:
    """A copy of the project (its reports folder included) and the copied run folder."""
    project_dir, run_name = built
    copy = tmp_path / "study"
    shutil.copytree(project_dir, copy)
    return copy, copy / "reports" / run_name


def _failed(result) -> list[tuple[str, str]]:
    rows = result.checks[result.checks["status"] == "failed"]
    return list(zip(rows["check"], rows["subject"], strict=True))


def _manifest(run: Path) -> dict:
    return json.loads((run / "provenance.json").read_text(encoding="utf-8"))


def _write_manifest(run: Path, manifest: dict) -> None:
    (run / "provenance.json").write_text(json.dumps(manifest), encoding="utf-8")


def test_fresh_report_verifies(study, capsys):
    project_dir, run = study
    assert main(["verify", str(run), "--project", str(project_dir)]) == 0
    assert "checks match" in capsys.readouterr().out
    result = verify(run, project_dir, rerun=False, progress=False)
    assert result.passed and set(result.checks["status"]) == {"ok"}
    manifest = _manifest(run)
    # One check per recorded input and per recorded output cell, plus the notebook source and
    # the environment (each one row when nothing differs).
    counts = result.checks["check"].value_counts()
    assert counts["input"] == len(manifest["inputs"])
    assert counts["stored_output"] == len(manifest["outputs"])
    assert counts["notebook_source"] == 1 and counts["environment"] == 1


def test_changed_document_text_is_named(study):
    project_dir, run = study
    # Tampering: the text changed behind workbench's back (workbench has no text-editing API).
    with sqlite3.connect(project_dir / "project.sqlite") as conn:
        doc_id, name = conn.execute("SELECT doc_id, name FROM documents ORDER BY doc_id "
                                    "LIMIT 1").fetchone()
        conn.execute("UPDATE documents SET text = text || ' (edited)' WHERE doc_id = ?",
                     (doc_id,))
    conn.close()
    result = verify(run, project_dir, rerun=False, progress=False)
    assert not result.passed
    assert _failed(result) == [("input", f"document '{name}' ({doc_id})")]
    assert "changed since the run" in result.problems()[0]


def test_changed_log_load_record_is_named(study, capsys):
    project_dir, run = study
    with duckdb.connect(str(project_dir / "logs.duckdb")) as conn:
        conn.execute("UPDATE loads SET mapping = replace(mapping, 'America/Chicago', 'UTC') "
                     "WHERE load_id = 1")
    assert main(["verify", str(run), "--project", str(project_dir), "--no-rerun"]) == 1
    captured = capsys.readouterr()
    problems = captured.out.strip().splitlines()
    # The example has one log load (example.py); only it changed.
    assert len(problems) == 1
    assert problems[0].startswith("FAILED input: log load 1 (")
    assert "WB-REPORT-030" in captured.err and "1 of" in captured.err


def test_hand_edited_output_cell_is_named_without_rerun(study):
    project_dir, run = study
    path = run / f"{NOTEBOOK}.ipynb"
    notebook = nbformat.read(path, as_version=4)
    as_run = [c for c in notebook.cells
              if "provenance" not in c.metadata.get("tags", [])]
    index, cell = next((i, c) for i, c in enumerate(as_run)
                       if c.cell_type == "code" and any("text" in o or "data" in o
                                                        for o in c.outputs))
    output = next(o for o in cell.outputs if "text" in o or "data" in o)
    if "text" in output:
        output.text = output.text.replace("1", "2", 1) + "edited\n"
    else:
        output.data["text/plain"] = output.data["text/plain"] + " edited"
    # Volatile fields (execution counts) may change freely: only the edited cell fails.
    for other in as_run:
        if other.cell_type == "code":
            other.execution_count = 99
    nbformat.write(notebook, path)
    result = verify(run, project_dir, rerun=False, progress=False)
    first_line = cell.source.strip().splitlines()[0]
    # Cells are counted from 1 in the notebook as run (the Provenance cell left out). The
    # file's own digest in the manifest fails too: any byte of a run's file is covered.
    assert _failed(result) == [("file", f"{NOTEBOOK}.ipynb"),
                               ("stored_output", f"{NOTEBOOK} cell {index + 1} ('{first_line}')")]


def test_rerun_that_differs_from_the_record_is_named(study):
    project_dir, run = study
    manifest = _manifest(run)
    recorded = manifest["outputs"][-1]
    recorded["sha256"] = "0" * 64
    _write_manifest(run, manifest)
    result = verify(run, project_dir, progress=False)
    subject = f"{NOTEBOOK} cell {recorded['cell'] + 1} ('{recorded['first_line']}')"
    # The stored notebook and the re-run both disagree with the altered record, nothing else.
    assert _failed(result) == [("stored_output", subject), ("rerun_output", subject)]


def test_environment_difference_is_a_warning(study, capsys):
    project_dir, run = study
    manifest = _manifest(run)
    manifest["environment"]["packages"]["pandas"] = "0.0.1"
    manifest["environment"]["requirements_lock_sha256"] = "f" * 64
    _write_manifest(run, manifest)
    assert main(["verify", str(run), "--project", str(project_dir), "--no-rerun"]) == 0
    out = capsys.readouterr().out
    assert "WARNING environment: package pandas: 0.0.1 at the run" in out
    assert "WARNING environment: requirements.lock" in out


def test_missing_or_damaged_manifest_is_refused(study, capsys):
    project_dir, run = study
    manifest = _manifest(run)
    del manifest["inputs"][0]["sha256"]
    _write_manifest(run, manifest)
    with pytest.raises(ReportError, match=r"WB-REPORT-021: .*field inputs/0.*'sha256'"):
        verify(run, project_dir, rerun=False, progress=False)
    (run / "provenance.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ReportError, match="WB-REPORT-021: .*not valid JSON"):
        verify(run, project_dir, rerun=False, progress=False)
    (run / "provenance.json").unlink()
    assert main(["verify", str(run), "--project", str(project_dir)]) == 1
    assert "WB-REPORT-020" in capsys.readouterr().err


def test_signed_report_verifies_with_the_public_key_and_warns_without(study, tmp_path, capsys):
    project_dir, run = study
    assert main(["keygen", str(tmp_path / "keys" / "ana")]) == 0
    # Signed after the run, as 'workbench report --sign' does at its end.
    sign_manifest(run, load_private_key(tmp_path / "keys" / "ana.key"))
    capsys.readouterr()
    assert main(["verify", str(run), "--project", str(project_dir), "--no-rerun",
                 "--public-key", str(tmp_path / "keys" / "ana.pub")]) == 0
    out = capsys.readouterr().out
    assert "WARNING" not in out and "checks match" in out
    # Without the key: still exit 0 (every digest was checked), with a warning saying so.
    assert main(["verify", str(run), "--project", str(project_dir), "--no-rerun"]) == 0
    assert "WARNING signature: provenance.json.sig: the run is signed but the signature was " \
           "not checked" in capsys.readouterr().out


#: A notebook of one's own: prints what the project holds, so a re-run compares real output.
OWN_NOTEBOOK = '''# %% tags=["parameters"]
PROJECT = "study"
CORPUS = "corpus"

# %%
from workbench import Project

with Project.open(PROJECT) as project:
    print(len(project.documents()), "documents")
'''


def test_own_notebooks_folder_reports_and_verifies_from_the_command_line(tmp_path, capsys):
    """``--notebooks-dir`` on both commands: a report of one's own notebooks is verified, re-run
    included, from the command line (before, only the Python API could)."""
    Project.create(tmp_path / "own", user="ana").close()
    folder = tmp_path / "my-notebooks"
    folder.mkdir()
    (folder / "01_count.py").write_text(OWN_NOTEBOOK, encoding="utf-8")
    assert main(["report", str(tmp_path / "own"), "--notebooks-dir", str(folder)]) == 0
    run = next((tmp_path / "own" / "reports").iterdir())
    assert main(["verify", str(run), "--notebooks-dir", str(folder)]) == 0
    assert "checks match" in capsys.readouterr().out
    # Without the folder, verify looks for 01_count among workbench's notebooks and fails.
    assert main(["verify", str(run)]) == 1
