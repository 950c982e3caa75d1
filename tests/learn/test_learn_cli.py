"""``workbench learn``: the agreement report and the number of suggestions, printed."""

from __future__ import annotations

from tests.learn.test_learn import BACKEND
from workbench.cli import main


def test_learn_prints_the_agreement_and_the_count(planted, capsys):
    project, _ = planted
    assert main(["learn", str(project.path), "alarms", "--coder", "ana",
                 "--backend", BACKEND]) == 0
    out = capsys.readouterr()
    stored = len(project.suggestions("pending"))
    assert "cross-validated agreement with ana on 180 segments" in out.out  # 6 x 30
    assert f"{stored} suggestions stored for review" in out.out and stored > 0
    assert "verdict: reliable" in out.out and out.err == ""


def test_learn_warns_on_stderr_when_agreement_is_at_chance(unrelated, capsys):
    project, _ = unrelated
    assert main(["learn", str(project.path), "alarms", "--coder", "ana",
                 "--backend", BACKEND]) == 0
    out = capsys.readouterr()
    assert "verdict: unreliable" in out.out
    assert out.err.startswith("warning: the suggester learned from ana")


def test_learn_refusal_is_a_numbered_error(planted, capsys):
    project, _ = planted
    assert main(["learn", str(project.path), "alarms", "--coder", "zoe",
                 "--backend", BACKEND]) == 1
    assert "WB-LEARN-002" in capsys.readouterr().err


def test_learn_takes_the_number_of_folds(planted, capsys):
    project, _ = planted
    assert main(["learn", str(project.path), "alarms", "--coder", "ana",
                 "--backend", BACKEND, "--folds", "3"]) == 0
    # ana coded 6 documents (tests/learn/conftest.py): 3 folds of 2 documents each
    assert "3 folds of whole documents" in capsys.readouterr().out
    assert main(["learn", str(project.path), "alarms", "--coder", "ana",
                 "--backend", BACKEND, "--folds", "1"]) == 1
    assert "WB-LEARN-005" in capsys.readouterr().err
