"""Reading a run: topic shares by attribute and over time, their charts, and the
``workbench topics`` command."""

from __future__ import annotations

import pytest

from tests.topics.conftest import BACKEND, build
from workbench.charts import topic_heatmap, topic_sizes, topics_over_time_chart
from workbench.cli import main
from workbench.errors import TopicsError


@pytest.fixture
def dated(project, tmp_path):
    """Twelve planted interviews dated 15 January, February or March 2025 in turn, topics
    found among the participants' turns."""
    corpus = build(project, tmp_path / "files", dates=True)
    corpus.project.topics("turn", n_topics=4, where={"speaker": corpus.participants},
                          backend=BACKEND)
    return corpus


def test_shares_by_speaker_and_over_time_add_up(dated):
    project = dated.project
    shares = project.topic_shares("speaker")
    # each of the 12 participants spoke 10 turns (tests/topics/conftest.py)
    assert shares.groupby("speaker")["segments"].sum().tolist() == [10] * 12
    assert shares.groupby("speaker")["share"].sum().round(9).eq(1).all()
    over_time = project.topics_over_time("month")
    # interviews 0, 3, 6, 9 are dated January, 1, 4, 7, 10 February, the rest March: 4
    # interviews x 10 turns a month
    assert over_time.groupby("period")["segments"].sum().tolist() == [40, 40, 40]
    assert [str(p.date()) for p in sorted(over_time["period"].unique())] == [
        "2025-01-01", "2025-02-01", "2025-03-01"]
    assert over_time.attrs["undated"] == 0
    with pytest.raises(TopicsError, match="WB-TOPICS-008: every='fortnight'"):
        project.topics_over_time("fortnight")


def test_charts_carry_the_run_tables(dated, tmp_path):
    project = dated.project
    table = project.topic_table()
    sizes = topic_sizes(table).to_dict()
    data = next(iter(sizes["datasets"].values()))
    assert sorted(d["size"] for d in data) == sorted(table["size"])
    assert sum(d["size"] for d in data) == 120  # every participant turn is in one topic
    heat = topic_heatmap(project.topic_shares("document"), "document")
    assert heat.to_dict()["layer"][1]["encoding"]["text"]["field"] == "share"
    lines = topics_over_time_chart(project.topics_over_time("month"))
    assert lines.to_dict()["facet"]["field"] == "name"
    lines.save(str(tmp_path / "over_time.html"))
    assert "vega" in (tmp_path / "over_time.html").read_text()


def test_undated_documents_cannot_be_placed_in_time(planted):
    planted.project.topics("turn", n_topics=2, where={"speaker": planted.participants},
                           backend=BACKEND)
    with pytest.raises(TopicsError, match="WB-TOPICS-009: no document of this run has a date"):
        planted.project.topics_over_time()


def test_the_topics_command_prints_the_table(planted, capsys):
    folder = str(planted.project.path)
    assert main(["topics", folder, "--unit", "turn", "--n-topics", "5", "--backend",
                 BACKEND]) == 0
    out = capsys.readouterr().out
    # 240 turns: 120 participants' and 120 interviewer questions, all "Tell me more."
    assert "240 turn segments, 5 topics, method pca-kmeans, backend tfidf-svd, seed 0" in out
    assert "example_document" in out and "interview_P" in out
    with pytest.raises(SystemExit):  # argparse refuses a unit not in its choices
        main(["topics", folder, "--unit", "word"])
    assert main(["topics", folder, "--n-topics", "1"]) == 1
    assert "WB-TOPICS-003" in capsys.readouterr().err


def test_where_and_shares_read_participants_attributes(planted, tmp_path):
    # a participants sidecar as Riverside's: P00-P05 nurses with 4 years, P06-P11 doctors
    # with 10 (text and a whole number, read back as stored)
    rows = ["participant_id,role,tenure_years,file"] + [
        f"P{n:02d},{'nurse' if n < 6 else 'doctor'},{4 if n < 6 else 10},interview_P{n:02d}.txt"
        for n in range(12)]
    sidecar = tmp_path / "participants.csv"
    sidecar.write_text("\n".join(rows) + "\n", encoding="utf-8")
    project = planted.project
    assert project.import_attributes(sidecar) == []
    nurses = project.topics("turn", n_topics=2, where={"role": "nurse", "speaker":
                                                       planted.participants}, backend=BACKEND)
    assert sorted(nurses["document"].unique()) == [f"interview_P{n:02d}.txt" for n in range(6)]
    # 6 interviews x 10 participant turns; the whole number matches as written (4, not 4.0)
    assert len(nurses) == 60
    senior = project.topics("turn", n_topics=2, where={"tenure_years": [10]}, backend=BACKEND)
    assert len(senior) == 6 * 20  # 6 interviews x 20 turns (questions included)
    shares = project.topic_shares("role")
    assert shares.groupby("role")["segments"].sum().to_dict() == {"doctor": 120}
