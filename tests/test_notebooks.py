"""Every notebook runs end to end on the example case (jupytext pairing, executed by nbclient)."""

from __future__ import annotations

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
