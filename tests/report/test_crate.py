"""A report run as an RO-Crate: ``ro-crate-metadata.json`` follows RO-Crate 1.1 and the
Process Run Crate profile, and its digests are those of the files and inputs (issue 18)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from workbench.example import build_example
from workbench.report import run_report

RO_CRATE_CONTEXT = "https://w3id.org/ro/crate/1.1/context"
PROFILE = "https://w3id.org/ro/wfrun/process/0.5"


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> tuple[Path, dict, dict]:
    """One report run of notebook 04 on the example project: its folder, crate, manifest."""
    folder = tmp_path_factory.mktemp("crate")
    build_example(folder / "study", progress=False).close()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("WORKBENCH_USER", "Ana Lima")  # a name with a space: an IRI must quote it
        target = run_report(folder / "study", ["04_logs"], progress=False)
    crate = json.loads((target / "ro-crate-metadata.json").read_text(encoding="utf-8"))
    manifest = json.loads((target / "provenance.json").read_text(encoding="utf-8"))
    return target, crate, manifest


def _entities(crate: dict) -> dict[str, dict]:
    return {entity["@id"]: entity for entity in crate["@graph"]}


def _ids(value: dict | list) -> list[str]:
    return [v["@id"] for v in (value if isinstance(value, list) else [value])]


def test_crate_is_flattened_json_ld_whose_references_resolve(run):
    _, crate, _ = run
    # RO-Crate 1.1 "Metadata": the 1.1 context (extended here with the sha256 term) and a
    # flat @graph of entities, each with a unique @id and a @type.
    assert crate["@context"][0] == RO_CRATE_CONTEXT
    assert crate["@context"][1]["sha256"].startswith("https://w3id.org/ro/terms/workflow-run")
    ids = [entity["@id"] for entity in crate["@graph"]]
    assert len(ids) == len(set(ids))
    assert all("@type" in entity for entity in crate["@graph"])
    assert all(" " not in i for i in ids)
    known = set(ids)
    for entity in crate["@graph"]:
        for key, value in entity.items():
            if key.startswith("@") or not isinstance(value, dict | list):
                continue
            # An absolute IRI may name something outside the crate (RO-Crate 1.1 "Metadata").
            local = [t for t in _ids(value) if not t.startswith(("http://", "https://"))]
            assert set(local) <= known, (key, local)


def test_crate_has_the_profile_s_required_entities(run):
    _, crate, manifest = run
    entities = _entities(crate)
    descriptor = entities["ro-crate-metadata.json"]
    assert descriptor["about"] == {"@id": "./"}
    assert descriptor["conformsTo"] == {"@id": "https://w3id.org/ro/crate/1.1"}
    root = entities["./"]
    assert root["@type"] == "Dataset"
    assert root["conformsTo"] == {"@id": PROFILE}
    assert {"name", "description", "datePublished"} <= root.keys()
    actions = [e for e in crate["@graph"] if e["@type"] == "CreateAction"]
    assert len(actions) == 1
    action = actions[0]
    assert _ids(root["mentions"]) == [action["@id"]]
    assert (action["startTime"], action["endTime"]) == (manifest["start_time"],
                                                        manifest["end_time"])
    assert entities[action["agent"]["@id"]] == {"@id": "#person-Ana%20Lima", "@type": "Person",
                                                "name": "Ana Lima"}
    instruments = [entities[i] for i in _ids(action["instrument"])]
    assert [(i["@type"], i["name"]) for i in instruments] == [("SoftwareSourceCode",
                                                               "notebooks/04_logs.py")]
    # The run folder's files, all parts of the root dataset and all results of the action.
    assert sorted(_ids(action["result"])) == sorted(_ids(root["hasPart"])) == [
        "04_logs.html", "04_logs.ipynb", "provenance.json"]


def test_crate_digests_match_the_files_and_the_manifest(run):
    target, crate, manifest = run
    entities = _entities(crate)
    action = next(e for e in crate["@graph"] if e["@type"] == "CreateAction")
    for name in _ids(action["result"]):
        if name == "provenance.json":
            continue  # written after the crate: it holds the crate's digest instead
        data = (target / name).read_bytes()
        assert entities[name]["sha256"] == hashlib.sha256(data).hexdigest()
        assert entities[name]["contentSize"] == str(len(data))
    # The manifest, written last, records the crate's own SHA-256, so that one signature of
    # the manifest covers the crate (the crate cannot hold the digest of a file hashing it).
    assert "sha256" not in entities["provenance.json"]
    recorded = {f["name"]: f["sha256"] for f in manifest["files"]}
    crate_bytes = (target / "ro-crate-metadata.json").read_bytes()
    assert recorded["ro-crate-metadata.json"] == hashlib.sha256(crate_bytes).hexdigest()
    source = (Path(__file__).resolve().parents[2] / "notebooks" / "04_logs.py").read_bytes()
    assert entities["#notebook-04_logs"]["sha256"] == hashlib.sha256(source).hexdigest()
    hashed = {entities[i]["name"]: entities[i]["sha256"] for i in _ids(action["object"])
              if "sha256" in entities[i]}
    assert hashed == {f"{i['kind']} {i['id']}": i["sha256"] for i in manifest["inputs"]}
    parameters = {entities[i]["name"]: entities[i]["value"] for i in _ids(action["object"])
                  if i.startswith("#parameter-")}
    assert parameters == manifest["parameters"]
