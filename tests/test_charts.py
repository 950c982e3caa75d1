"""Charts carry the numbers of the table they draw, written on the marks."""

from __future__ import annotations

from tests.conftest import P01, span
from workbench.charts import cooccurrence_heatmap, frequency_bars, matrix_heatmap


def _layers(spec):
    return spec.get("layer") or spec["spec"]["layer"]


def test_coding_charts_draw_the_query_results(coded, tmp_path):
    project, docs = coded
    doc = docs["interview_P01.txt"]
    project.code(doc, *span(P01, "I checked the labs by hand."), "manual-verification")
    project.code(doc, *span(P01, "I checked the labs by hand. Then"), "repair")
    freq = frequency_bars(project.frequencies("ward"), "ward").to_dict()
    assert freq["facet"]["column"]["field"] == "ward"
    matrix = project.code_matrix("ward")
    spec = matrix_heatmap(matrix, "ward").to_dict()
    text_layer = _layers(spec)[1]
    assert text_layer["mark"]["type"] == "text"
    assert text_layer["encoding"]["text"]["field"] == "codings"
    pairs = project.cooccurrence("overlap")
    heat = cooccurrence_heatmap(pairs, project.codes())
    data = next(iter(heat.to_dict()["datasets"].values()))
    # The two codings overlap: one pair, listed in both orders, by code name.
    assert sorted((d["code_a"], d["n"]) for d in data) == [("Manual verification", 1),
                                                          ("Repair work", 1)]
    heat.save(str(tmp_path / "cooccurrence.html"))
    assert "vega" in (tmp_path / "cooccurrence.html").read_text()


def test_charts_give_each_coder_a_row_of_panels(coded):
    project, docs = coded
    doc = docs["interview_P01.txt"]
    for coder in ("ana", "ben"):
        project.code(doc, *span(P01, "I checked the labs by hand."), "manual-verification",
                     coder=coder)
        project.code(doc, *span(P01, "I checked the labs by hand. Then"), "repair",
                     coder=coder)
    freq = frequency_bars(project.frequencies("ward", coder="all"), "ward").to_dict()
    assert freq["facet"]["row"]["field"] == "coder"
    matrix = matrix_heatmap(project.code_matrix("ward", coder="all"), "ward").to_dict()
    assert matrix["facet"]["row"]["field"] == "coder"
    heat = cooccurrence_heatmap(project.cooccurrence("overlap", coder="all")).to_dict()
    assert heat["facet"]["row"]["field"] == "coder"
    # Per coder, one overlapping pair in both orders: 2 rows each for ana and ben, none
    # across coders (ana's repair does not pair with ben's manual verification).
    data = next(iter(heat["datasets"].values()))
    assert sorted((d["coder"], d["n"]) for d in data) == [("ana", 1), ("ana", 1),
                                                          ("ben", 1), ("ben", 1)]
