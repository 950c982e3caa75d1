"""discover: the same seed gives the same topics (in one process and across two), small
corpora work and say how, the run is stored and reopens, and bad requests change nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pandas as pd
import pytest

from tests.conftest import REPO, write
from tests.topics.conftest import BACKEND, build
from workbench import Project
from workbench.errors import TopicsError
from workbench.topics import minimum

#: Runs discover in a fresh process on the project given and prints its assignments.
RUN = """
import json, sys
from workbench import Project
with Project.open(sys.argv[1], user="ben") as project:
    frame = project.topics("turn", seed=7, where={"speaker": json.loads(sys.argv[2])},
                           backend="tfidf-svd")
print(frame[["doc_id", "start", "end", "topic"]].to_json(orient="records"))
"""


def _topics(frame: pd.DataFrame) -> list:
    return frame[["doc_id", "start", "end", "topic"]].to_dict("records")


def test_the_same_seed_gives_the_same_topics_in_one_process_and_across_two(planted):
    project, speakers = planted.project, planted.participants
    first = project.topics("turn", seed=7, where={"speaker": speakers}, backend=BACKEND)
    again = project.topics("turn", seed=7, where={"speaker": speakers}, backend=BACKEND)
    assert _topics(first) == _topics(again)
    assert first["run_id"][0] != again["run_id"][0], "each call is a run of its own"
    assert first["closeness"].tolist() == again["closeness"].tolist()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    other = subprocess.run([sys.executable, "-c", RUN, str(project.path), json.dumps(speakers)],
                           env=env, capture_output=True, text=True, check=True, timeout=600)
    assert json.loads(other.stdout.strip().splitlines()[-1]) == _topics(first)
    runs = project.topic_runs()
    assert len(runs) == 3 and set(runs["created_by"]) == {"ana", "ben"}
    terms = [project.topic_table(run)["terms"].tolist() for run in runs["run_id"]]
    assert terms[0] == terms[1] == terms[2]


def test_a_small_corpus_gets_pca_and_kmeans_and_says_so(project, tmp_path):
    # 3 interviews x 10 answers = 30 participant turns: far below what UMAP and HDBSCAN need
    small = build(project, tmp_path / "files", documents=3)
    assigned = small.project.topics("turn", n_topics=3, where={"speaker": small.participants},
                                    backend=BACKEND)
    run = small.project.topic_run()
    assert run.method == "pca-kmeans" and run.n_topics == 3 and run.n_segments == 30
    assert len(assigned) == 30 and set(assigned["topic"]) == {0, 1, 2}
    # topics are numbered by size, largest first (BERTopic's order)
    sizes = assigned["topic"].value_counts().sort_index().tolist()
    assert sizes == sorted(sizes, reverse=True)
    assert run.parameters["method_settings"]["k"] == 3
    # UMAP and HDBSCAN are refused on a corpus this small, saying the minimum (1,000:
    # clustering.SMALL)
    with pytest.raises(TopicsError, match="WB-TOPICS-005: method='umap-hdbscan' needs at "
                                          "least 1000 turn segments and the selection has 30"):
        small.project.topics("turn", method="umap-hdbscan",
                             where={"speaker": small.participants}, backend=BACKEND)


def test_a_run_is_stored_whole_and_reopens_by_id(planted, tmp_path):
    project = planted.project
    turns = project.topics("turn", n_topics=4, where={"speaker": planted.participants},
                           backend=BACKEND)
    sentences = project.topics("sentence", n_topics=2, seed=3, backend=BACKEND)
    run_id = turns["run_id"][0]
    with Project.open(project.path) as reopened:
        runs = reopened.topic_runs()
        assert runs["run_id"].tolist() == [sentences["run_id"][0], run_id]  # newest first
        run = reopened.topic_run(run_id)
        assert (run.unit, run.backend, run.seed, run.n_topics) == ("turn", BACKEND, 0, 4)
        assert run.parameters["n_topics"] == 4
        assert run.parameters["where"] == {"speaker": planted.participants}
        assert run.version.startswith("tfidf-svd") and run.created_by == "ana"
        assert {"bertopic", "scikit-learn", "workbench"} <= set(run.packages)
        pd.testing.assert_frame_equal(reopened.topic_assignments(run_id), turns)
        # c-TF-IDF terms stored per topic, heaviest first
        weights = reopened.topic_table(run_id)["terms"].str.split(", ").map(
            lambda pairs: [float(p.split(" ")[1]) for p in pairs])
        assert all(w == sorted(w, reverse=True) for w in weights)
        assert reopened.topic_run().run_id == sentences["run_id"][0]  # None: the latest


def test_bad_requests_are_refused_and_store_nothing(planted):
    project, speakers = planted.project, planted.participants
    with pytest.raises(TopicsError, match="WB-TOPICS-001: unit='word' is not one of"):
        project.topics("word")
    with pytest.raises(TopicsError, match=r"WB-TOPICS-002: no segment has speaker in \['P99'\]"):
        project.topics("turn", where={"speaker": "P99"}, backend=BACKEND)
    with pytest.raises(TopicsError, match=r"WB-TOPICS-002: no segment has document in "
                       r"\['interview_P02.txt'\] among those .* Values of document there: "
                       r"interview_P01.txt\."):
        project.topics("turn", where={"speaker": "P01", "document": "interview_P02.txt"},
                       backend=BACKEND)
    for bad in (1, 2.5, "3", True):
        with pytest.raises(TopicsError, match="WB-TOPICS-003"):
            project.topics("turn", n_topics=bad)
    with pytest.raises(TopicsError, match="WB-TOPICS-004"):
        project.topics("turn", seed=-1)
    with pytest.raises(TopicsError, match="WB-TOPICS-012: method='lda' is not one of"):
        project.topics("turn", method="lda")
    with pytest.raises(TopicsError, match="WB-TOPICS-012: method='umap-hdbscan' finds"):
        project.topics("turn", method="umap-hdbscan", n_topics=4)
    # one interview has 10 participant turns; 3 topics need 3 x 5 = 15 (clustering.minimum)
    assert minimum(3) == 15 and minimum(None) == 10
    with pytest.raises(TopicsError, match="WB-TOPICS-005: n_topics=3 needs at least 15 turn "
                                          "segments and the selection has 10"):
        project.topics("turn", n_topics=3, where={"speaker": "P01"}, backend=BACKEND)
    with pytest.raises(TopicsError, match="WB-TOPICS-006: the project has no topic run"):
        project.topic_table()
    assert project.topic_runs().empty
    project.topics("turn", n_topics=2, where={"speaker": speakers}, backend=BACKEND)
    with pytest.raises(TopicsError, match="WB-TOPICS-006: no topic run has the id 'topics-x'"):
        project.topic_table("topics-x")
    with pytest.raises(TopicsError, match="WB-TOPICS-011"):
        project.add_candidate_codes([99])
    assert len(project.topic_runs()) == 1


def test_segments_of_stop_words_only_are_refused(project, tmp_path):
    # 12 turns of English stop words only (scikit-learn's list): nothing to name a topic by
    lines = "".join(f"P01: {'It was so.' if n % 2 else 'And then we were there.'}\n"
                    f"P02: {'Why not?' if n % 2 else 'Because of that.'}\n" for n in range(6))
    project.import_files([write(tmp_path, "interview_P01.txt", lines)], kind="interview",
                         progress=False)
    with pytest.raises(TopicsError, match="WB-TOPICS-007: these 12 segments hold no word that "
                                          "is not a stop word"):
        project.topics("turn", n_topics=2, backend=BACKEND)
    assert project.topic_runs().empty
