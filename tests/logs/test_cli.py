"""The ``workbench logs`` commands: load, then metrics to the screen or a CSV file."""

from __future__ import annotations

import argparse

import pandas as pd
import pytest

from tests.logs.conftest import RIVERSIDE_LOGS
from workbench.errors import WorkbenchError
from workbench.logs.cli import register


def _run(argv: list[str]) -> None:
    """Parse with a parser holding only the logs group, as workbench.cli will hold it."""
    parser = argparse.ArgumentParser(prog="workbench")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    args.run(args)


def test_load_then_metrics(project, tmp_path, capsys):
    folder = str(project.path)
    _run(["logs", "load", folder, str(RIVERSIDE_LOGS / "events"), "--mapping",
          str(RIVERSIDE_LOGS / "mapping.yaml")])
    assert "rows loaded from events; 0 rejected" in capsys.readouterr().out
    _run(["logs", "metrics", folder, "--bucket", "week", "--by", "unit,shift"])
    printed = capsys.readouterr().out
    assert "median_minutes" in printed and "night" in printed
    out = tmp_path / "ack.csv"
    _run(["logs", "metrics", folder, "--metric", "time_to_acknowledge", "--out", str(out)])
    frame = pd.read_csv(out)
    assert list(frame.columns[:2]) == ["bucket_start", "unit"] and len(frame) == 84 * 3


def test_errors_reach_the_command_line_as_numbered_messages(project):
    with pytest.raises(WorkbenchError, match="WB-LOGS-001"):
        _run(["logs", "load", str(project.path), str(RIVERSIDE_LOGS / "events"), "--mapping",
              "missing.yaml"])


def test_every_logs_command_has_help_text():
    parser = argparse.ArgumentParser(prog="workbench")
    register(parser.add_subparsers(dest="command"))
    group = parser._subparsers._group_actions[0].choices["logs"]
    commands = group._subparsers._group_actions[0]
    assert set(commands.choices) == {"load", "metrics"}
    for action in commands._choices_actions:
        assert action.help, action.dest
    for sub in commands.choices.values():
        assert sub.description
        for action in sub._actions:
            assert action.help, (sub.prog, action.dest)
