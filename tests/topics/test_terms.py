"""Topic terms: the project language's stop words are left out (for English also
contractions and spoken fillers, as BERTopic's clean-up leaves them), and another language's
letters are kept."""

from __future__ import annotations

import numpy as np

from workbench.topics.clustering import fit_topics, stop_words


def _two_groups(texts: list[str]) -> np.ndarray:
    """Vectors that put the even texts in one group and the odd in another."""
    rng = np.random.default_rng(0)
    base = np.array([[1.0, 0.0], [0.0, 1.0]] * (len(texts) // 2), dtype="float32")
    return base + rng.normal(0, 0.01, base.shape).astype("float32")


def test_spoken_fillers_and_contractions_are_not_terms():
    texts = ["Yeah, that's like the alarm again, you know.",
             "I'm checking the lab values by hand, um."] * 10
    fit = fit_topics(texts, _two_groups(texts), n_topics=2, seed=0, language="en")
    # What is left of the two sentences once "yeah, that's, like, the, again, you, know, I'm,
    # by, um" are taken out (hand count).
    assert sorted(fit.terms["term"].unique()) == ["alarm", "checking", "hand", "lab", "values"]


def test_another_languages_letters_are_kept():
    texts = ["L'équipe a vérifié les résultats été comme hiver.",
             "Les alarmes sonnent la nuit, très souvent."] * 10
    fit = fit_topics(texts, _two_groups(texts), n_topics=2, seed=0, language="fr")
    terms = set(fit.terms["term"])
    # spaCy's French stop words take "a, les, comme, la, très, souvent"; accents stay (an
    # English clean-up would have made "équipe" into "quipe").
    assert {"équipe", "vérifié", "résultats", "été", "alarmes", "nuit"} <= terms
    assert "les" not in terms and "quipe" not in terms


def test_stop_words_are_sorted_single_tokens():
    words = stop_words("en")
    assert words == sorted(words) and all(" " not in w and "'" not in w for w in words)
