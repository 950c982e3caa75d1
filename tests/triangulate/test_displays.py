"""Joint displays: small tables whose rows are counted by hand, then the Riverside case, whose
expected facts come from corpora/riverside/timeline.yaml (the lab-interface outage, 31 March -
3 April 2025, worst on 4N)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from tests.triangulate.conftest import example_without_inferences
from workbench.cli import main
from workbench.errors import ProjectError, TriangulationError
from workbench.triangulate import displays

REPAIR = ["manual-verification", "workarounds"]
WEEK = pd.Timedelta(days=7)


# Small tables, counted by hand ---------------------------------------------------------------

TEXT = "Ana: Ça a planté lundi.\nBo: On a vérifié à la main."
TURNS = pd.DataFrame({"doc_id": ["d1", "d1"], "start": [5, 28], "end": [23, 51],
                      "speaker": ["Ana", "Bo"]})


def coding(coding_id, start, end, **more):
    return {"coding_id": coding_id, "doc_id": "d1", "document": "interview.txt",
            "start": start, "end": end, **more}


def test_quotes_are_exact_slices_with_their_speaker_and_date():
    codings = pd.DataFrame([coding("c1", 5, 23), coding("c2", 33, 50)])
    quotes = displays.sourced_quotes(codings, {"d1": TEXT}, TURNS, {"d1": "2025-04-28"})
    assert quotes["quote"].tolist() == [TEXT[5:23], TEXT[33:50]]
    assert quotes["quote"].iloc[1] == "vérifié à la main"
    # c1 starts in Ana's turn (5-23), c2 in Bo's (28-51).
    assert quotes["speaker"].tolist() == ["Ana", "Bo"]
    assert set(quotes["date"]) == {"2025-04-28"}


def cells(values, words):
    return pd.DataFrame({"unit": ["4N", "5E", "6W", "4N"],
                         "bucket_start": pd.to_datetime(["2025-03-31"] * 3 + ["2025-04-07"]),
                         "words": words, "has_material": [w > 0 for w in words],
                         "stale_share": values})


def evidence(rows):
    frame = pd.DataFrame([coding(i, s, e, unit=u, bucket_start=pd.Timestamp(b), code=c)
                          for i, s, e, u, b, c in rows])
    return displays.sourced_quotes(frame, {"d1": TEXT}, TURNS, {"d1": "2025-04-28"})


def test_statistics_by_theme_keeps_a_group_without_material():
    grid = cells([0.6, 0.5, 0.1, 0.2], [100, 0, 200, 0])
    coded = evidence([("c1", 5, 23, "4N", "2025-03-31", "workarounds"),
                      ("c2", 33, 50, "4N", "2025-03-31", "workarounds")])
    table = displays.by_theme(grid, coded, ["workarounds"], "stale_share", by=["unit"],
                              split=0.5).set_index("group")
    # high: 4N and 5E week of 31 March (0.6, 0.5 >= 0.5): 100 words, 2 codings -> 20 per 1,000.
    assert table.loc["high", ["cells", "words", "codings"]].tolist() == [2, 100, 2]
    assert table.loc["high", "per_1000"] == pytest.approx(20.0)
    assert table.loc["high", "quote"] == TEXT[5:23]
    # low: 6W (200 words, nothing coded) and 4N a week later (no material).
    assert table.loc["low", "per_1000"] == 0 and table.loc["low", "codings"] == 0
    assert table.loc["low", "reason"] == "material, but no passage coded with this code"
    empty = displays.by_theme(cells([0.6, 0.5, 0.1, 0.2], [100, 0, 0, 0]), coded,
                              ["workarounds"], "stale_share", by=["unit"], split=0.5)
    low = empty.set_index("group").loc["low"]
    assert np.isnan(low["per_1000"]) and low["reason"] == "no material in this group"


def test_case_ordered_sorts_by_the_metric_and_says_why_a_cell_is_empty():
    grid = cells([0.6, np.nan, 0.1, 0.2], [100, 50, 0, 30])
    coded = evidence([("c1", 5, 23, "4N", "2025-03-31", "workarounds"),
                      ("c2", 33, 50, "4N", "2025-03-31", "manual-verification"),
                      ("c3", 29, 31, "4N", "2025-03-31", "workarounds")])
    table = displays.case_ordered(grid, coded, "stale_share", by=["unit"])
    # 0.6 (4N), 0.2 (4N next week), 0.1 (6W), then 5E without a value.
    assert table["unit"].tolist() == ["4N", "4N", "6W", "5E"]
    assert table.loc[0, "codes"] == "workarounds (2), manual-verification (1)"
    assert table.loc[0, "quote"] == TEXT[5:23] and table.loc[0, "speaker"] == "Ana"
    assert table["reason"].tolist()[1:] == ["material, but nothing coded with these codes",
                                            "no material in this cell", "no log value"]


INFERENCES = pd.DataFrame({
    "inference_id": ["inf-1", "inf-2"], "claim": ["Nurses re-checked labs by hand", "old"],
    "fit": ["confirmation", "discordance"], "theme": ["Workarounds", "workarounds"],
    "qualitative": [["workarounds"], []], "quantitative": [None, None], "rationale": ["", ""],
    "author": ["ana", "ana"], "status": ["active", "retracted"], "flags": ["", ""]})


def test_side_by_side_shows_a_theme_without_quotes_and_the_active_inference():
    coded = evidence([("c1", 5, 23, "4N", "2025-03-31", "workarounds")]).assign(
        theme="workarounds")
    grid = cells([0.6, 0.5, 0.1, 0.2], [100, 0, 0, 0])
    table = displays.side_by_side({"workarounds": "stale_share", "trust": "stale_share"},
                                  grid, coded, inferences=INFERENCES, per_theme=3)
    work = table[table["theme"] == "workarounds"].iloc[0]
    # mean of 0.6, 0.5, 0.1, 0.2 = 0.35; the interval lies within the values' range.
    assert work["value"] == pytest.approx(0.35) and 0.1 <= work["ci_low"] < 0.35
    # The retracted inf-2 is not shown; the theme matches whatever its case.
    assert (work["fit"], work["inference_id"]) == ("confirmation", "inf-1")
    assert pd.isna(work["reason"])
    trust = table[table["theme"] == "trust"]
    assert len(trust) == 1 and pd.isna(trust["quote"].iloc[0])
    assert trust["reason"].iloc[0] == "no coded passage for this theme; no meta-inference " \
                                      "recorded"


def test_timeline_marks_a_minute_as_a_point_and_a_shift_as_a_span():
    grid = cells([0.6, 0.5, 0.1, 0.2], [100, 0, 0, 0])
    coded = evidence([("c1", 5, 23, "4N", "2025-03-31", "workarounds"),
                      ("c2", 33, 50, "4N", "2025-03-31", "workarounds")])
    coded["t_start"] = pd.to_datetime(["2025-03-31 02:10", "2025-03-31 07:00"])
    coded["t_end"] = pd.to_datetime(["2025-03-31 02:11", "2025-03-31 19:00"])
    coded["precision"] = ["minute", "shift"]
    events = pd.DataFrame({"event_id": ["outage", "go-live"],
                           "start": pd.to_datetime(["2025-03-31 06:40", "2025-03-03 07:00"]),
                           "end": pd.to_datetime(["2025-04-03 14:10", "2025-03-03 07:00"]),
                           "units": [("4N",), ()], "open_ended": [False, False],
                           "moment": [False, True]})
    table = displays.timeline_display(grid, coded, events, "stale_share", period_length=WEEK)
    marks = table[table["layer"] == "coding"].set_index("coding_id")["mark"]
    assert marks.to_dict() == {"c1": "point", "c2": "span"}
    bands = table[table["layer"] == "event"]
    # The outage touched 4N only; go-live (no units listed) every unit: 1 + 3 bands.
    assert sorted(bands["label"]) == ["go-live"] * 3 + ["outage"]
    assert (table["layer"] == "metric").sum() == 4


# The Riverside case ------------------------------------------------------------------------



def assert_exact_quotes(project, table):
    quoted = table.dropna(subset=["coding_id"])
    codings = project.codings().set_index("coding_id")
    for row in quoted.itertuples(index=False):
        coded = codings.loc[row.coding_id]
        text = project.document(coded["doc_id"]).text
        assert row.quote == text[coded["start"]:coded["end"]]
        assert row.document == coded["document"]
    return quoted


def test_the_outage_week_on_4n_leads_the_case_ordered_display(riverside):
    shown = riverside.display("case-ordered", metric="stale_share", codes=REPAIR,
                              coder="ana")
    top = shown.data.iloc[0]
    # timeline.yaml: the outage (31 March - 3 April) was worst on 4N; its week starts 31 March.
    assert (top["unit"], top["bucket_start"]) == ("4N", pd.Timestamp("2025-03-31"))
    assert "manual-verification" in top["codes"] and pd.notna(top["quote"])
    # 3 wards x 12 weeks of logs: every cell is a row, empty ones with their reason.
    assert len(shown.data) == 36
    assert shown.data.loc[shown.data["quote"].isna(), "reason"].notna().all()
    assert_exact_quotes(riverside, shown.data)


def test_side_by_side_quotes_name_speaker_and_date(riverside):
    shown = riverside.display("side-by-side", themes={"manual-verification": "stale_share"},
                              coder="ana")
    quoted = assert_exact_quotes(riverside, shown.data)
    assert len(quoted) == 3  # per_theme=3 by default
    turns = riverside.segments("turn")
    dates = riverside.documents().set_index("name")["date"]
    for row in quoted.itertuples(index=False):
        assert row.date == dates[row.document]
        spoken = turns[turns["document"] == row.document]
        if len(spoken):
            assert row.speaker in set(spoken["speaker"])
    # The example records ana's meta-inference on manual verification during the outage
    # (corpora/riverside/inferences.yaml, entry 1, fit agreement): the theme shows its fit.
    assert set(shown.data["fit"]) == {"agreement"}
    assert shown.data["reason"].isna().all()


def test_side_by_side_shows_a_recorded_meta_inference_with_its_evidence(tmp_path):
    from workbench import Project

    # Without the example's own meta-inferences, so the one recorded here is the only one.
    with Project.open(example_without_inferences(tmp_path / "study")) as project:
        query = {"metric": "stale_share", "period": "week", "by": "unit",
                 "filters": {"unit": "4N", "bucket_start": "2025-03-31"}}
        made = project.infer("During the outage 4N nurses re-checked labs by hand.",
                             fit="confirmation", qualitative=["manual-verification"],
                             quantitative=query)
        shown = project.display("side-by-side", themes={"manual-verification": "stale_share"},
                                coder="ana").data
        # The same cell from the logs module itself: 4N, the week of Monday 31 March.
        stale = project.metrics("stale_input_share", bucket="week", by=["unit"])
    expected = stale[(stale["unit"] == "4N") &
                     (stale["bucket_start"] == "2025-03-31")]["stale_share"].iloc[0]
    assert set(shown["fit"]) == {"confirmation"} and set(shown["inference_id"]) == {made}
    evidence = shown["inference_evidence"].iloc[0]
    assert evidence.startswith("stale_share (") and evidence.endswith(f"= {expected:.4g}")
    assert shown["reason"].isna().all()


def test_repair_talk_is_denser_where_stale_share_is_high(riverside):
    shown = riverside.display("by-theme", metric="stale_share", codes=REPAIR, coder="ana")
    table = shown.data.set_index(["code", "group"])
    for code in REPAIR:
        high, low = table.loc[(code, "high")], table.loc[(code, "low")]
        assert high["per_1000"] > low["per_1000"]
        assert high["per_1000"] == pytest.approx(high["codings"] / high["words"] * 1000)
    # 36 cells split at the median: 18 high, 18 low.
    assert table.xs("manual-verification")["cells"].tolist() == [18, 18]


def test_the_timeline_uses_the_projects_own_events(riverside):
    shown = riverside.display("timeline", metric="stale_share", codes=REPAIR, coder="ana")
    table = shown.data
    labels = set(table.loc[table["layer"] == "event", "label"])
    assert labels == set(riverside.timeline()["event_id"])
    coded = table[table["layer"] == "coding"]
    # A field-note jotting ("02:10 - ...") is a minute: a point; an interview passage placed
    # by a reference to the outage (three and a half days) is a span.
    assert set(coded.loc[coded["precision"] == "minute", "mark"]) == {"point"}
    assert set(coded.loc[coded["precision"] == "reference", "mark"]) == {"span"}
    outage = table[(table["layer"] == "event") & (table["label"] == "lab-interface-outage")]
    assert set(outage["unit"]) == {"4N", "5E", "6W"}


def test_an_exported_display_loads_nothing_from_the_network(riverside, tmp_path):
    shown = riverside.display("case-ordered", metric="stale_share", codes=REPAIR,
                              coder="ana")
    page = shown.save(tmp_path / "cases.html").read_text(encoding="utf-8")
    # Every script is inline; outside the scripts, only data: URIs and in-page links.
    assert not re.search(r"<script[^>]*\bsrc=", page)
    markup = re.sub(r"<script[^>]*>.*?</script>", "", page, flags=re.S)
    sources = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)""", markup)
    assert all(s.startswith(("data:", "#")) for s in sources), sources
    assert "cdn.jsdelivr" not in page and "esm.sh" not in page
    assert '<noscript><img alt="workbench: case-ordered display" src="data:image/png;base64,' \
        in page
    assert "4N" in page and "<table" in page
    assert shown.save(tmp_path / "cases.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "<svg" in shown.save(tmp_path / "cases.svg").read_text(encoding="utf-8")[:400]
    with pytest.raises(ProjectError, match=r"WB-PROJECT-020: cases.pdf: .*\.html, \.png, \.svg"):
        shown.save(tmp_path / "cases.pdf")
    assert not (tmp_path / "cases.pdf").exists()


def test_bad_display_options_are_refused_with_the_allowed_values(riverside):
    with pytest.raises(TriangulationError, match="WB-TRIANGULATE-080: .*side-by-side, "
                                                 "by-theme, case-ordered, timeline"):
        riverside.display("pie")
    with pytest.raises(TriangulationError, match="WB-TRIANGULATE-081"):
        riverside.display("timeline", codes=REPAIR, coder="ana")
    with pytest.raises(TriangulationError, match="WB-TRIANGULATE-083"):
        riverside.display("by-theme", metric="stale_share", codes=REPAIR, split="shift",
                          coder="ana")
    with pytest.raises(TriangulationError, match="WB-TRIANGULATE-082"):
        riverside.display("side-by-side", coder="ana")


def test_the_display_command_writes_an_offline_page(riverside, tmp_path, capsys):
    out = tmp_path / "side.html"
    assert main(["display", str(riverside.path), "--kind", "side-by-side", "--themes",
                 "manual-verification=stale_share,workarounds=stale_share", "--coder", "ana",
                 "--out", str(out)]) == 0
    assert "wrote the side-by-side display" in capsys.readouterr().out
    assert "manual-verification" in out.read_text(encoding="utf-8")
    assert main(["display", str(riverside.path), "--kind", "side-by-side", "--themes",
                 "manual-verification", "--coder", "ana"]) != 0
    assert "WB-TRIANGULATE-085" in capsys.readouterr().err
