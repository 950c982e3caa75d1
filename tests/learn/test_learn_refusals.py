"""Learned suggestions refuse what they cannot learn from, and a refusal stores nothing."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from tests.learn.test_learn import BACKEND
from workbench.errors import LearnError, SemanticError
from workbench.learn import MIN_NEGATIVE, MIN_POSITIVE, LearnWarning


def stored(project) -> tuple[int, int, int]:
    """(suggestions, audit entries, cached embedding rows) in the project."""
    conn = project._conn
    return tuple(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                 for table in ("suggestions", "audit", "embeddings"))


def code_other(project, n: int) -> None:
    """ana codes 'other' on the first ``n`` sentences of her first two notes, half in each
    (the folds hold whole documents, so the code must be in more than one)."""
    notes = project.codings(coder="ana")["doc_id"].unique()[:2]
    sentences = [project.segments("sentence", doc_id=doc_id).head(half)
                 for doc_id, half in zip(notes, (n - n // 2, n // 2), strict=True)]
    coded = pd.concat(sentences).assign(code="other")
    project.code_many(coded[["doc_id", "start", "end", "code"]], coder="ana", origin="manual")


def test_too_few_examples_says_how_many_there_are_and_are_needed(planted):
    project, _ = planted
    code_other(project, MIN_POSITIVE - 1)
    before = stored(project)
    with pytest.raises(LearnError) as refused:
        project.learn_suggestions("other", coder="ana", backend=BACKEND)
    # 9 sentences coded 'other'; ana read 6 notes x 30 sentences = 180 (conftest), 171 not
    assert refused.value.code == "WB-LEARN-004"
    assert "9 positive and 171 negative sentence segments in the 6 documents" in str(
        refused.value)
    assert f"at least {MIN_POSITIVE} positive and {MIN_NEGATIVE} negative" in str(refused.value)
    assert stored(project) == before


def test_exactly_the_minimum_is_enough(planted):
    project, _ = planted
    code_other(project, MIN_POSITIVE)
    # the first five sentences of two notes are not about 'other' more than any others:
    # the suggester learns nothing from them, and says so
    with pytest.warns(LearnWarning, match="below .667"):
        result = project.learn_suggestions("other", coder="ana", backend=BACKEND)
    assert result.agreement.loc[0, "positive"] == MIN_POSITIVE


@pytest.mark.parametrize("name", ["Consensus", "all", "*", "suggestions", "Suggestions"])
def test_a_layer_name_is_not_a_coder_to_learn_from(planted, name):
    project, _ = planted
    before = stored(project)
    with pytest.raises(LearnError, match="WB-LEARN-001: .* is not one person nor the "
                       "consensus layer"):
        project.learn_suggestions("alarms", coder=name, backend=BACKEND)
    assert stored(project) == before


def test_the_consensus_layer_before_reconciling_has_nothing_to_learn_from(planted):
    project, _ = planted
    before = stored(project)
    with pytest.raises(LearnError, match=r"WB-LEARN-002: coder 'consensus' has no codings.*"
                       r": ana \(project.reconcile\(\) writes the consensus layer\)"):
        project.learn_suggestions("alarms", coder="consensus", backend=BACKEND)
    assert stored(project) == before


def test_unknown_coder_and_code_are_named(planted):
    project, _ = planted
    before = stored(project)
    with pytest.raises(LearnError, match="WB-LEARN-002: coder 'zoe' has no codings.*: ana"):
        project.learn_suggestions("alarms", coder="zoe", backend=BACKEND)
    with pytest.raises(LearnError, match="WB-LEARN-003: .*'alarm'.*Did you mean: alarms"):
        project.learn_suggestions("alarm", coder="ana", backend=BACKEND)
    with pytest.raises(SemanticError, match="WB-SEMANTIC-001"):
        project.learn_suggestions("alarms", coder="ana", backend="word2vec")
    assert stored(project) == before


@pytest.mark.parametrize(("option", "number"), [
    ({"folds": 1}, 5), ({"folds": 2.5}, 5), ({"folds": MIN_POSITIVE + 1}, 5),
    ({"threshold": 0}, 6), ({"threshold": 1.5}, 6), ({"threshold": "high"}, 6),
    ({"seed": "x"}, 7), ({"unit": "word"}, 8)])
def test_options_outside_their_range_are_refused(planted, option, number):
    project, _ = planted
    before = stored(project)
    with pytest.raises(LearnError, match=f"WB-LEARN-00{number}: {next(iter(option))}="):
        project.learn_suggestions("alarms", coder="ana", backend=BACKEND, **option)
    assert stored(project) == before


def test_a_unit_the_documents_lack_has_no_examples(planted):
    project, _ = planted
    # field notes without speaker labels have no turns (README "Segments")
    with pytest.raises(LearnError, match="WB-LEARN-004: .*0 positive and 0 negative turn"):
        project.learn_suggestions("alarms", coder="ana", backend=BACKEND, unit="turn")


def test_a_coder_who_read_every_document_gets_the_report_and_no_suggestions(planted):
    project, _ = planted
    # ana codes one sentence of each note she had left: now she has read all ten
    sentences = project.segments("sentence")
    left = sentences[~sentences["doc_id"].isin(project.codings(coder="ana")["doc_id"])]
    firsts = left.groupby("doc_id").head(1).assign(code="other")
    project.code_many(firsts[["doc_id", "start", "end", "code"]], coder="ana",
                      origin="manual")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LearnWarning)
        result = project.learn_suggestions("alarms", coder="ana", backend=BACKEND)
    # 10 notes x 30 sentences (conftest), all read now
    assert (result.candidates, result.added, len(result.suggestions)) == (0, 0, 0)
    assert result.agreement.loc[0, "segments"] == 300
    assert project.suggestions().empty
