"""The `workbench` command starts without loading the analysis libraries it does not need.

Each check runs in a fresh Python process (so nothing imported by the test session counts) and
reads that process's ``sys.modules`` after the command ran (issue 17: every command took ~15 s,
``--help`` included, importing the charting stack).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO, write
from workbench.cli import main

#: Libraries that argument parsing and a project summary never need; each costs between a
#: tenth of a second and several seconds to import on the 2-core machine.
HEAVY = ("altair", "ibis", "duckdb", "spacy", "sklearn", "statsmodels", "torch", "scipy",
         "anywidget")

RUN = """
import json, sys
import workbench
for argv in json.loads(sys.argv[1]):
    from workbench.cli import main
    try:
        main(argv)
    except SystemExit:
        pass
with open(sys.argv[2], "w") as out:
    json.dump(sorted({name.split(".")[0] for name in sys.modules}), out)
"""


def _imported(tmp_path: Path, *commands: list[str]) -> set[str]:
    """Top-level packages imported by ``import workbench`` and then running ``commands`` in
    one fresh process."""
    listing = tmp_path / "modules.json"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    subprocess.run([sys.executable, "-c", RUN, json.dumps(commands), str(listing)], env=env,
                   check=True, capture_output=True, timeout=120)
    return set(json.loads(listing.read_text()))


def test_import_workbench_loads_no_library(tmp_path):
    # `import workbench` is what every command and notebook does first; Project comes on use.
    assert {"pandas", "numpy", *HEAVY} & _imported(tmp_path) == set()


def test_help_of_every_command_loads_no_heavy_library(tmp_path):
    commands = [["--help"], ["--version"], ["logs", "metrics", "--help"],
                ["triangulate", "--help"], ["display", "--help"], ["import", "--help"],
                ["import-qdpx", "--help"], ["codebook", "diff", "--help"],
                ["report", "--help"], ["verify", "--help"], ["similar", "--help"],
                ["topics", "--help"], ["learn", "--help"]]
    assert set(HEAVY) & _imported(tmp_path, *commands) == set()


def test_info_without_logs_loads_no_heavy_library(tmp_path):
    folder = tmp_path / "study"
    transcript = write(tmp_path, "interview_P01.txt",
                       "Interviewer: Hello.\nP01: Hi.\nInterviewer: Bye.\n")
    assert main(["init", str(folder)]) == 0
    assert main(["import", str(folder), str(transcript)]) == 0
    # The summary reads SQLite with pandas; the logs engine and the charts are not needed.
    assert set(HEAVY) & _imported(tmp_path, ["info", str(folder)]) == set()
