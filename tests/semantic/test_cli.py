"""The ``workbench similar`` command."""

from __future__ import annotations

from workbench.cli import main


def test_similar_prints_the_passages_best_first(interviews, offline_models, capsys):
    interviews.close()
    assert main(["similar", str(interviews.path), "the lab results are checked by hand",
                 "--top", "2", "--backend", "tfidf-svd"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:3] == ["score", "document", "speaker"]
    assert len(lines) == 3 and all("interview_P02.txt" in line for line in lines[1:])


def test_similar_reports_a_bad_query_plainly(interviews, capsys):
    interviews.close()
    assert main(["similar", str(interviews.path), " ", "--backend", "tfidf-svd"]) == 1
    assert capsys.readouterr().err.startswith("error: WB-SEMANTIC-006")
