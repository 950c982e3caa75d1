"""The topic model: BERTopic over precomputed segment vectors, with reduction and clustering
chosen to suit the corpus.

BERTopic [1]_ is given the cached vectors, never an embedding model, so it loads and downloads
nothing. Its own default, UMAP [2]_ and HDBSCAN [3]_, fails in two ways here: on a few hundred
segments UMAP's neighbourhood graph is coarse and HDBSCAN calls most segments noise or finds
one topic; and seeded UMAP (the only way to get the same topics twice) runs on one core, 70 s
for 10,000 segments on the 2-core machine (benchmarks/RESULTS.md), so 50,000 would not fit
the 90 s budget. The default method is therefore PCA and k-means at every size, with k
chosen by the silhouette [4]_ (on a seeded sample) when it is not given; UMAP and HDBSCAN
stay available as ``method="umap-hdbscan"`` from :data:`SMALL` segments up. The method used
and its settings are stored with the run.

References
----------
.. [1] Grootendorst M (2022). BERTopic: neural topic modeling with a class-based TF-IDF
   procedure. arXiv:2203.05794 (c-TF-IDF, eq. 1).
.. [2] McInnes L, Healy J, Melville J (2018). UMAP: uniform manifold approximation and
   projection for dimension reduction. arXiv:1802.03426.
.. [3] Campello RJGB, Moulavi D, Sander J (2013). Density-based clustering based on
   hierarchical density estimates. PAKDD, LNCS 7819, 160-172.
.. [4] Rousseeuw PJ (1987). Silhouettes: a graphical aid to the interpretation and
   validation of cluster analysis. J Comput Appl Math 20, 53-65.

Topics are described by their terms after the project language's stop words (spaCy's lists)
are left out; for English also contractions and spoken fillers, which in interview
transcripts outnumber every content word and would otherwise form a topic of their own.
BERTopic is told the language, so that its English-only clean-up (it keeps ASCII letters and
digits only) never strips another language's letters.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbench.errors import TopicsError
from workbench.semantic.backends import go_offline

__all__ = ["METHODS", "MIN_PER_TOPIC", "SMALL", "SPOKEN_ENGLISH", "Fit", "check_method",
           "fit_topics", "minimum", "stop_words"]

#: The reduction and clustering pairs a run can use; the first is the default.
METHODS = ("pca-kmeans", "umap-hdbscan")
#: The fewest segments UMAP and HDBSCAN are used on.
SMALL = 1000
#: Segments each topic needs at least (so k topics need k times as many segments).
MIN_PER_TOPIC = 5
#: The numbers of topics tried when none is given (PCA and k-means).
AUTO_RANGE = (2, 15)
#: Dimensions PCA keeps before k-means; k is chosen on a seeded sample of at most SAMPLE
#: segments (k-means and the silhouette on the sample, then k-means on all of them).
COMPONENTS = 10
SAMPLE = 3000
#: Terms kept per topic.
TOP_TERMS = 10


@dataclass(frozen=True)
class Fit:
    """A fitted topic model: each segment's topic (-1: none) and its closeness (cosine) to
    its topic's centre, each topic's terms, and how it was found."""

    topics: np.ndarray
    closeness: np.ndarray
    terms: pd.DataFrame
    method: str
    settings: dict


#: English contractions and spoken fillers as BERTopic's English clean-up leaves them (it
#: drops apostrophes: "that's" is counted as "thats").
SPOKEN_ENGLISH = ("im", "ive", "id", "ill", "youre", "youve", "youd", "youll", "hes", "shes",
                  "its", "theyre", "theyve", "theyd", "weve", "wed", "thats", "theres",
                  "whats", "heres", "dont", "doesnt", "didnt", "cant", "couldnt", "wont",
                  "wouldnt", "isnt", "arent", "wasnt", "werent", "havent", "hasnt", "hadnt",
                  "shouldnt", "lets", "yeah", "yes", "um", "uh", "er", "erm", "oh", "okay",
                  "ok", "like", "know", "just", "really", "mean", "gonna", "got")


def stop_words(language: str) -> list[str]:
    """The words left out of topic terms for a project in ``language`` (an ISO code spaCy
    knows): spaCy's stop words for it and, for English, the same without apostrophes and
    :data:`SPOKEN_ENGLISH`; sorted, so the vocabulary is the same on any machine.

    >>> {"thats", "like", "the"} <= set(stop_words("en")), "alarm" in stop_words("en")
    (True, False)
    """
    from spacy.util import get_lang_class

    words = set(get_lang_class(language).Defaults.stop_words)
    if language == "en":
        words |= {re.sub(r"[^a-z0-9]", "", word) for word in words} | set(SPOKEN_ENGLISH)
    # Only words the vectoriser counts as one token (two or more word characters), so that
    # scikit-learn has no reason to warn that the list and its tokens disagree.
    return sorted(word for word in words if re.fullmatch(r"\w\w+", word))


def minimum(n_topics: int | None, method: str = METHODS[0]) -> int:
    """The fewest segments a run asking for ``n_topics`` (None: chosen) with ``method`` can
    work on."""
    if method == "umap-hdbscan":
        return SMALL
    return MIN_PER_TOPIC * (n_topics if n_topics is not None else AUTO_RANGE[0])


def check_method(method: object, n_topics: int | None) -> str:
    """``method`` (None: the default), checked against :data:`METHODS`.

    Raises
    ------
    TopicsError
        WB-TOPICS-012 for a method not in :data:`METHODS`, or ``umap-hdbscan`` with
        ``n_topics`` given (HDBSCAN finds the number itself).
    """
    method = METHODS[0] if method is None else method
    if method not in METHODS:
        raise TopicsError(12, f"method={method!r} is not one of: {', '.join(METHODS)}.")
    if method == "umap-hdbscan" and n_topics is not None:
        raise TopicsError(12, "method='umap-hdbscan' finds the number of topics itself; leave "
                          f"n_topics=None, or keep n_topics={n_topics} with "
                          "method='pca-kmeans'.")
    return method


def _pca_kmeans(vectors: np.ndarray, n_topics: int | None, seed: int) -> tuple:
    """PCA and k-means; k from the silhouette over :data:`AUTO_RANGE` when not given."""
    from sklearn.cluster import KMeans
    from sklearn.decomposition import PCA

    components = max(1, min(COMPONENTS, vectors.shape[0] - 1, vectors.shape[1]))
    reduced = PCA(n_components=components, random_state=seed).fit_transform(vectors)
    settings = {"components": components}
    if n_topics is None:
        n_topics, settings["silhouette"] = _chosen_k(reduced, seed)
    settings.update(k=n_topics)
    reducer = PCA(n_components=components, random_state=seed)
    return reducer, KMeans(n_clusters=n_topics, n_init=10, random_state=seed), settings


def _chosen_k(reduced: np.ndarray, seed: int) -> tuple[int, dict[str, float]]:
    """The k in :data:`AUTO_RANGE` with the highest silhouette on a seeded sample (ties: the
    smaller k), and every k's silhouette."""
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score

    rng = np.random.default_rng(seed)
    sample = reduced if len(reduced) <= SAMPLE else reduced[
        np.sort(rng.choice(len(reduced), SAMPLE, replace=False))]
    scores = {}
    for k in range(AUTO_RANGE[0], min(AUTO_RANGE[1], len(sample) // MIN_PER_TOPIC) + 1):
        labels = KMeans(n_clusters=k, n_init=10, random_state=seed).fit_predict(sample)
        scores[k] = (float(silhouette_score(sample, labels)) if len(set(labels)) > 1
                     else -1.0)
    chosen = max(scores, key=lambda k: (scores[k], -k))
    return chosen, {str(k): round(v, 4) for k, v in scores.items()}


def _umap_hdbscan(vectors: np.ndarray, seed: int) -> tuple:
    """UMAP (5 dimensions, cosine, seeded) and HDBSCAN, BERTopic's defaults."""
    from hdbscan import HDBSCAN
    from umap import UMAP

    size = max(10, vectors.shape[0] // 200)
    settings = {"n_neighbors": 15, "components": 5, "min_cluster_size": size}
    reducer = UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine",
                   random_state=seed)
    return reducer, HDBSCAN(min_cluster_size=size, metric="euclidean",
                            cluster_selection_method="eom"), settings


def _closeness(vectors: np.ndarray, topics: np.ndarray) -> np.ndarray:
    """Cosine between each segment and its topic's mean vector (0 for segments in no topic)."""
    closeness = np.zeros(len(topics), dtype=np.float64)
    for topic in np.unique(topics[topics >= 0]):
        members = topics == topic
        centre = vectors[members].mean(axis=0)
        norm = np.linalg.norm(centre)
        if norm > 0:
            closeness[members] = vectors[members] @ (centre / norm)
    return closeness


def _terms(model) -> pd.DataFrame:
    """Each topic's terms with their c-TF-IDF weights: topic, rank, term, weight."""
    rows = [(topic, rank, term, float(weight))
            for topic, words in sorted(model.get_topics().items())
            for rank, (term, weight) in enumerate(w for w in words if w[0])]
    return pd.DataFrame(rows, columns=["topic", "rank", "term", "weight"])


def fit_topics(texts: Sequence[str], vectors: np.ndarray, *, n_topics: int | None, seed: int,
               method: str = METHODS[0], language: str = "en") -> Fit:
    """Fit BERTopic on ``texts`` with their precomputed ``vectors`` by ``method``.

    Returns
    -------
    Fit
        topics numbered by size (0 the largest; -1 segments HDBSCAN left in no topic),
        closeness, terms (topic, rank, term, weight: c-TF-IDF), method and its settings.
    """
    go_offline()
    from bertopic import BERTopic
    from sklearn.feature_extraction.text import CountVectorizer

    reducer, clusterer, settings = (_pca_kmeans(vectors, n_topics, seed) if method == METHODS[0]
                                    else _umap_hdbscan(vectors, seed))
    words = CountVectorizer(stop_words=stop_words(language))
    model = BERTopic(embedding_model=None, umap_model=reducer, hdbscan_model=clusterer,
                     vectorizer_model=words, top_n_words=TOP_TERMS, verbose=False,
                     language="english" if language == "en" else "multilingual")
    try:
        topics, _ = model.fit_transform(list(texts), embeddings=vectors)
    except ValueError as err:
        if "empty vocabulary" not in str(err):
            raise
        raise TopicsError(7, f"these {len(texts)} segments hold no word that is not a stop "
                          "word, so topics have no terms to be described by. Choose a "
                          "longer unit (turn, paragraph) or a wider selection.") from err
    topics = np.asarray(topics, dtype=np.int64)
    return Fit(topics=topics, closeness=_closeness(vectors, topics), terms=_terms(model),
               method=method, settings=settings)
