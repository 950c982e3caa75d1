"""What a project holds, as the notebooks read it (issue 18: notebooks that run on any project)."""

from __future__ import annotations

import pytest

from tests.own_projects import LOGGED_CODERS, SOLE_CODER, logged_project, sole_coder_project
from workbench import Project
from workbench.contents import SKIPPED, contents
from workbench.errors import ProjectError


def test_a_sole_coder_project_without_logs(tmp_path):
    with Project.open(sole_coder_project(tmp_path)) as project:
        holds = contents(project)
    assert holds.coders == (SOLE_CODER,)
    # Each code has two codings (one per focus group, tests/own_projects.py): a tie, listed in
    # alphabetical order.
    assert holds.coded == ("budget-pressure", "peer-support")
    assert holds.documents == ("focusgroup_K1.txt", "focusgroup_K2.txt")
    assert holds.attributes == ("team",)
    assert (holds.logs, holds.log_events, holds.events, holds.middle_moment) == (
        False, (), (), None)
    assert holds.lacks("codings", "turns") == ""
    assert holds.lacks("codings", "two coders", "logs") == SKIPPED["two coders"]
    assert holds.lacks("logs") == "This project has no deployment logs, so this part is skipped."


def test_a_project_with_logs_two_coders_and_a_timeline(tmp_path):
    with Project.open(logged_project(tmp_path)) as project:
        holds = contents(project)
    # mei made the planted codings and two shift-swaps per note, tomas every other one of the
    # latter (tests/own_projects.py), so mei coded most.
    assert holds.coders == LOGGED_CODERS
    assert set(holds.coded) == {"workarounds", "shift-swaps"}
    assert holds.codes[:2] == holds.coded and len(holds.codes) > len(holds.coded)
    assert holds.log_events == ("alert_fired",)  # the planted log holds alerts only
    assert (holds.moments, holds.middle_moment, holds.inferences) == (
        ("new-rota",), "new-rota", 1)
    assert holds.lacks("logs", "timeline", "two coders", "inferences") == ""
    assert holds.lacks("acknowledgements") == SKIPPED["acknowledgements"]


def test_an_unknown_need_is_refused_with_the_needs_listed(tmp_path):
    with Project.create(tmp_path / "empty") as project:
        holds = contents(project)
    assert holds.lacks("documents") == SKIPPED["documents"]
    with pytest.raises(ProjectError, match=r"WB-PROJECT-031: .*'?logz'?.*logs"):
        holds.lacks("logz")
