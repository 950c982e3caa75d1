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


def test_codebook_commands(tmp_path, capsys):
    from tests.conftest import REPO, SHARED

    book = REPO / "codebooks" / "sociotechnical.yaml"
    assert main(["codebook", "validate", str(book)]) == 0
    assert main(["codebook", "export", str(book), "--to", str(tmp_path / "b.qdc")]) == 0
    assert main(["codebook", "import", str(tmp_path / "b.qdc"),
                 "--out", str(tmp_path / "b.yaml")]) == 0
    assert main(["codebook", "diff", str(book), str(tmp_path / "b.yaml")]) == 0
    assert "no changes to codes" in capsys.readouterr().out
    broken = SHARED / "refi-qda" / "samples" / "atlasti-win-23.4_codebook_truncated.qdc"
    assert main(["codebook", "import", str(broken)]) == 1
    assert "line 17" in capsys.readouterr().err


def test_codings_and_retrieve_commands(coded, tmp_path, capsys):
    from tests.conftest import P01, span

    project, docs = coded
    project.code(docs["interview_P01.txt"], *span(P01, "we kept a paper list"), "workaround")
    folder = str(project.path)
    assert main(["codings", folder, "--code", "repair"]) == 0
    assert "we kept a paper list" in capsys.readouterr().out
    assert main(["retrieve", folder, "workaround", "--context", "8",
                 "--out", str(tmp_path / "quotes.csv")]) == 0
    import pandas as pd

    quotes = pd.read_csv(tmp_path / "quotes.csv", keep_default_na=False)
    # 8 characters either side of the quote in P01 (tests/conftest.py), counted by hand.
    assert quotes[["before", "text", "after"]].values.tolist() == [
        ["d. Then ", "we kept a paper list", " on the "]]


def test_info_counts_codes_per_coder_not_summed(coded, capsys):
    from tests.conftest import P01, span

    project, docs = coded
    for coder in ("ana", "ben"):
        project.code(docs["interview_P01.txt"], *span(P01, "we kept a paper list"),
                     "workaround", coder=coder)
    assert main(["info", str(project.path)]) == 0
    out = capsys.readouterr().out
    # One coding each: a column per coder, 1 and 1, where a single total would have said 2.
    table = out.split("most used codes (codings per coder):\n")[1].splitlines()
    assert table[0].split() == ["coder", "ana", "ben"]
    assert table[-1].split() == ["Workaround", "1", "1"]
