"""Executed reports: the notebooks run on a copy of the example project, and the manifest's
digests can be recomputed from the project by anyone (issue 18, part 1)."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import nbformat
import pytest

from tests.conftest import write
from workbench import Project
from workbench.cli import main
from workbench.errors import ReportError
from workbench.example import build_example
from workbench.report import run_report

#: Two short notebooks: the corpus (which imports into a scratch project beside its PROJECT) and
#: the logs.
NOTEBOOKS = ["01_corpus", "04_logs"]

BROKEN = '''# %% [markdown]
# # A notebook that fails half way

# %% tags=["parameters"]
PROJECT = "study"
CORPUS = "corpus"

# %%
print("reached before the failure")

# %%
raise ValueError("planted failure")

# %%
print("never reached")
'''


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> tuple[Path, Path, Path]:
    """The example project and two report runs of the same notebooks on it."""
    folder = tmp_path_factory.mktemp("report")
    build_example(folder / "study", progress=False).close()
    first = run_report(folder / "study", NOTEBOOKS, progress=False)
    second = run_report(folder / "study", NOTEBOOKS, progress=False)
    return folder / "study", first, second


def _manifest(run: Path) -> dict:
    return json.loads((run / "provenance.json").read_text(encoding="utf-8"))


def test_report_writes_notebooks_html_and_manifest(runs):
    project_dir, first, _ = runs
    assert first.parent == project_dir / "reports"
    for name in NOTEBOOKS:
        executed = nbformat.read(first / f"{name}.ipynb", as_version=4)
        assert executed.cells[0].source.startswith("## Provenance")
        # The example: 90 documents (14 interviews, 24 field notes, 52 survey answers: its
        # README), codings by ana and ben, one codebook and one load of its logs.
        assert ("1 codebook, 2 coders' codings, 90 documents, 1 log load"
                in executed.cells[0].source)
        errors = [o for c in executed.cells for o in c.get("outputs", [])
                  if o.get("output_type") == "error"]
        assert not errors
        page = (first / f"{name}.html").read_text(encoding="utf-8")
        assert "Provenance" in page and first.name in page
        # Nothing loaded from the network (nbconvert's CDN scripts are left out).
        assert not re.search(r"""<(script|link)[^>]+(src|href)=["']?https?:""", page)
    # 04_logs draws its charts interactive over their PNG (workbench/report/pages.py).
    assert "<figure class=\"wb-chart\">" in (first / "04_logs.html").read_text(encoding="utf-8")
    manifest = _manifest(first)
    assert manifest["run_id"] == first.name
    assert [n["name"] for n in manifest["notebooks"]] == NOTEBOOKS
    assert manifest["coders"] == ["ana", "ben"]  # the example's two coders (example.py)
    assert manifest["environment"]["packages"]["workbench"]
    assert "execution_count" in manifest["volatile_output_fields"]
    assert manifest["start_time"] <= manifest["end_time"]


def test_example_compares_around_the_threshold_change(runs):
    # The example's report.yaml (copied by build_example) sets 04_logs' CHANGE: the
    # countermetric is split at the threshold change (timeline.yaml: 2025-04-21), the change
    # USERS.md says the report must weigh, not at the middle moment (governance-review).
    _, first, _ = runs
    executed = nbformat.read(first / "04_logs.ipynb", as_version=4)
    printed = "".join(o.get("text", "") for c in executed.cells for o in c.get("outputs", []))
    assert "before vs after threshold-change (2025-04-21)" in printed
    recorded = {n["name"]: n["parameters"] for n in _manifest(first)["notebooks"]}
    assert recorded["04_logs"]["CHANGE"] == "threshold-change"
    assert recorded["01_corpus"]["GROUP_BY"] == ["role", "ward"]


def test_run_ids_sort_by_time(runs):
    _, first, second = runs
    assert sorted([second.name, first.name]) == [first.name, second.name]


def test_input_digests_recomputed_independently(runs):
    project_dir, first, _ = runs
    inputs = {(i["kind"], i["id"]): i["sha256"] for i in _manifest(first)["inputs"]}
    with Project.open(project_dir) as project:
        documents = project.documents()
        # Every document (the example's 90: 14 interviews, field notes, survey rows) is listed.
        assert sum(kind == "document" for kind, _ in inputs) == len(documents)
        for doc_id in documents["doc_id"]:
            assert inputs[("document", doc_id)] == _sha256(project.document(doc_id).text)
        ana = project.codings(coder="ana").sort_values("coding_id")
        rows = json.loads(ana[["coding_id", "doc_id", "start", "end", "code_id", "coder",
                               "origin", "created_at"]].to_json(orient="records"))
        canonical = json.dumps(rows, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        assert inputs[("codings", "ana")] == _sha256(canonical)
        load = project.log_loads().iloc[0]
        recorded = json.dumps({"files": load["files"], "mapping": load["mapping"]},
                              sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        assert inputs[("log_load", "1")] == _sha256(recorded)


def test_project_is_not_changed_by_the_report(runs):
    # Notebook 01 deletes and rebuilds its PROJECT: the report gives it a copy, so the
    # second run hashes the same inputs as the first.
    _, first, second = runs
    assert _manifest(first)["inputs"] == _manifest(second)["inputs"]


def test_output_digests_are_stable_across_runs(runs):
    _, first, second = runs
    one, two = _manifest(first)["outputs"], _manifest(second)["outputs"]
    assert len(one) > 10  # 01_corpus alone has 11 code cells (notebooks/01_corpus.py)
    assert one == two


def test_failing_notebook_stops_with_its_cell_and_keeps_partial(runs, tmp_path):
    project_dir, _, _ = runs
    write(tmp_path / "notebooks", "02_broken.py", BROKEN)
    with pytest.raises(ReportError) as caught:
        # parameters={}: the example's report.yaml is written for the repository's notebooks.
        run_report(project_dir, out=tmp_path / "out", notebooks_dir=tmp_path / "notebooks",
                   progress=False, parameters={})
    message = str(caught.value)
    # Cell 5 counted from 1: markdown, parameters, injected parameters, print, raise.
    assert caught.value.code == "WB-REPORT-010"
    assert "02_broken" in message and "cell 5" in message
    assert "raise ValueError(\"planted failure\")" in message
    assert "planted failure" in message
    partial = next((tmp_path / "out").glob("*/02_broken.partial.ipynb"))
    kept = nbformat.read(partial, as_version=4)
    assert "reached before the failure" in str(kept.cells[3].outputs)
    assert not kept.cells[5].get("outputs")


def test_cli_refuses_unknown_notebook_and_missing_parameters(runs, tmp_path, capsys):
    project_dir, _, _ = runs
    assert main(["report", str(project_dir), "--notebooks", "09_nothing"]) == 1
    assert "WB-REPORT-002" in capsys.readouterr().err
    write(tmp_path, "01_plain.py", "# %%\nprint('no parameters')\n")
    with pytest.raises(ReportError, match="WB-REPORT-003.*01_plain.py"):
        run_report(project_dir, notebooks_dir=tmp_path, out=tmp_path / "out", progress=False,
                   parameters={})
    assert not (tmp_path / "out").exists()
