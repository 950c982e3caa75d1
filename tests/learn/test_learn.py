"""Learned suggestions: scored as a coder before they are trusted, never applied unasked.

Every test runs on the planted corpus of ``tests/learn/conftest.py`` (10 field notes of 30
sentences, about a third about alarms; coder ana codes notes 0-5) with the TF-IDF + SVD
backend, which fits in a second and needs no model files.
"""

from __future__ import annotations

import json
import warnings

import krippendorff
import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score

from tests.learn.conftest import CODED, DOCUMENTS, SENTENCES
from workbench.learn import LearnWarning
from workbench.store.schema import SCHEMA_VERSION

BACKEND = "tfidf-svd"


def learn(project, **options):
    """Learn ana's 'alarms' with the test backend, the warnings recorded, not raised."""
    with warnings.catch_warnings(record=True) as shown:
        warnings.simplefilter("always", LearnWarning)
        result = project.learn_suggestions("alarms", coder="ana", backend=BACKEND, **options)
    return result, [w for w in shown if issubclass(w.category, LearnWarning)]


def test_labels_follow_the_overlap_rule_and_cover_only_the_coders_documents(planted):
    project, truth = planted
    result, _ = learn(project)
    predictions = result.predictions.merge(truth, on=["doc_id", "start", "end"])
    # ana read notes 0-5: 6 x 30 sentences (conftest), each labelled by her coding of it
    assert len(result.predictions) == len(predictions) == CODED * SENTENCES
    assert (predictions["human"] == predictions["coded"]).all()
    # the other 4 notes, 4 x 30 sentences, are the candidates
    assert result.candidates == (DOCUMENTS - CODED) * SENTENCES


def test_reported_agreement_is_the_agreement_of_the_fold_predictions(planted):
    project, _ = planted
    result, shown = learn(project)
    row = result.agreement.iloc[0]
    human = result.predictions["human"].to_numpy()
    suggested = result.predictions["suggested"].to_numpy()
    # the suggester's codings are its held-out predictions at the 0.5 threshold
    assert (suggested == (result.predictions["score"] >= 0.5)).all()
    assert sorted(result.predictions["fold"].unique()) == [0, 1, 2, 3, 4]
    # independent computations: the krippendorff package (Castro 2017) and scikit-learn
    expected_alpha = krippendorff.alpha(reliability_data=np.vstack([human, suggested]),
                                        level_of_measurement="nominal")
    assert row["alpha"] == pytest.approx(expected_alpha, abs=1e-9)
    assert row["kappa"] == pytest.approx(cohen_kappa_score(human, suggested), abs=1e-9)
    true_positive = int((human & suggested).sum())
    assert row["precision"] == pytest.approx(true_positive / suggested.sum())
    assert row["recall"] == pytest.approx(true_positive / human.sum())
    assert row["percent_agreement"] == pytest.approx((human == suggested).mean())
    assert (row["positive"], row["suggested"]) == (human.sum(), suggested.sum())
    assert row["ci_low"] <= row["alpha"] <= row["ci_high"]
    # the planted theme is in the words and ana errs on 5% of sentences: the suggester
    # recovers her coding reliably (alpha >= .800, Krippendorff 2004, p. 241), no warning
    assert row["verdict"] == "reliable" and shown == []
    assert f"alpha {row['alpha']:.3f}" in result.summary()


def test_codings_unrelated_to_the_text_agree_at_chance_and_are_warned_about(unrelated):
    project, _ = unrelated
    result, shown = learn(project)
    row = result.agreement.iloc[0]
    # ana coded a random third of the sentences: nothing in the words predicts it, so the
    # chance-corrected agreement is near 0 (0 = chance, Krippendorff 2004, sec. 11.3)
    assert abs(row["alpha"]) < 0.3
    assert row["verdict"] == "unreliable"
    assert len(shown) == 1 and "below .667" in str(shown[0].message)
    assert "Krippendorff (2004, p. 241)" in str(shown[0].message)


def test_suggestions_wait_for_a_person_and_keep_their_origin_when_accepted(planted):
    project, truth = planted
    result, _ = learn(project)
    assert result.added == len(result.suggestions) > 0
    assert project.codings(coder="all")["origin"].eq("manual").all(), "nothing applied"
    unread = set(truth.loc[~truth["doc_id"].isin(result.predictions["doc_id"]), "doc_id"])
    assert set(result.suggestions["doc_id"]) <= unread
    themed = result.suggestions.merge(truth, on=["doc_id", "start", "end"])["theme"]
    # the planted theme: most suggested sentences are about alarms
    assert themed.mean() > 0.8
    first = result.suggestions.iloc[0]
    coding = project.accept_suggestion(first["suggestion_id"], coder="ben")
    assert coding.origin == "suggestion-accepted"
    accepted = project.suggestions("accepted").iloc[0]
    assert accepted["coding_id"] == coding.coding_id
    assert accepted["score"] == pytest.approx(first["score"]) and accepted["score"] >= 0.5
    assert accepted["model"] == ("logistic regression on tfidf-svd sentence embeddings, "
                                 "learned from ana")
    assert accepted["model_version"].startswith("scikit-learn==")
    entry = project.history().iloc[-1]
    after = json.loads(entry["after"])
    assert entry["action"] == "accept suggestion" and entry["entity_id"] == first["suggestion_id"]
    assert after["coding_id"] == coding.coding_id
    assert (after["model"], after["score"]) == (accepted["model"], accepted["score"])
    assert after["model_version"] == accepted["model_version"]


def test_a_rejected_suggestion_never_becomes_a_coding_nor_returns(planted):
    project, _ = planted
    result, _ = learn(project)
    first = result.suggestions.iloc[0]
    project.reject_suggestion(first["suggestion_id"], coder="ben")
    again, _ = learn(project)
    codings = project.codings(coder="all")
    at = (codings["doc_id"] == first["doc_id"]) & (codings["start"] == first["start"])
    assert not at.any()
    # a second run replaces the pending suggestions, and leaves the rejected span out
    assert (again.replaced, again.added) == (result.added - 1, result.added - 1)
    assert again.already_suggested == 1
    assert project.suggestions("rejected")["suggestion_id"].tolist() == [
        first["suggestion_id"]]


def test_same_seed_same_suggestions_and_scores(planted):
    project, _ = planted
    first, _ = learn(project)
    second, _ = learn(project)
    columns = ["doc_id", "start", "end", "score"]
    assert first.suggestions[columns].equals(second.suggestions[columns])
    assert first.predictions.equals(second.predictions)
    assert first.agreement.equals(second.agreement)


def test_a_run_is_audited_with_its_agreement(planted):
    project, _ = planted
    result, _ = learn(project)
    entry = project.history().iloc[-1]
    after = json.loads(entry["after"])
    assert entry["action"] == "learn suggestions" and entry["actor"] == "ana"
    assert after["added"] == result.added and after["coder"] == "ana"
    assert after["alpha"] == pytest.approx(result.agreement.loc[0, "alpha"])
    assert project.settings["schema_version"] == str(SCHEMA_VERSION)


def test_the_coding_widget_offers_learned_suggestions_and_keeps_their_origin(planted):
    from workbench.widgets import CodingView

    project, _ = planted
    result, _ = learn(project)
    first = result.suggestions.iloc[0]
    view = CodingView(project, coder="ben", document=first["document"])
    offered = {s["suggestion_id"]: s for s in view.suggestions}
    assert offered[first["suggestion_id"]]["rule"] == "learned from ana"
    assert view.accept_suggestion(first["suggestion_id"])
    accepted = project.suggestions("accepted").iloc[0]
    coding = project.codings(coder="ben").iloc[0]
    assert (coding["origin"], coding["coding_id"]) == ("suggestion-accepted",
                                                       accepted["coding_id"])
    assert accepted["score"] == pytest.approx(first["score"])
