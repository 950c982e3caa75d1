"""Agreement, disagreements and reconciliation on a project coded by two people."""

from __future__ import annotations

import pytest

from tests.conftest import P01, span
from workbench.errors import ReliabilityError

ANA = [("I checked the labs by hand.", "manual-verification"),
       ("a paper list", "workaround"),
       ("too many alerts", "alert-fatigue")]
BEN = [("checked the labs", "manual-verification"),
       ("Not that week.", "trust"),
       ("There were too many alerts", "alert-fatigue")]


@pytest.fixture
def two_coders(coded):
    project, docs = coded
    doc = docs["interview_P01.txt"]
    for coder, passages in (("ana", ANA), ("ben", BEN)):
        for passage, code in passages:
            project.code(doc, *span(P01, passage), code, coder=coder)
    return project, docs


def test_sentence_agreement_per_code_and_overall(two_coders):
    project, _ = two_coders
    table = project.agreement(["ana", "ben"]).set_index("code_id")
    # P01 has 6 sentences (tests/conftest.py). Both coders put manual verification in the
    # second and alert fatigue in the sixth: perfect agreement.
    assert table.loc["manual-verification", "alpha"] == pytest.approx(1)
    assert table.loc["alert-fatigue", "kappa"] == pytest.approx(1)
    # Workaround: ana in 1 of 6 sentences, ben in none. Coincidences o00=10, o01=o10=1:
    # D_o = 2/12 = D_e = 2*11*1/(12*11), so alpha = 0; agreement 5/6; Cohen's kappa 0.
    assert table.loc["workaround", "alpha"] == pytest.approx(0, abs=1e-12)
    assert table.loc["workaround", "percent_agreement"] == pytest.approx(5 / 6)
    assert table.loc["workaround", "kappa"] == pytest.approx(0, abs=1e-12)
    assert table.loc["workaround", ["coded_by_ana", "coded_by_ben"]].tolist() == [1, 0]
    # Pooled over the 4 codes (24 units): o11=4, o01=o10=2, o00=40, n=48;
    # alpha = 1 - (4/48) / (2*42*6/(48*47)) = 79/126.
    assert table.loc["(all codes)", "alpha"] == pytest.approx(79 / 126, abs=1e-9)
    # manual verification: all 6 sentences agree, 5 of them because nobody coded them.
    assert table.loc["manual-verification", "agreement_on_uncoded"] == pytest.approx(5 / 6)
    assert table.loc["manual-verification", "ci_low"] <= 1


def test_character_agreement_counts_uncoded_text_and_says_so(two_coders):
    project, docs = two_coders
    length = len(project.document(docs["interview_P01.txt"]).text)
    table = project.agreement(["ana", "ben"], unit="character").set_index("code_id")
    # Alert fatigue by character: 15 characters both coded ("too many alerts"), 11 only ben
    # ("There were "), the rest nobody: o11=30, o01=o10=11, o00=2*(L-26), n=2L.
    n = 2 * length
    n1 = 30 + 11
    expected = 1 - (22 / n) / (2 * (n - n1) * n1 / (n * (n - 1)))
    assert table.loc["alert-fatigue", "alpha"] == pytest.approx(expected, abs=1e-9)
    assert table.loc["alert-fatigue", "units"] == length
    assert table.loc["alert-fatigue", "agreement_on_uncoded"] > 0.8


def test_the_suggester_is_measured_as_a_coder(two_coders):
    project, _ = two_coders
    project.suggest()
    table = project.agreement(["ana", "suggestions"]).set_index("code_id")
    # Suggestions fall on the sentences ana coded for manual verification, workaround and
    # alert fatigue; its trust suggestion is the interviewer's question, which ana left.
    assert table.loc[["manual-verification", "workaround", "alert-fatigue"], "alpha"].tolist() \
        == pytest.approx([1, 1, 1])
    assert table.loc["trust", "alpha"] == pytest.approx(0, abs=1e-12)


def test_unitizing_agreement_runs_on_the_project_spans(two_coders):
    project, _ = two_coders
    table = project.unitizing_agreement(["ana", "ben"]).set_index("code")
    assert {"manual-verification", "alert-fatigue", "(all codes)"} <= set(table.index)
    assert table["u_alpha"].between(-1, 1).all()


def test_disagreements_list_text_and_who_applied_what(two_coders):
    project, _ = two_coders
    table = project.disagreements(["ana", "ben"])
    assert table[["text", "code_id", "ana", "ben"]].values.tolist() == [
        ["Then we kept a paper list on the whiteboard.", "workaround", True, False],
        ["Not that week.", "trust", False, True]]


def test_reconcile_builds_the_consensus_layer_used_by_default(two_coders):
    project, _ = two_coders
    ids = project.disagreements(["ana", "ben"]).set_index("code_id")["disagreement_id"]
    summary = project.reconcile(["ana", "ben"], {ids["workaround"]: "ana",
                                                 ids["trust"]: "neither"})
    assert dict(summary.values.tolist()) == {"agreed": 2, "ana": 1}
    consensus = project.codings()
    assert set(consensus["coder"]) == {"consensus"}
    assert sorted(consensus["text"]) == ["I checked the labs by hand.", "a paper list",
                                         "too many alerts"]
    assert len(project.codings(coder="*")) == 9
    assert (project.history()["action"] == "reconcile").sum() == 2
    # Reconciling again replaces the layer: now keep ben's trust coding too.
    project.reconcile(["ana", "ben"], {ids["trust"]: "both"}, default="ana")
    assert "Not that week." in project.codings()["text"].tolist()


def test_bad_reliability_requests_are_refused(two_coders):
    project, _ = two_coders
    with pytest.raises(ReliabilityError, match="two or more coders"):
        project.agreement(["ana"])
    with pytest.raises(ReliabilityError, match="no codings by carl"):
        project.agreement(["ana", "carl"])
    with pytest.raises(ReliabilityError, match="unit='word' is not one of"):
        project.agreement(["ana", "ben"], unit="word")
    with pytest.raises(ReliabilityError, match="have no decision"):
        project.reconcile(["ana", "ben"], {})
    with pytest.raises(ReliabilityError, match="'maybe' is not one of"):
        project.reconcile(["ana", "ben"], {}, default="maybe")
    assert project.codings(coder="consensus").empty


def test_agreement_charts_and_command(two_coders, capsys):
    from workbench.charts import agreement_chart, disagreement_heatmap
    from workbench.cli import main

    project, _ = two_coders
    chart = agreement_chart(project.agreement(["ana", "ben"])).to_dict()
    data = next(iter(chart["datasets"].values()))
    assert {d["code"] for d in data} >= {"Workaround", "(all codes)"}
    heat = disagreement_heatmap(project.disagreements(["ana", "ben"])).to_dict()
    assert sorted(d["n"] for d in next(iter(heat["datasets"].values()))) == [1, 1]
    assert main(["agreement", str(project.path), "--coders", "ana,ben", "--unit",
                 "character"]) == 0
    out = capsys.readouterr().out
    assert "agreement_on_uncoded" in out and "every uncoded character" in out


def test_unit_bootstrap_interval_is_exact_in_the_middle_and_narrows_with_units():
    import numpy as np

    from workbench.reliability import krippendorff_alpha
    from workbench.reliability.agreement import binary_alpha_interval

    rng = np.random.default_rng(3)
    truth = rng.random(400) < 0.3
    noise = rng.random((3, 400)) < 0.1
    table = (truth ^ noise).astype(np.int8)  # three coders, 10% random flips each
    low, high = binary_alpha_interval(table, n_boot=4000, seed=1)
    alpha = krippendorff_alpha(table)
    assert low < alpha < high
    # The same pattern of units repeated 16 times: same alpha, interval about 4x narrower
    # (the bootstrap standard error falls with the square root of the number of units).
    big = np.tile(table, 16)
    low16, high16 = binary_alpha_interval(big, n_boot=4000, seed=1)
    assert krippendorff_alpha(big) == pytest.approx(alpha, abs=0.01)
    assert (high - low) / (high16 - low16) == pytest.approx(4, rel=0.2)
    # A brute-force bootstrap (resampling unit indices) agrees on the interval.
    draws = rng.integers(0, 400, size=(1500, 400))
    brute = np.array([krippendorff_alpha(table[:, d]) for d in draws])
    assert np.percentile(brute, [2.5, 97.5]) == pytest.approx([low, high], abs=0.02)
