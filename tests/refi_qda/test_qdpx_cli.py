"""`workbench export DIR OUT.qdpx` and `workbench import-qdpx IN.qdpx DIR`."""

from __future__ import annotations

import argparse

import pytest

from tests.conftest import P01, write
from tests.refi_qda.conftest import SAMPLES
from workbench import Project
from workbench.cli import build_parser


def run(argv: list[str]) -> None:
    args = build_parser().parse_args(argv)
    args.run(args)


def test_commands_have_help_and_description():
    commands = next(action for action in build_parser()._actions
                    if isinstance(action, argparse._SubParsersAction))
    for name in ("export", "import-qdpx"):
        assert commands.choices[name].description


def test_export_then_import(tmp_path, capsys):
    transcript = write(tmp_path, "interview_P01.txt", P01)
    with Project.create(tmp_path / "study", user="ana") as project:
        project.import_files([transcript], progress=False)
    run(["export", str(tmp_path / "study"), str(tmp_path / "study.qdpx")])
    assert capsys.readouterr().out.strip() == f"wrote {tmp_path / 'study.qdpx'}"
    run(["import-qdpx", str(tmp_path / "study.qdpx"), str(tmp_path / "copy")])
    assert "imported study.qdpx (from workbench" in capsys.readouterr().out
    with Project.open(tmp_path / "copy") as copy:
        assert copy.document("interview_P01.txt").text == P01


def test_import_prints_the_report(tmp_path, capsys):
    run(["import-qdpx", str(SAMPLES / "qc-1.3.2_demo.qdpx"), str(tmp_path / "qc")])
    out = capsys.readouterr().out
    assert "2 document(s), 262 code(s), 205 coding(s)" in out
    assert "warning: qc-1.3.2_demo.qdpx: project.qde: 262 code(s) have no description" in out


def test_position_unit_is_checked_against_the_allowed_values(tmp_path):
    with pytest.raises(SystemExit):
        run(["import-qdpx", "x.qdpx", str(tmp_path / "p"), "--position-unit", "bytes"])


def test_import_qdpx_kind_says_what_the_documents_are(tmp_path):
    # A text with alternating Maya:/Dev: labels reads as an interview; the user who knows it
    # is a comment thread says so with --kind (issue 17), and no turns are made up.
    thread = write(tmp_path, "thread.txt", "Maya: the board is pale.\nDev: agreed.\n"
                   "Maya: fixed now?\nDev: yes.\n")
    with Project.create(tmp_path / "study", user="ana") as project:
        project.import_files([thread], progress=False)
        assert project.documents().loc[0, "kind"] == "interview"
        project.export_qdpx(tmp_path / "study.qdpx")
    run(["import-qdpx", str(tmp_path / "study.qdpx"), str(tmp_path / "copy"), "--kind",
         "document"])
    with Project.open(tmp_path / "copy") as copy:
        assert copy.documents()["kind"].tolist() == ["document"]
        assert copy.segments("turn").empty
