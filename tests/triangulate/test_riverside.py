"""The fictional Riverside case through triangulation: what the example must let a researcher
find (shared/USERS.md), computed by the same functions as any project, not tuned to it.

The expected facts come from corpora/riverside/timeline.yaml: the lab-interface outage
(31 March - 3 April, worst on 4N) and the threshold change (21 April: alert volume falls by
roughly 40%, the countermetric rises "within what chance could produce").
"""

from __future__ import annotations

import pandas as pd
import pytest

from workbench.cli import main
from workbench.example import build_example

REPAIR = ["manual-verification", "workarounds"]


@pytest.fixture(scope="module")
def riverside(tmp_path_factory):
    folder = tmp_path_factory.mktemp("riverside") / "study"
    build_example(folder, progress=False).close()
    return folder


def test_the_top_hotspot_is_4n_in_the_week_of_the_outage(riverside):
    from workbench import Project

    with Project.open(riverside) as project:
        result = project.repair_gap("stale_share", REPAIR, coder="ana", permutations=999)
    top = result.hotspots.iloc[0]
    # The outage started Monday 31 March 2025 06:40, so its week starts that Monday.
    assert (top["unit"], top["bucket_start"]) == ("4N", pd.Timestamp("2025-03-31"))
    assert top["unusual"] and top["repair"] > 0
    assert result.effect > 0 and "Spearman's rho" in result.statement


def test_the_threshold_change_is_reported_with_its_uncertainty(riverside):
    from workbench import Project

    with Project.open(riverside) as project:
        table = project.around("threshold-change", "21D", metrics=["alerts", "missed_share"],
                               seed=0).set_index("measure")
    # Alert volume fell by roughly 40% (timeline.yaml): clearly lower after.
    alerts = table.loc["alerts"]
    assert alerts["verdict"] == "lower after"
    assert 0.3 < 1 - alerts["after"] / alerts["before"] < 0.55
    # The countermetric moved "within what chance could produce": the interval spans zero.
    assert table.loc["missed_share", "verdict"] == "cannot tell"
    assert table.loc["missed_share", "ci_low"] < 0 < table.loc["missed_share", "ci_high"]


def test_interview_answers_are_placed_only_by_references(riverside):
    from workbench import Project

    with Project.open(riverside) as project:
        matrix = project.mixed_matrix(codes=REPAIR, metrics=["stale_share"], coder="ana")
        referenced = set(project.references()["doc_id"])
    placed = matrix.evidence
    interviews = placed[placed["document"].str.startswith("interview_")]
    assert set(interviews["precision"]) == {"reference"}
    assert set(interviews["doc_id"]) <= referenced
    unplaced = matrix.unplaced[matrix.unplaced["what"] == "coding"]
    assert (unplaced["reason"].str.startswith("retrospective")).all() and len(unplaced) > 0


def test_the_command_prints_the_statement_and_writes_every_cell(riverside, tmp_path, capsys):
    out = tmp_path / "cells.csv"
    assert main(["triangulate", str(riverside), "--gap", "stale_share", "--repair",
                 ",".join(REPAIR), "--coder", "ana", "--permutations", "199",
                 "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "Spearman's rho" in printed and "hotspots" in printed and "silences" in printed
    cells = pd.read_csv(out)
    # 3 wards x 12 weeks of logs (2025-03-03 to 2025-05-19): 36 cells.
    assert len(cells) == 36 and {"unit", "bucket_start", "gap", "repair"} <= set(cells)


def test_an_event_and_its_windows_are_the_periods_of_a_matrix(riverside):
    from workbench import Project

    with Project.open(riverside) as project:
        matrix = project.mixed_matrix(period="lab-interface-outage", codes=REPAIR,
                                      metrics=["stale_share"], coder="ana")
        weeks = project.mixed_matrix(codes=REPAIR, metrics=["stale_share"], coder="ana")
    cells = matrix.cells.set_index(["unit", "window"])
    # timeline.yaml: the outage runs 2025-03-31 06:40 to 2025-04-03 14:10 (3 days 7 h 30 min),
    # so "before" is the same length before it and "after" the same length after it.
    assert cells.loc[("4N", "before"), "bucket_start"] == pd.Timestamp("2025-03-27 23:10")
    assert cells.loc[("4N", "during"), "bucket_end"] == pd.Timestamp("2025-04-03 14:10")
    assert cells.loc[("4N", "after"), "bucket_end"] == pd.Timestamp("2025-04-06 21:40")
    # "Nearly all alerts in the window carry stale lab inputs" (timeline.yaml, logs).
    assert cells.loc[("4N", "during"), "stale_share"] > 0.9 > 0.1 > cells.loc[
        ("4N", "before"), "stale_share"]
    # Every repair coding placed during the outage is also in the weekly matrix's week of
    # 31 March (the outage lies inside that week), so the counts cannot exceed it.
    week = weeks.cells.set_index(["unit", "bucket_start"]).loc[("4N", pd.Timestamp(
        "2025-03-31"))]
    assert 0 < cells.loc[("4N", "during"), "workarounds"] <= week["workarounds"]
