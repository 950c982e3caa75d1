"""Discovering topics: check the request, read the cached vectors, fit, store the run."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from importlib.metadata import PackageNotFoundError, version

import pandas as pd

from workbench import __version__
from workbench.corpus.segment import UNITS
from workbench.errors import TopicsError
from workbench.semantic import embeddings, find_backend
from workbench.store import atomic, settings
from workbench.store.audit import now
from workbench.store.ids import new_id
from workbench.topics.clustering import METHODS, check_method, fit_topics, minimum
from workbench.topics.runs import TopicRun, assignments, store_run
from workbench.topics.selection import listed, selected, spoken

__all__ = ["discover"]

#: Packages whose versions can change a run's topics, recorded with it.
PACKAGES = ("bertopic", "scikit-learn", "umap-learn", "hdbscan", "numpy", "scipy")


def _installed(distribution: str) -> str:
    try:
        return version(distribution)
    except PackageNotFoundError:
        return "missing"


def _check(unit: object, n_topics: object, seed: object) -> None:
    """Refuse a unit, number of topics or seed that cannot be used, before any work."""
    if unit not in UNITS:
        raise TopicsError(1, f"unit={unit!r} is not one of: {', '.join(UNITS)}.")
    if n_topics is not None and (isinstance(n_topics, bool) or not isinstance(n_topics, int)
                                 or n_topics < 2):
        raise TopicsError(3, f"n_topics={n_topics!r} is not a whole number of at least 2. "
                          "Give e.g. n_topics=8, or n_topics=None to let the data choose.")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise TopicsError(4, f"seed={seed!r} is not a whole number of 0 or more. Give e.g. "
                          "seed=0; the same seed on the same data gives the same topics.")


def _enough(n_segments: int, n_topics: int | None, unit: str, method: str) -> None:
    """Refuse a selection too small for the topics asked, saying the minimum."""
    needed = minimum(n_topics, method)
    if n_segments < needed:
        asked = (f"method={method!r}" if method != METHODS[0] else
                 f"n_topics={n_topics}" if n_topics is not None else "finding topics")
        raise TopicsError(5, f"{asked} needs at least {needed} {unit} segments and the "
                          f"selection has {n_segments}. Ask for fewer topics, widen the "
                          "selection (where=...) or choose a shorter unit (sentence).")


def discover(conn: sqlite3.Connection, actor: str, *, unit: str = "turn",
             n_topics: int | None = None, seed: int = 0,
             where: Mapping[str, object] | None = None, backend: str | None = None,
             method: str | None = None, spoken_only: bool = True) -> pd.DataFrame:
    """Find topics among the segments of ``unit`` and store the run.

    Parameters
    ----------
    conn
        The project's connection.
    actor
        Who runs it (stored with the run).
    unit
        ``turn``, ``paragraph`` or ``sentence``.
    n_topics
        How many topics; None lets the data choose (the silhouette with PCA and k-means;
        HDBSCAN's own choice with ``method="umap-hdbscan"``).
    seed
        The seed of every random step: the same seed on the same data gives the same topics.
    where
        Only some segments: ``{"document": ..., "speaker": ..., <attribute>: ...}``, each a
        value or a list (see :mod:`workbench.topics.selection`).
    backend
        The embedding backend (:data:`workbench.semantic.BACKENDS`); None for the default.
    method
        ``pca-kmeans`` (None: the default, at every size) or ``umap-hdbscan`` (BERTopic's
        own, from 1,000 segments up; see :mod:`workbench.topics.clustering` for why it is not
        the default).
    spoken_only
        In documents with speaker turns, read only what someone said (leave out headings,
        question keys and headers outside every turn; see :func:`.selection.spoken`).

    Returns
    -------
    pandas.DataFrame
        One row per selected segment: run_id, doc_id, document, start, end, speaker, topic
        (0 the largest topic; -1 a segment in no topic), closeness, text.

    Raises
    ------
    TopicsError
        001 unknown unit, 002 empty selection, 003 bad n_topics, 004 bad seed, 005 too few
        segments (with the minimum), 007 no words left to describe topics, 012 unknown
        method or umap-hdbscan with n_topics.
    """
    _check(unit, n_topics, seed)
    method = check_method(method, n_topics)
    chosen = find_backend(backend)
    segments, vectors = embeddings(conn, unit, chosen.name)
    keep = selected(conn, segments, where)
    if spoken_only:
        keep &= spoken(conn, segments)
    segments, vectors = segments[keep].reset_index(drop=True), vectors[keep]
    _enough(len(segments), n_topics, unit, method)
    fit = fit_topics(segments["text"].tolist(), vectors, n_topics=n_topics, seed=seed,
                     method=method, language=settings(conn).get("language", "en"))
    run = TopicRun(
        run_id=new_id("topics"), unit=unit, backend=chosen.name, version=chosen.version,
        method=fit.method, seed=seed, n_segments=len(segments),
        n_topics=int((pd.unique(fit.topics) >= 0).sum()),
        parameters={"n_topics": n_topics, "backend": backend, "method_settings": fit.settings,
                    "where": {str(k): listed(v) for k, v in (where or {}).items()},
                    "spoken_only": spoken_only},
        packages={"workbench": __version__, **{p: _installed(p) for p in PACKAGES}},
        created_at=now(), created_by=actor)
    assigned = segments[["doc_id", "start", "end"]].assign(topic=fit.topics,
                                                           closeness=fit.closeness)
    with atomic(conn):
        store_run(conn, run, assigned, fit.terms)
    return assignments(conn, run.run_id)
