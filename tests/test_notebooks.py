"""Every notebook runs end to end on the example case and on projects that are not the example
(jupytext pairing, executed by nbclient); the paired .ipynb files never drift from their .py."""

from __future__ import annotations

import hashlib
import json
import re

import jupytext
import nbformat
import pytest
from nbclient import NotebookClient

from tests.conftest import REPO
from tests.own_projects import (
    CLAIM,
    LOGGED_CODERS,
    SOLE_CODER,
    logged_project,
    outputs,
    sole_coder_project,
)
from workbench.notebook_pairs import paired_ipynb
from workbench.report.execute import run_report

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


#: The Riverside example's own names: its coders and a document of it. A notebook that shows
#: one of them on another project has fallen back on the example (issue 18).
EXAMPLE_NAMES = re.compile(r"\b(ana|ben)\b|interview_P02")


@pytest.fixture(scope="module")
def own_projects(tmp_path_factory):
    """The two non-example projects of tests/own_projects.py, built once for this module."""
    folder = tmp_path_factory.mktemp("own")
    return {"logged": logged_project(folder / "logged"),
            "sole": sole_coder_project(folder / "sole")}


def _report(project_dir, out) -> dict[str, str]:
    """Run ``workbench report``'s function on the project; each notebook's outputs as text.

    The run holds each notebook once, from its ``.py`` (never its paired ``.ipynb``)."""
    run = run_report(project_dir, out=out, progress=False)
    ran = json.loads((run / "provenance.json").read_text(encoding="utf-8"))["notebooks"]
    assert [(n["name"], n["source_sha256"]) for n in ran] == [
        (p.stem, hashlib.sha256(p.read_bytes()).hexdigest()) for p in NOTEBOOKS]
    return {path.stem: outputs(nbformat.read(path, as_version=4))
            for path in sorted(run.glob("*.ipynb"))}


def test_every_notebook_runs_on_a_project_with_logs_and_other_names(own_projects, tmp_path):
    """Notebooks 02-06 assumed the Riverside example (its coders ana and ben, its codes, its
    documents, its timeline file) and failed or showed the example on any other project."""
    shown = _report(own_projects["logged"], tmp_path / "reports")
    assert set(shown) == {p.stem for p in NOTEBOOKS}
    for name, text in shown.items():
        assert not EXAMPLE_NAMES.search(text), name
    # The coders of tests/own_projects.py, found by the notebooks that read codings.
    for name in ("00_quickstart", "02_coding", "03_reliability", "05_triangulation",
                 "06_joint_displays", "08_report"):
        assert LOGGED_CODERS[0] in shown[name], name
    assert f"coded_by_{LOGGED_CODERS[1]}" in shown["03_reliability"]
    assert "fn_2025-03-04_A1_day.md" in shown["01_corpus"]  # its first planted field note
    assert "new-rota" in shown["08_report"]  # its own timeline event
    assert CLAIM in shown["08_report"]
    # The planted logs hold alerts only: no acknowledgements, no deteriorations.
    assert "no acknowledgements" in shown["04_logs"]
    assert "no deteriorations" in shown["04_logs"]
    assert "no nurses signing on" in shown["04_logs"]


def test_every_notebook_runs_on_a_sole_coder_project_without_logs(own_projects, tmp_path):
    """A project with one coder, no logs and no timeline: each part that needs them says so
    in a sentence instead of raising."""
    shown = _report(own_projects["sole"], tmp_path / "reports")
    for name, text in shown.items():
        assert not EXAMPLE_NAMES.search(text), name
    for name in ("00_quickstart", "02_coding", "08_report"):
        assert SOLE_CODER in shown[name], name
    assert "focusgroup_K1.txt" in shown["01_corpus"]
    assert "front of house" in shown["01_corpus"]  # its own attribute, team
    assert "We help each other" in shown["08_report"]  # a key quote of peer-support
    assert "Only one person has coded" in shown["03_reliability"]
    assert "Only one person has coded" in shown["08_report"]
    for name in ("04_logs", "05_triangulation", "06_joint_displays", "08_report"):
        assert "no deployment logs" in shown[name], name
    assert "no timeline" in shown["08_report"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_paired_ipynb_is_what_make_notebooks_generates(path):
    """The committed .ipynb (what JupyterLab opens) equals what ``make notebooks`` makes from
    the .py, so the two never drift; it holds no outputs."""
    paired = path.with_suffix(".ipynb")
    assert paired.read_text(encoding="utf-8") == paired_ipynb(path), (
        f"{paired.name} is out of date: run make notebooks")
    cells = json.loads(paired.read_text(encoding="utf-8"))["cells"]
    assert all(not c.get("outputs") for c in cells)
    assert jupytext.read(path).metadata["jupytext"]["formats"] == "ipynb,py:percent"


def test_every_ipynb_has_its_py():
    """An .ipynb without a .py would never be run by the report (it runs the .py files)."""
    assert {p.stem for p in (REPO / "notebooks").glob("*.ipynb")} == {p.stem for p in NOTEBOOKS}
