"""Topics against codes on planted corpora: planted themes are recovered and match their
codes; with no theme planted, no structure is claimed; an uncoded theme becomes a candidate
code that one call adds to the codebook."""

from __future__ import annotations

from sklearn.metrics import adjusted_rand_score

from tests.topics.conftest import BACKEND, THEMES, build


def test_planted_themes_are_found_and_match_their_codes(planted):
    project = planted.project
    assigned = project.topics("turn", where={"speaker": planted.participants}, backend=BACKEND)
    run = project.topic_run()
    # n_topics not given: PCA + k-means (the default method) with k chosen by the silhouette;
    # four themes were planted (tests/topics/conftest.py)
    assert run.method == "pca-kmeans" and run.n_topics == 4
    assert len(assigned) == 120  # 12 interviews x 10 participant turns
    recovered = assigned.merge(planted.turns, on=["doc_id", "start", "end"])
    assert adjusted_rand_score(recovered["theme"], recovered["topic"]) > 0.9
    agreement = project.topic_code_agreement().iloc[0]
    assert agreement["adjusted_rand"] > 0.9 and agreement["nmi"] > 0.9
    assert agreement["segments"] == 120 and agreement["codes"] == 4
    best = project.topics_against_codes().query("best")
    # each topic's best code is a different one of the four, and nearly all of its segments
    assert sorted(best["code_id"]) == sorted(THEMES)
    assert (best["precision"] > 0.9).all()
    # each topic's terms are its theme's words: the heaviest term is in one vocabulary
    table = project.topic_table()
    for _, row in table.iterrows():
        code = best.set_index("topic").loc[row["topic"], "code_id"]
        assert row["terms"].split(" ")[0] in THEMES[code]
        assert row["example_speaker"].startswith("P")
    assert project.candidate_codes().empty, "every topic is covered by a code"


def test_with_no_theme_planted_topics_and_codes_do_not_agree(project, tmp_path):
    null = build(project, tmp_path / "files", themed=False, seed=3)
    null.project.topics("turn", n_topics=4, where={"speaker": null.participants},
                        backend=BACKEND)
    agreement = null.project.topic_code_agreement().iloc[0]
    # codes drawn independently of the words: the adjusted Rand index is 0 in expectation
    # (Hubert & Arabie 1985); NMI has a small positive bias on 120 segments (Vinh et al. 2010)
    assert abs(agreement["adjusted_rand"]) < 0.05
    assert agreement["nmi"] < 0.1
    # the structure search itself reports weak separation: silhouettes near 0
    auto = null.project.topics("turn", where={"speaker": null.participants}, backend=BACKEND)
    silhouettes = null.project.topic_run(auto["run_id"][0]).parameters[
        "method_settings"]["silhouette"]
    assert max(silhouettes.values()) < 0.2


def test_an_uncoded_theme_is_offered_and_added_as_a_candidate_code(project, tmp_path):
    corpus = build(project, tmp_path / "files", code=("alarms", "labs", "staffing"))
    assigned = corpus.project.topics("turn", where={"speaker": corpus.participants},
                                     backend=BACKEND)
    candidates = corpus.project.candidate_codes()
    # 'families' was planted but not coded: the one topic no code covers
    assert len(candidates) == 1
    candidate = candidates.iloc[0]
    assert candidate["coverage"] == 0
    assert set(candidate["name"].split(" / ")) <= set(THEMES["families"])
    assert len(candidate["examples"]) == 3 and candidate["examples"][0].startswith('"')
    families = corpus.turns[corpus.turns["theme"] == "families"]
    members = assigned[assigned["topic"] == candidate["topic"]]
    assert len(members.merge(families, on=["doc_id", "start"])) == len(families)

    before = corpus.project.codebook_versions()
    topic = int(candidate["topic"])
    added = corpus.project.add_candidate_codes([topic], names={topic: "Visiting relatives"})
    assert [code.name for code in added] == ["Visiting relatives"]
    assert "Visiting relatives" in set(corpus.project.codes()["name"])
    versions = corpus.project.codebook_versions()
    assert len(versions) == len(before) + 1
    run_id = assigned["run_id"][0]
    assert run_id in versions["changelog"].iloc[-1]
    assert "Added 'Visiting relatives'" in versions["changelog"].iloc[-1]
    assert added[0].examples[0] == candidate["examples"][0]
