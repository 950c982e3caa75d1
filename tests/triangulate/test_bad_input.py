"""Odd or wrong input to the triangulation is refused with a numbered error that names the
culprit and what to do, and the project is left as it was."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.conftest import write
from tests.triangulate.conftest import code, load_alerts, note, start
from workbench.errors import CodebookError, TriangulationError

NOTE = ["08:10 - The nurse checks the lab by hand.", "Reflection: a busy day."]


@pytest.fixture
def noted(project, tmp_path):
    """A project with one coded field note on 4N (2025-03-04, day shift) and no logs."""
    start(project, tmp_path, [note(tmp_path, "fn_day.md", NOTE, date="2025-03-04",
                                   ward="4N", shift="day")])
    code(project, "fn_day.md", "08:10")
    return project


@pytest.fixture
def logged(noted, tmp_path):
    """The same project with logs for 4N on the note's day."""
    load_alerts(noted, tmp_path, [("2025-03-04 08:00:00", "4N", True),
                                  ("2025-03-04 09:00:00", "4N")])
    return noted


def test_a_crosswalk_value_that_matches_nothing_in_the_logs_is_named(logged):
    logged.set_keys(unit={"attribute": "ward", "values": {"4N": "4 North"}})
    matrix = logged.mixed_matrix("unit", "day", metrics=["alerts"])
    # The note's 4N now reads "4 North", which the logs do not know: a note says so, and the
    # note's cell keeps no metrics rather than being matched by guessing.
    assert any(n.startswith("unit value(s) 4 North in the evidence match no unit in the logs "
                            "(4N)") for n in matrix.notes)
    assert pd.isna(matrix.cells.set_index("unit").at["4 North", "alerts"])


def test_a_crosswalk_for_a_key_workbench_does_not_link_by_is_refused(noted):
    with pytest.raises(TriangulationError, match=r"WB-TRIANGULATE-001: 'ward' is not a log "
                                                 r"key workbench links by; use unit or role"):
        noted.set_keys(ward="ward")
    with pytest.raises(TriangulationError, match="WB-TRIANGULATE-002"):
        noted.set_keys(unit={"attribute": "ward", "values": ["4N"]})
    assert noted.keys().set_index("log_key").at["unit", "attribute"] == "ward"


def test_an_unknown_code_is_refused_naming_close_ones(noted):
    with pytest.raises(CodebookError, match=r"WB-CODEBOOK-032: 'workaround' is not a code in "
                                            r"this project\. Did you mean: workarounds"):
        noted.mixed_matrix("unit", "day", codes=["workaround"])


def test_an_unknown_metric_column_is_refused_listing_them(logged):
    with pytest.raises(TriangulationError, match=r"WB-TRIANGULATE-031: 'staleness' is not a "
                                                 r"log metric column; choose from "
                                                 r"acknowledged, .*stale_share.*'1 - <rate>'"):
        logged.mixed_matrix("unit", "day", metrics=["staleness"])
    with pytest.raises(TriangulationError, match="WB-TRIANGULATE-031"):
        logged.repair_gap("staleness", ["workarounds"])


def test_a_period_the_logs_do_not_have_is_refused(noted):
    with pytest.raises(TriangulationError, match=r"WB-TRIANGULATE-030: period 'month' is not "
                                                 r"supported; choose one of shift, day, week"):
        noted.mixed_matrix("unit", "month")


def test_metrics_without_logs_are_refused(noted):
    message = r"WB-TRIANGULATE-033: this project has no deployment logs.*project\.load_logs"
    with pytest.raises(TriangulationError, match=message):
        noted.mixed_matrix("unit", "day", metrics=["stale_share"])
    with pytest.raises(TriangulationError, match=message):
        noted.repair_gap("stale_share", ["workarounds"])
    noted.set_timeline([{"id": "go-live", "at": "2025-03-04T07:00"}])
    with pytest.raises(TriangulationError, match=message):
        noted.around("go-live", "1D", metrics=["alerts"])


def test_a_project_without_codings_says_there_is_nothing_to_associate(project, tmp_path):
    start(project, tmp_path, [note(tmp_path, f"fn_{day}.md", NOTE, date=f"2025-03-{day}",
                                   ward="4N", shift="day") for day in ("04", "05", "06")])
    load_alerts(project, tmp_path, [("2025-03-04 08:00:00", "4N", True),
                                    ("2025-03-05 08:00:00", "4N"),
                                    ("2025-03-06 08:00:00", "4N", True),
                                    ("2025-03-06 09:00:00", "4N")])
    result = project.repair_gap("stale_share", ["workarounds"], period="day")
    # 3 cells with material and a gap (1, 0, 0.5) but no repair codings: the density is 0
    # everywhere, so there is no rho, no p-value and no hotspot, and the statement says why.
    assert result.n_cells == 3
    assert result.effect != result.effect and result.p_value != result.p_value  # NaN
    assert result.hotspots.empty
    assert "does not vary, so no association can be computed" in result.statement


def test_no_repair_code_is_refused(logged):
    with pytest.raises(TriangulationError, match="WB-TRIANGULATE-044: name at least one"):
        logged.repair_gap("stale_share", [])


def test_refer_needs_exactly_one_of_event_or_period(noted):
    noted.set_timeline([{"id": "go-live", "at": "2025-03-04T07:00"}])
    coding = noted.codings()["coding_id"].iloc[0]
    both = r"WB-TRIANGULATE-022: refer\(\) needs either event_id=\.\.\. .* or period=\(start, "
    with pytest.raises(TriangulationError, match=both):
        noted.refer(coding, event="go-live", period=("2025-03-04", "2025-03-05"))
    with pytest.raises(TriangulationError, match=both):
        noted.refer(coding)
    with pytest.raises(TriangulationError, match=r"WB-TRIANGULATE-018: no timeline event "
                                                 r"'go_live'; the timeline holds: go-live"):
        noted.refer(coding, event="go_live")
    with pytest.raises(TriangulationError, match="WB-TRIANGULATE-023: the period ends"):
        noted.refer(coding, period=("2025-03-05", "2025-03-04"))
    assert noted.references().empty


@pytest.mark.parametrize(("events", "message"), [
    ([{"id": "outage", "at": "2025-03-04T07:00"}, {"id": "outage", "at": "2025-03-05T07:00"}],
     r"WB-TRIANGULATE-016: timeline: the id 'outage' is given twice"),
    ([{"id": "outage", "start": "2025-03-04T07:00-06:00"}],
     r"WB-TRIANGULATE-011: timeline: event 'outage': '2025-03-04T07:00-06:00' has a UTC "
     r"offset; write the time on the site's wall clock"),
    ([{"id": "outage", "start": "2025-03-05T07:00", "end": "2025-03-04T07:00"}],
     r"WB-TRIANGULATE-014: timeline: event 'outage' ends \(2025-03-04 07:00:00\) before it "
     r"starts \(2025-03-05 07:00:00\)"),
])
def test_a_wrong_timeline_is_refused_and_the_old_one_kept(noted, events, message):
    noted.set_timeline([{"id": "go-live", "at": "2025-03-04T07:00"}])
    with pytest.raises(TriangulationError, match=message):
        noted.set_timeline(events)
    assert noted.timeline()["event_id"].tolist() == ["go-live"]


def test_a_timeline_from_a_yaml_file_with_an_offset_is_refused(noted, tmp_path):
    path = write(tmp_path, "timeline.yaml", "events:\n  - id: go-live\n"
                 "    at: 2025-03-04T07:00:00+00:00\n    what: Go-live\n")
    with pytest.raises(TriangulationError, match=r"WB-TRIANGULATE-011: timeline.yaml: event "
                                                 r"'go-live'.*has a UTC offset"):
        noted.set_timeline(path)
    assert noted.timeline().empty


def test_a_timeline_event_a_reference_uses_cannot_be_removed(noted):
    noted.set_timeline([{"id": "go-live", "at": "2025-03-04T07:00"},
                        {"id": "outage", "start": "2025-03-04T10:00"}])
    reference = noted.refer(noted.codings()["coding_id"].iloc[0], event="outage")
    with pytest.raises(TriangulationError, match=r"WB-TRIANGULATE-017: timeline: references "
                                                 r"point to event\(s\) outage, which this "
                                                 r"timeline leaves out"):
        noted.set_timeline([{"id": "go-live", "at": "2025-03-04T07:00"}])
    assert noted.timeline()["event_id"].tolist() == ["go-live", "outage"]
    # Once the reference is removed, so can the event be (this failed with an IntegrityError:
    # the removed reference still pointed to the event's row); the removed reference goes
    # with it, its row kept in the audit log.
    noted.unrefer(reference)
    with pytest.raises(TriangulationError, match=f"WB-TRIANGULATE-024: reference "
                                                 f"'{reference}' was already removed"):
        noted.unrefer(reference)
    noted.set_timeline([{"id": "go-live", "at": "2025-03-04T07:00"}])
    assert noted.timeline()["event_id"].tolist() == ["go-live"]
    history = noted.history()
    forgotten = history[history["action"] == "forget_reference"]
    assert forgotten["entity_id"].tolist() == [reference]
    # A timeline left empty empties the timeline (NOT IN (NULL) deleted nothing before).
    noted.set_timeline([])
    assert noted.timeline().empty
