"""The generator is seeded and documented; charts mark the timeline on a metric's series."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from tests.logs.conftest import RIVERSIDE_LOGS
from workbench.logs import compute, metric_chart, timeline_marks
from workbench.logs.generate import EXPORT_COLUMNS, riverside, synthetic

#: The example case's timeline; a chart draws it only when given.
TIMELINE = RIVERSIDE_LOGS.parent / "timeline.yaml"


def test_the_committed_example_is_what_seed_7_generates(tmp_path):
    folder = riverside(tmp_path, seed=7)
    for part in sorted((RIVERSIDE_LOGS / "events").rglob("*.parquet")):
        again = folder / part.relative_to(RIVERSIDE_LOGS / "events")
        assert pq.read_table(again).equals(pq.read_table(part)), part.name


def test_a_synthetic_log_has_exactly_the_events_asked_for(tmp_path):
    folder = synthetic(tmp_path / "big", 50_000, seed=3, rows_per_file=20_000)
    files = sorted(folder.glob("*.parquet"))
    assert len(files) == 3
    table = ds.dataset(folder).to_table()
    assert table.num_rows == 50_000 and table.schema.names == list(EXPORT_COLUMNS)
    ids = table.column("EVT_ID").to_pylist()
    assert len(set(ids)) == len(ids)


def test_a_chart_marks_the_timeline_events(riverside):
    frame = compute(riverside, "time_to_acknowledge", bucket="day")
    assert "threshold-change" not in json.dumps(metric_chart(frame, "median_minutes").to_dict())
    spec = metric_chart(frame, "median_minutes", timeline=TIMELINE).to_dict()
    text = json.dumps(spec)
    assert "lab-interface-outage" in text and "threshold-change" in text
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["rect", "line", "rule", "text"]
    marks = timeline_marks(TIMELINE)
    outage = marks.set_index("id").loc["lab-interface-outage"]
    assert str(outage["start"]) == "2025-03-31 06:40:00" and str(outage["end"]) == (
        "2025-04-03 14:10:00")


def _with_tie_order(monkeypatch, kind: str) -> None:
    """Make every sort that does not ask for a stable one break ties the ``kind`` way.

    pandas' and numpy's default sort (introsort) leaves rows with equal keys in an order that
    can change between library versions; a generator whose output depends on that order gives
    other data on another machine (issue 13, item 9: 23,048 vs 23,049 March rows). Forcing two
    different tie orders exposes every sort whose keys are incomplete.
    """
    def forcing(original):
        def sort(*args, **kwargs):
            if kwargs.get("kind") not in ("stable", "mergesort"):
                kwargs["kind"] = kind
            return original(*args, **kwargs)
        return sort

    for owner, name in ((pd.DataFrame, "sort_values"), (pd.Series, "sort_values"),
                        (np, "sort"), (np, "argsort")):
        monkeypatch.setattr(owner, name, forcing(getattr(owner, name)))


def test_the_generator_does_not_depend_on_how_ties_are_broken(tmp_path, monkeypatch):
    with monkeypatch.context() as patched:
        _with_tie_order(patched, "heapsort")
        heap = pq.read_table(riverside(tmp_path / "heap", seed=7).parent / "events")
    with monkeypatch.context() as patched:
        _with_tie_order(patched, "mergesort")
        merge = pq.read_table(riverside(tmp_path / "merge", seed=7).parent / "events")
    assert heap.num_rows == merge.num_rows
    assert heap.equals(merge)
