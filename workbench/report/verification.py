"""Check an executed report against its project and its own record: ``verify``.

A reviewer holding a run folder (``reports/<run id>/``) and the project can ask: are the
inputs still what the report says it read, do the stored notebooks still show what was
recorded, and does running the notebooks again give the same outputs? Each question is a
group of checks; a check that does not match is a problem, except a different environment
(package versions, Python, the lock file), which is a warning: the same results from other
versions are still the same results.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import jsonschema
import nbformat
import pandas as pd

from workbench.errors import ReportError
from workbench.project import Project
from workbench.report import provenance
from workbench.report.execute import NOTEBOOKS, run_notebook, with_parameters
from workbench.report.manifest import MANIFEST
from workbench.report.progress import Progress
from workbench.report.signing import SIGNATURE, check_signature

__all__ = ["CHECK_COLUMNS", "MANIFEST_SCHEMA", "Verification", "check_environment", "check_files",
           "check_inputs", "check_rerun", "check_signed", "check_sources", "check_stored",
           "compare_outputs", "read_manifest", "verify"]

#: The columns of :attr:`Verification.checks`.
CHECK_COLUMNS = ["check", "subject", "status", "detail"]

_DIGEST = {"type": "string", "pattern": "^[0-9a-f]{64}$"}
_TEXT = {"type": "string"}
_SCALAR = {"type": ["string", "number", "boolean", "null"]}
#: A notebook's parameters as recorded: scalars or lists of scalars (``report.yaml``).
_PARAMETERS = {"type": "object", "additionalProperties": {
    "anyOf": [_SCALAR, {"type": "array", "items": _SCALAR}]}}
#: What ``provenance.json`` must hold for a verification (JSON Schema, draft 2020-12).
MANIFEST_SCHEMA = {
    "type": "object",
    "required": ["run_id", "project", "parameters", "notebooks", "inputs", "outputs",
                 "volatile_output_fields", "environment", "files"],
    "properties": {
        "run_id": _TEXT,
        "project": _TEXT,
        "parameters": {"type": "object", "additionalProperties": _TEXT},
        "notebooks": {"type": "array", "items": {
            "type": "object", "required": ["name", "source_sha256", "executed"],
            "properties": {"name": _TEXT, "source_sha256": _DIGEST, "executed": _TEXT,
                           "parameters": _PARAMETERS}}},
        "inputs": {"type": "array", "items": {
            "type": "object", "required": ["kind", "id", "name", "sha256"],
            "properties": {"kind": _TEXT, "id": _TEXT, "name": _TEXT, "sha256": _DIGEST}}},
        "outputs": {"type": "array", "items": {
            "type": "object", "required": ["notebook", "cell", "first_line", "sha256"],
            "properties": {"notebook": _TEXT, "cell": {"type": "integer", "minimum": 0},
                           "first_line": _TEXT, "sha256": _DIGEST}}},
        "volatile_output_fields": {"type": "array", "items": _TEXT},
        "files": {"type": "array", "items": {
            "type": "object", "required": ["name", "sha256"],
            "properties": {"name": _TEXT, "sha256": _DIGEST}}},
        "environment": {"type": "object", "required": ["python", "packages"],
                        "properties": {"python": _TEXT, "packages": {
                            "type": "object", "additionalProperties": _TEXT}}},
    },
}


@dataclass(frozen=True)
class Verification:
    """The outcome of verifying one report run.

    ``checks`` has one row per thing compared, columns :data:`CHECK_COLUMNS`: ``check``
    (``signature``, ``file``, ``input``, ``notebook_source``, ``stored_output``,
    ``rerun_output``, ``environment``),
    ``subject`` (what was compared, e.g. ``document 'interview_P10.txt' (058bd913bb3391d0)`` or
    ``01_corpus cell 5``), ``status`` (``ok``, ``failed`` or ``warning``) and ``detail``.
    """

    report: Path
    project: Path
    checks: pd.DataFrame

    @property
    def passed(self) -> bool:
        """True when no check failed (warnings allowed)."""
        return not (self.checks["status"] == "failed").any()

    def problems(self) -> list[str]:
        """One line per failed check, then one per warning."""
        order = {"failed": 0, "warning": 1}
        rows = self.checks[self.checks["status"].isin(order)]
        rows = rows.sort_values("status", key=lambda s: s.map(order), kind="stable")
        return [f"{r.status.upper()} {r.check}: {r.subject}: {r.detail}"
                for r in rows.itertuples()]


def read_manifest(report_dir: Path) -> dict:
    """The run's ``provenance.json``, refused unless present, valid JSON and complete."""
    path = report_dir / MANIFEST
    if not path.is_file():
        raise ReportError(20, f"{path} is missing: {report_dir} is not a report run folder "
                          "(or its manifest was removed). Pass the folder "
                          "reports/<run id>/ that 'workbench report' wrote.")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ReportError(21, f"{path} is not valid JSON ({err}). The manifest was damaged "
                          "after the run; the report cannot be verified.") from None
    try:
        jsonschema.validate(manifest, MANIFEST_SCHEMA)
    except jsonschema.ValidationError as err:
        field = "/".join(str(p) for p in err.absolute_path) or "(top level)"
        raise ReportError(21, f"{path}, field {field}: {err.message}. The manifest was "
                          "damaged after the run; the report cannot be verified.") from None
    if tuple(manifest["volatile_output_fields"]) != provenance.VOLATILE_OUTPUT_FIELDS:
        raise ReportError(22, f"{path} leaves {manifest['volatile_output_fields']} out of "
                          "its output digests; this workbench leaves out "
                          f"{list(provenance.VOLATILE_OUTPUT_FIELDS)}. Verify it with the "
                          f"workbench version that wrote it "
                          f"({manifest['environment']['packages'].get('workbench')}).")
    return manifest


def _describe(kind: str, identifier: str, name: str) -> str:
    return {"document": f"document '{name}' ({identifier})",
            "codebook": f"codebook version {identifier} ('{name}')",
            "codings": f"codings of coder '{identifier}'",
            "log_load": f"log load {identifier} ({name})"}.get(kind, f"{kind} {identifier}")


def check_inputs(recorded: list[dict], project: Project) -> pd.DataFrame:
    """Compare the manifest's input digests with those recomputed from ``project``."""
    now = provenance.input_digests(project)
    merged = pd.DataFrame(recorded, columns=["kind", "id", "name", "sha256"]).merge(
        now, on=["kind", "id"], how="outer", suffixes=("_report", "_project"),
        indicator="presence")
    rows = []
    for row in merged.itertuples():
        name = row.name_report if isinstance(row.name_report, str) else row.name_project
        subject = _describe(row.kind, row.id, name)
        if row.presence == "left_only":
            rows.append(("input", subject, "failed", "read by the report, missing from the "
                         "project now"))
        elif row.presence == "right_only":
            rows.append(("input", subject, "failed", "in the project now, not read by the "
                         "report (added since the run)"))
        elif row.sha256_report != row.sha256_project:
            rows.append(("input", subject, "failed", f"changed since the run (SHA-256 "
                         f"{row.sha256_report[:12]}... in the report, "
                         f"{row.sha256_project[:12]}... now)"))
        else:
            rows.append(("input", subject, "ok", "same SHA-256"))
    return pd.DataFrame(rows, columns=CHECK_COLUMNS)


def compare_outputs(recorded: pd.DataFrame, found: pd.DataFrame, check: str,
                    where: str) -> pd.DataFrame:
    """Compare recorded output digests of one notebook with those ``found`` in ``where``.

    Cells are numbered from 1 in the notebook as run (the injected parameters cell counts,
    the "Provenance" cell of the stored notebook does not), as in ``WB-REPORT-010``.
    """
    merged = recorded.merge(found, on=["notebook", "cell"], how="outer",
                            suffixes=("_report", "_found"), indicator="presence")
    rows = []
    for row in merged.itertuples():
        first = row.first_line_report if isinstance(row.first_line_report, str) \
            else row.first_line_found
        subject = f"{row.notebook} cell {row.cell + 1} ('{first}')"
        if row.presence != "both":
            detail = ("recorded in the report, absent from " if row.presence == "left_only"
                      else "not recorded in the report, present in ") + where
            rows.append((check, subject, "failed", detail))
        elif row.sha256_report != row.sha256_found:
            rows.append((check, subject, "failed", f"output in {where} differs from the "
                         "output recorded in the report"))
        else:
            rows.append((check, subject, "ok", "same SHA-256"))
    return pd.DataFrame(rows, columns=CHECK_COLUMNS)


def _stored_digests(path: Path, name: str) -> pd.DataFrame:
    """Output digests of a stored executed notebook, its "Provenance" cell left out."""
    notebook = nbformat.read(path, as_version=4)
    notebook.cells = [c for c in notebook.cells
                      if "provenance" not in c.get("metadata", {}).get("tags", [])]
    return provenance.output_digests(notebook, name)


def check_stored(manifest: dict, report_dir: Path) -> pd.DataFrame:
    """Compare each stored executed notebook's outputs with the digests recorded for it."""
    outputs = pd.DataFrame(manifest["outputs"])
    frames = []
    for entry in manifest["notebooks"]:
        path = report_dir / entry["executed"]
        if not path.is_file():
            frames.append(pd.DataFrame([("stored_output", entry["executed"], "failed",
                                         f"{path} is missing from the run folder")],
                                       columns=CHECK_COLUMNS))
            continue
        recorded = outputs[outputs["notebook"] == entry["name"]]
        frames.append(compare_outputs(recorded, _stored_digests(path, entry["name"]),
                                      "stored_output", f"the stored {entry['executed']}"))
    return pd.concat(frames, ignore_index=True)


def check_files(manifest: dict, report_dir: Path) -> pd.DataFrame:
    """Compare each file of the run folder recorded in the manifest with its SHA-256.

    The executed notebooks, their HTML pages and ``ro-crate-metadata.json``: a page edited
    after the run fails here, although its notebook's outputs still match.
    """
    rows = []
    for entry in manifest["files"]:
        path = report_dir / entry["name"]
        if not path.is_file():
            rows.append(("file", entry["name"], "failed", f"{path} is missing from the run "
                         "folder"))
        elif provenance.sha256(path.read_bytes()) != entry["sha256"]:
            rows.append(("file", entry["name"], "failed", "changed since the run (its SHA-256 "
                         "differs from the one in the manifest)"))
        else:
            rows.append(("file", entry["name"], "ok", "same SHA-256"))
    return pd.DataFrame(rows, columns=CHECK_COLUMNS)


def check_signed(report_dir: Path, public_key: str | Path | None) -> pd.DataFrame:
    """The signature's row: checked with ``public_key`` (a mismatch is ``WB-REPORT-048``),
    a warning when the run is signed and no key was given, nothing when it is unsigned."""
    if public_key is not None:
        check_signature(report_dir, public_key)
        return pd.DataFrame([("signature", SIGNATURE, "ok", f"provenance.json signed by the "
                              f"holder of the private key of {public_key}")],
                            columns=CHECK_COLUMNS)
    if (report_dir / SIGNATURE).is_file():
        return pd.DataFrame([("signature", SIGNATURE, "warning", "the run is signed but the "
                              "signature was not checked: pass --public-key (public_key=) with "
                              "the signer's .pub file to check who vouches for it")],
                            columns=CHECK_COLUMNS)
    return pd.DataFrame(columns=CHECK_COLUMNS)


def check_sources(manifest: dict, notebooks_dir: Path) -> pd.DataFrame:
    """Compare each notebook's source file with the digest recorded when the report ran."""
    rows = []
    for entry in manifest["notebooks"]:
        path = notebooks_dir / f"{entry['name']}.py"
        if not path.is_file():
            rows.append(("notebook_source", entry["name"], "failed",
                         f"{path} is missing: the notebook cannot be run again"))
        elif provenance.sha256(path.read_bytes()) != entry["source_sha256"]:
            rows.append(("notebook_source", entry["name"], "failed",
                         f"{path} changed since the run (the analysis code differs)"))
        else:
            rows.append(("notebook_source", entry["name"], "ok", "same SHA-256"))
    return pd.DataFrame(rows, columns=CHECK_COLUMNS)


def check_rerun(manifest: dict, project_dir: Path, report_dir: Path, notebooks_dir: Path,
                *, progress: bool) -> pd.DataFrame:
    """Run each notebook again with its recorded parameters (those of a run from before
    per-notebook parameters were recorded: the run's); compare its output digests.

    A notebook whose source is missing is not run (:func:`check_sources` reports it); one
    whose cell fails is a failed check, its notebook as far as it ran kept in a temporary
    folder named in the detail.
    """
    outputs = pd.DataFrame(manifest["outputs"])
    kept = Path(tempfile.mkdtemp(prefix="workbench-verify-"))
    frames = []
    entries = [e for e in manifest["notebooks"] if (notebooks_dir / f"{e['name']}.py").is_file()]
    shown = Progress(entries, label="verify", enabled=progress)
    for entry in shown:
        name = entry["name"]
        notebook = with_parameters(notebooks_dir / f"{name}.py",
                                   entry.get("parameters", manifest["parameters"]))
        try:
            run_notebook(notebook, name, project_dir, skip=report_dir.parent, progress=shown,
                         partial=kept / f"{name}.partial.ipynb")
        except ReportError as err:
            frames.append(pd.DataFrame([("rerun_output", name, "failed", str(err))],
                                       columns=CHECK_COLUMNS))
            continue
        frames.append(compare_outputs(outputs[outputs["notebook"] == name],
                                      provenance.output_digests(notebook, name),
                                      "rerun_output", "the re-run"))
    if not any(kept.iterdir()):
        shutil.rmtree(kept)
    return pd.concat(frames, ignore_index=True) if frames \
        else pd.DataFrame(columns=CHECK_COLUMNS)


def check_environment(recorded: dict, repository: Path) -> pd.DataFrame:
    """Warnings for each package version, Python or lock digest that differs from the run's."""
    now = provenance.environment(repository)
    rows = []
    names = sorted(set(recorded["packages"]) | set(now["packages"]))
    for name in names:
        then, current = recorded["packages"].get(name), now["packages"].get(name)
        if then != current:
            rows.append(("environment", f"package {name}", "warning",
                         f"{then or 'not installed'} at the run, {current or 'not installed'} "
                         "now"))
    if recorded["python"].split()[0] != now["python"].split()[0]:
        rows.append(("environment", "Python", "warning", f"{recorded['python'].split()[0]} at "
                     f"the run, {now['python'].split()[0]} now"))
    if recorded.get("requirements_lock_sha256") != now["requirements_lock_sha256"]:
        rows.append(("environment", "requirements.lock", "warning",
                     "its SHA-256 differs from the run's (other pinned versions)"))
    if not rows:
        rows.append(("environment", "packages, Python, requirements.lock", "ok",
                     "same as at the run"))
    return pd.DataFrame(rows, columns=CHECK_COLUMNS)


def verify(report_dir: str | Path, project_dir: str | Path | None = None, *,
           rerun: bool = True, notebooks_dir: str | Path = NOTEBOOKS,
           progress: bool = True, public_key: str | Path | None = None) -> Verification:
    """Verify the executed report in ``report_dir`` against its project.

    Parameters
    ----------
    report_dir : a run folder written by :func:`workbench.report.run_report`.
    project_dir : the project to check the inputs against and run the notebooks on;
        default the project the manifest names.
    rerun : run the notebooks again with the recorded parameters and compare their outputs
        (the slow part); without it only inputs, stored notebooks and environment are checked.
    notebooks_dir : the folder of jupytext ``.py`` notebooks.
    progress : show progress while the notebooks run.
    public_key : the signer's Ed25519 public key (PEM): the run's ``provenance.json.sig`` is
        checked with it before anything else; without it a signed run gets a warning.

    Returns
    -------
    Verification
        ``checks``: one row per comparison; ``passed`` is true when none failed.
    """
    report_dir = Path(report_dir).resolve()
    manifest = read_manifest(report_dir)
    signed = check_signed(report_dir, public_key)
    project_dir = Path(project_dir if project_dir is not None else manifest["project"]).resolve()
    notebooks_dir = Path(notebooks_dir)
    with Project.open(project_dir) as project:
        frames = [signed, check_files(manifest, report_dir),
                  check_inputs(manifest["inputs"], project)]
    frames += [check_sources(manifest, notebooks_dir), check_stored(manifest, report_dir)]
    if rerun:
        frames.append(check_rerun(manifest, project_dir, report_dir, notebooks_dir,
                                  progress=progress))
    frames.append(check_environment(manifest["environment"], NOTEBOOKS.parent))
    return Verification(report=report_dir, project=project_dir,
                        checks=pd.concat(frames, ignore_index=True))
