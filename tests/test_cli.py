"""The `workbench` command: every sub-command is documented, runs, and reports errors plainly."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import write
from workbench.cli import build_parser, main


def _subcommands():
    parser = build_parser()
    action = next(a for a in parser._actions if a.dest == "command")
    return action.choices


def test_every_command_has_help_text_and_is_in_the_readme():
    from tests.conftest import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for name, sub in _subcommands().items():
        assert sub.description, f"`workbench {name}` has no description"
        assert f"workbench {name}" in readme, f"`workbench {name}` is not in the README"


def test_init_import_info(tmp_path, capsys):
    folder = tmp_path / "study"
    assert main(["init", str(folder)]) == 0
    transcript = write(tmp_path, "interview_P01.txt",
                       "Interviewer: Hello.\nP01: Hi.\nInterviewer: Bye.\n")
    sidecar = write(tmp_path, "participants.csv", "participant_id,role\nP01,staff nurse\n")
    assert main(["import", str(folder), str(transcript), "--attributes", str(sidecar)]) == 0
    assert main(["info", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "imported 1 document(s)" in out
    assert "interview" in out and "staff nurse" in out


def test_errors_are_printed_without_a_traceback(tmp_path, capsys):
    assert main(["info", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: WB-PROJECT-004") and "Traceback" not in err


def test_console_script_is_installed(tmp_path):
    done = subprocess.run([sys.executable, "-m", "workbench.cli", "--version"],
                          capture_output=True, text=True, check=True)
    assert done.stdout.startswith("workbench ")


@pytest.mark.parametrize("name", ["init", "import", "info", "example"])
def test_help_for_each_command(name, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([name, "--help"])
    assert exit_info.value.code == 0
    assert "usage: workbench" in capsys.readouterr().out
