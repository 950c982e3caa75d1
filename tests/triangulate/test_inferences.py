"""Meta-inferences on the Riverside case: recorded, listed, revised, retracted, and flagged
when their evidence changes (a coding removed, a code merged, a metric value that drifts, a
query that no longer runs), through the Project API on a real project with real logs."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest

from tests.triangulate.conftest import example_without_inferences
from workbench import Project
from workbench.cli import main
from workbench.errors import TriangulationError

OUTAGE_WEEK = {"metric": "stale_share", "by": "unit",
               "filters": {"unit": "4N", "bucket_start": "2025-03-31"}}
CLAIM = "During the lab outage 4N nurses kept a paper list because the score ran on stale labs."


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The example before any meta-inference: these tests count the ones they record."""
    return example_without_inferences(tmp_path_factory.mktemp("riverside") / "study")


@pytest.fixture
def riverside(built, tmp_path):
    """A fresh copy of the example for each test that changes it."""
    return shutil.copytree(built, tmp_path / "study")


def _workarounds(project: Project, n: int = 2) -> list[str]:
    return list(project.codings(coder="ana", code="workarounds")["coding_id"][:n])


def _stale_share_4n_outage_week(project: Project) -> float:
    """The logs module's own metric (not the triangulation path) for the same cell."""
    table = project.metrics("stale_input_share", bucket="week", by=("unit",))
    cell = table[(table["unit"] == "4N") & (table["bucket_start"] == pd.Timestamp("2025-03-31"))]
    return float(cell["stale_share"].iloc[0])


def test_record_list_revise_retract_and_reopen(riverside):
    with Project.open(riverside, user="ana") as project:
        codings = _workarounds(project)
        first = project.infer(CLAIM, fit="confirmation", qualitative=[*codings, "workarounds"],
                              quantitative=OUTAGE_WEEK, rationale="Both strands peak there.")
        second = project.infer("Dismissals rose after the threshold change.",
                               fit="Partial  Agreement", qualitative="overrides-and-dismissals")
        expected = _stale_share_4n_outage_week(project)
        project.revise_inference(second, claim="Dismissals did not fall after the change.",
                                 fit="dissonance")
        project.retract_inference(second, "the survey wave came before the change")
    with Project.open(riverside) as project:
        listed = project.inferences().set_index("inference_id")
        audit = project.history()
    row = listed.loc[first]
    assert (row["fit"], row["framework"], row["theme"]) == ("confirmation",
                                                            "Fetters et al. 2013", "Workarounds")
    assert row["qualitative"] == [*codings, "workarounds"] and row["status"] == "active"
    # The value was computed at recording: the logs' own weekly stale share of 4N.
    assert row["quantitative"]["value"] == pytest.approx(expected, rel=1e-9)
    assert row["current_value"] == pytest.approx(expected, rel=1e-9) and row["flags"] == []
    revised = listed.loc[second]
    assert (revised["claim"], revised["fit"], revised["framework"], revised["status"]) == (
        "Dismissals did not fall after the change.", "dissonance", "Farmer et al. 2006",
        "retracted")
    assert revised["theme"] == "Overrides and dismissals"  # named after its code
    actions = audit[audit["entity_id"] == second]["action"].tolist()
    assert actions == ["infer", "revise inference", "retract inference"]
    retraction = json.loads(audit[audit["action"] == "retract inference"]["after"].iloc[0])
    assert retraction["reason"] == "the survey wave came before the change"


def test_a_retracted_inference_cannot_be_revised_and_stays_listed(riverside):
    with Project.open(riverside) as project:
        made = project.infer(CLAIM, fit="agreement", qualitative=["workarounds"])
        project.retract_inference(made, "superseded")
        with pytest.raises(TriangulationError, match="WB-TRIANGULATE-074.*retracted"):
            project.revise_inference(made, claim="again")
        other = project.infer(CLAIM, fit="agreement", qualitative=["workarounds"])
        with pytest.raises(TriangulationError, match="WB-TRIANGULATE-075"):
            project.retract_inference(other, " ")
        assert project.inferences(status="retracted")["inference_id"].tolist() == [made]


def test_a_codebook_merge_keeps_the_inference_and_flags_the_merge(riverside):
    with Project.open(riverside) as project:
        coding = _workarounds(project, 1)
        made = project.infer(CLAIM, fit="expansion", qualitative=[*coding, "workarounds"])
        project.merge_codes("workarounds", "manual-verification")
        row = project.inferences().set_index("inference_id").loc[made]
    assert row["status"] == "active" and row["qualitative"] == [*coding, "workarounds"]
    assert row["flags"] == [
        f"coding {coding[0]}: its code 'workarounds' was merged into 'manual-verification'",
        "code 'workarounds' was merged into 'manual-verification'"]


def test_a_removed_coding_is_flagged(riverside):
    with Project.open(riverside) as project:
        coding = _workarounds(project, 1)[0]
        made = project.infer(CLAIM, fit="confirmation", qualitative=[coding])
        project.uncode(coding, coder="ana")
        flags = project.inferences().set_index("inference_id").loc[made, "flags"]
        assert flags == [f"coding {coding} was removed"]
        with pytest.raises(Exception, match="was removed"):  # not recordable any more
            project.infer(CLAIM, fit="confirmation", qualitative=[coding])


def test_a_recorded_value_that_drifts_is_flagged_and_rounding_is_honoured(riverside):
    with Project.open(riverside) as project:
        true = _stale_share_4n_outage_week(project)
        wrong = project.infer(CLAIM, fit="confirmation", theme="Stale labs",
                              quantitative={**OUTAGE_WEEK, "value": 0.12})
        rounded = project.infer(CLAIM, fit="confirmation", theme="Stale labs",
                                quantitative={**OUTAGE_WEEK, "value": round(true, 2),
                                              "decimals": 2})
        listed = project.inferences().set_index("inference_id")
    assert listed.loc[wrong, "flags"] == [
        f"recorded value 0.12 no longer matches the re-run {true:.10g}"]
    assert listed.loc[rounded, "flags"] == []


def test_a_query_that_no_longer_runs_is_flagged_not_raised(riverside):
    with Project.open(riverside) as project:
        used = set(project.references()["event_id"].dropna())
        free = next(e for e in project.timeline()["event_id"] if e not in used)
        made = project.infer(CLAIM, fit="agreement", theme="Alert volume", quantitative={
            "metric": "alerts", "by": "unit", "filters": {"unit": "4N", "event": free}})
        kept = project.timeline()
        project.set_timeline(kept[kept["event_id"] != free])
        flags = project.inferences().set_index("inference_id").loc[made, "flags"]
        assert flags == [f"the query no longer runs: the timeline has no event '{free}' any "
                         "more."]
    (riverside / "logs.duckdb").rename(riverside / "logs.duckdb.away")
    with Project.open(riverside) as project:
        flags = project.inferences().set_index("inference_id").loc[made, "flags"]
    assert flags == ["the query no longer runs: the project has no deployment logs"]


def test_bad_input_is_refused_and_nothing_is_stored(riverside):
    with Project.open(riverside) as project:
        with pytest.raises(TriangulationError) as caught:
            project.infer(CLAIM, fit="convergence", qualitative=["workarounds"])
        message = str(caught.value)
        assert message.startswith("WB-TRIANGULATE-070")
        for label in ("confirmation", "expansion", "discordance", "agreement",
                      "partial agreement", "silence", "dissonance"):
            assert label in message
        with pytest.raises(TriangulationError, match="WB-TRIANGULATE-073.*no cell"):
            project.infer(CLAIM, fit="agreement", theme="Stale labs", quantitative={
                **OUTAGE_WEEK, "filters": {"unit": "9Z"}})
        with pytest.raises(TriangulationError, match="WB-TRIANGULATE-072.*'by'"):
            project.infer(CLAIM, fit="agreement", theme="Stale labs", quantitative={
                **OUTAGE_WEEK, "by": "role"})
        with pytest.raises(TriangulationError, match="WB-TRIANGULATE-071.*evidence"):
            project.infer(CLAIM, fit="agreement")
        assert project.inferences().empty and project.memos("project").empty


def test_convergence_matrix_holds_each_fit_by_theme_and_source(riverside):
    with Project.open(riverside) as project:
        codings = project.codings(coder="ana", code="workarounds")
        note = codings[codings["document"].str.startswith("fn_")]["coding_id"].iloc[0]
        project.infer(CLAIM, fit="confirmation", qualitative=[note], quantitative=OUTAGE_WEEK)
        project.infer("Nobody mentions dismissals in the logs' peak week.", fit="silence",
                      theme="Workarounds", qualitative=[note])
        matrix = project.convergence_matrix()
    # Hand count: two inferences on one field-note coding, the first also on the logs.
    assert sorted(matrix.cells[["source", "farmer_fit"]].itertuples(index=False)) == [
        ("fieldnote", "agreement"), ("fieldnote", "silence"), ("logs", "agreement")]
    assert matrix.wide.loc["Workarounds", "fieldnote"] == "agreement / silence"
    assert matrix.wide.loc["Workarounds", "logs"] == "agreement"


def test_refi_qda_round_trip_keeps_the_inference_as_a_note(riverside, tmp_path):
    with Project.open(riverside) as project:
        project.infer(CLAIM, fit="discordance", qualitative=["workarounds"])
        archive = project.export_qdpx(tmp_path / "study.qdpx")
    Project.import_qdpx(archive, tmp_path / "imported")
    with Project.open(tmp_path / "imported") as imported:
        texts = imported.memos("project")["text"].tolist()
    assert len(texts) == 1 and CLAIM in texts[0] and "fit: discordance" in texts[0]


def test_the_command_writes_every_inference(riverside, tmp_path, capsys):
    with Project.open(riverside) as project:
        coding = _workarounds(project, 1)[0]
        project.infer(CLAIM, fit="confirmation", qualitative=[coding],
                      quantitative={**OUTAGE_WEEK, "value": 0.12})
    out = tmp_path / "inferences.csv"
    assert main(["inferences", str(riverside), "--out", str(out)]) == 0
    table = pd.read_csv(out)
    assert len(table) == 1 and table["claim"].iloc[0] == CLAIM
    assert json.loads(table["qualitative"].iloc[0]) == [coding]
    assert "no longer matches" in json.loads(table["flags"].iloc[0])[0]
    assert main(["inferences", str(riverside)]) == 0
    assert "! recorded value 0.12" in capsys.readouterr().out
