"""Report parameters a project keeps: ``report.yaml`` (or ``--parameters FILE``) sets each
notebook's analysis choices, is checked before anything runs, is recorded per notebook in
``provenance.json``, and ``verify`` re-runs each notebook with its recorded parameters
(issue 18, executed reports as evidence)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import pytest

from tests.conftest import write
from workbench import Project
from workbench.cli import main
from workbench.errors import ReportError
from workbench.example import build_example
from workbench.report import run_report, verify

#: Two notebooks printing their parameters; only the first defines EVENT.
CODES_AND_EVENT = '''# %% tags=["parameters"]
PROJECT = "study"
CORPUS = "corpus"
CODES = None  # the codes to read
EVENT = None

# %%
print(f"codes: {CODES}; event: {EVENT}")
'''
CODES_ONLY = '''# %% tags=["parameters"]
PROJECT = "study"
CORPUS = "corpus"
CODES = None

# %%
print(f"codes: {CODES}")
'''
#: ``all`` for both notebooks; 01's own entry wins over it for CODES.
KEPT = """all:
  CODES: [manual-verification, workarounds]
01_event:
  EVENT: threshold-change
  CODES: [alert-fatigue]
"""


def _outputs(path: Path) -> str:
    """The text every code cell of an executed notebook printed."""
    notebook = nbformat.read(path, as_version=4)
    return "".join(o.get("text", "") for c in notebook.cells if c.cell_type == "code"
                   for o in c.get("outputs", []))


def _manifest(run: Path) -> dict:
    return json.loads((run / "provenance.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def kept(tmp_path_factory) -> dict[str, Path]:
    """A project holding report.yaml, two notebooks, and one report run of both."""
    folder = tmp_path_factory.mktemp("parameters")
    Project.create(folder / "study", user="ana").close()
    write(folder / "study", "report.yaml", KEPT)
    write(folder / "notebooks", "01_event.py", CODES_AND_EVENT)
    write(folder / "notebooks", "02_codes.py", CODES_ONLY)
    run = run_report(folder / "study", notebooks_dir=folder / "notebooks", progress=False)
    return {"folder": folder, "project": folder / "study", "notebooks": folder / "notebooks",
            "run": run}


def test_project_report_yaml_sets_each_notebook(kept):
    run = kept["run"]
    # 01_event's own CODES wins over all's; 02_codes, which has no entry, gets all's CODES and
    # no EVENT (its parameters cell does not define it).
    assert "codes: ['alert-fatigue']; event: threshold-change" in _outputs(run / "01_event.ipynb")
    assert "codes: ['manual-verification', 'workarounds']" in _outputs(run / "02_codes.ipynb")
    recorded = {n["name"]: n["parameters"] for n in _manifest(run)["notebooks"]}
    assert recorded["01_event"] == {"PROJECT": "project", "CORPUS": recorded["01_event"]["CORPUS"],
                                    "CODES": ["alert-fatigue"], "EVENT": "threshold-change"}
    assert "EVENT" not in recorded["02_codes"]
    assert recorded["02_codes"]["CODES"] == ["manual-verification", "workarounds"]
    first = nbformat.read(run / "01_event.ipynb", as_version=4).cells[0].source
    assert "`EVENT = 'threshold-change'`" in first  # the Provenance cell names them


def test_verify_reruns_each_notebook_with_its_recorded_parameters(kept, tmp_path):
    project = Path(shutil.copytree(kept["project"], tmp_path / "study"))
    run = project / "reports" / kept["run"].name
    # The run showed the file's values, so a matching re-run must have been given them again.
    assert "event: threshold-change" in _outputs(run / "01_event.ipynb")
    # The file is not needed at verify time, and other values in it now change nothing.
    write(project, "report.yaml", "all:\n  CODES: [informal-training]\n")
    result = verify(run, project, notebooks_dir=kept["notebooks"], progress=False)
    assert result.passed, result.problems()
    # One re-run check per code cell: the parameters cell, the injected one and the print, in
    # each of the two notebooks.
    assert (result.checks["check"] == "rerun_output").sum() == 6
    (project / "report.yaml").unlink()
    assert verify(run, project, notebooks_dir=kept["notebooks"], progress=False).passed


def test_cli_reads_the_parameters_file_given(kept, tmp_path, capsys):
    # `workbench report` runs the repository's notebooks: 05_triangulation's parameters cell
    # defines CODES, not CODE, so the file is refused before anything runs.
    given = write(tmp_path, "other.yaml", "05_triangulation:\n  CODE: workarounds\n")
    assert main(["report", str(kept["project"]), "--parameters", str(given), "--out",
                 str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "WB-REPORT-053" in err and f"{given} line 2: 'CODE'" in err
    assert not (tmp_path / "out").exists()


def test_parameters_given_as_a_mapping(kept, tmp_path):
    run = run_report(kept["project"], ["02_codes"], tmp_path / "out",
                     notebooks_dir=kept["notebooks"], progress=False,
                     parameters={"all": {"CODES": ["workarounds"]}})
    assert "codes: ['workarounds']" in _outputs(run / "02_codes.ipynb")


@pytest.mark.parametrize(("text", "code", "named"), [
    # Line numbers are those of the offending key in the text (counted from 1).
    ("01_event:\n  EVENT: x\n09_nothing:\n  CODES: [a]\n", "WB-REPORT-052",
     "line 3: no notebook named '09_nothing'"),
    ("02_codes:\n  CODES: [a]\n  EVENT: x\n", "WB-REPORT-053",
     "line 3: 'EVENT' is not defined in 02_codes's parameters cell"),
    ("all:\n  WARD: 4N\n", "WB-REPORT-053", "line 2: 'WARD' is not defined in any notebook's"),
    ("all:\n  PROJECT: elsewhere\n", "WB-REPORT-054", "line 2: PROJECT is set by the report"),
    ("01_event:\n  CORPUS: corpus\n", "WB-REPORT-054", "line 2: CORPUS is set by the report"),
    ("01_event:\n  CODES: {a: 1}\n", "WB-REPORT-055", "line 2: CODES is {'a': 1}"),
    ("01_event:\n  CODES: [a, [b, c]]\n", "WB-REPORT-055", "CODES is ['b', 'c']"),
    ("01_event:\n  EVENT: 2025-04-21\n", "WB-REPORT-055", "Write the date in quotes"),
    ("01_event:\n  EVENT: .nan\n", "WB-REPORT-055", "EVENT is nan"),
    ("01_event:\n  CODES: [a\n", "WB-REPORT-051", "not valid YAML"),
    ("- 01_event\n", "WB-REPORT-051", "must map notebook names"),
    ("01_event: [CODES]\n", "WB-REPORT-051", "line 1: '01_event' must map parameter names"),
    # Nine levels of ten aliases stand for 10**9 values ("billion laughs"; safe_input).
    ("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 9)),
     "WB-REPORT-051", "not valid YAML (the YAML stands for more than"),
])
def test_refused_file_runs_nothing(kept, tmp_path, text, code, named):
    bad = write(tmp_path, "report.yaml", text)
    with pytest.raises(ReportError) as caught:
        run_report(kept["project"], out=tmp_path / "out", notebooks_dir=kept["notebooks"],
                   progress=False, parameters=bad)
    assert caught.value.code == code
    assert str(bad) in str(caught.value) and named in str(caught.value)
    assert not (tmp_path / "out").exists()


def test_missing_parameters_file_is_refused(kept, tmp_path, capsys):
    assert main(["report", str(kept["project"]), "--parameters", str(tmp_path / "nope.yaml"),
                 "--out", str(tmp_path / "out")]) == 1
    assert "WB-REPORT-051" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_the_examples_report_tells_its_story(tmp_path_factory):
    """The Riverside findings of /work/shared/USERS.md and corpora/riverside/README.md."""
    study = tmp_path_factory.mktemp("story") / "study"
    build_example(study, progress=False).close()
    assert (study / "report.yaml").is_file()  # build_example copies corpora/riverside's
    # 04_logs' split at the threshold change is checked in test_report.py, which runs it.
    run = run_report(study, ["05_triangulation"], progress=False)
    triangulation = _outputs(run / "05_triangulation.ipynb")
    # The repair codes, not the most used ones, are read against alerts on stale inputs.
    assert "ana's codings of manual-verification, workarounds against stale_share" \
        in triangulation
    assert "repair codes (manual-verification, workarounds)" in triangulation
    notebook = nbformat.read(run / "05_triangulation.ipynb", as_version=4)
    around = next(o["data"]["text/plain"] for c in notebook.cells if "project.around(EVENT"
                  in c.source for o in c.outputs if "data" in o)
    rows: dict[str, list[str]] = {}  # a wide frame prints in blocks; join each row's parts
    for parts in (line.split() for line in around.splitlines()):
        if parts and parts[0].isdigit():
            rows.setdefault(parts[0], []).extend(parts[1:])
    verdicts = {words[0]: " ".join(words) for words in rows.values()}
    # Alert volume falls after the threshold change; the countermetric "moves a little, not
    # enough to be sure: the report must say so" (USERS.md); alert fatigue is the talk read.
    assert verdicts["alerts"].endswith("lower after")
    assert verdicts["missed_share"].endswith("cannot tell")
    assert "alert-fatigue" in verdicts


def test_parameters_cell_that_is_not_python_is_refused(kept, tmp_path):
    write(tmp_path / "notebooks", "01_typo.py", '# %% tags=["parameters"]\nPROJECT = "study"\n'
          'CODES = [a,\n\n# %%\nprint(CODES)\n')
    with pytest.raises(ReportError, match=r"WB-REPORT-050: 01_typo.py, parameters cell line 2"):
        run_report(kept["project"], out=tmp_path / "out", notebooks_dir=tmp_path / "notebooks",
                   progress=False, parameters={})
    assert not (tmp_path / "out").exists()
