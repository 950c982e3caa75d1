"""What an executed report was made from and with: input digests, environment, output digests.

Every digest is a SHA-256 (FIPS 180-4) of UTF-8 bytes. Structured inputs are hashed as
canonical JSON: keys sorted, no whitespace between items, non-ASCII kept as is (the
canonical form of RFC 8785 for the strings, integers and nulls held here), so a digest can be
recomputed from the project with any JSON library.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import platform
import subprocess
import sys
from pathlib import Path

import pandas as pd
from packaging.requirements import Requirement

from workbench.codebook.io import dump_yaml
from workbench.project import Project

__all__ = ["CODING_COLUMNS", "VOLATILE_OUTPUT_FIELDS", "canonical_json", "code_state",
           "environment", "input_digests", "merged_streams", "output_digests", "sha256"]

#: The stored fields of a coding that its digest covers (quoted text and names are derived).
CODING_COLUMNS = ("coding_id", "doc_id", "start", "end", "code_id", "coder", "origin",
                  "created_at")
#: The mime type of a Jupyter widget's output (its model id is new in every kernel).
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
#: Fields of a notebook output left out of its digest: they change from run to run without
#: the result changing (execution counter, display metadata such as image size, transient
#: display ids, the model id of a widget such as a tqdm progress bar).
VOLATILE_OUTPUT_FIELDS = ("execution_count", "metadata", "transient",
                          f"data.{WIDGET_VIEW}.model_id")


def sha256(text: str | bytes) -> str:
    """The hex SHA-256 of ``text`` (a string is hashed as UTF-8)."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    return hashlib.sha256(data).hexdigest()


def canonical_json(value: object) -> str:
    """``value`` as canonical JSON: sorted keys, compact separators, UTF-8 kept."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _records(frame: pd.DataFrame) -> list[dict]:
    """Rows as dicts of plain Python values, missing values as ``None``."""
    return json.loads(frame.to_json(orient="records", date_format="iso"))


def input_digests(project: Project) -> pd.DataFrame:
    """One row per input of the analysis, with its digest.

    Returns
    -------
    pandas.DataFrame
        Columns ``kind`` (document, codebook, codings, log_load), ``id`` (document id,
        codebook version, coder, load id), ``name`` and ``sha256``: a document's canonical
        text; the codebook's current version as YAML written by
        ``workbench.codebook.io.dump_yaml(Codebook.to_dict())`` (read back exactly); each
        coder's (and the consensus layer's) codings as canonical JSON of their
        :data:`CODING_COLUMNS`, rows sorted by ``coding_id``; each log load's ``files`` and
        ``mapping`` as recorded in the logs' ``loads`` table.
    """
    rows = []
    for doc in project.documents().itertuples():
        rows.append(("document", doc.doc_id, doc.name, sha256(project.document(doc.doc_id).text)))
    versions = project.codebook_versions()
    if not versions.empty:
        version = int(versions["version"].iloc[-1])
        book = project.codebook(version)
        rows.append(("codebook", str(version), book.title, sha256(dump_yaml(book.to_dict()))))
    codings = project.codings(coder="all")
    for coder, layer in codings.groupby("coder", sort=True):
        ordered = layer.sort_values("coding_id")[list(CODING_COLUMNS)]
        rows.append(("codings", coder, f"{len(layer)} codings",
                     sha256(canonical_json(_records(ordered)))))
    if (project.path / "logs.duckdb").exists():
        for load in project.log_loads().itertuples():
            recorded = {"files": load.files, "mapping": load.mapping}
            rows.append(("log_load", str(load.load_id), f"{load.rows_loaded} rows loaded",
                         sha256(canonical_json(recorded))))
    return pd.DataFrame(rows, columns=["kind", "id", "name", "sha256"])


def _dependencies() -> dict[str, str]:
    """Installed versions of workbench's declared (non-optional) dependencies."""
    versions = {"workbench": importlib.metadata.version("workbench")}
    for line in importlib.metadata.requires("workbench") or []:
        requirement = Requirement(line)
        if requirement.marker is not None and "extra" in str(requirement.marker):
            continue
        versions[requirement.name] = importlib.metadata.version(requirement.name)
    return dict(sorted(versions.items()))


def environment(repository: Path) -> dict[str, object]:
    """Python, platform, package versions and the digest of ``requirements.lock``.

    ``repository`` is the folder holding ``requirements.lock``; a missing lock file is
    recorded as ``None``.
    """
    lock = repository / "requirements.lock"
    return {
        "python": sys.version,
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "packages": _dependencies(),
        "requirements_lock_sha256": sha256(lock.read_bytes()) if lock.is_file() else None,
    }


def code_state(folder: Path) -> dict[str, object]:
    """The git commit of the analysis code in ``folder`` and whether its tree is dirty.

    Both are ``None`` when git is not installed or ``folder`` is not in a repository.
    """
    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(["git", "-C", str(folder), *args], capture_output=True,
                                  text=True, check=False, timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            return None
        return done.stdout if done.returncode == 0 else None

    commit = git("rev-parse", "HEAD")
    status = git("status", "--porcelain") if commit else None
    return {"git_commit": commit.strip() if commit else None,
            "dirty": bool(status.strip()) if status is not None else None}


def _normalised(output: dict) -> dict:
    """``output`` without :data:`VOLATILE_OUTPUT_FIELDS`."""
    kept = {key: value for key, value in output.items() if key not in VOLATILE_OUTPUT_FIELDS}
    if WIDGET_VIEW in kept.get("data", {}):
        view = {k: v for k, v in kept["data"][WIDGET_VIEW].items() if k != "model_id"}
        kept["data"] = {**kept["data"], WIDGET_VIEW: view}
    return kept


def merged_streams(outputs: list[dict]) -> list[dict]:
    """``outputs`` with each run of adjacent stream outputs of one name joined into one.

    The kernel sends a cell's ``stdout`` (or ``stderr``) in as many messages as it happened
    to flush, and nbclient stores one output per message, so the same printed text can be
    one output in a run and three in the next (nbformat 4, "stream output"). Joining them
    makes the digest depend on the text only. Unlike nbconvert's
    ``CoalesceStreamsPreprocessor`` nothing else is rewritten (carriage returns are kept).
    """
    merged: list[dict] = []
    for output in outputs:
        previous = merged[-1] if merged else None
        if (output.get("output_type") == "stream" and previous is not None
                and previous.get("output_type") == "stream"
                and previous.get("name") == output.get("name")):
            merged[-1] = {**previous, "text": previous["text"] + output["text"]}
        else:
            merged.append(dict(output))
    return merged


def output_digests(notebook, name: str) -> pd.DataFrame:
    """One row per code cell of an executed ``notebook`` with the digest of its outputs.

    Returns
    -------
    pandas.DataFrame
        Columns ``notebook``, ``cell`` (index in the notebook as run), ``first_line`` and
        ``sha256``: canonical JSON of the cell's outputs, adjacent stream outputs of one name
        joined (:func:`merged_streams`), without :data:`VOLATILE_OUTPUT_FIELDS`.
    """
    rows = [(name, index, cell.source.strip().splitlines()[0] if cell.source.strip() else "",
             sha256(canonical_json([_normalised(o)
                                    for o in merged_streams(cell.get("outputs", []))])))
            for index, cell in enumerate(notebook.cells) if cell.cell_type == "code"]
    return pd.DataFrame(rows, columns=["notebook", "cell", "first_line", "sha256"])
