"""The suggester is scored on whole documents it did not learn from, as it is used.

Suggestions go to documents the coder has not read, so a segment held out in cross-validation
must not have its document's other segments in the training folds. These tests plant a
corpus where that leakage is all there is to learn (``tests/learn/conftest.py: leaky``) and
compare the reported agreement with segment folds computed here, with scikit-learn directly.
"""

from __future__ import annotations

import json

import krippendorff
import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold, cross_val_predict

from tests.learn.conftest import LEAKY_DOCUMENTS, LEAKY_SENTENCES
from tests.learn.test_learn import BACKEND, learn
from workbench.errors import LearnError


def held_out_alpha(vectors, human, splits) -> float:
    """Krippendorff's alpha (the krippendorff package, Castro 2017) of the held-out
    predictions of the suggester's classifier (balanced logistic regression, seed 0) at the
    0.5 threshold, over the given train/test splits."""
    model = LogisticRegression(class_weight="balanced", max_iter=2000, random_state=0)
    score = cross_val_predict(model, vectors, human, cv=splits, method="predict_proba")[:, 1]
    suggested = (score >= 0.5).astype(int)
    return krippendorff.alpha(reliability_data=np.vstack([human, suggested]),
                              level_of_measurement="nominal")


def test_grouped_folds_report_the_honest_agreement_segment_folds_would_inflate(leaky):
    result, shown = learn(leaky)
    row = result.agreement.iloc[0]
    segments, vectors = leaky.embeddings("sentence", backend=BACKEND)
    read = segments.reset_index().merge(result.predictions[["segment_id", "human"]],
                                        on="segment_id")
    x, human, groups = vectors[read["index"]], read["human"].to_numpy(), read["doc_id"]
    # segment folds (the old scheme), computed here: the marker word of each document is
    # seen in training, so the held-out sentences of its document are recognised
    by_segment = held_out_alpha(x, human, StratifiedKFold(5, shuffle=True, random_state=0)
                                .split(x, human))
    # the same model on folds of whole documents, computed here as well
    by_document = held_out_alpha(x, human, StratifiedGroupKFold(
        5, shuffle=True, random_state=0).split(x, human, groups))
    # on this corpus (seeds in conftest) segment folds give alpha 1.000 and document folds
    # -0.012: the leakage is all the segment folds measure
    assert by_segment > 0.8
    # no word predicts the code across documents (conftest): chance agreement, alpha near 0
    # (0 = chance, Krippendorff 2004, sec. 11.3)
    assert abs(row["alpha"]) < 0.3 and row["alpha"] < by_segment - 0.5
    assert row["alpha"] == pytest.approx(by_document, abs=1e-9)
    assert row["verdict"] == "unreliable" and len(shown) == 1
    # 8 notes x 30 sentences, all read by ana (conftest)
    assert (row["documents"], row["segments"]) == (LEAKY_DOCUMENTS,
                                                   LEAKY_DOCUMENTS * LEAKY_SENTENCES)


def test_no_document_is_in_two_folds_and_the_scheme_is_recorded(planted):
    project, _ = planted
    result, _ = learn(project)
    per_document = result.predictions.groupby("doc_id")["fold"].nunique()
    assert (per_document == 1).all()
    # 6 notes read (conftest) in 5 folds: every fold holds a document, one holds two
    assert sorted(result.predictions.groupby("fold")["doc_id"].nunique()) == [1, 1, 1, 1, 2]
    row = result.agreement.iloc[0]
    assert (row["scheme"], row["folds"], row["documents"], row["note"]) == (
        "StratifiedGroupKFold by document", 5, 6, "")
    assert "in 6 documents, 5 folds of whole documents, seed 0:" in result.summary()
    version = result.suggestions["model_version"].iloc[0]
    assert ";folds=5;cv=StratifiedGroupKFold by document;seed=0;" in version
    after = json.loads(project.history().iloc[-1]["after"])
    assert (after["scheme"], after["folds"], after["documents"]) == (
        "StratifiedGroupKFold by document", 5, 6)


def test_fewer_documents_than_folds_holds_one_document_out_at_a_time(planted):
    project, _ = planted
    # ben codes the first 3 notes as ana did: 3 documents read, 5 folds asked
    themed = project.codings(coder="ana")
    firsts = sorted(themed["document"].unique())[:3]
    mine = themed.loc[themed["document"].isin(firsts), ["doc_id", "start", "end", "code_id"]]
    project.code_many(mine.rename(columns={"code_id": "code"}), coder="ben", origin="manual")
    result = project.learn_suggestions("alarms", coder="ben", backend=BACKEND)
    row = result.agreement.iloc[0]
    assert (row["folds"], row["documents"]) == (3, 3)
    assert row["note"] == ("5 folds asked, 3 documents read: 3 folds, one document held out "
                           "at a time")
    assert sorted(result.predictions.groupby("fold")["doc_id"].nunique()) == [1, 1, 1]
    assert f"({row['note']}):" in result.summary()
    assert ";folds=3;" in result.suggestions["model_version"].iloc[0]


def stored(project) -> tuple[int, int]:
    """(suggestions, audit entries) in the project."""
    return (len(project.suggestions()), len(project.history()))


def code_sentences(project, coder: str, code: str, doc_id: str, n: int) -> None:
    """``coder`` codes the first ``n`` sentences of a document with ``code``."""
    sentences = project.segments("sentence", doc_id=doc_id).head(n)
    project.code_many(sentences.assign(code=code)[["doc_id", "start", "end", "code"]],
                      coder=coder, origin="manual")


def test_one_document_cannot_be_scored_on_documents_it_did_not_learn_from(planted):
    project, truth = planted
    first = truth["doc_id"].iloc[0]
    # ben codes 10 of the 30 sentences of one note: 10 positive, 20 negative, 1 document
    code_sentences(project, "ben", "other", first, 10)
    before = stored(project)
    with pytest.raises(LearnError, match="WB-LEARN-009: ben has coded 1 document: .*at "
                       "least 2 are needed"):
        project.learn_suggestions("other", coder="ben", backend=BACKEND)
    assert stored(project) == before


def test_a_code_in_one_document_only_cannot_be_scored_on_the_others(planted):
    project, truth = planted
    first, second = truth["doc_id"].unique()[:2]
    # ben applies 'other' to 10 sentences of one note and codes one sentence of another
    # 'alarms': 2 documents read, every positive segment of 'other' in the first
    code_sentences(project, "ben", "other", first, 10)
    code_sentences(project, "ben", "alarms", second, 1)
    before = stored(project)
    with pytest.raises(LearnError, match=r"WB-LEARN-010: .*leaves no positive segment in "
                       r"ben's other documents\. ben applied 'Other' in 1 document\(s\) "
                       r"\(notes_00\.txt\)"):
        project.learn_suggestions("other", coder="ben", backend=BACKEND)
    assert stored(project) == before


def test_the_consensus_layer_can_be_learned_from_and_stays_the_layer(planted):
    project, truth = planted
    # ben codes ana's six notes by the planted theme, without ana's 5% of errors; the
    # disagreements follow ben, so the consensus layer is the theme in those notes
    read = truth[truth["doc_id"].isin(project.codings(coder="ana")["doc_id"])]
    project.code_many(read[read["theme"]].assign(code="alarms")[
        ["doc_id", "start", "end", "code"]], coder="ben", origin="manual")
    project.reconcile(["ana", "ben"], {}, default="ben")
    layer = project.codings(coder="consensus")
    result = project.learn_suggestions("alarms", coder="consensus", backend=BACKEND)
    labels = result.predictions.merge(read, on=["doc_id", "start", "end"])
    # the consensus layer's labels are ben's: the theme, sentence by sentence (conftest)
    assert len(labels) == len(read) and (labels["human"] == labels["theme"]).all()
    row = result.agreement.iloc[0]
    assert (row["coder"], row["suggester"], row["verdict"]) == ("consensus", "suggestions",
                                                              "reliable")
    suggestion = result.suggestions.iloc[0]
    assert suggestion["rule"] == "learned from the consensus layer"
    # the six notes ana and ben read, 6 x 30 sentences (conftest)
    assert "agreement with the consensus layer on 180 segments" in result.summary()
    assert suggestion["model"].endswith("embeddings, learned from the consensus layer")
    # accepting makes a coding of the person who accepts; the layer is reconcile's alone
    coding = project.accept_suggestion(suggestion["suggestion_id"], coder="ana")
    assert coding.coder == "ana"
    assert project.codings(coder="consensus").equals(layer)
