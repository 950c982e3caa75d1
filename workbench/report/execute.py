"""Run the analysis notebooks against a project and keep what they showed: ``run_report``.

Each notebook (a jupytext percent ``.py`` file) runs in a fresh Jupyter kernel (nbclient) on
its own working copy of the project, so a notebook that rebuilds or codes the project (01, 02, 03)
never changes the evidence the report documents. The executed ``.ipynb``, a standalone HTML
page of it (:mod:`~workbench.report.pages`: charts interactive, nothing fetched) and
``provenance.json`` go to ``<out>/<run id>/``.
"""

from __future__ import annotations

import secrets
import shutil
import tempfile
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

import jupytext
import nbformat
import pandas as pd
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

from workbench.errors import ReportError
from workbench.example import RIVERSIDE
from workbench.project import Project
from workbench.report import provenance
from workbench.report.crate import write_crate
from workbench.report.manifest import MANIFEST, Run, provenance_cell, write_manifest
from workbench.report.pages import notebook_html
from workbench.report.parameters import (
    PARAMETERS_FILE,
    defined_parameters,
    notebook_parameters,
    read_parameters,
)
from workbench.report.progress import Progress
from workbench.report.signing import SIGNATURE, load_private_key, sign_manifest
from workbench.store import default_user

__all__ = ["NOTEBOOKS", "WORKING_PROJECT", "run_id", "run_notebook", "run_report",
           "with_parameters"]

#: The analysis notebooks shipped in the repository, next to the package.
NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
#: The project's folder name inside the kernel's working folder: relative, so that paths the
#: notebooks print are the same from run to run.
WORKING_PROJECT = "project"
#: Seconds one cell may run before the report is stopped.
CELL_TIMEOUT = 600
#: The kernel logs errors only: its start-up warning that a local kernel talks over TCP
#: without encryption would otherwise print once per notebook. A cell's own output, stderr
#: included, is still kept in the notebook.
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=ERROR"]


def run_id() -> str:
    """A new run id: UTC time to the second and six random hex digits; sorts by time."""
    return f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _available(folder: Path) -> dict[str, Path]:
    """Every notebook of ``folder`` by name; refused when there is none."""
    available = {p.stem: p for p in sorted(folder.glob("*.py"))}
    if not available:
        raise ReportError(1, f"{folder} holds no notebooks (jupytext .py files). Pass the "
                          "folder of the analysis notebooks.")
    return available


def _notebook_paths(available: dict[str, Path], folder: Path,
                    names: list[str] | None) -> list[Path]:
    unknown = [n for n in names or [] if n not in available]
    if unknown:
        raise ReportError(2, f"no notebook named {', '.join(unknown)} in {folder}; the "
                          f"notebooks are {', '.join(available)}.")
    return [available[n] for n in names] if names else list(available.values())


def with_parameters(path: Path, parameters: dict) -> nbformat.NotebookNode:
    """The notebook at ``path`` with a cell setting ``parameters`` after its parameters cell
    (papermill's convention: tagged ``injected-parameters``)."""
    notebook = jupytext.read(path)
    tagged = [i for i, c in enumerate(notebook.cells)
              if "parameters" in c.get("metadata", {}).get("tags", [])]
    if not tagged:
        raise ReportError(3, f"{path.name} has no cell tagged 'parameters' (setting PROJECT "
                          "and CORPUS). Tag the cell that sets them: '# %% tags=[\"parameters\"]'.")
    source = "\n".join(f"{name} = {value!r}" for name, value in parameters.items())
    injected = nbformat.v4.new_code_cell(source, metadata={"tags": ["injected-parameters"]})
    notebook.cells.insert(tagged[0] + 1, injected)
    return notebook


def _execute(notebook, name: str, workdir: Path, progress: Progress, partial: Path) -> None:
    """Run every cell of ``notebook`` in a kernel started in ``workdir``, shown on
    ``progress``.

    A cell that raises stops the run: the notebook executed so far is written to
    ``partial`` and a ``ReportError`` names the notebook, the cell and the error.
    """
    client = NotebookClient(notebook, timeout=CELL_TIMEOUT, kernel_name="python3",
                            extra_arguments=KERNEL_ARGUMENTS,
                            resources={"metadata": {"path": str(workdir)}})
    with client.setup_kernel():
        for index, cell in enumerate(notebook.cells):
            first = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
            progress.cell(name, index, len(notebook.cells), first)
            try:
                client.execute_cell(cell, index)
            except (CellExecutionError, CellTimeoutError, DeadKernelError) as err:
                nbformat.write(notebook, partial)
                why = (f"{err.ename}: {err.evalue}" if isinstance(err, CellExecutionError)
                       else f"{type(err).__name__}: {err}")
                raise ReportError(10, f"notebook {name}, cell {index + 1} ('{first}') failed: "
                                  f"{why}. The notebook as far as it ran "
                                  f"is kept in {partial}; fix the cell or the project and run "
                                  "the report again.") from None


def _copy_project(project_dir: Path, copy: Path, *, skip: Path) -> None:
    """Copy the project folder to ``copy``, leaving out the reports folder ``skip``.

    Each notebook gets its own copy: it sees the project as it is in ``project_dir``, not as
    an earlier notebook of the run left it.
    """
    skip = skip.resolve()

    def ignore(directory: str, names: list[str]) -> list[str]:
        return [n for n in names if (Path(directory) / n).resolve() == skip]

    shutil.copytree(project_dir, copy, ignore=ignore)


def run_notebook(notebook, name: str, project_dir: Path, *, skip: Path, partial: Path,
                 progress: Progress) -> None:
    """Execute ``notebook`` (in place) on a fresh temporary copy of the project.

    Parameters
    ----------
    notebook : the notebook with its parameters injected (:func:`with_parameters`).
    name : the notebook's name, for messages.
    project_dir : the project folder, copied (without ``skip``) to ``WORKING_PROJECT`` in a
        temporary working folder that is removed afterwards.
    skip : a folder inside the project not to copy (the reports folder).
    partial : where the notebook as far as it ran is written if a cell fails
        (``WB-REPORT-010``).
    progress : told of each cell, and of the notebook when it is done.
    """
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="workbench-report-") as scratch:
        _copy_project(project_dir, Path(scratch) / WORKING_PROJECT, skip=skip)
        _execute(notebook, name, Path(scratch), progress, partial)
    code = sum(cell.cell_type == "code" for cell in notebook.cells)
    progress.finished(name, code, time.monotonic() - started)


def _chosen(parameters: str | Path | Mapping | None,
            project_dir: Path) -> str | Path | Mapping | None:
    """The parameters file to read: the one given, else the project's ``report.yaml`` if it
    has one."""
    if parameters is not None:
        return parameters
    kept = project_dir / PARAMETERS_FILE
    return kept if kept.is_file() else None


def run_report(project_dir: str | Path, notebooks: list[str] | None = None,
               out: str | Path | None = None, *, notebooks_dir: str | Path = NOTEBOOKS,
               corpus: str | Path = RIVERSIDE, progress: bool = True,
               sign: str | Path | None = None,
               parameters: str | Path | Mapping | None = None) -> Path:
    """Execute the analysis notebooks against the project in ``project_dir``.

    Parameters
    ----------
    project_dir : the project folder.
    notebooks : notebook names without ``.py`` (e.g. ``["01_corpus", "04_logs"]``), run in
        the order given; default every notebook of ``notebooks_dir`` in name order.
    out : where run folders go; default ``<project_dir>/reports``.
    notebooks_dir : the folder of jupytext ``.py`` notebooks.
    corpus : the ``CORPUS`` parameter (the example corpus the notebooks read files from).
    progress : show progress: a bar (notebook and cell) on a terminal or in Jupyter, one
        line per notebook (name, code cells, seconds) when standard error is a file or a
        pipe (:class:`~workbench.report.progress.Progress`).
    sign : an Ed25519 private key (PEM, from ``workbench keygen``) to sign ``provenance.json``
        with (:mod:`~workbench.report.signing`); checked before anything runs.
    parameters : the analysis choices per notebook: a YAML file or a mapping
        (:mod:`~workbench.report.parameters`); default ``<project_dir>/report.yaml`` when the
        project holds one. Checked before anything runs; each notebook's parameters are
        recorded in ``provenance.json``.

    Returns
    -------
    pathlib.Path
        The run folder, holding per notebook ``NAME.ipynb`` and ``NAME.html``, and
        ``provenance.json`` (with the SHA-256 of every other file) and
        ``ro-crate-metadata.json``; and ``provenance.json.sig`` when signed.
    """
    project_dir = Path(project_dir).resolve()
    key = load_private_key(sign) if sign is not None else None
    available = _available(Path(notebooks_dir))
    paths = _notebook_paths(available, Path(notebooks_dir), notebooks)
    defined = {name: defined_parameters(path) for name, path in available.items()}
    chosen = read_parameters(_chosen(parameters, project_dir), defined)
    common = {"PROJECT": WORKING_PROJECT, "CORPUS": str(Path(corpus).resolve())}
    given = {p.stem: {**common, **notebook_parameters(chosen, p.stem, defined[p.stem])}
             for p in paths}
    prepared = [(path, with_parameters(path, given[path.stem])) for path in paths]
    with Project.open(project_dir) as project:
        inputs = provenance.input_digests(project)
    folder = Path(out) if out is not None else project_dir / "reports"
    identifier = run_id()
    target = folder / identifier
    target.mkdir(parents=True)
    started = _now()
    executed, digests = [], []
    shown = Progress(prepared, label="report", enabled=progress)
    for path, notebook in shown:
        run_notebook(notebook, path.stem, project_dir, skip=folder, progress=shown,
                     partial=target / f"{path.stem}.partial.ipynb")
        executed.append((path, notebook))
        digests.append(provenance.output_digests(notebook, path.stem))
    run = Run(run_id=identifier, project=project_dir, started=started, ended=_now(),
              parameters=common,
              notebooks=tuple({"name": p.stem, "source_sha256": provenance.sha256(p.read_bytes()),
                               "executed": f"{p.stem}.ipynb", "html": f"{p.stem}.html",
                               "parameters": given[p.stem]}
                              for p, _ in executed),
              inputs=inputs, outputs=pd.concat(digests, ignore_index=True),
              environment=provenance.environment(NOTEBOOKS.parent),
              code=provenance.code_state(Path(notebooks_dir)))
    for path, notebook in executed:
        notebook.cells.insert(0, provenance_cell(run, path.stem))
        nbformat.write(notebook, target / f"{path.stem}.ipynb")
        (target / f"{path.stem}.html").write_text(notebook_html(notebook), encoding="utf-8")
    write_crate(run, target, agent=default_user(),
                later=(MANIFEST, SIGNATURE) if key is not None else (MANIFEST,))
    write_manifest(run, target)
    if key is not None:
        sign_manifest(target, key)
    return target
