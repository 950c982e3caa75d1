"""A report run as an RO-Crate: ``ro-crate-metadata.json`` beside ``provenance.json``.

The crate restates the manifest's facts in the vocabulary other provenance tools read: one
``CreateAction`` whose ``instrument`` is the notebooks, whose ``object`` is the inputs (each
with its SHA-256) and whose ``result`` is the files of the run folder (each with its SHA-256,
but ``provenance.json`` and its signature, written after the crate: the manifest holds the
crate's SHA-256, so that one signature of the manifest covers the crate too).

References
----------
1. Soiland-Reyes S, Sefton P, Crosas M, et al. (2022). Packaging research artefacts with
   RO-Crate. Data Science 5(2). Specification 1.1: https://w3id.org/ro/crate/1.1
2. Leo S, Crusoe MR, Rodriguez-Navas L, et al. (2024). Recording provenance of workflow runs
   with RO-Crate. PLOS ONE 19(9). Process Run Crate 0.5: https://w3id.org/ro/wfrun/process/0.5
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

from workbench.report.manifest import Run
from workbench.report.provenance import sha256

__all__ = ["CRATE_METADATA", "PROCESS_RUN_CRATE", "write_crate"]

#: The crate's metadata file name in a run's folder (RO-Crate 1.1, section "Root").
CRATE_METADATA = "ro-crate-metadata.json"
#: The profile the crate conforms to.
PROCESS_RUN_CRATE = "https://w3id.org/ro/wfrun/process/0.5"
RO_CRATE = "https://w3id.org/ro/crate/1.1"
#: RO-Crate 1.1 has no checksum term; ``sha256`` is the Workflow Run vocabulary's, declared
#: in the crate's own context as RO-Crate allows for ad hoc terms.
CONTEXT = [f"{RO_CRATE}/context", {"sha256": "https://w3id.org/ro/terms/workflow-run#sha256"}]
#: Media types of the files a run writes, by suffix.
MEDIA_TYPES = {".ipynb": "application/x-ipynb+json", ".html": "text/html",
               ".json": "application/json", ".sig": "text/plain"}
#: What the files written after the crate are, for their entities' ``description``.
LATER_FILES = {"provenance.json": "The run's manifest: the SHA-256 of every input, output cell "
               "and file of the run, this crate's metadata included (so the crate cannot hold "
               "the manifest's own digest).",
               "provenance.json.sig": "The Ed25519 signature of provenance.json, in base64."}


def _ref(identifier: str) -> dict[str, str]:
    return {"@id": identifier}


def _instruments(run: Run) -> list[dict]:
    """The notebooks run, as ``SoftwareSourceCode`` with their source's SHA-256."""
    version = run.code["git_commit"]
    return [{"@id": f"#notebook-{n['name']}", "@type": "SoftwareSourceCode",
             "name": f"notebooks/{n['name']}.py", "sha256": n["source_sha256"],
             "encodingFormat": "text/x-python", "programmingLanguage": _ref("#python"),
             **({"version": version} if version else {})}
            for n in run.notebooks]


def _objects(run: Run) -> list[dict]:
    """The parameters and each hashed input of the run, as ``PropertyValue``."""
    parameters = [{"@id": f"#parameter-{name}", "@type": "PropertyValue", "name": name,
                   "value": value} for name, value in run.parameters.items()]
    inputs = [{"@id": f"#input-{row.kind}-{quote(row.id)}", "@type": "PropertyValue",
               "name": f"{row.kind} {row.id}", "propertyID": row.kind, "value": row.name,
               "sha256": row.sha256}
              for row in run.inputs.itertuples()]
    return parameters + inputs


def _results(folder: Path, later: tuple[str, ...]) -> list[dict]:
    """Every file of the run folder (but the crate's own metadata) with its SHA-256, then the
    files written after the crate (``later``: the manifest, which hashes the crate, and its
    signature), without one."""
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.name != CRATE_METADATA)
    written = [{"@id": p.name, "@type": "File", "name": p.name,
                "sha256": sha256(p.read_bytes()), "contentSize": str(p.stat().st_size),
                "encodingFormat": MEDIA_TYPES.get(p.suffix, "application/octet-stream")}
               for p in files]
    return written + [{"@id": name, "@type": "File", "name": name,
                       "description": LATER_FILES.get(name, ""),
                       "encodingFormat": MEDIA_TYPES.get(Path(name).suffix,
                                                         "application/octet-stream")}
                      for name in later]


def _graph(run: Run, folder: Path, agent: str, later: tuple[str, ...]) -> list[dict]:
    """The crate's entities: descriptor, root dataset, action, and what the action links."""
    instruments, objects, results = _instruments(run), _objects(run), _results(folder, later)
    person = f"#person-{quote(agent)}"
    action = {
        "@id": f"#run-{run.run_id}", "@type": "CreateAction",
        "name": f"workbench report run {run.run_id}",
        "description": f"The analysis notebooks executed against the project {run.project}.",
        "startTime": run.started, "endTime": run.ended, "agent": _ref(person),
        "actionStatus": _ref("http://schema.org/CompletedActionStatus"),
        "instrument": [_ref(e["@id"]) for e in instruments],
        "object": [_ref(e["@id"]) for e in objects],
        "result": [_ref(e["@id"]) for e in results],
    }
    root = {
        "@id": "./", "@type": "Dataset", "name": f"Executed report {run.run_id}",
        "description": "Executed analysis notebooks (.ipynb and HTML) and their provenance, "
                       "written by workbench report.",
        "datePublished": run.ended, "conformsTo": _ref(PROCESS_RUN_CRATE),
        "hasPart": [_ref(e["@id"]) for e in results], "mentions": _ref(action["@id"]),
    }
    return [
        {"@id": CRATE_METADATA, "@type": "CreativeWork", "conformsTo": _ref(RO_CRATE),
         "about": _ref("./")},
        root,
        {"@id": PROCESS_RUN_CRATE, "@type": "CreativeWork", "name": "Process Run Crate",
         "version": "0.5"},
        action,
        {"@id": person, "@type": "Person", "name": agent},
        {"@id": "#python", "@type": "ComputerLanguage", "name": "Python",
         "version": run.environment["python"].split()[0], "url": _ref("https://www.python.org/")},
        *instruments, *objects, *results,
    ]


def write_crate(run: Run, folder: Path, *, agent: str,
                later: tuple[str, ...] = ("provenance.json",)) -> Path:
    """Write ``ro-crate-metadata.json`` for ``run`` into ``folder``; return its path.

    Call it after the executed notebooks and pages: the crate lists, with their SHA-256, the
    files ``folder`` holds, and names the files written after it (``later``).

    Parameters
    ----------
    run : the facts of the run (the same as ``provenance.json``).
    folder : the run folder, already holding the executed notebooks and the manifest.
    agent : who ran the report (a workbench user name).
    later : files written after the crate (the manifest, which records the crate's SHA-256,
        and its signature), listed without a digest.
    """
    crate = {"@context": CONTEXT, "@graph": _graph(run, folder, agent, later)}
    path = folder / CRATE_METADATA
    path.write_text(json.dumps(crate, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
