"""What the benchmark's speed-ups (issue 15) must not change: field-note paragraphs placed in
time (now vectorised), a repair gap where nobody talked about repair, and the log metrics a
triangulation joins (``alert_volume`` is no longer run twice)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandas.testing as pdt
import pytest

from tests.conftest import RIVERSIDE, write
from workbench import Project
from workbench.logs import connect
from workbench.logs.metrics import alert_volume, stale_input_share
from workbench.triangulate.metrics import metric_cells

CODEBOOK = RIVERSIDE.parents[1] / "codebooks" / "sociotechnical.yaml"

#: Odd but valid front matter: a shift written " Night" (space, capital), no shift, another
#: word for a shift, and no date at all.
NOTES = {
    "night.md": "---\ndate: 2025-03-10\nward: 4N\nshift: \" Night\"\n---\n"
                "02:10 - Bed 4 rechecked by hand.\n\n23:50 - Paper list on the desk.\n\n"
                "Quiet night overall.\n",
    "noshift.md": "---\ndate: 2025-03-11\nward: 5E\n---\n08:00 - Score looked old.\n\n"
                  "Plain paragraph.\n",
    "evening.md": "---\ndate: 2025-03-12\nward: 6W\nshift: evening\n---\n"
                  "Evening talk about the owl.\n",
    "undated.md": "---\nward: 6W\nshift: day\n---\n10:00 - Undated jotting.\n",
}


def _coded_notes(project: Project, folder: Path, code: str) -> None:
    """Import the notes, link ``unit`` to ``ward`` and code every paragraph with ``code``."""
    for name, text in NOTES.items():
        write(folder, name, text)
    project.import_files([folder], kind="fieldnote", progress=False)
    project.set_codebook(CODEBOOK)
    project.set_keys(unit={"attribute": "ward"})
    paragraphs = project.segments("paragraph")
    project.code_many(paragraphs[["doc_id", "start", "end"]].assign(code=code))


def test_field_note_paragraphs_keep_their_times(project, tmp_path):
    _coded_notes(project, tmp_path / "notes", "workarounds")
    matrix = project.mixed_matrix(by="unit", period="day", codes=["workarounds"], coder="ana")
    found = {(row.text, str(row.bucket_start.date()), row.precision, row.basis)
             for row in matrix.evidence.itertuples()}
    # Hand-derived from the rules in workbench/triangulate/evidence.py: a night shift runs
    # 19:00 to 07:00; a jotting before 07:00 on a night shift is on the next day; a shift
    # that is neither day nor night places the note on its whole date; the basis repeats the
    # shift as written.
    assert found == {
        ("02:10 - Bed 4 rechecked by hand.", "2025-03-11", "minute", "jotting 02:10"),
        ("23:50 - Paper list on the desk.", "2025-03-10", "minute", "jotting 23:50"),
        ("Quiet night overall.", "2025-03-10", "shift", "field note 2025-03-10,  Night shift"),
        ("Quiet night overall.", "2025-03-11", "shift", "field note 2025-03-10,  Night shift"),
        ("08:00 - Score looked old.", "2025-03-11", "minute", "jotting 08:00"),
        ("Plain paragraph.", "2025-03-11", "day", "field note 2025-03-11"),
        ("Evening talk about the owl.", "2025-03-12", "day", "field note 2025-03-12"),
    }
    undated = matrix.unplaced[matrix.unplaced["document"] == "undated.md"]
    # One paragraph in the undated note: unplaced as material and as a coding.
    assert sorted(undated["what"]) == ["coding", "material"]
    material = undated[undated["what"] == "material"]
    assert material["reason"].tolist() == ["field note without a date"]
    assert str(matrix.cells["bucket_start"].dtype) == "datetime64[us]"


def test_repair_gap_without_any_repair_talk_has_no_hotspots(project, tmp_path):
    # Every paragraph coded with trust, none with a repair code: the repair side is empty.
    _coded_notes(project, tmp_path / "notes", "trust")
    gap = pd.DataFrame({"unit": ["4N", "4N", "5E", "6W"],
                        "bucket_start": ["2025-03-10", "2025-03-11", "2025-03-11", "2025-03-12"],
                        "wait": [1.0, 2.0, 3.0, 4.0]})
    found = project.repair_gap(gap, ["workarounds"], by="unit", period="day",
                               gap_column="wait", coder="ana", permutations=99)
    # Four cells with material and a gap value (the night note spans 10 and 11 March on 4N).
    assert found.n_cells == 4
    assert found.effect != found.effect  # no repair density varies: no rho (NaN)
    assert found.hotspots.empty and "quotes" in found.hotspots


@pytest.fixture(scope="module")
def riverside_events(tmp_path_factory):
    """The Riverside example logs loaded into a project, as an Ibis table."""
    folder = tmp_path_factory.mktemp("riverside")
    with Project.create(folder, user="ana") as project:
        project.load_logs(RIVERSIDE / "logs" / "events", RIVERSIDE / "logs" / "mapping.yaml")
    events = connect(folder)
    yield events
    events.get_backend().disconnect()


def test_alerts_taken_from_another_metric_equal_alert_volume(riverside_events):
    from workbench.logs.mapping import Shifts

    cells = metric_cells(riverside_events, ["stale_share", "alerts"], period="week",
                         by=["unit"], shifts=Shifts())
    # The reference: each metric run on its own, joined on its cells (the code before).
    keys = ["bucket_start", "unit"]
    expected = stale_input_share(riverside_events, bucket="week", by=("unit",))[
        [*keys, "stale_share"]].merge(
        alert_volume(riverside_events, bucket="week", by=("unit",))[[*keys, "alerts"]],
        on=keys, how="outer").sort_values(keys, kind="stable", ignore_index=True)
    pdt.assert_frame_equal(cells, expected)
    assert cells["alerts"].sum() > 0
