"""Every notebook runs end to end on the example case (jupytext pairing, executed by nbclient)."""

from __future__ import annotations

import hashlib
import re

import jupytext
import pytest
from nbclient import NotebookClient

from tests.conftest import REPO

NOTEBOOKS = sorted((REPO / "notebooks").glob("*.py"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_executes(path, tmp_path):
    notebook = jupytext.read(path)
    # Run from a copy of the notebooks folder's position so relative paths resolve.
    for cell in notebook.cells:
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            cell.source += f"\nPROJECT = {str(tmp_path / 'study')!r}\n"
            cell.source += f"CORPUS = {str(REPO / 'corpora' / 'riverside')!r}\n"
    NotebookClient(notebook, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    errors = [o for c in notebook.cells if c.cell_type == "code"
              for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
    last = [c for c in notebook.cells if c.cell_type == "code"][-1]
    assert last.outputs, "the notebook ends by showing a result"
    for cell in notebook.cells:
        if "project.summary()" in cell.source:  # notebook 01
            assert "interview" in str(cell.outputs)
        if "project.reconcile(" in cell.source:  # notebook 03
            assert "agreed" in str(cell.outputs)


def test_corpus_notebook_reads_an_existing_project_without_changing_it(tmp_path):
    """Notebook 01 opens the project it is given (issue 18): it used to delete and rebuild it
    from the corpus, so a report on any other project showed the example instead."""
    from tests.conftest import RIVERSIDE, write
    from workbench.example import build_example

    with build_example(tmp_path / "study", progress=False) as built:
        extra = write(tmp_path / "extra", "interview_P99.txt", "P99: One added interview.\n")
        built.import_files(extra, kind="interview", progress=False)
    before = hashlib.sha256((tmp_path / "study" / "project.sqlite").read_bytes()).hexdigest()
    notebook = jupytext.read(REPO / "notebooks" / "01_corpus.py")
    for cell in notebook.cells:
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            cell.source += f"\nPROJECT = 'study'\nCORPUS = {str(RIVERSIDE)!r}\n"
    NotebookClient(notebook, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    after = hashlib.sha256((tmp_path / "study" / "project.sqlite").read_bytes()).hexdigest()
    assert after == before
    summary = next(c for c in notebook.cells if c.source.strip() == "project.summary()")
    # 14 interviews in corpora/riverside/interviews plus the one added above, which a rebuild
    # would have dropped.
    assert re.search(r"interview\s+15\s", summary.outputs[0]["data"]["text/plain"])
    assert (tmp_path / "study-import-demo" / "project.sqlite").is_file()
