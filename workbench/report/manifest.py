"""The record of one report run: ``provenance.json`` and the "Provenance" cell of each notebook."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pandas as pd

from workbench.report.provenance import VOLATILE_OUTPUT_FIELDS, sha256

__all__ = ["MANIFEST", "Run", "file_digests", "provenance_cell", "write_manifest"]

#: The manifest's file name in a run's folder.
MANIFEST = "provenance.json"
#: Files of a run folder the manifest does not hash: itself and its signature, made after it.
UNHASHED = (MANIFEST, f"{MANIFEST}.sig")


@dataclass(frozen=True)
class Run:
    """The facts of one report run, gathered before and after its notebooks execute.

    ``parameters`` are those every notebook got (``PROJECT``, ``CORPUS``); each entry of
    ``notebooks`` holds ``name``, ``source_sha256``, ``executed``, ``html`` and
    ``parameters``: all the parameters that notebook ran with (those of the parameters file
    added), which ``verify`` runs it with again.
    """

    run_id: str
    project: Path
    started: str
    ended: str
    parameters: dict[str, str]
    notebooks: tuple[dict, ...]
    inputs: pd.DataFrame
    outputs: pd.DataFrame
    environment: dict
    code: dict

    @property
    def coders(self) -> list[str]:
        """The coding layers (coders and ``consensus``) whose codings were inputs."""
        return sorted(self.inputs.loc[self.inputs["kind"] == "codings", "id"])


def file_digests(folder: Path) -> list[dict[str, str]]:
    """``name`` and ``sha256`` of every file of the run ``folder`` but the manifest and its
    signature, by name: what one signature of ``provenance.json`` vouches for."""
    return [{"name": p.name, "sha256": sha256(p.read_bytes())}
            for p in sorted(folder.iterdir()) if p.is_file() and p.name not in UNHASHED]


def write_manifest(run: Run, folder: Path) -> Path:
    """Write ``provenance.json`` for ``run`` into ``folder``; return its path.

    Call it after every other file of the run is written: it records their digests
    (:func:`file_digests`).
    """
    manifest = {
        "run_id": run.run_id,
        "project": str(run.project),
        "start_time": run.started,
        "end_time": run.ended,
        "parameters": run.parameters,
        "notebooks": list(run.notebooks),
        "coders": run.coders,
        "inputs": run.inputs.to_dict(orient="records"),
        "outputs": run.outputs.to_dict(orient="records"),
        "volatile_output_fields": list(VOLATILE_OUTPUT_FIELDS),
        "environment": run.environment,
        "code": run.code,
        "files": file_digests(folder),
        "digest": "sha256 of UTF-8 bytes; structured inputs and outputs as canonical JSON "
                  "(sorted keys, compact separators)",
    }
    path = folder / MANIFEST
    path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


#: How the provenance cell counts each kind of input: (one, several).
INPUT_NAMES = {"document": ("document", "documents"), "codebook": ("codebook", "codebooks"),
               "codings": ("coder's codings", "coders' codings"),
               "log_load": ("log load", "log loads")}


def provenance_cell(run: Run, notebook: str) -> nbformat.NotebookNode:
    """A markdown cell summarising ``run`` for the executed ``notebook``."""
    counts = run.inputs.groupby("kind").size()
    inputs = ", ".join(f"{n} {INPUT_NAMES.get(kind, (kind, kind))[n != 1]}"
                       for kind, n in counts.items()) or "none"
    cells = run.outputs[run.outputs["notebook"] == notebook]
    commit = run.code["git_commit"] or "unknown (no git)"
    dirty = {True: " with uncommitted changes", False: "", None: ""}[run.code["dirty"]]
    given = next((n.get("parameters") for n in run.notebooks if n["name"] == notebook), None)
    lines = [
        "## Provenance",
        "",
        f"- **Run** `{run.run_id}`, from {run.started} to {run.ended} (UTC)",
        f"- **Project** `{run.project}`; parameters "
        + ", ".join(f"`{k} = {v!r}`" for k, v in (given or run.parameters).items()),
        f"- **Inputs** hashed (SHA-256): {inputs}; coders: {', '.join(run.coders) or 'none'}",
        f"- **Analysis code** git commit `{commit}`{dirty}",
        f"- **Python** {run.environment['python'].split()[0]} on {run.environment['platform']}; "
        f"workbench {run.environment['packages']['workbench']}; requirements.lock "
        f"`{run.environment['requirements_lock_sha256']}`",
        f"- **Outputs**: {len(cells)} code cells, each output's SHA-256 in `{MANIFEST}` "
        f"(left out of the digest: {', '.join(VOLATILE_OUTPUT_FIELDS)})",
    ]
    return nbformat.v4.new_markdown_cell("\n".join(lines), metadata={"tags": ["provenance"]})
